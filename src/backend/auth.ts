/**
 * The bearer token of POST /api/stream, and who may change it (POST /api/auth): with a token set,
 * only a request that carries it. Pure: the adapter passes the Authorization header.
 */
import { bearerMatches } from '../protocol/stream-body.ts';
import type { ParseResult } from '../protocol/scenarios.ts';
import type { LabServerStats } from './counters.ts';

export interface Unauthorized {
  status: 401;
  error: string;
  headers: Record<string, string>;
}

const CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="sse-vs-websocket-lab"' };
const TOKEN_PATTERN = /^[\x21-\x7e]{1,200}$/;

export class AuthState {
  constructor(
    private readonly counters: LabServerStats,
    private current: string | null = null,
  ) {}

  get required(): boolean {
    return this.current !== null;
  }

  private refuses(authorization: string | null | undefined): boolean {
    return this.current !== null && !bearerMatches(authorization, this.current);
  }

  /** POST /api/stream: null when the request may stream, else the 401 (counted). */
  checkStream(authorization: string | null | undefined): Unauthorized | null {
    if (!this.refuses(authorization)) return null;
    this.counters.unauthorized++;
    return {
      status: 401,
      error: authorization ? 'the bearer token is wrong' : 'this server requires a token: send Authorization: Bearer <token>',
      headers: { ...CHALLENGE },
    };
  }

  /** POST /api/auth: changing or clearing an active token takes that token. Null, or the 401 (counted). */
  checkChange(authorization: string | null | undefined): Unauthorized | null {
    if (!this.refuses(authorization)) return null;
    this.counters.unauthorized++;
    return {
      status: 401,
      error: 'a token is set: send Authorization: Bearer <the current token> to change or clear it',
      headers: { ...CHALLENGE },
    };
  }

  /** POST /api/auth's body: {"token": "<1 to 200 visible ASCII characters>"} or {"token": null}. */
  static parseChange(body: unknown): ParseResult<string | null> {
    const next = typeof body === 'object' && body !== null ? (body as { token?: unknown }).token : undefined;
    if (next === null || (typeof next === 'string' && TOKEN_PATTERN.test(next))) return { ok: true, value: next };
    return { ok: false, error: 'send {"token": "<1 to 200 visible ASCII characters>"} or {"token": null}' };
  }

  /** Sets (or, with null, clears) the token; the answer to POST /api/auth. */
  set(token: string | null): { ok: true; required: boolean } {
    this.current = token;
    return { ok: true, required: this.required };
  }
}
