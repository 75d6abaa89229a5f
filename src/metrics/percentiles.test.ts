import { describe, expect, it } from 'vitest';
import { percentile, summarize } from './percentiles.ts';

/** The definition: rank = p/100 · (n − 1), interpolate linearly between the closest ranks (numpy's default). */
function reference(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const frac = rank - lo;
  return lo + 1 < sorted.length ? sorted[lo] * (1 - frac) + sorted[lo + 1] * frac : sorted[lo];
}

describe('percentile', () => {
  it('interpolates between closest ranks: known values', () => {
    const s = [1, 2, 3, 4];
    expect(percentile(s, 0)).toBe(1);
    expect(percentile(s, 25)).toBeCloseTo(1.75, 12);
    expect(percentile(s, 50)).toBeCloseTo(2.5, 12);
    expect(percentile(s, 95)).toBeCloseTo(3.85, 12);
    expect(percentile(s, 99)).toBeCloseTo(3.97, 12);
    expect(percentile(s, 100)).toBe(4);
  });

  it('on 1..100 matches numpy: p50 50.5, p95 95.05, p99 99.01', () => {
    const s = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(s, 50)).toBeCloseTo(50.5, 9);
    expect(percentile(s, 95)).toBeCloseTo(95.05, 9);
    expect(percentile(s, 99)).toBeCloseTo(99.01, 9);
  });

  it('hits a sample exactly when the rank is whole', () => {
    expect(percentile([10, 20, 30, 40, 50], 50)).toBe(30);
    expect(percentile([10, 20, 30, 40, 50], 75)).toBe(40);
  });

  it('clamps p below 0 and above 100', () => {
    expect(percentile([3, 5], -10)).toBe(3);
    expect(percentile([3, 5], 150)).toBe(5);
  });

  it('of a single value is that value', () => {
    for (const p of [0, 1, 50, 99, 100]) expect(percentile([7], p)).toBe(7);
  });

  it('of nothing is NaN', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(percentile(new Float64Array(0), 0)).toBeNaN();
  });

  it('agrees with the definition on an irregular sample', () => {
    const values = [0.3, 12, 5.5, 5.5, 100, 0, 42, 7.25, 3, 19, 1_000, 2];
    const sorted = [...values].sort((a, b) => a - b);
    for (const p of [1, 10, 33, 50, 66.6, 90, 95, 99]) {
      expect(percentile(sorted, p)).toBeCloseTo(reference(values, p), 9);
    }
  });
});

describe('summarize', () => {
  it('sorts numerically, not as strings', () => {
    const s = summarize([10, 9, 100, 2, 1_000, 30]);
    expect(s.max).toBe(1_000);
    expect(s.p50).toBeCloseTo(reference([10, 9, 100, 2, 1_000, 30], 50), 12);
    expect(s.p50).toBeCloseTo(20, 12);
  });

  it('gives count, p50, p95, p99 and max', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(summarize(values)).toEqual({
      count: 100,
      p50: expect.closeTo(50.5, 9),
      p95: expect.closeTo(95.05, 9),
      p99: expect.closeTo(99.01, 9),
      max: 100,
    });
  });

  it('handles negative latencies (skewed clocks)', () => {
    const s = summarize([-5, 3, -1]);
    expect(s.p50).toBe(-1);
    expect(s.max).toBe(3);
  });

  it('of nothing: count 0 and NaN everywhere else', () => {
    const s = summarize([]);
    expect(s.count).toBe(0);
    expect(s.p50).toBeNaN();
    expect(s.p95).toBeNaN();
    expect(s.p99).toBeNaN();
    expect(s.max).toBeNaN();
  });

  it('does not modify its input', () => {
    const values = [3, 1, 2];
    const typed = Float64Array.from([3, 1, 2]);
    summarize(values);
    summarize(typed);
    expect(values).toEqual([3, 1, 2]);
    expect(Array.from(typed)).toEqual([3, 1, 2]);
  });
});
