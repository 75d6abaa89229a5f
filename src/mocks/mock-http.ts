/**
 * Fetch-API plumbing for the mock adapter, the counterpart of src/server/live/http-io.ts: JSON answers
 * with the live server's headers, refusals, the JSON-only check and bounded body reading. No lab
 * decisions here (see src/backend/).
 */
import type { Refusal } from '../backend/routes.ts';
import { isJsonMediaType, parseJsonBounded, quote } from '../protocol/json-guard.ts';
import type { ParseResult } from '../protocol/scenarios.ts';
import { utf8Length } from '../protocol/utf8.ts';

/** A JSON answer with the headers the live server sends (sendJson). */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers },
  });
}

/** A refusal the backend decided: its status, headers and `{error}`. */
export function refuse({ status, error, headers }: Refusal): Response {
  return json(status, { error }, headers);
}

/** 415 unless the body is application/json (the live server's refuseUnlessJson), else null. */
export function refuseUnlessJson(request: Request): Response | null {
  const type = request.headers.get('content-type');
  if (isJsonMediaType(type)) return null;
  return json(415, { error: `send the request as application/json; got ${type ? quote(type) : 'no content type'}` });
}

export type JsonBody = ParseResult<unknown> & { text?: string };

/** A JSON body within `limit` bytes and MAX_JSON_DEPTH levels; `text` is what came, for the records. */
export async function readJsonBody(request: Request, limit: number): Promise<JsonBody> {
  let text: string;
  try {
    text = await request.text();
  } catch {
    return { ok: false, error: 'the request body could not be read' };
  }
  if (utf8Length(text) > limit) return { ok: false, error: `the body must be at most ${limit} bytes` };
  return { ...parseJsonBounded(text), text };
}

/**
 * Bytes of the request line and headers as a browser would send them (HTTP/1.1). A service worker
 * sees fewer headers than go on the wire (no Host, Connection, cookies…), so this runs low.
 */
export function requestHeadBytes(request: Request): number {
  const url = new URL(request.url);
  let bytes = utf8Length(`${request.method} ${url.pathname}${url.search} HTTP/1.1\r\n`) + 2;
  bytes += utf8Length(`Host: ${url.host}\r\n`);
  request.headers.forEach((value, name) => {
    bytes += utf8Length(name) + utf8Length(value) + 4;
  });
  return bytes;
}
