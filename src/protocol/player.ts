/**
 * Plays a schedule in real time: stamps each frame with the sender's clock as it leaves and hands it
 * to `send`. Isomorphic: the live server and the MSW mocks both use it, so they differ only in what
 * `send` writes to.
 */
import { type FrameBudget, frameCost } from './frame-budget.ts';
import { type Frame, preciseNow } from './frame.ts';
import type { PlannedFrame, Schedule } from './schedule.ts';

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const globalTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface PlayerOptions {
  schedule: Schedule;
  /** Writes one frame. Returning false pauses the player until `resume()` (backpressure). */
  send(frame: Frame): boolean | void;
  /** Called once after the last frame of a finite schedule, with the last seq sent (0 if none). */
  onDone?(lastSeq: number): void;
  now?(): number;
  timers?: Timers;
  /** Most frames sent in one turn of the event loop, so a backlog cannot starve other work. */
  maxBatch?: number;
  /**
   * Shared by the players of one server: each frame is taken from it first (large payloads cost more,
   * see frameCost), and once it is spent the player sends nothing more until it calls back (a later
   * turn, after I/O). Without it, only maxBatch bounds a turn, per stream.
   */
  budget?: FrameBudget;
  /**
   * After a frame for which this answers true, the player holds: it sends nothing more until
   * `release()`, and the next frame's gap counts from the release (the agent loop's tool call: the
   * next step starts when the result is in).
   */
  holdAfter?(frame: PlannedFrame): boolean;
}

export interface Player {
  stop(): void;
  resume(): void;
  /**
   * Ends a hold (see `holdAfter`): the next frame is due its gap + `delayMs` from now. False when the
   * player was not holding (nothing changes).
   */
  release(delayMs?: number): boolean;
  /** Holding after a `holdAfter` frame. */
  readonly held: boolean;
  readonly lastSeq: number;
  readonly stopped: boolean;
}

export function play(options: PlayerOptions): Player {
  const now = options.now ?? preciseNow;
  const timers = options.timers ?? globalTimers;
  const maxBatch = options.maxBatch ?? 2000;
  const budget = options.budget;
  let next: PlannedFrame | undefined = options.schedule.next().value;
  let due = now() + (next?.gapMs ?? 0);
  let handle: unknown = null;
  /** Cancels the wait for the budget; set while the player waits for it (then no timer is armed). */
  let waiting: (() => void) | null = null;
  let stopped = false;
  let paused = false;
  let held = false;
  let lastSeq = 0;

  const arm = () => {
    if (stopped || paused || held || handle !== null || waiting !== null) return;
    if (!next) {
      stopped = true;
      options.onDone?.(lastSeq);
      return;
    }
    handle = timers.setTimeout(tick, Math.max(0, due - now()));
  };

  function tick() {
    handle = null;
    waiting = null;
    let batch = 0;
    while (!stopped && !paused && !held && next && due <= now() && batch < maxBatch) {
      if (budget && !budget.take(frameCost(next.data.length))) {
        // All players together have sent their share of this turn: go on after I/O, in turn.
        waiting = budget.wait(tick);
        return;
      }
      const planned: PlannedFrame = next;
      next = options.schedule.next().value;
      if (next) due += next.gapMs;
      lastSeq = planned.seq;
      batch++;
      const ok = options.send({
        type: 'frame',
        seq: planned.seq,
        t: now(),
        kind: planned.kind,
        data: planned.data,
      });
      if (ok === false) paused = true;
      if (options.holdAfter?.(planned) === true && next) held = true;
    }
    arm();
  }

  arm();

  return {
    stop() {
      stopped = true;
      if (handle !== null) timers.clearTimeout(handle);
      handle = null;
      waiting?.();
      waiting = null;
    },
    resume() {
      if (!paused) return;
      paused = false;
      arm();
    },
    release(delayMs = 0) {
      if (!held || stopped) return false;
      held = false;
      if (next) due = now() + delayMs + next.gapMs;
      arm();
      return true;
    },
    get held() {
      return held;
    },
    get lastSeq() {
      return lastSeq;
    },
    get stopped() {
      return stopped;
    },
  };
}
