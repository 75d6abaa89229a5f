/**
 * The live endpoints, framework-free: a request handler and an upgrade handler for node:http. The Vite
 * plugin mounts them in `dev` and `preview`; tests mount them on a plain server.
 *
 *   GET /api/info   scenarios, parameters, defaults and ranges
 *   GET /api/sse    text/event-stream; Last-Event-ID (or ?after=N) resumes at N + 1
 *   GET /api/ws     WebSocket; ?after=N resumes at N + 1; {"type":"ping","t":…} → pong
 *   GET /api/stats  counters the tests and the page can read
 *   POST /api/stream  text/event-stream for a POST with a JSON body (what LLM APIs do); Bearer auth
 *   POST /api/faults  inject a fault: drop, outage (reset | 503), HTTP error on the next SSE request
 *   POST /api/auth    require a bearer token on /api/stream, or not
 *   GET /api/runs     a run's streams: handshake, bytes per frame, when and why each stopped (from=N: from record N on)
 *   GET /api/memory   server memory per open SSE stream and per WebSocket (a child process connects)
 *   POST /v1/chat/completions, /v1/responses, /v1/messages   OpenAI- and Anthropic-compatible (the official SDKs)
 *   POST|GET|DELETE /mcp   MCP Streamable HTTP (initialize, tools count/echo, progress over SSE, resume)
 *   GET /sse, POST /sse/messages   MCP's deprecated HTTP+SSE transport (2024-11-05)
 *
 * WebSocket upgrades from an Origin other than the server's own host get 403 (see origin-policy.ts).
 *
 * Everything the server decides (parsing, admission, limits, faults, auth, chat, polling, the run
 * log, counters) is the backend core's, in src/backend/, which the mock can share; this file
 * composes it with the node:http + `ws` adapter in ./live/ and routes requests to it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { createBackend } from '../backend/backend.ts';
import type { LabServerStats } from '../backend/counters.ts';
import { isMcpPath } from '../backend/mcp.ts';
import { API, CONTROL_PATHS, routeRequest } from '../backend/routes.ts';
import { checkControlRequest } from './control-policy.ts';
import { socketIds, type LiveContext } from './live/context.ts';
import { serveAuth, serveChat, serveFaults, serveMemory, serveRuns } from './live/control.ts';
import { createMcpAdapter } from './live/mcp.ts';
import { parseTarget, refuseUnlessJson, rejectUpgrade, sendJson, sendRefusal } from './live/http-io.ts';
import { servePoll } from './live/poll.ts';
import { serveProvider } from './live/provider-stream.ts';
import { serveAgentPost, serveSse, serveStreamPost } from './live/sse-stream.ts';
import { createWsAdapter } from './live/ws-stream.ts';

export type { LabServerStats } from '../backend/counters.ts';

export interface LabServerOptions {
  version?: string;
  /** `retry:` sent to EventSource when the request names none, in ms. */
  retryMs?: number;
  /** A comment is written to an SSE stream that has been silent this long. */
  heartbeatMs?: number;
  /** A WebSocket whose send buffer holds more than this pauses its player. */
  wsHighWaterMark?: number;
  /** When set, POST /api/stream needs `Authorization: Bearer <token>` (POST /api/auth changes it). */
  token?: string | null;
  /** A polled stream nobody has polled for this long is stopped and forgotten. */
  pollIdleMs?: number;
  /** Origins allowed to open a WebSocket besides the server's own host (LAB_ALLOWED_ORIGINS). */
  allowedOrigins?: readonly string[];
  /**
   * The highest `rate` a ticker or binary stream may ask for, in msg/s (LAB_MAX_RATE; default 20000,
   * from 1000 to 1000000). Enforced on every stream endpoint and published in /api/info.
   */
  maxRate?: number;
  /** Streams open at once from one client address (default MAX_STREAMS_PER_ADDRESS). */
  maxStreamsPerAddress?: number;
  /** Streams open at once, all clients (default MAX_STREAMS_TOTAL). */
  maxStreamsTotal?: number;
  /** Polled streams playing at once (default MAX_POLL_SESSIONS). */
  maxPollSessions?: number;
  /** Time after a memory measurement before the next may start (default MEMORY_PROBE_COOLDOWN_MS). */
  memoryProbeCooldownMs?: number;
}

export interface LabServer {
  /** Handles `/api/*`, `/v1/*`, `/mcp` and `/sse*`; returns false for anything else so the host can serve it. */
  handleRequest(req: IncomingMessage, res: ServerResponse): boolean;
  /** Handles the upgrade for `/api/ws`; returns false for any other path (leave it to e.g. Vite HMR). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  stats(): LabServerStats;
  close(): void;
}

export function createLabServer(options: LabServerOptions = {}): LabServer {
  const { allowedOrigins = [], wsHighWaterMark = 1 << 20, ...backendOptions } = options;
  const backend = createBackend({
    ...backendOptions,
    // The frame budget comes back after the I/O pending now: setImmediate runs after the poll phase.
    defer: (fn) => setImmediate(fn),
  });
  const ctx: LiveContext = {
    backend,
    allowedOrigins,
    wsHighWaterMark,
    socketId: socketIds(),
  };
  const ws = createWsAdapter(ctx);
  const mcp = createMcpAdapter(ctx);

  function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): void {
    if (CONTROL_PATHS.has(url.pathname)) {
      // Endpoints that change the server or cost it: only the lab's own page (control-policy.ts).
      const verdict = checkControlRequest(req.headers, ctx.allowedOrigins);
      if (!verdict.ok) {
        backend.counters.forbiddenControl++;
        sendJson(res, 403, { error: verdict.reason });
        req.resume();
        return;
      }
    }
    const route = routeRequest(req.method, url.pathname);
    if (route.kind === 'refuse') {
      sendRefusal(res, route);
      return;
    }
    if (route.json && refuseUnlessJson(req, res)) return;
    switch (route.endpoint) {
      case 'faults':
        return serveFaults(ctx, req, res);
      case 'stream':
        return serveStreamPost(ctx, req, res);
      case 'agent':
        return serveAgentPost(ctx, req, res);
      case 'chat':
        return serveChat(ctx, req, res);
      case 'auth':
        return serveAuth(ctx, req, res);
      case 'info':
        return sendJson(res, 200, backend.info());
      case 'stats':
        return sendJson(res, 200, backend.counters);
      case 'poll':
        return servePoll(ctx, req, res, url);
      case 'memory':
        return serveMemory(ctx, req, res, url);
      case 'runs':
        return serveRuns(ctx, res, url);
      case 'sse':
        return serveSse(ctx, req, res, url);
    }
  }

  return {
    handleRequest(req, res) {
      const url = parseTarget(req.url);
      if (url === null) {
        // Nobody can serve a target that is not a URL (e.g. `http://[/`).
        res.setHeader('Connection', 'close');
        sendJson(res, 400, { error: 'the request target is not a valid URL' });
        req.resume();
        return true;
      }
      if (url.pathname.startsWith('/v1/')) {
        // The provider-compatible endpoints the official SDKs call (backend/provider.ts).
        serveProvider(ctx, req, res, url);
        return true;
      }
      if (isMcpPath(url.pathname)) {
        // MCP: Streamable HTTP (/mcp) and the deprecated HTTP+SSE transport (/sse) (backend/mcp.ts).
        mcp.handle(req, res, url);
        return true;
      }
      if (!url.pathname.startsWith('/api/')) return false;
      handleApi(req, res, url);
      return true;
    },

    handleUpgrade(req, socket, head) {
      const url = parseTarget(req.url);
      if (url === null) {
        rejectUpgrade(socket, 400, 'Bad Request', 'the request target is not a valid URL');
        return true;
      }
      if (url.pathname !== API.ws) return false;
      ws.handleUpgrade(req, socket, head, url);
      return true;
    },

    stats() {
      return backend.stats();
    },

    close() {
      backend.close();
      ws.close();
      mcp.close();
    },
  };
}
