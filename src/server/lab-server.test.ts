/**
 * Integration tests: the real lab server on a plain node:http server, real sockets, Node's fetch for
 * SSE and the `ws` package for WebSocket. No fake timers: every wait is on a condition or an event.
 */
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { createSchedule } from '../protocol/schedule.ts';
import { scenarios } from '../protocol/scenarios.ts';
import { createLabServer } from './lab-server.ts';
import { errorOf, range, runCleanups, seqs, SseStream, startLab, wsAttempt, WsClient } from './test-support.ts';

afterEach(runCleanups);

/** Opens an SSE stream and reads it to its end. */
async function readSse(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const stream = await SseStream.open(url, headers);
  await stream.finished;
  return stream;
}

/** Opens a WebSocket that the server must refuse; resolves with the HTTP status and JSON body. */
async function wsRejection(url: string): Promise<{ status: number; contentType: string; body: unknown }> {
  const attempt = await wsAttempt(url);
  if (attempt.kind !== 'refused') throw new Error(`${url} was not refused: ${JSON.stringify(attempt)}`);
  return { status: attempt.status, contentType: attempt.contentType, body: JSON.parse(attempt.body) as unknown };
}

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

describe('GET /api/ws', () => {
  it('streams frames 1..N, then done, then closes normally', async () => {
    const { ws } = await startLab();
    const client = await WsClient.open(`${ws}/api/ws?scenario=ticker&count=12&rate=2000`);
    const closed = await client.closed;
    expect(closed).toEqual({ code: 1000, reason: 'complete' });
    expect(seqs(client.frames)).toEqual(range(1, 12));
    expect(client.messages[client.messages.length - 1]).toEqual({ type: 'done', total: 12 });
  });

  it('resumes after ?after=20', async () => {
    const { ws } = await startLab();
    const client = await WsClient.open(`${ws}/api/ws?scenario=ticker&count=30&rate=2000&after=20`);
    await client.closed;
    expect(seqs(client.frames)).toEqual(range(21, 30));
    expect(client.messages[client.messages.length - 1]).toEqual({ type: 'done', total: 30 });
  });

  it('sends done at once when after is already the last frame', async () => {
    const { ws } = await startLab();
    const client = await WsClient.open(`${ws}/api/ws?scenario=ticker&count=30&after=30`);
    expect(await client.closed).toEqual({ code: 1000, reason: 'complete' });
    expect(client.messages).toEqual([{ type: 'done', total: 30 }]);
  });

  it('answers a ping with a pong echoing t and carrying serverT', async () => {
    const { ws } = await startLab();
    const client = await WsClient.open(`${ws}/api/ws?scenario=ticker&rate=1&count=0`);
    const before = Date.now();
    client.socket.send(JSON.stringify({ type: 'ping', t: 123 }));
    await client.until((c) => c.messages.some((m) => m.type === 'pong'), 'a pong');
    const pong = client.messages.find((m) => m.type === 'pong');
    expect(pong).toEqual({ type: 'pong', t: 123, serverT: expect.any(Number) });
    if (pong?.type !== 'pong') throw new Error('unreachable');
    expect(pong.serverT).toBeGreaterThanOrEqual(before - 50);
    expect(pong.serverT).toBeLessThanOrEqual(Date.now() + 50);
  });

  it('answers garbage with an error message and keeps the socket open', async () => {
    const { ws } = await startLab();
    const client = await WsClient.open(`${ws}/api/ws?scenario=ticker&rate=1&count=0`);
    const errors = () => client.messages.filter((m) => m.type === 'error');

    client.socket.send('this is not json');
    await client.until(() => errors().length === 1, 'an error for text garbage');
    expect(errors()[0]).toEqual({ type: 'error', error: expect.stringContaining('not JSON') });

    client.socket.send(JSON.stringify({ type: 'subscribe' }));
    await client.until(() => errors().length === 2, 'an error for an unknown type');
    expect(errors()[1]).toEqual({ type: 'error', error: expect.stringContaining('"subscribe"') });

    client.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    await client.until(() => errors().length === 3, 'an error for a binary message');
    expect(errors()[2]).toEqual({ type: 'error', error: expect.stringContaining('binary') });

    expect(client.socket.readyState).toBe(WebSocket.OPEN);
    client.socket.send(JSON.stringify({ type: 'ping', t: 7 }));
    await client.until((c) => c.messages.some((m) => m.type === 'pong'), 'a pong after the errors');
    expect(client.messages.find((m) => m.type === 'pong')).toMatchObject({ type: 'pong', t: 7 });
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
  });

  it.each(['abc', '-1', '2.5'])('refuses the upgrade for ?after=%s with 400 JSON', async (value) => {
    const { ws } = await startLab();
    const rejection = await wsRejection(`${ws}/api/ws?scenario=ticker&after=${value}`);
    expect(rejection.status).toBe(400);
    expect(rejection.contentType).toMatch(/^application\/json/);
    expect(errorOf(rejection.body)).toContain('after must be a non-negative integer');
  });

  it('refuses an unknown scenario with 400 JSON naming the valid ones', async () => {
    const { ws } = await startLab();
    const rejection = await wsRejection(`${ws}/api/ws?scenario=telepathy`);
    expect(rejection.status).toBe(400);
    expect(errorOf(rejection.body)).toBe('scenario must be one of ticker, llm, burst, chat, binary; got "telepathy"');
  });
});

describe('bad scenario parameters', () => {
  const cases = scenarios.flatMap((s) =>
    s.params.flatMap((p) =>
      (
        [
          ['below min', String(p.min - 1)],
          ['above max', String(p.max + 1)],
          ['non-numeric', 'lots'],
        ] as const
      ).map(([what, value]) => ({ scenario: s.name, param: p.name, min: p.min, max: p.max, what, value })),
    ),
  );

  it.each(cases)('$scenario.$param $what ($value) → 400 on SSE and on the WebSocket upgrade', async (c) => {
    const { http, ws, lab } = await startLab();
    const query = `scenario=${c.scenario}&${c.param}=${encodeURIComponent(c.value)}`;

    const res = await fetch(`${http}/api/sse?${query}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const sseError = errorOf(await res.json());
    expect(sseError).toContain(c.param);
    expect(sseError).toContain(`from ${c.min} to ${c.max}`);

    const rejection = await wsRejection(`${ws}/api/ws?${query}`);
    expect(rejection.status).toBe(400);
    // The same message on both transports.
    expect(errorOf(rejection.body)).toBe(sseError);

    expect(lab.stats().opened).toEqual({ sse: 0, fetch: 0, ws: 0 });
  });
});

describe('other endpoints', () => {
  it('GET /api/info lists the scenarios and their parameters with min, max and default', async () => {
    const { http } = await startLab({ version: '9.8.7' });
    const res = await fetch(`${http}/api/info`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body: unknown = await res.json();
    expect(body).toMatchObject({ name: 'sse-vs-websocket-lab', version: '9.8.7', retryMs: 1000 });
    expect(body).toMatchObject({
      scenarios: [
        {
          name: 'ticker',
          params: [
            { name: 'rate', min: 1, max: 20_000, default: 200 },
            { name: 'size', min: 16, max: 65_536, default: 100 },
            { name: 'count', min: 0, max: 10_000_000, default: 0 },
            { name: 'seed', min: 0, max: 2_147_483_647, default: 42 },
          ],
        },
        {
          name: 'llm',
          params: [
            { name: 'ttft', min: 0, max: 10_000, default: 600 },
            { name: 'tokens', min: 1, max: 20_000, default: 300 },
            { name: 'tps', min: 1, max: 2_000, default: 40 },
            { name: 'seed' },
          ],
        },
        {
          name: 'burst',
          params: [
            { name: 'burst', min: 1, max: 10_000, default: 50 },
            { name: 'interval', min: 1, max: 60_000, default: 1_000 },
            { name: 'size' },
            { name: 'count' },
            { name: 'seed' },
          ],
        },
        {
          name: 'chat',
          params: [
            { name: 'messages', min: 1, max: 200, default: 20 },
            { name: 'gap', min: 20, max: 10_000, default: 200 },
            { name: 'rate', min: 1, max: 1_000, default: 20 },
            { name: 'seed' },
          ],
        },
        {
          name: 'binary',
          params: [
            { name: 'rate', min: 1, max: 20_000, default: 50 },
            { name: 'size', min: 16, max: 65_536, default: 1_024 },
            { name: 'count' },
            { name: 'seed' },
          ],
        },
      ],
    });
    // Exactly the catalogue the parsers use.
    expect(body).toEqual(expect.objectContaining({ scenarios: JSON.parse(JSON.stringify(scenarios)) }));
  });

  it('GET /api/stats reports the counters', async () => {
    const { http } = await startLab();
    await readSse(`${http}/api/sse?scenario=ticker&count=4&rate=2000`);
    const res = await fetch(`${http}/api/stats`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ opened: { sse: 1, ws: 0 }, framesSent: 4, writesAfterClose: 0 });
  });

  it('an unknown /api path → 404 JSON', async () => {
    const { http } = await startLab();
    const res = await fetch(`${http}/api/nope`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(errorOf(await res.json())).toContain('/api/nope');
  });

  it('POST → 405 JSON with Allow: GET', async () => {
    const { http } = await startLab();
    for (const path of ['/api/sse', '/api/info', '/api/nope']) {
      const res = await fetch(`${http}${path}`, { method: 'POST', body: '{}' });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('GET');
      expect(errorOf(await res.json())).toContain('POST is not allowed');
    }
  });

  it('/api/ws without an upgrade → 426 JSON', async () => {
    const { http } = await startLab();
    const res = await fetch(`${http}/api/ws?scenario=ticker`);
    expect(res.status).toBe(426);
    expect(errorOf(await res.json())).toContain('WebSocket');
  });

  it('leaves paths outside /api to the host', async () => {
    const { http } = await startLab();
    const res = await fetch(`${http}/index.html`);
    expect(res.status).toBe(418);
    expect(await res.text()).toBe('not mine');
  });
});

describe('same seed, same frames', () => {
  it('the llm scenario gives the same tokens over SSE and over WebSocket', async () => {
    const { http, ws } = await startLab();
    const query = 'scenario=llm&tokens=40&tps=2000&ttft=0&seed=1234';
    const sse = await readSse(`${http}/api/sse?${query}`);
    const client = await WsClient.open(`${ws}/api/ws?${query}`);
    await client.closed;

    const overSse = sse.frames.map((f) => [f.seq, f.kind, f.data]);
    const overWs = client.frames.map((f) => [f.seq, f.kind, f.data]);
    expect(overSse).toHaveLength(41);
    expect(overWs).toEqual(overSse);
    expect(overSse[40]).toEqual([41, 'end', '']);
    // A different seed is a different answer.
    const other = await readSse(`${http}/api/sse?scenario=llm&tokens=40&tps=2000&ttft=0&seed=4321`);
    expect(other.frames.map((f) => f.data).join('')).not.toBe(sse.frames.map((f) => f.data).join(''));
  });
});

describe('resources', () => {
  it('stops every timer and write when clients leave', async () => {
    const { http, ws, lab } = await startLab();
    const sse = await SseStream.open(`${http}/api/sse?scenario=ticker&rate=1000&count=0`);
    const client = await WsClient.open(`${ws}/api/ws?scenario=ticker&rate=1000&count=0`);
    await sse.until((s) => s.frames.length >= 5, 'five SSE frames');
    await client.until((c) => c.frames.length >= 5, 'five WebSocket frames');
    expect(lab.stats().open).toEqual({ sse: 1, fetch: 0, ws: 1 });
    expect(lab.stats().activeTimers).toBeGreaterThan(0);

    sse.abort();
    client.socket.close();
    await vi.waitFor(
      () => {
        const stats = lab.stats();
        expect(stats.open).toEqual({ sse: 0, fetch: 0, ws: 0 });
        expect(stats.activeTimers).toBe(0);
      },
      { timeout: 3_000, interval: 10 },
    );
    const after = lab.stats();
    expect(after.writesAfterClose).toBe(0);
    expect(after.opened).toEqual({ sse: 1, fetch: 0, ws: 1 });

    // Give the old streams every chance to misbehave while a new, short one runs to its end.
    const short = await readSse(`${http}/api/sse?scenario=ticker&rate=100&count=5`);
    expect(seqs(short.frames)).toEqual(range(1, 5));
    await vi.waitFor(
      () => {
        expect(lab.stats()).toMatchObject({ open: { sse: 0, ws: 0 }, activeTimers: 0 });
      },
      { timeout: 3_000, interval: 10 },
    );
    const final = lab.stats();
    expect(final.framesSent).toBe(after.framesSent + 5);
    expect(final.writesAfterClose).toBe(0);
  });

  it('close() ends open streams and their timers', async () => {
    const { http, ws, lab } = await startLab();
    const sse = await SseStream.open(`${http}/api/sse?scenario=ticker&rate=500&count=0`);
    const client = await WsClient.open(`${ws}/api/ws?scenario=ticker&rate=500&count=0`);
    await sse.until((s) => s.frames.length >= 2, 'two SSE frames');
    await client.until((c) => c.frames.length >= 2, 'two WebSocket frames');

    lab.close();
    await sse.finished;
    await client.closed;
    expect(lab.stats()).toMatchObject({ open: { sse: 0, ws: 0 }, activeTimers: 0, writesAfterClose: 0 });
  });
});

describe('a slow client at the end of an SSE stream', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A response whose last bytes are not yet flushed: end() was called, 'close' has not come. */
  class SlowResponse extends EventEmitter {
    status = 0;
    body = '';
    ended = false;
    writesAfterEnd = 0;
    writeHead(status: number): this {
      this.status = status;
      return this;
    }
    setHeader(): this {
      return this;
    }
    getHeaders(): Record<string, string> {
      return {};
    }
    write(chunk: string): boolean {
      // A real ServerResponse emits ERR_STREAM_WRITE_AFTER_END here, which crashes the host.
      if (this.ended) this.writesAfterEnd++;
      else this.body += chunk;
      return true;
    }
    end(): this {
      this.ended = true;
      return this;
    }
  }

  it('nothing is written after the response has ended, not even a heartbeat', () => {
    vi.useFakeTimers();
    const lab = createLabServer({ heartbeatMs: 50 });
    const req = {
      url: '/api/sse?scenario=ticker&count=2&rate=1000',
      method: 'GET',
      headers: {},
      rawHeaders: [],
      httpVersion: '1.1',
      httpVersionMajor: 1,
      socket: { setNoDelay: () => undefined },
    };
    const res = new SlowResponse();
    expect(lab.handleRequest(req as unknown as IncomingMessage, res as unknown as ServerResponse)).toBe(true);

    vi.advanceTimersByTime(5);
    expect(res.status).toBe(200);
    expect(res.ended).toBe(true);
    expect(res.body).toContain('event: done\n');

    // The client takes its time with the last bytes; several heartbeat periods pass before 'close'.
    vi.advanceTimersByTime(1_000);
    expect(res.writesAfterEnd).toBe(0);
    expect(res.body.endsWith('\n\n')).toBe(true);
    expect(res.body).not.toContain('heartbeat');

    res.emit('close');
    expect(lab.stats()).toMatchObject({ open: { sse: 0, ws: 0 }, activeTimers: 0, writesAfterClose: 0 });
    lab.close();
  });
});
