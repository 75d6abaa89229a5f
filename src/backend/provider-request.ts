/**
 * The body and headers of a provider-compatible request (POST /v1/chat/completions, POST /v1/messages)
 * → what to play, or the provider's 400. The answer is the lab's `llm` scenario seeded by the messages
 * exactly as POST /api/stream seeds it (`seedFromText` over `role:content` lines), so both endpoints
 * give the same text for the same conversation; OpenAI's `seed`, when given, wins.
 *
 * Lab headers (the SDKs send them with `defaultHeaders` or a request's `headers` option):
 *   x-lab-run: r1                     the run POST /api/faults scopes a fault to (target "fetch")
 *   x-lab-params: ttft=0&tps=500&tokens=40   the llm pace and the answer's natural length
 *   x-lab-fault: drop=N | error=N | status=429|500|503|529[&retryAfter=S]
 * The request's token cap (max_tokens, max_completion_tokens) cuts the answer: finish "length" /
 * stop_reason "max_tokens".
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
}

export type ProviderParse = { ok: true; value: ProviderCall } | { ok: false; error: string; param: string | null };

type Header = (name: string) => string | undefined;

const PARAM_KEYS = ['ttft', 'tps', 'tokens'];
const FAULT_STATUSES = [429, 500, 503, 529];
const countSpec = (name: string) => ({ name, label: name, unit: '', min: 1, max: 20_000, default: 0, description: '' });
const retryAfterSpec = { name: 'retryAfter', label: 'retryAfter', unit: 's', min: 0, max: 60, default: 1, description: '' };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A message's text: a string, or the text parts of an array of content blocks. */
function contentText(content: unknown): string | null {
  if (typeof content === 'string') return content;
  if (content === null) return '';
  if (!Array.isArray(content)) return null;
  let text = '';
  for (const part of content) {
    if (!isRecord(part)) return null;
    if (part.type === 'text' && typeof part.text === 'string') text += part.text;
  }
  return text;
}

const bad = (error: string, param: string | null = null): ProviderParse => ({ ok: false, error, param });

interface Fault {
  drop: number;
  error: number | null;
  status: ProviderCall['status'];
}

function parseFaultHeader(raw: string | undefined): ParseResult<Fault> {
  const fault: Fault = { drop: 0, error: null, status: null };
  if (raw === undefined || raw.trim() === '') return { ok: true, value: fault };
  const query = new URLSearchParams(raw);
  for (const key of query.keys()) {
    if (!['drop', 'error', 'status', 'retryAfter'].includes(key)) {
      return { ok: false, error: `x-lab-fault takes drop, error, status and retryAfter; got ${quote(key)}` };
    }
  }
  for (const name of ['drop', 'error'] as const) {
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
    if (!PARAM_KEYS.includes(key)) return { ok: false, error: `x-lab-params takes ttft, tps and tokens; got ${quote(key)}` };
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
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    return bad(anthropic ? 'messages: at least one message is required' : "Missing required parameter: 'messages'.", 'messages');
  }
  const lines: string[] = [];
  let words = 0;
  for (const [i, m] of messages.entries()) {
    const text = isRecord(m) && typeof m.role === 'string' ? contentText(m.content) : null;
    if (!isRecord(m) || text === null) {
      return bad(`messages.${i}: each message needs a string "role" and a "content" (a string or text blocks)`, `messages[${i}]`);
    }
    lines.push(`${String(m.role)}:${text}`);
    words += text.split(/\s+/).filter(Boolean).length;
  }
  if (body.stream !== undefined && typeof body.stream !== 'boolean') return bad('stream must be a boolean', 'stream');
  const stream = body.stream === true;
  let includeUsage = false;
  if (!anthropic && body.stream_options !== undefined && body.stream_options !== null) {
    if (!stream) return bad("The 'stream_options' parameter is only allowed when 'stream' is enabled.", 'stream_options');
    includeUsage = isRecord(body.stream_options) && body.stream_options.include_usage === true;
  }
  if (anthropic && body.max_tokens === undefined) return bad('max_tokens: Field required', 'max_tokens');
  const cap = tokenCap(body, anthropic ? ['max_tokens'] : ['max_completion_tokens', 'max_tokens']);
  if (!cap.ok) return bad(cap.error, 'max_tokens');

  let seed = seedFromText(lines.join('\n'));
  if (!anthropic && body.seed !== undefined && body.seed !== null) {
    if (typeof body.seed !== 'number' || !Number.isSafeInteger(body.seed)) return bad(`seed must be an integer; got ${quote(body.seed)}`, 'seed');
    seed = Math.abs(body.seed) % 2_147_483_648;
  }
  const params = parseParamsHeader(header('x-lab-params'));
  if (!params.ok) return bad(params.error);
  const fault = parseFaultHeader(header('x-lab-fault'));
  if (!fault.ok) return bad(fault.error);
  const run = parseRun(header('x-lab-run'));
  if (!run.ok) return bad(`x-lab-run: ${run.error}`);
  const natural = parseScenarioQuery({ ...params.value, scenario: 'llm', seed: String(seed) }, catalogue);
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

  const meta: ProviderMeta = {
    api,
    id: anthropic ? `msg_lab${seed}` : `chatcmpl-lab${seed}`,
    model: body.model,
    created: Math.floor(now / 1000),
    inputTokens: words,
    includeUsage,
  };
  const request: StreamRequest = {
    config: { scenario: 'llm', params: { ...config.params, tokens } },
    options: options.value,
    after: 0,
    run: run.value ?? null,
    format: 'lab',
    retrySet: false,
  };
  return { ok: true, value: { meta, stream, request, finish, status: fault.value.status } };
}
