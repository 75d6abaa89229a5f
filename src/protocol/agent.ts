/**
 * The agent loop (`scenario=agent`), as pure data: which frames make up each step, what a tool call
 * and a tool result look like, and the conversation a stateless client re-sends. Pure: no clock, no
 * I/O. The schedule (schedule.ts) plays the steps; the backend holds a stream at each tool call until
 * the result comes (on a WebSocket, or POST /api/chat for EventSource) or, for fetch + SSE, plays one
 * step per POST /api/agent.
 *
 * Layout: `turns` tool calls, so `turns + 1` steps. Step s (1-based) is `tokens` token frames and then
 * one more frame: a `tool` frame for s ≤ turns, the `end` frame for the last step. Seqs are
 * contiguous across steps: step s holds seqs (s − 1)·(tokens + 1) + 1 … s·(tokens + 1). Turn k is the
 * round trip "tool call k answered → first token of step k + 1".
 */
import { quote } from './json-guard.ts';
import { createRandom } from './random.ts';
import type { ParseResult, ScenarioParams } from './scenarios.ts';

/** The two ways a fetch + SSE client carries a turn (`variant=` on the page). */
export type AgentVariant = 'stateless' | 'previous';
export const agentVariants: readonly AgentVariant[] = ['stateless', 'previous'];

export function parseAgentVariant(raw: unknown): AgentVariant | null {
  return raw === 'stateless' || raw === 'previous' ? raw : null;
}

/** Frames in one step: its tokens and the tool call (or the end frame). */
export function stepFrames(p: ScenarioParams): number {
  return p.tokens + 1;
}

/** Every frame of the run. */
export function agentTotal(p: ScenarioParams): number {
  return (p.turns + 1) * stepFrames(p);
}

/** The step (1-based) a seq belongs to. */
export function stepOf(p: ScenarioParams, seq: number): number {
  return Math.floor((seq - 1) / stepFrames(p)) + 1;
}

/** The last seq of step s: its tool call (or the end frame). */
export function lastSeqOfStep(p: ScenarioParams, step: number): number {
  return step * stepFrames(p);
}

const tools = ['search_docs', 'read_file', 'run_tests', 'grep_repo'] as const;

/** Tool call k (1-based), as its frame's data: a small JSON object. */
export function toolCallData(p: ScenarioParams, turn: number): string {
  const name = tools[(turn + p.seed) % tools.length];
  return JSON.stringify({ turn, name, arguments: { query: `step ${turn} of ${p.turns}` } });
}

/** What a tool frame's data says: its turn (null when the data is not a lab tool call). */
export function toolCallTurn(data: string): number | null {
  try {
    const value = JSON.parse(data) as { turn?: unknown };
    return typeof value.turn === 'number' && Number.isInteger(value.turn) && value.turn >= 1 ? value.turn : null;
  } catch {
    return null;
  }
}

const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789 ';

/** Tool result k, `result` characters, the same for every lane (seeded by the run's seed and k). */
export function toolResultContent(p: ScenarioParams, turn: number): string {
  const random = createRandom((p.seed * 31 + turn) >>> 0);
  let s = '';
  for (let i = 0; i < p.result; i++) s += alphabet[Math.floor(random() * alphabet.length)];
  return s;
}

/** A tool result as a client sends it: on the WebSocket, in the POST /api/chat side channel, in POST /api/agent. */
export interface ToolResultMessage {
  type: 'tool_result';
  /** The tool call it answers (1-based). */
  turn: number;
  /** The client's clock when it sent the result. */
  t: number;
  content: string;
}

/** The most characters a tool result may carry (the `result` parameter's top). */
export const MAX_TOOL_RESULT_CHARS = 2_000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asToolResult(value: unknown): ToolResultMessage | { error: string } {
  if (!isRecord(value)) return { error: 'a tool result must be a JSON object' };
  if (typeof value.turn !== 'number' || !Number.isInteger(value.turn) || value.turn < 1) {
    return { error: `tool_result needs a "turn" (the tool call it answers, 1 or more); got ${quote(value.turn ?? null)}` };
  }
  if (typeof value.t !== 'number' || !Number.isFinite(value.t)) return { error: 'tool_result needs a numeric "t"' };
  if (typeof value.content !== 'string' || value.content.length > MAX_TOOL_RESULT_CHARS) {
    return { error: `tool_result needs a "content" of at most ${MAX_TOOL_RESULT_CHARS} characters` };
  }
  return { type: 'tool_result', turn: value.turn, t: value.t, content: value.content };
}

/** One message of the conversation a stateless client re-sends (as Chat Completions' `messages`). */
export type AgentMessage =
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string; tool_call: string }
  | { role: 'tool'; turn: number; content: string };

export const AGENT_TASK = 'Fix the failing test in the repository, one tool at a time.';

/**
 * The conversation after `done` turns, as a stateless client holds it: the task, then per turn the
 * step's text with its tool call and the tool's result. `stepText(s)` is step s's text as received.
 */
export function conversationAfter(p: ScenarioParams, done: number, stepText: (step: number) => string): AgentMessage[] {
  const messages: AgentMessage[] = [{ role: 'user', content: AGENT_TASK }];
  for (let k = 1; k <= done; k++) {
    messages.push({ role: 'assistant', content: stepText(k), tool_call: toolCallData(p, k) });
    messages.push({ role: 'tool', turn: k, content: toolResultContent(p, k) });
  }
  return messages;
}

/**
 * How many turns a stateless conversation has answered: its tool messages must be turns 1, 2, … in
 * order, each after an assistant message, the whole starting with the user's task.
 */
export function answeredTurns(messages: unknown): ParseResult<number> {
  if (!Array.isArray(messages) || messages.length === 0 || !isRecord(messages[0]) || messages[0].role !== 'user') {
    return { ok: false, error: 'messages must be an array starting with the user\'s task ({"role":"user","content":…})' };
  }
  let turns = 0;
  for (let i = 1; i < messages.length; i++) {
    const m: unknown = messages[i];
    const expected = i % 2 === 1 ? 'assistant' : 'tool';
    if (!isRecord(m) || m.role !== expected || typeof m.content !== 'string') {
      return { ok: false, error: `messages[${i}] must be an ${expected} message with a string "content"` };
    }
    if (expected === 'tool') {
      if (m.turn !== turns + 1) return { ok: false, error: `messages[${i}] must answer turn ${turns + 1}; got ${quote(m.turn ?? null)}` };
      turns++;
    }
  }
  if (messages.length % 2 === 0) return { ok: false, error: 'the last assistant message has no tool result after it' };
  return { ok: true, value: turns };
}
