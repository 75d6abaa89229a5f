import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Frame } from '../protocol/frame.ts';
import { runCleanups, startLab } from './test-support.ts';

afterEach(runCleanups);

interface PollBody {
  frames: Frame[];
  done: boolean;
  requestHeadBytes: number;
}

async function poll(url: string): Promise<{ status: number; body: PollBody; ms: number }> {
  const started = performance.now();
  const response = await fetch(url);
  const body = (await response.json()) as PollBody;
  return { status: response.status, body, ms: performance.now() - started };
}

describe('GET /api/poll', () => {
  it('short polling: answers at once, then hands out each frame once, in order, until done', async () => {
    const { http } = await startLab();
    const base = `${http}/api/poll?scenario=ticker&rate=200&size=16&count=40&run=p1`;
    const first = await poll(base);
    expect(first.status).toBe(200);
    expect(first.body.requestHeadBytes).toBeGreaterThan(50);
    const seqs: number[] = first.body.frames.map((f) => f.seq);
    let done = first.body.done;
    // Bounded in time, not in count: short polls can be faster than the frames.
    const started = performance.now();
    while (!done && performance.now() - started < 5000) {
      const next = await poll(`${base}&after=${seqs.at(-1) ?? 0}`);
      seqs.push(...next.body.frames.map((f) => f.seq));
      done = next.body.done;
    }
    expect(done).toBe(true);
    expect(seqs).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it('long polling: holds the request until a frame exists, or answers empty when the wait runs out', async () => {
    const { http } = await startLab();
    // llm with a 400 ms think: the first poll waits for the first token.
    const held = await poll(`${http}/api/poll?scenario=llm&ttft=400&tokens=3&tps=100&run=p2&wait=5000`);
    expect(held.body.frames[0]?.seq).toBe(1);
    expect(held.ms).toBeGreaterThan(250);
    const quiet = await poll(`${http}/api/poll?scenario=ticker&rate=1000&count=1&run=p3&after=1&wait=3000`);
    // Nothing after seq 1 will ever come: the held request is answered as soon as the stream ends.
    expect(quiet.body).toMatchObject({ frames: [], done: true });
    expect(quiet.ms).toBeLessThan(2500);
    const empty = await poll(`${http}/api/poll?scenario=ticker&rate=1&run=p4&after=5&wait=200`);
    expect(empty.body.frames).toEqual([]);
    expect(empty.ms).toBeGreaterThanOrEqual(150);
  });

  it('long polling with frames already waiting answers at once and leaves no timer armed', async () => {
    const { http, lab } = await startLab({ pollIdleMs: 60_000 });
    const base = `${http}/api/poll?scenario=ticker&rate=1000&size=16&count=50&run=ready`;
    await poll(base);
    await vi.waitFor(async () => expect((await poll(`${base}&after=0`)).body.frames.length).toBe(50));
    const timersBefore = lab.stats().activeTimers;
    const held = await poll(`${base}&after=10&wait=20000`);
    expect(held.body.frames.map((f) => f.seq)[0]).toBe(11);
    expect(held.ms).toBeLessThan(1000);
    // The 20 s wait timer went with the answer: only the idle timer of the polled stream is left.
    await vi.waitFor(() => expect(lab.stats().activeTimers).toBe(timersBefore));
  });

  it.each([
    ['wait=99999', 'wait must be an integer from 0 to 30000 (ms); got "99999"'],
    ['wait=soon', 'wait must be an integer from 0 to 30000 (ms); got "soon"'],
    ['after=-1', 'after must be a non-negative integer up to 1000000000000000 (the last seq received; MAX_RESUME_SEQ); got "-1"'],
    ['rate=0', 'rate must be an integer from 1 to 20000 (msg/s); got "0"'],
  ])('%s → 400 with the reason', async (query, error) => {
    const { http } = await startLab();
    const response = await fetch(`${http}/api/poll?scenario=ticker&${query}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error });
  });

  it('stops a polled stream nobody polls any more, and leaves no timer behind', async () => {
    const { http, lab } = await startLab({ pollIdleMs: 100 });
    await poll(`${http}/api/poll?scenario=ticker&rate=100&run=idle`);
    expect(lab.stats().pollStreams).toBe(1);
    await vi.waitFor(() => expect(lab.stats()).toMatchObject({ pollStreams: 0, activeTimers: 0 }), { timeout: 3000 });
  });
});
