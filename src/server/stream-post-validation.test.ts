/**
 * Integration tests of the requests POST /api/stream refuses (method, content type, body, fields,
 * size): the real lab server on node:http, Node's fetch as the client. No stream is opened for any.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { post, requestJson, TICKER_BODY } from './stream-post-support.ts';
import { errorOf, expectQuiet, runCleanups, startLab } from './test-support.ts';

afterEach(async () => {
  await runCleanups();
});

// ---------------------------------------------------------------------------------------------------

describe('bad requests to /api/stream', () => {
  it.each(['GET', 'PUT', 'DELETE'])('%s → 405 JSON with Allow: POST, pointing GET users to /api/sse', async (method) => {
    const { http } = await startLab();
    const answer = await requestJson(`${http}/api/stream`, { method });
    expect(answer.status).toBe(405);
    expect(answer.headers.get('allow')).toBe('POST');
    const error = errorOf(answer.body);
    expect(error).toContain(`${method} is not allowed on /api/stream`);
    expect(error).toContain('/api/sse');
  });

  it.each([
    ['text/plain', 'text/plain'],
    ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded'],
  ])('Content-Type %s → 415 JSON naming it', async (type, named) => {
    const { http, lab } = await startLab();
    const answer = await post(`${http}/api/stream`, TICKER_BODY, { 'Content-Type': type });
    expect(answer.status).toBe(415);
    expect(errorOf(answer.body)).toContain('application/json');
    expect(errorOf(answer.body)).toContain(named);
    expect(lab.stats().opened.fetch).toBe(0);
  });

  it('no Content-Type → 415', async () => {
    const { http } = await startLab();
    // A byte body: fetch adds no content type.
    const answer = await requestJson(`${http}/api/stream`, {
      method: 'POST',
      body: new TextEncoder().encode(JSON.stringify(TICKER_BODY)),
    });
    expect(answer.status).toBe(415);
    expect(errorOf(answer.body)).toContain('no content type');
  });

  it.each([
    ['not JSON', '{"scenario":', 'the body is not valid JSON'],
    ['an empty body', '', 'the body is not valid JSON'],
    ['a JSON array', '[]', 'the body must be a JSON object'],
    ['a JSON string', '"ticker"', 'the body must be a JSON object'],
    ['null', 'null', 'the body must be a JSON object'],
  ])('%s → 400', async (_what, body, message) => {
    const { http, lab } = await startLab();
    const answer = await post(`${http}/api/stream`, body);
    expect(answer.status).toBe(400);
    expect(errorOf(answer.body)).toBe(message);
    expect(lab.stats().opened.fetch).toBe(0);
  });

  it.each<[string, unknown, Record<string, string>, string]>([
    ['params.rate 0', { scenario: 'ticker', params: { rate: 0 } }, {}, 'rate must be an integer from 1 to 20000'],
    ['params.rate "abc"', { scenario: 'ticker', params: { rate: 'abc' } }, {}, 'rate must be an integer from 1 to 20000 (msg/s); got "abc"'],
    ['params.rate 1.5', { scenario: 'ticker', params: { rate: 1.5 } }, {}, 'rate must be an integer'],
    ['params.rate true', { scenario: 'ticker', params: { rate: true } }, {}, 'params.rate must be a number; got true'],
    ['params.tokens null', { scenario: 'llm', params: { tokens: null } }, {}, 'params.tokens must be a number; got null'],
    ['params as an array', { scenario: 'ticker', params: [1] }, {}, 'params must be an object'],
    ['scenario "nope"', { scenario: 'nope' }, {}, 'scenario must be one of ticker, llm, burst, chat, binary, agent; got "nope"'],
    ['scenario 5', { scenario: 5 }, {}, 'scenario must be a string; got 5'],
    ['messages []', { messages: [] }, {}, 'messages must be 1 to 100 objects'],
    ['messages "hi"', { messages: 'hi' }, {}, 'messages must be 1 to 100 objects'],
    ['a message without content', { messages: [{ role: 'user' }] }, {}, 'messages must be 1 to 100 objects'],
    ['a message with a number as role', { messages: [{ role: 1, content: 'x' }] }, {}, 'messages must be'],
    ['a message that is a string', { messages: ['hi'] }, {}, 'messages must be'],
    ['101 messages', { messages: Array.from({ length: 101 }, () => ({ role: 'user', content: 'x' })) }, {}, 'messages must be 1 to 100'],
    ['options.retry -1', { ...TICKER_BODY, options: { retry: -1 } }, {}, 'retry must be an integer from 0 to 60000'],
    ['options.flakyFrames "x"', { ...TICKER_BODY, options: { flakyFrames: 'x' } }, {}, 'flakyFrames must be'],
    ['options as a string', { ...TICKER_BODY, options: 'fast' }, {}, 'options must be an object'],
    ['after "abc"', { ...TICKER_BODY, after: 'abc' }, {}, 'after must be a non-negative integer'],
    ['after -1', { ...TICKER_BODY, after: -1 }, {}, 'after must be a non-negative integer'],
    ['a bad Last-Event-ID', TICKER_BODY, { 'Last-Event-ID': 'x1' }, 'Last-Event-ID must be a non-negative integer'],
    ['run with a space', { ...TICKER_BODY, run: 'a b' }, {}, 'run must be'],
  ])('%s → 400 naming the field', async (_what, body, headers, message) => {
    const { http, lab } = await startLab();
    const answer = await post(`${http}/api/stream`, body, headers);
    expect(answer.status).toBe(400);
    expect(errorOf(answer.body)).toContain(message);
    expect(lab.stats().opened.fetch).toBe(0);
  });

  it('a body over 16 KiB → 400; 16 KiB exactly is fine', async () => {
    const { http, lab } = await startLab();
    const fits = JSON.stringify({ ...TICKER_BODY, params: { rate: 1000, count: 1 } }).padEnd(16 * 1024, ' ');
    expect(Buffer.byteLength(fits)).toBe(16_384);
    const exact = await fetch(`${http}/api/stream`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: fits });
    expect(exact.status).toBe(200);
    await exact.text();

    const answer = await post(`${http}/api/stream`, `${fits} `);
    expect(answer.status).toBe(400);
    expect(errorOf(answer.body)).toBe('the body must be at most 16384 bytes');

    // A big upload is refused just the same, not cut at the socket.
    const huge = await post(`${http}/api/stream`, { ...TICKER_BODY, pad: 'x'.repeat(1_000_000) });
    expect(huge.status).toBe(400);
    expect(errorOf(huge.body)).toContain('16384');
    expect(lab.stats().opened.fetch).toBe(1);
    await expectQuiet(lab);
  });
});
