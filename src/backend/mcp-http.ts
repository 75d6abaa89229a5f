/**
 * What both MCP transports share on the HTTP side: the paths and the revisions, what an adapter
 * hands the core (McpInput) and gets back (McpAnswer), the Origin rule, Accept, `?drop=N`, and
 * errors as JSON-RPC error bodies. Small on purpose: /api/info names the paths and revisions.
 */
import { quote } from '../protocol/json-guard.ts';
import type { ParseResult } from '../protocol/scenarios.ts';
import { rpcError, RPC_ERROR } from './mcp-jsonrpc.ts';
import type { McpSink, SseConnection } from './mcp-stream.ts';

/** The paths: Streamable HTTP's one endpoint, and the HTTP+SSE transport's two. */
export const MCP_PATHS = { mcp: '/mcp', sse: '/sse', messages: '/sse/messages' } as const;

/** Whether a path is the MCP endpoints' (the adapters route these to the core). */
export const isMcpPath = (pathname: string): boolean =>
  pathname === MCP_PATHS.mcp || pathname === MCP_PATHS.sse || pathname.startsWith('/mcp/') || pathname.startsWith('/sse/');

/** The revisions /mcp speaks, newest first (each is in the 1.32.2 SDK's SUPPORTED_PROTOCOL_VERSIONS). */
export const STREAMABLE_VERSIONS: readonly string[] = ['2025-11-25', '2025-06-18', '2025-03-26'];
/** The revision of the deprecated HTTP+SSE transport, the one /sse speaks. */
export const LEGACY_VERSION = '2024-11-05';

/** Revision `version` has what `since` brought (revisions are dates: they compare as strings). */
export const hasRevision = (version: string | null, since: string): boolean => version !== null && version >= since;

/** A request as the adapter sees it. */
export interface McpInput {
  method: string;
  /** A request header by lower-case name. */
  header(name: string): string | undefined;
  query: URLSearchParams;
  /** The Host the request was sent to (live: the Host header; mock: the page's host). */
  host: string | undefined;
  /** Reads the body as bounded JSON (parseJsonBounded within MAX_MCP_BODY_BYTES); called at most once. */
  readBody(): Promise<ParseResult<unknown>>;
}

export type McpAnswer =
  | { kind: 'json'; status: number; body: unknown; headers: Record<string, string> }
  /** 202 Accepted, 204 No Content: no body. */
  | { kind: 'empty'; status: number; headers: Record<string, string> }
  /** 200 text/event-stream: the adapter writes the head, then `open` gives the core its sink. */
  | { kind: 'stream'; headers: Record<string, string>; open(sink: McpSink): SseConnection };

export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  'X-Accel-Buffering': 'no',
};

/** An HTTP error whose body is a JSON-RPC error with no id (what the spec allows). */
export function httpError(status: number, message: string, headers: Record<string, string> = {}, code: number = RPC_ERROR.server): McpAnswer {
  return { kind: 'json', status, body: rpcError(null, code, message), headers };
}

/** A JSON answer (a JSON-RPC response, or an array of them for a batch). */
export const jsonAnswer = (body: unknown, headers: Record<string, string> = {}): McpAnswer => ({ kind: 'json', status: 200, body, headers });

/**
 * DNS rebinding and cross-site pages: a request whose Origin is neither the Host it was sent to nor
 * one of LAB_ALLOWED_ORIGINS gets 403 (revision 2025-11-25 names the status). No Origin: not a
 * browser (curl, Node, the SDKs), let through; the Host itself is checked in front of everything.
 */
export function checkMcpOrigin(origin: string | undefined, host: string | undefined, allowed: readonly string[]): McpAnswer | null {
  if (origin === undefined) return null;
  const normalised = origin.trim().toLowerCase();
  if (allowed.includes(normalised)) return null;
  let originHost: string | null = null;
  try {
    originHost = normalised === 'null' ? null : new URL(normalised).host;
  } catch {
    originHost = null;
  }
  if (originHost !== null && host !== undefined && originHost === host.trim().toLowerCase()) return null;
  return httpError(
    403,
    `Origin ${quote(origin)} refused: the MCP endpoints answer pages from their own host (or LAB_ALLOWED_ORIGINS) and clients that send no Origin`,
  );
}

/** True when an Accept header lists `type` (or a range covering it) with a non-zero q. */
export function accepts(header: string | undefined, type: string): boolean {
  if (header === undefined) return false;
  const [major] = type.split('/');
  return header.split(',').some((part) => {
    const [range, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    if (q !== undefined && Number(q.slice(2)) === 0) return false;
    return range === type || range === `${major}/*` || range === '*/*';
  });
}

/** `?drop=N`: cut each SSE connection of this request after N messages (an injected drop). */
export function parseDrop(query: URLSearchParams): ParseResult<number | null> {
  const raw = query.get('drop');
  if (raw === null) return { ok: true, value: null };
  if (!/^\d{1,4}$/.test(raw) || Number(raw) < 1) return { ok: false, error: `drop must be an integer from 1 to 9999 (messages per connection); got ${quote(raw)}` };
  return { ok: true, value: Number(raw) };
}

/** The body's parse error as JSON-RPC's -32700 (the lab's reason in the message). */
export function parseErrorAnswer(error: string): McpAnswer {
  return httpError(400, `Parse error: ${error}`, {}, RPC_ERROR.parse);
}
