import { describe, expect, it } from 'vitest';
import { SequenceTracker } from './sequence-tracker.ts';

function feed(tracker: SequenceTracker, seqs: number[]): string[] {
  return seqs.map((s) => tracker.record(s));
}

describe('SequenceTracker', () => {
  it('starts at zero', () => {
    const t = new SequenceTracker();
    expect(t.counts()).toEqual({ highest: 0, delivered: 0, missing: 0, duplicates: 0, reordered: 0 });
    expect(t.lastContiguous).toBe(0);
  });

  it('counts in-order frames', () => {
    const t = new SequenceTracker();
    expect(feed(t, [1, 2, 3, 4, 5])).toEqual(Array(5).fill('in-order'));
    expect(t.counts()).toEqual({ highest: 5, delivered: 5, missing: 0, duplicates: 0, reordered: 0 });
    expect(t.lastContiguous).toBe(5);
  });

  it('counts the seqs skipped by a gap as missing', () => {
    const t = new SequenceTracker();
    expect(feed(t, [1, 2, 6, 7])).toEqual(['in-order', 'in-order', 'gap', 'in-order']);
    expect(t.counts()).toEqual({ highest: 7, delivered: 4, missing: 3, duplicates: 0, reordered: 0 });
    expect(t.lastContiguous).toBe(2);
  });

  it('a gap at the very start (a resumed stream seen from 0) counts too', () => {
    const t = new SequenceTracker();
    expect(t.record(21)).toBe('gap');
    expect(t.counts().missing).toBe(20);
    expect(t.lastContiguous).toBe(0);
  });

  it('a late frame counts as reordered and missing goes down', () => {
    const t = new SequenceTracker();
    feed(t, [1, 2, 5, 6]);
    expect(t.counts().missing).toBe(2);
    expect(t.record(4)).toBe('reordered');
    expect(t.counts()).toEqual({ highest: 6, delivered: 5, missing: 1, duplicates: 0, reordered: 1 });
    expect(t.lastContiguous).toBe(2);
    expect(t.record(3)).toBe('reordered');
    expect(t.counts()).toEqual({ highest: 6, delivered: 6, missing: 0, duplicates: 0, reordered: 2 });
    expect(t.lastContiguous).toBe(6);
  });

  it('a repeat counts as duplicate, not delivered', () => {
    const t = new SequenceTracker();
    feed(t, [1, 2, 3]);
    expect(t.record(3)).toBe('duplicate');
    expect(t.record(1)).toBe('duplicate');
    expect(t.counts()).toEqual({ highest: 3, delivered: 3, missing: 0, duplicates: 2, reordered: 0 });
  });

  it('a late frame delivered twice is reordered once, then a duplicate', () => {
    const t = new SequenceTracker();
    feed(t, [1, 3]);
    expect(t.record(2)).toBe('reordered');
    expect(t.record(2)).toBe('duplicate');
    expect(t.counts()).toEqual({ highest: 3, delivered: 3, missing: 0, duplicates: 1, reordered: 1 });
  });

  it('lastContiguous is just below the lowest hole', () => {
    const t = new SequenceTracker();
    feed(t, [1, 2, 3, 5, 6, 9, 10]);
    expect(t.lastContiguous).toBe(3);
    t.record(4);
    expect(t.lastContiguous).toBe(6);
    t.record(8);
    expect(t.lastContiguous).toBe(6);
    t.record(7);
    expect(t.lastContiguous).toBe(10);
  });

  it('beyond maxHoles, holes are still counted as missing', () => {
    const t = new SequenceTracker(3);
    t.record(1);
    t.record(10);
    expect(t.counts().missing).toBe(8);
    expect(t.counts().delivered).toBe(2);
    // A remembered hole still counts as reordered.
    expect(t.record(2)).toBe('reordered');
    expect(t.counts().missing).toBe(7);
  });
});

describe('SequenceTracker from the first seq (someone else’s stream)', () => {
  it('a stream that counts from 0 or starts at 1000 has lost nothing', () => {
    const zero = new SequenceTracker(100, true);
    expect(feed(zero, [0, 1, 2])).toEqual(['in-order', 'in-order', 'in-order']);
    expect(zero.counts()).toMatchObject({ highest: 2, delivered: 3, missing: 0, duplicates: 0 });
    const late = new SequenceTracker(100, true);
    feed(late, [1000, 1001, 1003, 1002, 1002]);
    expect(late.counts()).toEqual({ highest: 1003, delivered: 4, missing: 0, duplicates: 1, reordered: 1 });
  });

  it('by default a stream that starts at 5 lost 4', () => {
    const t = new SequenceTracker();
    t.record(5);
    expect(t.counts().missing).toBe(4);
  });
});
