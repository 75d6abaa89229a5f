/**
 * The deprecated HTTP+SSE transport of revision 2024-11-05, beside Streamable HTTP as the spec's
 * "Backwards compatibility" section suggests:
 *
 *   GET /sse                          opens the session's one SSE stream; its first event is
 *                                     `event: endpoint` with the URL to POST to
 *   POST /sse/messages?sessionId=…    one JSON-RPC message: 202 at once; every answer, progress
 *                                     notification and log line goes out as `event: message` on
 *                                     the GET stream
 *
 * No event ids and no resumption: the session lives as long as its GET stream. When it drops
 * (`?drop=N` cuts it after N messages), calls in progress are lost with it and an EventSource that
 * reconnects gets a new session: what Streamable HTTP's Last-Event-ID fixed.
 */
import { isJsonMediaType, quote } from '../protocol/json-guard.ts';
import { encodeSseEvent } from '../protocol/sse-encoding.ts';
import { httpError, LEGACY_VERSION, parseDrop, parseErrorAnswer, SSE_HEADERS, type McpAnswer, type McpInput } from './mcp-http.ts';
import { parseRpcBody, RPC_ERROR } from './mcp-jsonrpc.ts';
import { dispatch, newSessionState, stopCalls, type DispatchContext } from './mcp-protocol.ts';
import type { McpSession, McpShared } from './mcp-sessions.ts';
import { SseConnection, type McpSink } from './mcp-stream.ts';

class LegacySession implements McpSession {
  readonly transport = 'legacy';
  readonly state = newSessionState([LEGACY_VERSION]);
  connection: SseConnection | null = null;
  lastSeen: number;

  constructor(
    readonly id: string,
    now: number,
  ) {
    this.lastSeen = now;
  }

  busy(): boolean {
    return this.state.calls.size > 0;
  }

  stats(): { connections: number; runningCalls: number } {
    return { connections: this.connection?.open ? 1 : 0, runningCalls: this.state.calls.size };
  }

  send(message: unknown): void {
    this.connection?.message(encodeSseEvent({ event: 'message', data: JSON.stringify(message) }));
  }

  close(): void {
    stopCalls(this.state);
    this.connection?.end();
  }
}

export class LegacyTransport {
  constructor(private readonly shared: McpShared) {}

  /** GET /sse */
  open(input: McpInput): McpAnswer {
    if (input.method !== 'GET') return httpError(405, `${input.method} is not allowed on /sse; use GET (and POST to the endpoint it names)`, { Allow: 'GET' });
    const drop = parseDrop(input.query);
    if (!drop.ok) return httpError(400, drop.error);
    const { sessions, options } = this.shared;
    const session = sessions.add((id) => new LegacySession(id, sessions.now()));
    if (session === null) return httpError(503, `every MCP session is busy (MAX_MCP_SESSIONS = ${sessions.max}); try again later`, { 'Retry-After': '5' });
    return {
      kind: 'stream',
      headers: { ...SSE_HEADERS },
      open: (sink: McpSink) => {
        const connection = new SseConnection(sink, { dropAfter: drop.value, heartbeatMs: options.heartbeatMs, timers: options.timers });
        session.connection = connection;
        // The stream is the session: when it goes (client, drop), so does the session.
        connection.onGone = () => sessions.end(session.id);
        connection.raw(encodeSseEvent({ event: 'endpoint', data: `/sse/messages?sessionId=${session.id}` }));
        return connection;
      },
    };
  }

  /** POST /sse/messages?sessionId=… */
  async post(input: McpInput): Promise<McpAnswer> {
    if (input.method !== 'POST') return httpError(405, `${input.method} is not allowed on /sse/messages; use POST`, { Allow: 'POST' });
    const type = input.header('content-type');
    if (!isJsonMediaType(type)) return httpError(415, `Unsupported Media Type: send application/json; got ${type === undefined ? 'no content type' : quote(type)}`);
    const id = input.query.get('sessionId');
    if (id === null) return httpError(400, 'Bad Request: sessionId is required (the URL of the endpoint event GET /sse sent)');
    const session = this.shared.sessions.get(id, 'legacy') as LegacySession | undefined;
    if (session === undefined) return httpError(404, `Session not found: ${quote(id)} (its GET /sse stream has closed, or it never existed)`, {}, RPC_ERROR.sessionNotFound);
    const version = input.header('mcp-protocol-version');
    if (version !== undefined && session.state.version !== null && version !== session.state.version) {
      return httpError(400, `Bad Request: MCP-Protocol-Version ${quote(version)} is not ${session.state.version}, the revision this session negotiated`);
    }
    const body = await input.readBody();
    if (!body.ok) return parseErrorAnswer(body.error);
    const parsed = parseRpcBody(body.value);
    if (!parsed.ok) return { kind: 'json', status: 400, body: parsed.error, headers: {} };
    if (parsed.batch) {
      return httpError(400, `Invalid Request: /sse speaks ${LEGACY_VERSION}, one message per POST (JSON-RPC batches came with 2025-03-26's Streamable HTTP)`, {}, RPC_ERROR.invalidRequest);
    }
    session.lastSeen = this.shared.sessions.now();
    const { options } = this.shared;
    const ctx: DispatchContext = {
      serverVersion: options.version,
      timers: options.timers,
      emit: (message) => session.send(message),
      settled() {},
      notify: (message) => session.send(message),
    };
    const out = dispatch(session.state, parsed.messages[0], ctx);
    if (out.kind === 'answer') session.send(out.message);
    return { kind: 'empty', status: 202, headers: {} };
  }
}
