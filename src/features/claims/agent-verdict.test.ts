import { describe, expect, it } from 'vitest';
import type { AgentView } from '../../metrics/agent-turns.ts';
import { bytesUpPerTurn, judgeAgentLoop, type AgentLane } from './agent-verdict.ts';

/** A finished lane: 20 turns at `turnMs` each, `up` bytes per tool result. */
function view(turnMs: number, up: number | number[], extra: Partial<AgentView> = {}): AgentView {
  const ups = Array.isArray(up) ? up : Array.from({ length: 20 }, () => up);
  return {
    turnsDone: 20,
    turns: 20,
    turnMs: Array.from({ length: 20 }, () => turnMs),
    turnP50Ms: turnMs,
    turnMaxMs: turnMs,
    totalMs: 5000,
    requests: 21,
    serverRequests: 21,
    connections: 2,
    bytesUp: [0, ...ups],
    bytesDown: [],
    modelledMs: 0,
    ...extra,
  };
}
const lane = (kind: AgentLane['kind'], agent: AgentView): AgentLane => ({ kind, agent });

describe('judgeAgentLoop', () => {
  it('is unmeasured until the WebSocket and an HTTP lane have finished their turns', () => {
    expect(judgeAgentLoop([])).toBeNull();
    expect(judgeAgentLoop([lane('websocket', view(100, 450))])).toBeNull();
    expect(judgeAgentLoop([lane('websocket', view(100, 450)), lane('eventsource', view(110, 900, { turnsDone: 12 }))])).toBeNull();
  });

  it('supported: WebSocket faster per turn past the noise, and fewer bytes up — against the fastest HTTP lane', () => {
    const ws = view(100, 450);
    const stateless = view(130, Array.from({ length: 20 }, (_, i) => 900 + i * 700));
    const es = view(115, 800);
    const judged = judgeAgentLoop([lane('eventsource', es), lane('fetch-sse', stateless), lane('websocket', ws)]);
    expect(judged).toMatchObject({ verdict: 'supported', against: 'eventsource', savedMsPerTurn: 15, savedBytesPerTurn: 350, wsRequests: 21, modelled: false });
  });

  it('depends: turn times within the noise (10 % of the WebSocket turn), even with fewer bytes', () => {
    const judged = judgeAgentLoop([lane('websocket', view(100, 450)), lane('fetch-sse', view(108, 700))]);
    expect(judged).toMatchObject({ verdict: 'depends', savedMsPerTurn: 8, savedBytesPerTurn: 250 });
    // The noise floor is at least 1 ms.
    expect(judgeAgentLoop([lane('websocket', view(2, 450)), lane('fetch-sse', view(2.9, 700))])?.verdict).toBe('depends');
  });

  it('refuted: WebSocket slower per turn past the noise', () => {
    expect(judgeAgentLoop([lane('websocket', view(130, 450)), lane('eventsource', view(100, 700))])?.verdict).toBe('refuted');
  });

  it('says when the HTTP lanes carry a modelled server cost', () => {
    const judged = judgeAgentLoop([lane('websocket', view(100, 450)), lane('eventsource', view(150, 700, { modelledMs: 50 }))]);
    expect(judged).toMatchObject({ verdict: 'supported', modelled: true, savedMsPerTurn: 50 });
  });

  it('bytes up per turn leave out the first request, which carries the task', () => {
    expect(bytesUpPerTurn(view(1, 100, { bytesUp: [5000, 100, 300] }))).toBe(200);
  });
});
