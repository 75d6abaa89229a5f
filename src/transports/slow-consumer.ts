/**
 * The slow consumer: a page that spends `costMs` on every frame before it can take the next one.
 * One per lane, put between a transport's receive path and its listeners, so it holds every lane back
 * the same way, and each lane honestly shows what its API does about a page that cannot keep up:
 *
 * - Push APIs (WebSocket's `onmessage`, EventSource, a poll answer): the browser delivers whatever
 *   arrives, whether the page is ready or not. The transport hands each frame over as it arrives
 *   (`offer`); frames the page has received but not got to wait in a queue that nothing bounds
 *   (`queued`), and latency grows with it.
 * - Pull APIs (a `WebSocketStream` reader, a `fetch` body reader): the transport reads only when the
 *   page is free (`whenIdle`). While it is busy nothing is read, the stream's small internal queue
 *   fills, the browser stops reading the socket, and TCP pushes back to the sender. The page holds at
 *   most what one read gave it (one message; one chunk of SSE events).
 *
 * Contracts:
 * - The receive stamp a listener gets is the moment the page got to the frame (after the queue), on
 *   the injected clock; with `costMs` 0 it is the arrival stamp itself and nothing is deferred.
 * - Frames are handled one at a time, in the order offered; after each one the page is busy for
 *   `costMs` (a timer, not a busy loop: lanes that share a thread do not slow each other down). A late
 *   timer makes the page slower, never the stamp earlier.
 * - `afterQueue(fn)` runs `fn` once everything offered before it has been handled (a stream's end
 *   waits behind its frames). `clear()` drops what is queued (the user closed the lane).
 */
import type { Timers } from '../protocol/player.ts';
import { preciseNow } from '../protocol/frame.ts';

/** Bounds of the slow-consumer setting (ms the page spends per frame). */
export const SLOW_CONSUMER_MS = { min: 0, max: 1000, default: 0 } as const;

/** The setting as a parameter (URL `slowMs=` and the input), like the backoff settings. */
export const slowConsumerParamSpecs = [
  {
    name: 'slowMs',
    label: 'Slow consumer',
    unit: 'ms',
    min: SLOW_CONSUMER_MS.min,
    max: SLOW_CONSUMER_MS.max,
    default: SLOW_CONSUMER_MS.default,
    description: 'The page spends this long on every frame before it takes the next one, in every lane (0: as fast as it can).',
  },
] as const;

export interface FrameConsumer {
  /** Time the page spends per frame. */
  readonly costMs: number;
  /** Frames received and not yet got to (the one being handled is not counted). */
  readonly queued: number;
  /** The most `queued` has been. */
  readonly maxQueued: number;
  /** Frames handled so far. */
  readonly handled: number;
  /** A frame arrived at `arrivedAt`: `handle(at)` runs when the page gets to it, `at` being that moment. */
  offer(arrivedAt: number, handle: (at: number) => void): void;
  /** Null when the page is free now; otherwise resolves once it is (a pull reader reads then). */
  whenIdle(): Promise<void> | null;
  /** Runs `fn` after every frame offered so far (at once when none waits). */
  afterQueue(fn: () => void): void;
  /** Drops what waits; the page stops working on this lane. */
  clear(): void;
}

const globalTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

type Job = { kind: 'frame'; handle: (at: number) => void } | { kind: 'after'; fn: () => void };

export class SlowConsumer implements FrameConsumer {
  private readonly jobs: Job[] = [];
  private head = 0;
  private waiting = 0;
  private most = 0;
  private done = 0;
  private busy: unknown = null;
  private idleWaiters: (() => void)[] = [];

  constructor(
    readonly costMs: number,
    private readonly now: () => number = preciseNow,
    private readonly timers: Timers = globalTimers,
  ) {}

  get queued(): number {
    return this.waiting;
  }

  get maxQueued(): number {
    return this.most;
  }

  get handled(): number {
    return this.done;
  }

  offer(arrivedAt: number, handle: (at: number) => void): void {
    if (this.costMs <= 0 && this.busy === null && this.head === this.jobs.length) {
      // A page that keeps up: the frame is handled as it arrives.
      this.done++;
      handle(arrivedAt);
      return;
    }
    this.jobs.push({ kind: 'frame', handle });
    this.waiting++;
    if (this.waiting > this.most) this.most = this.waiting;
    if (this.busy === null) this.pump();
  }

  whenIdle(): Promise<void> | null {
    if (this.busy === null && this.head === this.jobs.length) return null;
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  afterQueue(fn: () => void): void {
    if (this.busy === null && this.head === this.jobs.length) {
      fn();
      return;
    }
    this.jobs.push({ kind: 'after', fn });
  }

  clear(): void {
    if (this.busy !== null) this.timers.clearTimeout(this.busy);
    this.busy = null;
    this.jobs.length = 0;
    this.head = 0;
    this.waiting = 0;
    this.wakeIdle();
  }

  /** The page is free: handle the next frame (and any end waiting behind frames already handled). */
  private pump(): void {
    while (this.head < this.jobs.length) {
      const job = this.jobs[this.head++];
      if (this.head >= 1024 && this.head * 2 >= this.jobs.length) {
        // Let go of handled jobs (and the frames they hold) in a queue that never drains.
        this.jobs.splice(0, this.head);
        this.head = 0;
      }
      if (job.kind === 'after') {
        job.fn();
        continue;
      }
      this.waiting--;
      this.done++;
      job.handle(this.now());
      if (this.costMs > 0) {
        this.busy = this.timers.setTimeout(() => {
          this.busy = null;
          this.pump();
        }, this.costMs);
        return;
      }
    }
    this.jobs.length = 0;
    this.head = 0;
    this.wakeIdle();
  }

  private wakeIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }
}
