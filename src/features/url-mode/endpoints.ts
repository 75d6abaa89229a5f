/**
 * URL mode: the lab's lanes against someone else's endpoints. Pure: the endpoints as the page holds
 * them, how they travel in the link, and what is wrong with them before anything is sent.
 *
 * The link (`mode=url&sse=…&ws=…`) carries everything that reproduces a run — both URLs, the fetch
 * lane's method, headers and body, the WebSocket's messages on open, EventSource's event names and the
 * field mapping — except headers that look like credentials (`Authorization`, `Cookie`, any name with
 * token, key, secret, auth, session or password in it). Those stay in the tab: a link gets pasted into
 * chats and issues. The URLs themselves go into the link as typed, so a key in a query string travels
 * with them (the form says so).
 */
import { defaultMapping, pathError, type FieldMapping } from '../../protocol/foreign-frame.ts';
import type { TransportKind } from '../../transports/transport.ts';

export interface UrlEndpoints {
  /** The SSE endpoint (EventSource and fetch + SSE); '' leaves both SSE lanes out. */
  sse: string;
  /** The WebSocket endpoint; '' leaves the WebSocket lane out. */
  ws: string;
  /** fetch + SSE: the request's method. */
  method: FetchMethod;
  /** fetch + SSE: request headers, one `Name: value` a line (secret ones included: never in the link). */
  headers: string;
  /** fetch + SSE: the request body, sent as typed (not with GET). */
  body: string;
  /** WebSocket: text messages sent once the socket opens, one a line. */
  wsSend: string;
  /** EventSource: named events (`event: x`) to listen to besides unnamed ones, comma-separated. */
  events: string;
  mapping: FieldMapping;
}

export const fetchMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type FetchMethod = (typeof fetchMethods)[number];

export const emptyEndpoints: UrlEndpoints = {
  sse: '',
  ws: '',
  method: 'GET',
  headers: '',
  body: '',
  wsSend: '',
  events: '',
  mapping: { ...defaultMapping },
};

/** The URL parameters of URL mode (besides `mode=url`). */
const P = { sse: 'sse', ws: 'ws', method: 'method', header: 'header', body: 'body', wsSend: 'wsSend', events: 'events', seq: 'seqPath', t: 'tPath' } as const;

/** A header name that carries credentials: kept in the tab, never written to a link or a run file. */
export function isSecretHeader(name: string): boolean {
  const n = name.trim().toLowerCase();
  return n === 'authorization' || n === 'proxy-authorization' || n === 'cookie' || /token|secret|key|auth|session|password/.test(n);
}

/** Header lines, secret ones left out. */
export function shareableHeaderLines(headers: string): string[] {
  return headerLines(headers).filter((line) => !isSecretHeader(line.slice(0, Math.max(0, line.indexOf(':')))));
}

function headerLines(headers: string): string[] {
  return headers
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

export function readEndpoints(q: URLSearchParams): UrlEndpoints {
  const method = (q.get(P.method) ?? 'GET').toUpperCase();
  const mapping = { seq: q.get(P.seq) ?? defaultMapping.seq, t: q.get(P.t) ?? defaultMapping.t };
  return {
    sse: q.get(P.sse) ?? '',
    ws: q.get(P.ws) ?? '',
    method: fetchMethods.includes(method as FetchMethod) ? (method as FetchMethod) : 'GET',
    // Read as they come: a hand-made link may name a secret header, which then lives in this tab only.
    headers: q.getAll(P.header).join('\n'),
    body: q.get(P.body) ?? '',
    wsSend: q.getAll(P.wsSend).join('\n'),
    events: q.get(P.events) ?? '',
    mapping,
  };
}

/** Appends the endpoints to a link's query; defaults and empty fields are left out. */
export function writeEndpoints(q: URLSearchParams, e: UrlEndpoints): void {
  if (e.sse) q.set(P.sse, e.sse);
  if (e.ws) q.set(P.ws, e.ws);
  if (e.method !== 'GET') q.set(P.method, e.method);
  for (const line of shareableHeaderLines(e.headers)) q.append(P.header, line);
  if (e.body !== '') q.set(P.body, e.body);
  for (const line of e.wsSend.split(/\r?\n/)) if (line.trim() !== '') q.append(P.wsSend, line);
  if (e.events.trim() !== '') q.set(P.events, e.events.trim());
  if (e.mapping.seq !== defaultMapping.seq) q.set(P.seq, e.mapping.seq);
  if (e.mapping.t !== defaultMapping.t) q.set(P.t, e.mapping.t);
}

/** Names of the secret headers typed (what the form says stays out of the link). */
export function secretHeaderNames(headers: string): string[] {
  return headerLines(headers)
    .map((line) => line.slice(0, Math.max(0, line.indexOf(':'))).trim())
    .filter((name) => name !== '' && isSecretHeader(name));
}

/** Header names a page cannot set: fetch drops them without a word (Fetch standard, "forbidden request-header"). */
const FORBIDDEN = new Set([
  'accept-charset',
  'accept-encoding',
  'access-control-request-headers',
  'access-control-request-method',
  'connection',
  'content-length',
  'cookie',
  'cookie2',
  'date',
  'dnt',
  'expect',
  'host',
  'keep-alive',
  'origin',
  'referer',
  'set-cookie',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'via',
]);

function isForbiddenHeader(name: string): boolean {
  const n = name.toLowerCase();
  return FORBIDDEN.has(n) || n.startsWith('proxy-') || n.startsWith('sec-');
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** What is wrong with one field, as a code and its values (worded by the form). */
export type EndpointProblem =
  | { code: 'url.none' }
  | { code: 'url.invalid'; url: string }
  | { code: 'url.sseScheme'; scheme: string }
  | { code: 'url.wsScheme'; scheme: string; suggestion: string | null }
  | { code: 'url.mixed'; url: string; suggestion: string }
  | { code: 'url.credentials' }
  | { code: 'headers.line'; line: string }
  | { code: 'headers.forbidden'; name: string }
  | { code: 'body.withGet' }
  | { code: 'path.invalid'; path: string };

export type EndpointField = 'sse' | 'ws' | 'headers' | 'body' | 'seq' | 't';

export function parseHeaders(text: string): { ok: true; headers: [string, string][] } | { ok: false; problem: EndpointProblem } {
  const headers: [string, string][] = [];
  for (const line of headerLines(text)) {
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : '';
    if (!TOKEN.test(name)) return { ok: false, problem: { code: 'headers.line', line: line.length > 40 ? `${line.slice(0, 40)}…` : line } };
    if (isForbiddenHeader(name)) return { ok: false, problem: { code: 'headers.forbidden', name } };
    headers.push([name, line.slice(colon + 1).trim()]);
  }
  return { ok: true, headers };
}

/** True for a host the browser trusts like https even over http: loopback (localhost, 127/8, ::1). */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(h) || h === '[::1]' || h === '::1';
}

/**
 * Mixed content: a page served over https may not open http: or ws: URLs (browsers block them before
 * any request leaves), except on loopback, which Chromium and Firefox treat as secure. Null when the
 * URL may be opened from a page of `pageProtocol`; else the secure URL to try.
 */
export function mixedContent(pageProtocol: string, url: URL): string | null {
  if (pageProtocol !== 'https:') return null;
  if (url.protocol !== 'http:' && url.protocol !== 'ws:') return null;
  if (isLoopbackHost(url.hostname)) return null;
  const secure = new URL(url.href);
  secure.protocol = url.protocol === 'http:' ? 'https:' : 'wss:';
  return secure.href;
}

function checkUrl(raw: string, field: 'sse' | 'ws', pageProtocol: string): EndpointProblem | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { code: 'url.invalid', url: raw.length > 60 ? `${raw.slice(0, 60)}…` : raw };
  }
  if (field === 'sse' && url.protocol !== 'http:' && url.protocol !== 'https:') return { code: 'url.sseScheme', scheme: url.protocol };
  if (field === 'ws' && url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    const twin = url.protocol === 'http:' || url.protocol === 'https:' ? new URL(url.href) : null;
    if (twin) twin.protocol = url.protocol === 'http:' ? 'ws:' : 'wss:';
    return { code: 'url.wsScheme', scheme: url.protocol, suggestion: twin ? twin.href : null };
  }
  // fetch() refuses such a URL outright, EventSource too; WebSocket ignores the credentials.
  if (url.username !== '' || url.password !== '') return { code: 'url.credentials' };
  const secure = mixedContent(pageProtocol, url);
  if (secure !== null) return { code: 'url.mixed', url: url.href, suggestion: secure };
  return null;
}

/** Every problem of the endpoints, by field; empty when a run can start. */
export function checkEndpoints(e: UrlEndpoints, pageProtocol: string): Partial<Record<EndpointField | 'urls', EndpointProblem>> {
  const problems: Partial<Record<EndpointField | 'urls', EndpointProblem>> = {};
  if (e.sse.trim() === '' && e.ws.trim() === '') problems.urls = { code: 'url.none' };
  if (e.sse.trim() !== '') {
    const p = checkUrl(e.sse, 'sse', pageProtocol);
    if (p) problems.sse = p;
  }
  if (e.ws.trim() !== '') {
    const p = checkUrl(e.ws, 'ws', pageProtocol);
    if (p) problems.ws = p;
  }
  const headers = parseHeaders(e.headers);
  if (!headers.ok) problems.headers = headers.problem;
  if (e.method === 'GET' && e.body !== '') problems.body = { code: 'body.withGet' };
  if (pathError(e.mapping.seq) !== null) problems.seq = { code: 'path.invalid', path: e.mapping.seq };
  if (pathError(e.mapping.t) !== null) problems.t = { code: 'path.invalid', path: e.mapping.t };
  return problems;
}

/** The lanes a URL-mode run has: the ones picked that have a URL (polling needs the lab's own server). */
export function urlModeLanes(picked: readonly TransportKind[], e: Pick<UrlEndpoints, 'sse' | 'ws'>): TransportKind[] {
  return picked.filter((kind) =>
    kind === 'websocket' ? e.ws.trim() !== '' : kind === 'eventsource' || kind === 'fetch-sse' ? e.sse.trim() !== '' : false,
  );
}

/** What the run's transports get: the endpoints parsed. */
export interface UrlRunEndpoints {
  sse: string;
  ws: string;
  method: FetchMethod;
  headers: [string, string][];
  body: string | null;
  wsSend: string[];
  events: string[];
  mapping: FieldMapping;
}

/** The endpoints as a run uses them; call after `checkEndpoints` found nothing. */
export function runEndpoints(e: UrlEndpoints): UrlRunEndpoints {
  const headers = parseHeaders(e.headers);
  return {
    sse: e.sse.trim(),
    ws: e.ws.trim(),
    method: e.method,
    headers: headers.ok ? headers.headers : [],
    body: e.method === 'GET' || e.body === '' ? null : e.body,
    wsSend: e.wsSend.split(/\r?\n/).filter((line) => line.trim() !== ''),
    events: e.events
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== '' && name !== 'message'),
    mapping: { seq: e.mapping.seq.trim(), t: e.mapping.t.trim() },
  };
}
