/**
 * Polling, the way the lab serves it: the scenario plays on its own clock into a buffer, and each
 * poll takes what arrived after the seq it names. Short polls answer at once (often with nothing);
 * long polls wait until there is something or their wait runs out. Pure and isomorphic: the live
 * server and the mock both use it, each with its own timers.
 */
import type { Frame } from './frame.ts';
import { play, type Player, type Timers } from './player.ts';
import type { FrameBudget } from './frame-budget.ts';
import { MAX_POLL_ANSWER_BYTES, MAX_POLL_BUFFERED_BYTES, MAX_POLL_BUFFERED_FRAMES } from './limits.ts';
import { createSchedule, plannedTotal } from './schedule.ts';
import type { ScenarioConfig } from './scenarios.ts';

export interface PollAnswer {
  frames: Frame[];
  /** Every frame of a finite stream has been handed out. */
  done: boolean;
}

/** Most frames one answer carries; the client polls again at once for the rest. */
export const MAX_FRAMES_PER_POLL = 1000;

/** What a frame weighs in the byte caps: its data plus the JSON around it in an answer. */
function frameBytes(frame: Frame): number {
  return frame.data.length + 64;
}

/**
 * Bounded on both sides: the buffer keeps at most MAX_POLL_BUFFERED_FRAMES frames and
 * MAX_POLL_BUFFERED_BYTES (the oldest go first, and a late poller sees the gap in the seqs); one
 * answer carries at most MAX_FRAMES_PER_POLL frames and MAX_POLL_ANSWER_BYTES (at least one frame).
 */
export class PollBuffer {
  /** frames[head..] are live; the dead prefix is compacted away once it is half the array. */
  private frames: Frame[] = [];
  private head = 0;
  private bytes = 0;
  private readonly waiters = new Set<() => void>();
  private readonly player: Player;
  private readonly total: number | null;
  private finished = false;
  lastUsed: number;

  constructor(config: ScenarioConfig, now: number, timers?: Timers, budget?: FrameBudget) {
    this.total = plannedTotal(config);
    this.lastUsed = now;
    this.player = play({
      schedule: createSchedule(config),
      timers,
      ...(budget ? { budget } : {}),
      send: (frame) => {
        this.frames.push(frame);
        this.bytes += frameBytes(frame);
        while (
          this.frames.length - this.head > 1 &&
          (this.frames.length - this.head > MAX_POLL_BUFFERED_FRAMES || this.bytes > MAX_POLL_BUFFERED_BYTES)
        ) {
          this.bytes -= frameBytes(this.frames[this.head]);
          this.head++;
        }
        if (this.head > 1024 && this.head * 2 > this.frames.length) {
          this.frames = this.frames.slice(this.head);
          this.head = 0;
        }
        for (const wake of [...this.waiters]) wake();
      },
      onDone: () => {
        this.finished = true;
        for (const wake of [...this.waiters]) wake();
      },
    });
  }

  /** Frames held now (for tests and stats). */
  get buffered(): { frames: number; bytes: number } {
    return { frames: this.frames.length - this.head, bytes: this.bytes };
  }

  /** Frames after `after`, now. */
  take(after: number): PollAnswer {
    // Seqs are contiguous in the buffer: index straight to the first one after `after`.
    const first = this.frames[this.head]?.seq ?? 1;
    const start = this.head + Math.max(0, after - first + 1);
    const frames: Frame[] = [];
    let bytes = 0;
    for (let i = start; i < this.frames.length && frames.length < MAX_FRAMES_PER_POLL; i++) {
      bytes += frameBytes(this.frames[i]);
      if (frames.length > 0 && bytes > MAX_POLL_ANSWER_BYTES) break;
      frames.push(this.frames[i]);
    }
    const last = frames.at(-1)?.seq ?? after;
    return { frames, done: this.finished && (this.total === null || last >= this.total) };
  }

  /** Calls `wake` once when frames after `after` exist (or the stream ended); returns a canceller. */
  wait(after: number, wake: () => void): () => void {
    const check = () => {
      const newest = this.frames.at(-1)?.seq ?? 0;
      if (newest > after || this.finished) {
        this.waiters.delete(check);
        wake();
      }
    };
    this.waiters.add(check);
    check();
    return () => this.waiters.delete(check);
  }

  stop(): void {
    this.player.stop();
    this.waiters.clear();
  }
}
