/**
 * Integration tests of POST /api/stream (SSE for a POST with a JSON body, what LLM APIs do) and
 * POST /api/auth: the real lab server on node:http, Node's fetch as the client. No fake timers and no
 * fixed sleeps: every wait is on an event or a polled condition with a bound.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Frame } from '../protocol/frame.ts';
import { seedFromText } from '../protocol/stream-body.ts';
import { errorOf, postFault, range, runCleanups, seqs, SseStream, startLab, expectQuiet } from './test-support.ts';

afterEach(async () => {
  await runCleanups();
});

const TICKER_BODY = { scenario: 'ticker', params: { rate: 1000, count: 30, size: 16 } };
const ENDLESS = { scenario: 'ticker', params: { rate: 200, count: 0 } };
const LLM_PARAMS = { tokens: 20, ttft: 0, tps: 1000 };

async function readPost(url: string, body: unknown, headers: Record<string, string> = {}): Promise<SseStream> {
  const stream = await SseStream.post(url, body, headers);
  expect(stream.response.status).toBe(200);
  await stream.finished;
  return stream;
}

interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

/** A request whose answer is JSON (an error, or /api/auth). */
async function requestJson(url: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, init);
  const text = await res.text();
  expect(res.headers.get('content-type'), text).toMatch(/^application\/json/);
  return { status: res.status, headers: res.headers, body: JSON.parse(text) as unknown };
}

/** POST with a raw body (a string is sent as it is, anything else as JSON). */
function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return requestJson(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** The status POST /api/stream answers (its body read to the end). */
async function streamStatus(http: string, body: unknown, headers: Record<string, string> = {}): Promise<number> {
  const res = await fetch(`${http}/api/stream`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  await res.text();
  return res.status;
}

const tokens = (frames: readonly Frame[]) => frames.filter((f) => f.kind === 'token').map((f) => f.data);

// ---------------------------------------------------------------------------------------------------

describe('POST /api/stream', () => {
  it('answers a JSON body with an event stream: retry first, ids 1..30, then done', async () => {
    const { http, lab } = await startLab();
    const stream = await readPost(`${http}/api/stream`, TICKER_BODY);
    const { headers } = stream.response;
    expect(headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(headers.get('cache-control')).toContain('no-cache');
    expect(headers.get('cache-control')).toContain('no-transform');

    expect(stream.raw.startsWith('retry: 1000\n\n')).toBe(true);
    expect(stream.retries).toEqual([1000]);
    const messages = stream.events.filter((e) => e.type === 'message');
    expect(messages.map((e) => e.id)).toEqual(range(1, 30).map(String));
    expect(seqs(stream.frames)).toEqual(range(1, 30));
    for (const frame of stream.frames) {
      expect(frame.kind).toBe('tick');
      expect(frame.data).toHaveLength(16);
    }
    expect(stream.events[stream.events.length - 1].type).toBe('done');
    expect(stream.done).toEqual({ type: 'done', total: 30 });
    expect(stream.failed).toBe(false);

    expect(lab.stats().opened).toEqual({ sse: 0, fetch: 1, ws: 0 });
    await expectQuiet(lab);
  });

  it('carries the same frames as GET /api/sse with the same parameters', async () => {
    const { http, lab } = await startLab();
    const posted = await readPost(`${http}/api/stream`, TICKER_BODY);
    const got = await SseStream.open(`${http}/api/sse?scenario=ticker&rate=1000&count=30&size=16`);
    await got.finished;

    // `t` is the send time: the one field that may differ.
    const payload = (frames: Frame[]) => frames.map((f) => [f.seq, f.kind, f.data]);
    expect(payload(posted.frames)).toEqual(payload(got.frames));
    expect(posted.events.map((e) => [e.type, e.id])).toEqual(got.events.map((e) => [e.type, e.id]));
    expect(posted.done).toEqual(got.done);
    expect(lab.stats().opened).toEqual({ sse: 1, fetch: 1, ws: 0 });
  });

  it('takes retry from the body options', async () => {
    const { http } = await startLab({ retryMs: 2500 });
    const fromServer = await readPost(`${http}/api/stream`, { ...TICKER_BODY, params: { rate: 1000, count: 1 } });
    expect(fromServer.retries).toEqual([2500]);
    const fromBody = await readPost(`${http}/api/stream`, { ...TICKER_BODY, options: { retry: 100 } });
    expect(fromBody.raw.startsWith('retry: 100\n\n')).toBe(true);
  });

  it('accepts a JSON content type with parameters or in capitals', async () => {
    const { http } = await startLab();
    for (const type of ['application/json; charset=utf-8', 'Application/JSON']) {
      const stream = await readPost(`${http}/api/stream`, { ...TICKER_BODY, params: { rate: 1000, count: 2 } }, {
        'Content-Type': type,
      });
      expect(seqs(stream.frames)).toEqual([1, 2]);
    }
  });
});

describe('POST /api/stream with chat messages', () => {
  const hi = [{ role: 'user', content: 'hi' }];

  it('answers with an llm stream: tokens, an end marker, done', async () => {
    const { http } = await startLab();
    const stream = await readPost(`${http}/api/stream`, { messages: hi, params: LLM_PARAMS });
    expect(seqs(stream.frames)).toEqual(range(1, 21));
    expect(stream.frames.slice(0, 20).every((f) => f.kind === 'token' && f.data.length > 0)).toBe(true);
    expect(stream.frames[20]).toMatchObject({ seq: 21, kind: 'end', data: '' });
    expect(stream.done).toEqual({ type: 'done', total: 21 });
    expect(tokens(stream.frames).join('')).toMatch(/^\S/);
  });

  it('the same messages give the same answer; other messages another one', async () => {
    const { http } = await startLab();
    const first = await readPost(`${http}/api/stream`, { messages: hi, params: LLM_PARAMS });
    const again = await readPost(`${http}/api/stream`, { messages: hi, params: LLM_PARAMS });
    const other = await readPost(`${http}/api/stream`, {
      messages: [...hi, { role: 'assistant', content: 'Hello.' }, { role: 'user', content: 'Why SSE?' }],
      params: LLM_PARAMS,
    });
    expect(tokens(again.frames)).toEqual(tokens(first.frames));
    expect(tokens(other.frames)).toHaveLength(20);
    expect(tokens(other.frames)).not.toEqual(tokens(first.frames));
  });

  it('the answer is the llm scenario seeded by the conversation, as GET /api/sse gives it', async () => {
    const { http } = await startLab();
    const posted = await readPost(`${http}/api/stream`, { messages: hi, params: LLM_PARAMS });
    const seed = seedFromText('user:hi');
    const got = await SseStream.open(`${http}/api/sse?scenario=llm&tokens=20&ttft=0&tps=1000&seed=${seed}`);
    await got.finished;
    expect(tokens(posted.frames)).toEqual(tokens(got.frames));

    // An explicit seed wins over the messages.
    const seeded = await readPost(`${http}/api/stream`, { messages: hi, params: { ...LLM_PARAMS, seed: 42 } });
    const plain = await readPost(`${http}/api/stream`, { scenario: 'llm', params: { ...LLM_PARAMS, seed: 42 } });
    expect(tokens(seeded.frames)).toEqual(tokens(plain.frames));
  });
});

describe('POST /api/stream resumes', () => {
  it('after the Last-Event-ID header, with the same payloads', async () => {
    const { http } = await startLab();
    const full = await readPost(`${http}/api/stream`, TICKER_BODY);
    const resumed = await readPost(`${http}/api/stream`, TICKER_BODY, { 'Last-Event-ID': '20' });
    expect(seqs(resumed.frames)).toEqual(range(21, 30));
    expect(resumed.frames.map((f) => f.data)).toEqual(full.frames.slice(20).map((f) => f.data));
    expect(resumed.done).toEqual({ type: 'done', total: 30 });
  });

  it('after `after` in the body; the header wins over it', async () => {
    const { http } = await startLab();
    const fromBody = await readPost(`${http}/api/stream`, { ...TICKER_BODY, after: 20 });
    expect(seqs(fromBody.frames)).toEqual(range(21, 30));
    const both = await readPost(`${http}/api/stream`, { ...TICKER_BODY, after: 2 }, { 'Last-Event-ID': '27' });
    expect(seqs(both.frames)).toEqual([28, 29, 30]);
  });

  it('an llm answer resumes with the rest of the same tokens', async () => {
    const { http } = await startLab();
    const body = { messages: [{ role: 'user', content: 'hi' }], params: LLM_PARAMS };
    const full = await readPost(`${http}/api/stream`, body);
    const resumed = await readPost(`${http}/api/stream`, body, { 'Last-Event-ID': '15' });
    expect(seqs(resumed.frames)).toEqual(range(16, 21));
    expect(resumed.frames.map((f) => f.data)).toEqual(full.frames.slice(15).map((f) => f.data));
  });

  it('answers 204 when everything was already received', async () => {
    const { http, lab } = await startLab();
    const res = await fetch(`${http}/api/stream`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Last-Event-ID': '30' },
      body: JSON.stringify(TICKER_BODY),
    });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect(lab.stats().opened.fetch).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------------

describe('bearer token', () => {
  it('without Authorization → 401 JSON naming the header, with WWW-Authenticate', async () => {
    const { http, lab } = await startLab({ token: 's3cret' });
    const answer = await post(`${http}/api/stream`, TICKER_BODY);
    expect(answer.status).toBe(401);
    expect(errorOf(answer.body)).toContain('Authorization');
    expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
    expect(lab.stats().unauthorized).toBe(1);
    expect(lab.stats().opened.fetch).toBe(0);
  });

  it('a wrong token → 401 saying it is wrong', async () => {
    const { http, lab } = await startLab({ token: 's3cret' });
    for (const authorization of ['Bearer nope', 'Bearer s3cret2', 'Basic czNjcmV0', 's3cret']) {
      const answer = await post(`${http}/api/stream`, TICKER_BODY, { Authorization: authorization });
      expect(answer.status, authorization).toBe(401);
      expect(errorOf(answer.body)).toContain('wrong');
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
    }
    expect(lab.stats().unauthorized).toBe(4);
  });

  it('the right token → the stream; unauthorized counts only the refusals', async () => {
    const { http, lab } = await startLab({ token: 's3cret' });
    await post(`${http}/api/stream`, TICKER_BODY);
    const stream = await readPost(`${http}/api/stream`, TICKER_BODY, { Authorization: 'Bearer s3cret' });
    expect(seqs(stream.frames)).toEqual(range(1, 30));
    expect(stream.done).toEqual({ type: 'done', total: 30 });
    expect(lab.stats().unauthorized).toBe(1);
    expect(lab.stats().opened.fetch).toBe(1);
  });

  it('is checked before the body: a bad body without a token is still 401', async () => {
    const { http, lab } = await startLab({ token: 's3cret' });
    const answer = await post(`${http}/api/stream`, '{not json');
    expect(answer.status).toBe(401);
    expect(lab.stats().unauthorized).toBe(1);
  });

  it('guards POST /api/stream only: GET /api/sse streams without one', async () => {
    const { http } = await startLab({ token: 's3cret' });
    const got = await SseStream.open(`${http}/api/sse?scenario=ticker&rate=1000&count=3`);
    await got.finished;
    expect(got.response.status).toBe(200);
    expect(seqs(got.frames)).toEqual([1, 2, 3]);
  });
});

describe('POST /api/auth', () => {
  it('{"token":"x"} turns auth on at runtime, {"token":null} off again', async () => {
    const { http, lab } = await startLab();
    const info = async () => ((await requestJson(`${http}/api/info`)).body as { auth: { required: boolean } }).auth;
    expect(await info()).toEqual({ required: false });
    expect(await streamStatus(http, { ...TICKER_BODY, params: { count: 1 } })).toBe(200);

    expect(await post(`${http}/api/auth`, { token: 'x' })).toMatchObject({ status: 200, body: { ok: true, required: true } });
    expect(await info()).toEqual({ required: true });
    expect((await post(`${http}/api/stream`, TICKER_BODY)).status).toBe(401);
    const authed = await readPost(`${http}/api/stream`, TICKER_BODY, { Authorization: 'Bearer x' });
    expect(seqs(authed.frames)).toEqual(range(1, 30));

    // Clearing an active token takes that token: without it (any page could try), 401 and nothing changes.
    expect(await post(`${http}/api/auth`, { token: null })).toMatchObject({ status: 401 });
    expect(await info()).toEqual({ required: true });
    expect(await post(`${http}/api/auth`, { token: null }, { Authorization: 'Bearer x' })).toMatchObject({
      status: 200,
      body: { ok: true, required: false },
    });
    expect(await info()).toEqual({ required: false });
    const open = await readPost(`${http}/api/stream`, TICKER_BODY);
    expect(seqs(open.frames)).toEqual(range(1, 30));
    expect(lab.stats().unauthorized).toBe(2);
  });

  it('replaces a token given at start', async () => {
    const { http } = await startLab({ token: 'old' });
    const refused = await post(`${http}/api/auth`, { token: 'new' }, { Authorization: 'Bearer wrong' });
    expect(refused).toMatchObject({ status: 401, body: { error: expect.stringMatching(/current token/) as unknown } });
    expect(await post(`${http}/api/auth`, { token: 'new' }, { Authorization: 'Bearer old' })).toMatchObject({ status: 200 });
    expect((await post(`${http}/api/stream`, TICKER_BODY, { Authorization: 'Bearer old' })).status).toBe(401);
    const stream = await readPost(`${http}/api/stream`, TICKER_BODY, { Authorization: 'Bearer new' });
    expect(stream.done).toEqual({ type: 'done', total: 30 });
  });

  it.each([
    ['not JSON', '{"token":', 'not valid JSON'],
    ['no token', {}, 'send {"token"'],
    ['a number', { token: 5 }, 'send {"token"'],
    ['an empty token', { token: '' }, 'send {"token"'],
    ['a token with a space', { token: 'a b' }, 'send {"token"'],
    ['a token over 200 characters', { token: 'x'.repeat(201) }, 'send {"token"'],
    ['an array', [{ token: 'x' }], 'send {"token"'],
  ])('%s → 400 JSON and auth stays as it was', async (_what, body, message) => {
    const { http } = await startLab();
    const answer = await post(`${http}/api/auth`, body);
    expect(answer.status).toBe(400);
    expect(errorOf(answer.body)).toContain(message);
    expect(await streamStatus(http, { ...TICKER_BODY, params: { count: 1 } })).toBe(200);
  });

  it('GET /api/auth → 405 with Allow: POST', async () => {
    const { http } = await startLab();
    const answer = await requestJson(`${http}/api/auth`);
    expect(answer.status).toBe(405);
    expect(answer.headers.get('allow')).toBe('POST');
  });
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
    ['scenario "nope"', { scenario: 'nope' }, {}, 'scenario must be one of ticker, llm, burst, chat, binary; got "nope"'],
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

// ---------------------------------------------------------------------------------------------------

describe('faults with target fetch', () => {
  it('a drop cuts only the POST streams; the SSE GET stream of the same run goes on', async () => {
    const { http, lab } = await startLab();
    const posted = await SseStream.post(`${http}/api/stream`, { ...ENDLESS, run: 'r1' });
    const got = await SseStream.open(`${http}/api/sse?scenario=ticker&rate=200&count=0&run=r1`);
    await posted.until((s) => s.frames.length >= 3, 'three POST frames');
    await got.until((s) => s.frames.length >= 3, 'three GET frames');
    expect(lab.stats().open).toEqual({ sse: 1, fetch: 1, ws: 0 });

    expect((await postFault(http, { action: 'drop', target: 'fetch', run: 'r1' })).body).toEqual({ ok: true, dropped: 1 });
    await posted.finished;
    expect(posted.failed).toBe(true);
    expect(posted.done).toBeNull();
    const last = Number(posted.events[posted.events.length - 1].id);
    expect(seqs(posted.frames)).toEqual(range(1, last));

    const seen = got.frames.length;
    await got.until((s) => s.frames.length >= seen + 5, 'GET frames after the drop');
    expect(got.ended).toBe(false);
    expect(seqs(got.frames)).toEqual(range(1, got.frames.length));
    expect(lab.stats().dropped).toEqual({ sse: 0, fetch: 1, ws: 0 });
    expect(lab.stats().open).toEqual({ sse: 1, fetch: 0, ws: 0 });

    // Last-Event-ID picks the POST stream up at the next frame.
    const resumed = await SseStream.post(`${http}/api/stream`, { ...ENDLESS, run: 'r1' }, { 'Last-Event-ID': String(last) });
    await resumed.until((s) => s.frames.length >= 3, 'frames after the resume');
    expect(seqs(resumed.frames).slice(0, 3)).toEqual(range(last + 1, last + 3));

    got.abort();
    resumed.abort();
    await expectQuiet(lab);
  });

  it('a drop for sse leaves the POST streams alone; one for all cuts both', async () => {
    const { http, lab } = await startLab();
    const posted = await SseStream.post(`${http}/api/stream`, ENDLESS);
    const got = await SseStream.open(`${http}/api/sse?scenario=ticker&rate=200&count=0`);
    await posted.until((s) => s.frames.length >= 2, 'two POST frames');

    expect((await postFault(http, { action: 'drop', target: 'sse' })).body).toEqual({ ok: true, dropped: 1 });
    await got.finished;
    const seen = posted.frames.length;
    await posted.until((s) => s.frames.length >= seen + 5, 'POST frames after the SSE drop');

    expect((await postFault(http, { action: 'drop' })).body).toEqual({ ok: true, dropped: 1 });
    await posted.finished;
    expect(posted.failed).toBe(true);
    expect(lab.stats().dropped).toEqual({ sse: 1, fetch: 1, ws: 0 });
    await expectQuiet(lab);
  });

  it('http-error with target fetch hits only the next POST stream', async () => {
    const { http, lab } = await startLab();
    expect((await postFault(http, { action: 'http-error', status: 500, target: 'fetch' })).status).toBe(200);

    // A GET stream does not take it.
    const got = await SseStream.open(`${http}/api/sse?scenario=ticker&rate=1000&count=3`);
    await got.finished;
    expect(seqs(got.frames)).toEqual([1, 2, 3]);

    const hit = await post(`${http}/api/stream`, TICKER_BODY);
    expect(hit.status).toBe(500);
    expect(errorOf(hit.body)).toBe('simulated HTTP 500');

    const next = await readPost(`${http}/api/stream`, TICKER_BODY);
    expect(seqs(next.frames)).toEqual(range(1, 30));
    expect(lab.stats().refused).toEqual({ sse: 0, fetch: 1, ws: 0 });
    await expectQuiet(lab);
  });

  it('an http-error without target is for the SSE GET stream, not for POST', async () => {
    const { http, lab } = await startLab();
    await postFault(http, { action: 'http-error', status: 404 });
    const posted = await readPost(`${http}/api/stream`, TICKER_BODY);
    expect(posted.done).toEqual({ type: 'done', total: 30 });
    expect((await fetch(`${http}/api/sse?scenario=ticker&count=1`)).status).toBe(404);
    expect(lab.stats().refused).toEqual({ sse: 1, fetch: 0, ws: 0 });
  });

  it('http-error content-type answers the POST 200 text/plain', async () => {
    const { http } = await startLab();
    await postFault(http, { action: 'http-error', status: 'content-type', target: 'fetch' });
    const res = await fetch(`${http}/api/stream`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(TICKER_BODY),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toContain('not an event stream');
  });

  it('an outage for fetch answers POST 503 while GET streams', async () => {
    const { http, lab } = await startLab();
    await postFault(http, { action: 'outage', mode: '503', ms: 60_000, target: 'fetch' });
    const refused = await post(`${http}/api/stream`, TICKER_BODY);
    expect(refused.status).toBe(503);
    expect((await fetch(`${http}/api/sse?scenario=ticker&count=1`)).status).toBe(200);
    expect(lab.stats().refused).toEqual({ sse: 0, fetch: 1, ws: 0 });
    await postFault(http, { action: 'clear' });
    expect((await readPost(`${http}/api/stream`, TICKER_BODY)).done).toEqual({ type: 'done', total: 30 });
  });
});

describe('resources', () => {
  it('clients leaving: no POST stream, timer or stray write is left', async () => {
    const { http, lab } = await startLab({ heartbeatMs: 50 });
    const streams = await Promise.all([
      SseStream.post(`${http}/api/stream`, ENDLESS),
      SseStream.post(`${http}/api/stream`, { messages: [{ role: 'user', content: 'hi' }], params: { tokens: 20_000, tps: 50, ttft: 0 } }),
      SseStream.post(`${http}/api/stream`, { scenario: 'burst', params: { burst: 10, interval: 20, count: 0 } }),
    ]);
    await Promise.all(streams.map((s) => s.until((x) => x.frames.length >= 1, 'a frame')));
    expect(lab.stats().open.fetch).toBe(3);
    expect(lab.stats().activeTimers).toBeGreaterThan(0);

    for (const stream of streams) stream.abort();
    await expectQuiet(lab);
    expect(lab.stats().opened.fetch).toBe(3);
  });

  it('close() ends open POST streams and their timers', async () => {
    const { http, lab } = await startLab();
    const stream = await SseStream.post(`${http}/api/stream`, ENDLESS);
    await stream.until((s) => s.frames.length >= 2, 'two frames');
    lab.close();
    await stream.finished;
    expect(stream.done).toBeNull();
    await expectQuiet(lab);
  });
});
