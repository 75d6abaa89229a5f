/**
 * What the live server records of each stream's opening exchange, as it went over the wire, and
 * the bytes it writes per frame. Node-only helpers for lab-server.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Handshake, HttpHead } from '../protocol/stream-log.ts';

function pairs(raw: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i], raw[i + 1]]);
  return out;
}

function headBytes(line: string, headers: readonly [string, string][]): number {
  let bytes = Buffer.byteLength(line) + 2 + 2;
  for (const [name, value] of headers) bytes += Buffer.byteLength(name) + 2 + Buffer.byteLength(value) + 2;
  return bytes;
}

/** The request line and headers as received (HTTP/2 pseudo-headers shown as they came). */
export function requestHead(req: IncomingMessage): HttpHead {
  const line = `${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/${req.httpVersion}`;
  const headers = pairs(req.rawHeaders);
  return { line, headers, bytes: headBytes(line, headers) };
}

/** Parses a head written as text: "HTTP/1.1 200 OK\r\nName: value\r\n…\r\n\r\n" or its lines. */
export function headFromLines(lines: readonly string[]): HttpHead {
  const [line = '', ...rest] = lines.filter((l) => l !== '');
  const headers = rest.map((l): [string, string] => {
    const colon = l.indexOf(':');
    return colon < 0 ? [l, ''] : [l.slice(0, colon), l.slice(colon + 1).trim()];
  });
  return { line, headers, bytes: headBytes(line, headers) };
}

/**
 * The status line and headers a response really sent. Over HTTP/1.1 Node keeps the head it wrote
 * (`_header`, with the Date and Transfer-Encoding it added); over HTTP/2 there is no text head, so
 * the headers it set are listed under a `:status` line.
 */
export function responseHead(res: ServerResponse): HttpHead {
  const written = (res as unknown as { _header?: unknown })._header;
  if (typeof written === 'string' && written.length > 0) return headFromLines(written.split('\r\n'));
  const headers = Object.entries(res.getHeaders()).map(([name, value]): [string, string] => [
    name,
    Array.isArray(value) ? value.join(', ') : String(value),
  ]);
  const line = `:status ${res.statusCode}`;
  return { line, headers, bytes: headBytes(line, headers) };
}

export function sseHandshake(req: IncomingMessage, res: ServerResponse, requestBody?: string): Handshake {
  const handshake: Handshake = { request: requestHead(req), response: responseHead(res), simulated: false };
  if (requestBody !== undefined) handshake.requestBody = requestBody.slice(0, 2048);
  return handshake;
}

/** The socket's running count of bytes handed to it, when it is a TCP socket of its own. */
export function bytesCounter(socket: Duplex | Socket, shared: boolean): (() => number) | null {
  if (shared || !('bytesWritten' in socket)) return null;
  const tcp = socket as Socket;
  return () => tcp.bytesWritten;
}
