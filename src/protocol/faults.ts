/**
 * Faults the lab can inject, in one shape for the live server (POST /api/faults) and the mocks.
 * `run` scopes a fault to the streams of one run (the `run` query parameter of a stream); without it
 * the fault applies to every stream.
 */
import { quote } from './json-guard.ts';
import { ARMED_ERROR_TTL_MS, MAX_FAULTS } from './limits.ts';
import type { ParseResult } from './scenarios.ts';

/** `sse` is EventSource's GET /api/sse, `fetch` the POST /api/stream read with fetch(). */
export type FaultTarget = 'sse' | 'fetch' | 'ws' | 'all';
export type StreamTransport = Exclude<FaultTarget, 'all'>;
export type OutageMode = 'reset' | '503';
export type HttpErrorKind = 204 | 404 | 429 | 500 | 503 | 'content-type';

export type Fault =
  /** Close matching connections abruptly: the socket is destroyed, no clean close. */
  | { action: 'drop'; target: FaultTarget; run?: string }
  /** For `ms`: new connections are cut at the socket (reset) or answered 503; current ones dropped. */
  | { action: 'outage'; mode: OutageMode; ms: number; target: FaultTarget; run?: string }
  /** The next SSE connection (`sse` by default, or `fetch`) is answered with this status, or 200
   *  with a wrong content type. */
  | { action: 'http-error'; status: HttpErrorKind; target?: 'sse' | 'fetch'; run?: string }
  /** Ends every outage and pending HTTP error. */
  | { action: 'clear'; run?: string };

export const OUTAGE_MS = { min: 100, max: 60_000, default: 3_000 } as const;
export const HTTP_ERRORS: readonly HttpErrorKind[] = [204, 404, 429, 500, 503, 'content-type'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseTarget(value: unknown): ParseResult<FaultTarget> {
  if (value === undefined) return { ok: true, value: 'all' };
  if (value === 'sse' || value === 'fetch' || value === 'ws' || value === 'all') return { ok: true, value };
  return { ok: false, error: `target must be "sse", "ws" or "all" (or "fetch"); got ${quote(value)}` };
}

/** A run id as every endpoint takes it (`run` in a query or body): 1 to 64 of [A-Za-z0-9_.-]. */
export const RUN_ID_PATTERN = /^[\w.-]{1,64}$/;

export function parseRun(value: unknown): ParseResult<string | undefined> {
  if (value === undefined) return { ok: true, value: undefined };
  if (typeof value === 'string' && RUN_ID_PATTERN.test(value)) return { ok: true, value };
  return { ok: false, error: 'run must be a string of 1 to 64 letters, digits, "-", "_" or "."' };
}

/** Validates a fault request body. Never throws. */
export function parseFault(body: unknown): ParseResult<Fault> {
  if (!isRecord(body)) return { ok: false, error: 'the body must be a JSON object with an "action"' };
  const run = parseRun(body.run);
  if (!run.ok) return run;
  const scope = run.value === undefined ? {} : { run: run.value };
  switch (body.action) {
    case 'drop': {
      const target = parseTarget(body.target);
      if (!target.ok) return target;
      return { ok: true, value: { action: 'drop', target: target.value, ...scope } };
    }
    case 'outage': {
      const target = parseTarget(body.target);
      if (!target.ok) return target;
      if (body.mode !== 'reset' && body.mode !== '503') {
        return { ok: false, error: `mode must be "reset" or "503"; got ${quote(body.mode ?? null)}` };
      }
      const ms = body.ms ?? OUTAGE_MS.default;
      if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < OUTAGE_MS.min || ms > OUTAGE_MS.max) {
        return { ok: false, error: `ms must be an integer from ${OUTAGE_MS.min} to ${OUTAGE_MS.max}; got ${quote(ms)}` };
      }
      return { ok: true, value: { action: 'outage', mode: body.mode, ms, target: target.value, ...scope } };
    }
    case 'http-error': {
      const status = body.status;
      if (!HTTP_ERRORS.includes(status as HttpErrorKind)) {
        return {
          ok: false,
          error: `status must be one of 204, 404, 429, 500, 503 or "content-type"; got ${quote(status ?? null)}`,
        };
      }
      const target = body.target ?? 'sse';
      if (target !== 'sse' && target !== 'fetch') {
        return { ok: false, error: `target of an http-error must be "sse" or "fetch"; got ${quote(target)}` };
      }
      return {
        ok: true,
        value: { action: 'http-error', status: status as HttpErrorKind, ...(target === 'fetch' ? { target } : {}), ...scope },
      };
    }
    case 'clear':
      return { ok: true, value: { action: 'clear', ...scope } };
    default:
      return {
        ok: false,
        error: `action must be "drop", "outage", "http-error" or "clear"; got ${quote(body.action ?? null)}`,
      };
  }
}

export function targets(target: FaultTarget, transport: StreamTransport): boolean {
  return target === 'all' || target === transport;
}

/**
 * Fault bookkeeping shared by the live server and the mocks: which outages are on and which HTTP
 * errors are armed, per run. Pure: the caller passes the clock.
 *
 * Bounded: an armed HTTP error that nothing takes expires after ARMED_ERROR_TTL_MS, an outage when it
 * ends, and at most MAX_FAULTS entries are held (the oldest go first), whatever a client posts.
 */
export class FaultBook {
  private outages: { run?: string; target: FaultTarget; mode: OutageMode; until: number }[] = [];
  private httpErrors: { run?: string; status: HttpErrorKind; target: 'sse' | 'fetch'; until: number }[] = [];

  /** Records an outage or an HTTP error. Drops are not state: the caller acts on them at once. */
  apply(fault: Fault, now: number): void {
    this.prune(now);
    if (fault.action === 'outage') {
      this.outages.push({ run: fault.run, target: fault.target, mode: fault.mode, until: now + fault.ms });
    } else if (fault.action === 'http-error') {
      this.httpErrors.push({ run: fault.run, status: fault.status, target: fault.target ?? 'sse', until: now + ARMED_ERROR_TTL_MS });
    } else if (fault.action === 'clear') {
      const keep = (entry: { run?: string }) => fault.run !== undefined && entry.run !== fault.run;
      this.outages = this.outages.filter(keep);
      this.httpErrors = this.httpErrors.filter(keep);
    }
    // Past the cap, the entry that ends soonest goes (for outages: the one with the least time left;
    // for armed errors: the oldest).
    while (this.outages.length + this.httpErrors.length > MAX_FAULTS) {
      const oldestError = this.httpErrors[0]?.until ?? Infinity;
      const soonestOutage = this.outages.reduce((min, o, i) => (o.until < this.outages[min].until ? i : min), 0);
      if (this.outages.length > 0 && this.outages[soonestOutage].until <= oldestError) this.outages.splice(soonestOutage, 1);
      else this.httpErrors.shift();
    }
  }

  /** Entries held now (outages still on, armed errors not yet expired). */
  size(now: number): number {
    this.prune(now);
    return this.outages.length + this.httpErrors.length;
  }

  /** The outage a new connection runs into, if any. */
  outage(transport: StreamTransport, run: string | null, now: number): OutageMode | null {
    this.prune(now);
    const hit = this.outages.find(
      (o) => targets(o.target, transport) && (o.run === undefined || o.run === run),
    );
    return hit ? hit.mode : null;
  }

  /** Takes the HTTP error armed for the next SSE connection of this run, if any. */
  takeHttpError(run: string | null, transport: 'sse' | 'fetch', now: number): HttpErrorKind | null {
    this.prune(now);
    const index = this.httpErrors.findIndex(
      (e) => e.target === transport && (e.run === undefined || e.run === run),
    );
    if (index < 0) return null;
    const [hit] = this.httpErrors.splice(index, 1);
    return hit.status;
  }

  private prune(now: number): void {
    if (this.outages.some((o) => o.until <= now)) this.outages = this.outages.filter((o) => o.until > now);
    if (this.httpErrors.some((e) => e.until <= now)) this.httpErrors = this.httpErrors.filter((e) => e.until > now);
  }
}
