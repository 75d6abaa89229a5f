/**
 * The SSE endpoints on node:http: GET /api/sse (EventSource) and POST /api/stream (a JSON body read
 * with fetch, behind an optional bearer token). Parsing, admission and the stream's bookkeeping are
 * the backend's; this writes the bytes, the heartbeat and the cuts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Admission } from '../../backend/admission.ts';
import { WRONG_CONTENT_TYPE_BODY } from '../../backend/admission.ts';
import { sseDoneEvent, sseFrameWriter, sseReplyEvent } from '../../backend/frame-writers.ts';
import { playServed } from '../../backend/served-player.ts';
import { parseStreamPost, parseStreamQuery, type StreamRequest } from '../../backend/stream-request.ts';
import { agentTurnHeaders, decideAgentTurn } from '../../backend/agent.ts';
import { MAX_AGENT_BODY_BYTES, MAX_REPLY_BACKLOG_BYTES, MAX_STREAM_BODY_BYTES } from '../../protocol/limits.ts';
import type { Player } from '../../protocol/player.ts';
import { encodeSseComment, encodeSseRetry } from '../../protocol/sse-encoding.ts';
import { bytesCounter, sseHandshake } from '../wire-record.ts';
import type { LiveContext } from './context.ts';
import { clientAddress, cutSocket, headerValue, refuseUnlessJson, requestHeadBytes, sendJson, sendRefusal, withJsonBody } from './http-io.ts';

/** GET /api/sse */
export function serveSse(ctx: LiveContext, req: IncomingMessage, res: ServerResponse, url: URL): void {
  const lastEventId = headerValue(req.headers['last-event-id']);
  const parsed = parseStreamQuery(url.searchParams, lastEventId, ctx.backend.catalogue.scenarios);
  if (!parsed.ok) {
    sendJson(res, 400, { error: parsed.error });
    return;
  }
  streamSse(ctx, req, res, parsed.value, 'sse');
}

/** What every streaming POST checks first: the bearer token (when the server asks for one), then a JSON body. True when refused (answered). */
function refusedStreamPost(ctx: LiveContext, req: IncomingMessage, res: ServerResponse): boolean {
  const unauthorized = ctx.backend.auth.checkStream(req.headers.authorization);
  if (unauthorized !== null) {
    sendRefusal(res, unauthorized);
    req.resume();
    return true;
  }
  return refuseUnlessJson(req, res);
}

/** POST /api/stream: the same stream for a JSON body, behind an optional bearer token. */
export function serveStreamPost(ctx: LiveContext, req: IncomingMessage, res: ServerResponse): void {
  if (refusedStreamPost(ctx, req, res)) return;
  withJsonBody(req, res, MAX_STREAM_BODY_BYTES, (body, text) => {
    const lastEventId = headerValue(req.headers['last-event-id']);
    const parsed = parseStreamPost(body, text, lastEventId, ctx.backend.catalogue.scenarios);
    if (!parsed.ok) {
      sendJson(res, 400, { error: parsed.error });
      return;
    }
    streamSse(ctx, req, res, parsed.value, 'fetch');
  });
}

/**
 * POST /api/agent: one agent turn (fetch + SSE), decided by the backend, answered with its step as an
 * SSE stream. The server's own account of the request rides in headers the page reads: the connection
 * it came on (`x-lab-connection`) and its bytes as received (`x-lab-request-bytes`: head + body).
 */
export function serveAgentPost(ctx: LiveContext, req: IncomingMessage, res: ServerResponse): void {
  if (refusedStreamPost(ctx, req, res)) return;
  const head = requestHeadBytes(req);
  const connection = ctx.socketId(req.socket);
  withJsonBody(req, res, MAX_AGENT_BODY_BYTES, (body, text) => {
    const { backend } = ctx;
    const turn = decideAgentTurn(body, text, backend.catalogue.scenarios, backend.agents, Date.now());
    if (!turn.ok) {
      sendJson(res, turn.status, { error: turn.error });
      return;
    }
    streamSse(ctx, req, res, turn.value.request, 'fetch', {
      ...agentTurnHeaders(turn.value),
      'x-lab-connection': String(connection),
      'x-lab-request-bytes': String(head + Buffer.byteLength(text ?? '')),
    });
  });
}

/** Writes a stream that admission turned away; false for `open` (nothing written). */
function answerRefused(req: IncomingMessage, res: ServerResponse, admission: Admission): boolean {
  switch (admission.kind) {
    case 'open':
      return false;
    case 'reset':
      // As when the server is down: the connection is cut before any answer.
      req.socket.destroy();
      return true;
    case 'empty':
    case 'done-already':
      // done-already: everything was delivered. 204 tells EventSource to stop reconnecting (WHATWG HTML).
      res.writeHead(204, { 'Cache-Control': 'no-store' });
      res.end();
      return true;
    case 'wrong-content-type':
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(WRONG_CONTENT_TYPE_BODY);
      return true;
    case 'error':
      sendRefusal(res, admission);
      return true;
  }
}

function streamSse(
  ctx: LiveContext,
  req: IncomingMessage,
  res: ServerResponse,
  request: StreamRequest,
  kind: 'sse' | 'fetch',
  extraHeaders: Record<string, string> = {},
): void {
  const { backend } = ctx;
  const { counters, timers } = backend;
  const { after, options: streamOptions, run, format } = request;
  const address = clientAddress(req);
  if (answerRefused(req, res, backend.admit(kind, request, address))) return;

  const headers: Record<string, string> = {
    ...extraHeaders,
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    'X-Accel-Buffering': 'no',
  };
  if (req.httpVersionMajor < 2) headers.Connection = 'keep-alive';
  // CORS: a page from a listed origin may read the stream; any other foreign page gets no
  // Access-Control-Allow-Origin, and its browser withholds the response (the request still arrives).
  const origin = req.headers.origin;
  if (origin !== undefined && ctx.allowedOrigins.includes(origin.toLowerCase())) {
    headers['Access-Control-Allow-Origin'] = origin;
    headers.Vary = 'Origin';
  }
  res.writeHead(200, headers);
  if (req.method === 'HEAD') {
    // Headers only: Node drops body writes on HEAD, so a stream would never flush them and its
    // player would run until the client gave up.
    res.end();
    return;
  }
  req.socket.setNoDelay(true);

  let heartbeat: unknown = null;
  let player: Player | null = null;
  const stream = backend.streams.open({
    transport: kind,
    run,
    after,
    address,
    options: streamOptions,
    connection: {
      stop() {
        player?.stop();
        if (heartbeat !== null) timers.clearTimeout(heartbeat);
        heartbeat = null;
      },
      // Abrupt: the socket goes, no chunked terminator, so the browser sees a network error.
      cut: () => cutSocket(req.socket),
      close: () => res.destroy(),
      reply(message) {
        if (stream.ended || res.writableEnded) return;
        if (res.writableLength > MAX_REPLY_BACKLOG_BYTES) {
          // The client does not read: close it rather than buffer its answers without bound.
          stream.dropSlowReader();
          return;
        }
        write(sseReplyEvent(message));
      },
    },
  });
  let lastWrite = Date.now();
  const write = (chunk: string, onFlushed?: () => void): boolean => {
    if (stream.ended) {
      counters.writesAfterClose++;
      return true;
    }
    lastWrite = Date.now();
    return onFlushed ? res.write(chunk, onFlushed) : res.write(chunk);
  };
  const armHeartbeat = () => {
    heartbeat = timers.setTimeout(() => {
      heartbeat = null;
      if (stream.ended) return;
      if (Date.now() - lastWrite >= backend.heartbeatMs - 5) write(encodeSseComment('heartbeat'));
      armHeartbeat();
    }, backend.heartbeatMs);
  };

  write(encodeSseRetry(request.retrySet ? streamOptions.retry : backend.retryMs));
  stream.record.handshake = sseHandshake(req, res, request.body);
  stream.record.client = request.client;
  player = playServed({
    served: stream,
    request,
    timers,
    budget: backend.budget,
    encode: sseFrameWriter(format),
    write,
    writeLast(chunk, drop) {
      // The N-th frame is the last on this connection. Cut once it has left: the response is
      // corked until the next tick, so destroying the socket now would discard it (and frames
      // written earlier in the same tick), and the client would see fewer than N.
      write(chunk, drop);
    },
    socketBytes: bytesCounter(req.socket, req.httpVersionMajor >= 2),
    // What the response holds in the server (its own buffer and the socket's), after each frame.
    buffered: () => res.writableLength,
    onDone(lastSeq) {
      const done = sseDoneEvent(lastSeq, format);
      if (done !== null) write(done);
      res.end();
      // Nothing may be written after end(): a heartbeat due before 'close' (a slow client still
      // taking the last bytes) would raise ERR_STREAM_WRITE_AFTER_END and crash the host.
      if (heartbeat !== null) timers.clearTimeout(heartbeat);
      heartbeat = null;
    },
  });
  res.on('drain', () => player?.resume());
  armHeartbeat();
  stream.armFlaky();
  // The client went away (closed the EventSource, aborted the fetch): that is its cancel.
  res.on('close', () => stream.end());
}
