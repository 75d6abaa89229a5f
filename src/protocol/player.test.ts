import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Frame } from './frame.ts';
import { play, type PlayerOptions, type Timers } from './player.ts';
import { createSchedule, type PlannedFrame, type Schedule } from './schedule.ts';

/** A manual clock with timers on it: nothing happens until `advance`. */
class FakeClock implements Timers {
  time: number;
  private nextId = 1;
  private readonly pending = new Map<number, { at: number; fn: () => void }>();
  cleared = 0;

  constructor(start = 1_000) {
    this.time = start;
  }

  now = (): number => this.time;

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.pending.set(id, { at: this.time + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    if (typeof handle === 'number' && this.pending.delete(handle)) this.cleared++;
  }

  /** Timers armed right now. */
  get armed(): number {
    return this.pending.size;
  }

  private earliest(): { id: number; at: number } | null {
    let found: { id: number; at: number } | null = null;
    for (const [id, t] of this.pending) {
      if (found === null || t.at < found.at) found = { id, at: t.at };
    }
    return found;
  }

  /** Fires the earliest timer only (moving the clock to it if it lies ahead); false if none. */
  fireOne(): boolean {
    const first = this.earliest();
    if (first === null) return false;
    const timer = this.pending.get(first.id);
    this.pending.delete(first.id);
    this.time = Math.max(this.time, first.at);
    timer?.fn();
    return true;
  }

  /** Moves the clock forward, firing each due timer at its own due time, in order. */
  advance(ms: number): void {
    const target = this.time + ms;
    for (let first = this.earliest(); first !== null && first.at <= target; first = this.earliest()) {
      this.fireOne();
    }
    this.time = target;
  }

  /** Jumps the clock without firing anything (a late event loop). */
  jump(ms: number): void {
    this.time += ms;
  }
}

/** A schedule from a list of gaps. */
function scheduleOf(gaps: number[], kind: Frame['kind'] = 'tick'): Schedule {
  const frames: PlannedFrame[] = gaps.map((gapMs, i) => ({ seq: i + 1, gapMs, kind, data: `d${i + 1}` }));
  return frames[Symbol.iterator]() as Schedule;
}

interface Harness {
  clock: FakeClock;
  sent: Frame[];
  done: number[];
}

function harness(start = 1_000): Harness {
  return { clock: new FakeClock(start), sent: [], done: [] };
}

function start(h: Harness, schedule: Schedule, extra: Partial<PlayerOptions> = {}) {
  return play({
    schedule,
    now: h.clock.now,
    timers: h.clock,
    send: (frame) => {
      h.sent.push(frame);
    },
    onDone: (last) => h.done.push(last),
    ...extra,
  });
}

describe('play', () => {
  it('sends each frame at its due time, stamped with now()', () => {
    const h = harness(1_000);
    start(h, scheduleOf([100, 50, 0, 200]));
    expect(h.sent).toEqual([]);

    h.clock.advance(99);
    expect(h.sent).toEqual([]);
    h.clock.advance(1);
    expect(h.sent).toEqual([{ type: 'frame', seq: 1, t: 1_100, kind: 'tick', data: 'd1' }]);

    h.clock.advance(49);
    expect(h.sent).toHaveLength(1);
    h.clock.advance(1);
    // A gap of 0 goes out in the same turn as the frame before it.
    expect(h.sent.map((f) => [f.seq, f.t])).toEqual([
      [1, 1_100],
      [2, 1_150],
      [3, 1_150],
    ]);

    h.clock.advance(199);
    expect(h.sent).toHaveLength(3);
    h.clock.advance(1);
    expect(h.sent.map((f) => [f.seq, f.t])).toEqual([
      [1, 1_100],
      [2, 1_150],
      [3, 1_150],
      [4, 1_350],
    ]);
  });

  it('plays a real schedule: ticker frames 1000/rate apart', () => {
    const h = harness(0);
    start(h, createSchedule({ scenario: 'ticker', params: { rate: 100, size: 16, count: 5, seed: 1 } }));
    h.clock.advance(1_000);
    expect(h.sent.map((f) => f.seq)).toEqual([1, 2, 3, 4, 5]);
    h.sent.forEach((f, i) => expect(f.t).toBeCloseTo(10 * (i + 1), 9));
  });

  it('keeps to the schedule when a timer fires late: overdue frames go out at once, stamped late', () => {
    const h = harness(0);
    start(h, scheduleOf([10, 10, 10, 10]));
    // The event loop stalls for 35 ms, then the pending timer fires.
    h.clock.jump(35);
    h.clock.advance(0);
    expect(h.sent.map((f) => [f.seq, f.t])).toEqual([
      [1, 35],
      [2, 35],
      [3, 35],
    ]);
    // Frame 4 is still due at 40, not 35 + 10.
    h.clock.advance(4);
    expect(h.sent).toHaveLength(3);
    h.clock.advance(1);
    expect(h.sent.map((f) => f.seq)).toEqual([1, 2, 3, 4]);
    expect(h.sent[3].t).toBe(40);
  });

  it('sends at most maxBatch frames per turn and yields with a 0 ms timer', () => {
    const h = harness(0);
    start(h, scheduleOf([0, 0, 0, 0, 0]), { maxBatch: 2 });
    const counts: number[] = [];
    // Fire one timer at a time without moving the clock.
    while (counts.length < 10 && h.clock.fireOne()) counts.push(h.sent.length);
    expect(counts).toEqual([2, 4, 5]);
    expect(h.done).toEqual([5]);
  });

  it('calls onDone once with the last seq, after the last frame, and disarms', () => {
    const h = harness(0);
    const player = start(h, scheduleOf([5, 5, 5]));
    h.clock.advance(14);
    expect(h.done).toEqual([]);
    expect(player.stopped).toBe(false);
    h.clock.advance(1);
    expect(h.done).toEqual([3]);
    expect(player.lastSeq).toBe(3);
    expect(player.stopped).toBe(true);
    expect(h.clock.armed).toBe(0);
    h.clock.advance(10_000);
    player.resume();
    player.stop();
    expect(h.done).toEqual([3]);
  });

  it('calls onDone(0) for an empty schedule, without sending', () => {
    const h = harness(0);
    start(h, scheduleOf([]));
    h.clock.advance(1_000);
    expect(h.sent).toEqual([]);
    expect(h.done).toEqual([0]);
    expect(h.clock.armed).toBe(0);
  });

  it('never calls onDone for an endless schedule', () => {
    const h = harness(0);
    const player = start(h, createSchedule({ scenario: 'ticker', params: { rate: 1000, size: 16, count: 0, seed: 1 } }));
    h.clock.advance(2_000);
    expect(h.sent).toHaveLength(2_000);
    expect(h.done).toEqual([]);
    player.stop();
  });

  describe('stop()', () => {
    it('clears the pending timer and nothing is sent afterwards', () => {
      const h = harness(0);
      const player = start(h, scheduleOf([10, 10, 10, 10]));
      h.clock.advance(20);
      expect(h.sent.map((f) => f.seq)).toEqual([1, 2]);
      expect(h.clock.armed).toBe(1);

      player.stop();
      expect(h.clock.armed).toBe(0);
      expect(h.clock.cleared).toBe(1);
      expect(player.stopped).toBe(true);
      expect(player.lastSeq).toBe(2);

      h.clock.advance(1_000);
      expect(h.sent.map((f) => f.seq)).toEqual([1, 2]);
      expect(h.done).toEqual([]);
    });

    it('before the first frame sends nothing at all', () => {
      const h = harness(0);
      const player = start(h, scheduleOf([600, 10]));
      player.stop();
      expect(h.clock.armed).toBe(0);
      h.clock.advance(10_000);
      expect(h.sent).toEqual([]);
      expect(player.lastSeq).toBe(0);
    });

    it('from inside send ends the batch at once', () => {
      const h = harness(0);
      const player = play({
        schedule: scheduleOf([0, 0, 0, 0]),
        now: h.clock.now,
        timers: h.clock,
        send: (frame) => {
          h.sent.push(frame);
          if (frame.seq === 2) player.stop();
        },
        onDone: (last) => h.done.push(last),
      });
      h.clock.advance(100);
      expect(h.sent.map((f) => f.seq)).toEqual([1, 2]);
      expect(h.clock.armed).toBe(0);
      expect(h.done).toEqual([]);
    });

    it('works with the global timers too (vitest fake timers)', () => {
      vi.useFakeTimers();
      let clock = 0;
      const sent: number[] = [];
      const player = play({
        schedule: scheduleOf([10, 10, 10]),
        now: () => clock,
        send: (frame) => {
          sent.push(frame.seq);
        },
      });
      expect(vi.getTimerCount()).toBe(1);
      clock = 10;
      vi.advanceTimersByTime(10);
      expect(sent).toEqual([1]);
      player.stop();
      expect(vi.getTimerCount()).toBe(0);
      clock = 1_000;
      vi.advanceTimersByTime(1_000);
      expect(sent).toEqual([1]);
    });
  });

  describe('backpressure', () => {
    it('pauses when send returns false and resumes where it left off', () => {
      const h = harness(0);
      let accept = true;
      const player = play({
        schedule: scheduleOf([10, 10, 10, 10, 10]),
        now: h.clock.now,
        timers: h.clock,
        send: (frame) => {
          h.sent.push(frame);
          return accept;
        },
        onDone: (last) => h.done.push(last),
      });

      h.clock.advance(10);
      expect(h.sent.map((f) => f.seq)).toEqual([1]);
      accept = false;
      h.clock.advance(10);
      expect(h.sent.map((f) => f.seq)).toEqual([1, 2]);
      // Paused: no timer, nothing more however long we wait.
      expect(h.clock.armed).toBe(0);
      h.clock.advance(1_000);
      expect(h.sent.map((f) => f.seq)).toEqual([1, 2]);
      expect(player.stopped).toBe(false);

      accept = true;
      player.resume();
      // The rest is overdue by now: it goes out on the next turn, stamped with the time it left.
      h.clock.advance(0);
      expect(h.sent.map((f) => [f.seq, f.t])).toEqual([
        [1, 10],
        [2, 20],
        [3, 1_020],
        [4, 1_020],
        [5, 1_020],
      ]);
      expect(h.done).toEqual([5]);
    });

    it('resume() when not paused does not arm a second timer', () => {
      const h = harness(0);
      const player = start(h, scheduleOf([10, 10]));
      expect(h.clock.armed).toBe(1);
      player.resume();
      player.resume();
      expect(h.clock.armed).toBe(1);
      h.clock.advance(20);
      expect(h.sent.map((f) => f.seq)).toEqual([1, 2]);
    });

    it('pausing on the last frame delays onDone until resume()', () => {
      const h = harness(0);
      const player = play({
        schedule: scheduleOf([1, 1]),
        now: h.clock.now,
        timers: h.clock,
        send: (frame) => {
          h.sent.push(frame);
          return frame.seq !== 2;
        },
        onDone: (last) => h.done.push(last),
      });
      h.clock.advance(100);
      expect(h.sent).toHaveLength(2);
      expect(h.done).toEqual([]);
      player.resume();
      expect(h.done).toEqual([2]);
    });

    it('stop() while paused stays stopped after resume()', () => {
      const h = harness(0);
      const player = play({
        schedule: scheduleOf([1, 1, 1]),
        now: h.clock.now,
        timers: h.clock,
        send: (frame) => {
          h.sent.push(frame);
          return false;
        },
        onDone: (last) => h.done.push(last),
      });
      h.clock.advance(1);
      player.stop();
      player.resume();
      h.clock.advance(100);
      expect(h.sent.map((f) => f.seq)).toEqual([1]);
      expect(h.clock.armed).toBe(0);
      expect(h.done).toEqual([]);
    });
  });
});

describe('play: holding at a frame (the agent loop)', () => {
  it('sends nothing after a hold frame until release, and the next gap counts from the release', () => {
    const clock = new FakeClock();
    const sent: Array<{ seq: number; at: number }> = [];
    const frames: PlannedFrame[] = [
      { seq: 1, gapMs: 0, kind: 'token', data: 'a' },
      { seq: 2, gapMs: 5, kind: 'tool', data: '{"turn":1}' },
      { seq: 3, gapMs: 100, kind: 'token', data: 'b' },
      { seq: 4, gapMs: 5, kind: 'end', data: '' },
    ];
    const done: number[] = [];
    const player = play({
      schedule: frames[Symbol.iterator]() as Schedule,
      timers: clock,
      now: clock.now,
      send: (frame) => void sent.push({ seq: frame.seq, at: clock.time }),
      onDone: (last) => done.push(last),
      holdAfter: (frame) => frame.kind === 'tool',
    });
    clock.advance(10_000);
    expect(sent.map((f) => f.seq)).toEqual([1, 2]);
    expect(player.held).toBe(true);
    expect(clock.armed).toBe(0);
    player.resume(); // backpressure's resume does not end a hold
    clock.advance(1_000);
    expect(sent).toHaveLength(2);
    const releasedAt = clock.time;
    expect(player.release(50)).toBe(true);
    expect(player.release()).toBe(false);
    clock.advance(10_000);
    expect(sent.map((f) => f.seq)).toEqual([1, 2, 3, 4]);
    expect(sent[2].at - releasedAt).toBe(150); // 50 ms modelled + the frame's own 100 ms gap
    expect(done).toEqual([4]);
  });
});

afterEach(() => {
  vi.useRealTimers();
});
