/**
 * What the mock remembers, shared by its stream handlers (handlers.ts) and its control endpoints
 * (control-handlers.ts): the open streams, the faults, the stream log, resume positions, poll buffers
 * and the token. It lives in the tab, as long as the page does.
 */
import { FaultBook, targets, type Fault, type FaultTarget, type StreamTransport } from '../protocol/faults.ts';
import { StreamLog, type StopReason, type StreamRecord } from '../protocol/stream-log.ts';
import { preciseNow, type ReplyMessage } from '../protocol/frame.ts';
import type { Player } from '../protocol/player.ts';
import type { PollBuffer } from '../protocol/poll-buffer.ts';
import type { StreamOptions } from '../protocol/stream-options.ts';

export interface MockStream {
  transport: StreamTransport;
  run: string;
  player: Player;
  record: StreamRecord;
  drop(): void;
  /** SSE streams: the answer to a chat message sent on the side channel. */
  reply?(message: ReplyMessage): void;
}

/** How far each `sse|<run>` got: Chromium does not show Last-Event-ID to the service worker. */
export const positions = new Map<string, number>();
export const streams = new Set<MockStream>();
export const faults = new FaultBook();
export const log = new StreamLog();
export const pollBuffers = new Map<string, PollBuffer>();

let token: string | null = null;

/** The token POST /api/stream requires (null: none), set by POST /api/auth. */
export function mockToken(): string | null {
  return token;
}

export function setMockToken(next: string | null): void {
  token = next;
}

/**
 * The page closed its EventSource / aborted its fetch (POST /api/mock/client-closed). A live server
 * notices the connection go; a mocked EventSource is never signalled, so the page says it.
 */
export function mockClientClosed(run: string, transports: readonly StreamTransport[]): number {
  let n = 0;
  for (const stream of [...streams]) {
    if (stream.run !== run || !transports.includes(stream.transport)) continue;
    StreamLog.stop(stream.record, preciseNow(), 'client-closed');
    stream.player.stop();
    streams.delete(stream);
    n++;
  }
  return n;
}

/** Stops every mocked stream of a run and forgets its resume position (POST /api/mock/stop-run). */
export function stopMockRun(run: string): number {
  let n = 0;
  for (const stream of [...streams]) {
    if (stream.run !== run) continue;
    StreamLog.stop(stream.record, preciseNow(), 'client-closed');
    stream.player.stop();
    streams.delete(stream);
    n++;
  }
  for (const key of positions.keys()) if (key.endsWith(`|${run}`)) positions.delete(key);
  for (const [key, buffer] of pollBuffers) {
    if (!key.startsWith(`${run}|`)) continue;
    buffer.stop();
    pollBuffers.delete(key);
  }
  return n;
}

function dropMatching(target: FaultTarget, run: string | undefined): number {
  let n = 0;
  for (const stream of [...streams]) {
    if (!targets(target, stream.transport) || (run !== undefined && stream.run !== run)) continue;
    stream.drop();
    n++;
  }
  return n;
}

/** The mock's side of POST /api/faults: same faults, same answers as the live server. */
export function applyMockFault(fault: Fault): Record<string, unknown> {
  const now = Date.now();
  faults.apply(fault, now);
  if (fault.action === 'drop') return { ok: true, dropped: dropMatching(fault.target, fault.run) };
  if (fault.action === 'outage') {
    return { ok: true, dropped: dropMatching(fault.target, fault.run), until: now + fault.ms };
  }
  return { ok: true };
}

/**
 * Registers a mock stream so faults can drop it and its run can stop it, arms its flaky-ms drop, and
 * gives it one way to end: once, logging why, stopping its player and its timer.
 */
export function trackMockStream(stream: MockStream, options: StreamOptions) {
  let ended = false;
  let sent = 0;
  const flaky = options.flakyMs > 0 ? setTimeout(() => stream.drop(), options.flakyMs) : null;
  streams.add(stream);
  return {
    end(reason: StopReason = 'client-closed'): void {
      if (ended) return;
      ended = true;
      StreamLog.stop(stream.record, preciseNow(), reason);
      stream.player.stop();
      if (flaky !== null) clearTimeout(flaky);
      streams.delete(stream);
    },
    /** Call after each frame sent: the N-th frame of a flaky connection drops it. */
    sentFrame(): void {
      if (options.flakyFrames > 0 && ++sent % options.flakyFrames === 0) stream.drop();
    },
  };
}

export type TrackedStream = ReturnType<typeof trackMockStream>;
