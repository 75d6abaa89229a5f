/**
 * A guard in front of a node:http server (or an https / http2 server with allowHTTP1): one request
 * must never end the process, and a request nobody serves must get an answer.
 *
 * It replaces the server's `emit`, so it runs before every 'request' and 'upgrade' listener, those
 * registered before it and those registered later (Vite registers its own at different times in dev
 * and preview).
 *
 * Every request and upgrade:
 *   - the request target must be origin-form (`/…`, and parse as a URL path), `*` for OPTIONS, or an
 *     absolute-form http(s)/ws(s) URL that parses; its path must be valid percent-encoding → else 400;
 *   - `Host` (and an absolute-form target's authority) must pass `hostAllowed` → else 403 (DNS
 *     rebinding: the page of a rebound name is same-origin, only Host still names it);
 *   - a Range header RFC 9110 calls invalid (`bytes=10-5`) is dropped: a server must then ignore it,
 *     and Vite's static server would throw on it.
 * Requests: the listeners run inside try/catch; a synchronous throw answers a JSON 400/500 without a
 * stack (or destroys the connection if the answer had begun).
 * Upgrades: anything but `Upgrade: websocket` (curl --http2 sends `Upgrade: h2c` on every URL) is
 * served as a plain HTTP/1.1 request, ignoring the Upgrade; a WebSocket upgrade goes to the listeners
 * only when a claim says one of them answers it, otherwise it gets 404 at once rather than hanging.
 */
import type { EventEmitter } from 'node:events';
import { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { hostAllowed, hostnameOf, type AllowedHosts } from './origin-policy.ts';

/** True when a listener on the server will answer this WebSocket upgrade. */
export type UpgradeClaim = (req: IncomingMessage, url: URL) => boolean;

export interface HttpGuardOptions {
  /** As Vite's `server.allowedHosts` / `preview.allowedHosts` (`true`: any host). */
  allowedHosts: AllowedHosts;
  /** Said in a 403 after "To allow it, …", e.g. "add it to preview.allowedHosts in vite.config.ts". */
  allowHostHint?: string;
  /** WebSocket upgrades some listener answers; every other one gets 404. */
  claims?: readonly UpgradeClaim[];
  /** Said in the 404 for an unclaimed WebSocket upgrade, e.g. "the lab's WebSocket is /api/ws". */
  unclaimedHint?: string;
  /** One line per listener that threw (default console.error). */
  log?: (line: string) => void;
}

export interface HttpGuard {
  /** Adds a claim: WebSocket upgrades it accepts go to the server's 'upgrade' listeners. */
  claim(claim: UpgradeClaim): void;
}

export type TargetVerdict = { ok: true; url: URL | null } | { ok: false; error: string };

const BASE = 'http://target.invalid';
const ABSOLUTE = /^(https?|wss?):\/\//i;
/** Longest piece of a request (a path, a host) quoted back in an error or a log line. */
const QUOTE_MAX = 120;

function quote(text: string): string {
  return JSON.stringify(text.length > QUOTE_MAX ? `${text.slice(0, QUOTE_MAX)}…` : text);
}

/**
 * The request target of an HTTP/1.1 request line (RFC 9112 §3.2), for a server that is not a proxy:
 * `url` is null for `OPTIONS *`.
 */
export function checkTarget(method: string | undefined, target: string | undefined): TargetVerdict {
  if (target === undefined || target === '') return { ok: false, error: 'the request has no target' };
  if (target === '*') {
    return method === 'OPTIONS' ? { ok: true, url: null } : { ok: false, error: 'the target * is only for OPTIONS' };
  }
  let url: URL;
  try {
    if (target.startsWith('/')) url = new URL(target, BASE);
    else if (ABSOLUTE.test(target)) url = new URL(target);
    else return { ok: false, error: `the request target ${quote(target)} is neither a path (/…) nor an http(s) URL` };
  } catch {
    return { ok: false, error: `the request target ${quote(target)} is not a valid URL` };
  }
  try {
    decodeURIComponent(url.pathname);
  } catch {
    return { ok: false, error: `the path ${quote(url.pathname)} has malformed percent-encoding` };
  }
  return { ok: true, url };
}

/** A Range header a server may act on (RFC 9110 §14.1.1): `bytes=` and ranges whose last ≥ first. */
export function validRange(value: string): boolean {
  const match = /^bytes=(.+)$/i.exec(value.trim());
  if (!match) return false;
  return match[1].split(',').every((spec) => {
    const range = /^\s*(\d*)-(\d*)\s*$/.exec(spec);
    if (!range || (range[1] === '' && range[2] === '')) return false;
    return range[1] === '' || range[2] === '' || Number(range[2]) >= Number(range[1]);
  });
}

/** One log line for an error: its name, code and message (bounded) and where it was thrown. */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return `non-error thrown: ${quote(String(err)).replace(/[\r\n]+/g, ' ')}`;
  const code = (err as { code?: unknown }).code;
  const message = err.message.replace(/\s+/g, ' ');
  const where = err.stack
    ?.split('\n')
    .find((line) => line.trimStart().startsWith('at '))
    ?.trim();
  return `${err.name}${typeof code === 'string' ? ` [${code.slice(0, 40)}]` : ''}: ${
    message.length > 200 ? `${message.slice(0, 200)}…` : message
  }${where ? ` (${where.slice(0, 200)})` : ''}`;
}

/** What both node:http and http2-compat responses offer. */
interface AnyResponse {
  readonly headersSent: boolean;
  getHeaderNames(): string[];
  removeHeader(name: string): void;
  writeHead(status: number, headers: Record<string, string | number>): unknown;
  end(body: string): unknown;
  destroy(): unknown;
}

/** What both node:http and http2-compat requests offer. */
interface AnyRequest {
  readonly method?: string;
  readonly url?: string;
  readonly httpVersionMajor: number;
  readonly headers: Record<string, string | string[] | undefined>;
}

function hostOf(req: AnyRequest): string | undefined {
  const host = req.headers.host ?? req.headers[':authority'];
  return Array.isArray(host) ? host.join(',') : host;
}

function sendJson(req: AnyRequest, res: AnyResponse, status: number, error: string): void {
  const body = JSON.stringify({ error });
  // What an earlier handler set (Content-Range, ETag, Content-Length…) is not about this answer.
  for (const name of res.getHeaderNames()) res.removeHeader(name);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    // A connection that carried a bad request is not reused (not an HTTP/2 header).
    ...(req.httpVersionMajor < 2 ? { Connection: 'close' } : {}),
  });
  res.end(body);
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  500: 'Internal Server Error',
};

/** Answers an upgrade request (a raw socket) with an HTTP error and a JSON reason, then closes. */
export function refuseUpgrade(socket: Duplex, status: number, error: string): void {
  if (socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify({ error });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: application/json; charset=utf-8\r\n' +
      'Cache-Control: no-store\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n` +
      body,
  );
}

const GUARDS = new WeakMap<EventEmitter, HttpGuard>();

/** Installs the guard on `server` (once: a second call adds its claims to the first guard). */
export function guardHttpServer(server: EventEmitter, options: HttpGuardOptions): HttpGuard {
  const installed = GUARDS.get(server);
  if (installed) {
    for (const claim of options.claims ?? []) installed.claim(claim);
    return installed;
  }
  const claims: UpgradeClaim[] = [...(options.claims ?? [])];
  const log = options.log ?? ((line: string) => console.error(line));
  const allowHostHint = options.allowHostHint ?? 'add it to allowedHosts';
  const emit = server.emit;
  const dispatch = (event: string | symbol, ...args: unknown[]): boolean => emit.call(server, event, ...args);

  /** Why this request is refused (target, Host), or null. */
  function refusal(req: AnyRequest): { status: number; error: string } | null {
    const target = checkTarget(req.method, req.url);
    if (!target.ok) return { status: 400, error: target.error };
    // An absolute-form target names the host too (RFC 9112 §3.2.2 even prefers it to Host): both must pass.
    const hosts = [hostOf(req), target.url && ABSOLUTE.test(req.url ?? '') ? target.url.host : undefined];
    for (const host of hosts) {
      if (host === undefined || hostAllowed(host, options.allowedHosts)) continue;
      const name = hostnameOf(host) ?? host;
      return {
        status: 403,
        error: `Host ${quote(name)} is not allowed: this server only answers the names it is configured for (DNS rebinding protection). To allow it, ${allowHostHint}.`,
      };
    }
    return null;
  }

  function onRequest(event: string, req: AnyRequest, res: AnyResponse): boolean {
    const refused = refusal(req);
    if (refused) {
      sendJson(req, res, refused.status, refused.error);
      return true;
    }
    const range = req.headers.range;
    if (typeof range === 'string' && !validRange(range)) delete req.headers.range;
    try {
      return dispatch(event, req, res);
    } catch (err) {
      log(`[http-guard] ${req.method ?? '?'} request listener threw: ${describeError(err)}`);
      if (res.headersSent) res.destroy();
      else if (err instanceof URIError || (err as { code?: unknown }).code === 'ERR_INVALID_URL') {
        sendJson(req, res, 400, 'the request could not be parsed');
      } else sendJson(req, res, 500, 'internal server error');
      return true;
    }
  }

  /** An upgrade the server does not take (h2c, …): answered as the HTTP/1.1 request it also is. */
  function serveAsRequest(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (req.headers['transfer-encoding'] !== undefined) {
      refuseUpgrade(socket, 400, 'a request with an Upgrade header must send its body with Content-Length');
      return;
    }
    const length = Number(req.headers['content-length'] ?? 0);
    // node:http ended `req` with an empty body (an upgrade has none): the body, if any, is in `head`
    // and the socket, so a request with a body gets a new IncomingMessage fed from them.
    const request = length > 0 ? requestWithBody(req, socket, head, length) : req;
    if (length <= 0 && head.length > 0) socket.unshift(head);
    const res = new ServerResponse(request);
    res.shouldKeepAlive = false;
    res.assignSocket(socket as Socket);
    res.on('finish', () => {
      res.detachSocket(socket as Socket);
      (socket as Socket).destroySoon();
      process.nextTick(() => res.emit('close'));
    });
    if (length > 0 && /100-continue/i.test(req.headers.expect ?? '')) res.writeContinue();
    onRequest('request', request, res);
  }

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    // A reset while the answer is written must not become an unhandled 'error'.
    socket.on('error', () => socket.destroy());
    const refused = refusal(req);
    if (refused) {
      refuseUpgrade(socket, refused.status, refused.error);
      return true;
    }
    const protocols = (req.headers.upgrade ?? '').toLowerCase().split(',').map((p) => p.trim());
    if (!protocols.includes('websocket')) {
      serveAsRequest(req, socket, head);
      return true;
    }
    const url = new URL(req.url ?? '/', BASE);
    let claimed: boolean;
    try {
      claimed = claims.some((claim) => claim(req, url));
    } catch (err) {
      log(`[http-guard] an upgrade claim threw: ${describeError(err)}`);
      claimed = false;
    }
    if (!claimed) {
      const hint = options.unclaimedHint ? ` (${options.unclaimedHint})` : '';
      refuseUpgrade(socket, 404, `no WebSocket endpoint at ${quote(url.pathname)}${hint}`);
      return true;
    }
    try {
      return dispatch('upgrade', req, socket, head);
    } catch (err) {
      log(`[http-guard] upgrade listener threw: ${describeError(err)}`);
      const untouched = (socket as Socket).bytesWritten === 0 && socket.writableLength === 0;
      if (untouched) refuseUpgrade(socket, 500, 'internal server error');
      else socket.destroy();
      return true;
    }
  }

  server.emit = function guardedEmit(event: string | symbol, ...args: unknown[]): boolean {
    switch (event) {
      case 'request':
      case 'checkContinue':
      case 'checkExpectation':
        return onRequest(event, args[0] as AnyRequest, args[1] as AnyResponse);
      case 'upgrade':
        return onUpgrade(args[0] as IncomingMessage, args[1] as Duplex, args[2] as Buffer);
      default:
        return dispatch(event, ...args);
    }
  } as typeof server.emit;
  // node:http treats an upgrade request as a plain request when nobody listens for 'upgrade': with
  // this listener every upgrade comes through the guard, which decides.
  server.on('upgrade', function httpGuardUpgrade() {});

  const guard: HttpGuard = {
    claim(claim) {
      claims.push(claim);
    },
  };
  GUARDS.set(server, guard);
  return guard;
}

/** An IncomingMessage like `req` whose body is the next `length` bytes: `head`, then the socket. */
function requestWithBody(req: IncomingMessage, socket: Duplex, head: Buffer, length: number): IncomingMessage {
  const body = new IncomingMessage(socket as Socket);
  body.method = req.method;
  body.url = req.url;
  body.httpVersion = req.httpVersion;
  body.httpVersionMajor = req.httpVersionMajor;
  body.httpVersionMinor = req.httpVersionMinor;
  body.rawHeaders = req.rawHeaders;
  body.headers = req.headers;
  body.complete = false;
  let remaining = length;
  const feed = (chunk: Buffer) => {
    const part = chunk.subarray(0, remaining);
    remaining -= part.length;
    if (part.length > 0 && !body.push(part)) socket.pause(); // IncomingMessage#_read resumes it.
    if (remaining === 0) {
      socket.off('data', feed);
      body.complete = true;
      body.push(null);
    }
  };
  if (head.length > 0) feed(head);
  if (remaining > 0) {
    socket.on('data', feed);
    socket.once('close', () => {
      if (remaining > 0) body.destroy();
    });
  }
  return body;
}

/**
 * The last handler of a connect app (Vite's middlewares) when nothing else answered: an error answers
 * a JSON status without a stack (connect's own finalhandler prints the stack and absolute paths into
 * the page whenever NODE_ENV is not "production", which `vite preview` does not set).
 */
export function quietFinalHandler(
  req: IncomingMessage,
  res: ServerResponse,
  log: (line: string) => void = (line) => console.error(line),
): (err?: unknown) => void {
  return (err) => {
    if (err === undefined || err === null) {
      if (res.headersSent) return;
      sendJson(req, res, 404, `nothing is served at ${quote((req.url ?? '/').split('?')[0])}`);
      return;
    }
    log(`[http-guard] ${req.method ?? '?'} request failed: ${describeError(err)}`);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const raw = (err as { status?: unknown; statusCode?: unknown }).status ?? (err as { statusCode?: unknown }).statusCode;
    const status = typeof raw === 'number' && raw >= 400 && raw <= 599 ? raw : 500;
    sendJson(req, res, status, status < 500 ? 'the request could not be served' : 'internal server error');
  };
}
