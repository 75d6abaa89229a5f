/**
 * The agent loop's numbers for one lane (scenario `agent`), pure: fed on the receive path with the
 * lane's frames and what the page sent, read as a snapshot. O(turns) memory.
 *
 * - time per turn k: result k sent → the first token of step k + 1 received (same clock);
 * - total: from the run's start to the end frame;
 * - requests: HTTP requests the page sent for the loop (the stream's own opening counts one) and, of
 *   them, the ones the server acknowledged with its connection number (Live: its socket; Mock: 0);
 *   connections: the distinct connections the server named, plus the stream's own;
 * - bytes up per turn (what carried the turn: a socket message's bytes, or an HTTP request's head +
 *   body as the server received it) and bytes down per step (the frames' message bytes).
 */
import type { AgentVariant } from '../protocol/agent.ts';
import type { Frame } from '../protocol/frame.ts';

export interface AgentView {
  /** Tool results sent (turns done) and the run's turns. */
  turnsDone: number;
  turns: number;
  /** Per turn (index k − 1): result sent → first token of the next step, ms; NaN until known. */
  turnMs: number[];
  turnP50Ms: number;
  turnMaxMs: number;
  /** Start → end frame, ms (NaN until the end). */
  totalMs: number;
  /** HTTP requests the page sent for the loop, the stream's own opening included. */
  requests: number;
  /** Of those, the requests the server answered with its own account (connection number). */
  serverRequests: number;
  /** Connections: the stream's own and every distinct one the server named. */
  connections: number;
  /** Bytes up per turn (index 0: the first request for fetch + SSE, which carries the task). */
  bytesUp: number[];
  /** Bytes down per step (index s − 1). */
  bytesDown: number[];
  /** fetch + SSE: how its POSTs carried the turns. */
  variant?: AgentVariant;
  /** The modelled server cost in each turn's time (sessionLoadMs on an HTTP turn; 0 on a socket). */
  modelledMs: number;
}

export interface AgentSent {
  at: number;
  /** 0: the first request (the task); k ≥ 1: tool result k. */
  turn: number;
  bytes: number;
  /** An HTTP request: the server's number of its connection; undefined for a message on a socket. */
  connection?: number;
}

function median(values: readonly number[]): number {
  const known = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (known.length === 0) return Number.NaN;
  const mid = known.length >> 1;
  return known.length % 2 === 1 ? known[mid] : (known[mid - 1] + known[mid]) / 2;
}

export class AgentTurnRecorder {
  private readonly sentAt: number[] = [];
  private readonly turnMs: number[] = [];
  /** When each step's first token came (index s − 1). */
  private readonly firstTokenAt: number[] = [];
  private readonly bytesUp: number[] = [];
  private readonly bytesDown: number[] = [];
  private readonly connectionIds = new Set<number>();
  private httpRequests = 0;
  private serverRequests = 0;
  private opens = 0;
  private endAt: number | null = null;

  constructor(
    private readonly startedAt: number,
    private readonly turns: number,
    /** Frames per step (tokens + 1): a frame's step is its seq's. */
    private readonly stepFrames: number,
    /** The modelled server cost each turn of this lane includes (see AgentView.modelledMs). */
    private readonly modelledMs = 0,
  ) {}

  /** The lane's stream opened (an EventSource GET, a WebSocket upgrade): one request, one connection. */
  recordOpen(): void {
    this.opens++;
  }

  /**
   * Either order: a side-channel POST's answer (which carries the server's account) may come after
   * the next step's first token, though the request left before it (`sent.at`).
   */
  recordSent(sent: AgentSent): void {
    if (sent.turn >= 1) {
      this.sentAt[sent.turn - 1] = sent.at;
      const firstToken = this.firstTokenAt[sent.turn];
      this.turnMs[sent.turn - 1] = firstToken === undefined ? Number.NaN : firstToken - sent.at;
    }
    this.bytesUp[sent.turn] = (this.bytesUp[sent.turn] ?? 0) + sent.bytes;
    if (sent.connection !== undefined) {
      this.httpRequests++;
      this.serverRequests++;
      this.connectionIds.add(sent.connection);
    }
  }

  /** A request the page sent that the server did not acknowledge (refused, failed). */
  recordUnanswered(): void {
    this.httpRequests++;
  }

  recordFrame(at: number, frame: Frame, bytes: number): void {
    const step = Math.floor((frame.seq - 1) / this.stepFrames) + 1;
    this.bytesDown[step - 1] = (this.bytesDown[step - 1] ?? 0) + bytes;
    if (frame.kind === 'token' && step >= 2 && (frame.seq - 1) % this.stepFrames === 0) {
      this.firstTokenAt[step - 1] = at;
      const sent = this.sentAt[step - 2];
      this.turnMs[step - 2] = sent === undefined ? Number.NaN : at - sent;
    }
    if (frame.kind === 'end') this.endAt ??= at;
  }

  snapshot(): AgentView {
    const turnMs = Array.from({ length: this.turnMs.length }, (_, i) => this.turnMs[i] ?? Number.NaN);
    const known = turnMs.filter((v) => Number.isFinite(v));
    return {
      turnsDone: this.sentAt.filter((v) => v !== undefined).length,
      turns: this.turns,
      turnMs,
      turnP50Ms: median(turnMs),
      turnMaxMs: known.length === 0 ? Number.NaN : Math.max(...known),
      totalMs: this.endAt === null ? Number.NaN : this.endAt - this.startedAt,
      requests: this.opens + this.httpRequests,
      serverRequests: this.opens + this.serverRequests,
      connections: Math.min(this.opens, 1) + this.connectionIds.size,
      bytesUp: Array.from({ length: this.bytesUp.length }, (_, i) => this.bytesUp[i] ?? 0),
      bytesDown: Array.from({ length: this.bytesDown.length }, (_, i) => this.bytesDown[i] ?? 0),
      modelledMs: this.modelledMs,
    };
  }
}
