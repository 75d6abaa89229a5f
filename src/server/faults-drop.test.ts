/**
 * Integration tests of faults that cut open connections: drop (POST /api/faults) and flaky connections
 * (flakyFrames, flakyMs), with the real lab server on node:http, SSE over fetch and WebSocket over
 * `ws`. No fake timers and no fixed sleeps: every wait is on an event or a polled condition.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TICKER } from './faults-support.ts';
import { expectQuiet, postFault, range, runCleanups, seqs, SseStream, startLab, WsClient } from './test-support.ts';

afterEach(async () => {
  await runCleanups();
});

function contiguous(values: number[]): boolean {
  return values.every((v, i) => i === 0 || v === values[i - 1] + 1);
}

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
