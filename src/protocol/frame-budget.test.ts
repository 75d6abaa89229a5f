import { describe, expect, it } from 'vitest';
import { createFrameBudget, FAIR_FRAMES_PER_TURN, frameCost, PAYLOAD_CHARS_PER_FRAME, type FrameBudget } from './frame-budget.ts';
import type { Frame } from './frame.ts';
import { play, type Player, type Timers } from './player.ts';
import { createSchedule, type PlannedFrame, type Schedule } from './schedule.ts';

/**
 * A manual event loop shaped like Node's: each `turn()` runs the timers due at its start (a timer armed
 * meanwhile waits for the next turn, as a 0 ms timer does on Node), then I/O, then the deferred calls
 * queued before that phase began (setImmediate). Nothing happens until `turn()`.
 */
class FakeLoop implements Timers {
  time = 0;
  private nextId = 1;
  private readonly pending = new Map<number, { at: number; fn: () => void }>();
  private immediates: (() => void)[] = [];
  /** What happened, in order: 'io' once per turn, and the name of each frame sent. */
  readonly trace: string[] = [];

  now = (): number => this.time;

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.pending.set(id, { at: this.time + Math.max(1, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    if (typeof handle === 'number') this.pending.delete(handle);
  }

  defer = (fn: () => void): void => {
    this.immediates.push(fn);
  };

  get armed(): number {
    return this.pending.size;
  }

  get deferred(): number {
    return this.immediates.length;
  }

  /** One turn, `ms` after the last: timers, I/O, then the check phase. */
  turn(ms = 1): void {
    this.time += ms;
    const due = [...this.pending].filter(([, t]) => t.at <= this.time).sort((a, b) => a[1].at - b[1].at || a[0] - b[0]);
    for (const [id, timer] of due) {
      if (this.pending.delete(id)) timer.fn();
    }
    this.trace.push('io');
    const immediates = this.immediates;
    this.immediates = [];
    for (const fn of immediates) fn();
  }

  /** Frames sent between two I/O phases, turn by turn (a turn with none counts 0). */
  perTurn(): number[] {
    const counts = [0];
    for (const entry of this.trace) {
      if (entry === 'io') counts.push(0);
      else counts[counts.length - 1]++;
    }
    return counts;
  }
}

/** A schedule from a list of gaps. */
function scheduleOf(gaps: number[]): Schedule {
  const frames: PlannedFrame[] = gaps.map((gapMs, i) => ({ seq: i + 1, gapMs, kind: 'tick', data: `d${i + 1}` }));
  return frames[Symbol.iterator]() as Schedule;
}

/** A schedule of `n` frames, all due at once: a stream far behind. */
function backlog(n: number): Schedule {
  const frames: PlannedFrame[] = Array.from({ length: n }, (_, i) => ({ seq: i + 1, gapMs: 0, kind: 'tick', data: `d${i + 1}` }));
  return frames[Symbol.iterator]() as Schedule;
}

interface Stream {
  name: string;
  sent: Frame[];
  done: number[];
  player: Player;
}

function stream(loop: FakeLoop, name: string, schedule: Schedule, budget: FrameBudget | undefined, maxBatch?: number): Stream {
  const s: Stream = { name, sent: [], done: [], player: null as unknown as Player };
  s.player = play({
    schedule,
    now: loop.now,
    timers: loop,
    budget,
    maxBatch,
    send(frame) {
      s.sent.push(frame);
      loop.trace.push(name);
    },
    onDone: (last) => s.done.push(last),
  });
  return s;
}

describe('createFrameBudget', () => {
  it('grants perTurn frames, then none until the deferred refill has run', () => {
    const loop = new FakeLoop();
    const budget = createFrameBudget({ perTurn: 3, defer: loop.defer });
    expect(loop.deferred).toBe(0);
    expect([budget.take(), budget.take(), budget.take(), budget.take()]).toEqual([true, true, true, false]);
    // One refill per turn, deferred when the first frame is taken.
    expect(loop.deferred).toBe(1);
    expect(budget.remaining).toBe(0);
    loop.turn();
    expect(budget.remaining).toBe(3);
    expect(loop.deferred).toBe(0);
  });

  it('defers nothing while nobody takes a frame (an idle server keeps no callback queued)', () => {
    const loop = new FakeLoop();
    const budget = createFrameBudget({ perTurn: 10, defer: loop.defer });
    loop.turn();
    expect(loop.deferred).toBe(0);
    budget.take();
    loop.turn();
    loop.turn();
    expect(loop.deferred).toBe(0);
    expect(budget.remaining).toBe(10);
  });

  it('calls waiters first come, first served, when the allowance is back; one that runs out goes last', () => {
    const loop = new FakeLoop();
    const budget = createFrameBudget({ perTurn: 2, defer: loop.defer });
    budget.take();
    budget.take();
    const calls: string[] = [];
    // a takes both frames of the next turn and queues again; b and c wait one more turn.
    const a = () => {
      calls.push('a');
      while (budget.take());
      budget.wait(a);
    };
    const b = () => {
      calls.push('b');
      budget.take();
    };
    const c = () => {
      calls.push('c');
      budget.take();
    };
    budget.wait(a);
    budget.wait(b);
    budget.wait(c);
    expect(budget.waiting).toBe(3);
    loop.turn();
    expect(calls).toEqual(['a']);
    loop.turn();
    expect(calls).toEqual(['a', 'b', 'c']);
    loop.turn();
    expect(calls).toEqual(['a', 'b', 'c', 'a']);
  });

  it('comes back while someone waits even if nobody else takes a frame, and a cancelled waiter is not called', () => {
    const loop = new FakeLoop();
    const budget = createFrameBudget({ perTurn: 1, defer: loop.defer });
    const calls: string[] = [];
    budget.take();
    const cancelA = budget.wait(() => calls.push('a'));
    budget.wait(() => {
      calls.push('b');
      budget.take();
    });
    budget.wait(() => calls.push('c'));
    cancelA();
    loop.turn();
    expect(calls).toEqual(['b']);
    expect(loop.deferred).toBe(1);
    loop.turn();
    expect(calls).toEqual(['b', 'c']);
    expect(budget.waiting).toBe(0);
    loop.turn();
    expect(loop.deferred).toBe(0);
  });

  it('a waiter cancelled by an earlier one in the same refill is not called', () => {
    const loop = new FakeLoop();
    const budget = createFrameBudget({ perTurn: 5, defer: loop.defer });
    const calls: string[] = [];
    budget.take();
    budget.wait(() => {
      calls.push('a');
      cancelB();
    });
    const cancelB = budget.wait(() => calls.push('b'));
    budget.wait(() => calls.push('c'));
    loop.turn();
    expect(calls).toEqual(['a', 'c']);
    expect(budget.waiting).toBe(0);
  });

  it('charges large frames more, and grants the last frame of a turn while anything is left', () => {
    expect([frameCost(0), frameCost(100), frameCost(PAYLOAD_CHARS_PER_FRAME - 1), frameCost(PAYLOAD_CHARS_PER_FRAME)]).toEqual([1, 1, 1, 2]);
    expect(frameCost(65_536)).toBe(43);
    const loop = new FakeLoop();
    const budget = createFrameBudget({ perTurn: 10, defer: loop.defer });
    expect([budget.take(4), budget.take(4), budget.take(4), budget.take(1)]).toEqual([true, true, true, false]);
    expect(budget.remaining).toBe(-2);
    loop.turn();
    // The overdraft is not carried: each turn starts with the whole allowance.
    expect(budget.remaining).toBe(10);
  });

  it('refuses a perTurn below 1 or not an integer', () => {
    const defer = () => undefined;
    expect(() => createFrameBudget({ perTurn: 0, defer })).toThrow(RangeError);
    expect(() => createFrameBudget({ perTurn: 2.5, defer })).toThrow(RangeError);
    expect(() => createFrameBudget({ perTurn: Number.NaN, defer })).toThrow(RangeError);
    expect(FAIR_FRAMES_PER_TURN).toBeGreaterThanOrEqual(1);
  });
});

describe('play with a shared budget', () => {
  it('sends at most perTurn frames between two I/O phases, all players together', () => {
    const loop = new FakeLoop();
    const budget = createFrameBudget({ perTurn: 10, defer: loop.defer });
    const streams = ['a', 'b', 'c', 'd'].map((name) => stream(loop, name, backlog(40), budget));
    for (let i = 0; i < 40 && streams.some((s) => s.done.length === 0); i++) loop.turn();
    expect(streams.map((s) => s.done)).toEqual([[40], [40], [40], [40]]);
    const counts = loop.perTurn();
    expect(Math.max(...counts)).toBe(10);
    // 160 frames at 10 a turn: 16 full turns, no more.
    expect(counts.filter((n) => n > 0)).toEqual(Array(16).fill(10));
  });

  it('serves waiting streams in turn: a stream that asks for more cannot starve the others', () => {
    const loop = new FakeLoop();
    const budget = createFrameBudget({ perTurn: 6, defer: loop.defer });
    // One stream far behind (a maxBatch far above the turn), two that want a little now and then.
    const hog = stream(loop, 'hog', backlog(10_000), budget, 2_000);
    const ticker = (name: string) =>
      stream(loop, name, createSchedule({ scenario: 'ticker', params: { rate: 1000, size: 16, count: 0, seed: 1 } }), budget);
    const small = [ticker('x'), ticker('y')];
    for (let i = 0; i < 200; i++) loop.turn();
    // 200 turns of 1 ms: the tickers asked for about 200 frames each and got all but the last few.
    for (const s of small) expect(s.sent.length).toBeGreaterThan(190);
    // The hog got the rest of the allowance, and never more than a turn's worth at once.
    expect(hog.sent.length).toBeGreaterThan(700);
    expect(Math.max(...loop.perTurn())).toBeLessThanOrEqual(6);
    // No stream went more than a few turns without a frame.
    for (const name of ['hog', 'x', 'y']) {
      let gap = 0;
      let worst = 0;
      for (const entry of loop.trace.slice(loop.trace.indexOf(name))) {
        if (entry === name) gap = 0;
        else if (entry === 'io') worst = Math.max(worst, ++gap);
      }
      expect(worst, name).toBeLessThanOrEqual(3);
    }
    for (const s of [hog, ...small]) s.player.stop();
  });

  it('shares the allowance among streams all far behind, none left out', () => {
    const loop = new FakeLoop();
    const budget = createFrameBudget({ perTurn: 100, defer: loop.defer });
    const streams = Array.from({ length: 20 }, (_, i) => stream(loop, `s${i}`, backlog(10_000), budget));
    for (let i = 0; i < 100; i++) loop.turn();
    const counts = streams.map((s) => s.sent.length);
    // 101 allowances of 100 (the first turn's timers phase, then each check phase), all spent; each
    // stream within one allowance of its fair share.
    expect(loop.perTurn()).toEqual(Array(101).fill(100));
    for (const n of counts) expect(Math.abs(n - 10_100 / 20)).toBeLessThanOrEqual(100);
    for (const s of streams) s.player.stop();
  });

  it('stop() while waiting for the budget: nothing more is sent, no timer, no waiter left', () => {
    const loop = new FakeLoop();
    const budget = createFrameBudget({ perTurn: 2, defer: loop.defer });
    const a = stream(loop, 'a', backlog(10), budget);
    const b = stream(loop, 'b', backlog(10), budget);
    // a's timer fires first and takes the two frames, then a and b queue (in that order); after I/O,
    // a gets the next two and queues again, behind b.
    loop.turn();
    expect([a.sent.length, b.sent.length]).toEqual([4, 0]);
    expect(budget.waiting).toBe(2);
    b.player.stop();
    expect(budget.waiting).toBe(1);
    a.player.stop();
    expect(budget.waiting).toBe(0);
    for (let i = 0; i < 10; i++) loop.turn();
    expect([a.sent.length, b.sent.length]).toEqual([4, 0]);
    expect(loop.armed).toBe(0);
    expect(loop.deferred).toBe(0);
    expect([a.done, b.done]).toEqual([[], []]);
  });

  it('stop() from inside send, when called by the budget, ends the stream there', () => {
    const loop = new FakeLoop();
    const budget = createFrameBudget({ perTurn: 1, defer: loop.defer });
    const sent: number[] = [];
    const other = stream(loop, 'other', backlog(5), budget);
    const player: Player = play({
      schedule: backlog(5),
      now: loop.now,
      timers: loop,
      budget,
      send(frame) {
        sent.push(frame.seq);
        if (frame.seq === 2) player.stop();
      },
    });
    for (let i = 0; i < 20; i++) loop.turn();
    expect(sent).toEqual([1, 2]);
    expect(other.done).toEqual([5]);
    expect(loop.armed).toBe(0);
    expect(budget.waiting).toBe(0);
  });

  it('a stream of large frames gets fewer of them per turn', () => {
    const loop = new FakeLoop();
    const budget = createFrameBudget({ perTurn: 10, defer: loop.defer });
    const big = 'x'.repeat(4 * PAYLOAD_CHARS_PER_FRAME); // costs 5
    const frames: PlannedFrame[] = Array.from({ length: 6 }, (_, i) => ({ seq: i + 1, gapMs: 0, kind: 'tick', data: big }));
    stream(loop, 'a', frames[Symbol.iterator]() as Schedule, budget);
    loop.turn();
    loop.turn();
    expect(loop.perTurn()).toEqual([2, 2, 2]);
  });

  it('a frame held back goes out after I/O, stamped when it leaves; the schedule stays as planned', () => {
    const loop = new FakeLoop();
    const budget = createFrameBudget({ perTurn: 2, defer: loop.defer });
    const a = stream(loop, 'a', scheduleOf([1, 0, 0, 5]), budget);
    loop.turn(); // t = 1: frames 1 and 2 in the timers phase, frame 3 (due too) after I/O.
    expect(loop.trace).toEqual(['a', 'a', 'io', 'a']);
    loop.turn(5); // t = 6: frame 4, due at 6, on time.
    expect(a.sent.map((f) => [f.seq, f.t])).toEqual([
      [1, 1],
      [2, 1],
      [3, 1],
      [4, 6],
    ]);
    expect(loop.trace).toEqual(['a', 'a', 'io', 'a', 'a', 'io']);
    expect(a.done).toEqual([4]);
  });

  it('a backpressured stream waits for resume(), not for the budget', () => {
    const loop = new FakeLoop();
    const budget = createFrameBudget({ perTurn: 5, defer: loop.defer });
    const sent: number[] = [];
    const player = play({
      schedule: backlog(4),
      now: loop.now,
      timers: loop,
      budget,
      send(frame) {
        sent.push(frame.seq);
        return frame.seq !== 2;
      },
    });
    loop.turn();
    loop.turn();
    expect(sent).toEqual([1, 2]);
    expect(budget.waiting).toBe(0);
    expect(loop.armed).toBe(0);
    player.resume();
    loop.turn();
    expect(sent).toEqual([1, 2, 3, 4]);
  });
});
