/**
 * The MCP lesson, live: the same slow tool call (`count`, progress notifications then a result) over
 * both HTTP transports MCP has had, with an optional cut (`?drop=N`, the lab's injected drop), by a
 * small raw client so every request and answer can be shown:
 *
 * - Streamable HTTP (`/mcp`, 2025-03-26 on): POST initialize → JSON and an `Mcp-Session-Id`; POST
 *   notifications/initialized → 202; POST tools/call → an SSE stream; when it is cut, GET with
 *   `Last-Event-ID` (after the `retry:` the server sent) until the result; DELETE the session.
 * - HTTP+SSE (`/sse`, 2024-11-05): GET /sse, whose first event names the POST endpoint; every POST
 *   gets 202 and its answer comes on the GET stream. A cut ends the session: there are no ids, so
 *   nothing can be resumed and the call is lost.
 *
 * It reports what each request got (status, JSON or SSE, events, how the connection ended) and the
 * tally a user checks: progress notifications received, repeated, and whether the result came.
 */
import { openSseConnection, type SseConnection } from './sse-connection.ts';

export type McpTransportName = 'streamable' | 'legacy';

export interface McpExchange {
  method: 'POST' | 'GET' | 'DELETE';
  /** The JSON-RPC method (and tool), or `resume` / `stream`: protocol names, shown as they are. */
  what: string;
  /** Last-Event-ID a resume sent. */
  lastEventId: string | null;
  status: number;
  answer: 'json' | 'sse' | 'none';
  /** SSE events read on this connection (SSE answers only). */
  events: number;
  /** How an SSE answer ended: complete, cut mid-stream, or still open when the demo ended. */
  ended: 'complete' | 'cut' | 'open' | null;
}

export interface McpDemoReport {
  transport: McpTransportName;
  sessionId: string | null;
  revision: string | null;
  exchanges: McpExchange[];
  /** Distinct progress values received, repeats, and how many the call sends. */
  progress: { received: number; repeated: number; expected: number };
  result: 'received' | 'lost';
  resumes: number;
  elapsedMs: number;
}

export interface McpDemoOptions {
  origin: string;
  /** Cut each SSE connection after this many messages (0: no cut). */
  drop: number;
  steps?: number;
  intervalMs?: number;
  fetchImpl?: typeof fetch;
  /** How long to wait for a message before calling the call lost (the legacy transport after a cut). */
  waitMs?: number;
  now?: () => number;
}

const ACCEPT_BOTH = 'application/json, text/event-stream';
const MAX_RESUMES = 20;

interface JsonRpcMessage {
  id?: number | string;
  method?: string;
  params?: { progress?: number };
  result?: unknown;
  error?: unknown;
}

function parseMessage(data: string): JsonRpcMessage | null {
  try {
    const value: unknown = JSON.parse(data);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonRpcMessage) : null;
  } catch {
    return null;
  }
}

/** Counts progress notifications and spots the call's result among a stream's messages. */
class Tally {
  readonly seen = new Set<number>();
  repeated = 0;
  done = false;
  constructor(private readonly callId: number) {}
  take(message: JsonRpcMessage | null): void {
    if (!message) return;
    if (message.method === 'notifications/progress' && typeof message.params?.progress === 'number') {
      if (this.seen.has(message.params.progress)) this.repeated++;
      else this.seen.add(message.params.progress);
    }
    if (message.id === this.callId && (message.result !== undefined || message.error !== undefined)) this.done = true;
  }
}

const rpc = (id: number | null, method: string, params: unknown = {}) => JSON.stringify(id === null ? { jsonrpc: '2.0', method, params } : { jsonrpc: '2.0', id, method, params });

function initializeParams(revision: string) {
  return { protocolVersion: revision, capabilities: {}, clientInfo: { name: 'sse-vs-ws-lab page', version: '1' } };
}

/** Reads an SSE answer into the tally until it ends, the result arrives, or `waitMs` passes in silence. */
async function drain(connection: SseConnection, tally: Tally, exchange: McpExchange, waitMs: number): Promise<void> {
  for (;;) {
    const event = await connection.next(waitMs);
    if (event === 'timeout') {
      exchange.ended = 'open';
      return;
    }
    if (event === null) {
      exchange.ended = connection.cut ? 'cut' : 'complete';
      return;
    }
    exchange.events++;
    tally.take(event.data === '' ? null : parseMessage(event.data));
    if (tally.done) {
      // The result is the stream's last message: let the server end it (or end it ourselves).
      const last = await connection.next(waitMs);
      exchange.ended = last === null ? (connection.cut ? 'cut' : 'complete') : 'open';
      connection.close();
      return;
    }
  }
}

export async function runStreamable(options: McpDemoOptions): Promise<McpDemoReport> {
  const { origin, drop } = options;
  const fetchImpl = options.fetchImpl ?? ((input, init) => globalThis.fetch(input, init));
  const now = options.now ?? (() => performance.now());
  const waitMs = options.waitMs ?? 10_000;
  const steps = options.steps ?? 6;
  const started = now();
  const url = `${origin}/mcp${drop > 0 ? `?drop=${drop}` : ''}`;
  const exchanges: McpExchange[] = [];
  const headers: Record<string, string> = { accept: ACCEPT_BOTH, 'content-type': 'application/json' };
  const log = (method: McpExchange['method'], what: string, status: number, answer: McpExchange['answer'], lastEventId: string | null = null): McpExchange => {
    const exchange: McpExchange = { method, what, lastEventId, status, answer, events: 0, ended: null };
    exchanges.push(exchange);
    return exchange;
  };
  const answerOf = (response: Response): McpExchange['answer'] =>
    (response.headers.get('content-type') ?? '').startsWith('text/event-stream') ? 'sse' : response.status === 202 || response.status === 204 ? 'none' : 'json';

  const init = await fetchImpl(url, { method: 'POST', headers, body: rpc(0, 'initialize', initializeParams('2025-11-25')) });
  log('POST', 'initialize', init.status, answerOf(init));
  const sessionId = init.headers.get('mcp-session-id');
  const initBody = (await init.json()) as { result?: { protocolVersion?: string } };
  const revision = initBody.result?.protocolVersion ?? null;
  if (!sessionId || !revision) throw new Error(`initialize answered ${init.status} without a session`);
  headers['mcp-session-id'] = sessionId;
  headers['mcp-protocol-version'] = revision;

  const initialized = await fetchImpl(url, { method: 'POST', headers, body: rpc(null, 'notifications/initialized') });
  log('POST', 'notifications/initialized', initialized.status, answerOf(initialized));

  const tally = new Tally(1);
  const controller = new AbortController();
  const call = await fetchImpl(url, {
    method: 'POST',
    headers,
    signal: controller.signal,
    body: rpc(1, 'tools/call', { name: 'count', arguments: { steps, intervalMs: options.intervalMs ?? 150 }, _meta: { progressToken: 'page' } }),
  });
  const callExchange = log('POST', 'tools/call count', call.status, answerOf(call));
  let resumes = 0;
  if (call.body && callExchange.answer === 'sse') {
    let connection = openSseConnection(call.body, () => controller.abort());
    await drain(connection, tally, callExchange, waitMs);
    // Cut before the result: resume that stream with a GET carrying the last event ID received on any
    // of its connections (as EventSource keeps it across reconnections), after the server's retry.
    let lastEventId = connection.lastEventId;
    let retryMs = connection.retryMs ?? 1000;
    while (!tally.done && resumes < MAX_RESUMES && lastEventId !== '') {
      await new Promise((resolve) => setTimeout(resolve, Math.min(retryMs, 1000)));
      resumes++;
      const again = new AbortController();
      const resumed = await fetchImpl(url, { method: 'GET', headers: { ...headers, accept: 'text/event-stream', 'last-event-id': lastEventId }, signal: again.signal });
      const exchange = log('GET', 'resume', resumed.status, answerOf(resumed), lastEventId);
      if (!resumed.body || exchange.answer !== 'sse') break;
      connection = openSseConnection(resumed.body, () => again.abort());
      await drain(connection, tally, exchange, waitMs);
      lastEventId = connection.lastEventId || lastEventId;
      retryMs = connection.retryMs ?? retryMs;
    }
  }
  const end = await fetchImpl(url, { method: 'DELETE', headers });
  log('DELETE', 'session', end.status, answerOf(end));
  return {
    transport: 'streamable',
    sessionId,
    revision,
    exchanges,
    progress: { received: tally.seen.size, repeated: tally.repeated, expected: steps },
    result: tally.done ? 'received' : 'lost',
    resumes,
    elapsedMs: now() - started,
  };
}

export async function runLegacy(options: McpDemoOptions): Promise<McpDemoReport> {
  const { origin, drop } = options;
  const fetchImpl = options.fetchImpl ?? ((input, init) => globalThis.fetch(input, init));
  const now = options.now ?? (() => performance.now());
  const waitMs = options.waitMs ?? 3_000;
  const steps = options.steps ?? 6;
  const started = now();
  const exchanges: McpExchange[] = [];
  const controller = new AbortController();
  const opened = await fetchImpl(`${origin}/sse${drop > 0 ? `?drop=${drop}` : ''}`, { headers: { accept: 'text/event-stream' }, signal: controller.signal });
  const stream: McpExchange = { method: 'GET', what: 'stream', lastEventId: null, status: opened.status, answer: 'sse', events: 0, ended: null };
  exchanges.push(stream);
  if (!opened.body) throw new Error(`GET /sse answered ${opened.status} without a stream`);
  const connection = openSseConnection(opened.body, () => controller.abort());
  const report = (tally: Tally, sessionId: string | null, revision: string | null): McpDemoReport => {
    connection.close();
    return {
      transport: 'legacy',
      sessionId,
      revision,
      exchanges,
      progress: { received: tally.seen.size, repeated: tally.repeated, expected: steps },
      result: tally.done ? 'received' : 'lost',
      resumes: 0,
      elapsedMs: now() - started,
    };
  };
  const first = await connection.next(waitMs);
  if (first === null || first === 'timeout' || first.event !== 'endpoint') throw new Error('GET /sse did not begin with the endpoint event');
  stream.events++;
  const endpoint = new URL(first.data, origin).toString();
  const sessionId = new URL(endpoint).searchParams.get('sessionId');
  const post = async (what: string, body: string) => {
    const response = await fetchImpl(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    exchanges.push({ method: 'POST', what, lastEventId: null, status: response.status, answer: response.status === 202 ? 'none' : 'json', events: 0, ended: null });
  };
  /** Messages off the GET stream until `until` holds, the stream ends, or silence. */
  const read = async (tally: Tally): Promise<boolean> => {
    for (;;) {
      const event = await connection.next(waitMs);
      if (event === 'timeout' || event === null) {
        stream.ended = event === null ? (connection.cut ? 'cut' : 'complete') : 'open';
        return false;
      }
      stream.events++;
      tally.take(parseMessage(event.data));
      if (tally.done) return true;
    }
  };
  const initTally = new Tally(0);
  await post('initialize', rpc(0, 'initialize', initializeParams('2024-11-05')));
  if (!(await read(initTally))) return report(new Tally(1), sessionId, null);
  await post('notifications/initialized', rpc(null, 'notifications/initialized'));
  const tally = new Tally(1);
  await post('tools/call count', rpc(1, 'tools/call', { name: 'count', arguments: { steps, intervalMs: options.intervalMs ?? 150 }, _meta: { progressToken: 'page' } }));
  await read(tally);
  if (stream.ended === null) stream.ended = 'open';
  return report(tally, sessionId, '2024-11-05');
}
