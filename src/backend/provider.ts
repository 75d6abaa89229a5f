/**
 * The provider-compatible endpoints, decided once for both adapters: POST /v1/chat/completions and
 * POST /v1/responses (OpenAI) and POST /v1/messages (Anthropic), at the paths the official SDKs call
 * (`baseURL: http://host:port/v1` for OpenAI, `http://host:port` for Anthropic). The request
 * (provider-request.ts) → the provider's error, a header fault's status, the lab's admission (outage,
 * an HTTP error armed for target "fetch", the stream limits) in the provider's error shape, the
 * non-streaming answer, or a stream the adapter opens and `playProvider` plays.
 *
 * Provider streams are `fetch` streams in the counters, the run log and POST /api/faults targets.
 */
import { createSchedule } from '../protocol/schedule.ts';
import { encodeEvents, PROVIDER_PATH, providerAnswer, providerEncoder, providerError, type ProviderApi } from '../protocol/provider-wire.ts';
import type { Player } from '../protocol/player.ts';
import { utf8Length } from '../protocol/utf8.ts';
import type { Backend } from './backend.ts';
import { parseProviderCall, type ProviderCall } from './provider-request.ts';
import { playServed } from './served-player.ts';
import type { ServedStream } from './served-streams.ts';
import type { ParseResult } from '../protocol/scenarios.ts';
import { WRONG_CONTENT_TYPE_BODY } from './admission.ts';

export type { ProviderCall } from './provider-request.ts';

/** The SDKs' paths. */
export const PROVIDER_PATHS: Readonly<Record<string, ProviderApi>> = Object.fromEntries(
  Object.entries(PROVIDER_PATH).map(([api, path]) => [path, api as ProviderApi]),
);

export type ProviderAnswer =
  /** A JSON answer: the non-streaming completion, or the provider's error. */
  | { kind: 'json'; status: number; body: unknown; headers: Record<string, string> }
  /** Any other answer before a stream (an armed 204, a wrong content type). */
  | { kind: 'plain'; status: number; text: string; headers: Record<string, string> }
  /** Cut the connection without an answer (an outage "reset", x-lab-fault drop on a non-streaming call). */
  | { kind: 'reset' }
  /** 200 text/event-stream: open a served stream and play it with `playProvider`. */
  | { kind: 'stream'; call: ProviderCall };

export const PROVIDER_SSE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  'X-Accel-Buffering': 'no',
};

const errorAnswer = (api: ProviderApi, status: number, message: string, param: string | null = null, headers: Record<string, string> = {}): ProviderAnswer => ({
  kind: 'json',
  status,
  body: providerError(api, status, message, param),
  headers,
});

/** What `/v1/…` answers to this method, or the refusal (the provider's error shape). */
export function routeProvider(method: string | undefined, pathname: string): { ok: true; api: ProviderApi } | { ok: false; answer: ProviderAnswer } {
  const api = PROVIDER_PATHS[pathname];
  if (api === undefined) {
    const known = Object.keys(PROVIDER_PATHS).join(', ');
    return { ok: false, answer: errorAnswer('chat', 404, `no endpoint ${pathname}: the lab answers POST ${known}`) };
  }
  if (method !== 'POST') {
    return { ok: false, answer: errorAnswer(api, 405, `${method ?? 'this method'} is not allowed on ${pathname}; use POST`, null, { Allow: 'POST' }) };
  }
  return { ok: true, api };
}

export interface ProviderInput {
  header(name: string): string | undefined;
  /** The body as read (a read or JSON error is answered as the provider's 400). */
  body: ParseResult<unknown>;
  address: string;
}

/** The answer to a provider request. Streams are admitted here; the adapter opens them. */
export function decideProvider(backend: Backend, api: ProviderApi, input: ProviderInput): ProviderAnswer {
  if (!input.body.ok) return errorAnswer(api, 400, input.body.error);
  const parsed = parseProviderCall(api, input.body.value, input.header, backend.catalogue.scenarios, Date.now());
  if (!parsed.ok) return errorAnswer(api, 400, parsed.error, parsed.param);
  const call = parsed.value;
  if (call.status !== null) {
    backend.counters.refused.fetch++;
    const { status, retryAfter } = call.status;
    const headers: Record<string, string> = status === 429 || status === 503 ? { 'Retry-After': String(retryAfter) } : {};
    return errorAnswer(api, status, `simulated HTTP ${status} (x-lab-fault)`, null, headers);
  }
  const admission = backend.admit('fetch', call.request, input.address);
  switch (admission.kind) {
    case 'reset':
      return { kind: 'reset' };
    case 'error':
      return errorAnswer(api, admission.status, admission.error, null, admission.headers ?? {});
    case 'empty':
    case 'done-already':
      return { kind: 'plain', status: 204, text: '', headers: { 'Cache-Control': 'no-store' } };
    case 'wrong-content-type':
      return { kind: 'plain', status: 200, text: WRONG_CONTENT_TYPE_BODY, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } };
    case 'open':
      break;
  }
  if (call.stream) return { kind: 'stream', call };
  // Not streamed: the whole answer at once (no pacing), or the fault as an HTTP answer.
  if (call.request.options.flakyFrames > 0) return { kind: 'reset' };
  if (call.finish === 'error') {
    const status = api === 'messages' ? 529 : 500;
    return errorAnswer(api, status, 'simulated provider error (x-lab-fault error)');
  }
  const tokens: string[] = [];
  const schedule = createSchedule(call.request.config);
  for (let next = schedule.next(); !next.done; next = schedule.next()) if (next.value.kind === 'token') tokens.push(next.value.data);
  return { kind: 'json', status: 200, body: providerAnswer(call.meta, tokens, call.finish), headers: {} };
}

export interface ProviderSink {
  /** Writes SSE text; false pauses the player until the adapter resumes it. */
  write(text: string): boolean;
  /** Writes the last text this connection may carry (x-lab-fault drop) and calls `drop` once it has left. */
  writeLast?(text: string, drop: () => void): void;
  /** The answer is complete: end the response. */
  end(): void;
}

/**
 * Plays an admitted provider stream onto an opened served stream: the preamble now, then the tokens.
 * A stall (x-lab-fault stall=N) holds the stream silent after the N-th token for its time, then goes
 * on; the adapter's resume() (a drained socket) does not end it early. stop() cancels it.
 */
export function playProvider(backend: Backend, call: ProviderCall, served: ServedStream, sink: ProviderSink): Player {
  const encoder = providerEncoder(call.meta);
  const { timers } = backend;
  let stallTimer: unknown = null;
  let stalled = false;
  sink.write(encodeEvents(encoder.open()));
  const inner = playServed({
    served,
    request: call.request,
    timers,
    budget: backend.budget,
    encode(frame) {
      const stamp = { seq: frame.seq, t: frame.t };
      const events = frame.kind === 'end' ? encoder.close(call.finish, stamp) : encoder.token(frame.data, stamp);
      const payload = encodeEvents(events);
      return { payload, payloadBytes: events.reduce((sum, e) => sum + utf8Length(e.data), 0), messageBytes: utf8Length(payload) };
    },
    write(text) {
      const ok = sink.write(text);
      // The player counts a frame's seq before sending it: lastSeq is this token's.
      if (call.stall === null || inner.lastSeq !== call.stall.after) return ok;
      // The N-th token has just been written: go silent; the tokens held meanwhile then come at once.
      stalled = true;
      stallTimer = timers.setTimeout(() => {
        stallTimer = null;
        stalled = false;
        inner.resume();
      }, call.stall.ms);
      return false;
    },
    writeLast: sink.writeLast,
    onDone: () => sink.end(),
  });
  return {
    stop() {
      if (stallTimer !== null) timers.clearTimeout(stallTimer);
      stallTimer = null;
      inner.stop();
    },
    resume() {
      if (!stalled) inner.resume();
    },
    release: (delayMs) => inner.release(delayMs),
    get held() {
      return inner.held;
    },
    get lastSeq() {
      return inner.lastSeq;
    },
    get stopped() {
      return inner.stopped;
    },
  };
}
