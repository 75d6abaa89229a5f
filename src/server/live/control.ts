/**
 * The control endpoints on node:http: POST /api/faults, /api/auth, /api/chat and GET /api/memory,
 * /api/runs. The caller has checked where the request came from, its method and (for the POSTs
 * but /api/stream) its JSON content type; the decisions are the backend's.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AuthState } from '../../backend/auth.ts';
import { answerSideChannel } from '../../backend/chat.ts';
import { memoryConnectionsSpec, parseRunsQuery, runLogPage } from '../../backend/control.ts';
import { parseFault } from '../../protocol/faults.ts';
import { MAX_CONTROL_BODY_BYTES } from '../../protocol/limits.ts';
import { parseParam } from '../../protocol/scenarios.ts';
import { measureMemory, type ProbeKind } from '../memory-probe.ts';
import type { LiveContext } from './context.ts';
import { requestHeadBytes, sendJson, sendRefusal, withJsonBody } from './http-io.ts';

/** POST /api/faults */
export function serveFaults(ctx: LiveContext, req: IncomingMessage, res: ServerResponse): void {
  withJsonBody(req, res, MAX_CONTROL_BODY_BYTES, (body) => {
    const fault = parseFault(body);
    if (!fault.ok) {
      sendJson(res, 400, { error: fault.error });
      return;
    }
    sendJson(res, 200, ctx.backend.applyFault(fault.value));
  });
}

/** POST /api/auth: set or clear the token of POST /api/stream. */
export function serveAuth(ctx: LiveContext, req: IncomingMessage, res: ServerResponse): void {
  const { auth } = ctx.backend;
  const unauthorized = auth.checkChange(req.headers.authorization);
  if (unauthorized !== null) {
    sendRefusal(res, unauthorized);
    req.resume();
    return;
  }
  withJsonBody(req, res, MAX_CONTROL_BODY_BYTES, (body) => {
    const next = AuthState.parseChange(body);
    if (!next.ok) {
      sendJson(res, 400, { error: next.error });
      return;
    }
    sendJson(res, 200, auth.set(next.value));
  });
}

/** POST /api/chat: the SSE lanes' way to talk back while their stream runs. */
export function serveChat(ctx: LiveContext, req: IncomingMessage, res: ServerResponse): void {
  const head = requestHeadBytes(req);
  const connection = ctx.socketId(req.socket);
  withJsonBody(req, res, MAX_CONTROL_BODY_BYTES, (body, text) => {
    const delivery = answerSideChannel(ctx.backend.streams, ctx.backend.counters, body);
    if (delivery.status !== 202) {
      sendJson(res, delivery.status, { error: delivery.error });
      return;
    }
    const bodyBytes = Buffer.byteLength(text ?? '');
    sendJson(res, 202, { delivered: delivery.delivered, requestBytes: head + bodyBytes, connection });
  });
}

/** GET /api/runs?run=<id>[&from=<record id>] */
export function serveRuns(ctx: LiveContext, res: ServerResponse, url: URL): void {
  const query = parseRunsQuery(url.searchParams);
  if (!query.ok) {
    sendJson(res, 400, { error: query.error });
    return;
  }
  sendJson(res, 200, runLogPage(ctx.backend.log, query.value));
}

/** GET /api/memory?n=200: memory per open SSE stream and per WebSocket, measured now. */
export function serveMemory(ctx: LiveContext, req: IncomingMessage, res: ServerResponse, url: URL): void {
  const { memory, counters } = ctx.backend;
  const n = parseParam(memoryConnectionsSpec, url.searchParams.get('n') ?? undefined);
  if (!n.ok) {
    sendJson(res, 400, { error: n.error });
    return;
  }
  const refused = memory.begin(Date.now());
  if (refused !== null) {
    sendRefusal(res, refused);
    return;
  }
  const local = req.socket;
  const target = {
    host: local.localAddress ?? '127.0.0.1',
    port: local.localPort ?? 0,
    secure: 'encrypted' in local && local.encrypted === true,
    openNow: (kind: ProbeKind) => counters.open[kind],
  };
  const run = `memory-${Date.now()}`;
  void (async () => {
    try {
      const sse = await measureMemory('sse', n.value, target, run);
      const ws = await measureMemory('ws', n.value, target, run);
      sendJson(res, 200, { connections: n.value, sse, ws });
    } catch (error) {
      sendJson(res, 500, { error: `memory measurement failed: ${error instanceof Error ? error.message : String(error)}` });
    } finally {
      memory.end(Date.now());
    }
  })();
}
