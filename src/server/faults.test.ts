/**
 * Integration tests of fault injection: the real lab server on node:http, POST /api/faults, and what
 * SSE (fetch) and WebSocket (`ws`) clients then see. No fake timers and no fixed sleeps: every wait is
 * on an event or a polled condition with a bound. Here: the endpoint itself and the stats it moves;
 * drop and flaky connections are in faults-drop.test.ts, outage and http-error in faults-refused.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { sseAnswers, TICKER } from './faults-support.ts';
import { errorOf, expectQuiet, postFault, runCleanups, SseStream, startLab, WsClient, wsAttempt } from './test-support.ts';

afterEach(async () => {
  await runCleanups();
});

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
