/**
 * A frame allowance shared by every player of one server, so that fast streams together cannot starve
 * plain requests. A player's `maxBatch` bounds one stream's turn only: 100 players each sending 2,000
 * overdue frames from the same timers phase keep the event loop from I/O for a second or more. With a
 * budget, all players together send at most `perTurn` frames, then the loop must get a turn for I/O
 * before the allowance comes back. Isomorphic: the caller says how to run something after I/O.
 *
 * Fair: a player that found the allowance spent waits in a queue, and the queue is served first when
 * the allowance comes back, in the order the players queued; one that runs out again queues behind the
 * rest. A player whose timer fires while others wait queues too. So every waiting stream gets frames
 * within a bounded number of turns, whatever the others ask for.
 */

/**
 * Frames all streams of one server together may send per turn of the event loop. Measured with the
 * bench's `overload` section (100 WebSockets asking 2,000 msg/s each, the server in its own process,
 * 2 CPUs): a WebSocket frame costs about 5–10 µs to send, so 1,000 frames keep the loop from I/O for
 * about 5–10 ms: GET /api/info answered in tens of ms (target ≤ 500 ms), while delivered msg/s stayed
 * within a few % of 5,000 and 20,000 frames per turn. Much smaller turns (100) cost throughput on the
 * per-turn overhead (the poll, the players' timers); much larger ones (10,000+) bring back long stalls.
 */
export const FAIR_FRAMES_PER_TURN = Number(globalThis.process?.env?.LAB_PER_TURN ?? 1_000);

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
   * Takes one frame from this turn's allowance: true means send it now; false means the allowance is
   * spent, so call `wait()` and send nothing more this turn.
   */
  take(): boolean;
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
    // Only those waiting now: a waiter that runs out again queues behind the others, for the next turn.
    for (const waiter of [...waiters]) {
      if (remaining <= 0) break;
      if (!waiters.delete(waiter)) continue; // Cancelled by an earlier waiter (a stream it stopped).
      waiter.fn();
    }
    // Some still wait: the allowance must come back next turn even if nobody else takes a frame.
    if (waiters.size > 0) refillLater();
  }

  return {
    take() {
      if (remaining <= 0) return false;
      remaining--;
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
