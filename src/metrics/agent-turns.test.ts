import { describe, expect, it } from 'vitest';
import type { Frame } from '../protocol/frame.ts';
import { AgentTurnRecorder } from './agent-turns.ts';

const frame = (seq: number, kind: Frame['kind']): Frame => ({ type: 'frame', seq, t: 0, kind, data: '' });

describe('AgentTurnRecorder', () => {
  it('time per turn runs from the result sent to the next step’s first token, in either order of arrival', () => {
    // 2 turns, 1 token per step: seqs 1–2 step 1, 3–4 step 2, 5–6 step 3.
    const r = new AgentTurnRecorder(1000, 2, 2, 40);
    r.recordOpen();
    r.recordFrame(1100, frame(1, 'token'), 10);
    r.recordFrame(1101, frame(2, 'tool'), 30);
    r.recordSent({ at: 1200, turn: 1, bytes: 300, connection: 7 });
    r.recordFrame(1250, frame(3, 'token'), 10);
    r.recordFrame(1251, frame(4, 'tool'), 30);
    // The side channel's answer comes after the next step's first token.
    r.recordFrame(1390, frame(5, 'token'), 10);
    r.recordSent({ at: 1300, turn: 2, bytes: 320, connection: 7 });
    r.recordFrame(1391, frame(6, 'end'), 5);
    expect(r.snapshot()).toEqual({
      turnsDone: 2,
      turns: 2,
      turnMs: [50, 90],
      turnP50Ms: 70,
      turnMaxMs: 90,
      totalMs: 391,
      requests: 3,
      serverRequests: 3,
      connections: 2,
      bytesUp: [0, 300, 320],
      bytesDown: [40, 40, 15],
      modelledMs: 40,
    });
  });

  it('a socket lane: one request, one connection, messages up without a server account', () => {
    const r = new AgentTurnRecorder(0, 1, 2);
    r.recordOpen();
    r.recordSent({ at: 5, turn: 1, bytes: 80 });
    r.recordUnanswered();
    const view = r.snapshot();
    expect([view.requests, view.serverRequests, view.connections]).toEqual([2, 1, 1]);
    expect(view.turnMs).toEqual([Number.NaN]);
    expect(view.turnP50Ms).toBeNaN();
  });
});
