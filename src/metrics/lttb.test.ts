import { describe, expect, it } from 'vitest';
import { lttb, type Point } from './lttb.ts';

function series(n: number, y: (i: number) => number): { xs: number[]; ys: number[] } {
  const xs = Array.from({ length: n }, (_, i) => i);
  return { xs, ys: xs.map(y) };
}

const pointsOf = (xs: number[], ys: number[]): Point[] => xs.map((x, i) => ({ x, y: ys[i] }));

describe('lttb', () => {
  it('keeps the first and the last point', () => {
    const { xs, ys } = series(1_000, (i) => Math.sin(i / 10) * 50 + i);
    const out = lttb(xs, ys, 50);
    expect(out[0]).toEqual({ x: 0, y: ys[0] });
    expect(out[out.length - 1]).toEqual({ x: 999, y: ys[999] });
  });

  it.each([3, 4, 10, 99, 500, 999])('returns exactly threshold points (%i of 1000)', (threshold) => {
    const { xs, ys } = series(1_000, (i) => (i * 7919) % 113);
    expect(lttb(xs, ys, threshold)).toHaveLength(threshold);
  });

  it('returns points from the input, in increasing x', () => {
    const { xs, ys } = series(500, (i) => (i * 31) % 17);
    const out = lttb(xs, ys, 40);
    for (let i = 1; i < out.length; i++) expect(out[i].x).toBeGreaterThan(out[i - 1].x);
    for (const p of out) expect(ys[p.x]).toBe(p.y);
  });

  it('passes the series through when it is not longer than threshold', () => {
    const { xs, ys } = series(10, (i) => i * i);
    expect(lttb(xs, ys, 10)).toEqual(pointsOf(xs, ys));
    expect(lttb(xs, ys, 600)).toEqual(pointsOf(xs, ys));
  });

  it('passes the series through for a threshold below 3', () => {
    const { xs, ys } = series(10, (i) => i);
    expect(lttb(xs, ys, 2)).toEqual(pointsOf(xs, ys));
    expect(lttb(xs, ys, 0)).toEqual(pointsOf(xs, ys));
  });

  it('handles empty input and arrays of different length (uses the shorter)', () => {
    expect(lttb([], [], 10)).toEqual([]);
    expect(lttb([0, 1, 2], [5, 6], 10)).toEqual([
      { x: 0, y: 5 },
      { x: 1, y: 6 },
    ]);
  });

  it('accepts typed arrays', () => {
    const xs = Float64Array.from({ length: 100 }, (_, i) => i);
    const ys = Float64Array.from({ length: 100 }, (_, i) => i % 5);
    expect(lttb(xs, ys, 20)).toHaveLength(20);
  });

  it('keeps a single spike in a flat series', () => {
    const { xs, ys } = series(1_000, (i) => (i === 437 ? 900 : 10));
    const out = lttb(xs, ys, 20);
    expect(out).toContainEqual({ x: 437, y: 900 });
  });

  it('keeps both a spike and a dip', () => {
    const { xs, ys } = series(2_000, (i) => (i === 300 ? 500 : i === 1_600 ? -500 : 0));
    const out = lttb(xs, ys, 30);
    expect(out).toContainEqual({ x: 300, y: 500 });
    expect(out).toContainEqual({ x: 1_600, y: -500 });
  });
});
