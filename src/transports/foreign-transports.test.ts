/**
 * URL mode's transports in Node against "someone else's" servers (bare node:http and `ws`, no lab):
 * messages sent on open, payloads with and without seq/t, a socket that never opens, the fetch lane's
 * request as given and its resume with the last `id:` the server sent.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { defaultMapping } from '../protocol/foreign-frame.ts';
// eslint-disable-next-line no-restricted-imports -- integration test: cleanup helpers shared with the server tests
import { onCleanup, runCleanups } from '../server/test-support.ts';
import { FetchSseTransport } from './fetch-sse-transport.ts';
import type { TransportEvent } from './transport.ts';
import { WebSocketTransport, type WebSocketConstructor } from './websocket-transport.ts';

afterEach(async () => {
  await runCleanups();
});

const waitFor = (check: () => void) => vi.waitFor(check, { timeout: 3_000, interval: 5 });

function record(transport: WebSocketTransport | FetchSseTransport) {
  const events: TransportEvent[] = [];
  transport.subscribe((event) => events.push(event));
  onCleanup(() => transport.close());
  const frames = () => events.flatMap((e) => (e.type === 'frame' ? [e.frame] : []));
  const closes = () => events.flatMap((e) => (e.type === 'closed' ? [e.reason] : []));
  return { events, frames, closes };
}

async function wsServer(onConnection: (socket: WebSocket) => void) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  wss.on('connection', onConnection);
  onCleanup(
    () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  );
  return `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`;
}

async function httpServer(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void) {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => handler(req, body, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onCleanup(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const WebSocketImpl = WebSocket as unknown as WebSocketConstructor;

describe('WebSocketTransport in URL mode', () => {
  it('sends the messages given on open, then takes every message as a frame, mapped where it can', async () => {
    const received: string[] = [];
    const url = await wsServer((socket) => {
      socket.on('message', (data) => {
        received.push(String(data));
        if (received.length === 2) {
          socket.send(JSON.stringify({ data: { id: 5 }, meta: { sentAt: 1_764_000_000_000 } }));
          socket.send('plain text');
          socket.send(Buffer.from([1, 2, 3]));
        }
      });
    });
    const transport = new WebSocketTransport(() => url, {
      WebSocketImpl,
      foreign: { mapping: { seq: 'data.id', t: 'meta.sentAt' }, sendOnOpen: ['{"op":"subscribe"}', 'second'] },
    });
    const t = record(transport);
    transport.connect();
    await waitFor(() => expect(t.frames()).toHaveLength(3));
    expect(received).toEqual(['{"op":"subscribe"}', 'second']);
    expect(t.frames().map((f) => [f.seq, f.t, f.data])).toEqual([
      [5, 1_764_000_000_000, '{"data":{"id":5},"meta":{"sentAt":1764000000000}}'],
      [null, null, 'plain text'],
      [null, null, '<3 bytes of binary>'],
    ]);
    expect(transport.capabilities).toEqual({ cancel: 'close', chat: 'none', rtt: 'none', reconnect: 'backoff' });
    // Nothing of the lab's own protocol goes to someone else's server.
    transport.ping();
    expect(transport.cancel()).toBe('closed');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received).toEqual(['{"op":"subscribe"}', 'second']);
  });

  it('a socket that never opens ends the lane at once with its close, no backoff', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const transport = new WebSocketTransport(() => `ws://127.0.0.1:${port}/`, {
      WebSocketImpl,
      backoff: { baseMs: 10, capMs: 10, maxAttempts: 5 },
      foreign: { mapping: defaultMapping, sendOnOpen: [] },
    });
    const t = record(transport);
    transport.connect();
    await waitFor(() => expect(t.closes()).toHaveLength(1));
    expect(t.closes()[0]).toMatchObject({ kind: 'failed', issue: { code: 'ws.neverOpened', params: { close: { code: 1006 } } } });
    expect(t.events.some((e) => e.type === 'reconnecting')).toBe(false);
  });

  it('after a good connection, a drop reconnects to the same URL and sends the messages again', async () => {
    let connections = 0;
    const received: string[] = [];
    const url = await wsServer((socket) => {
      connections++;
      socket.on('message', (data) => {
        received.push(String(data));
        socket.send(JSON.stringify({ seq: connections, t: Date.now() }));
        if (connections === 1) setTimeout(() => socket.terminate(), 20);
      });
    });
    const transport = new WebSocketTransport(() => url, {
      WebSocketImpl,
      backoff: { baseMs: 10, capMs: 20, maxAttempts: 5 },
      foreign: { mapping: defaultMapping, sendOnOpen: ['hello'] },
    });
    const t = record(transport);
    transport.connect();
    await waitFor(() => expect(t.frames()).toHaveLength(2));
    expect(received).toEqual(['hello', 'hello']);
    expect(t.events.filter((e) => e.type === 'reconnecting')).toHaveLength(1);
  });
});

describe('FetchSseTransport in URL mode', () => {
  it('sends the method, headers and body as given, and the end of the response ends the stream', async () => {
    const seen: { method?: string; headers: IncomingMessage['headers']; body: string }[] = [];
    const url = await httpServer((req, body, res) => {
      seen.push({ method: req.method, headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end('id: a1\ndata: {"seq":7,"t":1764000000000}\n\nevent: delta\ndata: tick\n\n');
    });
    const transport = new FetchSseTransport(`${url}/stream`, {
      body: null,
      headers: { 'X-Trace': '1', 'Content-Type': 'text/plain' },
      foreign: { mapping: defaultMapping, method: 'PUT', body: 'raw body' },
    });
    const t = record(transport);
    transport.connect();
    await waitFor(() => expect(t.closes()).toEqual([{ kind: 'complete' }]));
    expect(seen).toHaveLength(1);
    expect(seen[0].method).toBe('PUT');
    expect(seen[0].body).toBe('raw body');
    expect(seen[0].headers).toMatchObject({ 'x-trace': '1', 'content-type': 'text/plain', accept: 'text/event-stream' });
    expect(seen[0].headers['last-event-id']).toBeUndefined();
    expect(t.frames().map((f) => [f.seq, f.t, f.data])).toEqual([
      [7, 1_764_000_000_000, '{"seq":7,"t":1764000000000}'],
      [null, null, 'tick'],
    ]);
    expect(transport.capabilities.chat).toBe('none');
  });

  it('resumes with the last id: the server sent, not with a seq of its own', async () => {
    const lastIds: (string | undefined)[] = [];
    const url = await httpServer((req, _body, res) => {
      lastIds.push(req.headers['last-event-id'] as string | undefined);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (lastIds.length === 1) {
        // Two events, the second with an id that is no number, then the connection breaks.
        res.write('retry: 10\nid: 1\ndata: {"seq":1}\n\nid: evt-2\ndata: {"seq":2}\n\n');
        setTimeout(() => res.destroy(), 30);
        return;
      }
      res.end('id: evt-3\ndata: {"seq":3}\n\n');
    });
    const transport = new FetchSseTransport(`${url}/s`, {
      body: null,
      resume: true,
      foreign: { mapping: defaultMapping, method: 'GET', body: null },
    });
    const t = record(transport);
    transport.connect();
    await waitFor(() => expect(t.closes()).toEqual([{ kind: 'complete' }]));
    expect(lastIds).toEqual([undefined, 'evt-2']);
    expect(t.frames().map((f) => f.seq)).toEqual([1, 2, 3]);
  });
});
