import { describe, expect, it } from 'vitest';
import { createRandom } from '../protocol/random.ts';
import { Backoff, backoffCeiling, defaultBackoff, type BackoffPolicy } from './backoff.ts';

const policy: BackoffPolicy = { baseMs: 100, capMs: 1_600, maxAttempts: 10 };

/** The engine's own seeded generator in [0, 1). */
const seeded = createRandom;

/** Every delay until next() gives up. */
function drain(backoff: Backoff): number[] {
  const delays: number[] = [];
  for (let delay = backoff.next(); delay !== null; delay = backoff.next()) delays.push(delay);
  return delays;
}

describe('backoffCeiling', () => {
  it('doubles from the base and stops at the cap', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((n) => backoffCeiling(policy, n))).toEqual([
      100, 200, 400, 800, 1_600, 1_600, 1_600,
    ]);
  });

  it('stays at the cap for huge attempt numbers (no Infinity, no NaN)', () => {
    for (const n of [50, 51, 1_000, 1_000_000]) expect(backoffCeiling(policy, n)).toBe(1_600);
    const wide: BackoffPolicy = { baseMs: 60_000, capMs: 600_000, maxAttempts: 1_000 };
    expect(backoffCeiling(wide, 999)).toBe(600_000);
  });

  it('a cap below the base caps the first attempt too', () => {
    expect(backoffCeiling({ baseMs: 500, capMs: 300, maxAttempts: 3 }, 0)).toBe(300);
  });

  it('the default policy: 250 ms doubling to a 10 s cap, 12 attempts', () => {
    expect(defaultBackoff).toEqual({ baseMs: 250, capMs: 10_000, maxAttempts: 12 });
    expect(Array.from({ length: 12 }, (_, n) => backoffCeiling(defaultBackoff, n))).toEqual([
      250, 500, 1_000, 2_000, 4_000, 8_000, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000,
    ]);
  });
});

describe('Backoff', () => {
  it('with random at 0 every delay is 0', () => {
    expect(drain(new Backoff(policy, () => 0))).toEqual(Array.from({ length: 10 }, () => 0));
  });

  it('with random just below 1 every delay sits just below its ceiling', () => {
    const delays = drain(new Backoff(policy, () => 0.999_999));
    expect(delays).toHaveLength(10);
    delays.forEach((delay, n) => {
      const ceiling = backoffCeiling(policy, n);
      expect(delay).toBeLessThan(ceiling);
      expect(delay).toBe(ceiling - 1);
    });
  });

  it('with a seeded sequence every delay is an integer in [0, min(cap, base·2^n))', () => {
    for (const seed of [1, 2, 3, 42, 2024]) {
      const delays = drain(new Backoff({ ...policy, maxAttempts: 40 }, seeded(seed)));
      expect(delays).toHaveLength(40);
      delays.forEach((delay, n) => {
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(Math.min(policy.capMs, policy.baseMs * 2 ** n));
      });
    }
  });

  it('uses the random source as a fraction of the ceiling', () => {
    const values = [0.5, 0.25, 0.75, 0.1];
    let i = 0;
    const backoff = new Backoff(policy, () => values[i++]);
    expect([backoff.next(), backoff.next(), backoff.next(), backoff.next()]).toEqual([50, 50, 300, 80]);
  });

  it('jitter spans the whole range: Math.random lands in the low and the high quarter of every ceiling', () => {
    const wide: BackoffPolicy = { baseMs: 1_000, capMs: 8_000, maxAttempts: 4 };
    const samples: number[][] = [[], [], [], []];
    for (let round = 0; round < 500; round++) {
      const delays = drain(new Backoff(wide));
      delays.forEach((delay, n) => samples[n].push(delay));
    }
    samples.forEach((delays, n) => {
      const ceiling = backoffCeiling(wide, n);
      expect(delays.every((d) => d >= 0 && d < ceiling)).toBe(true);
      // P(no sample in a quarter) = 0.75^500: never in practice.
      expect(delays.some((d) => d < ceiling / 4)).toBe(true);
      expect(delays.some((d) => d >= (ceiling * 3) / 4)).toBe(true);
      // Not all the same value either: it is jitter, not a fixed delay.
      expect(new Set(delays).size).toBeGreaterThan(100);
    });
  });

  it('the cap holds for large attempt numbers', () => {
    const backoff = new Backoff({ baseMs: 100, capMs: 1_600, maxAttempts: 200 }, () => 0.999_999);
    const delays = drain(backoff);
    expect(delays).toHaveLength(200);
    expect(Math.max(...delays)).toBe(1_599);
    expect(delays.slice(4).every((d) => d === 1_599)).toBe(true);
  });

  it('next() returns null after maxAttempts retries, and keeps returning null', () => {
    const backoff = new Backoff({ ...policy, maxAttempts: 3 }, () => 0.5);
    expect(backoff.attempts).toBe(0);
    expect(backoff.next()).toBe(50);
    expect(backoff.next()).toBe(100);
    expect(backoff.next()).toBe(200);
    expect(backoff.attempts).toBe(3);
    expect(backoff.next()).toBeNull();
    expect(backoff.next()).toBeNull();
    expect(backoff.attempts).toBe(3);
  });

  it('maxAttempts 0 never retries', () => {
    const backoff = new Backoff({ ...policy, maxAttempts: 0 }, () => 0.5);
    expect(backoff.next()).toBeNull();
    expect(backoff.attempts).toBe(0);
  });

  it('reset() starts again from the base, with the full number of attempts', () => {
    const backoff = new Backoff({ ...policy, maxAttempts: 4 }, () => 0.5);
    expect(drain(backoff)).toEqual([50, 100, 200, 400]);
    expect(backoff.next()).toBeNull();
    backoff.reset();
    expect(backoff.attempts).toBe(0);
    expect(drain(backoff)).toEqual([50, 100, 200, 400]);

    // A reset in the middle also goes back to the base.
    backoff.reset();
    expect(backoff.next()).toBe(50);
    expect(backoff.next()).toBe(100);
    backoff.reset();
    expect(backoff.next()).toBe(50);
  });
});
