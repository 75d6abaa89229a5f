/**
 * One parser for every way a stream is asked for: GET /api/sse and the WebSocket upgrade (query and
 * Last-Event-ID) and POST /api/stream (JSON body). Each gives a typed request or a 4xx reason.
 */
import { quote } from '../protocol/json-guard.ts';
import { MAX_RESUME_SEQ } from '../protocol/limits.ts';
import { parseRun } from '../protocol/faults.ts';
import { parseWireFormat, type WireFormat } from '../protocol/llm-wire.ts';
import { parseScenarioQuery, type ParseResult, type ScenarioConfig, type ScenarioSpec } from '../protocol/scenarios.ts';
import { parseStreamBody } from '../protocol/stream-body.ts';
import { parseStreamOptions, type StreamOptions } from '../protocol/stream-options.ts';

export interface StreamRequest {
  config: ScenarioConfig;
  options: StreamOptions;
  after: number;
  /** The page's run id (?run=…): scopes faults to one run. */
  run: string | null;
  /** How the frames look on an SSE wire (llm only for anything but "lab"). */
  format: WireFormat;
  /** The request named a retry (otherwise the server's default `retry:` applies). */
  retrySet: boolean;
  /** Which client asked (`?client=`), for the run log: two lanes on one endpoint (WebSocket, WebSocketStream). */
  client: string | null;
  /** POST /api/stream: the body that asked for it, for the handshake record. */
  body?: string;
  /** POST /api/agent: the step ends the stream after this seq (its tool call). */
  stopAfter?: number;
  /** POST /api/agent: the modelled server cost before the first frame (sessionLoadMs), in ms. */
  delayMs?: number;
}

/** A resume point (`after`, Last-Event-ID): absent or empty is 0. */
export function parseResume(raw: string | null | undefined, name: string): ParseResult<number> {
  if (raw === null || raw === undefined || raw === '') return { ok: true, value: 0 };
  const value = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!Number.isSafeInteger(value) || value > MAX_RESUME_SEQ) {
    return {
      ok: false,
      error: `${name} must be a non-negative integer up to ${MAX_RESUME_SEQ} (the last seq received; MAX_RESUME_SEQ); got ${quote(raw)}`,
    };
  }
  return { ok: true, value };
}

/** A client's name for the run log (`?client=`): absent is null; otherwise 1 to 32 of [a-z0-9-]. */
export function parseClient(raw: string | null): ParseResult<string | null> {
  if (raw === null) return { ok: true, value: null };
  if (/^[a-z0-9-]{1,32}$/.test(raw)) return { ok: true, value: raw };
  return { ok: false, error: `client must be 1 to 32 of a-z, 0-9 and "-" (a name for the run log); got ${quote(raw)}` };
}

/** The wire format, which only token streams may change. */
export function checkFormat(raw: unknown, config: ScenarioConfig): ParseResult<WireFormat> {
  const format = parseWireFormat(raw);
  if (!format.ok) return format;
  if (format.value !== 'lab' && config.scenario !== 'llm') {
    return { ok: false, error: `format "${format.value}" shapes token streams: use it with scenario=llm` };
  }
  return format;
}

/** GET /api/sse and GET /api/ws: the query, and Last-Event-ID (which wins over ?after=). */
export function parseStreamQuery(
  query: URLSearchParams,
  lastEventId: string | undefined,
  catalogue: readonly ScenarioSpec[],
): ParseResult<StreamRequest> {
  const config = parseScenarioQuery(query, catalogue);
  if (!config.ok) return config;
  const options = parseStreamOptions(query);
  if (!options.ok) return options;
  const format = checkFormat(query.get('format'), config.value);
  if (!format.ok) return format;
  const after =
    lastEventId !== undefined ? parseResume(lastEventId, 'Last-Event-ID') : parseResume(query.get('after'), 'after');
  if (!after.ok) return after;
  const run = parseRun(query.get('run') ?? undefined);
  if (!run.ok) return run;
  const client = parseClient(query.get('client'));
  if (!client.ok) return client;
  return {
    ok: true,
    value: {
      config: config.value,
      options: options.value,
      after: after.value,
      run: run.value ?? null,
      format: format.value,
      retrySet: query.has('retry'),
      client: client.value,
    },
  };
}

/** POST /api/stream: the parsed JSON body (`text` is the body as it came, for the records). */
export function parseStreamPost(
  body: unknown,
  text: string | undefined,
  lastEventId: string | undefined,
  catalogue: readonly ScenarioSpec[],
): ParseResult<StreamRequest> {
  const parsed = parseStreamBody(body, lastEventId, catalogue);
  if (!parsed.ok) return parsed;
  const { config, options, after, run, retrySet } = parsed.value;
  if (config.scenario === 'agent') return { ok: false, error: 'an agent loop over fetch takes one POST /api/agent per turn' };
  const format = checkFormat((body as { format?: unknown }).format, config);
  if (!format.ok) return format;
  return { ok: true, value: { config, options, after, run, format: format.value, retrySet, client: null, body: text } };
}
