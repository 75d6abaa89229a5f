/**
 * The agent-loop verdict, pure: "two-way many-turn loops: WebSocket saves X ms per turn and Y bytes
 * up per turn" against the best HTTP lane of the same run (EventSource + POST side channel, fetch +
 * SSE stateless or previous id). For the claims table (the lead wires the row and the tour step):
 * numbers in, a verdict and the figures behind it out; no words.
 *
 * Rules (unit-tested in agent-verdict.test.ts):
 * - unmeasured (null) until the WebSocket lane and at least one HTTP lane have finished every turn
 *   and at least MIN_TURNS turns are timed;
 * - the time saved is the best HTTP lane's median time per turn minus the WebSocket's; the bytes saved
 *   are the smallest HTTP mean bytes up per turn minus the WebSocket's;
 * - supported: WebSocket is faster per turn by more than the noise (NOISE_MS, or NOISE_SHARE of its own
 *   turn time, whichever is larger) and sends fewer bytes up;
 * - refuted: WebSocket is slower per turn by more than the noise;
 * - depends: the turn times are within the noise (the bytes may still differ): the loop's cost is the
 *   model's think time and the tools, not the transport;
 * - `modelled`: true when any HTTP lane's turn times include a modelled server cost (sessionLoadMs):
 *   a verdict that rests on it must say so wherever it shows.
 */
import type { AgentView } from '../../metrics/agent-turns.ts';
import type { TransportKind } from '../../transports/transport.ts';
import type { Verdict } from './claims.ts';

/** Turns a verdict needs timed in every lane compared. */
export const MIN_TURNS = 5;
/** Differences per turn below this many ms (or NOISE_SHARE of the WebSocket's turn time) are noise. */
export const NOISE_MS = 1;
export const NOISE_SHARE = 0.1;

export interface AgentLane {
  kind: TransportKind;
  agent: AgentView;
}

export interface AgentVerdict {
  verdict: Verdict;
  /** The HTTP lane compared with (the fastest per turn). */
  against: TransportKind;
  wsTurnMs: number;
  httpTurnMs: number;
  /** Positive: WebSocket faster per turn. */
  savedMsPerTurn: number;
  /** Positive: WebSocket sends fewer bytes up per turn (against the leanest HTTP lane). */
  savedBytesPerTurn: number;
  /** Requests the HTTP lane compared with made, against the WebSocket's. */
  httpRequests: number;
  wsRequests: number;
  turns: number;
  /** The HTTP lanes' times include a modelled server cost. */
  modelled: boolean;
}

function complete(view: AgentView): boolean {
  const timed = view.turnMs.filter((v) => Number.isFinite(v)).length;
  return view.turnsDone >= view.turns && timed >= Math.min(MIN_TURNS, view.turns) && Number.isFinite(view.turnP50Ms);
}

/** Mean bytes up per tool result (turns 1…N; fetch's first request, which carries the task, aside). */
export function bytesUpPerTurn(view: AgentView): number {
  const turns = view.bytesUp.slice(1);
  return turns.length === 0 ? Number.NaN : turns.reduce((a, b) => a + b, 0) / turns.length;
}

export function judgeAgentLoop(lanes: readonly AgentLane[]): AgentVerdict | null {
  const ws = lanes.find((l) => l.kind === 'websocket' && complete(l.agent));
  const http = lanes.filter((l) => (l.kind === 'eventsource' || l.kind === 'fetch-sse') && complete(l.agent));
  if (!ws || http.length === 0) return null;
  const fastest = http.reduce((best, l) => (l.agent.turnP50Ms < best.agent.turnP50Ms ? l : best));
  const leanest = Math.min(...http.map((l) => bytesUpPerTurn(l.agent)));
  const wsTurnMs = ws.agent.turnP50Ms;
  const savedMsPerTurn = fastest.agent.turnP50Ms - wsTurnMs;
  const savedBytesPerTurn = leanest - bytesUpPerTurn(ws.agent);
  const noise = Math.max(NOISE_MS, NOISE_SHARE * wsTurnMs);
  const verdict: Verdict =
    savedMsPerTurn > noise && savedBytesPerTurn > 0 ? 'supported' : savedMsPerTurn < -noise ? 'refuted' : 'depends';
  return {
    verdict,
    against: fastest.kind,
    wsTurnMs,
    httpTurnMs: fastest.agent.turnP50Ms,
    savedMsPerTurn,
    savedBytesPerTurn,
    httpRequests: fastest.agent.requests,
    wsRequests: ws.agent.requests,
    turns: ws.agent.turns,
    modelled: http.some((l) => l.agent.modelledMs > 0),
  };
}
