import { describe, expect, it } from 'vitest';
import { AGENT_TASK, conversationAfter } from '../protocol/agent.ts';
import { scenarios } from '../protocol/scenarios.ts';
import { AgentSessions, decideAgentTurn } from './agent.ts';

const params = { turns: 3, tokens: 2, ttft: 0, tool: 0, result: 16, sessionLoadMs: 40, seed: 7 };
let n = 0;
const sessions = (max = 1000, ttlMs = 60_000) => new AgentSessions({ max, ttlMs, newId: () => `resp_${++n}` });
const decide = (body: unknown, store: AgentSessions, now = 0) => decideAgentTurn(body, JSON.stringify(body), scenarios, store, now);

describe('POST /api/agent decisions', () => {
  it('stateless: the conversation says the turn; the step is one step, the modelled load on turns after the first', () => {
    const store = sessions();
    const first = decide({ variant: 'stateless', params, messages: [{ role: 'user', content: AGENT_TASK }] }, store);
    expect(first).toMatchObject({ ok: true, value: { turn: 0, responseId: null, request: { after: 0, stopAfter: 3, delayMs: 0 } } });
    const third = decide({ variant: 'stateless', params, messages: conversationAfter(params, 2, () => 'x') }, store);
    expect(third).toMatchObject({ ok: true, value: { turn: 2, request: { after: 6, stopAfter: 9, delayMs: 40 } } });
    expect(store.size).toBe(0);
  });

  it('previous: a session per run, continued only by its newest id and the next turn', () => {
    const store = sessions();
    const open = decide({ variant: 'previous', params, run: 'r1' }, store);
    if (!open.ok) throw new Error(open.error);
    const id = open.value.responseId as string;
    const input = (turn: number) => ({ type: 'tool_result', turn, t: 1, content: 'ok' });
    expect(decide({ variant: 'previous', params, run: 'r1', previous_response_id: id, input: input(2) }, store)).toMatchObject({
      ok: false,
      status: 409,
      error: 'the session waits for the result of turn 1; got turn 2',
    });
    expect(decide({ variant: 'previous', params, run: 'r2', previous_response_id: id, input: input(1) }, store)).toMatchObject({ ok: false, status: 409 });
    const next = decide({ variant: 'previous', params, run: 'r1', previous_response_id: id, input: input(1) }, store);
    expect(next).toMatchObject({ ok: true, value: { turn: 1, request: { after: 3, stopAfter: 6, delayMs: 40 } } });
    // The old id is spent.
    expect(decide({ variant: 'previous', params, run: 'r1', previous_response_id: id, input: input(1) }, store)).toMatchObject({ ok: false, status: 404 });
    expect(store.size).toBe(1);
  });

  it('sessions are bounded (MAX_AGENT_SESSIONS: the oldest goes) and expire (AGENT_SESSION_TTL_MS)', () => {
    const store = sessions(2, 1_000);
    const a = store.open('a', '{}', 0);
    store.open('b', '{}', 0);
    store.open('c', '{}', 0);
    expect(store.size).toBe(2);
    expect(store.continue(a, 1, 'a', '{}', 1)).toMatchObject({ ok: false, status: 404 });
    const d = store.open('d', '{}', 500);
    expect(store.continue(d, 1, 'd', '{}', 1_600)).toMatchObject({ ok: false, status: 404 });
    expect(store.size).toBe(0);
  });

  it('refuses mixed or malformed turns with a reason', () => {
    const store = sessions();
    expect(decide({ variant: 'stateless', params, previous_response_id: 'x', messages: [] }, store)).toMatchObject({ ok: false, status: 400 });
    expect(decide({ variant: 'previous', params, messages: [] }, store)).toMatchObject({ ok: false, status: 400 });
    expect(decide({ variant: 'previous', params, input: { turn: 1, t: 1, content: '' } }, store)).toMatchObject({
      ok: false,
      error: 'a tool result needs the previous_response_id it continues',
    });
    expect(decide({ variant: 'stateless', params: { ...params, turns: 0 } }, store)).toMatchObject({ ok: false, status: 400 });
    expect(decide({ variant: 'stateless', params, messages: conversationAfter(params, 4, () => 'x') }, store)).toMatchObject({
      ok: false,
      error: 'the conversation answers 4 tool calls; the run has 3 turns',
    });
  });
});
