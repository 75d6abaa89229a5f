/**
 * Whether a new stream may open, decided once for every transport: an outage (cut or 503), an HTTP
 * error armed for the next SSE connection, the stream limits, and a finished stream. Pure but for
 * taking the armed error it returns out of the FaultBook. The adapter writes the answer.
 */
import type { FaultBook, StreamTransport } from '../protocol/faults.ts';
import { plannedTotal } from '../protocol/schedule.ts';
import type { LabServerStats } from './counters.ts';
import type { StreamRequest } from './stream-request.ts';
import type { StreamLimits } from './stream-limits.ts';

/** Why a stream was turned away: an outage or armed error (counted as refused) or a limit (limited). */
export type AdmissionCause = 'outage' | 'armed' | 'limit';

export type Admission =
  | { kind: 'open' }
  /** Cut the connection before any answer, as when the server is down. */
  | { kind: 'reset'; cause: 'outage' }
  /** An error answer with a JSON `{error}` (and, for HTTP, these headers). */
  | { kind: 'error'; cause: AdmissionCause; status: number; error: string; headers?: Record<string, string> }
  /** 204, nothing else (an armed error). */
  | { kind: 'empty'; cause: 'armed'; status: 204 }
  /** 200 with text/plain: not an event stream (an armed error). */
  | { kind: 'wrong-content-type'; cause: 'armed' }
  /**
   * Everything was delivered already (after ≥ the planned total). SSE answers 204, which tells
   * EventSource to stop reconnecting (WHATWG HTML); a WebSocket gets done and a 1000 close.
   */
  | { kind: 'done-already'; total: number };

export const WRONG_CONTENT_TYPE_BODY = 'This is not an event stream (simulated wrong content type).\n';
export const OUTAGE_ERROR = 'service unavailable (simulated outage)';
/** Seconds a client turned away by a stream limit is told to wait. */
export const LIMIT_RETRY_AFTER_S = 5;
/** Seconds an armed 429 tells the client to wait. */
export const ARMED_RETRY_AFTER_S = 1;

export interface AdmissionInput {
  transport: StreamTransport;
  request: Pick<StreamRequest, 'run' | 'after' | 'config'>;
  faults: FaultBook;
  now: number;
  limits: StreamLimits;
  address: string;
}

export function decideAdmission({ transport, request, faults, now, limits, address }: AdmissionInput): Admission {
  const { run, after, config } = request;
  const outage = faults.outage(transport, run, now);
  if (outage === 'reset') return { kind: 'reset', cause: 'outage' };
  if (outage === '503') return { kind: 'error', cause: 'outage', status: 503, error: OUTAGE_ERROR };
  // Armed HTTP errors are for the next SSE connection (EventSource or fetch), never a WebSocket.
  const armed = transport === 'ws' ? null : faults.takeHttpError(run, transport, now);
  if (armed === 204) return { kind: 'empty', cause: 'armed', status: 204 };
  if (armed === 'content-type') return { kind: 'wrong-content-type', cause: 'armed' };
  if (armed === 429) {
    // What a rate-limited API answers: the SDKs wait Retry-After, then retry.
    return { kind: 'error', cause: 'armed', status: 429, error: 'simulated HTTP 429', headers: { 'Retry-After': String(ARMED_RETRY_AFTER_S) } };
  }
  if (armed !== null) return { kind: 'error', cause: 'armed', status: armed, error: `simulated HTTP ${armed}` };
  const limit = limits.refusal(address);
  if (limit !== null) {
    return { kind: 'error', cause: 'limit', status: 503, error: limit, headers: { 'Retry-After': String(LIMIT_RETRY_AFTER_S) } };
  }
  const total = plannedTotal(config);
  if (total !== null && after >= total) return { kind: 'done-already', total };
  return { kind: 'open' };
}

/** Counts a stream turned away (refused or limited); an open or finished one is not counted here. */
export function countAdmission(counters: LabServerStats, transport: StreamTransport, admission: Admission): void {
  if (admission.kind === 'open' || admission.kind === 'done-already') return;
  if (admission.cause === 'limit') counters.limited++;
  else counters.refused[transport]++;
}
