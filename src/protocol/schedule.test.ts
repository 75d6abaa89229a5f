import { describe, expect, it } from 'vitest';
import { createSchedule, plannedTotal, type PlannedFrame, type Schedule } from './schedule.ts';
import type { ScenarioConfig } from './scenarios.ts';

/** Up to `limit` frames of a schedule (all of a finite one when the limit is high enough). */
function take(schedule: Schedule, limit = 100_000): PlannedFrame[] {
  const out: PlannedFrame[] = [];
  while (out.length < limit) {
    const next = schedule.next();
    if (next.done) break;
    out.push(next.value);
  }
  return out;
}

const ticker = (params: Record<string, number> = {}): ScenarioConfig => ({
  scenario: 'ticker',
  params: { rate: 200, size: 100, count: 0, seed: 42, ...params },
});
const llm = (params: Record<string, number> = {}): ScenarioConfig => ({
  scenario: 'llm',
  params: { ttft: 600, tokens: 300, tps: 40, seed: 42, ...params },
});
const burst = (params: Record<string, number> = {}): ScenarioConfig => ({
  scenario: 'burst',
  params: { burst: 50, interval: 1000, size: 100, count: 0, seed: 42, ...params },
});

function expectContiguousFrom(frames: PlannedFrame[], first: number): void {
  expect(frames.map((f) => f.seq)).toEqual(frames.map((_, i) => first + i));
}

describe('createSchedule: determinism', () => {
  it.each([
    ['ticker', ticker({ count: 50 })],
    ['llm', llm({ tokens: 200 })],
    ['burst', burst({ count: 120, burst: 7 })],
  ])('%s: the same seed gives identical frames', (_name, config) => {
    expect(take(createSchedule(config))).toEqual(take(createSchedule(config)));
  });

  it('llm: a different seed gives a different answer', () => {
    const text = (seed: number) =>
      take(createSchedule(llm({ seed, tokens: 100 })))
        .map((f) => f.data)
        .join('');
    expect(text(1)).not.toBe(text(2));
    expect(text(1)).toBe(text(1));
  });

  it('ticker and burst: a different seed gives a different payload', () => {
    const payload = (config: ScenarioConfig) => take(createSchedule(config), 1)[0].data;
    expect(payload(ticker({ seed: 1 }))).not.toBe(payload(ticker({ seed: 2 })));
    expect(payload(burst({ seed: 1 }))).not.toBe(payload(burst({ seed: 2 })));
  });
});

describe('createSchedule: ticker', () => {
  it('numbers frames 1, 2, 3, … and stops after count', () => {
    const frames = take(createSchedule(ticker({ count: 25 })));
    expect(frames).toHaveLength(25);
    expectContiguousFrom(frames, 1);
    expect(frames.every((f) => f.kind === 'tick')).toBe(true);
  });

  it('runs on when count is 0', () => {
    const frames = take(createSchedule(ticker({ count: 0 })), 5_000);
    expect(frames).toHaveLength(5_000);
    expectContiguousFrom(frames, 1);
  });

  it.each([1, 3, 200, 20_000])('paces frames 1000/rate ms apart (rate %i)', (rate) => {
    const frames = take(createSchedule(ticker({ rate, count: 10 })));
    for (const f of frames) expect(f.gapMs).toBeCloseTo(1000 / rate, 9);
  });

  it.each([16, 100, 65_536])('carries a payload of exactly size characters (size %i)', (size) => {
    const frames = take(createSchedule(ticker({ size, count: 3 })));
    for (const f of frames) {
      expect(f.data).toHaveLength(size);
      expect(f.data).toMatch(/^[A-Za-z0-9]+$/);
    }
  });
});

describe('createSchedule: llm', () => {
  it('sends tokens 1..tokens, then one end frame at tokens + 1', () => {
    const frames = take(createSchedule(llm({ tokens: 120 })));
    expect(frames).toHaveLength(121);
    expectContiguousFrom(frames, 1);
    expect(frames.slice(0, 120).every((f) => f.kind === 'token')).toBe(true);
    expect(frames.filter((f) => f.kind === 'end')).toHaveLength(1);
    expect(frames[120]).toMatchObject({ seq: 121, kind: 'end', data: '' });
  });

  it('waits ttft before the first token', () => {
    for (const ttft of [0, 1, 600, 10_000]) {
      const [first] = take(createSchedule(llm({ ttft })), 1);
      expect(first.gapMs).toBe(ttft);
    }
  });

  it('paces the rest around 1000/tps with positive gaps', () => {
    const frames = take(createSchedule(llm({ tokens: 2_000, tps: 50 })));
    const gaps = frames.slice(1, -1).map((f) => f.gapMs);
    expect(gaps.every((g) => g > 0 && Number.isFinite(g))).toBe(true);
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    // Log-normal around 20 ms with occasional stalls on top: the mean stays in the neighbourhood.
    expect(mean).toBeGreaterThan(15);
    expect(mean).toBeLessThan(35);
  });

  it('reads like text: a first word, then space-prefixed words (or bare punctuation)', () => {
    const frames = take(createSchedule(llm({ tokens: 200 })));
    expect(frames[0].data).toMatch(/^\S+$/);
    for (const f of frames.slice(1, -1)) expect(f.data).toMatch(/^( \S+|[.,;:!?])$/);
    const text = frames.map((f) => f.data).join('');
    expect(text).not.toMatch(/\s{2}/);
  });
});

describe('createSchedule: burst', () => {
  it('sends bursts back to back and waits interval between the starts of bursts', () => {
    const frames = take(createSchedule(burst({ burst: 4, interval: 250, count: 12 })));
    expectContiguousFrom(frames, 1);
    expect(frames.map((f) => f.gapMs)).toEqual([0, 0, 0, 0, 250, 0, 0, 0, 250, 0, 0, 0]);
  });

  it('with burst = 1, every frame but the first waits interval', () => {
    const frames = take(createSchedule(burst({ burst: 1, interval: 9, count: 4 })));
    expect(frames.map((f) => f.gapMs)).toEqual([0, 9, 9, 9]);
  });

  it('stops after count, mid-burst if need be', () => {
    const frames = take(createSchedule(burst({ burst: 5, count: 7 })));
    expect(frames).toHaveLength(7);
    expect(frames.every((f) => f.kind === 'tick' && f.data.length === 100)).toBe(true);
  });
});

describe('createSchedule: resume', () => {
  it.each([
    ['ticker', ticker({ count: 40 }), 40],
    ['llm', llm({ tokens: 39 }), 40],
    ['burst', burst({ count: 40, burst: 6, interval: 30 }), 40],
  ])('%s: after N starts at N + 1 with the same frames as the full schedule', (_name, config, total) => {
    const full = take(createSchedule(config));
    expect(full).toHaveLength(total);
    for (const after of [1, 7, 20, total - 1]) {
      const resumed = take(createSchedule(config, after));
      expect(resumed[0].seq).toBe(after + 1);
      expect(resumed).toEqual(full.slice(after));
    }
  });

  it('after 0 is the whole schedule', () => {
    expect(take(createSchedule(llm({ tokens: 10 }), 0))).toEqual(take(createSchedule(llm({ tokens: 10 }))));
  });

  it('after the total is an empty schedule', () => {
    expect(take(createSchedule(ticker({ count: 5 }), 5))).toEqual([]);
    expect(take(createSchedule(llm({ tokens: 5 }), 6))).toEqual([]);
    expect(take(createSchedule(burst({ count: 5 }), 99))).toEqual([]);
  });

  it('a large after resumes at once for ticker and burst (no replay frame by frame)', () => {
    const after = 20_000_000;
    const started = performance.now();
    const [t1, t2] = take(createSchedule(ticker({ count: 0, rate: 100 }), after), 2);
    // Replaying 2·10^7 frames would take the better part of a second; jumping takes microseconds.
    expect(performance.now() - started).toBeLessThan(200);
    expect(t1).toEqual({ seq: after + 1, gapMs: 10, kind: 'tick', data: take(createSchedule(ticker()), 1)[0].data });
    expect(t2.seq).toBe(after + 2);
    // after is a multiple of 4: frame after + 1 opens a burst and waits the interval.
    const b = take(createSchedule(burst({ count: 0, burst: 4, interval: 250 }), after), 5);
    expect(b.map((f) => [f.seq - after, f.gapMs])).toEqual([
      [1, 250],
      [2, 0],
      [3, 0],
      [4, 0],
      [5, 250],
    ]);
  });

  it('an endless ticker resumes too', () => {
    const resumed = take(createSchedule(ticker({ count: 0 }), 1_000), 3);
    expect(resumed.map((f) => f.seq)).toEqual([1_001, 1_002, 1_003]);
  });
});

describe('plannedTotal', () => {
  it('is count for ticker and burst, null when count is 0', () => {
    expect(plannedTotal(ticker({ count: 30 }))).toBe(30);
    expect(plannedTotal(ticker({ count: 0 }))).toBeNull();
    expect(plannedTotal(burst({ count: 8 }))).toBe(8);
    expect(plannedTotal(burst({ count: 0 }))).toBeNull();
  });

  it('is tokens + 1 for llm (the end frame)', () => {
    expect(plannedTotal(llm({ tokens: 300 }))).toBe(301);
  });

  it.each([ticker({ count: 13 }), llm({ tokens: 13 }), burst({ count: 13, burst: 4 })])(
    'matches the number of frames the $scenario schedule yields',
    (config) => {
      expect(take(createSchedule(config))).toHaveLength(plannedTotal(config) ?? -1);
    },
  );
});
