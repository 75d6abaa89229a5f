/**
 * Mock mode has no HTTP exchange to record: a service worker sees the request (without the headers
 * the browser adds later, such as Host and Connection) and MSW's WebSocket mock replaces the socket
 * before any handshake. These are what the live server would have received and answered, built from
 * what the mock knows, and flagged `simulated`.
 */
import type { Handshake, HttpHead } from '../protocol/stream-log.ts';
import { utf8Length } from '../protocol/utf8.ts';
import { websocketAccept } from '../protocol/websocket-wire.ts';

function head(line: string, headers: [string, string][]): HttpHead {
  let bytes = utf8Length(line) + 4;
  for (const [name, value] of headers) bytes += utf8Length(name) + utf8Length(value) + 4;
  return { line, headers, bytes };
}

function requestHead(request: Request): HttpHead {
  const url = new URL(request.url);
  const headers: [string, string][] = [['Host', url.host]];
  request.headers.forEach((value, name) => headers.push([name, value]));
  return head(`${request.method} ${url.pathname}${url.search} HTTP/1.1`, headers);
}

const sseResponse = (): HttpHead =>
  head('HTTP/1.1 200 OK', [
    ['Content-Type', 'text/event-stream; charset=utf-8'],
    ['Cache-Control', 'no-cache, no-transform'],
    ['Transfer-Encoding', 'chunked'],
  ]);

export function simulatedSseHandshake(request: Request, requestBody?: string): Handshake {
  const handshake: Handshake = { request: requestHead(request), response: sseResponse(), simulated: true };
  if (requestBody !== undefined) handshake.requestBody = requestBody.slice(0, 2048);
  return handshake;
}

/** A WebSocket handshake with a fresh random key and the accept a server must answer for it. */
export async function simulatedWebSocketHandshake(url: URL, origin: string): Promise<Handshake> {
  const nonce = new Uint8Array(16);
  crypto.getRandomValues(nonce);
  const key = btoa(String.fromCharCode(...nonce));
  const httpUrl = new URL(url);
  return {
    request: head(`GET ${url.pathname}${url.search} HTTP/1.1`, [
      ['Host', httpUrl.host],
      ['Connection', 'Upgrade'],
      ['Upgrade', 'websocket'],
      ['Origin', origin],
      ['Sec-WebSocket-Version', '13'],
      ['Sec-WebSocket-Key', key],
      ['Sec-WebSocket-Extensions', 'permessage-deflate; client_max_window_bits'],
    ]),
    response: head('HTTP/1.1 101 Switching Protocols', [
      ['Upgrade', 'websocket'],
      ['Connection', 'Upgrade'],
      ['Sec-WebSocket-Accept', await websocketAccept(key)],
    ]),
    simulated: true,
  };
}
