/**
 * Integration tests of GET /api/sse: the real lab server on a plain node:http server, real sockets,
 * Node's fetch for SSE (and the `ws` package where a test compares with WebSocket). No fake timers:
 * every wait is on a condition or an event.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSchedule } from '../protocol/schedule.ts';
import { readSse } from './lab-server-support.ts';
import { errorOf, range, runCleanups, seqs, SseStream, startLab, WsClient } from './test-support.ts';

afterEach(runCleanups);

// ---------------------------------------------------------------------------------------------------

describe('GET /api/sse', () => {
  it('answers with event-stream headers that no proxy or compressor should touch', async () => {
    const { http } = await startLab();
    const stream = await readSse(`${http}/api/sse?scenario=ticker&count=3&rate=1000`, {
      'Accept-Encoding': 'gzip, deflate, br',
    });
    const { status, headers } = stream.response;
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(headers.get('cache-control')).toContain('no-cache');
    expect(headers.get('cache-control')).toContain('no-transform');
    expect(headers.get('x-accel-buffering')).toBe('no');
    expect(headers.get('content-encoding')).toBeNull();
  });

  it('sends retry first, then frames 1..N with ids, then a done event', async () => {
    const { http } = await startLab();
    const stream = await readSse(`${http}/api/sse?scenario=ticker&count=25&rate=2000&size=16`);
    expect(stream.raw.startsWith('retry: 1000\n\n')).toBe(true);
    expect(stream.retries[0]).toBe(1000);

    const frames = stream.frames;
    expect(seqs(frames)).toEqual(range(1, 25));
    for (const f of frames) {
      expect(f.kind).toBe('tick');
      expect(f.data).toHaveLength(16);
      expect(Math.abs(f.t - Date.now())).toBeLessThan(60_000);
    }
    const messages = stream.events.filter((e) => e.type === 'message');
    expect(messages.map((e) => e.id)).toEqual(range(1, 25).map(String));

    const last = stream.events[stream.events.length - 1];
    expect(last.type).toBe('done');
    expect(JSON.parse(last.data)).toEqual({ type: 'done', total: 25 });
    expect(stream.events.filter((e) => e.type === 'done')).toHaveLength(1);
  });

  it('carries the same payloads as the schedule', async () => {
    const { http } = await startLab();
    const stream = await readSse(`${http}/api/sse?scenario=burst&burst=4&interval=1&count=9&size=20&seed=5`);
    const planned = [];
    const schedule = createSchedule({ scenario: 'burst', params: { burst: 4, interval: 1, count: 9, size: 20, seed: 5 } });
    for (let next = schedule.next(); !next.done; next = schedule.next()) planned.push(next.value);
    expect(stream.frames.map((f) => [f.seq, f.kind, f.data])).toEqual(planned.map((p) => [p.seq, p.kind, p.data]));
  });

  it('resumes after the Last-Event-ID header', async () => {
    const { http } = await startLab();
    const full = await readSse(`${http}/api/sse?scenario=ticker&count=30&rate=2000&seed=3`);
    const resumed = await readSse(`${http}/api/sse?scenario=ticker&count=30&rate=2000&seed=3`, {
      'Last-Event-ID': '20',
    });
    expect(resumed.response.status).toBe(200);
    expect(seqs(resumed.frames)).toEqual(range(21, 30));
    expect(resumed.frames.map((f) => f.data)).toEqual(full.frames.slice(20).map((f) => f.data));
    expect(JSON.parse(resumed.events[resumed.events.length - 1].data)).toEqual({ type: 'done', total: 30 });
  });

  it('resumes after ?after=N too', async () => {
    const { http } = await startLab();
    const resumed = await readSse(`${http}/api/sse?scenario=ticker&count=30&rate=2000&after=20`);
    expect(seqs(resumed.frames)).toEqual(range(21, 30));
  });

  it('resumes an endless stream at a large Last-Event-ID at once', async () => {
    const { http, ws } = await startLab();
    const stream = await SseStream.open(`${http}/api/sse?scenario=ticker&rate=1000&count=0`, {
      'Last-Event-ID': '1000000000',
    });
    await stream.until((s) => s.frames.length >= 3, 'three frames');
    expect(seqs(stream.frames).slice(0, 3)).toEqual([1_000_000_001, 1_000_000_002, 1_000_000_003]);
    stream.abort();

    const client = await WsClient.open(`${ws}/api/ws?scenario=burst&burst=2&interval=1&count=0&after=1000000000`);
    await client.until((c) => c.frames.length >= 3, 'three frames');
    expect(seqs(client.frames).slice(0, 3)).toEqual([1_000_000_001, 1_000_000_002, 1_000_000_003]);
  });

  it('the Last-Event-ID header wins over ?after', async () => {
    const { http } = await startLab();
    const resumed = await readSse(`${http}/api/sse?scenario=ticker&count=10&rate=2000&after=2`, {
      'Last-Event-ID': '7',
    });
    expect(seqs(resumed.frames)).toEqual([8, 9, 10]);
  });

  it('answers 204 (stop reconnecting) when Last-Event-ID is already the last frame', async () => {
    const { http, lab } = await startLab();
    const res = await fetch(`${http}/api/sse?scenario=ticker&count=30&rate=2000`, { headers: { 'Last-Event-ID': '30' } });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    const llm = await fetch(`${http}/api/sse?scenario=llm&tokens=5`, { headers: { 'Last-Event-ID': '6' } });
    expect(llm.status).toBe(204);
    expect(lab.stats().opened.sse).toBe(0);
  });

  it('resuming at the llm end marker sends only the end frame', async () => {
    const { http } = await startLab();
    const stream = await readSse(`${http}/api/sse?scenario=llm&tokens=5&tps=2000&ttft=0`, { 'Last-Event-ID': '5' });
    expect(stream.frames).toMatchObject([{ seq: 6, kind: 'end', data: '' }]);
  });

  it.each([
    ['Last-Event-ID', 'abc'],
    ['Last-Event-ID', '-1'],
    ['Last-Event-ID', '1.5'],
    ['Last-Event-ID', '99999999999999999999'],
  ])('rejects a bad %s header (%s) with 400', async (_name, value) => {
    const { http, lab } = await startLab();
    const res = await fetch(`${http}/api/sse?scenario=ticker`, { headers: { 'Last-Event-ID': value } });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const error = errorOf(await res.json());
    expect(error).toContain('Last-Event-ID');
    expect(error).toContain(JSON.stringify(value));
    expect(lab.stats().opened.sse).toBe(0);
  });

  it.each(['abc', '-1', '1.5', '1e3'])('rejects a bad ?after=%s with 400', async (value) => {
    const { http } = await startLab();
    const res = await fetch(`${http}/api/sse?scenario=ticker&after=${encodeURIComponent(value)}`);
    expect(res.status).toBe(400);
    expect(errorOf(await res.json())).toContain('after must be a non-negative integer');
  });

  it('HEAD answers with the stream headers at once and starts no stream', async () => {
    const { http, lab } = await startLab();
    const res = await fetch(`${http}/api/sse?scenario=ticker&rate=1000&count=0`, {
      method: 'HEAD',
      signal: AbortSignal.timeout(3_000),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(await res.text()).toBe('');
    expect(lab.stats()).toMatchObject({ open: { sse: 0, ws: 0 }, framesSent: 0, activeTimers: 0 });
  });

  it('writes a heartbeat comment while the stream is idle', async () => {
    const { http } = await startLab({ heartbeatMs: 50 });
    const stream = await SseStream.open(`${http}/api/sse?scenario=llm&ttft=2000&tokens=3`);
    await stream.until((s) => s.comments.length > 0, 'a heartbeat');
    expect(stream.comments[0]).toBe('heartbeat');
    expect(stream.raw).toContain('\n: heartbeat\n\n');
    // Before the first frame (ttft is 2 s away).
    expect(stream.events).toEqual([]);
    stream.abort();
  });
});
