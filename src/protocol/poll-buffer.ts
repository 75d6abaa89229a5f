/**
 * Polling, the way the lab serves it: the scenario plays on its own clock into a buffer, and each
 * poll takes what arrived after the seq it names. Short polls answer at once (often with nothing);
 * long polls wait until there is something or their wait runs out. Pure and isomorphic: the live
 * server and the mock both use it, each with its own timers.
 */
import type { Frame } from './frame.ts';
import { play, type Player, type Timers } from './player.ts';
import { createSchedule, plannedTotal } from './schedule.ts';
import type { ScenarioConfig } from './scenarios.ts';

export interface PollAnswer {
  frames: Frame[];
  /** Every frame of a finite stream has been handed out. */
  done: boolean;
}

/** Most frames one answer carries; the client polls again at once for the rest. */
export const MAX_FRAMES_PER_POLL = 1000;
/** Frames a buffer keeps; an idle or slow poller past this loses the oldest (and sees the gap). */
export const MAX_BUFFERED = 100_000;

export class PollBuffer {
  private readonly frames: Frame[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly player: Player;
  private readonly total: number | null;
  private finished = false;
  lastUsed: number;

  constructor(config: ScenarioConfig, now: number, timers?: Timers) {
    this.total = plannedTotal(config);
    this.lastUsed = now;
    this.player = play({
      schedule: createSchedule(config),
      timers,
      send: (frame) => {
        this.frames.push(frame);
        if (this.frames.length > MAX_BUFFERED) this.frames.splice(0, this.frames.length - MAX_BUFFERED);
        for (const wake of [...this.waiters]) wake();
      },
      onDone: () => {
        this.finished = true;
        for (const wake of [...this.waiters]) wake();
      },
    });
  }

  /** Frames after `after`, now. */
  take(after: number): PollAnswer {
    // Seqs are contiguous in the buffer: index straight to the first one after `after`.
    const start = Math.max(0, after - (this.frames[0]?.seq ?? 1) + 1);
    const frames = this.frames.slice(start, start + MAX_FRAMES_PER_POLL);
    const last = frames.at(-1)?.seq ?? after;
    return { frames, done: this.finished && (this.total === null || last >= this.total) };
  }

  /** Calls `wake` once when frames after `after` exist (or the stream ended); returns a canceller. */
  wait(after: number, wake: () => void): () => void {
    const check = () => {
      const answer = this.take(after);
      if (answer.frames.length > 0 || answer.done) {
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
