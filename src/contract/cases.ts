/**
 * The contract between the two adapters: one table of requests and the answers both must give (the
 * live server on node:http, the mock through MSW). A row names the endpoint it covers, the backend
 * options both start with, requests sent before it (state: a token, a fault, an open stream), the
 * request and what comes back: status, content type, headers, the JSON `{error}` or body, and for a
 * stream its first events with `t` set aside. A documented difference carries the mock's own answer
 * and the reason; keep them few.
 */
import { expect } from 'vitest';
import type { BackendOptions } from '../backend/backend.ts';
import { providerCases } from './provider-cases.ts';
import { agentCases } from './agent-cases.ts';

export interface ContractRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  /** A value is sent as JSON (with Content-Type: application/json unless `headers` names one); a string as is. */
  body?: unknown;
}

export interface SetupRequest extends ContractRequest {
  /** Keep the answer open (a stream) while the row's request runs. */
  hold?: boolean;
}

/** An SSE event or a WebSocket message as compared: JSON data parsed, `t` and `serverT` set aside. */
export interface WireEvent {
  event?: string;
  id?: string;
  data: unknown;
}

export interface Expected {
  /** 'network-error': no answer at all (a cut connection). */
  status: number | 'network-error';
  /** json: application/json; sse: text/event-stream; text: text/plain (all charset=utf-8); none: no body. */
  type?: 'json' | 'sse' | 'text' | 'none';
  error?: string | RegExp;
  /** Matched as a subset (toMatchObject). */
  body?: Record<string, unknown>;
  text?: string;
  headers?: Record<string, string | RegExp>;
  /** SSE: the `retry:` the stream starts with. */
  retry?: number;
  /** SSE: the first events (their count is how many are read). */
  events?: WireEvent[];
  /** GET /api/poll: the first frames, polled until this many came. */
  polled?: WireEvent[];
  /** WebSocket (`request.path` under /api/ws, an upgrade): the first messages, or the refusal's `{error}`. */
  ws?: { messages: WireEvent[] } | { refused: string };
}

export interface ContractCase {
  name: string;
  /** What the row covers: an /api/* endpoint (unknown: a path that is none). */
  endpoint: 'info' | 'stats' | 'sse' | 'stream' | 'poll' | 'runs' | 'faults' | 'auth' | 'chat' | 'memory' | 'ws' | 'unknown' | 'mock' | 'provider' | 'agent';
  options?: Pick<BackendOptions, 'token' | 'maxStreamsPerAddress' | 'maxPollSessions'>;
  setup?: SetupRequest[];
  request: ContractRequest;
  expect: Expected;
  /** A documented difference: what the mock answers instead, and why. */
  mock?: { expect: Expected; reason: string };
  /** Slow on live (a real measurement). */
  timeoutMs?: number;
}

// ---------------------------------------------------------------------------------------------------
// Scenarios with a fixed seed and what each sends first.

const anyString = expect.any(String) as unknown;
const anyNumber = expect.any(Number) as unknown;
const TICK16 = 'ad8RGzCoITpjVGmw';
const frame = (seq: number, kind: string, data: string, id = true): WireEvent => ({
  ...(id ? { id: String(seq) } : {}),
  data: { type: 'frame', seq, kind, data },
});
const done = (total: number): WireEvent => ({ event: 'done', data: { type: 'done', total } });
const bytes = (seq: number): WireEvent => ({ event: 'bytes', id: String(seq), data: { type: 'frame', seq, kind: 'bytes', data: 'Ag/6soVndz2NukInw4QyXg==' } });

export const SCENARIOS = {
  ticker: { query: 'scenario=ticker&rate=1000&size=16&count=3&seed=7', params: { rate: 1000, size: 16, count: 3, seed: 7 } },
  llm: { query: 'scenario=llm&ttft=0&tokens=3&tps=1000&seed=7', params: { ttft: 0, tokens: 3, tps: 1000, seed: 7 } },
  burst: { query: 'scenario=burst&burst=3&interval=1&size=16&seed=7', params: { burst: 3, interval: 1, size: 16, seed: 7 } },
  chat: { query: 'scenario=chat&rate=200&seed=7', params: { rate: 200, seed: 7 } },
  binary: { query: 'scenario=binary&rate=1000&size=16&count=3&seed=7', params: { rate: 1000, size: 16, count: 3, seed: 7 } },
} as const;

type ScenarioKey = keyof typeof SCENARIOS;

/** The first events of each scenario on an SSE stream in the lab format. */
const FIRST_EVENTS: Record<ScenarioKey, WireEvent[]> = {
  ticker: [frame(1, 'tick', TICK16), frame(2, 'tick', TICK16), frame(3, 'tick', TICK16), done(3)],
  llm: [frame(1, 'token', 'Most'), frame(2, 'token', ' chat'), frame(3, 'token', ' APIs'), frame(4, 'end', ''), done(4)],
  burst: [frame(1, 'tick', TICK16), frame(2, 'tick', TICK16), frame(3, 'tick', TICK16), frame(4, 'tick', TICK16)],
  chat: [frame(1, 'tick', TICK16), frame(2, 'tick', TICK16), frame(3, 'tick', TICK16)],
  binary: [bytes(1), bytes(2), bytes(3), done(3)],
};

/** The same, as WebSocket messages (no ids, no event names: binary frames decoded). */
const wsMessages = (events: WireEvent[]): WireEvent[] =>
  events.map((e) => ({ data: e.data }));

/** As polled: frames only, no done. */
const polledFrames = (events: WireEvent[]): WireEvent[] => events.filter((e) => e.event !== 'done').map((e) => ({ data: e.data }));

const sseRow = (key: ScenarioKey): ContractCase => ({
  name: `GET /api/sse ${key}: first frames for seed 7`,
  endpoint: 'sse',
  request: { path: `/api/sse?${SCENARIOS[key].query}`, headers: { accept: 'text/event-stream' } },
  expect: { status: 200, type: 'sse', retry: 1000, events: FIRST_EVENTS[key] },
});

const postRow = (key: ScenarioKey): ContractCase => ({
  name: `POST /api/stream ${key}: first frames for seed 7`,
  endpoint: 'stream',
  request: { method: 'POST', path: '/api/stream', body: { scenario: key, params: SCENARIOS[key].params } },
  expect: { status: 200, type: 'sse', retry: 1000, events: FIRST_EVENTS[key] },
});

const pollRow = (key: ScenarioKey): ContractCase => ({
  name: `GET /api/poll ${key}: first frames for seed 7`,
  endpoint: 'poll',
  request: { path: `/api/poll?${SCENARIOS[key].query}&run=poll-${key}&wait=1000` },
  expect: { status: 200, type: 'json', polled: polledFrames(FIRST_EVENTS[key]).slice(0, 3) },
});

const wsRow = (key: ScenarioKey): ContractCase => ({
  name: `WebSocket /api/ws ${key}: first messages for seed 7`,
  endpoint: 'ws',
  request: { path: `/api/ws?${SCENARIOS[key].query}` },
  expect: { status: 101, ws: { messages: wsMessages(FIRST_EVENTS[key]) } },
});

const bad = (status: number, error: string | RegExp, headers?: Record<string, string | RegExp>): Expected => ({
  status,
  type: 'json',
  error,
  ...(headers ? { headers } : {}),
});

const post = (path: string, body: unknown, headers?: Record<string, string>): ContractRequest => ({
  method: 'POST',
  path,
  body,
  ...(headers ? { headers } : {}),
});

const TICKER = SCENARIOS.ticker.query;
const FOREVER = 'scenario=ticker&rate=50&size=16&seed=7';
const RUN_HINT = '1 to 64 letters, digits, "-", "_" or "."';
const SCENARIO_LIST = 'scenario must be one of ticker, llm, burst, chat, binary, agent; got "nope"';
const RESUME = (name: string, got: string) =>
  `${name} must be a non-negative integer up to 1000000000000000 (the last seq received; MAX_RESUME_SEQ); got ${got}`;
const NOT_JSON_TYPE = (got: string) => `send the request as application/json; got ${got}`;
const DEEP = '['.repeat(40) + ']'.repeat(40);
const AUTH_CHALLENGE = { 'www-authenticate': 'Bearer realm="sse-vs-websocket-lab"' };

export const cases: ContractCase[] = [
  // --- GET /api/info --------------------------------------------------------------------------
  {
    name: 'GET /api/info: the catalogue, defaults and limits',
    endpoint: 'info',
    request: { path: '/api/info' },
    expect: {
      status: 200,
      type: 'json',
      headers: { 'cache-control': 'no-store' },
      body: {
        name: 'sse-vs-websocket-lab',
        retryMs: 1000,
        heartbeatMs: 10_000,
        auth: { required: false },
        scenarios: ['ticker', 'llm', 'burst', 'chat', 'binary', 'agent'].map((name) => ({ name })),
      },
    },
  },
  {
    name: 'GET /api/info with a token set: auth required',
    endpoint: 'info',
    options: { token: 's3cret' },
    request: { path: '/api/info' },
    expect: { status: 200, type: 'json', body: { auth: { required: true } } },
  },
  {
    name: 'PUT /api/info: 405',
    endpoint: 'info',
    request: { method: 'PUT', path: '/api/info' },
    expect: bad(405, 'PUT is not allowed on /api/info; use GET', { allow: 'GET' }),
  },

  // --- GET /api/stats -------------------------------------------------------------------------
  {
    name: 'GET /api/stats: fresh counters',
    endpoint: 'stats',
    request: { path: '/api/stats' },
    expect: {
      status: 200,
      type: 'json',
      body: { open: { sse: 0, fetch: 0, ws: 0 }, opened: { sse: 0, fetch: 0, ws: 0 }, framesSent: 0, unauthorized: 0, polls: 0, limited: 0 },
    },
  },
  {
    name: 'GET /api/stats: an open SSE stream and a refused token are counted',
    endpoint: 'stats',
    options: { token: 's3cret' },
    setup: [{ path: `/api/sse?${FOREVER}`, hold: true }, post('/api/stream', { scenario: 'ticker' })],
    request: { path: '/api/stats' },
    expect: { status: 200, type: 'json', body: { open: { sse: 1, fetch: 0, ws: 0 }, opened: { sse: 1 }, unauthorized: 1 } },
  },
  {
    name: 'POST /api/stats: 405',
    endpoint: 'stats',
    request: post('/api/stats', {}),
    expect: bad(405, 'POST is not allowed on /api/stats; use GET', { allow: 'GET' }),
  },

  // --- GET /api/sse ---------------------------------------------------------------------------
  ...(Object.keys(SCENARIOS) as ScenarioKey[]).map(sseRow),
  {
    name: 'GET /api/sse llm format=anthropic: the message preamble, then deltas',
    endpoint: 'sse',
    request: { path: `/api/sse?${SCENARIOS.llm.query}&format=anthropic` },
    expect: {
      status: 200,
      type: 'sse',
      events: [
        { event: 'message_start', data: { type: 'message_start', message: { id: 'msg_lab', type: 'message', role: 'assistant', content: [] } } },
        { event: 'content_block_start', data: { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } } },
        { event: 'content_block_delta', id: '1', data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Most' }, seq: 1 } },
        { event: 'content_block_delta', id: '2', data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: ' chat' }, seq: 2 } },
      ],
    },
  },
  {
    name: 'GET /api/sse llm format=openai: chunks',
    endpoint: 'sse',
    request: { path: `/api/sse?${SCENARIOS.llm.query}&format=openai` },
    expect: {
      status: 200,
      type: 'sse',
      events: [
        { id: '1', data: { id: 'chatcmpl-lab', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: 'Most' }, finish_reason: null }], seq: 1 } },
        { id: '2', data: { id: 'chatcmpl-lab', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: ' chat' }, finish_reason: null }], seq: 2 } },
      ],
    },
  },
  {
    name: 'GET /api/sse with Accept */* (a plain fetch): the same stream',
    endpoint: 'sse',
    request: { path: `/api/sse?${TICKER}` },
    expect: { status: 200, type: 'sse', events: FIRST_EVENTS.ticker.slice(0, 1) },
  },
  {
    name: 'GET /api/sse ?after=2: resumes at seq 3',
    endpoint: 'sse',
    request: { path: `/api/sse?${TICKER}&after=2` },
    expect: { status: 200, type: 'sse', events: FIRST_EVENTS.ticker.slice(2) },
  },
  {
    name: 'GET /api/sse Last-Event-ID: 1 wins over ?after=2',
    endpoint: 'sse',
    request: { path: `/api/sse?${TICKER}&after=2`, headers: { 'last-event-id': '1' } },
    expect: { status: 200, type: 'sse', events: FIRST_EVENTS.ticker.slice(1) },
  },
  {
    name: 'GET /api/sse ?after=3 of 3: 204, nothing left (EventSource stops reconnecting)',
    endpoint: 'sse',
    request: { path: `/api/sse?${TICKER}&after=3` },
    expect: { status: 204, type: 'none' },
  },
  {
    name: 'GET /api/sse ?retry=500: the stream starts with retry: 500',
    endpoint: 'sse',
    request: { path: `/api/sse?${TICKER}&retry=500` },
    expect: { status: 200, type: 'sse', retry: 500, events: FIRST_EVENTS.ticker.slice(0, 1) },
  },
  {
    name: 'GET /api/sse ?flakyFrames=2: two frames, then the connection goes',
    endpoint: 'sse',
    request: { path: `/api/sse?${FOREVER}&flakyFrames=2` },
    expect: { status: 200, type: 'sse', events: [frame(1, 'tick', TICK16), frame(2, 'tick', TICK16)] },
  },
  { name: 'GET /api/sse bad scenario: 400', endpoint: 'sse', request: { path: '/api/sse?scenario=nope' }, expect: bad(400, SCENARIO_LIST) },
  {
    name: 'GET /api/sse rate out of range: 400',
    endpoint: 'sse',
    request: { path: '/api/sse?scenario=ticker&rate=0' },
    expect: bad(400, 'rate must be an integer from 1 to 20000 (msg/s); got "0"'),
  },
  {
    name: 'GET /api/sse size not a number: 400',
    endpoint: 'sse',
    request: { path: '/api/sse?scenario=ticker&size=big' },
    expect: bad(400, /^size must be an integer from 16 to 65536/),
  },
  { name: 'GET /api/sse after=abc: 400', endpoint: 'sse', request: { path: `/api/sse?${TICKER}&after=abc` }, expect: bad(400, RESUME('after', '"abc"')) },
  { name: 'GET /api/sse after=-1: 400', endpoint: 'sse', request: { path: `/api/sse?${TICKER}&after=-1` }, expect: bad(400, RESUME('after', '"-1"')) },
  {
    name: 'GET /api/sse Last-Event-ID: abc: 400',
    endpoint: 'sse',
    request: { path: `/api/sse?${TICKER}`, headers: { 'last-event-id': 'abc' } },
    expect: bad(400, RESUME('Last-Event-ID', '"abc"')),
  },
  { name: 'GET /api/sse bad client: 400', endpoint: 'sse', request: { path: `/api/sse?${TICKER}&client=X` }, expect: bad(400, /^client must be/) },
  { name: 'GET /api/sse bad run: 400', endpoint: 'sse', request: { path: `/api/sse?${TICKER}&run=a%20b` }, expect: bad(400, new RegExp(`^run must be`)) },
  {
    name: 'GET /api/sse format=bogus: 400',
    endpoint: 'sse',
    request: { path: `/api/sse?${SCENARIOS.llm.query}&format=bogus` },
    expect: bad(400, /^format must be/),
  },
  {
    name: 'GET /api/sse format=openai with scenario=ticker: 400',
    endpoint: 'sse',
    request: { path: `/api/sse?${TICKER}&format=openai` },
    expect: bad(400, 'format "openai" shapes token streams: use it with scenario=llm'),
  },
  { name: 'GET /api/sse retry out of range: 400', endpoint: 'sse', request: { path: `/api/sse?${TICKER}&retry=-5` }, expect: bad(400, /^retry must be/) },
  { name: 'GET /api/sse flakyMs not a number: 400', endpoint: 'sse', request: { path: `/api/sse?${TICKER}&flakyMs=x` }, expect: bad(400, /^flakyMs must be/) },
  {
    name: 'POST /api/sse: 405',
    endpoint: 'sse',
    request: post('/api/sse', {}),
    expect: bad(405, 'POST is not allowed on /api/sse; use GET', { allow: 'GET' }),
  },
  {
    name: 'GET /api/sse during a 503 outage: 503',
    endpoint: 'sse',
    setup: [post('/api/faults', { action: 'outage', mode: '503', ms: 5000, target: 'sse' })],
    request: { path: `/api/sse?${TICKER}` },
    expect: bad(503, 'service unavailable (simulated outage)'),
  },
  {
    name: 'GET /api/sse during a reset outage: no answer',
    endpoint: 'sse',
    setup: [post('/api/faults', { action: 'outage', mode: 'reset', ms: 5000, target: 'all' })],
    request: { path: `/api/sse?${TICKER}` },
    expect: { status: 'network-error' },
  },
  {
    name: 'GET /api/sse after an armed http-error 500: 500 once, then the stream',
    endpoint: 'sse',
    setup: [post('/api/faults', { action: 'http-error', status: 500 })],
    request: { path: `/api/sse?${TICKER}` },
    expect: bad(500, 'simulated HTTP 500'),
  },
  {
    name: 'GET /api/sse after an armed http-error 404: 404',
    endpoint: 'sse',
    setup: [post('/api/faults', { action: 'http-error', status: 404, run: 'e404' })],
    request: { path: `/api/sse?${TICKER}&run=e404` },
    expect: bad(404, 'simulated HTTP 404'),
  },
  {
    name: 'GET /api/sse after an armed http-error 204: 204',
    endpoint: 'sse',
    setup: [post('/api/faults', { action: 'http-error', status: 204 })],
    request: { path: `/api/sse?${TICKER}` },
    expect: { status: 204, type: 'none' },
  },
  {
    name: 'GET /api/sse after an armed content-type error: 200 text/plain',
    endpoint: 'sse',
    setup: [post('/api/faults', { action: 'http-error', status: 'content-type' })],
    request: { path: `/api/sse?${TICKER}` },
    expect: { status: 200, type: 'text', text: 'This is not an event stream (simulated wrong content type).\n' },
  },
  {
    name: 'GET /api/sse past the streams per address: 503 with Retry-After',
    endpoint: 'sse',
    options: { maxStreamsPerAddress: 1 },
    setup: [{ path: `/api/sse?${FOREVER}`, hold: true }],
    request: { path: `/api/sse?${TICKER}` },
    expect: bad(503, 'your address has 1 streams open, the limit per client (MAX_STREAMS_PER_ADDRESS); close some first', { 'retry-after': '5' }),
  },

  // --- POST /api/stream -----------------------------------------------------------------------
  ...(Object.keys(SCENARIOS) as ScenarioKey[]).map(postRow),
  {
    name: 'POST /api/stream {"messages"}: an llm stream seeded by the conversation',
    endpoint: 'stream',
    request: post('/api/stream', { messages: [{ role: 'user', content: 'Why SSE?' }], params: { ttft: 0, tokens: 2, tps: 1000 } }),
    expect: { status: 200, type: 'sse', events: [{ id: '1', data: { type: 'frame', seq: 1, kind: 'token', data: anyString } }] },
  },
  {
    name: 'POST /api/stream after=2 in the body: resumes at seq 3',
    endpoint: 'stream',
    request: post('/api/stream', { scenario: 'ticker', params: SCENARIOS.ticker.params, after: 2 }),
    expect: { status: 200, type: 'sse', events: FIRST_EVENTS.ticker.slice(2) },
  },
  {
    name: 'POST /api/stream after=3 of 3: 204',
    endpoint: 'stream',
    request: post('/api/stream', { scenario: 'ticker', params: SCENARIOS.ticker.params, after: 3 }),
    expect: { status: 204, type: 'none' },
  },
  {
    name: 'POST /api/stream format=openai: chunks',
    endpoint: 'stream',
    request: post('/api/stream', { scenario: 'llm', params: SCENARIOS.llm.params, format: 'openai' }),
    expect: {
      status: 200,
      type: 'sse',
      events: [{ id: '1', data: { id: 'chatcmpl-lab', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: 'Most' }, finish_reason: null }], seq: 1 } }],
    },
  },
  {
    name: 'POST /api/stream text/plain: 415',
    endpoint: 'stream',
    request: post('/api/stream', '{"scenario":"ticker"}', { 'content-type': 'text/plain' }),
    expect: bad(415, NOT_JSON_TYPE('"text/plain"')),
  },
  {
    name: 'POST /api/stream application/jsonp: 415',
    endpoint: 'stream',
    request: post('/api/stream', '{"scenario":"ticker"}', { 'content-type': 'application/jsonp' }),
    expect: bad(415, NOT_JSON_TYPE('"application/jsonp"')),
  },
  { name: 'POST /api/stream invalid JSON: 400', endpoint: 'stream', request: post('/api/stream', '{"scenario":', { 'content-type': 'application/json' }), expect: bad(400, 'the body is not valid JSON') },
  { name: 'POST /api/stream too-deep JSON: 400', endpoint: 'stream', request: post('/api/stream', DEEP, { 'content-type': 'application/json' }), expect: bad(400, /deeper than 32/) },
  {
    name: 'POST /api/stream body over 16 KiB: 400',
    endpoint: 'stream',
    request: post('/api/stream', { scenario: 'ticker', pad: 'x'.repeat(17_000) }),
    expect: bad(400, 'the body must be at most 16384 bytes'),
  },
  { name: 'POST /api/stream an array: 400', endpoint: 'stream', request: post('/api/stream', [1]), expect: bad(400, 'the body must be a JSON object') },
  { name: 'POST /api/stream bad scenario: 400', endpoint: 'stream', request: post('/api/stream', { scenario: 'nope' }), expect: bad(400, SCENARIO_LIST) },
  { name: 'POST /api/stream scenario not a string: 400', endpoint: 'stream', request: post('/api/stream', { scenario: 5 }), expect: bad(400, 'scenario must be a string; got 5') },
  { name: 'POST /api/stream params not an object: 400', endpoint: 'stream', request: post('/api/stream', { params: [] }), expect: bad(400, 'params must be an object of numbers') },
  { name: 'POST /api/stream a param out of range: 400', endpoint: 'stream', request: post('/api/stream', { scenario: 'ticker', params: { rate: 0 } }), expect: bad(400, 'rate must be an integer from 1 to 20000 (msg/s); got "0"') },
  { name: 'POST /api/stream a bad option: 400', endpoint: 'stream', request: post('/api/stream', { options: { retry: -1 } }), expect: bad(400, /^retry must be/) },
  {
    name: 'POST /api/stream bad messages: 400',
    endpoint: 'stream',
    request: post('/api/stream', { messages: [] }),
    expect: bad(400, 'messages must be 1 to 100 objects with a string "role" and "content"'),
  },
  { name: 'POST /api/stream bad after: 400', endpoint: 'stream', request: post('/api/stream', { after: 'x' }), expect: bad(400, RESUME('after', '"x"')) },
  { name: 'POST /api/stream bad run: 400', endpoint: 'stream', request: post('/api/stream', { run: 'a b' }), expect: bad(400, `run must be a string of ${RUN_HINT}`) },
  { name: 'POST /api/stream format=bogus: 400', endpoint: 'stream', request: post('/api/stream', { format: 'bogus' }), expect: bad(400, /^format must be/) },
  {
    name: 'POST /api/stream format=anthropic with a ticker: 400',
    endpoint: 'stream',
    request: post('/api/stream', { scenario: 'ticker', format: 'anthropic' }),
    expect: bad(400, 'format "anthropic" shapes token streams: use it with scenario=llm'),
  },
  {
    name: 'POST /api/stream without the token: 401 with a challenge',
    endpoint: 'stream',
    options: { token: 's3cret' },
    request: post('/api/stream', { scenario: 'ticker' }),
    expect: bad(401, 'this server requires a token: send Authorization: Bearer <token>', AUTH_CHALLENGE),
  },
  {
    name: 'POST /api/stream with a wrong token: 401',
    endpoint: 'stream',
    options: { token: 's3cret' },
    request: post('/api/stream', { scenario: 'ticker' }, { authorization: 'Bearer nope' }),
    expect: bad(401, 'the bearer token is wrong', AUTH_CHALLENGE),
  },
  {
    name: 'POST /api/stream without the token and not JSON: 401 comes first',
    endpoint: 'stream',
    options: { token: 's3cret' },
    request: post('/api/stream', 'x', { 'content-type': 'text/plain' }),
    expect: bad(401, 'this server requires a token: send Authorization: Bearer <token>'),
  },
  {
    name: 'POST /api/stream with the token: the stream',
    endpoint: 'stream',
    options: { token: 's3cret' },
    request: post('/api/stream', { scenario: 'ticker', params: SCENARIOS.ticker.params }, { authorization: 'bearer s3cret' }),
    expect: { status: 200, type: 'sse', events: FIRST_EVENTS.ticker },
  },
  {
    name: 'POST /api/stream after an armed fetch http-error 503: 503',
    endpoint: 'stream',
    setup: [post('/api/faults', { action: 'http-error', status: 503, target: 'fetch' })],
    request: post('/api/stream', { scenario: 'ticker' }),
    expect: bad(503, 'simulated HTTP 503'),
  },
  {
    name: 'POST /api/stream during a 503 outage of fetch streams: 503',
    endpoint: 'stream',
    setup: [post('/api/faults', { action: 'outage', mode: '503', ms: 5000, target: 'fetch' })],
    request: post('/api/stream', { scenario: 'ticker' }),
    expect: bad(503, 'service unavailable (simulated outage)'),
  },
  {
    name: 'GET /api/stream: 405 with the hint',
    endpoint: 'stream',
    request: { path: '/api/stream' },
    expect: bad(405, 'GET is not allowed on /api/stream; use POST with a JSON body (GET /api/sse is the EventSource endpoint)', { allow: 'POST' }),
  },
  {
    name: 'PUT /api/stream: 405',
    endpoint: 'stream',
    request: { method: 'PUT', path: '/api/stream', body: {} },
    expect: bad(405, 'PUT is not allowed on /api/stream; use POST with a JSON body (GET /api/sse is the EventSource endpoint)'),
  },

  // --- GET /api/poll --------------------------------------------------------------------------
  pollRow('ticker'),
  pollRow('llm'),
  pollRow('binary'),
  { name: 'GET /api/poll bad wait: 400', endpoint: 'poll', request: { path: `/api/poll?${TICKER}&wait=abc` }, expect: bad(400, 'wait must be an integer from 0 to 30000 (ms); got "abc"') },
  { name: 'GET /api/poll wait too long: 400', endpoint: 'poll', request: { path: `/api/poll?${TICKER}&wait=30001` }, expect: bad(400, 'wait must be an integer from 0 to 30000 (ms); got "30001"') },
  { name: 'GET /api/poll bad scenario: 400', endpoint: 'poll', request: { path: '/api/poll?scenario=nope' }, expect: bad(400, SCENARIO_LIST) },
  { name: 'GET /api/poll bad after: 400', endpoint: 'poll', request: { path: `/api/poll?${TICKER}&after=x` }, expect: bad(400, RESUME('after', '"x"')) },
  { name: 'GET /api/poll bad run: 400', endpoint: 'poll', request: { path: `/api/poll?${TICKER}&run=a%20b` }, expect: bad(400, /^run must be/) },
  {
    name: 'GET /api/poll past the polled sessions: 503',
    endpoint: 'poll',
    options: { maxPollSessions: 1 },
    setup: [{ path: `/api/poll?${TICKER}&run=p1` }],
    request: { path: `/api/poll?${TICKER}&run=p2` },
    expect: bad(503, 'the server is playing 1 polled streams, its limit (MAX_POLL_SESSIONS); an idle one ends after 15000 ms', { 'retry-after': '15' }),
  },
  { name: 'POST /api/poll: 405', endpoint: 'poll', request: post('/api/poll', {}), expect: bad(405, 'POST is not allowed on /api/poll; use GET') },

  // --- GET /api/runs --------------------------------------------------------------------------
  {
    name: 'GET /api/runs: a finished stream of the run',
    endpoint: 'runs',
    setup: [{ path: `/api/sse?${TICKER}&run=log1` }],
    request: { path: '/api/runs?run=log1' },
    expect: { status: 200, type: 'json', body: { run: 'log1', next: null, streams: [{ transport: 'sse', lastSeq: 3, reason: 'complete' }] } },
  },
  {
    name: 'GET /api/runs without a run: 400',
    endpoint: 'runs',
    request: { path: '/api/runs' },
    expect: bad(400, `run is required: GET /api/runs?run=<the run id of the streams: ${RUN_HINT}>`),
  },
  { name: 'GET /api/runs bad run: 400', endpoint: 'runs', request: { path: '/api/runs?run=a%20b' }, expect: bad(400, /^run is required/) },
  { name: 'GET /api/runs from=-1: 400', endpoint: 'runs', request: { path: '/api/runs?run=r1&from=-1' }, expect: bad(400, /^from must be an integer from 0/) },
  { name: 'POST /api/runs: 405', endpoint: 'runs', request: post('/api/runs', {}), expect: bad(405, 'POST is not allowed on /api/runs; use GET') },

  // --- POST /api/faults -----------------------------------------------------------------------
  { name: 'POST /api/faults clear', endpoint: 'faults', request: post('/api/faults', { action: 'clear' }), expect: { status: 200, type: 'json', body: { ok: true } } },
  {
    name: 'POST /api/faults drop: drops the open stream',
    endpoint: 'faults',
    setup: [{ path: `/api/sse?${FOREVER}&run=d1`, hold: true }],
    request: post('/api/faults', { action: 'drop', target: 'sse', run: 'd1' }),
    expect: { status: 200, type: 'json', body: { ok: true, dropped: 1 } },
  },
  {
    name: 'POST /api/faults outage: until',
    endpoint: 'faults',
    request: post('/api/faults', { action: 'outage', mode: '503', ms: 1000, target: 'all' }),
    expect: { status: 200, type: 'json', body: { ok: true, dropped: 0, until: anyNumber } },
  },
  {
    name: 'POST /api/faults unknown action: 400',
    endpoint: 'faults',
    request: post('/api/faults', { action: 'explode' }),
    expect: bad(400, 'action must be "drop", "outage", "http-error" or "clear"; got "explode"'),
  },
  { name: 'POST /api/faults bad mode: 400', endpoint: 'faults', request: post('/api/faults', { action: 'outage', mode: 'down' }), expect: bad(400, 'mode must be "reset" or "503"; got "down"') },
  { name: 'POST /api/faults bad ms: 400', endpoint: 'faults', request: post('/api/faults', { action: 'outage', mode: '503', ms: -1 }), expect: bad(400, /^ms must be an integer from/) },
  {
    name: 'POST /api/faults bad http-error status: 400',
    endpoint: 'faults',
    request: post('/api/faults', { action: 'http-error', status: 418 }),
    expect: bad(400, 'status must be one of 204, 404, 429, 500, 503 or "content-type"; got 418'),
  },
  { name: 'POST /api/faults bad target: 400', endpoint: 'faults', request: post('/api/faults', { action: 'drop', target: 'tcp' }), expect: bad(400, /^target must be/) },
  { name: 'POST /api/faults bad run: 400', endpoint: 'faults', request: post('/api/faults', { action: 'clear', run: 'a b' }), expect: bad(400, /^run must be/) },
  { name: 'POST /api/faults not an object: 400', endpoint: 'faults', request: post('/api/faults', 5), expect: bad(400, 'the body must be a JSON object with an "action"') },
  { name: 'POST /api/faults invalid JSON: 400', endpoint: 'faults', request: post('/api/faults', '{"action":', { 'content-type': 'application/json' }), expect: bad(400, 'the body is not valid JSON') },
  { name: 'POST /api/faults too-deep JSON: 400', endpoint: 'faults', request: post('/api/faults', DEEP, { 'content-type': 'application/json' }), expect: bad(400, /deeper than 32/) },
  {
    name: 'POST /api/faults body over 4 KiB: 400',
    endpoint: 'faults',
    request: post('/api/faults', { action: 'clear', pad: 'x'.repeat(5000) }),
    expect: bad(400, 'the body must be at most 4096 bytes'),
  },
  {
    name: 'POST /api/faults text/plain: 415',
    endpoint: 'faults',
    request: post('/api/faults', '{"action":"clear"}', { 'content-type': 'text/plain' }),
    expect: bad(415, NOT_JSON_TYPE('"text/plain"')),
  },
  { name: 'GET /api/faults: 405', endpoint: 'faults', request: { path: '/api/faults' }, expect: bad(405, 'GET is not allowed on /api/faults; use POST', { allow: 'POST' }) },
  {
    name: 'POST /api/faults from another site: 403',
    endpoint: 'faults',
    request: post('/api/faults', { action: 'clear' }, { origin: 'http://evil.example' }),
    expect: bad(403, "control endpoints answer only the lab's own page (or LAB_ALLOWED_ORIGINS); this request came from another origin"),
    mock: {
      expect: { status: 200, type: 'json', body: { ok: true } },
      reason: 'a service worker only sees its own page’s requests: no other site’s request reaches the mock, so it has no such check',
    },
  },

  // --- POST /api/auth -------------------------------------------------------------------------
  { name: 'POST /api/auth sets a token', endpoint: 'auth', request: post('/api/auth', { token: 's3cret' }), expect: { status: 200, type: 'json', body: { ok: true, required: true } } },
  { name: 'POST /api/auth clears (none set)', endpoint: 'auth', request: post('/api/auth', { token: null }), expect: { status: 200, type: 'json', body: { ok: true, required: false } } },
  {
    name: 'POST /api/auth change without the current token: 401',
    endpoint: 'auth',
    options: { token: 's3cret' },
    request: post('/api/auth', { token: null }),
    expect: bad(401, 'a token is set: send Authorization: Bearer <the current token> to change or clear it', AUTH_CHALLENGE),
  },
  {
    name: 'POST /api/auth change with the current token',
    endpoint: 'auth',
    options: { token: 's3cret' },
    request: post('/api/auth', { token: null }, { authorization: 'Bearer s3cret' }),
    expect: { status: 200, type: 'json', body: { ok: true, required: false } },
  },
  {
    name: 'POST /api/auth bad token: 400',
    endpoint: 'auth',
    request: post('/api/auth', { token: 'has space' }),
    expect: bad(400, 'send {"token": "<1 to 200 visible ASCII characters>"} or {"token": null}'),
  },
  { name: 'POST /api/auth no content type: 415', endpoint: 'auth', request: { method: 'POST', path: '/api/auth', body: '{"token":null}', headers: { 'content-type': '' } }, expect: bad(415, /^send the request as application\/json/) },
  { name: 'GET /api/auth: 405', endpoint: 'auth', request: { path: '/api/auth' }, expect: bad(405, 'GET is not allowed on /api/auth; use POST') },

  // --- POST /api/chat -------------------------------------------------------------------------
  {
    name: 'POST /api/chat: a reply on the run’s open SSE stream',
    endpoint: 'chat',
    setup: [{ path: `/api/sse?${SCENARIOS.chat.query}&run=c1`, hold: true }],
    request: post('/api/chat', { run: 'c1', transport: 'sse', type: 'chat', id: 'm1', t: 1, text: 'hi' }),
    expect: { status: 202, type: 'json', body: { delivered: 1, requestBytes: anyNumber } },
  },
  {
    name: 'POST /api/chat: a reply on the run’s open fetch stream',
    endpoint: 'chat',
    setup: [{ ...post('/api/stream', { scenario: 'chat', run: 'c2' }), hold: true }],
    request: post('/api/chat', { run: 'c2', transport: 'fetch', type: 'chat', id: 'm1', t: 1, text: 'hi' }),
    expect: { status: 202, type: 'json', body: { delivered: 1 } },
  },
  {
    name: 'POST /api/chat with no open stream: 404',
    endpoint: 'chat',
    request: post('/api/chat', { run: 'c3', transport: 'sse', type: 'chat', id: 'm1', t: 1, text: 'hi' }),
    expect: bad(404, 'no open sse stream for run "c3" to answer on'),
  },
  {
    name: 'POST /api/chat without a run: 400',
    endpoint: 'chat',
    request: post('/api/chat', { transport: 'sse', id: 'm1', t: 1, text: 'hi' }),
    expect: bad(400, `chat needs the "run" of the stream to answer on (${RUN_HINT})`),
  },
  {
    name: 'POST /api/chat transport ws: 400',
    endpoint: 'chat',
    request: post('/api/chat', { run: 'c1', transport: 'ws', id: 'm1', t: 1, text: 'hi' }),
    expect: bad(400, 'transport must be "sse" or "fetch" (WebSocket lanes chat on their socket)'),
  },
  { name: 'POST /api/chat bad message: 400', endpoint: 'chat', request: post('/api/chat', { run: 'c1', transport: 'sse', t: 1, text: 'hi' }), expect: bad(400, /id/) },
  { name: 'POST /api/chat text/plain: 415', endpoint: 'chat', request: post('/api/chat', '{}', { 'content-type': 'text/plain' }), expect: bad(415, NOT_JSON_TYPE('"text/plain"')) },
  { name: 'GET /api/chat: 405', endpoint: 'chat', request: { path: '/api/chat' }, expect: bad(405, 'GET is not allowed on /api/chat; use POST') },

  // --- GET /api/memory ------------------------------------------------------------------------
  { name: 'GET /api/memory n out of range: 400', endpoint: 'memory', request: { path: '/api/memory?n=5' }, expect: bad(400, 'n must be an integer from 10 to 1000; got "5"') },
  {
    name: 'GET /api/memory?n=10: a measurement',
    endpoint: 'memory',
    request: { path: '/api/memory?n=10' },
    expect: { status: 200, type: 'json', body: { connections: 10 } },
    mock: { expect: bad(501, 'memory per connection is measured on the live server: switch to Live mode'), reason: 'a tab cannot measure a server’s memory' },
    timeoutMs: 60_000,
  },
  {
    name: 'GET /api/memory twice within the cooldown: 429',
    endpoint: 'memory',
    setup: [{ path: '/api/memory?n=10' }],
    request: { path: '/api/memory?n=10' },
    expect: bad(429, /^one memory measurement per 5000 ms/),
    mock: { expect: bad(501, 'memory per connection is measured on the live server: switch to Live mode'), reason: 'no measurement, so no cooldown' },
    timeoutMs: 60_000,
  },
  { name: 'POST /api/memory: 405', endpoint: 'memory', request: post('/api/memory', {}), expect: bad(405, 'POST is not allowed on /api/memory; use GET') },

  // --- /api/ws --------------------------------------------------------------------------------
  wsRow('ticker'),
  wsRow('binary'),
  wsRow('llm'),
  {
    name: 'WebSocket /api/ws bad scenario: refused with the reason',
    endpoint: 'ws',
    request: { path: '/api/ws?scenario=nope' },
    expect: { status: 400, ws: { refused: SCENARIO_LIST } },
  },
  {
    name: 'WebSocket /api/ws bad client: refused with the reason',
    endpoint: 'ws',
    request: { path: `/api/ws?${TICKER}&client=Web%20Socket` },
    expect: { status: 400, ws: { refused: 'client must be 1 to 32 of a-z, 0-9 and "-" (a name for the run log); got "Web Socket"' } },
  },
  {
    name: 'WebSocket /api/ws bad after: refused with the reason',
    endpoint: 'ws',
    request: { path: `/api/ws?${TICKER}&after=abc` },
    expect: { status: 400, ws: { refused: RESUME('after', '"abc"') } },
  },
  {
    name: 'WebSocket /api/ws format with a ticker: refused with the reason',
    endpoint: 'ws',
    request: { path: `/api/ws?${TICKER}&format=openai` },
    expect: { status: 400, ws: { refused: 'format "openai" shapes token streams: use it with scenario=llm' } },
  },
  {
    name: 'WebSocket /api/ws after=3 of 3: done at once',
    endpoint: 'ws',
    request: { path: `/api/ws?${TICKER}&after=3` },
    expect: { status: 101, ws: { messages: [{ data: { type: 'done', total: 3 } }] } },
  },
  {
    name: 'GET /api/ws without an upgrade: 426',
    endpoint: 'ws',
    request: { path: '/api/ws' },
    expect: bad(426, '/api/ws speaks WebSocket only: send an Upgrade: websocket request'),
  },
  { name: 'POST /api/ws: 405', endpoint: 'ws', request: post('/api/ws', {}), expect: bad(405, 'POST is not allowed on /api/ws; use GET') },

  // --- anything else --------------------------------------------------------------------------
  { name: 'GET /api/nope: 404', endpoint: 'unknown', request: { path: '/api/nope' }, expect: bad(404, 'no endpoint /api/nope; see GET /api/info') },
  { name: 'GET /api/a/b?c=1: 404', endpoint: 'unknown', request: { path: '/api/a/b?c=1' }, expect: bad(404, 'no endpoint /api/a/b; see GET /api/info') },
  { name: 'DELETE /api/nope: 405', endpoint: 'unknown', request: { method: 'DELETE', path: '/api/nope' }, expect: bad(405, 'DELETE is not allowed on /api/nope; use GET') },
  {
    name: 'POST /api/mock/stop-run: the mock’s workaround, live’s 405',
    endpoint: 'mock',
    request: post('/api/mock/stop-run', { run: 'r1' }),
    expect: bad(405, 'POST is not allowed on /api/mock/stop-run; use GET'),
    mock: {
      expect: { status: 200, type: 'json', body: { ok: true, stopped: 0 } },
      reason: 'MSW in Chromium never tells the mock a page closed its EventSource: the page says so (README, "How a frame travels")',
    },
  },
  // --- POST /v1/chat/completions, POST /v1/messages (provider-cases.ts) ---------------------------
  ...providerCases,
  ...agentCases,
];
