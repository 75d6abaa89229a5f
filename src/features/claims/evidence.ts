/**
 * What this session of the lab has measured, gathered from every run and probe, newest first: the
 * claims table reads only this. Pure: the App feeds it run snapshots, stream logs and probe results.
 */
import type { ScenarioConfig } from '../../protocol/scenarios.ts';
import type { StreamRecord } from '../../protocol/stream-log.ts';
import type { LaneView } from '../run/run-session.ts';
import type { TransportKind } from '../../transports/transport.ts';
import { firstHandshake, headerValue, wireTotals } from '../inspector/wire-summary.ts';
import { judgeAgentLoop, type AgentVerdict } from './agent-verdict.ts';
import { backpressureEvidence, judgeBackpressure, type BackpressureJudgement } from './backpressure-verdict.ts';
import { senderBackpressure } from '../lanes/sender-backpressure.ts';
import { preciseNow } from '../../protocol/frame.ts';

export interface OverheadEvidence {
  scenario: string;
  /** Payload bytes per frame (WebSocket's, the reference). */
  payloadPerFrame: number;
  sse: { framingPerFrame: number; framingPct: number; socketPerFrame: number | null };
  ws: { framingPerFrame: number; framingPct: number; socketPerFrame: number | null };
  handshakeBytes: { sse: number; ws: number };
  simulated: boolean;
}

export interface HandshakeEvidence {
  wsRequestLine: string;
  wsStatusLine: string;
  wsUpgrade: string | null;
  sseStatusLine: string;
  sseContentType: string | null;
  simulated: boolean;
}

export interface LaneReconnect {
  reconnects: number;
  /** Distinct frames the lane received. */
  delivered: number;
  lost: number;
  medianDowntimeMs: number | null;
  /** The lane ended failed (gave up) rather than complete or stopped. */
  failed: boolean;
}

export interface ReconnectEvidence {
  eventsource: LaneReconnect | null;
  fetch: (LaneReconnect & { resumeOn: boolean }) | null;
  websocket: LaneReconnect | null;
}

export interface BinaryEvidence {
  size: number;
  wsPayloadPerFrame: number;
  ssePayloadPerFrame: number;
  /** SSE payload / WebSocket payload. */
  ratio: number;
}

export interface ChatEvidence {
  sent: number;
  ws: { answered: number; rttP50: number; requests: number; bytes: number; connections: number } | null;
  sse: { answered: number; rttP50: number; requests: number; bytes: number; connections: number } | null;
}

export interface LlmEvidence {
  lanes: { kind: TransportKind; ttftMs: number; tokensPerSecond: number }[];
}

export interface LimitEvidence {
  protocol: string;
  requested: number;
  sseOpen: number;
  wsOpen: number;
  fetchProbe: 'pending' | 'answered' | 'failed' | 'idle';
}

export interface OriginEvidence {
  wsBrowser: 'opened' | 'failed';
  wsServerStatus: string | null;
  sseBrowser: 'opened' | 'failed';
  sseServerStatus: string | null;
  sseAllowOrigin: string | null;
}

export interface MemoryEvidence {
  connections: number;
  sseBytes: number;
  wsBytes: number;
}

export interface ParseEvidence {
  payloadBytes: number;
  sseMicros: number;
  wsMicros: number;
}

/** The MCP demo: the same tool call over Streamable HTTP and HTTP+SSE, each SSE connection cut after `drop` messages (0: none). */
export interface McpEvidence {
  drop: number;
  streamable: { received: boolean; resumes: number; progress: number; expected: number; repeated: number };
  legacy: { received: boolean; progress: number; expected: number };
}

export interface Evidence {
  /** The agent loop: WebSocket against the fastest HTTP lane of the same run (agent-verdict.ts). */
  agent?: AgentVerdict;
  /** The slow consumer: WebSocket against WebSocketStream in the same run (backpressure-verdict.ts). */
  backpressure?: BackpressureJudgement;
  overhead?: OverheadEvidence;
  handshake?: HandshakeEvidence;
  reconnect?: ReconnectEvidence;
  binary?: BinaryEvidence;
  chat?: ChatEvidence;
  llm?: LlmEvidence;
  limit?: LimitEvidence;
  origin?: OriginEvidence;
  memory?: MemoryEvidence;
  parse?: ParseEvidence;
  mcp?: McpEvidence;
}

const finite = (n: number) => Number.isFinite(n);

function laneReconnect(lane: LaneView): LaneReconnect {
  return {
    reconnects: lane.reconnects,
    delivered: lane.sequence.delivered,
    lost: lane.sequence.missing,
    medianDowntimeMs: lane.downtime.count > 0 && finite(lane.downtime.medianMs) ? lane.downtime.medianMs : null,
    failed: lane.closeReason?.kind === 'failed',
  };
}

/** The evidence one run gives: a part for what its scenario and its lanes showed. */
export function runEvidence(
  config: ScenarioConfig,
  lanes: readonly LaneView[],
  records: readonly StreamRecord[],
  fetchResume: boolean,
): Evidence {
  const out: Evidence = {};
  const slow = lanes.filter((l) => l.consumer !== null);
  if (slow.length > 0) {
    const now = preciseNow();
    const judged = judgeBackpressure(
      backpressureEvidence(
        lanes.map((l) => ({ kind: l.kind, frames: l.frames, latencySeries: l.latencySeries, consumer: l.consumer, sender: senderBackpressure(records, l.kind, now) })),
      ),
    );
    if (judged) out.backpressure = judged;
  }
  if (config.scenario === 'agent') {
    const verdict = judgeAgentLoop(lanes.flatMap((l) => (l.agent ? [{ kind: l.kind, agent: l.agent }] : [])));
    if (verdict) out.agent = verdict;
  }
  const sse = wireTotals(records, 'sse');
  const ws = wireTotals(records, 'ws');
  if (sse && ws && sse.frames > 0 && ws.frames > 0 && config.scenario !== 'binary') {
    const payload = ws.payloadPerFrame ?? 0;
    out.overhead = {
      scenario: config.scenario,
      payloadPerFrame: payload,
      sse: {
        framingPerFrame: (sse.messagePerFrame ?? 0) - (sse.payloadPerFrame ?? 0),
        framingPct: sse.framingOverheadPct ?? 0,
        socketPerFrame: sse.socketPerFrame === null || sse.payloadPerFrame === null ? null : sse.socketPerFrame - sse.payloadPerFrame,
      },
      ws: {
        framingPerFrame: (ws.messagePerFrame ?? 0) - payload,
        framingPct: ws.framingOverheadPct ?? 0,
        socketPerFrame: ws.socketPerFrame === null ? null : ws.socketPerFrame - payload,
      },
      handshakeBytes: { sse: sse.handshakeBytes / sse.streams, ws: ws.handshakeBytes / ws.streams },
      simulated: sse.simulated || ws.simulated,
    };
  }
  const wsHs = firstHandshake(records, 'ws');
  const sseHs = firstHandshake(records, 'sse') ?? firstHandshake(records, 'fetch');
  if (wsHs && sseHs) {
    out.handshake = {
      wsRequestLine: wsHs.request.line,
      wsStatusLine: wsHs.response.line,
      wsUpgrade: headerValue(wsHs.request, 'upgrade'),
      sseStatusLine: sseHs.response.line,
      sseContentType: headerValue(sseHs.response, 'content-type'),
      simulated: wsHs.simulated || sseHs.simulated,
    };
  }
  if (config.scenario === 'binary' && sse && ws && sse.frames > 0 && ws.frames > 0) {
    const wsPer = ws.payloadPerFrame ?? 0;
    const ssePer = sse.payloadPerFrame ?? 0;
    out.binary = { size: config.params.size, wsPayloadPerFrame: wsPer, ssePayloadPerFrame: ssePer, ratio: wsPer > 0 ? ssePer / wsPer : 0 };
  }
  const lane = (kind: TransportKind) => lanes.find((l) => l.kind === kind) ?? null;
  // A run in which EventSource lost its connection: the reconnect story, lane by lane.
  const es = lane('eventsource');
  if (es && (es.reconnects > 0 || es.closeReason?.kind === 'failed')) {
    const fetchLane = lane('fetch-sse');
    const wsLane = lane('websocket');
    out.reconnect = {
      eventsource: es ? laneReconnect(es) : null,
      fetch: fetchLane ? { ...laneReconnect(fetchLane), resumeOn: fetchResume } : null,
      websocket: wsLane ? laneReconnect(wsLane) : null,
    };
  }
  if (config.scenario === 'chat') {
    const wsLane = lane('websocket');
    const sseLane = lane('eventsource') ?? lane('fetch-sse');
    const part = (l: LaneView | null) =>
      l && l.chat.sent > 0
        ? {
            answered: l.chat.answered,
            rttP50: l.chat.rtt.p50,
            requests: l.chat.requests,
            bytes: l.chat.requestBytes,
            connections: l.chat.sideConnections,
          }
        : null;
    const sent = Math.max(wsLane?.chat.sent ?? 0, sseLane?.chat.sent ?? 0);
    if (sent > 0) out.chat = { sent, ws: part(wsLane), sse: part(sseLane) };
  }
  if (config.scenario === 'llm') {
    const measured = lanes
      .filter((l) => l.tokens.count > 0 && finite(l.tokens.ttftMs) && finite(l.tokens.perSecond))
      .map((l) => ({ kind: l.kind, ttftMs: l.tokens.ttftMs, tokensPerSecond: l.tokens.perSecond }));
    if (measured.length >= 2) out.llm = { lanes: measured };
  }
  return out;
}

/** Newer parts replace older ones; parts a run did not measure stay as they were. */
export function mergeEvidence(previous: Evidence, next: Evidence): Evidence {
  return { ...previous, ...Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined)) };
}
