/**
 * The page words what transports report as codes; the words are translated where they are shown, so
 * one failure reads in English and, after a language switch, in Chinese.
 */
import { describe, expect, it } from 'vitest';
import { textIn } from '../../i18n/local-text.ts';
import { issue, type TransportIssue, type TransportIssueCode, type TransportIssueParams } from '../../transports/transport.ts';
import { describeClose, diagnosisText, endpointProblemText, issueText, wsHandshakeCommand } from './lane-words.ts';
import type { Diagnosis } from '../url-mode/diagnose.ts';
import type { EndpointProblem } from '../url-mode/endpoints.ts';

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
      'wss.unsupported': {},
      'wss.needsLive': {},
      'wss.broke': { error: 'e' },
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

describe('URL mode words', () => {
  const close = { code: 1006, reason: '' };
  const url = 'http://127.0.0.1:9000/events';
  const origin = 'http://127.0.0.1:4573';
  // One sample per diagnosis code: a code added without words here does not compile.
  const samples: { [C in Diagnosis['code']]: Extract<Diagnosis, { code: C }> } = {
    unreachable: { code: 'unreachable', url, error: 'Failed to fetch' },
    cors: { code: 'cors', url, origin },
    'cors-preflight': { code: 'cors-preflight', url, origin, method: 'POST', headers: ['Content-Type', 'X-Trace'] },
    'http-status': { code: 'http-status', status: 404, statusText: 'Not Found' },
    'content-type': { code: 'content-type', type: 'application/json' },
    'no-content': { code: 'no-content' },
    'es-intermittent': { code: 'es-intermittent' },
    'es-unknown': { code: 'es-unknown' },
    'ws-no-upgrade': { code: 'ws-no-upgrade', url: 'ws://127.0.0.1:9001/s', close },
    'ws-unreachable': { code: 'ws-unreachable', url: 'wss://127.0.0.1:9001/s', close },
    'ws-close': { code: 'ws-close', close: { code: 4001, reason: 'bye' } },
    'ws-gave-up': { code: 'ws-gave-up', attempts: 3, close },
    broke: { code: 'broke', error: 'terminated' },
    'request-invalid': { code: 'request-invalid', error: 'Invalid header value' },
  };

  it('every diagnosis says what happened and what to try, in both languages', () => {
    for (const d of Object.values(samples)) {
      const advice = diagnosisText(d);
      expect(advice.tries.length, d.code).toBeGreaterThan(0);
      for (const lang of ['en', 'zh'] as const) {
        for (const text of [advice.what, ...advice.tries.map((entry) => entry.say)].map((m) => textIn(lang, m))) {
          expect(text, d.code).not.toMatch(/\{\w+\}/);
          expect(text.length, d.code).toBeGreaterThan(10);
        }
      }
    }
  });

  it('CORS names the header to send and a command that shows whether it is there', () => {
    const advice = diagnosisText(samples.cors);
    expect(textIn('en', advice.what)).toContain('CORS');
    expect(textIn('en', advice.tries[0].say)).toContain(`Access-Control-Allow-Origin: ${origin}`);
    expect(advice.tries[1].cmd).toBe(`curl -i -N -H 'Origin: ${origin}' ${url}`);
  });

  it('a preflight failure gives the OPTIONS request to try', () => {
    const cmd = diagnosisText(samples['cors-preflight']).tries[0].cmd;
    expect(cmd).toBe(
      `curl -i -X OPTIONS -H 'Origin: ${origin}' -H 'Access-Control-Request-Method: POST' -H 'Access-Control-Request-Headers: content-type, x-trace' ${url}`,
    );
  });

  it('a WebSocket that never opened gets the handshake to try by hand, on the http(s) twin', () => {
    expect(wsHandshakeCommand('wss://example.com/s')).toMatch(/^curl -i -N -H 'Connection: Upgrade' .* https:\/\/example\.com\/s$/);
    expect(diagnosisText(samples['ws-unreachable']).tries[0].cmd).toContain('https://127.0.0.1:9001/s');
  });

  it('close codes get advice by family', () => {
    expect(textIn('en', diagnosisText(samples['ws-close']).tries[0].say)).toContain('4000 to 4999');
    expect(textIn('en', diagnosisText({ code: 'ws-close', close: { code: 1008, reason: '' } }).tries[0].say)).toContain('Policy');
  });

  it('every form problem has words in both languages', () => {
    const problems: EndpointProblem[] = [
      { code: 'url.none' },
      { code: 'url.invalid', url: 'x' },
      { code: 'url.sseScheme', scheme: 'ws:' },
      { code: 'url.wsScheme', scheme: 'http:', suggestion: 'ws://x/' },
      { code: 'url.wsScheme', scheme: 'ftp:', suggestion: null },
      { code: 'url.mixed', url: 'http://x/', suggestion: 'https://x/' },
      { code: 'url.credentials' },
      { code: 'headers.line', line: 'x' },
      { code: 'headers.forbidden', name: 'Origin' },
      { code: 'body.withGet' },
      { code: 'path.invalid', path: 'a..b' },
    ];
    for (const p of problems) {
      for (const lang of ['en', 'zh'] as const) expect(textIn(lang, endpointProblemText(p)), p.code).not.toMatch(/\{\w+\}/);
    }
    expect(textIn('en', endpointProblemText(problems[5]))).toContain('https://x/');
  });
});
