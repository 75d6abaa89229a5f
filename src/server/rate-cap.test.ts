/**
 * The server's rate cap (LabServerOptions.maxRate, LAB_MAX_RATE in the Vite plugin): 20000 msg/s by
 * default on every stream endpoint, raised when asked (the bench measures past it), published in
 * /api/info so the page's form takes the same range.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_RATE, type ScenarioSpec } from '../protocol/scenarios.ts';
import { createLabServer } from './lab-server.ts';
import { errorOf, runCleanups, SseStream, startLab, wsAttempt } from './test-support.ts';
import { labServerPlugin } from './vite-plugin.ts';

afterEach(runCleanups);

const over = DEFAULT_MAX_RATE + 1;
const query = `scenario=ticker&rate=${over}&size=16&count=5`;

async function postStream(http: string, rate: number): Promise<Response> {
  return fetch(`${http}/api/stream`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ scenario: 'ticker', params: { rate, size: 16, count: 5 } }),
  });
}

async function rateMax(http: string, scenario: string): Promise<number | undefined> {
  const body = (await (await fetch(`${http}/api/info`)).json()) as { scenarios: ScenarioSpec[] };
  return body.scenarios.find((s) => s.name === scenario)?.params.find((p) => p.name === 'rate')?.max;
}

describe('rate cap', () => {
  it(`refuses rate=${over} with 400 by default, on SSE, POST /api/stream and the WebSocket upgrade`, async () => {
    const { http, ws, lab } = await startLab();
    const sse = await fetch(`${http}/api/sse?${query}`);
    expect(sse.status).toBe(400);
    expect(errorOf(await sse.json())).toBe(`rate must be an integer from 1 to ${DEFAULT_MAX_RATE} (msg/s); got "${over}"`);

    const post = await postStream(http, over);
    expect(post.status).toBe(400);

    const upgrade = await wsAttempt(`${ws}/api/ws?${query}`);
    expect(upgrade).toMatchObject({ kind: 'refused', status: 400 });

    expect(await rateMax(http, 'ticker')).toBe(DEFAULT_MAX_RATE);
    expect(lab.stats().opened).toEqual({ sse: 0, fetch: 0, ws: 0 });
  });

  it(`a raised cap accepts rate=${over} on every endpoint and publishes its range`, async () => {
    const { http, ws } = await startLab({ maxRate: 100_000 });
    const sse = await SseStream.open(`${http}/api/sse?${query}`);
    await sse.finished;
    expect(sse.response.status).toBe(200);
    expect(sse.events.filter((e) => e.type === 'message' || e.type === '')).toHaveLength(5);

    const post = await postStream(http, over);
    expect(post.status).toBe(200);
    await post.body?.cancel();

    expect(await wsAttempt(`${ws}/api/ws?${query}`)).toEqual({ kind: 'open' });

    // Still a cap: past it, the same 400 naming the new range.
    const past = await fetch(`${http}/api/sse?scenario=ticker&rate=100001`);
    expect(past.status).toBe(400);
    expect(errorOf(await past.json())).toContain('from 1 to 100000 (msg/s)');

    expect(await rateMax(http, 'ticker')).toBe(100_000);
    expect(await rateMax(http, 'binary')).toBe(100_000);
    // The chat scenario's side stream keeps its own, lower cap.
    expect(await rateMax(http, 'chat')).toBe(1_000);
  });

  it('refuses a cap outside its range when the server is created, and LAB_MAX_RATE in the plugin', () => {
    expect(() => createLabServer({ maxRate: 10 })).toThrow(/LAB_MAX_RATE must be an integer from 1000 to 1000000/);
    const saved = process.env.LAB_MAX_RATE;
    try {
      process.env.LAB_MAX_RATE = 'fast';
      expect(() => labServerPlugin()).toThrow(/LAB_MAX_RATE must be an integer/);
      process.env.LAB_MAX_RATE = '50000';
      expect(() => labServerPlugin()).not.toThrow();
    } finally {
      if (saved === undefined) delete process.env.LAB_MAX_RATE;
      else process.env.LAB_MAX_RATE = saved;
    }
  });
});
