/**
 * A frame allowance shared by every player of one server, so that fast streams together cannot starve
 * plain requests. A player's `maxBatch` bounds one stream's turn only: 100 players each sending 2,000
 * overdue frames from the same timers phase kept the event loop from I/O for seconds (issue 10). With a
 * budget, all players together send at most `perTurn` frames (large ones count more, see frameCost),
 * then the loop must get a turn for I/O before the allowance comes back. Isomorphic: the caller says how to run something after I/O.
 *
 * Fair: a player that found the allowance spent waits in a queue, and the queue is served first when
 * the allowance comes back, in the order the players queued; one that runs out again queues behind the
 * rest. A player whose timer fires while others wait queues too. So every waiting stream gets frames
 * within a bounded number of turns, whatever the others ask for.
 */

/**
 * Frames (small-frame units, see frameCost) all streams of one server together may send per turn of
 * the event loop. Picked with the bench's `overload` section (100 WebSockets asking 2,000 msg/s each,
 * 100-byte frames, server and clients in processes of their own, 2 shared CPUs), sweeping it:
 *
 *   per turn                   100     300   1,000   3,000  10,000   none
 *   GET /api/info p95 (ms)       5       6      12      27      65   3,490
 *   GET /api/info worst (ms)     9      20      22      49     160   3,510
 *   delivered (k msg/s)        127     125     124     131     136     129
 *
 * A plain request waits about one turn, and a turn costs 5–7 µs a frame, so the wait grows with the
 * allowance; delivered msg/s did not move beyond the machine's noise (±25 %), because the turn's own
 * cost (a poll, a setImmediate, ~10 µs) is under 1 % of 1,000 frames. 1,000 keeps the wait ~40 times
 * under the 500 ms target here, room for a slower machine or costlier frames.
 */
export const FAIR_FRAMES_PER_TURN = 1_000;

/**
 * Payload characters that cost about as much to send as a whole small frame. Measured on the live
 * server (WebSocket, sender and reader in one process): ~7.5 µs for a frame of 16–100 bytes, ~24 µs
 * for 4 KiB, ~310 µs for 64 KiB, i.e. about 7 µs plus 4.7 µs per KiB.
 */
export const PAYLOAD_CHARS_PER_FRAME = 1_536;

/**
 * What one frame takes from a budget: 1 for a small frame, more for a large payload, so that a turn
 * lasts about as long whatever the frame size (1,000 frames of 64 KiB would hold the loop for ~0.3 s).
 */
export function frameCost(dataLength: number): number {
  return 1 + Math.floor(dataLength / PAYLOAD_CHARS_PER_FRAME);
}

export interface FrameBudgetOptions {
  /** Frames all players together may send before the event loop must get a turn for I/O (≥ 1). */
  perTurn: number;
  /**
   * Runs `fn` once, after the I/O that is pending now has been handled (on Node: `setImmediate`,
   * which runs after the poll phase). Never synchronously, never as a microtask.
   */
  defer(fn: () => void): void;
}

export interface FrameBudget {
  /**
   * Takes a frame of `cost` (default 1; see `frameCost`) from this turn's allowance: true means send it
   * now; false means the allowance is spent, so call `wait()` and send nothing more this turn. A frame
   * is granted while anything is left, so the last one of a turn may overdraw it (by less than its cost).
   */
  take(cost?: number): boolean;
  /**
   * Calls `fn` once on a later turn, when the allowance is back, before any player that did not wait.
   * Waiters are called first come, first served. Returns a canceller (for a player stopped meanwhile).
   */
  wait(fn: () => void): () => void;
  /** Frames left in this turn's allowance. */
  readonly remaining: number;
  /** Players waiting for the allowance to come back. */
  readonly waiting: number;
}

export function createFrameBudget({ perTurn, defer }: FrameBudgetOptions): FrameBudget {
  if (!Number.isInteger(perTurn) || perTurn < 1) throw new RangeError(`perTurn must be an integer ≥ 1; got ${perTurn}`);
  let remaining = perTurn;
  /** A refill is deferred: the allowance comes back once the loop has had its turn for I/O. */
  let refillPending = false;
  /** In the order they queued (a Set keeps insertion order and deletes in O(1)). */
  const waiters = new Set<{ fn: () => void }>();

  const refillLater = () => {
    if (refillPending) return;
    refillPending = true;
    defer(refill);
  };

  function refill() {
    refillPending = false;
    remaining = perTurn;
    // Only those waiting now (a waiter that runs out queues again behind the others, for the next
    // turn). A Set iterated while it changes skips entries deleted meanwhile (streams stopped by an
    // earlier waiter) and visits the ones added: `calls` keeps those for the next turn.
    let calls = waiters.size;
    for (const waiter of waiters) {
      if (remaining <= 0 || calls-- <= 0) break;
      waiters.delete(waiter);
      waiter.fn();
    }
    // Some still wait: the allowance must come back next turn even if nobody else takes a frame.
    if (waiters.size > 0) refillLater();
  }

  return {
    take(cost = 1) {
      if (remaining <= 0) return false;
      remaining -= cost;
      refillLater();
      return true;
    },
    wait(fn) {
      const waiter = { fn };
      waiters.add(waiter);
      refillLater();
      return () => {
        waiters.delete(waiter);
      };
    },
    get remaining() {
      return remaining;
    },
    get waiting() {
      return waiters.size;
    },
  };
}
