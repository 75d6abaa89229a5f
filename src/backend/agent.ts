/**
 * The agent loop's server side (`scenario=agent`, see src/protocol/agent.ts), decided once for every
 * adapter:
 *
 * - POST /api/agent — fetch + SSE, one POST per turn, answered with an SSE stream of one step (up to
 *   its tool call). Two variants: `stateless` carries the whole conversation so far (as Chat
 *   Completions: bytes up grow with every turn); `previous` carries only the new tool result and the
 *   previous response's id (as the Responses API's `previous_response_id`): the server keeps the
 *   session, bounded by MAX_AGENT_SESSIONS and AGENT_SESSION_TTL_MS.
 * - A tool result for a stream that holds at its tool call: on the WebSocket (in band) or, for
 *   EventSource, on the POST /api/chat side channel (`"type":"tool_result"`).
 *
 * The modelled server cost `sessionLoadMs` (a scenario parameter, default 0) delays every HTTP turn
 * that carries a tool result: both fetch variants and EventSource's side channel. The WebSocket keeps
 * its session on the socket and pays nothing.
 */
import {
  answeredTurns,
  asToolResult,
  lastSeqOfStep,
  parseAgentVariant,
  stepFrames,
  type ToolResultMessage,
} from '../protocol/agent.ts';
import { quote } from '../protocol/json-guard.ts';
import { AGENT_SESSION_TTL_MS, MAX_AGENT_SESSIONS } from '../protocol/limits.ts';
import type { ScenarioSpec } from '../protocol/scenarios.ts';
import { parseStreamBody } from '../protocol/stream-body.ts';
import type { StreamRequest } from './stream-request.ts';
import type { ServedStreams } from './served-streams.ts';

interface AgentSession {
  run: string | null;
  /** The parameters the session was opened with, as JSON: a later turn must send the same. */
  params: string;
  /** Tool results the session has taken. */
  answered: number;
  expiresAt: number;
}

export interface AgentSessionsOptions {
  max?: number;
  ttlMs?: number;
  /** A new response id (default: `resp_` and 32 random hex digits). */
  newId?: () => string;
}

const randomId = () => `resp_${crypto.randomUUID().replaceAll('-', '')}`;

/**
 * The sessions behind `previous_response_id`: each id names one session after one response; only the
 * newest id of a session continues it (an older one answers 404, as a continued response would).
 */
export class AgentSessions {
  private readonly byId = new Map<string, AgentSession>();
  private readonly max: number;
  private readonly ttlMs: number;
  private readonly newId: () => string;

  constructor(options: AgentSessionsOptions = {}) {
    this.max = options.max ?? MAX_AGENT_SESSIONS;
    this.ttlMs = options.ttlMs ?? AGENT_SESSION_TTL_MS;
    this.newId = options.newId ?? randomId;
  }

  get size(): number {
    return this.byId.size;
  }

  private sweep(now: number): void {
    for (const [id, session] of this.byId) if (session.expiresAt <= now) this.byId.delete(id);
  }

  /** A new session for this run and parameters; its first response's id. The oldest goes past `max`. */
  open(run: string | null, params: string, now: number): string {
    this.sweep(now);
    while (this.byId.size >= this.max) {
      const oldest = this.byId.keys().next().value as string;
      this.byId.delete(oldest);
    }
    const id = this.newId();
    this.byId.set(id, { run, params, answered: 0, expiresAt: now + this.ttlMs });
    return id;
  }

  /** Takes tool result `turn` for the session behind `previousId`; the new response id, or why not. */
  continue(
    previousId: string,
    turn: number,
    run: string | null,
    params: string,
    now: number,
  ): { ok: true; id: string } | { ok: false; status: 404 | 409; error: string } {
    this.sweep(now);
    const session = this.byId.get(previousId);
    if (session === undefined) {
      return { ok: false, status: 404, error: `previous_response_id ${quote(previousId)} is unknown, expired or already continued (AGENT_SESSION_TTL_MS, MAX_AGENT_SESSIONS)` };
    }
    if (session.run !== run || session.params !== params) {
      return { ok: false, status: 409, error: 'previous_response_id belongs to another run or other parameters' };
    }
    if (turn !== session.answered + 1) {
      return { ok: false, status: 409, error: `the session waits for the result of turn ${session.answered + 1}; got turn ${turn}` };
    }
    this.byId.delete(previousId);
    session.answered = turn;
    session.expiresAt = now + this.ttlMs;
    const id = this.newId();
    this.byId.set(id, session);
    return { ok: true, id };
  }
}

/** A decided POST /api/agent: the step to stream, and the response id to send (variant `previous`). */
export interface AgentTurn {
  request: StreamRequest;
  /** Tool results taken before this step (this step is turn + 1). */
  turn: number;
  variant: 'stateless' | 'previous';
  responseId: string | null;
}

export type AgentTurnDecision = { ok: true; value: AgentTurn } | { ok: false; status: 400 | 404 | 409; error: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * POST /api/agent:
 *
 *   {"variant":"stateless","params":{…},"run":"r1","messages":[{"role":"user",…},{"role":"assistant",…},{"role":"tool","turn":1,…},…]}
 *   {"variant":"previous","params":{…},"run":"r1"}                                        first turn: opens a session
 *   {"variant":"previous","params":{…},"run":"r1","previous_response_id":"resp_…","input":{"type":"tool_result","turn":1,"t":…,"content":"…"}}
 */
export function decideAgentTurn(
  body: unknown,
  text: string | undefined,
  catalogue: readonly ScenarioSpec[],
  sessions: AgentSessions,
  now: number,
): AgentTurnDecision {
  if (!isRecord(body)) return { ok: false, status: 400, error: 'the body must be a JSON object' };
  const variant = parseAgentVariant(body.variant);
  if (variant === null) return { ok: false, status: 400, error: `variant must be "stateless" or "previous"; got ${quote(body.variant ?? null)}` };
  const parsed = parseStreamBody({ scenario: 'agent', params: body.params, options: body.options, run: body.run }, undefined, catalogue);
  if (!parsed.ok) return { ok: false, status: 400, error: parsed.error };
  const { config, options, run, retrySet } = parsed.value;
  const p = config.params;
  const params = JSON.stringify(p);

  let turn: number;
  let responseId: string | null = null;
  if (variant === 'stateless') {
    if (body.previous_response_id !== undefined || body.input !== undefined) {
      return { ok: false, status: 400, error: 'a stateless turn carries the whole conversation in "messages", not previous_response_id or input' };
    }
    const answered = answeredTurns(body.messages);
    if (!answered.ok) return { ok: false, status: 400, error: answered.error };
    turn = answered.value;
  } else {
    if (body.messages !== undefined) return { ok: false, status: 400, error: 'a "previous" turn carries only the new input and previous_response_id, not messages' };
    if (body.previous_response_id === undefined) {
      if (body.input !== undefined) return { ok: false, status: 400, error: 'a tool result needs the previous_response_id it continues' };
      turn = 0;
      responseId = sessions.open(run, params, now);
    } else {
      if (typeof body.previous_response_id !== 'string' || !/^[\w.-]{1,64}$/.test(body.previous_response_id)) {
        return { ok: false, status: 400, error: 'previous_response_id must be 1 to 64 letters, digits, "-", "_" or "."' };
      }
      const input = asToolResult(body.input);
      if ('error' in input) return { ok: false, status: 400, error: input.error };
      if (input.turn > p.turns) return { ok: false, status: 400, error: `turn ${input.turn} is past the run's ${p.turns} turns` };
      const next = sessions.continue(body.previous_response_id, input.turn, run, params, now);
      if (!next.ok) return next;
      turn = input.turn;
      responseId = next.id;
    }
  }
  if (turn > p.turns) return { ok: false, status: 400, error: `the conversation answers ${turn} tool calls; the run has ${p.turns} turns` };
  const request: StreamRequest = {
    config,
    options,
    after: turn * stepFrames(p),
    run,
    format: 'lab',
    retrySet,
    client: null,
    body: text,
    stopAfter: lastSeqOfStep(p, turn + 1),
    // The modelled cost of loading the session, on every turn that carries a tool result.
    delayMs: turn > 0 ? p.sessionLoadMs : 0,
  };
  return { ok: true, value: { request, turn, variant, responseId } };
}

/** The response headers of an agent turn: the response id (variant `previous`) and the turn. */
export function agentTurnHeaders(turn: AgentTurn): Record<string, string> {
  const headers: Record<string, string> = { 'x-lab-agent-turn': String(turn.turn) };
  if (turn.responseId !== null) headers['x-lab-response-id'] = turn.responseId;
  return headers;
}

/** A tool result on a stream that holds (WebSocket in band; `http`: EventSource's side channel). */
export function releaseWithResult(
  streams: ServedStreams,
  run: string,
  transport: 'sse' | 'ws',
  result: ToolResultMessage,
): { status: 202; delivered: number } | { status: 404 | 409; error: string } {
  const found = streams.agentTargets(run, transport);
  if (found.length === 0) return { status: 404, error: `no open ${transport} agent stream for run ${JSON.stringify(run)}` };
  let delivered = 0;
  let error = '';
  for (const stream of found) {
    const released = stream.releaseTurn(result.turn, transport === 'sse');
    if (released.ok) delivered++;
    else error = released.error;
  }
  return delivered > 0 ? { status: 202, delivered } : { status: 409, error };
}

/** POST /api/chat with `"type":"tool_result"`: EventSource's tool result, or a 400 reason. */
export function parseToolResultPost(body: unknown): { ok: true; run: string; result: ToolResultMessage } | { ok: false; error: string } {
  if (!isRecord(body) || typeof body.run !== 'string' || !/^[\w.-]{1,64}$/.test(body.run)) {
    return { ok: false, error: 'a tool result needs the "run" of the stream it answers (1 to 64 letters, digits, "-", "_" or ".")' };
  }
  if (body.transport !== 'sse') {
    return { ok: false, error: 'tool results on /api/chat are for transport "sse" (fetch + SSE sends them in POST /api/agent; WebSocket on its socket)' };
  }
  const result = asToolResult(body);
  if ('error' in result) return { ok: false, error: result.error };
  return { ok: true, run: body.run, result };
}
