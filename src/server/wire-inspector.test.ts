import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { base64Length, BINARY_HEADER_BYTES } from '../protocol/binary-frame.ts';
import { encodeFrame } from '../protocol/frame.ts';
import { encodeSseEvent } from '../protocol/sse-encoding.ts';
import type { StreamRecord } from '../protocol/stream-log.ts';
import { frameHeaderBytes, WEBSOCKET_GUID } from '../protocol/websocket-wire.ts';
import { errorOf, runCleanups, SseStream, startLab, wsAttempt, WsClient, type Lab } from './test-support.ts';

afterEach(runCleanups);

async function runLog(lab: Lab, run: string): Promise<StreamRecord[]> {
  const res = await fetch(`${lab.http}/api/runs?run=${run}`);
  return ((await res.json()) as { streams: StreamRecord[] }).streams;
}

/** The server writes its log entry for a frame as it sends it; wait until all are in. */
async function settledLog(lab: Lab, run: string, frames: number): Promise<StreamRecord[]> {
  for (;;) {
    const log = await runLog(lab, run);
    if (log.length > 0 && log.every((r) => r.wire.frames >= frames && r.stoppedAt !== null)) return log;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const header = (head: { headers: [string, string][] }, name: string) =>
  head.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];

describe('handshake record', () => {
  it('keeps the SSE request and the 200 text/event-stream answer as they went over the wire', async () => {
    const lab = await startLab();
    const stream = await SseStream.open(`${lab.http}/api/sse?scenario=ticker&count=2&rate=1000&run=hs-sse`);
    await stream.finished;
    const [record] = await settledLog(lab, 'hs-sse', 2);
    const hs = record.handshake;
    expect(hs?.simulated).toBe(false);
    expect(hs?.request.line).toBe('GET /api/sse?scenario=ticker&count=2&rate=1000&run=hs-sse HTTP/1.1');
    expect(header(hs!.request, 'accept')).toBe('text/event-stream');
    expect(hs?.response.line).toBe('HTTP/1.1 200 OK');
    expect(header(hs!.response, 'content-type')).toBe('text/event-stream; charset=utf-8');
    expect(header(hs!.response, 'cache-control')).toBe('no-cache, no-transform');
    expect(header(hs!.response, 'transfer-encoding')).toBe('chunked');
    expect(hs!.response.bytes).toBeGreaterThan(100);
  });

  it('keeps the POST and its body for fetch + SSE', async () => {
    const lab = await startLab();
    const body = { scenario: 'ticker', params: { count: 1, rate: 1000 }, run: 'hs-post' };
    const stream = await SseStream.post(`${lab.http}/api/stream`, body);
    await stream.finished;
    const [record] = await settledLog(lab, 'hs-post', 1);
    expect(record.transport).toBe('fetch');
    expect(record.handshake?.request.line).toBe('POST /api/stream HTTP/1.1');
    expect(header(record.handshake!.request, 'content-type')).toBe('application/json');
    expect(JSON.parse(record.handshake!.requestBody ?? '')).toEqual(body);
  });

  it('keeps the upgrade and a 101 whose Sec-WebSocket-Accept matches the key', async () => {
    const lab = await startLab();
    const client = await WsClient.open(`${lab.ws}/api/ws?scenario=ticker&count=2&rate=1000&run=hs-ws`);
    await client.closed;
    const [record] = await settledLog(lab, 'hs-ws', 2);
    const hs = record.handshake!;
    expect(hs.request.line).toBe('GET /api/ws?scenario=ticker&count=2&rate=1000&run=hs-ws HTTP/1.1');
    expect(header(hs.request, 'upgrade')).toBe('websocket');
    expect(header(hs.request, 'sec-websocket-version')).toBe('13');
    expect(hs.response.line).toBe('HTTP/1.1 101 Switching Protocols');
    expect(header(hs.response, 'upgrade')).toBe('websocket');
    const key = header(hs.request, 'sec-websocket-key') ?? '';
    const accept = createHash('sha1').update(key + WEBSOCKET_GUID).digest('base64');
    expect(header(hs.response, 'sec-websocket-accept')).toBe(accept);
  });
});

describe('wire bytes per frame', () => {
  it('SSE: the event as encoded, plus the chunked-encoding line on the socket', async () => {
    const lab = await startLab();
    const stream = await SseStream.open(`${lab.http}/api/sse?scenario=ticker&count=1&size=100&run=wb-sse`);
    await stream.finished;
    const [frame] = stream.frames;
    const [record] = await settledLog(lab, 'wb-sse', 1);
    const payload = Buffer.byteLength(encodeFrame(frame));
    const event = Buffer.byteLength(encodeSseEvent({ id: '1', data: encodeFrame(frame) }));
    expect(record.wire).toEqual({
      frames: 1,
      payloadBytes: payload,
      messageBytes: event,
      // HTTP/1.1 chunk: "<length in hex>\r\n" + event + "\r\n"
      socketBytes: event.toString(16).length + 2 + event + 2,
    });
    expect(event - payload).toBe('id: 1\n'.length + 'data: '.length + '\n\n'.length);
  });

  it('WebSocket: the message plus a 2-byte header up to 125 bytes, 4 bytes above', async () => {
    const lab = await startLab();
    for (const [size, run] of [
      [16, 'wb-small'],
      [100, 'wb-large'],
    ] as const) {
      const client = await WsClient.open(`${lab.ws}/api/ws?scenario=ticker&count=1&size=${size}&run=${run}`);
      await client.closed;
      const payload = Buffer.byteLength(encodeFrame(client.frames[0]));
      const [record] = await settledLog(lab, run, 1);
      expect(record.wire).toEqual({
        frames: 1,
        payloadBytes: payload,
        messageBytes: payload + frameHeaderBytes(payload),
        socketBytes: payload + frameHeaderBytes(payload),
      });
      expect(frameHeaderBytes(payload)).toBe(payload <= 125 ? 2 : 4);
    }
  });

  it('binary: WebSocket sends raw bytes, SSE the same bytes in base64, about a third more', async () => {
    const lab = await startLab();
    const query = 'scenario=binary&count=5&size=1024&rate=1000';
    const client = await WsClient.open(`${lab.ws}/api/ws?${query}&run=bin`);
    const stream = await SseStream.open(`${lab.http}/api/sse?${query}&run=bin`);
    await Promise.all([client.closed, stream.finished]);
    expect(client.binarySizes).toEqual(Array(5).fill(BINARY_HEADER_BYTES + 1024));
    const sseFrames = stream.events.filter((e) => e.type === 'bytes');
    expect(sseFrames.map((e) => e.data.length)).toEqual(Array(5).fill(base64Length(BINARY_HEADER_BYTES + 1024)));
    // Same frames either way.
    expect(client.frames.map((f) => f.data)).toEqual(client.frames.map(() => client.frames[0].data));
    const log = await settledLog(lab, 'bin', 5);
    const ws = log.find((r) => r.transport === 'ws')!;
    const sse = log.find((r) => r.transport === 'sse')!;
    expect(ws.wire.payloadBytes).toBe(5 * (BINARY_HEADER_BYTES + 1024));
    expect(sse.wire.payloadBytes).toBe(5 * base64Length(BINARY_HEADER_BYTES + 1024));
    expect(sse.wire.payloadBytes / ws.wire.payloadBytes).toBeCloseTo(4 / 3, 2);
  });
});

describe('Origin check on WebSocket upgrades', () => {
  it('answers 403 with a JSON reason to a foreign Origin, and records it', async () => {
    const lab = await startLab();
    const attempt = await wsAttempt(`${lab.ws}/api/ws?scenario=ticker&run=evil`, { origin: 'https://evil.example' });
    expect(attempt.kind).toBe('refused');
    if (attempt.kind !== 'refused') return;
    expect(attempt.status).toBe(403);
    expect(attempt.contentType).toBe('application/json; charset=utf-8');
    expect(errorOf(JSON.parse(attempt.body))).toContain('https://evil.example');
    expect(lab.lab.stats().forbiddenOrigin).toBe(1);
    expect(lab.lab.stats().open.ws).toBe(0);
    const [record] = await runLog(lab, 'evil');
    expect(record.reason).toBe('refused');
    expect(record.handshake?.response.line).toBe('HTTP/1.1 403 Forbidden');
    expect(header(record.handshake!.request, 'origin')).toBe('https://evil.example');
    expect(JSON.parse(record.handshake?.body ?? '')).toEqual({ error: expect.stringContaining('no CORS') });
  });

  it('lets in its own host, listed origins and clients that send no Origin', async () => {
    const lab = await startLab({ allowedOrigins: ['https://trusted.example'] });
    const host = new URL(lab.http).host;
    for (const origin of [`http://${host}`, 'https://trusted.example', undefined]) {
      const attempt = await wsAttempt(`${lab.ws}/api/ws?scenario=ticker`, origin ? { origin } : {});
      expect(attempt, String(origin)).toEqual({ kind: 'open' });
    }
    expect(lab.lab.stats().forbiddenOrigin).toBe(0);
  });

  it('does not check Origin on SSE: the browser enforces CORS there, and the lab sends no CORS headers', async () => {
    const lab = await startLab();
    const stream = await SseStream.open(`${lab.http}/api/sse?scenario=ticker&count=1`, { Origin: 'https://evil.example' });
    await stream.finished;
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('lets a listed origin read SSE with Access-Control-Allow-Origin', async () => {
    const lab = await startLab({ allowedOrigins: ['https://trusted.example'] });
    const stream = await SseStream.open(`${lab.http}/api/sse?scenario=ticker&count=1`, { Origin: 'https://trusted.example' });
    await stream.finished;
    expect(stream.response.headers.get('access-control-allow-origin')).toBe('https://trusted.example');
    expect(stream.response.headers.get('vary')).toBe('Origin');
  });
});

describe('GET /api/memory', () => {
  it('measures server memory per open SSE stream and per WebSocket, and closes them again', { timeout: 30_000 }, async () => {
    const lab = await startLab();
    const res = await fetch(`${lab.http}/api/memory?n=40`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<'sse' | 'ws', { connections: number; bytesPerConnection: number }>;
    for (const kind of ['sse', 'ws'] as const) {
      expect(body[kind].connections).toBe(40);
      // A socket, its parser or WebSocket state, a player: kilobytes, never nothing.
      expect(body[kind].bytesPerConnection).toBeGreaterThan(500);
      expect(body[kind].bytesPerConnection).toBeLessThan(1_000_000);
    }
    expect(lab.lab.stats().opened).toMatchObject({ sse: 40, ws: 40 });
    await expect.poll(() => lab.lab.stats().open).toEqual({ sse: 0, fetch: 0, ws: 0 });
  });

  it('runs one measurement at a time: a second request meanwhile gets 409', async () => {
    const lab = await startLab();
    const [first, second] = await Promise.all([fetch(`${lab.http}/api/memory?n=20`), fetch(`${lab.http}/api/memory?n=20`)]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const refused = first.status === 409 ? first : second;
    expect(errorOf(await refused.json())).toMatch(/already running/);
    // Then one per MEMORY_PROBE_COOLDOWN_MS: each pauses the server for two full collections.
    const soon = await fetch(`${lab.http}/api/memory?n=20`);
    expect(soon.status).toBe(429);
    expect(Number(soon.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(errorOf(await soon.json())).toMatch(/MEMORY_PROBE_COOLDOWN_MS/);
    expect((await fetch(`${lab.http}/api/info`)).status).toBe(200);
  });

  it('measures again once the cooldown has passed', { timeout: 30_000 }, async () => {
    const lab = await startLab({ memoryProbeCooldownMs: 0 });
    expect((await fetch(`${lab.http}/api/memory?n=10`)).status).toBe(200);
    const again = await fetch(`${lab.http}/api/memory?n=10`);
    expect(again.status).toBe(200);
    const body = (await again.json()) as { sse: { rssPerConnection: number | null } };
    // RSS can fall while the streams are open (GC returns pages): then it is null, never negative.
    expect(body.sse.rssPerConnection === null || body.sse.rssPerConnection >= 0).toBe(true);
  });

  it('refuses an out-of-range count with a JSON reason', async () => {
    const lab = await startLab();
    for (const n of ['5', '5000', 'lots']) {
      const res = await fetch(`${lab.http}/api/memory?n=${n}`);
      expect(res.status).toBe(400);
      expect(errorOf(await res.json())).toMatch(/n must be an integer from 10 to 1000/);
    }
  });
});

describe('GET /api/runs?from=N: a poll asks only for what may have changed', () => {
  it('returns the records numbered N or later; an open stream keeps coming back until it stops', async () => {
    const lab = await startLab();
    const first = await SseStream.open(`${lab.http}/api/sse?scenario=ticker&count=2&rate=1000&run=from-r`);
    await first.finished;
    const [done] = await settledLog(lab, 'from-r', 2);
    const open = await SseStream.open(`${lab.http}/api/sse?scenario=ticker&count=0&rate=100&run=from-r`);
    await open.until((s) => s.frames.length >= 2, 'two frames');

    const all = await runLog(lab, 'from-r');
    expect(all.map((r) => r.id)).toEqual([done.id, done.id + 1]);
    const from = all[1].id;
    const later = (await (await fetch(`${lab.http}/api/runs?run=from-r&from=${from}`)).json()) as { streams: StreamRecord[] };
    expect(later.streams.map((r) => [r.id, r.stoppedAt])).toEqual([[from, null]]);

    open.abort();
    await open.finished;
    await expect
      .poll(async () => ((await (await fetch(`${lab.http}/api/runs?run=from-r&from=${from}`)).json()) as { streams: StreamRecord[] }).streams[0].reason)
      .toBe('client-closed');
    const after = (await (await fetch(`${lab.http}/api/runs?run=from-r&from=${from + 1}`)).json()) as { streams: StreamRecord[] };
    expect(after.streams).toEqual([]);
  });

  it.each(['-1', 'x', '1.5'])('from=%s is refused with 400 and a reason', async (value) => {
    const lab = await startLab();
    const res = await fetch(`${lab.http}/api/runs?run=r&from=${value}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(errorOf(await res.json())).toMatch(/^from must be an integer/);
  });
});
