/**
 * MCP over HTTP, decided once for both adapters: the Streamable HTTP endpoint `/mcp` (revisions
 * 2025-03-26, 2025-06-18, 2025-11-25) here, and the deprecated HTTP+SSE transport `/sse` +
 * `/sse/messages` (2024-11-05) in mcp-legacy.ts. An adapter hands over a request (McpInput) and
 * writes the answer (McpAnswer); a stream answer gets the adapter's sink (McpSink).
 *
 *   POST /mcp    one JSON-RPC message (or, in a 2025-03-26 session, a batch). Only notifications or
 *                responses: 202. A `count` call: 200 text/event-stream (progress, then the result).
 *                Anything else: 200 application/json. `initialize` (without Mcp-Session-Id) makes a
 *                session; its answer carries Mcp-Session-Id.
 *   GET /mcp     the session's GET stream (server messages: a log line when a count ends); with
 *                Last-Event-ID, the stream that event belongs to, from after it (resume).
 *   DELETE /mcp  ends the session: 204.
 *   ?drop=N      each SSE connection of the request is cut after N messages (an injected drop).
 *
 * Refusals carry a JSON-RPC error body with no id: 400 (bad JSON, bad message, missing session id,
 * a batch after 2025-03-26, a wrong MCP-Protocol-Version, a bad Last-Event-ID), 403 (foreign
 * Origin), 404 (unknown or ended session), 405, 406 (Accept), 409 (a second GET stream), 415, 503.
 */
import { isJsonMediaType, quote } from '../protocol/json-guard.ts';
import { MAX_MCP_REPLAY_EVENTS } from '../protocol/limits.ts';
import { accepts, checkMcpOrigin, hasRevision, httpError, jsonAnswer, MCP_PATHS, parseDrop, parseErrorAnswer, SSE_HEADERS, STREAMABLE_VERSIONS, type McpAnswer, type McpInput } from './mcp-http.ts';
import { parseRpcBody, RPC_ERROR, type RpcMessage, type RpcRequest } from './mcp-jsonrpc.ts';
import { LegacyTransport } from './mcp-legacy.ts';
import { dispatch, newSessionState, stopCalls, type DispatchContext, type SessionState } from './mcp-protocol.ts';
import { McpSessions, type McpOptions, type McpSession, type McpShared } from './mcp-sessions.ts';
import { EventStream, parseEventId, primingEvent, SseConnection, type McpSink } from './mcp-stream.ts';

export { isMcpPath, MCP_PATHS } from './mcp-http.ts';
export type { McpAnswer, McpInput } from './mcp-http.ts';
export type { McpOptions } from './mcp-sessions.ts';
export type { McpSink } from './mcp-stream.ts';

export interface McpStats {
  sessions: number;
  /** SSE connections open now. */
  connections: number;
  runningCalls: number;
}

export interface Mcp {
  handle(pathname: string, input: McpInput): Promise<McpAnswer>;
  stats(): McpStats;
  /** Ends every session (the server closes). */
  close(): void;
}

/** One Streamable HTTP session: its protocol state and its streams (POST answers and the GET stream). */
class StreamableSession implements McpSession {
  readonly transport = 'streamable';
  readonly state: SessionState = newSessionState(STREAMABLE_VERSIONS);
  readonly streams = new Map<number, EventStream>();
  standalone: EventStream | null = null;
  private nextStream = 1;
  lastSeen: number;

  constructor(
    readonly id: string,
    private readonly shared: McpShared,
  ) {
    this.lastSeen = shared.sessions.now();
  }

  busy(): boolean {
    return this.state.calls.size > 0;
  }

  stats(): { connections: number; runningCalls: number } {
    let connections = 0;
    for (const stream of this.streams.values()) if (stream.attached) connections++;
    return { connections, runningCalls: this.state.calls.size };
  }

  touch(): void {
    this.lastSeen = this.shared.sessions.now();
  }

  newStream(standalone: boolean): EventStream {
    const stream = new EventStream(this.nextStream++, standalone);
    this.streams.set(stream.no, stream);
    return stream;
  }

  /**
   * Adds a message to a stream, within the replay budget (MAX_MCP_REPLAY_EVENTS, a stream counting
   * one more): finished streams whose every message was written go first, oldest first; then the
   * oldest message of the longest stream (a late resume starts after a gap, the answer still comes).
   */
  push(stream: EventStream, message: unknown): void {
    stream.push(message);
    const kept = () => [...this.streams.values()].reduce((sum, s) => sum + s.kept + 1, 0);
    while (kept() > MAX_MCP_REPLAY_EVENTS) {
      const done = [...this.streams.values()].find((s) => s.finished && s.delivered && !s.attached);
      if (done !== undefined) this.streams.delete(done.no);
      else [...this.streams.values()].reduce((a, b) => (b.kept > a.kept ? b : a)).dropOldest();
    }
  }

  /** A message about no request in progress goes on the GET stream (kept until a GET takes it). */
  notify(message: unknown): void {
    this.standalone ??= this.newStream(true);
    this.push(this.standalone, message);
  }

  /** An SSE answer carrying `stream` from after `after` (null: from what no connection has had yet). */
  streamAnswer(stream: EventStream, drop: number | null, after: number | null): McpAnswer {
    const { retryMs, heartbeatMs, timers } = this.shared.options;
    return {
      kind: 'stream',
      headers: { ...SSE_HEADERS, 'Mcp-Session-Id': this.id },
      open: (sink: McpSink) => {
        const connection = new SseConnection(sink, { dropAfter: drop, heartbeatMs: stream.standalone ? heartbeatMs : 0, timers });
        connection.retry(retryMs);
        // Without Last-Event-ID, the priming event first (2025-11-25; older clients may trip on empty data).
        if (after === null && hasRevision(this.state.version, '2025-11-25')) connection.raw(primingEvent(stream));
        stream.attach(connection, after);
        const gone = connection.onGone;
        connection.onGone = () => {
          gone();
          this.touch();
        };
        return connection;
      },
    };
  }

  /** POST: the messages (initialize excepted) of an initialized session. */
  post(messages: RpcMessage[], batch: boolean, drop: number | null): McpAnswer {
    const headers = { 'Mcp-Session-Id': this.id };
    let stream: EventStream | null = null;
    let pending = 0;
    const answers: unknown[] = [];
    const ctx: DispatchContext = {
      serverVersion: this.shared.options.version,
      timers: this.shared.options.timers,
      emit: (message) => {
        if (stream !== null) this.push(stream, message);
      },
      settled: () => {
        pending--;
        this.touch();
        if (pending === 0) stream?.finish();
      },
      notify: (message) => this.notify(message),
    };
    for (const message of messages) {
      const out = dispatch(this.state, message, ctx);
      if (out.kind === 'answer') answers.push(out.message);
      else if (out.kind === 'running') pending++;
    }
    if (pending === 0) {
      if (answers.length === 0) return { kind: 'empty', status: 202, headers };
      return jsonAnswer(batch ? answers : answers[0], headers);
    }
    // A call runs: its progress and its answer come over SSE, after the answers already known.
    const opened = this.newStream(false);
    stream = opened;
    for (const answer of answers) this.push(opened, answer);
    return this.streamAnswer(opened, drop, null);
  }

  close(): void {
    stopCalls(this.state);
    for (const stream of this.streams.values()) stream.close();
  }
}

export function createMcp(options: McpOptions): Mcp {
  const sessions = new McpSessions(options);
  const shared: McpShared = { options, sessions };
  const legacy = new LegacyTransport(shared);
  const allowed = options.allowedOrigins ?? [];

  /** The session a request names (Mcp-Session-Id), or the 400/404 refusal. */
  function sessionOf(input: McpInput): StreamableSession | McpAnswer {
    const id = input.header('mcp-session-id');
    if (id === undefined) {
      return httpError(400, 'Bad Request: Mcp-Session-Id header is required (start a session with an initialize request, which has none)');
    }
    const session = sessions.get(id, 'streamable') as StreamableSession | undefined;
    if (session === undefined) {
      return httpError(404, `Session not found: ${quote(id)} (ended, idle for ${sessions.idleMs / 1000} s (MCP_SESSION_IDLE_MS), or never made); initialize again`, {}, RPC_ERROR.sessionNotFound);
    }
    const version = input.header('mcp-protocol-version');
    if (version !== undefined && version !== session.state.version) {
      const known = STREAMABLE_VERSIONS.includes(version) ? `is not ${session.state.version}, the revision this session negotiated` : `is not one this server speaks (${STREAMABLE_VERSIONS.join(', ')})`;
      return httpError(400, `Bad Request: MCP-Protocol-Version ${quote(version)} ${known}`);
    }
    return session;
  }

  function initialize(request: RpcRequest): McpAnswer {
    const session = sessions.add((id) => new StreamableSession(id, shared));
    if (session === null) {
      return httpError(503, `every MCP session is busy (MAX_MCP_SESSIONS = ${sessions.max}); try again later`, { 'Retry-After': '5' });
    }
    const out = dispatch(session.state, request, { serverVersion: options.version, timers: options.timers, emit() {}, settled() {}, notify() {} });
    const answer = out.kind === 'answer' ? out.message : null;
    if (session.state.version === null) {
      sessions.end(session.id);
      return jsonAnswer(answer);
    }
    return jsonAnswer(answer, { 'Mcp-Session-Id': session.id });
  }

  async function post(input: McpInput, drop: number | null): Promise<McpAnswer> {
    const accept = input.header('accept');
    if (!accepts(accept, 'application/json') || !accepts(accept, 'text/event-stream')) {
      return httpError(406, `Not Acceptable: a POST to /mcp must accept both application/json and text/event-stream; got ${accept === undefined ? 'no Accept' : quote(accept)}`);
    }
    const type = input.header('content-type');
    if (!isJsonMediaType(type)) return httpError(415, `Unsupported Media Type: send application/json; got ${type === undefined ? 'no content type' : quote(type)}`);
    const body = await input.readBody();
    if (!body.ok) return parseErrorAnswer(body.error);
    const parsed = parseRpcBody(body.value);
    if (!parsed.ok) return { kind: 'json', status: 400, body: parsed.error, headers: {} };
    const init = parsed.messages.find((m): m is RpcRequest => m.kind === 'request' && m.method === 'initialize');
    if (init !== undefined) {
      if (parsed.batch) return httpError(400, 'Invalid Request: initialize must come alone, not in a batch', {}, RPC_ERROR.invalidRequest);
      const id = input.header('mcp-session-id');
      if (id === undefined) return initialize(init);
      if (sessions.get(id, 'streamable') === undefined) return httpError(404, `Session not found: ${quote(id)}; send initialize without Mcp-Session-Id`, {}, RPC_ERROR.sessionNotFound);
      return httpError(400, 'Invalid Request: this session is initialized already; a new session starts with an initialize request without Mcp-Session-Id', {}, RPC_ERROR.invalidRequest);
    }
    const session = sessionOf(input);
    if (!(session instanceof StreamableSession)) return session;
    if (parsed.batch && hasRevision(session.state.version, '2025-06-18')) {
      return httpError(400, `Invalid Request: JSON-RPC batches were removed in revision 2025-06-18, which this session negotiated (${session.state.version}); send one message per POST`, {}, RPC_ERROR.invalidRequest);
    }
    session.touch();
    return session.post(parsed.messages, parsed.batch, drop);
  }

  function get(input: McpInput, drop: number | null): McpAnswer {
    const accept = input.header('accept');
    if (!accepts(accept, 'text/event-stream')) {
      return httpError(406, `Not Acceptable: a GET to /mcp opens an SSE stream: send Accept: text/event-stream; got ${accept === undefined ? 'no Accept' : quote(accept)}`);
    }
    const session = sessionOf(input);
    if (!(session instanceof StreamableSession)) return session;
    session.touch();
    const lastEventId = input.header('last-event-id');
    if (lastEventId !== undefined) {
      const id = parseEventId(lastEventId);
      const stream = id === null ? undefined : session.streams.get(id.stream);
      if (id === null || stream === undefined || id.n > stream.last) {
        return httpError(400, `Bad Request: Last-Event-ID ${quote(lastEventId)} is not an event of a stream this session keeps (ids are <stream>-<n>)`);
      }
      // Everything of that stream was delivered, the answer included: nothing to resume.
      if (stream.finished && id.n >= stream.last) return { kind: 'empty', status: 204, headers: { 'Mcp-Session-Id': session.id } };
      return session.streamAnswer(stream, drop, id.n);
    }
    session.standalone ??= session.newStream(true);
    if (session.standalone.attached) {
      return httpError(409, 'Conflict: this session has its GET stream open already (one per session; resume a dropped one with Last-Event-ID)');
    }
    return session.streamAnswer(session.standalone, drop, null);
  }

  async function handleMcp(input: McpInput): Promise<McpAnswer> {
    const drop = parseDrop(input.query);
    if (!drop.ok) return httpError(400, drop.error);
    switch (input.method) {
      case 'POST':
        return post(input, drop.value);
      case 'GET':
        return get(input, drop.value);
      case 'DELETE': {
        const session = sessionOf(input);
        if (!(session instanceof StreamableSession)) return session;
        sessions.end(session.id);
        return { kind: 'empty', status: 204, headers: {} };
      }
      default:
        return httpError(405, `${input.method} is not allowed on /mcp; use POST, GET or DELETE`, { Allow: 'GET, POST, DELETE' });
    }
  }

  return {
    async handle(pathname, input) {
      const refused = checkMcpOrigin(input.header('origin'), input.host, allowed);
      if (refused !== null) return refused;
      if (pathname === MCP_PATHS.mcp) return handleMcp(input);
      if (pathname === MCP_PATHS.sse) return legacy.open(input);
      if (pathname === MCP_PATHS.messages) return legacy.post(input);
      return httpError(404, `no MCP endpoint ${pathname}: Streamable HTTP is ${MCP_PATHS.mcp}; the deprecated HTTP+SSE transport is GET ${MCP_PATHS.sse} + POST ${MCP_PATHS.messages}`);
    },
    stats() {
      let connections = 0;
      let runningCalls = 0;
      for (const session of sessions.values()) {
        const s = session.stats();
        connections += s.connections;
        runningCalls += s.runningCalls;
      }
      return { sessions: sessions.size, connections, runningCalls };
    },
    close() {
      sessions.closeAll();
    },
  };
}

