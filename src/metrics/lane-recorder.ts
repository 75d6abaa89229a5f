/**
 * Everything one lane measures. `recordFrame` is the hot path (O(1), no React, no allocation beyond a
 * small preview object); `snapshot` is called a few times a second by the UI and does the heavy work:
 * percentiles, rates, downsampling.
 *
 * Errors are kept as the caller gives them (`Issue`: a code and its values): the recorder counts them
 * and keeps the newest, and the page words it.
 */
import { lttb, type Point } from './lttb.ts';
import { percentile, type Summary } from './percentiles.ts';
import { RecentList, RingBuffer } from './ring-buffer.ts';
import { SortedWindow } from './sorted-window.ts';
import { SequenceTracker, type SequenceCounts } from './sequence-tracker.ts';
import type { LaneFrame } from '../protocol/foreign-frame.ts';

export interface RecentFrame {
  /** Null for a frame that carried no sequence number (URL mode). */
  seq: number | null;
  /** Null for a frame that carried no send time (URL mode). */
  latencyMs: number | null;
  preview: string;
}

/**
 * Whether a number can be told for this lane: 'measured'; 'waiting' (no frame yet); 'not-measurable'
 * (frames came, none carried what it takes: a `t` for latency, a `seq` for lost / duplicated /
 * reordered). The page words it; a not-measurable number is never shown as 0 or NaN.
 */
export type Measurability = 'measured' | 'waiting' | 'not-measurable';

/** URL mode (someone else's server): what can be measured without the lab's seq and t. */
export interface ForeignMeasures {
  /** Receive-time gaps between consecutive frames, ms: measurable for every stream. */
  interArrival: Summary;
  /** x: seconds since the run started; y: the gap before that frame, ms. Downsampled. */
  interArrivalSeries: Point[];
  /** Frames whose payload carried a seq / a t (by the field mapping). */
  withSeq: number;
  withT: number;
  latency: Measurability;
  sequence: Measurability;
}

export interface LaneSnapshot<Issue = unknown> {
  frames: number;
  bytes: number;
  /** Frames per second over the last second. */
  rate: number;
  /** One-way latency over the newest `latencyWindow` frames. */
  latency: Summary;
  reconnects: number;
  errors: number;
  /** The newest error as it was recorded (a code and its values), worded where it is shown. */
  lastError: Issue | null;
  sequence: SequenceCounts;
  recent: RecentFrame[];
  /** LLM answer text so far (tokens joined), empty for other scenarios. */
  text: string;
  /** x: seconds since the run started; y: latency in ms. Downsampled. */
  latencySeries: Point[];
  /** x: seconds since the run started; y: frames received so far. */
  framesSeries: Point[];
  /** Seconds since the run started at which the lane reconnected. */
  reconnectMarks: number[];
  /** Each outage, last frame before → first frame after, in seconds since the run started. The
   *  newest may be open (`to` is null) while the lane is still down. */
  downtimeBands: { from: number; to: number | null }[];
  /** Downtime per reconnect (ms), over the outages that have ended. */
  downtime: { count: number; medianMs: number; lastMs: number; maxMs: number };
  /** Token streams (kind "token"/"end"): what a chat user feels. NaN until known. */
  tokens: {
    count: number;
    /** Start of the run → first token received: includes connecting, as a user waits for it. */
    ttftMs: number;
    /** Tokens per second between the first and the last token received. */
    perSecond: number;
    /** Receive-time gaps between consecutive tokens. */
    gap: Summary;
    /** Start of the run → end marker received. */
    totalMs: number;
  };
  /** URL mode only (a recorder made with `foreign`); absent for the lab's own streams. */
  foreign?: ForeignMeasures;
  /** Two-way chat: user messages sent on this lane and their answers. */
  chat: {
    sent: number;
    answered: number;
    /** Send → matching answer received, ms. */
    rtt: Summary;
    /** x: seconds since the run started; y: RTT in ms. */
    rttSeries: Point[];
    /** HTTP requests made for the messages (SSE lanes' side channel); 0 on a WebSocket. */
    requests: number;
    /** Bytes the messages cost on the way up: HTTP request line, headers and body, or WS frames. */
    requestBytes: number;
    /** Distinct connections the side-channel requests used, as the server saw them. */
    sideConnections: number;
  };
  /** Polling lanes: what the frames cost in requests and header bytes; null for the others. */
  poll: { requests: number; requestsPerFrame: number; headerBytesPerFrame: number } | null;
  /** After "Stop generating": null until then. */
  cancel: {
    /** Click → the last frame that still arrived (0 when none did). */
    lastFrameMs: number;
    /** Frames that arrived after the click. */
    framesAfter: number;
  } | null;
}

export interface LaneRecorderOptions {
  /** Latency samples kept (for percentiles and the chart). */
  latencyWindow?: number;
  /** Points per chart series after downsampling (about one per pixel). */
  chartPoints?: number;
  recentCount?: number;
  maxTextTokens?: number;
  /**
   * Someone else's stream (URL mode): frames may lack seq and t, sequence numbers count from the first
   * one seen, and the snapshot has `foreign` (inter-arrival time, what is measurable).
   */
  foreign?: boolean;
}

export class LaneRecorder<Issue = unknown> {
  private readonly latencyX: RingBuffer;
  private readonly latencyY: SortedWindow;
  private readonly framesX: RingBuffer;
  private readonly framesY: RingBuffer;
  /** The newest frames as received; their previews are cut at snapshot time, not per frame. */
  private readonly recentFrames: RecentList<{ seq: number | null; latencyMs: number | null; data: string }>;
  private readonly tracker: SequenceTracker;
  private readonly foreign: boolean;
  private readonly gapsX = new RingBuffer(20_000);
  private readonly gapsY = new SortedWindow(20_000);
  private withSeq = 0;
  private withT = 0;
  private readonly tokens: string[] = [];
  private readonly reconnectTimes: number[] = [];
  private readonly chartPoints: number;
  private readonly maxTextTokens: number;
  private frameCount = 0;
  private byteCount = 0;
  private errorCount = 0;
  private lastErrorIssue: Issue | null = null;
  private lastFrameAt: number | null = null;
  /** Set while the lane is down: the time of the last frame before the outage. */
  private downSince: number | null = null;
  private readonly downtimes: { from: number; to: number }[] = [];
  private tokenCount = 0;
  private firstTokenAt: number | null = null;
  private lastTokenAt: number | null = null;
  private endAt: number | null = null;
  private readonly tokenGaps = new SortedWindow(20_000);
  private readonly rttX = new RingBuffer(4_000);
  private readonly rttY = new SortedWindow(4_000);
  private chatSent = 0;
  private chatAnswered = 0;
  private chatRequests = 0;
  private chatBytes = 0;
  private readonly chatConnections = new Set<number>();
  private polls = 0;
  private pollHeaderBytes = 0;
  private cancelAt: number | null = null;
  private lastAfterCancel: number | null = null;
  private framesAfterCancel = 0;

  constructor(
    /** Run start, same clock as the receive stamps (ms since the epoch). */
    private readonly startedAt: number,
    options: LaneRecorderOptions = {},
  ) {
    const window = options.latencyWindow ?? 20_000;
    this.latencyX = new RingBuffer(window);
    this.latencyY = new SortedWindow(window);
    this.framesX = new RingBuffer(4_000);
    this.framesY = new RingBuffer(4_000);
    this.recentFrames = new RecentList(options.recentCount ?? 8);
    this.chartPoints = options.chartPoints ?? 500;
    this.maxTextTokens = options.maxTextTokens ?? 20_000;
    this.foreign = options.foreign ?? false;
    this.tracker = new SequenceTracker(100_000, this.foreign);
  }

  /** Hot path: one call per received frame. `receivedAt` was stamped before the frame was parsed. */
  recordFrame(receivedAt: number, frame: Omit<LaneFrame, 'type'>, bytes: number): void {
    const latency = frame.t === null ? null : receivedAt - frame.t;
    if (this.foreign && this.lastFrameAt !== null) {
      this.gapsX.push((receivedAt - this.startedAt) / 1000);
      this.gapsY.push(receivedAt - this.lastFrameAt);
    }
    if (this.downSince !== null) {
      this.downtimes.push({ from: this.downSince, to: receivedAt });
      this.downSince = null;
    }
    this.lastFrameAt = receivedAt;
    if (this.cancelAt !== null && receivedAt >= this.cancelAt) {
      this.framesAfterCancel++;
      this.lastAfterCancel = receivedAt;
    }
    this.frameCount++;
    this.byteCount += bytes;
    if (frame.seq !== null) {
      this.withSeq++;
      this.tracker.record(frame.seq);
    }
    if (latency !== null) {
      this.withT++;
      this.latencyX.push((receivedAt - this.startedAt) / 1000);
      this.latencyY.push(latency);
    }
    if (frame.kind === 'token') {
      if (this.tokens.length < this.maxTextTokens) this.tokens.push(frame.data);
      this.tokenCount++;
      if (this.lastTokenAt !== null) this.tokenGaps.push(receivedAt - this.lastTokenAt);
      this.firstTokenAt ??= receivedAt;
      this.lastTokenAt = receivedAt;
    } else if (frame.kind === 'end') {
      this.endAt ??= receivedAt;
    }
    this.recentFrames.push({ seq: frame.seq, latencyMs: latency, data: frame.data });
  }

  /** One poll answered: its request and response head bytes. */
  recordPoll(requestHeadBytes: number, responseHeadBytes: number): void {
    this.polls++;
    this.pollHeaderBytes += requestHeadBytes + responseHeadBytes;
  }

  /** A user message left: `bytes` on the wire, `request` set for an HTTP side-channel request. */
  recordChatSent(bytes: number, request?: { connection: number }): void {
    this.chatSent++;
    this.chatBytes += bytes;
    if (request) {
      this.chatRequests++;
      this.chatConnections.add(request.connection);
    }
  }

  /** The answer to a message sent at `sentAt` (same clock) arrived at `at`. */
  recordReply(at: number, sentAt: number): void {
    this.chatAnswered++;
    this.rttX.push((at - this.startedAt) / 1000);
    this.rttY.push(at - sentAt);
  }

  /** The user asked to stop generating at `at`. */
  recordCancel(at: number): void {
    this.cancelAt ??= at;
  }

  /** The connection was lost (or refused): the outage runs from the last frame until the next one. */
  recordDisconnect(at: number): void {
    if (this.downSince === null) this.downSince = this.lastFrameAt ?? at;
  }

  recordReconnect(at: number): void {
    this.reconnectTimes.push((at - this.startedAt) / 1000);
  }

  recordError(issue: Issue): void {
    this.errorCount++;
    this.lastErrorIssue = issue;
  }

  get frames(): number {
    return this.frameCount;
  }

  get lastContiguousSeq(): number {
    return this.tracker.lastContiguous;
  }

  /**
   * What `snapshot(now)` changes in the recorder (a point of the frames-over-time series), without
   * computing a snapshot: a replay of a saved run (src/features/run-file/replay.ts) calls it for every
   * snapshot but the last one.
   */
  tick(now: number): void {
    this.framesX.push((now - this.startedAt) / 1000);
    this.framesY.push(this.frameCount);
  }

  /** Cheap-ish: percentiles over the window, rate, downsampled series. Call at 4–10 Hz, not per frame. */
  snapshot(now: number): LaneSnapshot<Issue> {
    this.tick(now);
    return {
      frames: this.frameCount,
      bytes: this.byteCount,
      rate: this.rate(),
      latency: this.latencyY.summary(),
      reconnects: this.reconnectTimes.length,
      errors: this.errorCount,
      lastError: this.lastErrorIssue,
      sequence: this.tracker.counts(),
      recent: this.recentFrames.newestFirst().map(({ seq, latencyMs, data }) => ({
        seq,
        latencyMs,
        preview: data.length > 48 ? `${data.slice(0, 48)}…` : data,
      })),
      text: this.tokens.join(''),
      latencySeries: lttb(this.latencyX.toFloat64Array(), this.latencyY.toArray(), this.chartPoints),
      framesSeries: lttb(this.framesX.toFloat64Array(), this.framesY.toFloat64Array(), this.chartPoints),
      reconnectMarks: [...this.reconnectTimes],
      downtimeBands: this.bands(),
      downtime: this.downtimeSummary(),
      tokens: this.tokenSummary(),
      chat: {
        sent: this.chatSent,
        answered: this.chatAnswered,
        rtt: this.rttY.summary(),
        rttSeries: lttb(this.rttX.toFloat64Array(), this.rttY.toArray(), this.chartPoints),
        requests: this.chatRequests,
        requestBytes: this.chatBytes,
        sideConnections: this.chatConnections.size,
      },
      poll:
        this.polls === 0
          ? null
          : {
              requests: this.polls,
              requestsPerFrame: this.frameCount > 0 ? this.polls / this.frameCount : Number.NaN,
              headerBytesPerFrame: this.frameCount > 0 ? this.pollHeaderBytes / this.frameCount : Number.NaN,
            },
      ...(this.foreign ? { foreign: this.foreignMeasures() } : {}),
      cancel:
        this.cancelAt === null
          ? null
          : {
              lastFrameMs: this.lastAfterCancel === null ? 0 : this.lastAfterCancel - this.cancelAt,
              framesAfter: this.framesAfterCancel,
            },
    };
  }

  private foreignMeasures(): ForeignMeasures {
    const measure = (count: number): Measurability =>
      count > 0 ? 'measured' : this.frameCount > 0 ? 'not-measurable' : 'waiting';
    return {
      interArrival: this.gapsY.summary(),
      interArrivalSeries: lttb(this.gapsX.toFloat64Array(), this.gapsY.toArray(), this.chartPoints),
      withSeq: this.withSeq,
      withT: this.withT,
      latency: measure(this.withT),
      sequence: measure(this.withSeq),
    };
  }

  private tokenSummary(): LaneSnapshot['tokens'] {
    const first = this.firstTokenAt;
    const last = this.lastTokenAt;
    return {
      count: this.tokenCount,
      ttftMs: first === null ? Number.NaN : first - this.startedAt,
      perSecond:
        first !== null && last !== null && last > first ? ((this.tokenCount - 1) * 1000) / (last - first) : Number.NaN,
      gap: this.tokenGaps.summary(),
      totalMs: this.endAt === null ? Number.NaN : this.endAt - this.startedAt,
    };
  }

  private bands(): { from: number; to: number | null }[] {
    const s = (t: number) => (t - this.startedAt) / 1000;
    const out: { from: number; to: number | null }[] = this.downtimes
      .slice(-200)
      .map((d) => ({ from: s(d.from), to: s(d.to) }));
    if (this.downSince !== null) out.push({ from: s(this.downSince), to: null });
    return out;
  }

  private downtimeSummary(): LaneSnapshot['downtime'] {
    const values = this.downtimes.map((d) => d.to - d.from);
    const sorted = Float64Array.from(values).sort();
    return {
      count: values.length,
      medianMs: sorted.length ? percentile(sorted, 50) : Number.NaN,
      lastMs: values.length ? values[values.length - 1] : Number.NaN,
      maxMs: sorted.length ? sorted[sorted.length - 1] : Number.NaN,
    };
  }

  /** Frames per second between the newest sample and the newest one at least a second older. */
  private rate(): number {
    const n = this.framesX.size;
    if (n < 2) return 0;
    const lastX = this.framesX.at(n - 1);
    const lastY = this.framesY.at(n - 1);
    for (let i = n - 2; i >= 0; i--) {
      const dx = lastX - this.framesX.at(i);
      if (dx >= 1 || i === 0) return dx > 0 ? (lastY - this.framesY.at(i)) / dx : 0;
    }
    return 0;
  }
}
