/**
 * What the server (or the mock) remembers of each stream, so the page can tell when the sender
 * really stopped: GET /api/runs?run=<id>[&from=<record id>]. Times are the sender's clock
 * (timeOrigin + now()).
 *
 * Records are numbered as they open. A stopped record is final, so a page that polls during a run asks
 * only for records from its oldest open one on (`resumePoint`) and merges them in (`mergeRunLog`),
 * instead of receiving every handshake of the run once a second.
 */
import type { StreamTransport } from './faults.ts';

export type StopReason = 'complete' | 'cancel' | 'client-closed' | 'dropped' | 'refused';

/** One side of an HTTP exchange as it went over the wire: the start line, then the header lines. */
export interface HttpHead {
  line: string;
  headers: [name: string, value: string][];
  /** Bytes of the head on the wire (start line, header lines, CRLFs, the blank line). */
  bytes: number;
}

/** How a stream was opened: what the sender received and what it answered. */
export interface Handshake {
  request: HttpHead;
  response: HttpHead;
  /** A refused upgrade's JSON body, when there was one. */
  body?: string;
  /** The POST body that asked for the stream (fetch + SSE), up to 2 KiB. */
  requestBody?: string;
  /** True when a mock made this up (Mock mode has no HTTP exchange to record). */
  simulated: boolean;
}

/**
 * What the sender wrote for the frames of one stream (not the handshake, heartbeats or the end).
 * - payloadBytes: the frames' own bytes (SSE: the `data:` values; WebSocket: the message bodies).
 * - messageBytes: the protocol's framing included (SSE: the whole event with `id:`/`event:`/`data:`
 *   and the blank line; WebSocket: the frame header too).
 * - socketBytes: what the TCP socket was given for those frames, measured by the sender
 *   (`socket.bytesWritten`); over HTTP/1.1 it adds the chunked-encoding lines to SSE. Null where it
 *   cannot be measured (HTTP/2 shares one socket; Mock mode has none).
 */
export interface WireBytes {
  frames: number;
  payloadBytes: number;
  messageBytes: number;
  socketBytes: number | null;
}

/**
 * The sender held back by its client (backpressure), as the live adapter measured it:
 * - pauses / pausedMs: how often and how long the stream's player waited for the connection to drain
 *   (a WebSocket's send buffer over its high-water mark, an SSE response whose `write` said false);
 *   `pausedSince` is set while a pause lasts (same clock as `openedAt`).
 * - maxBufferedBytes: the most the connection had buffered in the server after a frame's write
 *   (`ws.bufferedAmount`, `res.writableLength`; the kernel's socket buffers are not in it). Null where
 *   it cannot be measured (Mock mode).
 */
export interface Backpressure {
  pauses: number;
  pausedMs: number;
  pausedSince: number | null;
  maxBufferedBytes: number | null;
}

export interface StreamRecord {
  /** Numbered in opening order by the log, from 1; never reused. */
  id: number;
  run: string | null;
  transport: StreamTransport;
  openedAt: number;
  stoppedAt: number | null;
  reason: StopReason | null;
  /** Last seq the sender wrote. */
  lastSeq: number;
  /** Frames the sender tried to write after it stopped: anything but 0 is a bug. */
  framesAfterStop: number;
  handshake: Handshake | null;
  wire: WireBytes;
  /** Which client asked, when it said (`?client=`): tells two lanes on one endpoint apart. */
  client: string | null;
  backpressure: Backpressure;
}

/** A bounded log: the newest `capacity` streams. */
export class StreamLog {
  private readonly records: StreamRecord[] = [];
  private nextId = 1;

  constructor(private readonly capacity = 1000) {}

  open(run: string | null, transport: StreamTransport, at: number, after: number): StreamRecord {
    const record: StreamRecord = {
      id: this.nextId++,
      run,
      transport,
      openedAt: at,
      stoppedAt: null,
      reason: null,
      lastSeq: after,
      framesAfterStop: 0,
      handshake: null,
      wire: { frames: 0, payloadBytes: 0, messageBytes: 0, socketBytes: null },
      client: null,
      backpressure: { pauses: 0, pausedMs: 0, pausedSince: null, maxBufferedBytes: null },
    };
    this.records.push(record);
    if (this.records.length > this.capacity) this.records.shift();
    return record;
  }

  /** Records the end of a stream; the first reason given wins. */
  static stop(record: StreamRecord, at: number, reason: StopReason): void {
    if (record.stoppedAt !== null) return;
    StreamLog.resumed(record, at);
    record.stoppedAt = at;
    record.reason = reason;
  }

  /** The sender paused until its connection drains (a pause already on goes on). */
  static paused(record: StreamRecord, at: number): void {
    const b = record.backpressure;
    if (b.pausedSince !== null || record.stoppedAt !== null) return;
    b.pausedSince = at;
    b.pauses++;
  }

  /** The sender goes on (or the stream ended): the pause, if any, is counted. */
  static resumed(record: StreamRecord, at: number): void {
    const b = record.backpressure;
    if (b.pausedSince === null) return;
    b.pausedMs += Math.max(0, at - b.pausedSince);
    b.pausedSince = null;
  }

  /** After a write: what the connection holds in the server now. */
  static buffered(record: StreamRecord, bytes: number): void {
    const b = record.backpressure;
    b.maxBufferedBytes = Math.max(b.maxBufferedBytes ?? 0, bytes);
  }

  /** Call for every frame written. */
  static wrote(record: StreamRecord, seq: number): void {
    if (record.stoppedAt !== null) record.framesAfterStop++;
    else record.lastSeq = seq;
  }

  /** Call for every frame written: its payload, its protocol message and (when known) socket bytes. */
  static wroteBytes(record: StreamRecord, payload: number, message: number, socket: number | null): void {
    const wire = record.wire;
    wire.frames++;
    wire.payloadBytes += payload;
    wire.messageBytes += message;
    // A stream is measurable for all its frames or for none (HTTP/2, mocks).
    wire.socketBytes = socket === null ? null : (wire.socketBytes ?? 0) + socket;
  }

  /** The run's records numbered `from` or later (all of them by default), as copies. */
  forRun(run: string, from = 0): StreamRecord[] {
    return this.pageForRun(run, from, Number.POSITIVE_INFINITY).streams;
  }

  /**
   * One answer's worth of `forRun`: records in id order while their JSON stays within `maxBytes` (at
   * least one); `next` is the id to ask `from` for the rest, null when nothing was left out.
   */
  pageForRun(run: string, from: number, maxBytes: number): { streams: StreamRecord[]; next: number | null } {
    const streams: StreamRecord[] = [];
    let bytes = 0;
    for (const r of this.records) {
      if (r.run !== run || r.id < from) continue;
      const copy = copyRecord(r);
      bytes += JSON.stringify(copy).length + 1;
      if (streams.length > 0 && bytes > maxBytes) return { streams, next: r.id };
      streams.push(copy);
    }
    return { streams, next: null };
  }
}

function copyRecord(r: StreamRecord): StreamRecord {
  return { ...r, wire: { ...r.wire }, backpressure: { ...r.backpressure }, handshake: r.handshake && structuredClone(r.handshake) };
}

/** Where the next poll starts: the oldest open record (it may still change), or after the newest. */
export function resumePoint(records: readonly StreamRecord[]): number {
  let newest = 0;
  let oldestOpen = Number.POSITIVE_INFINITY;
  for (const r of records) {
    newest = Math.max(newest, r.id);
    if (r.stoppedAt === null) oldestOpen = Math.min(oldestOpen, r.id);
  }
  return Number.isFinite(oldestOpen) ? oldestOpen : newest + 1;
}

/**
 * The log after a poll that asked for records from `from` on: earlier records as they were, then the
 * fresh ones (which replace any copy of the same id), in id order, the newest `capacity` only.
 */
export function mergeRunLog(
  previous: readonly StreamRecord[],
  fresh: readonly StreamRecord[],
  from: number,
  capacity = 1000,
): StreamRecord[] {
  const merged = [...previous.filter((r) => r.id < from), ...fresh].sort((a, b) => a.id - b.id);
  return merged.length > capacity ? merged.slice(merged.length - capacity) : merged;
}
