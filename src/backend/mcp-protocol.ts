/**
 * What an MCP session answers, whatever carries it (Streamable HTTP at /mcp, HTTP+SSE at /sse):
 * `initialize` (version negotiation), `notifications/initialized`, `ping`, `tools/list`, `tools/call`
 * (count, echo: mcp-tools.ts), `logging/setLevel`, `notifications/cancelled`. Pure apart from the
 * injected timers; the transport says where a call's messages go.
 *
 * Revisions (newest first) and what the lab does differently for each:
 *   2025-11-25  a tool's input errors are tool execution errors (isError); SSE streams start with a
 *               priming event (mcp.ts)
 *   2025-06-18  structured tool output (outputSchema, structuredContent); no JSON-RPC batches (mcp.ts)
 *   2025-03-26  progress notifications carry a `message`; batches allowed
 *   2024-11-05  the HTTP+SSE transport's revision (/sse)
 */
import { quote } from '../protocol/json-guard.ts';
import { MAX_MCP_RUNNING_CALLS } from '../protocol/limits.ts';
import type { Timers } from '../protocol/player.ts';
import { hasRevision } from './mcp-http.ts';
import { idKey, rpcError, rpcNotification, rpcResult, RPC_ERROR, type RpcMessage, type RpcRequest } from './mcp-jsonrpc.ts';
import { parseToolCall, progressTokenOf, runCount, toolError, toolList, toolResult } from './mcp-tools.ts';

export { hasRevision, LEGACY_VERSION, STREAMABLE_VERSIONS } from './mcp-http.ts';

const LOG_LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'];

export interface SessionState {
  /** The revisions this transport speaks, newest first. */
  readonly versions: readonly string[];
  /** Negotiated by initialize; null before. */
  version: string | null;
  /** notifications/initialized came. */
  initialized: boolean;
  logLevel: string;
  /** Running `count` calls by request id: stop() ends the steps, cancel() also settles the request unanswered. */
  readonly calls: Map<string, { stop(): void; cancel(): void }>;
}

export function newSessionState(versions: readonly string[]): SessionState {
  return { versions, version: null, initialized: false, logLevel: 'info', calls: new Map() };
}

export interface DispatchContext {
  serverVersion: string;
  timers: Timers;
  /** A running call's messages (its progress, then its answer): on the request's stream. */
  emit(message: unknown): void;
  /** The request is settled (answered, or cancelled): its stream may finish. */
  settled(): void;
  /** A message about no request in progress: on the session's GET stream. */
  notify(message: unknown): void;
}

export type Dispatched =
  /** The answer, at once. */
  | { kind: 'answer'; message: unknown }
  /** A call now runs: its messages go through `emit`, then `settled`. */
  | { kind: 'running' }
  /** Nothing to answer (a notification, a client's response). */
  | { kind: 'none' };

const answer = (message: unknown): Dispatched => ({ kind: 'answer', message });

/** The result of an initialize request, or its error; negotiates the revision. */
function initialize(state: SessionState, request: RpcRequest, serverVersion: string): Dispatched {
  if (state.version !== null) {
    return answer(rpcError(request.id, RPC_ERROR.invalidRequest, 'this session is initialized already; a new session starts with an initialize request of its own'));
  }
  const requested = request.params.protocolVersion;
  if (typeof requested !== 'string') {
    return answer(rpcError(request.id, RPC_ERROR.invalidParams, `initialize needs params.protocolVersion (a string); got ${quote(requested)}`));
  }
  // The requested revision if the transport speaks it, otherwise its newest (the client decides).
  const version = state.versions.includes(requested) ? requested : state.versions[0];
  state.version = version;
  return answer(
    rpcResult(request.id, {
      protocolVersion: version,
      capabilities: { tools: { listChanged: false }, logging: {} },
      serverInfo: { name: 'sse-vs-websocket-lab', version: serverVersion },
      instructions: 'Call "count" for progress notifications over SSE, "echo" for a plain JSON answer.',
    }),
  );
}

function callTool(state: SessionState, request: RpcRequest, ctx: DispatchContext): Dispatched {
  const parsed = parseToolCall(request.params);
  if (!parsed.ok) {
    if (parsed.kind === 'input' && hasRevision(state.version, '2025-11-25')) return answer(rpcResult(request.id, toolError(parsed.message)));
    return answer(rpcError(request.id, RPC_ERROR.invalidParams, parsed.message));
  }
  const structured = hasRevision(state.version, '2025-06-18');
  const { call } = parsed;
  if (call.tool === 'echo') return answer(rpcResult(request.id, toolResult(structured, call.text, { text: call.text })));
  const key = idKey(request.id);
  if (state.calls.has(key)) return answer(rpcError(request.id, RPC_ERROR.invalidRequest, `request id ${quote(request.id)} is running already`));
  if (state.calls.size >= MAX_MCP_RUNNING_CALLS) {
    return answer(rpcError(request.id, RPC_ERROR.server, `at most ${MAX_MCP_RUNNING_CALLS} calls run at once in a session (MAX_MCP_RUNNING_CALLS)`));
  }
  const run = runCount({
    steps: call.steps,
    intervalMs: call.intervalMs,
    progressToken: progressTokenOf(request.params),
    progressMessage: hasRevision(state.version, '2025-03-26'),
    timers: ctx.timers,
    emit: ctx.emit,
    done() {
      state.calls.delete(key);
      ctx.emit(rpcResult(request.id, toolResult(structured, `counted to ${call.steps}`, { counted: call.steps })));
      ctx.settled();
      if (LOG_LEVELS.indexOf(state.logLevel) <= LOG_LEVELS.indexOf('info')) {
        ctx.notify(rpcNotification('notifications/message', { level: 'info', logger: 'lab', data: `count finished: ${call.steps} steps (request ${String(request.id)})` }));
      }
    },
  });
  state.calls.set(key, {
    stop: () => run.stop(),
    cancel() {
      run.stop();
      state.calls.delete(key);
      ctx.settled();
    },
  });
  return { kind: 'running' };
}

/** One message of an initialized (or initializing) session → what to answer. */
export function dispatch(state: SessionState, message: RpcMessage, ctx: DispatchContext): Dispatched {
  if (message.kind === 'response') return { kind: 'none' };
  if (message.kind === 'notification') {
    if (message.method === 'notifications/initialized') state.initialized = true;
    if (message.method === 'notifications/cancelled') {
      const { requestId } = message.params;
      if (typeof requestId === 'string' || typeof requestId === 'number') state.calls.get(idKey(requestId))?.cancel();
    }
    return { kind: 'none' };
  }
  if (message.method === 'initialize') return initialize(state, message, ctx.serverVersion);
  if (message.method === 'ping') return answer(rpcResult(message.id, {}));
  if (state.version === null) {
    return answer(rpcError(message.id, RPC_ERROR.invalidRequest, `${quote(message.method)} before initialize: send initialize first`));
  }
  switch (message.method) {
    case 'tools/list':
      return answer(rpcResult(message.id, { tools: toolList(hasRevision(state.version, '2025-06-18')) }));
    case 'tools/call':
      return callTool(state, message, ctx);
    case 'logging/setLevel': {
      const { level } = message.params;
      if (typeof level !== 'string' || !LOG_LEVELS.includes(level)) {
        return answer(rpcError(message.id, RPC_ERROR.invalidParams, `level must be one of ${LOG_LEVELS.join(', ')}; got ${quote(level)}`));
      }
      state.logLevel = level;
      return answer(rpcResult(message.id, {}));
    }
    default:
      return answer(rpcError(message.id, RPC_ERROR.methodNotFound, `Method not found: ${quote(message.method)}`));
  }
}

/** The session ends: every running call stops (nothing more is sent). */
export function stopCalls(state: SessionState): void {
  for (const call of state.calls.values()) call.stop();
  state.calls.clear();
}
