/**
 * The usual "WebSocket vs SSE" answer, claim by claim, judged by what this session measured. Pure:
 * each row's measured value and verdict come from the evidence; a row with no evidence yet says so.
 * Texts are message keys with values, so the panel can show them in either language.
 */
import type { MessageKey } from '../../i18n/en.ts';
import type { Vars } from '../../i18n/translate.ts';
import type { DemoId } from './demo-id.ts';
import type { Evidence } from './evidence.ts';
import { laneRegistry } from '../lanes/lane-registry.ts';

export type Verdict = 'supported' | 'refuted' | 'depends';

export interface Text {
  key: MessageKey;
  vars?: Vars;
}

export interface ClaimRow {
  id: ClaimId;
  group: 'table' | 'llm';
  /** The claim as the usual answer puts it. */
  claim: MessageKey;
  demo: DemoId;
  /** Null until a run or probe has measured it. */
  measured: Text | null;
  verdict: Verdict | null;
  why: Text | null;
}

export type ClaimId =
  | 'direction'
  | 'protocol'
  | 'overhead'
  | 'reconnect'
  | 'format'
  | 'connections'
  | 'cors'
  | 'llm-one-way'
  | 'llm-memory'
  | 'llm-reliable'
  | 'llm-pool'
  | 'llm-parse'
  | 'mcp-sse'
  | 'agent-loop'
  | 'backpressure';


const ms = (n: number) => `${n < 10 ? n.toFixed(1) : Math.round(n)} ms`;
const bytes = (n: number) => (n < 10 ? n.toFixed(1) : String(Math.round(n)));
const pct = (n: number) => `${n.toFixed(1)} %`;
const kib = (n: number) => (n / 1024).toFixed(1);

type Judged = Pick<ClaimRow, 'measured' | 'verdict' | 'why'>;
const unmeasured: Judged = { measured: null, verdict: null, why: null };

function direction(e: Evidence): Judged {
  const chat = e.chat;
  if (!chat?.ws || !chat.sse) return unmeasured;
  const measured: Text = {
    key: 'claims.m.direction',
    vars: {
      sent: chat.sent,
      wsAnswered: chat.ws.answered,
      wsRtt: ms(chat.ws.rttP50),
      sseAnswered: chat.sse.answered,
      sseRtt: ms(chat.sse.rttP50),
      requests: chat.sse.requests,
      kib: kib(chat.sse.bytes),
    },
  };
  // Both answered everything: two-way works over SSE too, at the price of a request per message.
  if (chat.sse.answered >= chat.sent && chat.sse.requests > 0) {
    return { measured, verdict: 'depends', why: { key: 'claims.why.direction.depends', vars: { requests: chat.sse.requests } } };
  }
  return { measured, verdict: 'supported', why: { key: 'claims.why.direction.supported' } };
}

function protocol(e: Evidence): Judged {
  const hs = e.handshake;
  if (!hs) return unmeasured;
  const measured: Text = { key: 'claims.m.protocol', vars: { request: hs.wsRequestLine.split(' ').slice(0, 1).join(' '), status: hs.wsStatusLine, sse: hs.sseStatusLine } };
  const startsAsHttp = hs.wsRequestLine.endsWith('HTTP/1.1') && / 101 /.test(hs.wsStatusLine) && hs.wsUpgrade?.toLowerCase() === 'websocket';
  return startsAsHttp
    ? { measured, verdict: 'depends', why: { key: 'claims.why.protocol.depends' } }
    : { measured, verdict: 'supported', why: { key: 'claims.why.protocol.supported' } };
}

function overhead(e: Evidence): Judged {
  const o = e.overhead;
  if (!o) return unmeasured;
  const measured: Text = {
    key: 'claims.m.overhead',
    vars: {
      payload: bytes(o.payloadPerFrame),
      sse: bytes(o.sse.framingPerFrame),
      ssePct: pct(o.sse.framingPct),
      ws: bytes(o.ws.framingPerFrame),
      wsPct: pct(o.ws.framingPct),
      sseHs: Math.round(o.handshakeBytes.sse),
      wsHs: Math.round(o.handshakeBytes.ws),
    },
  };
  // "WebSocket costs more": judged per frame, where a stream spends its bytes.
  if (o.ws.framingPerFrame < o.sse.framingPerFrame) {
    return { measured, verdict: 'refuted', why: { key: 'claims.why.overhead.refuted', vars: { times: (o.sse.framingPerFrame / Math.max(o.ws.framingPerFrame, 1)).toFixed(1) } } };
  }
  return { measured, verdict: 'supported', why: { key: 'claims.why.overhead.supported' } };
}

function reconnect(e: Evidence): Judged {
  const r = e.reconnect;
  if (!r?.eventsource) return unmeasured;
  const es = r.eventsource;
  const measured: Text = {
    key: 'claims.m.reconnect',
    vars: {
      es: es.reconnects,
      esLost: es.lost,
      esDown: es.medianDowntimeMs === null ? '—' : ms(es.medianDowntimeMs),
      ws: r.websocket?.reconnects ?? 0,
      wsDown: r.websocket?.medianDowntimeMs == null ? '—' : ms(r.websocket.medianDowntimeMs),
      fetch: r.fetch?.reconnects ?? 0,
    },
  };
  if (es.failed) return { measured, verdict: 'depends', why: { key: 'claims.why.reconnect.gaveUp' } };
  if (es.reconnects > 0 && r.fetch && r.fetch.reconnects === 0) {
    return { measured, verdict: 'depends', why: { key: 'claims.why.reconnect.fetch' } };
  }
  return es.reconnects > 0
    ? { measured, verdict: 'supported', why: { key: 'claims.why.reconnect.supported' } }
    : { measured, verdict: 'depends', why: { key: 'claims.why.reconnect.none' } };
}

function format(e: Evidence): Judged {
  const b = e.binary;
  if (!b) return unmeasured;
  const measured: Text = {
    key: 'claims.m.format',
    vars: { ws: bytes(b.wsPayloadPerFrame), sse: bytes(b.ssePayloadPerFrame), more: pct((b.ratio - 1) * 100) },
  };
  return b.ratio > 1.01
    ? { measured, verdict: 'supported', why: { key: 'claims.why.format.supported', vars: { more: pct((b.ratio - 1) * 100) } } }
    : { measured, verdict: 'refuted', why: { key: 'claims.why.format.refuted' } };
}

function connections(e: Evidence): Judged {
  const l = e.limit;
  if (!l) return unmeasured;
  const measured: Text = {
    key: 'claims.m.connections',
    vars: { n: l.requested, sse: l.sseOpen, ws: l.wsOpen, protocol: l.protocol || '?', probe: l.fetchProbe },
  };
  if (l.sseOpen < l.requested && l.wsOpen >= l.requested) {
    return { measured, verdict: 'refuted', why: { key: 'claims.why.connections.refuted', vars: { sse: l.sseOpen } } };
  }
  return { measured, verdict: 'depends', why: { key: 'claims.why.connections.depends', vars: { protocol: l.protocol || '?' } } };
}

function cors(e: Evidence): Judged {
  const o = e.origin;
  if (!o) return unmeasured;
  const measured: Text =
    o.sseAllowOrigin === null
      ? { key: 'claims.m.cors', vars: { ws: o.wsServerStatus ?? '—', sse: o.sseServerStatus ?? '—' } }
      : { key: 'claims.m.corsAllowed', vars: { ws: o.wsServerStatus ?? '—', sse: o.sseServerStatus ?? '—', acao: o.sseAllowOrigin } };
  // The browser sent the foreign WebSocket request on; only the server's Origin check stopped it.
  if (o.wsServerStatus !== null && / 403 /.test(o.wsServerStatus) && o.sseBrowser === 'failed') {
    return { measured, verdict: 'depends', why: { key: 'claims.why.cors.depends' } };
  }
  if (o.wsBrowser === 'opened') return { measured, verdict: 'refuted', why: { key: 'claims.why.cors.open' } };
  return { measured, verdict: 'depends', why: { key: 'claims.why.cors.other' } };
}

function llmOneWay(e: Evidence): Judged {
  const l = e.llm;
  if (!l) return unmeasured;
  const ttfts = l.lanes.map((x) => x.ttftMs);
  const rates = l.lanes.map((x) => x.tokensPerSecond);
  const spread = (xs: number[]) => (Math.max(...xs) - Math.min(...xs)) / Math.max(...xs);
  const measured: Text = {
    key: 'claims.m.llmOneWay',
    vars: { lanes: l.lanes.map((x) => `${laneRegistry[x.kind].name} ${ms(x.ttftMs)} / ${x.tokensPerSecond.toFixed(1)}/s`).join(' · ') },
  };
  return spread(ttfts) < 0.1 && spread(rates) < 0.1
    ? { measured, verdict: 'supported', why: { key: 'claims.why.llmOneWay.supported' } }
    : { measured, verdict: 'depends', why: { key: 'claims.why.llmOneWay.depends' } };
}

function llmMemory(e: Evidence): Judged {
  const m = e.memory;
  if (!m) return unmeasured;
  const measured: Text = { key: 'claims.m.llmMemory', vars: { sse: kib(m.sseBytes), ws: kib(m.wsBytes), n: m.connections } };
  const ratio = m.wsBytes > 0 ? m.sseBytes / m.wsBytes : 0;
  return ratio > 0.5
    ? { measured, verdict: 'refuted', why: { key: 'claims.why.llmMemory.refuted', vars: { ratio: ratio.toFixed(2) } } }
    : { measured, verdict: 'depends', why: { key: 'claims.why.llmMemory.depends', vars: { ratio: ratio.toFixed(2) } } };
}

function llmReliable(e: Evidence): Judged {
  const r = e.reconnect;
  if (!r?.fetch) return unmeasured;
  const f = r.fetch;
  const measured: Text = {
    key: 'claims.m.llmReliable',
    vars: { fetch: f.reconnects, fetchFrames: f.delivered, es: r.eventsource?.reconnects ?? 0, esFrames: r.eventsource?.delivered ?? 0 },
  };
  if (f.reconnects === 0) return { measured, verdict: 'refuted', why: { key: 'claims.why.llmReliable.refuted' } };
  return { measured, verdict: 'depends', why: { key: 'claims.why.llmReliable.depends' } };
}

function llmPool(e: Evidence): Judged {
  const l = e.limit;
  if (!l) return unmeasured;
  const measured: Text = { key: 'claims.m.llmPool', vars: { n: l.requested, sse: l.sseOpen, probe: l.fetchProbe, protocol: l.protocol || '?' } };
  if (l.sseOpen < l.requested) return { measured, verdict: 'refuted', why: { key: 'claims.why.llmPool.refuted', vars: { sse: l.sseOpen } } };
  return { measured, verdict: 'supported', why: { key: 'claims.why.llmPool.supported' } };
}

function llmParse(e: Evidence): Judged {
  const p = e.parse;
  if (!p) return unmeasured;
  const measured: Text = {
    key: 'claims.m.llmParse',
    vars: { sse: p.sseMicros.toFixed(2), ws: p.wsMicros.toFixed(2), payload: p.payloadBytes },
  };
  return p.sseMicros > p.wsMicros
    ? { measured, verdict: 'refuted', why: { key: 'claims.why.llmParse.refuted', vars: { times: (p.sseMicros / Math.max(p.wsMicros, 0.001)).toFixed(1) } } }
    : { measured, verdict: 'supported', why: { key: 'claims.why.llmParse.supported' } };
}

/** "MCP streams over SSE, so SSE won": the wire is SSE, the transport it won with is not the SSE one. */
export function mcpSse(e: Evidence): Judged {
  const m = e.mcp;
  if (!m) return unmeasured;
  const measured: Text = {
    key: 'claims.m.mcpSse',
    vars: {
      drop: m.drop,
      resumes: m.streamable.resumes,
      progress: m.streamable.progress,
      expected: m.streamable.expected,
      legacy: m.legacy.progress,
    },
  };
  const cutMatters = m.drop > 0 && m.streamable.received && !m.legacy.received;
  return { measured, verdict: 'depends', why: { key: cutMatters ? 'claims.why.mcpSse.cut' : 'claims.why.mcpSse.nocut' } };
}

/** "Many-turn agent loops go faster over one WebSocket than over an HTTP request per turn." */
export function agentLoop(e: Evidence): Judged {
  const a = e.agent;
  if (!a) return unmeasured;
  const measured: Text = {
    key: a.modelled ? 'claims.m.agentLoopModelled' : 'claims.m.agentLoop',
    vars: {
      turns: a.turns,
      ws: ms(a.wsTurnMs),
      lane: laneRegistry[a.against].name,
      http: ms(a.httpTurnMs),
      bytes: Math.round(a.savedBytesPerTurn),
      requests: a.httpRequests,
      wsRequests: a.wsRequests,
    },
  };
  return { measured, verdict: a.verdict, why: { key: `claims.why.agentLoop.${a.verdict}` } };
}

/**
 * "The browser's WebSocket applies TCP's backpressure: a slow page just slows the sender." The rule
 * (backpressure-verdict.ts) says whether WebSocket queued in the page while WebSocketStream pushed
 * back; when it did, the claim is refuted for the WebSocket API.
 */
export function backpressure(e: Evidence): Judged {
  const b = e.backpressure;
  if (!b) return unmeasured;
  const v = b.values;
  const measured: Text = {
    key: 'claims.m.backpressure',
    vars: {
      wsQueue: v.wsQueue,
      wsSlope: Math.round(v.wsSlope),
      wssQueue: v.wssQueue,
      wssSlope: Math.round(v.wssSlope),
      paused: v.senderPausedMs === null ? '—' : (v.senderPausedMs / 1000).toFixed(1),
    },
  };
  if (b.verdict === 'supported') return { measured, verdict: 'refuted', why: { key: 'claims.why.backpressure.refuted' } };
  return { measured, verdict: 'depends', why: { key: `claims.why.backpressure.${b.why === 'supported' ? 'kept-up' : b.why}` } };
}

const rows: { id: ClaimId; group: ClaimRow['group']; claim: MessageKey; demo: DemoId; judge: (e: Evidence) => Judged }[] = [
  { id: 'direction', group: 'table', claim: 'claims.c.direction', demo: 'chat', judge: direction },
  { id: 'protocol', group: 'table', claim: 'claims.c.protocol', demo: 'handshake', judge: protocol },
  { id: 'overhead', group: 'table', claim: 'claims.c.overhead', demo: 'overhead', judge: overhead },
  { id: 'reconnect', group: 'table', claim: 'claims.c.reconnect', demo: 'reconnect', judge: reconnect },
  { id: 'format', group: 'table', claim: 'claims.c.format', demo: 'binary', judge: format },
  { id: 'connections', group: 'table', claim: 'claims.c.connections', demo: 'limit', judge: connections },
  { id: 'cors', group: 'table', claim: 'claims.c.cors', demo: 'origin', judge: cors },
  { id: 'llm-one-way', group: 'llm', claim: 'claims.c.llmOneWay', demo: 'llm', judge: llmOneWay },
  { id: 'llm-memory', group: 'llm', claim: 'claims.c.llmMemory', demo: 'memory', judge: llmMemory },
  { id: 'llm-reliable', group: 'llm', claim: 'claims.c.llmReliable', demo: 'reconnect', judge: llmReliable },
  { id: 'llm-pool', group: 'llm', claim: 'claims.c.llmPool', demo: 'limit', judge: llmPool },
  { id: 'llm-parse', group: 'llm', claim: 'claims.c.llmParse', demo: 'parse', judge: llmParse },
  { id: 'agent-loop', group: 'llm', claim: 'claims.c.agentLoop', demo: 'agent', judge: agentLoop },
  { id: 'backpressure', group: 'llm', claim: 'claims.c.backpressure', demo: 'backpressure', judge: backpressure },
  { id: 'mcp-sse', group: 'llm', claim: 'claims.c.mcpSse', demo: 'mcp', judge: mcpSse },
];

export function evaluateClaims(evidence: Evidence): ClaimRow[] {
  return rows.map(({ judge, ...row }) => ({ ...row, ...judge(evidence) }));
}
