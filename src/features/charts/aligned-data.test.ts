import { describe, expect, it } from 'vitest';
import { alignSeries, countPoints, digestData, newestValue } from './aligned-data.ts';

const pts = (...pairs: [number, number][]) => pairs.map(([x, y]) => ({ x, y }));

describe('alignSeries', () => {
  it('gives no lanes and empty lanes an empty x array', () => {
    expect(alignSeries([])).toEqual({ data: [[]], points: 0 });
    expect(alignSeries([[], []])).toEqual({ data: [[], [], []], points: 0 });
  });

  it('keeps a single lane as it is', () => {
    expect(alignSeries([pts([0.1, 5], [0.2, 6], [0.4, 7])])).toEqual({
      data: [
        [0.1, 0.2, 0.4],
        [5, 6, 7],
      ],
      points: 3,
    });
  });

  it('merges lanes with different x into one sorted x array, undefined where a lane has no sample', () => {
    const { data, points } = alignSeries([pts([0, 1], [2, 3], [4, 5]), pts([1, 10], [2, 20], [5, 50])]);
    expect(data).toEqual([
      [0, 1, 2, 4, 5],
      [1, undefined, 3, 5, undefined],
      [undefined, 10, 20, undefined, 50],
    ]);
    expect(points).toBe(6);
  });

  it('keeps every lane at the same length as x and each lane its own values in order', () => {
    const a = pts([0.3, 1], [0.7, 2], [1.1, 3], [1.5, 4]);
    const b = pts([0.1, 9], [0.7, 8], [2.0, 7]);
    const c = pts([1.5, 100]);
    const { data } = alignSeries([a, b, c]);
    const [xs, ...lanes] = data;
    expect(xs).toEqual([...xs].sort((p, q) => p - q));
    for (const lane of lanes) expect(lane).toHaveLength(xs.length);
    [a, b, c].forEach((series, s) => {
      const back = xs.flatMap((x, i) => (lanes[s][i] === undefined ? [] : [{ x, y: lanes[s][i] }]));
      expect(back).toEqual(series);
    });
  });

  it('gives a lane that repeats an x one row per sample', () => {
    expect(alignSeries([pts([1, 1], [1, 2], [2, 3]), pts([1, 7])]).data).toEqual([
      [1, 1, 2],
      [1, 2, 3],
      [7, undefined, undefined],
    ]);
  });

  it('turns a non-finite y into a null gap and drops points with a non-finite x', () => {
    const { data, points } = alignSeries([pts([0, 1], [1, Number.NaN], [Number.NaN, 4], [2, 3])]);
    expect(data).toEqual([
      [0, 1, 2],
      [1, null, 3],
    ]);
    expect(points).toBe(2);
  });

  it('sorts a lane that arrives out of order', () => {
    expect(alignSeries([pts([2, 20], [0, 0], [1, 10])]).data).toEqual([
      [0, 1, 2],
      [0, 10, 20],
    ]);
  });

  it('handles 5 lanes of 500 points', () => {
    const lanes = Array.from({ length: 5 }, (_, s) =>
      Array.from({ length: 500 }, (_, i) => ({ x: i * 0.02 + s * 0.003, y: i })),
    );
    const { data, points } = alignSeries(lanes);
    expect(points).toBe(2_500);
    expect(data[0]).toHaveLength(2_500);
    expect(countPoints(data)).toBe(2_500);
  });
});

describe('countPoints', () => {
  it('counts numbers in the lane arrays, not x, null or undefined', () => {
    expect(countPoints([[0, 1, 2], [1, null, 3], [undefined, 0, undefined]])).toBe(3);
  });
});

describe('newestValue', () => {
  it('is the last finite y', () => {
    expect(newestValue(pts([0, 1], [1, 2], [2, Number.NaN]))).toBe(2);
    expect(newestValue([])).toBeNull();
  });
});

describe('digestData', () => {
  it('is a stable fingerprint of the values, gaps and artifacts (the data-digest hook)', () => {
    // Pinned: other suites compare digests across runs and files, so the function must not drift.
    expect(digestData([[]])).toBe('050c5d1f');
    expect(digestData([[0.1, 0.2, 0.4], [5, undefined, 7], [null, 6, 8]])).toBe('1541fb6e');
    expect(digestData([[1, 2, 3], [-0, Number.NaN, Number.POSITIVE_INFINITY]])).toBe('7616bf5b');
  });

  it('tells a moved point, a gap and an artifact apart', () => {
    const base = digestData([[1, 2], [3, 4]]);
    expect(digestData([[1, 2], [3, 4.000001]])).not.toBe(base);
    expect(digestData([[1, 2], [3, null]])).not.toBe(digestData([[1, 2], [3, undefined]]));
  });
});
