/**
 * POST /v1/chat/completions and POST /v1/messages on node:http. What to answer is the backend's
 * (src/backend/provider.ts); this reads the body, writes the answer, and owns the stream's socket.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decideProvider, playProvider, PROVIDER_SSE_HEADERS, routeProvider, type ProviderAnswer, type ProviderCall } from '../../backend/provider.ts';
import { MAX_STREAM_BODY_BYTES } from '../../protocol/limits.ts';
import type { Player } from '../../protocol/player.ts';
import { sseHandshake } from '../wire-record.ts';
import type { LiveContext } from './context.ts';
import { clientAddress, cutSocket, headerValue, readJsonBody } from './http-io.ts';

function answer(req: IncomingMessage, res: ServerResponse, reply: Exclude<ProviderAnswer, { kind: 'stream' }>): void {
  if (reply.kind === 'reset') {
    req.socket.destroy();
    return;
  }
  const text = reply.kind === 'json' ? JSON.stringify(reply.body) : reply.text;
  const type = reply.kind === 'json' ? { 'Content-Type': 'application/json; charset=utf-8' } : {};
  if (!req.complete) res.setHeader('Connection', 'close');
  res.writeHead(reply.status, { 'Cache-Control': 'no-store', ...type, ...reply.headers, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function serveProvider(ctx: LiveContext, req: IncomingMessage, res: ServerResponse, url: URL): void {
  const route = routeProvider(req.method, url.pathname);
  if (!route.ok) {
    req.resume();
    answer(req, res, route.answer as Exclude<ProviderAnswer, { kind: 'stream' }>);
    return;
  }
  void readJsonBody(req, MAX_STREAM_BODY_BYTES).then((body) => {
    const reply = decideProvider(ctx.backend, route.api, {
      header: (name) => headerValue(req.headers[name]),
      body,
      address: clientAddress(req),
    });
    if (reply.kind === 'stream') stream(ctx, req, res, reply.call, body.text);
    else answer(req, res, reply);
  });
}

function stream(ctx: LiveContext, req: IncomingMessage, res: ServerResponse, call: ProviderCall, body: string | undefined): void {
  const { backend } = ctx;
  res.writeHead(200, { ...PROVIDER_SSE_HEADERS, Connection: 'keep-alive' });
  req.socket.setNoDelay(true);
  let player: Player | null = null;
  const served = backend.streams.open({
    transport: 'fetch',
    run: call.request.run,
    after: 0,
    address: clientAddress(req),
    options: call.request.options,
    connection: {
      stop: () => player?.stop(),
      // Abrupt: no chunked terminator, so the client sees the body fail mid-answer.
      cut: () => cutSocket(req.socket),
      close: () => res.destroy(),
    },
  });
  const write = (text: string, onFlushed?: () => void): boolean => {
    if (served.ended) {
      backend.counters.writesAfterClose++;
      return true;
    }
    return onFlushed ? res.write(text, onFlushed) : res.write(text);
  };
  served.record.handshake = sseHandshake(req, res, body);
  player = playProvider(backend, call, served, {
    write: (text) => write(text),
    // The cut comes once the last text has left (the response is corked until the next tick).
    writeLast: (text, drop) => write(text, drop),
    end: () => res.end(),
  });
  res.on('drain', () => player?.resume());
  served.armFlaky();
  res.on('close', () => served.end());
}
