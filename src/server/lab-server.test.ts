/**
 * Integration tests: the real lab server on a plain node:http server, real sockets, Node's fetch for
 * SSE and the `ws` package for WebSocket. No fake timers: every wait is on a condition or an event
 * (but for the slow client, which drives a fake response by hand). Here: bad parameters on both
 * transports, the other endpoints, same seed same frames, resources. GET /api/sse is in
 * lab-server-sse.test.ts, GET /api/ws in lab-server-ws.test.ts.
 */
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { scenarios } from '../protocol/scenarios.ts';
import { createLabServer } from './lab-server.ts';
import { readSse, wsRejection } from './lab-server-support.ts';
import { errorOf, range, runCleanups, seqs, SseStream, startLab, WsClient } from './test-support.ts';

afterEach(runCleanups);

// ---------------------------------------------------------------------------------------------------

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
        {
          name: 'agent',
          params: [
            { name: 'turns', min: 1, max: 200, default: 20 },
            { name: 'tokens', min: 1, max: 500, default: 20 },
            { name: 'ttft', min: 0, max: 10_000, default: 100 },
            { name: 'tool', min: 0, max: 60_000, default: 50 },
            { name: 'result', min: 16, max: 2_000, default: 400 },
            { name: 'sessionLoadMs', min: 0, max: 5_000, default: 0 },
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
