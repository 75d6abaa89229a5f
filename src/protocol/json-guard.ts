/**
 * Reading what a client sent without letting it cost more than it should. Pure and isomorphic.
 *
 * - `parseJsonBounded(text)`: JSON.parse, refused first when arrays/objects nest deeper than
 *   MAX_JSON_DEPTH (a 10 KB body can nest 5,000 deep; parsing copes, but anything that walks the value
 *   recursively afterwards, JSON.stringify included, overflows the stack).
 * - `quote(value)`: a client's value as it may appear in an error text: JSON for a primitive, cut to
 *   MAX_ECHO_CHARS, and only the kind for an array or object. Never throws, never long.
 */
import { MAX_ECHO_CHARS, MAX_JSON_DEPTH } from './limits.ts';
import type { ParseResult } from './scenarios.ts';

/** True when arrays/objects in `text` nest deeper than `max` (strings are skipped, escapes honoured). */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped char
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

export function parseJsonBounded(text: string, maxDepth: number = MAX_JSON_DEPTH): ParseResult<unknown> {
  if (nestsDeeperThan(text, maxDepth)) {
    return { ok: false, error: `the JSON nests deeper than ${maxDepth} levels (MAX_JSON_DEPTH)` };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, error: 'the body is not valid JSON' };
  }
}

export function quote(value: unknown, max: number = MAX_ECHO_CHARS): string {
  if (Array.isArray(value)) return 'an array';
  if (value === undefined) return 'nothing';
  if (typeof value === 'object' && value !== null) return 'an object';
  if (typeof value === 'string') {
    const cut = value.length > max ? `${value.slice(0, max)}…` : value;
    return `${JSON.stringify(cut)}${value.length > max ? ` (${value.length} characters)` : ''}`;
  }
  if (typeof value === 'bigint' || typeof value === 'symbol' || typeof value === 'function') return `a ${typeof value}`;
  return String(value); // number, boolean, null
}

/**
 * True for a Content-Type whose media type is exactly application/json (parameters such as charset
 * allowed, case-insensitive): not application/jsonp, not text/plain, not application/json-seq.
 */
export function isJsonMediaType(header: string | undefined | null): boolean {
  if (!header) return false;
  return header.split(';')[0].trim().toLowerCase() === 'application/json';
}
