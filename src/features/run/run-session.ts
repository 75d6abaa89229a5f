/**
 * One run: both lanes on one scenario, started and stopped together. Wires each transport's events
 * into its lane's recorder on the receive path; the UI only ever calls `snapshot()` on a timer.
 */
import { preciseNow } from '../../protocol/frame.ts';
import { scenarioQuery, type ScenarioConfig } from '../../protocol/scenarios.ts';
import { LaneRecorder, type LaneSnapshot } from '../../metrics/lane-recorder.ts';
import { EventSourceTransport } from '../../transports/event-source-transport.ts';
import { WebSocketTransport } from '../../transports/websocket-transport.ts';
import type {
  CloseReason,
  ConnectionState,
  Transport,
  TransportKind,
} from '../../transports/transport.ts';

export interface LaneView extends LaneSnapshot {
  kind: TransportKind;
  state: ConnectionState;
  closeReason: CloseReason | null;
  /** WebSocket only: round-trip time of the newest ping. */
  rttMs: number | null;
}

export interface RunSnapshot {
  runId: string;
  elapsedS: number;
  lanes: LaneView[];
  /** Every lane is closed. */
  finished: boolean;
}

interface Lane {
  transport: Transport;
  recorder: LaneRecorder;
  closeReason: CloseReason | null;
  unsubscribe: () => void;
}

let runCounter = 0;

export function streamUrls(config: ScenarioConfig, runId: string, origin: string) {
  const query = scenarioQuery(config);
  query.set('run', runId);
  const wsOrigin = origin.replace(/^http/, 'ws');
  return {
    sse: `${origin}/api/sse?${query}`,
    ws: `${wsOrigin}/api/ws?${query}`,
  };
}

export class RunSession {
  readonly runId: string;
  readonly startedAt: number;
  private readonly lanes: Lane[];
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private released = false;
  private readonly ws: WebSocketTransport;

  constructor(
    readonly config: ScenarioConfig,
    origin: string,
    private readonly onStopped?: (runId: string) => void,
  ) {
    this.runId = `${Date.now().toString(36)}-${(++runCounter).toString(36)}`;
    this.startedAt = preciseNow();
    const urls = streamUrls(config, this.runId, origin);
    this.ws = new WebSocketTransport(urls.ws);
    this.lanes = [new EventSourceTransport(urls.sse), this.ws].map((transport) => this.wire(transport));
  }

  private wire(transport: Transport): Lane {
    const recorder = new LaneRecorder(this.startedAt);
    const lane: Lane = { transport, recorder, closeReason: null, unsubscribe: () => {} };
    let opens = 0;
    lane.unsubscribe = transport.subscribe((event) => {
      switch (event.type) {
        case 'frame':
          recorder.recordFrame(event.at, event.frame, event.bytes);
          return;
        case 'open':
          if (opens++ > 0) recorder.recordReconnect(event.at);
          return;
        case 'error':
          recorder.recordError(event.message);
          return;
        case 'reconnecting':
          return;
        case 'closed':
          lane.closeReason = event.reason;
          if (this.lanes.every((l) => l.closeReason !== null)) this.release();
          return;
      }
    });
    return lane;
  }

  start(): void {
    for (const lane of this.lanes) lane.transport.connect();
    this.pingTimer = setInterval(() => this.ws.ping(), 1000);
  }

  stop(): void {
    for (const lane of this.lanes) lane.transport.close();
    this.release();
  }

  private release(): void {
    if (this.released) return;
    this.released = true;
    if (this.pingTimer !== null) clearInterval(this.pingTimer);
    this.pingTimer = null;
    this.onStopped?.(this.runId);
  }

  snapshot(now = preciseNow()): RunSnapshot {
    const lanes = this.lanes.map(
      (lane): LaneView => ({
        ...lane.recorder.snapshot(now),
        kind: lane.transport.kind,
        state: lane.transport.state,
        closeReason: lane.closeReason,
        rttMs: lane.transport === this.ws ? this.ws.rttMs : null,
      }),
    );
    return {
      runId: this.runId,
      elapsedS: (now - this.startedAt) / 1000,
      lanes,
      finished: this.lanes.every((l) => l.closeReason !== null),
    };
  }

  dispose(): void {
    this.stop();
    for (const lane of this.lanes) lane.unsubscribe();
  }
}
