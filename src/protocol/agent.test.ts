import { describe, expect, it } from 'vitest';
import {
  agentTotal,
  answeredTurns,
  asToolResult,
  conversationAfter,
  lastSeqOfStep,
  stepOf,
  toolCallData,
  toolCallTurn,
  toolResultContent,
} from './agent.ts';
import { parseClientMessage } from './frame.ts';
import { parseScenarioQuery } from './scenarios.ts';
import { createSchedule, plannedTotal, type PlannedFrame } from './schedule.ts';

const config = (query: string) => {
  const parsed = parseScenarioQuery(new URLSearchParams(`scenario=agent&${query}`));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
};
const all = (it: Iterator<PlannedFrame, undefined>): PlannedFrame[] => {
  const out: PlannedFrame[] = [];
  for (let n = it.next(); !n.done; n = it.next()) out.push(n.value);
  return out;
};

describe('the agent scenario', () => {
  it('defaults to 20 turns of 20 tokens, sessionLoadMs 0 (modelled cost off)', () => {
    expect(config('').params).toMatchObject({ turns: 20, tokens: 20, ttft: 100, tool: 50, result: 400, sessionLoadMs: 0, seed: 42 });
  });

  it('plays turns + 1 steps: tokens then a tool call, the last step ending in end; seqs contiguous', () => {
    const c = config('turns=3&tokens=4&seed=7');
    const frames = all(createSchedule(c));
    expect(frames).toHaveLength(agentTotal(c.params));
    expect(plannedTotal(c)).toBe(20);
    expect(frames.map((f) => f.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(frames.filter((f) => f.kind === 'tool').map((f) => f.seq)).toEqual([5, 10, 15]);
    expect(frames.at(-1)?.kind).toBe('end');
    expect(frames.filter((f) => f.kind === 'tool').map((f) => toolCallTurn(f.data))).toEqual([1, 2, 3]);
    // Each step's first token waits the think time.
    expect(frames.filter((f) => (f.seq - 1) % 5 === 0).every((f) => f.gapMs === 100)).toBe(true);
    expect(stepOf(c.params, 10)).toBe(2);
    expect(lastSeqOfStep(c.params, 4)).toBe(20);
  });

  it('resumes mid-run with the same frames (each step seeded on its own)', () => {
    const c = config('turns=3&tokens=4&seed=7');
    const whole = all(createSchedule(c));
    expect(all(createSchedule(c, 7))).toEqual(whole.slice(7));
    expect(all(createSchedule(c, 20))).toEqual([]);
  });

  it('tool results are seeded text of `result` characters, the same in every lane', () => {
    const p = config('result=64&seed=7').params;
    expect(toolResultContent(p, 3)).toHaveLength(64);
    expect(toolResultContent(p, 3)).toBe(toolResultContent(p, 3));
    expect(toolResultContent(p, 3)).not.toBe(toolResultContent(p, 4));
  });

  it('a stateless conversation grows by a step and a result per turn, and answers its turns', () => {
    const p = config('turns=5&result=100').params;
    const c2 = conversationAfter(p, 2, (s) => `step ${s}`);
    const c4 = conversationAfter(p, 4, (s) => `step ${s}`);
    expect(c2).toHaveLength(5);
    expect(answeredTurns(c4)).toEqual({ ok: true, value: 4 });
    expect(JSON.stringify(c4).length - JSON.stringify(c2).length).toBeGreaterThan(2 * 100);
    expect(answeredTurns([])).toMatchObject({ ok: false });
    expect(answeredTurns(c4.slice(0, 4))).toEqual({ ok: false, error: 'the last assistant message has no tool result after it' });
  });

  it('tool results are validated on every channel', () => {
    expect(parseClientMessage('{"type":"tool_result","turn":2,"t":5,"content":"ok"}')).toEqual({ type: 'tool_result', turn: 2, t: 5, content: 'ok' });
    expect(asToolResult({ turn: 0, t: 1, content: '' })).toEqual({ error: 'tool_result needs a "turn" (the tool call it answers, 1 or more); got 0' });
    expect(asToolResult({ turn: 1, t: 1, content: 'x'.repeat(2001) })).toEqual({ error: 'tool_result needs a "content" of at most 2000 characters' });
    expect(toolCallTurn(toolCallData({ seed: 1, turns: 9 }, 4))).toBe(4);
    expect(toolCallTurn('not json')).toBeNull();
  });
});
