/**
 * The counters a lab backend keeps (GET /api/stats), and timers that keep `activeTimers` true.
 * Pure and isomorphic: the live server and the mock count the same things.
 */
import type { Timers } from '../protocol/player.ts';

export type PerTransport = { sse: number; fetch: number; ws: number };

export interface LabServerStats {
  /** Streams open right now, by transport (`fetch` is POST /api/stream). */
  open: PerTransport;
  /** Streams ever opened. */
  opened: PerTransport;
  /** Frames written, all streams. */
  framesSent: number;
  /** Writes attempted on a stream after its client went away. Anything but 0 is a leak. */
  writesAfterClose: number;
  /** Timers (pacing, heartbeat, backpressure, flaky drops) armed right now. */
  activeTimers: number;
  /** Connections refused by an outage or answered with an injected HTTP error. */
  refused: PerTransport;
  /** Connections dropped on purpose (drop fault, outage, flaky). */
  dropped: PerTransport;
  /** POST /api/stream requests refused for a missing or wrong token. */
  unauthorized: number;
  /** Chat messages answered (POST /api/chat and WebSocket). */
  chat: number;
  /** GET /api/poll requests answered, and polled streams playing now. */
  polls: number;
  pollStreams: number;
  /** WebSocket upgrades refused with 403 for an Origin the server does not allow. */
  forbiddenOrigin: number;
  /** Requests refused by a limit (streams per address or in total, polling sessions, slow readers closed). */
  limited: number;
  /** Control requests (faults, auth, chat, memory) refused for coming from another site. */
  forbiddenControl: number;
}

export function createCounters(): LabServerStats {
  return {
    open: { sse: 0, fetch: 0, ws: 0 },
    opened: { sse: 0, fetch: 0, ws: 0 },
    framesSent: 0,
    writesAfterClose: 0,
    activeTimers: 0,
    refused: { sse: 0, fetch: 0, ws: 0 },
    dropped: { sse: 0, fetch: 0, ws: 0 },
    unauthorized: 0,
    chat: 0,
    polls: 0,
    pollStreams: 0,
    forbiddenOrigin: 0,
    limited: 0,
    forbiddenControl: 0,
  };
}

/** Streams open now, all transports. */
export function openTotal(counters: LabServerStats): number {
  return counters.open.sse + counters.open.fetch + counters.open.ws;
}

const globalTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** setTimeout/clearTimeout that the stats can see (`activeTimers`). */
export function countedTimers(counters: LabServerStats, base: Timers = globalTimers): Timers {
  return {
    setTimeout(fn: () => void, ms: number): unknown {
      counters.activeTimers++;
      return base.setTimeout(() => {
        counters.activeTimers--;
        fn();
      }, ms);
    },
    clearTimeout(handle: unknown): void {
      counters.activeTimers--;
      base.clearTimeout(handle);
    },
  };
}
