/**
 * A lane recorder that also keeps a journal of every call it gets, so a run can be saved to a file and
 * replayed later through the same pure recorder code (`replay.ts`): same calls, same order, same
 * numbers, same chart points.
 *
 * Where it runs: inside the RunSession, i.e. in the run worker in Live mode (the page's main thread
 * never sees a frame) and on the page in Mock mode (where the whole receive path already is). Per frame
 * it adds a few typed-array writes, O(1), no allocation except when a column doubles; the journal only
 * crosses to the page when the user exports (`RunSession.recording()`).
 *
 * Bounded: at most MAX_RECORDED_FRAMES_PER_LANE frames and MAX_RECORDED_EVENTS_PER_LANE other calls
 * (snapshots, reconnects, errors, chat, polls…) per lane. Past either cap the journal keeps the first
 * ones, stops growing and counts what it did not keep: the file then says `complete: false` with both
 * counts, its CSV holds the frames kept, and an import shows the numbers the page showed (stored in the
 * file) without replaying them.
 */
import { LaneRecorder, type LaneRecorderOptions, type LaneSnapshot } from '../../metrics/lane-recorder.ts';
import type { TransportIssue, TransportKind } from '../../transports/transport.ts';
import type { LaneFrame } from '../../protocol/foreign-frame.ts';

import { MAX_RECORDED_EVENTS_PER_LANE, MAX_RECORDED_FRAMES_PER_LANE } from './run-file-limits.ts';
/** Data kept for frames other than tokens: the newest ones (what the "Last frames" list shows). */
const TAIL_DATA = 16;

/** One recorder call other than a frame; `after` is the number of frames recorded before it. */
export type JournalEvent =
  | { op: 'snapshot'; after: number; now: number }
  | { op: 'poll'; after: number; requestHeadBytes: number; responseHeadBytes: number }
  | { op: 'chat-sent'; after: number; bytes: number; connection: number | null }
  | { op: 'reply'; after: number; at: number; sentAt: number }
  | { op: 'cancel'; after: number; at: number }
  | { op: 'disconnect'; after: number; at: number }
  | { op: 'reconnect'; after: number; at: number }
  | { op: 'error'; after: number; issue: TransportIssue };

/** One frame as the recorder got it. `data` is null where it was not kept (it changes no number). */
export interface JournalFrame {
  seq: number;
  /** The sender's clock when the frame left (`t`). */
  sentAt: number;
  /** The receive stamp. */
  receivedAt: number;
  bytes: number;
  kind: string;
  data: string | null;
}

/** A lane's journal, structured-cloneable (typed arrays for the frames: cheap to post from the worker). */
export interface LaneRecording {
  kind: TransportKind;
  /** Frames the recorder got; more than `seq.length` when the cap cut the journal. */
  framesSeen: number;
  eventsSeen: number;
  frames: {
    seq: Float64Array;
    sentAt: Float64Array;
    receivedAt: Float64Array;
    bytes: Float64Array;
    /** Index into `kinds`. */
    kind: Uint8Array;
    kinds: string[];
    /** [frame index, data] for the frames whose data was kept: tokens (the answer) and the newest. */
    data: [number, string][];
  };
  events: JournalEvent[];
}

/** True when the journal holds every call the recorder got: a replay gives the same numbers. */
export function isComplete(recording: { framesSeen: number; eventsSeen: number; frames: { seq: ArrayLike<number> }; events: readonly unknown[] }): boolean {
  return recording.framesSeen === recording.frames.seq.length && recording.eventsSeen === recording.events.length;
}

/** A Float64Array that doubles when full. */
class Column {
  values = new Float64Array(1024);
  push(at: number, value: number): void {
    if (at === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[at] = value;
  }
}

export class RecordingLaneRecorder extends LaneRecorder<TransportIssue> {
  private readonly seqs = new Column();
  private readonly sent = new Column();
  private readonly received = new Column();
  private readonly sizes = new Column();
  private kindCodes = new Uint8Array(1024);
  private readonly kindTable: string[] = [];
  private readonly tokenData: [number, string][] = [];
  /** The newest non-token frames' data, a ring of TAIL_DATA. */
  private readonly tail: ([number, string] | undefined)[] = new Array<[number, string] | undefined>(TAIL_DATA);
  private readonly events: JournalEvent[] = [];
  private kept = 0;
  private seen = 0;
  private eventsSeen = 0;
  private readonly maxTokens: number;

  constructor(
    readonly runStartedAt: number,
    options: LaneRecorderOptions = {},
    private readonly caps = { frames: MAX_RECORDED_FRAMES_PER_LANE, events: MAX_RECORDED_EVENTS_PER_LANE },
  ) {
    super(runStartedAt, options);
    this.maxTokens = options.maxTextTokens ?? 20_000;
  }

  private journal(event: JournalEvent): void {
    this.eventsSeen++;
    if (this.events.length < this.caps.events) this.events.push(event);
  }

  override recordFrame(receivedAt: number, frame: Omit<LaneFrame, 'type'>, bytes: number): void {
    super.recordFrame(receivedAt, frame, bytes);
    this.seen++;
    const i = this.kept;
    if (i >= this.caps.frames) return;
    this.kept++;
    // A frame without seq or t (URL mode) keeps NaN in its column.
    this.seqs.push(i, frame.seq ?? Number.NaN);
    this.sent.push(i, frame.t ?? Number.NaN);
    this.received.push(i, receivedAt);
    this.sizes.push(i, bytes);
    let code = this.kindTable.indexOf(frame.kind);
    if (code < 0) code = this.kindTable.push(frame.kind) - 1;
    if (i === this.kindCodes.length) {
      const grown = new Uint8Array(this.kindCodes.length * 2);
      grown.set(this.kindCodes);
      this.kindCodes = grown;
    }
    this.kindCodes[i] = code;
    // The answer needs every token's text (up to what the recorder keeps); other frames' data only
    // shows in the "Last frames" list, so only the newest are kept.
    if (frame.kind === 'token' && this.tokenData.length < this.maxTokens) this.tokenData.push([i, frame.data]);
    else this.tail[i % TAIL_DATA] = [i, frame.data];
  }

  override recordPoll(requestHeadBytes: number, responseHeadBytes: number): void {
    super.recordPoll(requestHeadBytes, responseHeadBytes);
    this.journal({ op: 'poll', after: this.seen, requestHeadBytes, responseHeadBytes });
  }

  override recordChatSent(bytes: number, request?: { connection: number }): void {
    super.recordChatSent(bytes, request);
    this.journal({ op: 'chat-sent', after: this.seen, bytes, connection: request ? request.connection : null });
  }

  override recordReply(at: number, sentAt: number): void {
    super.recordReply(at, sentAt);
    this.journal({ op: 'reply', after: this.seen, at, sentAt });
  }

  override recordCancel(at: number): void {
    super.recordCancel(at);
    this.journal({ op: 'cancel', after: this.seen, at });
  }

  override recordDisconnect(at: number): void {
    super.recordDisconnect(at);
    this.journal({ op: 'disconnect', after: this.seen, at });
  }

  override recordReconnect(at: number): void {
    super.recordReconnect(at);
    this.journal({ op: 'reconnect', after: this.seen, at });
  }

  override recordError(issue: TransportIssue): void {
    super.recordError(issue);
    this.journal({ op: 'error', after: this.seen, issue });
  }

  override snapshot(now: number): LaneSnapshot<TransportIssue> {
    this.journal({ op: 'snapshot', after: this.seen, now });
    return super.snapshot(now);
  }

  /** A copy of the journal so far (the recorder goes on recording). */
  recording(kind: TransportKind): LaneRecording {
    const n = this.kept;
    const data: [number, string][] = [...this.tokenData];
    for (const entry of this.tail) if (entry) data.push(entry);
    data.sort((a, b) => a[0] - b[0]);
    return {
      kind,
      framesSeen: this.seen,
      eventsSeen: this.eventsSeen,
      frames: {
        seq: this.seqs.values.slice(0, n),
        sentAt: this.sent.values.slice(0, n),
        receivedAt: this.received.values.slice(0, n),
        bytes: this.sizes.values.slice(0, n),
        kind: this.kindCodes.slice(0, n),
        kinds: [...this.kindTable],
        data,
      },
      events: this.events.slice(),
    };
  }
}
