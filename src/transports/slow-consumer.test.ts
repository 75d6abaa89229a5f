import { describe, expect, it } from 'vitest';
import type { Timers } from '../protocol/player.ts';
import { SlowConsumer } from './slow-consumer.ts';

/** A manual clock: timers fire only when the test moves time on. */
class Clock implements Timers {
  time = 1_000;
  private pending: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 1;
  now = () => this.time;
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.pending.push({ at: this.time + ms, fn, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((t) => t.id !== handle);
  }
  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      this.pending.sort((a, b) => a.at - b.at);
      const next = this.pending[0];
      if (!next || next.at > target) break;
      this.pending.shift();
      this.time = next.at;
      next.fn();
    }
    this.time = target;
  }
}

describe('SlowConsumer', () => {
  it('with no cost, hands each frame over at once with its arrival stamp', () => {
    const consumer = new SlowConsumer(0);
    const stamps: number[] = [];
    consumer.offer(5, (at) => stamps.push(at));
    consumer.offer(6, (at) => stamps.push(at));
    expect(stamps).toEqual([5, 6]);
    expect(consumer.queued).toBe(0);
    expect(consumer.maxQueued).toBe(0);
    expect(consumer.whenIdle()).toBeNull();
  });

  it('a push API: frames that arrive while the page is busy queue in the page, and each is stamped when the page gets to it', () => {
    const clock = new Clock();
    const consumer = new SlowConsumer(10, clock.now, clock);
    const stamps: number[] = [];
    // Ten frames arrive at once; the page handles one every 10 ms.
    for (let i = 0; i < 10; i++) consumer.offer(clock.time, (at) => stamps.push(at - 1_000));
    expect(stamps).toEqual([0]);
    expect(consumer.queued).toBe(9);
    expect(consumer.maxQueued).toBe(9);
    clock.advance(45);
    expect(stamps).toEqual([0, 10, 20, 30, 40]);
    expect(consumer.queued).toBe(5);
    clock.advance(100);
    expect(stamps).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
    expect(consumer.queued).toBe(0);
    expect(consumer.maxQueued).toBe(9);
    expect(consumer.handled).toBe(10);
  });

  it('a pull reader waits until the page is free before it reads again', async () => {
    const clock = new Clock();
    const consumer = new SlowConsumer(20, clock.now, clock);
    consumer.offer(clock.time, () => {});
    const idle = consumer.whenIdle();
    expect(idle).not.toBeNull();
    let free = false;
    void idle?.then(() => {
      free = true;
    });
    clock.advance(19);
    await Promise.resolve();
    expect(free).toBe(false);
    clock.advance(1);
    await Promise.resolve();
    expect(free).toBe(true);
    expect(consumer.whenIdle()).toBeNull();
  });

  it("a stream's end waits behind the frames still queued; clear() drops them", () => {
    const clock = new Clock();
    const consumer = new SlowConsumer(10, clock.now, clock);
    const log: string[] = [];
    for (let i = 1; i <= 3; i++) consumer.offer(clock.time, () => log.push(`frame ${i}`));
    consumer.afterQueue(() => log.push('end'));
    expect(log).toEqual(['frame 1']);
    clock.advance(20);
    expect(log).toEqual(['frame 1', 'frame 2', 'frame 3']);
    clock.advance(10);
    expect(log).toEqual(['frame 1', 'frame 2', 'frame 3', 'end']);

    const dropped = new SlowConsumer(10, clock.now, clock);
    const seen: number[] = [];
    for (let i = 1; i <= 3; i++) dropped.offer(clock.time, () => seen.push(i));
    dropped.clear();
    clock.advance(100);
    expect(seen).toEqual([1]);
    expect(dropped.queued).toBe(0);
  });

  it('keeps a long queue compact: handled frames are let go while it never drains', () => {
    const clock = new Clock();
    const consumer = new SlowConsumer(1, clock.now, clock);
    let handled = 0;
    for (let i = 0; i < 5_000; i++) consumer.offer(clock.time, () => handled++);
    clock.advance(3_000);
    expect(handled).toBe(3_001);
    expect(consumer.queued).toBe(1_999);
    clock.advance(2_000);
    expect(handled).toBe(5_000);
  });
});
