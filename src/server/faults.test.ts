/**
 * Integration tests of fault injection: the real lab server on node:http, POST /api/faults, and what
 * SSE (fetch) and WebSocket (`ws`) clients then see. No fake timers and no fixed sleeps: every wait is
 * on an event or a polled condition with a bound. The outage length is the scenario itself.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  errorOf,
  postFault,
  range,
  runCleanups,
  seqs,
  SseStream,
  startLab,
  WsClient,
  wsAttempt,
  type WsAttempt,
  expectQuiet,
} from './test-support.ts';

afterEach(async () => {
  await runCleanups();
});

const TICKER = 'scenario=ticker&rate=200&count=0';

/** True when the SSE request is answered at all (it fails at the socket during a reset outage). */
async function sseAnswers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await res.body?.cancel();
    return true;
  } catch {
    return false;
  }
}

function contiguous(values: number[]): boolean {
  return values.every((v, i) => i === 0 || v === values[i - 1] + 1);
}

// ---------------------------------------------------------------------------------------------------

describe('POST /api/faults', () => {
  it.each([
    [{ action: 'drop' }, { ok: true, dropped: 0 }],
    [{ action: 'drop', target: 'sse', run: 'r1' }, { ok: true, dropped: 0 }],
    [{ action: 'http-error', status: 404 }, { ok: true }],
    [{ action: 'clear' }, { ok: true }],
    [{ action: 'clear', run: 'r1' }, { ok: true }],
  ])('%j → 200 JSON', async (fault, expected) => {
    const { http } = await startLab();
    const answer = await postFault(http, fault);
    expect(answer.status).toBe(200);
    expect(answer.contentType).toMatch(/^application\/json/);
    expect(answer.body).toEqual(expected);
  });

  it.each(['reset', '503'])('outage %s → 200 JSON with the time it ends', async (mode) => {
    const { http } = await startLab();
    const before = Date.now();
    const answer = await postFault(http, { action: 'outage', mode, ms: 200 });
    expect(answer.status).toBe(200);
    expect(answer.contentType).toMatch(/^application\/json/);
    expect(answer.body).toEqual({ ok: true, dropped: 0, until: expect.any(Number) });
    const { until } = answer.body as { until: number };
    expect(until).toBeGreaterThanOrEqual(before + 200);
    expect(until).toBeLessThanOrEqual(Date.now() + 200);
  });

  it.each([
    ['not JSON', '{"action": "drop"', 'the body is not valid JSON'],
    ['an empty body', '', 'the body is not valid JSON'],
    ['a JSON string', '"drop"', 'the body must be a JSON object'],
    ['a bad action', { action: 'nuke' }, 'action must be'],
    ['a bad target', { action: 'drop', target: 'http2' }, 'target must be'],
    ['a bad mode', { action: 'outage', mode: 'slow' }, 'mode must be'],
    ['ms below 100', { action: 'outage', mode: 'reset', ms: 99 }, 'ms must be an integer from 100 to 60000'],
    ['ms above 60000', { action: 'outage', mode: 'reset', ms: 60_001 }, 'ms must be an integer from 100 to 60000'],
    ['a fractional ms', { action: 'outage', mode: '503', ms: 250.5 }, 'ms must be an integer'],
    ['a bad status', { action: 'http-error', status: 418 }, 'status must be one of'],
    ['a bad run', { action: 'drop', run: 'no spaces' }, 'run must be'],
  ])('%s → 400 JSON {error}', async (_what, body, message) => {
    const { http, lab } = await startLab();
    const answer = await postFault(http, body);
    expect(answer.status).toBe(400);
    expect(answer.contentType).toMatch(/^application\/json/);
    expect(errorOf(answer.body)).toContain(message);
    // Nothing was applied: a stream still opens.
    expect(await sseAnswers(`${http}/api/sse?scenario=ticker&count=1&rate=1000`)).toBe(true);
    expect(lab.stats().refused).toEqual({ sse: 0, fetch: 0, ws: 0 });
  });

  it('a body over 4096 bytes → 400 JSON; 4096 bytes is still fine', async () => {
    const { http } = await startLab();
    const fits = JSON.stringify({ action: 'clear' }).padEnd(4096, ' ');
    expect(Buffer.byteLength(fits)).toBe(4096);
    expect((await postFault(http, fits)).status).toBe(200);

    const tooLong = `${fits} `;
    const answer = await postFault(http, tooLong);
    expect(answer.status).toBe(400);
    expect(answer.contentType).toMatch(/^application\/json/);
    expect(errorOf(answer.body)).toBe('the body must be at most 4096 bytes');

    // A big upload is refused just the same, not cut at the socket.
    const huge = await postFault(http, JSON.stringify({ action: 'clear', pad: 'x'.repeat(1_000_000) }));
    expect(huge.status).toBe(400);
    expect(errorOf(huge.body)).toContain('4096');
  });

  it.each(['GET', 'PUT', 'DELETE'])('%s /api/faults → 405 JSON with Allow: POST', async (method) => {
    const { http } = await startLab();
    const res = await fetch(`${http}/api/faults`, { method });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(errorOf(await res.json())).toContain(`${method} is not allowed on /api/faults`);
  });
});

// ---------------------------------------------------------------------------------------------------

describe('drop', () => {
  it('cuts an open SSE stream; Last-Event-ID continues at exactly the next id', async () => {
    const { http, lab } = await startLab();
    const url = `${http}/api/sse?${TICKER}&run=r1`;
    const first = await SseStream.open(url);
    await first.until((s) => s.frames.length >= 5, 'five frames');

    const answer = await postFault(http, { action: 'drop', run: 'r1' });
    expect(answer.body).toEqual({ ok: true, dropped: 1 });
    await first.finished;
    // Cut, not ended: no done event, and the body did not end cleanly.
    expect(first.done).toBeNull();
    expect(first.failed).toBe(true);
    expect(lab.stats().dropped).toEqual({ sse: 1, fetch: 0, ws: 0 });

    const last = Number(first.lastId);
    expect(seqs(first.frames)).toEqual(range(1, last));

    const second = await SseStream.open(url, { 'Last-Event-ID': first.lastId });
    await second.until((s) => s.frames.length >= 5, 'five frames after the resume');
    expect(seqs(second.frames).slice(0, 5)).toEqual(range(last + 1, last + 5));
    const all = [...seqs(first.frames), ...seqs(second.frames)];
    expect(all).toEqual(range(1, all.length));

    second.abort();
    await expectQuiet(lab);
  });

  it('cuts an open WebSocket with 1006; ?after=<last seq> continues at last + 1', async () => {
    const { ws, http, lab } = await startLab();
    const url = `${ws}/api/ws?${TICKER}&run=r1`;
    const first = await WsClient.open(url);
    await first.until((c) => c.frames.length >= 5, 'five frames');

    expect((await postFault(http, { action: 'drop', target: 'ws', run: 'r1' })).body).toEqual({ ok: true, dropped: 1 });
    // ws reports 1006 for a connection cut without a close frame.
    expect(await first.closed).toEqual({ code: 1006, reason: '' });
    expect(first.done).toBeNull();
    expect(lab.stats().dropped).toEqual({ sse: 0, fetch: 0, ws: 1 });

    const last = first.frames[first.frames.length - 1].seq;
    expect(seqs(first.frames)).toEqual(range(1, last));
    const second = await WsClient.open(`${url}&after=${last}`);
    await second.until((c) => c.frames.length >= 5, 'five frames after the resume');
    expect(seqs(second.frames).slice(0, 5)).toEqual(range(last + 1, last + 5));

    second.socket.close();
    await expectQuiet(lab);
  });

  it('hits only its target: a WebSocket drop leaves SSE streaming, and the other way round', async () => {
    const { http, ws, lab } = await startLab();
    const sse = await SseStream.open(`${http}/api/sse?${TICKER}`);
    const client = await WsClient.open(`${ws}/api/ws?${TICKER}`);
    await sse.until((s) => s.frames.length >= 2, 'two SSE frames');

    expect((await postFault(http, { action: 'drop', target: 'ws' })).body).toEqual({ ok: true, dropped: 1 });
    expect((await client.closed).code).toBe(1006);
    const seen = sse.frames.length;
    await sse.until((s) => s.frames.length >= seen + 5, 'SSE frames after the WebSocket drop');

    expect((await postFault(http, { action: 'drop', target: 'sse' })).body).toEqual({ ok: true, dropped: 1 });
    await sse.finished;
    expect(sse.done).toBeNull();
    expect(lab.stats().dropped).toEqual({ sse: 1, fetch: 0, ws: 1 });
    await expectQuiet(lab);
  });

  it('scoped by run: the streams of run r2 survive a drop for r1', async () => {
    const { http, ws, lab } = await startLab();
    const r1Sse = await SseStream.open(`${http}/api/sse?${TICKER}&run=r1`);
    const r1Ws = await WsClient.open(`${ws}/api/ws?${TICKER}&run=r1`);
    const r2Sse = await SseStream.open(`${http}/api/sse?${TICKER}&run=r2`);
    const r2Ws = await WsClient.open(`${ws}/api/ws?${TICKER}&run=r2`);
    const noRun = await SseStream.open(`${http}/api/sse?${TICKER}`);
    await r1Sse.until((s) => s.frames.length >= 2, 'r1 SSE frames');
    await r2Ws.until((c) => c.frames.length >= 2, 'r2 WebSocket frames');

    expect((await postFault(http, { action: 'drop', run: 'r1' })).body).toEqual({ ok: true, dropped: 2 });
    await r1Sse.finished;
    expect((await r1Ws.closed).code).toBe(1006);

    // r2 (and the stream without a run) keep streaming, with nothing missing.
    const sseSeen = r2Sse.frames.length;
    const wsSeen = r2Ws.frames.length;
    await r2Sse.until((s) => s.frames.length >= sseSeen + 10, 'r2 SSE frames after the drop');
    await r2Ws.until((c) => c.frames.length >= wsSeen + 10, 'r2 WebSocket frames after the drop');
    expect(contiguous(seqs(r2Sse.frames))).toBe(true);
    expect(contiguous(seqs(r2Ws.frames))).toBe(true);
    expect(noRun.ended).toBe(false);
    expect(lab.stats().open).toEqual({ sse: 2, fetch: 0, ws: 1 });
    expect(lab.stats().dropped).toEqual({ sse: 1, fetch: 0, ws: 1 });

    // A drop without run hits every run.
    expect((await postFault(http, { action: 'drop' })).body).toEqual({ ok: true, dropped: 3 });
    await Promise.all([r2Sse.finished, r2Ws.closed, noRun.finished]);
    await expectQuiet(lab);
  });
});

// ---------------------------------------------------------------------------------------------------

describe('outage', () => {
  it('reset: new SSE requests fail at the socket and upgrades fail without opening; after ms both work again', async () => {
    const { http, ws, lab } = await startLab();
    const sseUrl = `${http}/api/sse?scenario=ticker&rate=1000&count=3`;
    const wsUrl = `${ws}/api/ws?scenario=ticker&rate=1000&count=3`;
    const answer = await postFault(http, { action: 'outage', mode: 'reset', ms: 600 });
    const { until } = answer.body as { until: number };

    await expect(fetch(sseUrl)).rejects.toThrow();
    const attempt = await wsAttempt(wsUrl);
    expect(attempt).toMatchObject({ kind: 'failed', code: 1006 });
    expect(lab.stats().refused).toEqual({ sse: 1, fetch: 0, ws: 1 });
    expect(lab.stats().opened).toEqual({ sse: 0, fetch: 0, ws: 0 });

    // Poll until the server answers again; that is not before the outage ends.
    await vi.waitFor(
      async () => {
        expect(await sseAnswers(sseUrl)).toBe(true);
      },
      { timeout: 3_000, interval: 25 },
    );
    expect(Date.now()).toBeGreaterThanOrEqual(until);
    expect(await wsAttempt(wsUrl)).toEqual({ kind: 'open' });

    const after = await SseStream.open(sseUrl);
    await after.finished;
    expect(seqs(after.frames)).toEqual([1, 2, 3]);
    expect(after.done).toEqual({ type: 'done', total: 3 });
    await expectQuiet(lab);
  });

  it('503: SSE is answered 503 JSON and the upgrade 503 JSON', async () => {
    const { http, ws, lab } = await startLab();
    await postFault(http, { action: 'outage', mode: '503', ms: 60_000 });

    const res = await fetch(`${http}/api/sse?${TICKER}`);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(errorOf(await res.json())).toBe('service unavailable (simulated outage)');

    const attempt: WsAttempt = await wsAttempt(`${ws}/api/ws?${TICKER}`);
    expect(attempt).toMatchObject({ kind: 'refused', status: 503, contentType: expect.stringMatching(/^application\/json/) });
    if (attempt.kind !== 'refused') throw new Error('unreachable');
    expect(errorOf(JSON.parse(attempt.body))).toBe('service unavailable (simulated outage)');

    expect(lab.stats().refused).toEqual({ sse: 1, fetch: 0, ws: 1 });
    // clear ends it at once.
    await postFault(http, { action: 'clear' });
    expect((await fetch(`${http}/api/sse?scenario=ticker&count=1&rate=1000`)).status).toBe(200);
    expect(await wsAttempt(`${ws}/api/ws?scenario=ticker&count=1`)).toEqual({ kind: 'open' });
    await expectQuiet(lab);
  });

  it('drops the streams that are open when it starts', async () => {
    const { http, ws, lab } = await startLab();
    const sse = await SseStream.open(`${http}/api/sse?${TICKER}`);
    const client = await WsClient.open(`${ws}/api/ws?${TICKER}`);
    await sse.until((s) => s.frames.length >= 2, 'two SSE frames');
    await client.until((c) => c.frames.length >= 2, 'two WebSocket frames');

    const answer = await postFault(http, { action: 'outage', mode: '503', ms: 60_000 });
    expect(answer.body).toMatchObject({ ok: true, dropped: 2 });
    await sse.finished;
    expect(sse.done).toBeNull();
    expect((await client.closed).code).toBe(1006);
    expect(lab.stats().dropped).toEqual({ sse: 1, fetch: 0, ws: 1 });
    await postFault(http, { action: 'clear' });
    await expectQuiet(lab);
  });

  it('scoped by target and run: other transports and runs connect as usual', async () => {
    const { http, ws, lab } = await startLab();
    await postFault(http, { action: 'outage', mode: '503', ms: 60_000, target: 'ws', run: 'r1' });
    expect(await wsAttempt(`${ws}/api/ws?${TICKER}&run=r1`)).toMatchObject({ kind: 'refused', status: 503 });
    expect(await wsAttempt(`${ws}/api/ws?${TICKER}&run=r2`)).toEqual({ kind: 'open' });
    expect(await wsAttempt(`${ws}/api/ws?${TICKER}`)).toEqual({ kind: 'open' });
    expect((await fetch(`${http}/api/sse?scenario=ticker&count=1&run=r1`)).status).toBe(200);
    expect(lab.stats().refused).toEqual({ sse: 0, fetch: 0, ws: 1 });

    // clear for another run leaves it on; clear for r1 ends it.
    await postFault(http, { action: 'clear', run: 'r2' });
    expect(await wsAttempt(`${ws}/api/ws?${TICKER}&run=r1`)).toMatchObject({ kind: 'refused', status: 503 });
    await postFault(http, { action: 'clear', run: 'r1' });
    expect(await wsAttempt(`${ws}/api/ws?${TICKER}&run=r1`)).toEqual({ kind: 'open' });
    await expectQuiet(lab);
  });
});

// ---------------------------------------------------------------------------------------------------

describe('http-error', () => {
  it.each([404, 500, 503])('%i: the next SSE request of the run gets it as JSON, the one after streams', async (status) => {
    const { http, lab } = await startLab();
    const url = `${http}/api/sse?scenario=ticker&count=3&rate=1000&run=r1`;
    expect((await postFault(http, { action: 'http-error', status, run: 'r1' })).status).toBe(200);

    const hit = await fetch(url);
    expect(hit.status).toBe(status);
    expect(hit.headers.get('content-type')).toMatch(/^application\/json/);
    expect(errorOf(await hit.json())).toBe(`simulated HTTP ${status}`);

    const next = await SseStream.open(url);
    await next.finished;
    expect(next.response.status).toBe(200);
    expect(seqs(next.frames)).toEqual([1, 2, 3]);
    expect(next.done).toEqual({ type: 'done', total: 3 });
    expect(lab.stats().refused).toEqual({ sse: 1, fetch: 0, ws: 0 });
    await expectQuiet(lab);
  });

  it('204: the next SSE request is answered 204 with an empty body', async () => {
    const { http, lab } = await startLab();
    await postFault(http, { action: 'http-error', status: 204 });
    const hit = await fetch(`${http}/api/sse?${TICKER}`);
    expect(hit.status).toBe(204);
    expect(await hit.text()).toBe('');
    expect(lab.stats().opened.sse).toBe(0);
    expect((await fetch(`${http}/api/sse?scenario=ticker&count=1`)).status).toBe(200);
    await expectQuiet(lab);
  });

  it('content-type: the next SSE request is answered 200 text/plain', async () => {
    const { http, lab } = await startLab();
    await postFault(http, { action: 'http-error', status: 'content-type' });
    const hit = await fetch(`${http}/api/sse?${TICKER}`);
    expect(hit.status).toBe(200);
    expect(hit.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await hit.text()).toContain('not an event stream');
    const next = await fetch(`${http}/api/sse?scenario=ticker&count=1`);
    expect(next.headers.get('content-type')).toMatch(/^text\/event-stream/);
    await next.text();
    await expectQuiet(lab);
  });

  it('is taken only by a request of its run, and not by a WebSocket', async () => {
    const { http, ws, lab } = await startLab();
    await postFault(http, { action: 'http-error', status: 500, run: 'r1' });

    expect((await fetch(`${http}/api/sse?scenario=ticker&count=1&run=r2`)).status).toBe(200);
    expect((await fetch(`${http}/api/sse?scenario=ticker&count=1`)).status).toBe(200);
    const wsStream = await WsClient.open(`${ws}/api/ws?scenario=ticker&count=2&rate=1000&run=r1`);
    expect((await wsStream.closed).code).toBe(1000);

    expect((await fetch(`${http}/api/sse?scenario=ticker&count=1&run=r1`)).status).toBe(500);
    expect((await fetch(`${http}/api/sse?scenario=ticker&count=1&run=r1`)).status).toBe(200);
    expect(lab.stats().refused).toEqual({ sse: 1, fetch: 0, ws: 0 });
    await expectQuiet(lab);
  });
});

// ---------------------------------------------------------------------------------------------------

describe('flaky connections', () => {
  it('flakyFrames=10 cuts every SSE connection after exactly 10 frames; Last-Event-ID resumes', async () => {
    const { http, lab } = await startLab();
    const url = `${http}/api/sse?scenario=ticker&rate=1000&count=35&flakyFrames=10`;
    const perConnection: number[][] = [];
    let lastId: string | null = null;
    for (let i = 0; i < 10; i++) {
      const stream = await SseStream.open(url, lastId === null ? {} : { 'Last-Event-ID': lastId });
      await stream.finished;
      perConnection.push(seqs(stream.frames));
      if (stream.done) break;
      expect(stream.failed).toBe(true);
      lastId = stream.lastId;
    }
    expect(perConnection).toEqual([range(1, 10), range(11, 20), range(21, 30), range(31, 35)]);
    expect(lab.stats().dropped).toEqual({ sse: 3, fetch: 0, ws: 0 });
    await expectQuiet(lab);
  });

  it('flakyFrames=10 cuts every WebSocket after exactly 10 frames (1006); ?after resumes', async () => {
    const { ws, lab } = await startLab();
    const perConnection: number[][] = [];
    const codes: number[] = [];
    let after = 0;
    for (let i = 0; i < 10; i++) {
      const client = await WsClient.open(`${ws}/api/ws?scenario=ticker&rate=1000&count=35&flakyFrames=10&after=${after}`);
      codes.push((await client.closed).code);
      perConnection.push(seqs(client.frames));
      if (client.done) break;
      after = client.frames[client.frames.length - 1].seq;
    }
    expect(perConnection).toEqual([range(1, 10), range(11, 20), range(21, 30), range(31, 35)]);
    expect(codes).toEqual([1006, 1006, 1006, 1000]);
    expect(lab.stats().dropped).toEqual({ sse: 0, fetch: 0, ws: 3 });
    await expectQuiet(lab);
  });

  it('flakyMs=200 cuts an SSE connection and a WebSocket about 200 ms after they open', async () => {
    const { http, ws, lab } = await startLab();
    const sseStart = Date.now();
    const sse = await SseStream.open(`${http}/api/sse?${TICKER}&flakyMs=200`);
    await sse.finished;
    const sseLasted = sse.endedAt - sseStart;

    const wsStart = Date.now();
    const client = await WsClient.open(`${ws}/api/ws?${TICKER}&flakyMs=200`);
    expect((await client.closed).code).toBe(1006);
    const wsLasted = client.closedAt - wsStart;

    for (const lasted of [sseLasted, wsLasted]) {
      expect(lasted).toBeGreaterThanOrEqual(190);
      expect(lasted).toBeLessThan(800);
    }
    expect(sse.failed).toBe(true);
    expect(sse.done).toBeNull();
    // At 200 frames/s, about 40 frames made it; none missing.
    for (const frames of [sse.frames, client.frames]) {
      expect(frames.length).toBeGreaterThan(10);
      expect(frames.length).toBeLessThan(150);
      expect(seqs(frames)).toEqual(range(1, frames.length));
    }
    expect(lab.stats().dropped).toEqual({ sse: 1, fetch: 0, ws: 1 });
    // The flaky timer fired and is gone: nothing counted twice.
    await expectQuiet(lab);
  });

  it('a stream that ends before its flakyMs timer leaves no timer behind', async () => {
    const { http, ws, lab } = await startLab();
    const sse = await SseStream.open(`${http}/api/sse?scenario=ticker&rate=1000&count=5&flakyMs=60000`);
    const client = await WsClient.open(`${ws}/api/ws?scenario=ticker&rate=1000&count=5&flakyMs=60000`);
    await sse.finished;
    expect((await client.closed).code).toBe(1000);
    expect(seqs(sse.frames)).toEqual(range(1, 5));
    expect(seqs(client.frames)).toEqual(range(1, 5));
    expect(lab.stats().dropped).toEqual({ sse: 0, fetch: 0, ws: 0 });
    await expectQuiet(lab);
  });
});

// ---------------------------------------------------------------------------------------------------

describe('stats', () => {
  it('refused and dropped count what the faults did; afterwards nothing is left open', async () => {
    const { http, ws, lab } = await startLab();
    expect(lab.stats()).toMatchObject({ refused: { sse: 0, ws: 0 }, dropped: { sse: 0, ws: 0 } });

    const sse = await SseStream.open(`${http}/api/sse?${TICKER}`);
    const client = await WsClient.open(`${ws}/api/ws?${TICKER}`);
    await sse.until((s) => s.frames.length >= 1, 'an SSE frame');
    await client.until((c) => c.frames.length >= 1, 'a WebSocket frame');
    await postFault(http, { action: 'drop' });
    await sse.finished;
    await client.closed;
    expect(lab.stats()).toMatchObject({ refused: { sse: 0, ws: 0 }, dropped: { sse: 1, ws: 1 } });

    // A drop with nothing open counts nothing.
    expect((await postFault(http, { action: 'drop' })).body).toEqual({ ok: true, dropped: 0 });

    await postFault(http, { action: 'http-error', status: 404 });
    await fetch(`${http}/api/sse?${TICKER}`);
    await postFault(http, { action: 'outage', mode: '503', ms: 60_000 });
    await fetch(`${http}/api/sse?${TICKER}`);
    await wsAttempt(`${ws}/api/ws?${TICKER}`);
    await wsAttempt(`${ws}/api/ws?${TICKER}`);
    expect(lab.stats()).toMatchObject({ refused: { sse: 2, ws: 2 }, dropped: { sse: 1, ws: 1 } });

    // A 400 for a bad request is not a refusal by a fault.
    await postFault(http, { action: 'clear' });
    expect((await fetch(`${http}/api/sse?scenario=nope`)).status).toBe(400);
    expect(lab.stats().refused).toEqual({ sse: 2, fetch: 0, ws: 2 });

    const { opened } = lab.stats();
    expect(opened).toEqual({ sse: 1, fetch: 0, ws: 1 });
    await expectQuiet(lab);
  });
});
