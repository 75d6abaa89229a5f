/**
 * What the server (or the mock) remembers of each stream, so the page can tell when the sender
 * really stopped: GET /api/runs?run=<id>. Times are the sender's clock (timeOrigin + now()).
 */
import type { StreamTransport } from './faults.ts';

export type StopReason = 'complete' | 'cancel' | 'client-closed' | 'dropped';

export interface StreamRecord {
  run: string | null;
  transport: StreamTransport;
  openedAt: number;
  stoppedAt: number | null;
  reason: StopReason | null;
  /** Last seq the sender wrote. */
  lastSeq: number;
  /** Frames the sender tried to write after it stopped: anything but 0 is a bug. */
  framesAfterStop: number;
}

/** A bounded log: the newest `capacity` streams. */
export class StreamLog {
  private readonly records: StreamRecord[] = [];

  constructor(private readonly capacity = 1000) {}

  open(run: string | null, transport: StreamTransport, at: number, after: number): StreamRecord {
    const record: StreamRecord = {
      run,
      transport,
      openedAt: at,
      stoppedAt: null,
      reason: null,
      lastSeq: after,
      framesAfterStop: 0,
    };
    this.records.push(record);
    if (this.records.length > this.capacity) this.records.shift();
    return record;
  }

  /** Records the end of a stream; the first reason given wins. */
  static stop(record: StreamRecord, at: number, reason: StopReason): void {
    if (record.stoppedAt !== null) return;
    record.stoppedAt = at;
    record.reason = reason;
  }

  /** Call for every frame written. */
  static wrote(record: StreamRecord, seq: number): void {
    if (record.stoppedAt !== null) record.framesAfterStop++;
    else record.lastSeq = seq;
  }

  forRun(run: string): StreamRecord[] {
    return this.records.filter((r) => r.run === run).map((r) => ({ ...r }));
  }
}
