/**
 * Integration tests of faults that refuse new requests: outage (reset or 503) and http-error, with the
 * real lab server on node:http, SSE over fetch and WebSocket over `ws`. No fake timers and no fixed
 * sleeps: every wait is on an event or a polled condition with a bound. The outage length is the
 * scenario itself.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sseAnswers, TICKER } from './faults-support.ts';
import {
  errorOf,
  postFault,
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
