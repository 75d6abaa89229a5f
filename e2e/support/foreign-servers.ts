/**
 * "Someone else's" servers for URL mode's e2e spec (and the README screenshot): plain node:http SSE
 * endpoints and a `ws` WebSocketServer on ports of their own, so the lab's page (another port) is
 * cross-origin to them. Nothing of the lab runs here: these are what a user points URL mode at.
 *
 * SSE, on the server made with `cors: true` (Access-Control-Allow-Origin: *) or `cors: false`:
 * - /stamped  {"seq":n,"t":<epoch ms>,"text":…}: the lab's own field names, the default mapping
 * - /nested   {"data":{"id":n},"meta":{"sentAt":<epoch ms>}}: needs seqPath=data.id&tPath=meta.sentAt
 * - /plain    "tick n": no JSON, no seq, no t
 * - /named    like /stamped, as named events (`event: update`): EventSource's onmessage never sees them
 * - /json     200 application/json: not an event stream
 * - /missing  404
 * Every stream is endless (one event every `everyMs`) until the client goes. OPTIONS (a preflight)
 * is answered with Access-Control-Allow-Origin and -Methods but no -Headers: a custom header fails it.
 *
 * WebSocket: the same paths /stamped, /nested, /plain; a socket streams only after it got a
 * `{"op":"subscribe"}` message (so "send on open" is what starts it), or at once with ?eager=1.
 * /close sends three frames, then closes with ?code= (default 4001) and the reason "bye".
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface ForeignServers {
  /** http://127.0.0.1:port of the SSE server with CORS. */
  sse: string;
  /** http://127.0.0.1:port of the SSE server without CORS headers. */
  sseNoCors: string;
  /** ws://127.0.0.1:port of the WebSocket server. */
  ws: string;
  /** ws://127.0.0.1:port where nothing listens. */
  wsRefused: string;
  close(): Promise<void>;
}

function payload(path: string, seq: number): string {
  const t = Date.now();
  if (path === '/stamped') return JSON.stringify({ seq, t, text: `frame ${seq}` });
  if (path === '/nested') return JSON.stringify({ data: { id: seq, text: `frame ${seq}` }, meta: { sentAt: t } });
  return `tick ${seq}`;
}

function sseHandler(cors: boolean, everyMs: number) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const corsHeaders: Record<string, string> = cors ? { 'access-control-allow-origin': '*' } : {};
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...corsHeaders, 'access-control-allow-methods': 'GET, POST' }).end();
      return;
    }
    if (path === '/json') {
      res.writeHead(200, { ...corsHeaders, 'content-type': 'application/json' }).end('{"hello":"not a stream"}');
      return;
    }
    if (!['/stamped', '/nested', '/plain', '/named'].includes(path)) {
      res.writeHead(404, { ...corsHeaders, 'content-type': 'text/plain' }).end('no such stream');
      return;
    }
    res.writeHead(200, { ...corsHeaders, 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
    res.flushHeaders();
    let seq = 0;
    const timer = setInterval(() => {
      seq++;
      const named = path === '/named';
      res.write(`${named ? 'event: update\n' : ''}id: ${seq}\ndata: ${payload(named ? '/stamped' : path, seq)}\n\n`);
    }, everyMs);
    res.on('close', () => clearInterval(timer));
  };
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

export async function startForeignServers(everyMs = 25): Promise<ForeignServers> {
  const sse = createServer(sseHandler(true, everyMs));
  const sseNoCors = createServer(sseHandler(false, everyMs));
  const wsHttp = createServer((_req, res) => res.writeHead(426, { 'content-type': 'text/plain' }).end('WebSocket only'));
  const wss = new WebSocketServer({ server: wsHttp });
  wss.on('connection', (socket: WebSocket, req: IncomingMessage) => {
    const url = new URL(req.url ?? '/', 'http://x');
    let seq = 0;
    let timer: ReturnType<typeof setInterval> | null = null;
    const stream = () => {
      timer ??= setInterval(() => {
        socket.send(payload(url.pathname, ++seq));
        if (url.pathname === '/close' && seq === 3) socket.close(Number(url.searchParams.get('code') ?? 4001), 'bye');
      }, everyMs);
    };
    if (url.searchParams.get('eager') === '1') stream();
    socket.on('message', (data) => {
      if (String(data).includes('"subscribe"')) stream();
    });
    socket.on('close', () => {
      if (timer) clearInterval(timer);
    });
  });
  // A port that was free a moment ago: nothing listens there.
  const probe = createServer();
  const refusedPort = await listen(probe);
  await closeServer(probe);
  const [ssePort, noCorsPort, wsPort] = await Promise.all([listen(sse), listen(sseNoCors), listen(wsHttp)]);
  return {
    sse: `http://127.0.0.1:${ssePort}`,
    sseNoCors: `http://127.0.0.1:${noCorsPort}`,
    ws: `ws://127.0.0.1:${wsPort}`,
    wsRefused: `ws://127.0.0.1:${refusedPort}`,
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await Promise.all([closeServer(sse), closeServer(sseNoCors), closeServer(wsHttp)]);
    },
  };
}
