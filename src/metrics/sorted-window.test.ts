import { describe, expect, it } from 'vitest';
import { summarize } from './percentiles.ts';
import { SortedWindow } from './sorted-window.ts';
import { createRandom } from '../protocol/random.ts';

describe('SortedWindow', () => {
  it('is empty at first: NaN percentiles, count 0', () => {
    const w = new SortedWindow(5);
    const s = w.summary();
    expect(s.count).toBe(0);
    expect(s.p50).toBeNaN();
    expect(s.max).toBeNaN();
    expect(w.size).toBe(0);
  });

  it('summarizes the newest values only, once it is full', () => {
    const w = new SortedWindow(4);
    for (const v of [100, 1, 2, 3]) w.push(v);
    expect(w.summary().max).toBe(100);
    w.push(4);
    // 100 left the window.
    expect(w.summary()).toEqual(summarize([1, 2, 3, 4]));
    expect([...w.toArray()]).toEqual([1, 2, 3, 4]);
  });

  it('matches a full sort after every step, with duplicates, negatives and ties leaving', () => {
    // Seeded, so a failure can be replayed.
    const next = createRandom(9);
    for (const capacity of [1, 3, 50, 1000]) {
      const w = new SortedWindow(capacity);
      const all: number[] = [];
      for (let step = 0; step < 60; step++) {
        // Bursts of 0 … 2 × capacity values between summaries (a rebuild when more than the window).
        const burst = Math.floor(next() * 2 * capacity * (step % 5 === 0 ? 1 : 0.1));
        for (let k = 0; k < burst; k++) {
          // Rounded, so equal values come and go often.
          const v = Math.round((next() * 40 - 5) * 4) / 4;
          w.push(v);
          all.push(v);
        }
        expect(w.summary(), `capacity ${capacity}, step ${step}`).toEqual(summarize(all.slice(-capacity)));
      }
    }
  });

  it('keeps no non-finite value (it would have no place in the order)', () => {
    const w = new SortedWindow(3);
    for (const v of [1, Number.NaN, 2, Number.POSITIVE_INFINITY, 3]) w.push(v);
    expect(w.summary()).toEqual(summarize([1, 2, 3]));
  });

  it('starts over on clear', () => {
    const w = new SortedWindow(3);
    for (const v of [7, 8, 9]) w.push(v);
    w.summary();
    w.clear();
    w.push(1);
    expect(w.summary()).toEqual(summarize([1]));
  });
});
