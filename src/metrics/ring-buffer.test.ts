import { describe, expect, it } from 'vitest';
import { RecentList, RingBuffer } from './ring-buffer.ts';

describe('RingBuffer', () => {
  it('starts empty', () => {
    const ring = new RingBuffer(3);
    expect(ring.size).toBe(0);
    expect(ring.capacity).toBe(3);
    expect(ring.toArray()).toEqual([]);
    expect(ring.last()).toBeUndefined();
  });

  it('keeps values oldest first until full', () => {
    const ring = new RingBuffer(4);
    ring.push(1);
    ring.push(2);
    ring.push(3);
    expect(ring.size).toBe(3);
    expect(ring.toArray()).toEqual([1, 2, 3]);
    expect([ring.at(0), ring.at(1), ring.at(2)]).toEqual([1, 2, 3]);
    expect(ring.last()).toBe(3);
  });

  it('copies into a Float64Array oldest first, before and after it wraps', () => {
    const ring = new RingBuffer(4);
    expect([...ring.toFloat64Array()]).toEqual([]);
    for (let v = 1; v <= 3; v++) ring.push(v);
    expect([...ring.toFloat64Array()]).toEqual([1, 2, 3]);
    for (let v = 4; v <= 10; v++) {
      ring.push(v);
      expect([...ring.toFloat64Array()]).toEqual(ring.toArray());
    }
    expect([...ring.toFloat64Array()]).toEqual([7, 8, 9, 10]);
  });

  it('drops the oldest value when it wraps, keeping order', () => {
    const ring = new RingBuffer(3);
    for (let v = 1; v <= 8; v++) ring.push(v);
    expect(ring.size).toBe(3);
    expect(ring.toArray()).toEqual([6, 7, 8]);
    expect(ring.at(0)).toBe(6);
    expect(ring.at(2)).toBe(8);
    expect(ring.last()).toBe(8);
  });

  it('stays consistent through many wraps', () => {
    const ring = new RingBuffer(5);
    const all: number[] = [];
    for (let v = 0; v < 103; v++) {
      ring.push(v * 0.5);
      all.push(v * 0.5);
      expect(ring.toArray()).toEqual(all.slice(-5));
    }
  });

  it('has capacity 1 hold only the newest value', () => {
    const ring = new RingBuffer(1);
    ring.push(1);
    ring.push(2);
    expect(ring.toArray()).toEqual([2]);
    expect(ring.last()).toBe(2);
  });

  it('at() throws outside the values held', () => {
    const ring = new RingBuffer(3);
    expect(() => ring.at(0)).toThrow(RangeError);
    ring.push(1);
    ring.push(2);
    expect(() => ring.at(-1)).toThrow(RangeError);
    expect(() => ring.at(2)).toThrow(/index 2 outside 0\.\.1/);
    for (let v = 0; v < 10; v++) ring.push(v);
    expect(() => ring.at(3)).toThrow(RangeError);
  });

  it.each([0, -1, 1.5, Number.NaN, Infinity])('rejects capacity %s', (capacity) => {
    expect(() => new RingBuffer(capacity)).toThrow(RangeError);
    expect(() => new RingBuffer(capacity)).toThrow(/capacity must be a positive integer/);
  });

  it('clear() empties it and it refills from the start', () => {
    const ring = new RingBuffer(3);
    for (let v = 0; v < 5; v++) ring.push(v);
    ring.clear();
    expect(ring.size).toBe(0);
    expect(ring.toArray()).toEqual([]);
    ring.push(9);
    expect(ring.toArray()).toEqual([9]);
  });
});

describe('RecentList', () => {
  it('returns items newest first and keeps only the newest capacity items', () => {
    const list = new RecentList<string>(3);
    expect(list.newestFirst()).toEqual([]);
    list.push('a');
    list.push('b');
    expect(list.newestFirst()).toEqual(['b', 'a']);
    list.push('c');
    list.push('d');
    list.push('e');
    expect(list.newestFirst()).toEqual(['e', 'd', 'c']);
  });

  it('clear() empties it', () => {
    const list = new RecentList<number>(2);
    list.push(1);
    list.push(2);
    list.clear();
    expect(list.newestFirst()).toEqual([]);
    list.push(3);
    expect(list.newestFirst()).toEqual([3]);
  });
});
