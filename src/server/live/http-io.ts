/**
 * node:http plumbing for the live adapter: JSON answers, body reading within a limit, upgrade
 * refusals, the request's target, address and head size. No lab decisions here (see src/backend/).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Refusal } from '../../backend/routes.ts';
import { isJsonMediaType, parseJsonBounded, quote } from '../../protocol/json-guard.ts';
import type { ParseResult } from '../../protocol/scenarios.ts';
import type { HttpHead } from '../../protocol/stream-log.ts';
import { headFromLines } from '../wire-record.ts';

/** The request target as a URL, or null when it is not one (e.g. `http://[/`): never throws. */
export function parseTarget(raw: string | undefined): URL | null {
  try {
    return new URL(raw ?? '/', 'http://lab.invalid');
  } catch {
    return null;
  }
}

/** The client's address, for the per-address stream limit. */
export function clientAddress(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}

/** A header that may come more than once, as one value (the first). */
export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

/** A refusal the backend decided: its headers, its status and `{error}`. */
export function sendRefusal(res: ServerResponse, { status, error, headers }: Refusal): void {
  for (const [name, value] of Object.entries(headers ?? {})) res.setHeader(name, value);
  sendJson(res, status, { error });
}

/** 415 with a JSON reason unless the body is application/json; true when it answered. */
export function refuseUnlessJson(req: IncomingMessage, res: ServerResponse): boolean {
  const type = req.headers['content-type'];
  if (isJsonMediaType(type)) return false;
  sendJson(res, 415, { error: `send the request as application/json; got ${type ? quote(type) : 'no content type'}` });
  req.resume();
  return true;
}

/** Answers an upgrade request with an HTTP error and a JSON reason; returns what it wrote. */
export function rejectUpgrade(socket: Duplex, status: number, reason: string, error: string): { response: HttpHead; body: string } {
  const body = JSON.stringify({ error });
  const head =
    `HTTP/1.1 ${status} ${reason}\r\n` +
    'Connection: close\r\n' +
    'Content-Type: application/json; charset=utf-8\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
  socket.end(head + body);
  return { response: headFromLines(head.split('\r\n')), body };
}

export type JsonBody = ParseResult<unknown> & { text?: string };

/** A JSON body within `limit` bytes and MAX_JSON_DEPTH levels; `text` is what came, for the records. */
export function readJsonBody(req: IncomingMessage, limit: number): Promise<JsonBody> {
  return new Promise((resolve) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      if (size > limit) return; // Already refused: the rest is discarded.
      size += chunk.length;
      if (size > limit) {
        // Not req.destroy(): that destroys the socket, and the client gets a reset instead of the 400.
        // The answer carries Connection: close, so the rest of a large body is not read for long.
        chunks.length = 0;
        resolve({ ok: false, error: `the body must be at most ${limit} bytes` });
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > limit) return;
      const text = Buffer.concat(chunks).toString('utf8');
      resolve({ ...parseJsonBounded(text), text });
    });
    req.on('error', () => resolve({ ok: false, error: 'the request body could not be read' }));
  });
}

/**
 * Reads a JSON body and hands it on when it came whole and parsed; otherwise answers the 400 itself
 * (with Connection: close when part of a too-large body is still unread, rather than read it all).
 */
export function withJsonBody(
  req: IncomingMessage,
  res: ServerResponse,
  limit: number,
  then: (value: unknown, text: string | undefined) => void,
): void {
  void readJsonBody(req, limit).then((body) => {
    if (!body.ok) {
      if (!req.complete) res.setHeader('Connection', 'close');
      sendJson(res, 400, { error: body.error });
      return;
    }
    then(body.value, body.text);
  });
}

/** Bytes of the request line and headers as they came over the wire (HTTP/1.1). */
export function requestHeadBytes(req: IncomingMessage): number {
  let bytes = Buffer.byteLength(`${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/${req.httpVersion}\r\n`) + 2;
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    bytes += Buffer.byteLength(req.rawHeaders[i]) + 2 + Buffer.byteLength(req.rawHeaders[i + 1]) + 2;
  }
  return bytes;
}

/**
 * How long an injected cut waits after the last bytes it lets through have been handed to the socket.
 * Chromium drops the bytes of a read that ends in a broken chunked body: cut at once, and a burst
 * written just before it (a replay, the last frame) never reaches the page, although Node's fetch
 * sees it. A real network cut also loses what is in flight; the lab's cut is "after N messages", so
 * it lets the N reach the client first.
 */
export const CUT_GRACE_MS = 25;

/** Cuts the connection abruptly (no chunked terminator), CUT_GRACE_MS after the last write left. */
export function cutSocket(socket: Duplex): void {
  setTimeout(() => socket.destroy(), CUT_GRACE_MS).unref();
}
