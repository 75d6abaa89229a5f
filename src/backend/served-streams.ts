/**
 * The streams a backend is serving: each is counted while open, held against its client's address,
 * logged in the run log, ends exactly once (with the first reason given) and can be dropped by a
 * fault, by its flaky options or by the server closing. The adapter owns the connection and says how
 * to stop, cut and close it; everything else is decided here.
 */
import { preciseNow, type ReplyMessage } from '../protocol/frame.ts';
import { targets, type FaultTarget, type StreamTransport } from '../protocol/faults.ts';
import type { Player, Timers } from '../protocol/player.ts';
import { StreamLog, type StopReason, type StreamRecord } from '../protocol/stream-log.ts';
import type { StreamOptions } from '../protocol/stream-options.ts';
import type { LabServerStats } from './counters.ts';
import type { StreamLimits } from './stream-limits.ts';

/** What only the adapter can do to a stream's connection. */
export interface StreamConnection {
  /** Stops what runs for the stream (its player, its own timers). Called once, when it ends. */
  stop(): void;
  /** Cuts the connection abruptly, no clean close (a drop). Called after the stream has ended. */
  cut(): void;
  /** Closes the connection at once because the server is closing. Called after the stream has ended. */
  close(): void;
  /** SSE streams: writes the answer to a chat message sent on the side channel. */
  reply?(message: ReplyMessage): void;
}

export interface OpenSpec {
  transport: StreamTransport;
  run: string | null;
  after: number;
  /** The client's address, held against the per-address limit while the stream is open. */
  address: string;
  options: Pick<StreamOptions, 'flakyMs' | 'flakyFrames'>;
  connection: StreamConnection;
}

export class ServedStream {
  readonly transport: StreamTransport;
  readonly run: string | null;
  readonly record: StreamRecord;
  private isEnded = false;
  private flaky: unknown = null;
  private sent = 0;
  /** An agent stream: its player holds at each tool call until `releaseTurn` (see agent.ts). */
  private gate: { player: Player; stepFrames: number; httpDelayMs: number } | null = null;

  constructor(
    private readonly owner: ServedStreams,
    private readonly spec: OpenSpec,
    private readonly release: () => void,
  ) {
    this.transport = spec.transport;
    this.run = spec.run;
    this.record = owner.log.open(spec.run, spec.transport, preciseNow(), spec.after);
  }

  /** The stream is over: nothing more may be written to it. */
  get ended(): boolean {
    return this.isEnded;
  }

  get replies(): boolean {
    return this.spec.connection.reply !== undefined;
  }

  /** Ends the stream once (the client went away, it completed, it was cancelled…); false if it had. */
  end(reason: StopReason = 'client-closed'): boolean {
    if (this.isEnded) return false;
    StreamLog.stop(this.record, preciseNow(), reason);
    this.isEnded = true;
    this.spec.connection.stop();
    if (this.flaky !== null) this.owner.timers.clearTimeout(this.flaky);
    this.flaky = null;
    this.owner.counters.open[this.transport]--;
    this.release();
    this.owner.forget(this);
    return true;
  }

  /** Drops the connection on purpose (a drop fault, an outage, flaky options): counted, then cut. */
  drop(): void {
    if (this.isEnded) return;
    this.owner.counters.dropped[this.transport]++;
    this.end('dropped');
    this.spec.connection.cut();
  }

  /** A client that does not read what it is answered is dropped rather than buffered without bound. */
  dropSlowReader(): void {
    if (this.isEnded) return;
    this.owner.counters.limited++;
    this.drop();
  }

  /** Ends the stream as refused for not reading its answers; false if it had ended (then do nothing). */
  refuseSlowReader(): boolean {
    if (this.isEnded) return false;
    this.owner.counters.limited++;
    return this.end('refused');
  }

  /** The server is closing: end, then close the connection. */
  close(): void {
    this.end();
    this.spec.connection.close();
  }

  reply(message: ReplyMessage): void {
    this.spec.connection.reply?.(message);
  }

  /**
   * An agent stream's player, which holds at each tool call; `stepFrames`: frames per step;
   * `httpDelayMs`: the modelled cost of a result that came as an HTTP request (sessionLoadMs).
   */
  holdWith(player: Player, stepFrames: number, httpDelayMs: number): void {
    this.gate = { player, stepFrames, httpDelayMs };
  }

  get holds(): boolean {
    return this.gate !== null;
  }

  /**
   * Tool result `turn` came (`http`: as its own HTTP request): the next step starts its think time
   * from now, plus the modelled session load for an HTTP turn. A reason when the stream is not
   * waiting for that turn's result.
   */
  releaseTurn(turn: number, http: boolean): { ok: true } | { ok: false; error: string } {
    const gate = this.gate;
    if (gate === null || this.isEnded) return { ok: false, error: 'this stream is not an agent loop' };
    const waiting = gate.player.held ? gate.player.lastSeq / gate.stepFrames : null;
    if (waiting !== turn) {
      return {
        ok: false,
        error: waiting === null ? `no tool call is waiting for a result (turn ${turn} sent)` : `the stream waits for the result of turn ${waiting}; got turn ${turn}`,
      };
    }
    gate.player.release(http ? gate.httpDelayMs : 0);
    return { ok: true };
  }

  /** Counts a frame handed to the connection. */
  wrote(seq: number): void {
    this.owner.counters.framesSent++;
    StreamLog.wrote(this.record, seq);
  }

  /** With flakyFrames = N: true for every N-th frame, the last this connection may carry. */
  flakyCutDue(): boolean {
    const n = this.spec.options.flakyFrames;
    return n > 0 && ++this.sent % n === 0;
  }

  /** With flakyMs: drops the stream that long from now. */
  armFlaky(): void {
    const ms = this.spec.options.flakyMs;
    if (ms <= 0) return;
    // Nulled when it fires: end() must not clear (and uncount) a timer that is already gone.
    this.flaky = this.owner.timers.setTimeout(() => {
      this.flaky = null;
      this.drop();
    }, ms);
  }
}

export class ServedStreams {
  private readonly streams = new Set<ServedStream>();

  constructor(
    readonly counters: LabServerStats,
    readonly limits: StreamLimits,
    readonly log: StreamLog,
    readonly timers: Timers,
  ) {}

  /** Opens a stream that admission let through: counted, held against its address, logged. */
  open(spec: OpenSpec): ServedStream {
    this.counters.open[spec.transport]++;
    this.counters.opened[spec.transport]++;
    const stream = new ServedStream(this, spec, this.limits.hold(spec.address));
    this.streams.add(stream);
    return stream;
  }

  /** @internal (ServedStream.end) */
  forget(stream: ServedStream): void {
    this.streams.delete(stream);
  }

  /** Drops the open streams a fault targets; returns how many. */
  dropMatching(target: FaultTarget, run: string | undefined): number {
    let n = 0;
    for (const stream of [...this.streams]) {
      if (!targets(target, stream.transport)) continue;
      if (run !== undefined && stream.run !== run) continue;
      stream.drop();
      n++;
    }
    return n;
  }

  /** The open streams of a run that can carry a chat reply on this transport. */
  replyTargets(run: string, transport: StreamTransport): ServedStream[] {
    return [...this.streams].filter((s) => s.run === run && s.transport === transport && s.replies);
  }

  /** The open agent streams of a run on this transport (a tool result releases them). */
  agentTargets(run: string, transport: StreamTransport): ServedStream[] {
    return [...this.streams].filter((s) => s.run === run && s.transport === transport && s.holds);
  }

  closeAll(): void {
    for (const stream of [...this.streams]) stream.close();
  }

  get size(): number {
    return this.streams.size;
  }
}
