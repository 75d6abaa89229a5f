/**
 * The body and headers of a provider-compatible request (POST /v1/chat/completions, /v1/responses,
 * /v1/messages) → what to play, or the provider's 400. The answer is the lab's `llm` scenario seeded
 * by the messages exactly as POST /api/stream seeds it (`seedFromText` over `role:content` lines), so
 * every endpoint gives the same text for the same conversation; OpenAI's `seed`, when given, wins.
 * The Responses API's `input` is the messages (a string is one user message) and its `instructions`
 * a system message before them.
 *
 * Lab headers (the SDKs send them with `defaultHeaders` or a request's `headers` option):
 *   x-lab-run: r1                     the run POST /api/faults scopes a fault to (target "fetch")
 *   x-lab-params: ttft=0&tps=500&tokens=40[&seed=N]   the llm pace, the answer's natural length (and seed)
 *   x-lab-fault: drop=N | error=N | stall=N[&stallMs=M] | status=429|500|503|529[&retryAfter=S]
 *   x-lab-stamps: 1                   add the lab's seq and t to token and final events (the lab's page)
 * The request's token cap (max_tokens, max_completion_tokens, max_output_tokens) cuts the answer:
 * finish "length" / stop_reason "max_tokens" / status "incomplete".
 */
import { parseRun } from '../protocol/faults.ts';
import { quote } from '../protocol/json-guard.ts';
import type { Finish, ProviderApi, ProviderMeta } from '../protocol/provider-wire.ts';
import { parseParam, parseScenarioQuery, type ParseResult, type ScenarioSpec } from '../protocol/scenarios.ts';
import { seedFromText } from '../protocol/stream-body.ts';
import { parseStreamOptions } from '../protocol/stream-options.ts';
import type { StreamRequest } from './stream-request.ts';

export interface ProviderCall {
  meta: ProviderMeta;
  stream: boolean;
  /** The llm stream to play (format "lab": the provider encoder writes it). */
  request: StreamRequest;
  finish: Finish;
  /** x-lab-fault status=…: answered before any stream, on every attempt. */
  status: { status: number; retryAfter: number } | null;
  /** x-lab-fault stall=N: after the N-th token the stream goes silent for `ms`, then goes on. */
  stall: { after: number; ms: number } | null;
}

export type ProviderParse = { ok: true; value: ProviderCall } | { ok: false; error: string; param: string | null };

type Header = (name: string) => string | undefined;

const PARAM_KEYS = ['ttft', 'tps', 'tokens', 'seed'];
const FAULT_STATUSES = [429, 500, 503, 529];
const countSpec = (name: string) => ({ name, label: name, unit: '', min: 1, max: 20_000, default: 0, description: '' });
const retryAfterSpec = { name: 'retryAfter', label: 'retryAfter', unit: 's', min: 0, max: 60, default: 1, description: '' };
/** How long a stall lasts unless the request says: long enough that a client must time out by itself. */
export const DEFAULT_STALL_MS = 30_000;
const stallMsSpec = { name: 'stallMs', label: 'stallMs', unit: 'ms', min: 1, max: 600_000, default: DEFAULT_STALL_MS, description: '' };
const FAULT_KEYS = ['drop', 'error', 'stall', 'stallMs', 'status', 'retryAfter'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const TEXT_PARTS = ['text', 'input_text', 'output_text'];

/** A message's text: a string, or the text parts of an array of content blocks. */
function contentText(content: unknown): string | null {
  if (typeof content === 'string') return content;
  if (content === null) return '';
  if (!Array.isArray(content)) return null;
  let text = '';
  for (const part of content) {
    if (!isRecord(part)) return null;
    if (TEXT_PARTS.includes(String(part.type)) && typeof part.text === 'string') text += part.text;
  }
  return text;
}

type Refusal = { ok: false; error: string; param: string | null };
const bad = (error: string, param: string | null = null): Refusal => ({ ok: false, error, param });

interface Fault {
  drop: number;
  error: number | null;
  stall: number | null;
  stallMs: number;
  status: ProviderCall['status'];
}

function parseFaultHeader(raw: string | undefined): ParseResult<Fault> {
  const fault: Fault = { drop: 0, error: null, stall: null, stallMs: DEFAULT_STALL_MS, status: null };
  if (raw === undefined || raw.trim() === '') return { ok: true, value: fault };
  const query = new URLSearchParams(raw);
  for (const key of query.keys()) {
    if (!FAULT_KEYS.includes(key)) {
      return { ok: false, error: `x-lab-fault takes ${FAULT_KEYS.join(', ')}; got ${quote(key)}` };
    }
  }
  const stallMs = parseParam(stallMsSpec, query.get('stallMs') ?? undefined);
  if (!stallMs.ok) return { ok: false, error: `x-lab-fault: ${stallMs.error}` };
  fault.stallMs = stallMs.value;
  for (const name of ['drop', 'error', 'stall'] as const) {
    const value = query.get(name);
    if (value === null) continue;
    const parsed = parseParam(countSpec(name), value);
    if (!parsed.ok) return { ok: false, error: `x-lab-fault: ${parsed.error}` };
    fault[name] = parsed.value;
  }
  const status = query.get('status');
  if (status !== null) {
    if (!FAULT_STATUSES.includes(Number(status))) {
      return { ok: false, error: `x-lab-fault: status must be 429, 500, 503 or 529; got ${quote(status)}` };
    }
    const retryAfter = parseParam(retryAfterSpec, query.get('retryAfter') ?? undefined);
    if (!retryAfter.ok) return { ok: false, error: `x-lab-fault: ${retryAfter.error}` };
    fault.status = { status: Number(status), retryAfter: retryAfter.value };
  }
  return { ok: true, value: fault };
}

function parseParamsHeader(raw: string | undefined): ParseResult<Record<string, string>> {
  const out: Record<string, string> = {};
  if (raw === undefined) return { ok: true, value: out };
  for (const [key, value] of new URLSearchParams(raw)) {
    if (!PARAM_KEYS.includes(key)) return { ok: false, error: `x-lab-params takes ${PARAM_KEYS.join(', ')}; got ${quote(key)}` };
    out[key] = value;
  }
  return { ok: true, value: out };
}

/** The token cap a request names, or null. */
function tokenCap(body: Record<string, unknown>, names: readonly string[]): ParseResult<number | null> {
  for (const name of names) {
    const value = body[name];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      return { ok: false, error: `${name} must be an integer of at least 1; got ${quote(value)}` };
    }
    return { ok: true, value };
  }
  return { ok: true, value: null };
}

const ID_PREFIX: Readonly<Record<ProviderApi, string>> = { chat: 'chatcmpl-lab', responses: 'resp_lab', messages: 'msg_lab' };

type Conversation = { ok: true; lines: string[]; words: number } | Refusal;

/**
 * The conversation as `role:text` lines (the seed) and its word count (the input tokens). Chat and
 * Messages: `messages`. Responses: `instructions` (a system line) then `input` (a string is one user
 * message; an array holds message items).
 */
function conversation(api: ProviderApi, body: Record<string, unknown>): Conversation {
  const lines: string[] = [];
  let words = 0;
  const add = (role: string, text: string) => {
    lines.push(`${role}:${text}`);
    words += text.split(/\s+/).filter(Boolean).length;
  };
  let field = 'messages';
  let messages = body.messages;
  if (api === 'responses') {
    field = 'input';
    if (body.instructions !== undefined && body.instructions !== null) {
      if (typeof body.instructions !== 'string') return bad('instructions must be a string', 'instructions');
      add('system', body.instructions);
    }
    messages = typeof body.input === 'string' ? [{ role: 'user', content: body.input }] : body.input;
  }
  if (!Array.isArray(messages) || messages.length === 0) {
    if (api === 'messages') return bad('messages: at least one message is required', 'messages');
    return bad(`Missing required parameter: '${field}'.`, field);
  }
  for (const [i, m] of messages.entries()) {
    const text = isRecord(m) && typeof m.role === 'string' && (m.type === undefined || m.type === 'message') ? contentText(m.content) : null;
    if (!isRecord(m) || text === null) {
      return bad(`${field}.${i}: each message needs a string "role" and a "content" (a string or text parts)`, `${field}[${i}]`);
    }
    add(String(m.role), text);
  }
  return { ok: true, lines, words };
}

export function parseProviderCall(
  api: ProviderApi,
  body: unknown,
  header: Header,
  catalogue: readonly ScenarioSpec[],
  now: number,
): ProviderParse {
  const anthropic = api === 'messages';
  if (!isRecord(body)) return bad('the body must be a JSON object');
  if (typeof body.model !== 'string' || body.model === '') {
    return bad(anthropic ? 'model: Field required' : 'you must provide a model parameter', 'model');
  }
  const talk = conversation(api, body);
  if (!talk.ok) return talk;
  const { lines, words } = talk;
  if (body.stream !== undefined && typeof body.stream !== 'boolean') return bad('stream must be a boolean', 'stream');
  const stream = body.stream === true;
  let includeUsage = false;
  if (!anthropic && body.stream_options !== undefined && body.stream_options !== null) {
    if (!stream) return bad("The 'stream_options' parameter is only allowed when 'stream' is enabled.", 'stream_options');
    includeUsage = isRecord(body.stream_options) && body.stream_options.include_usage === true;
  }
  if (anthropic && body.max_tokens === undefined) return bad('max_tokens: Field required', 'max_tokens');
  const capNames = anthropic ? ['max_tokens'] : api === 'responses' ? ['max_output_tokens'] : ['max_completion_tokens', 'max_tokens'];
  const cap = tokenCap(body, capNames);
  if (!cap.ok) return bad(cap.error, capNames[0]);

  let seed = seedFromText(lines.join('\n'));
  if (api === 'chat' && body.seed !== undefined && body.seed !== null) {
    if (typeof body.seed !== 'number' || !Number.isSafeInteger(body.seed)) return bad(`seed must be an integer; got ${quote(body.seed)}`, 'seed');
    seed = Math.abs(body.seed) % 2_147_483_648;
  }
  const params = parseParamsHeader(header('x-lab-params'));
  if (!params.ok) return bad(params.error);
  const fault = parseFaultHeader(header('x-lab-fault'));
  if (!fault.ok) return bad(fault.error);
  const run = parseRun(header('x-lab-run'));
  if (!run.ok) return bad(`x-lab-run: ${run.error}`);
  // x-lab-params seed=N (the lab's page: the same answer in every lane) wins over the messages and `seed`.
  const natural = parseScenarioQuery({ ...params.value, scenario: 'llm', seed: params.value.seed ?? String(seed) }, catalogue);
  if (!natural.ok) return bad(`x-lab-params: ${natural.error}`);

  // The answer's length: its natural length, cut by the token cap, or by the error fault.
  const config = natural.value;
  let finish: Finish = 'stop';
  let tokens = config.params.tokens;
  if (cap.value !== null && cap.value < tokens) [tokens, finish] = [cap.value, 'length'];
  const errorAt = fault.value.error;
  if (errorAt !== null && errorAt <= tokens) [tokens, finish] = [errorAt, 'error'];
  const options = parseStreamOptions({ flakyFrames: String(fault.value.drop) });
  if (!options.ok) return bad(options.error);

  const stamps = header('x-lab-stamps');
  if (stamps !== undefined && stamps !== '1' && stamps !== '0') return bad(`x-lab-stamps must be 1 or 0; got ${quote(stamps)}`);
  const meta: ProviderMeta = {
    api,
    id: ID_PREFIX[api] + String(seed),
    model: body.model,
    created: Math.floor(now / 1000),
    inputTokens: words,
    includeUsage,
    stamps: stamps === '1',
    instructions: typeof body.instructions === 'string' ? body.instructions : null,
    maxOutputTokens: api === 'responses' ? cap.value : null,
  };
  const request: StreamRequest = {
    config: { scenario: 'llm', params: { ...config.params, tokens } },
    options: options.value,
    after: 0,
    run: run.value ?? null,
    format: 'lab',
    retrySet: false,
    client: null,
  };
  const stallAt = fault.value.stall;
  const stall = stallAt !== null && stallAt < tokens ? { after: stallAt, ms: fault.value.stallMs } : null;
  return { ok: true, value: { meta, stream, request, finish, status: fault.value.status, stall } };
}
