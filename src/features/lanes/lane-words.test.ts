/**
 * The page words what transports report as codes; the words are translated where they are shown, so
 * one failure reads in English and, after a language switch, in Chinese.
 */
import { describe, expect, it } from 'vitest';
import { textIn } from '../../i18n/local-text.ts';
import { issue, type TransportIssue, type TransportIssueCode, type TransportIssueParams } from '../../transports/transport.ts';
import { describeClose, issueText } from './lane-words.ts';

const both = (what: TransportIssue) => [textIn('en', issueText(what)), textIn('zh', issueText(what))];

describe('lane words', () => {
  it('name WebSocket close codes in either language, with the reason when there is one', () => {
    expect(textIn('en', describeClose({ code: 1008, reason: 'not allowed' }))).toBe('1008 (policy violation): not allowed');
    expect(textIn('en', describeClose({ code: 4000, reason: '' }))).toBe('4000 (application-defined)');
    expect(textIn('zh', describeClose({ code: 1006, reason: '' }))).toBe('1006（异常关闭：没有关闭帧，连接被切断或从未建立）');
    expect(textIn('zh', describeClose({ code: 4000, reason: 'bye' }))).toBe('4000（应用自定义）：bye');
  });

  it('one failure reads in English and in Chinese: the issue carries no language', () => {
    expect(both(issue('fetch.contentType', { type: 'text/plain' }))).toEqual([
      'The server answered "text/plain", not text/event-stream.',
      '服务器返回的是 "text/plain"，而不是 text/event-stream。',
    ]);
  });

  it('a missing value is worded too (no content type at all)', () => {
    expect(both(issue('fetch.contentType', { type: null }))).toEqual([
      'The server answered no content type, not text/event-stream.',
      '服务器返回的是 无内容类型，而不是 text/event-stream。',
    ]);
  });

  it('an issue inside an issue is worded inside its message', () => {
    const lost = issue('fetch.noReconnect', { cause: issue('fetch.endedEarly', {}) });
    expect(textIn('en', issueText(lost))).toBe(
      'The response ended before the stream was complete. fetch() does not reconnect by itself (LLM SDKs do not either); Reconnect resumes with Last-Event-ID.',
    );
  });

  it('close codes inside WebSocket failures', () => {
    const close = { code: 1006, reason: '' };
    expect(textIn('en', issueText(issue('ws.gaveUp', { attempts: 3, close })))).toBe(
      'Gave up after 3 reconnect attempts; the last close was 1006 (abnormal closure: no close frame, the connection was cut or never opened).',
    );
    expect(textIn('en', issueText(issue('ws.fatalClose', { close: { code: 1008, reason: 'not allowed' } })))).toBe(
      'The WebSocket closed with 1008 (policy violation): not allowed; that does not get better by retrying.',
    );
  });

  it("an HTTP status and the server's reason are shown as they are, in every language", () => {
    expect(issueText(issue('http', { status: 404, statusText: 'Not Found', reason: 'no such run' }))).toBe('HTTP 404 Not Found: no such run');
    expect(issueText(issue('http', { status: 503, statusText: '', reason: null }))).toBe('HTTP 503');
    expect(issueText(issue('http', { status: 500, statusText: '', reason: 'simulated HTTP 500' }))).toBe('HTTP 500: simulated HTTP 500');
  });

  it('chat side-channel failures keep their message id', () => {
    expect(textIn('en', issueText(issue('chat.http', { id: 'm2', status: 429, error: 'slow down' })))).toBe('Chat m2: HTTP 429: slow down');
    expect(textIn('en', issueText(issue('chat.http', { id: 'm2', status: 502, error: null })))).toBe('Chat m2: HTTP 502');
    expect(textIn('zh', issueText(issue('chat.failed', { id: 'm3', error: 'Failed to fetch' })))).toBe('聊天 m3：Failed to fetch');
  });

  it('every code has words in both languages', () => {
    const close = { code: 1011, reason: 'boom' };
    // One sample per code: a code added to the transports without words here does not compile.
    const samples: { [C in TransportIssueCode]: TransportIssueParams[C] } = {
      'frame.invalid': { data: '"x"' },
      http: { status: 400, statusText: '', reason: null },
      'es.cannotOpen': { error: 'e' },
      'es.gaveUp': {},
      'es.neverOpened': {},
      'ws.neverOpened': { close: { code: 1006, reason: '' } },
      'fetch.requestFailed': { error: 'e' },
      'fetch.noContent': {},
      'fetch.contentType': { type: 'a' },
      'fetch.noBody': {},
      'fetch.broke': { error: 'e' },
      'fetch.endedEarly': {},
      'fetch.providerError': { message: 'Overloaded' },
      'fetch.noReconnect': { cause: issue('fetch.broke', { error: 'e' }) },
      'ws.cannotOpen': { error: 'e' },
      'ws.badBinary': { error: 'e' },
      'ws.notTextOrBinary': {},
      'ws.invalid': { data: '"x"' },
      'ws.server': { error: 'e' },
      'ws.fatalClose': { close },
      'ws.gaveUp': { attempts: 2, close },
      'poll.failed': { error: 'e' },
      'chat.http': { id: 'm1', status: 500, error: null },
      'chat.failed': { id: 'm1', error: 'e' },
    };
    for (const code of Object.keys(samples) as TransportIssueCode[]) {
      for (const text of both(issue(code, samples[code]))) {
        expect(text, code).not.toMatch(/\{\w+\}/);
        expect(text.length, code).toBeGreaterThan(0);
      }
    }
  });
});
