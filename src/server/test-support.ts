/**
 * Test support for the integration tests: the real lab server on a plain node:http server, an SSE
 * client over fetch and a WebSocket client over the `ws` package. Every client and server registers
 * its teardown; call `runCleanups()` in afterEach. Not imported by the app.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { expect, vi } from 'vitest';
import { parseServerMessage, type DoneMessage, type Frame, type ServerMessage } from '../protocol/frame.ts';
import { decodeBinaryFrame } from '../protocol/binary-frame.ts';
import { createLabServer, type LabServer, type LabServerOptions } from './lab-server.ts';

const cleanups: (() => Promise<void> | void)[] = [];

/** Registers a teardown; they run newest first. */
export function onCleanup(fn: () => Promise<void> | void): void {
  cleanups.push(fn);
}

export async function runCleanups(): Promise<void> {
  while (cleanups.length > 0) await cleanups.pop()?.();
}

export interface Lab {
  lab: LabServer;
  server: Server;
  http: string;
  ws: string;
  /** Every WebSocket upgrade request the server saw, in order: when (Date.now()) and the URL. */
  upgrades: { at: number; url: string }[];
}

export async function startLab(options: LabServerOptions = {}): Promise<Lab> {
  const lab = createLabServer(options);
  const upgrades: Lab['upgrades'] = [];
  const server = createServer((req, res) => {
    if (!lab.handleRequest(req, res)) {
      res.writeHead(418, { 'Content-Type': 'text/plain' });
      res.end('not mine');
    }
  });
  server.on('upgrade', (req: IncomingMessage, socket, head: Buffer) => {
    upgrades.push({ at: Date.now(), url: req.url ?? '' });
    if (!lab.handleUpgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  onCleanup(async () => {
    lab.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { lab, server, http: `http://127.0.0.1:${port}`, ws: `ws://127.0.0.1:${port}`, upgrades };
}

/** Once every client is gone the server holds nothing: no stream, no timer, no stray write. */
export async function expectQuiet(lab: LabServer): Promise<void> {
  await vi.waitFor(
    () => {
      expect(lab.stats()).toMatchObject({ open: { sse: 0, fetch: 0, ws: 0 }, activeTimers: 0 });
    },
    { timeout: 3_000, interval: 10 },
  );
  expect(lab.stats().writesAfterClose).toBe(0);
}

export interface JsonAnswer {
  status: number;
  contentType: string;
  body: unknown;
}

/** POST /api/faults with a raw body (a value is sent as JSON). */
export async function postFault(http: string, body: unknown): Promise<JsonAnswer> {
  const res = await fetch(`${http}/api/faults`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: JSON.parse(text) as unknown };
}

export function errorOf(body: unknown): string {
  if (typeof body === 'object' && body !== null && 'error' in body && typeof body.error === 'string') {
    return body.error;
  }
  throw new Error(`not an error body: ${JSON.stringify(body)}`);
}

export const seqs = (frames: readonly Frame[]): number[] => frames.map((f) => f.seq);
export const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

// ---------------------------------------------------------------------------------------------------
// SSE over fetch, with a parser that follows WHATWG HTML "Interpreting an event stream".

export interface SseEvent {
  type: string;
  data: string;
  id: string;
}

export class SseStream {
  readonly events: SseEvent[] = [];
  /** Every `retry:` value received, in order. */
  readonly retries: number[] = [];
  /** Every comment line (`: text`) received, in order, without the colon and one leading space. */
  readonly comments: string[] = [];
  raw = '';
  ended = false;
  /** The body read rejected (the connection was cut) rather than ending cleanly. */
  failed = false;
  /** Date.now() when the body ended or failed. */
  endedAt = 0;
  private buffer = '';
  private data = '';
  private eventType = '';
  private lastEventId = '';
  private readonly listeners = new Set<() => void>();
  readonly finished: Promise<void>;

  private constructor(
    readonly response: Response,
    private readonly controller: AbortController,
  ) {
    this.finished = this.pump();
  }

  static async open(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
    const controller = new AbortController();
    const response = await fetch(url, { headers: { Accept: 'text/event-stream', ...headers }, signal: controller.signal });
    const stream = new SseStream(response, controller);
    onCleanup(() => stream.abort());
    return stream;
  }

  /** POST a JSON body (POST /api/stream) and read the answer the same way. */
  static async post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<SseStream> {
    const controller = new AbortController();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream', ...headers },
      body: JSON.stringify(body),
      signal: controller.signal,
    });
    const stream = new SseStream(response, controller);
    onCleanup(() => stream.abort());
    return stream;
  }

  get frames(): Frame[] {
    return this.events
      .filter((e) => e.type === 'message')
      .map((e) => parseServerMessage(e.data))
      .filter((m): m is Frame => m !== null && m.type === 'frame');
  }

  get done(): DoneMessage | null {
    const event = this.events.find((e) => e.type === 'done');
    return event ? (JSON.parse(event.data) as DoneMessage) : null;
  }

  /** The id of the last event received: what EventSource would send as Last-Event-ID. */
  get lastId(): string {
    return this.lastEventId;
  }

  abort(): void {
    this.controller.abort();
  }

  /** Resolves once `predicate` holds; rejects if the stream ends first. */
  until(predicate: (s: SseStream) => boolean, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (predicate(this)) {
          this.listeners.delete(check);
          resolve();
        } else if (this.ended) {
          this.listeners.delete(check);
          reject(new Error(`stream ended before ${what}; got ${JSON.stringify(this.raw.slice(-300))}`));
        }
      };
      this.listeners.add(check);
      check();
    });
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private async pump(): Promise<void> {
    const body = this.response.body;
    if (body) {
      const reader = body.getReader();
      const decoder = new TextDecoder();
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          const text = decoder.decode(value, { stream: true });
          this.raw += text;
          this.feed(text);
          this.notify();
        }
      } catch {
        this.failed = true;
      }
    }
    this.ended = true;
    this.endedAt = Date.now();
    this.notify();
  }

  private feed(text: string): void {
    this.buffer += text;
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      if (!match) return;
      if (match[0] === '\r' && match.index === this.buffer.length - 1) return;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      this.line(line);
    }
  }

  private line(line: string): void {
    if (line === '') {
      if (this.data !== '') {
        this.events.push({
          type: this.eventType || 'message',
          data: this.data.endsWith('\n') ? this.data.slice(0, -1) : this.data,
          id: this.lastEventId,
        });
      }
      this.data = '';
      this.eventType = '';
      return;
    }
    if (line.startsWith(':')) {
      this.comments.push(line.slice(1).replace(/^ /, ''));
      return;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') this.eventType = value;
    else if (field === 'data') this.data += `${value}\n`;
    else if (field === 'id' && !value.includes('\0')) this.lastEventId = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.retries.push(Number(value));
  }
}

// ---------------------------------------------------------------------------------------------------
// WebSocket over the `ws` package.

export class WsClient {
  readonly messages: ServerMessage[] = [];
  /** Byte length of every binary message received, in order. */
  readonly binarySizes: number[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  /** Date.now() at the close event. */
  closedAt = 0;
  private readonly listeners = new Set<() => void>();

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data, isBinary) => {
      if (isBinary) {
        // ws hands binary messages over as one Buffer (binaryType "nodebuffer", the default).
        const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
        this.binarySizes.push(bytes.length);
        const decoded = decodeBinaryFrame(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
        if (decoded.ok) this.messages.push(decoded.frame);
      } else {
        const message = parseServerMessage(data.toString());
        if (message) this.messages.push(message);
      }
      this.notify();
    });
    // A cut connection is reported as an error too; the close event carries the code.
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => {
        this.closedAt = Date.now();
        resolve({ code, reason: reason.toString() });
        this.notify();
      });
    });
  }

  /** Opens a socket that must be accepted. */
  static open(url: string, options: { origin?: string } = {}): Promise<WsClient> {
    const socket = new WebSocket(url, options);
    const client = new WsClient(socket);
    onCleanup(() => socket.terminate());
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(client));
      socket.once('close', (code) => reject(new Error(`${url} closed with ${code} before it opened`)));
    });
  }

  get frames(): Frame[] {
    return this.messages.filter((m): m is Frame => m.type === 'frame');
  }

  get done(): DoneMessage | null {
    return this.messages.find((m): m is DoneMessage => m.type === 'done') ?? null;
  }

  until(predicate: (c: WsClient) => boolean, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (predicate(this)) {
          this.listeners.delete(check);
          resolve();
        } else if (this.socket.readyState === WebSocket.CLOSED) {
          this.listeners.delete(check);
          reject(new Error(`socket closed before ${what}; got ${JSON.stringify(this.messages.slice(-3))}`));
        }
      };
      this.listeners.add(check);
      check();
    });
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

export type WsAttempt =
  | { kind: 'open' }
  /** The upgrade was answered with an HTTP status. */
  | { kind: 'refused'; status: number; contentType: string; body: string }
  /** The connection failed without an answer (reset, refused at the socket). */
  | { kind: 'failed'; code: number; errors: number };

/** Tries one upgrade and reports how it went; an opened socket is closed again at once. */
export function wsAttempt(url: string, options: { origin?: string } = {}): Promise<WsAttempt> {
  const socket = new WebSocket(url, options);
  onCleanup(() => socket.terminate());
  let errors = 0;
  return new Promise((resolve) => {
    socket.on('error', () => {
      errors++;
    });
    socket.once('open', () => {
      resolve({ kind: 'open' });
      socket.terminate();
    });
    socket.once('unexpected-response', (_req, res: IncomingMessage) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => {
        resolve({ kind: 'refused', status: res.statusCode ?? 0, contentType: res.headers['content-type'] ?? '', body: text });
        socket.terminate();
      });
    });
    socket.once('close', (code) => resolve({ kind: 'failed', code, errors }));
  });
}
