/**
 * Integration tests of POST /api/stream (SSE for a POST with a JSON body, what LLM APIs do): the
 * stream itself, chat messages, resuming, resources. The real lab server on node:http, Node's fetch as
 * the client. No fake timers and no fixed sleeps: every wait is on an event or a polled condition with
 * a bound. Auth is in stream-post-auth.test.ts, bad requests in stream-post-validation.test.ts, faults
 * in stream-post-faults.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Frame } from '../protocol/frame.ts';
import { seedFromText } from '../protocol/stream-body.ts';
import { ENDLESS, LLM_PARAMS, readPost, TICKER_BODY, tokens } from './stream-post-support.ts';
import { expectQuiet, range, runCleanups, seqs, SseStream, startLab } from './test-support.ts';

afterEach(async () => {
  await runCleanups();
});

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
