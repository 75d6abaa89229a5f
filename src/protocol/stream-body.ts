/**
 * The JSON body of POST /api/stream: the scenario and its parameters the way an API client sends
 * them, or a chat-style `messages` array (the answer is an `llm` stream seeded by the messages).
 *
 *   {"scenario":"llm","params":{"tokens":50,"seed":7},"options":{"retry":500},"run":"r1"}
 *   {"messages":[{"role":"user","content":"Why SSE?"}]}
 */
import { quote } from './json-guard.ts';
import { RUN_ID_PATTERN } from './faults.ts';
import { MAX_RESUME_SEQ } from './limits.ts';
import { parseScenarioQuery, scenarios, type ParseResult, type ScenarioConfig, type ScenarioSpec } from './scenarios.ts';
import { parseStreamOptions, type StreamOptions } from './stream-options.ts';

export interface StreamBody {
  config: ScenarioConfig;
  options: StreamOptions;
  after: number;
  run: string | null;
  /** The body named a retry (otherwise the server's default applies). */
  retrySet: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** FNV-1a over the messages' text: the same conversation gets the same answer. */
export function seedFromText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % 2_147_483_648;
}

function asRawValues(name: string, value: unknown): ParseResult<Record<string, string>> {
  if (value === undefined) return { ok: true, value: {} };
  if (!isRecord(value)) return { ok: false, error: `${name} must be an object of numbers` };
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'number' && typeof v !== 'string') {
      return { ok: false, error: `${name}.${key} must be a number; got ${quote(v)}` };
    }
    out[key] = String(v);
  }
  return { ok: true, value: out };
}

export function parseStreamBody(
  body: unknown,
  lastEventId: string | undefined,
  /** The catalogue to check the scenario against (a server's own rate cap). */
  catalogue: readonly ScenarioSpec[] = scenarios,
): ParseResult<StreamBody> {
  if (!isRecord(body)) return { ok: false, error: 'the body must be a JSON object' };
  const params = asRawValues('params', body.params);
  if (!params.ok) return params;
  const options = asRawValues('options', body.options);
  if (!options.ok) return options;

  let scenario = body.scenario;
  if (body.messages !== undefined) {
    const messages = body.messages;
    if (
      !Array.isArray(messages) ||
      messages.length === 0 ||
      messages.length > 100 ||
      !messages.every((m) => isRecord(m) && typeof m.role === 'string' && typeof m.content === 'string')
    ) {
      return { ok: false, error: 'messages must be 1 to 100 objects with a string "role" and "content"' };
    }
    scenario ??= 'llm';
    params.value.seed ??= String(seedFromText(messages.map((m) => `${m.role}:${m.content}`).join('\n')));
  }
  if (scenario !== undefined && typeof scenario !== 'string') {
    return { ok: false, error: `scenario must be a string; got ${quote(scenario)}` };
  }
  const config = parseScenarioQuery({ ...params.value, scenario: scenario ?? 'llm' }, catalogue);
  if (!config.ok) return config;
  const parsedOptions = parseStreamOptions(options.value);
  if (!parsedOptions.ok) return parsedOptions;

  const rawAfter = lastEventId ?? (body.after === undefined ? undefined : String(body.after));
  let after = 0;
  if (rawAfter !== undefined && rawAfter !== '') {
    after = /^\d+$/.test(rawAfter.trim()) ? Number(rawAfter.trim()) : Number.NaN;
    if (!Number.isSafeInteger(after) || after > MAX_RESUME_SEQ) {
      const name = lastEventId !== undefined ? 'Last-Event-ID' : 'after';
      return {
        ok: false,
        error: `${name} must be a non-negative integer up to ${MAX_RESUME_SEQ} (the last seq received; MAX_RESUME_SEQ); got ${quote(rawAfter)}`,
      };
    }
  }
  const run = body.run;
  if (run !== undefined && !(typeof run === 'string' && RUN_ID_PATTERN.test(run))) {
    return { ok: false, error: 'run must be a string of 1 to 64 letters, digits, "-", "_" or "."' };
  }
  return {
    ok: true,
    value: {
      config: config.value,
      options: parsedOptions.value,
      after,
      run: run ?? null,
      retrySet: options.value.retry !== undefined,
    },
  };
}

/** Does an Authorization header carry this bearer token? The scheme name is case-insensitive (RFC 9110). */
export function bearerMatches(header: string | null | undefined, token: string): boolean {
  const match = /^bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  return match !== null && match[1] === token;
}
