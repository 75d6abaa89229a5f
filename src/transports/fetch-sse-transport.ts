/**
 * fetch + SSE: what LLM SDKs do. A POST with a JSON body and an Authorization header, answered with
 * text/event-stream, read from `response.body` through a spec-following parser. Unlike EventSource
 * it can send any method, body and header — and unlike EventSource it never reconnects by itself:
 * by default a lost stream stays lost (as with the SDKs); with `resume` the lab retries after `retry`
 * with Last-Event-ID.
 */
import { preciseNow, type ChatMessage } from '../protocol/frame.ts';
import { decodeWire } from '../protocol/llm-wire.ts';
import { utf8Length } from '../protocol/utf8.ts';
import { decodeForeign, type FieldMapping } from '../protocol/foreign-frame.ts';
import { createSseStreamReader } from './sse-stream-reader.ts';
import {
  BaseTransport,
  errorText,
  issue,
  quote,
  type ChatSideChannel,
  type TransportCapabilities,
  type TransportIssue,
} from './transport.ts';

export interface FetchSseOptions {
  /** The JSON body of the POST. */
  body: unknown;
  /** Frames the stream carries in all, when the scenario is finite: with all in, its end is no failure. */
  total?: number | null;
  /** Sent as `Authorization: Bearer <token>` when set. */
  token?: string;
  /** Reconnect by itself after a lost stream (with Last-Event-ID). Off by default, as in LLM SDKs. */
  resume?: boolean;
  /** Wait before an automatic resume until the server's `retry:` says otherwise. */
  retryMs?: number;
  /** Where chat messages go: a fetch stream's request is already sent, so they take a side channel. */
  chat?: ChatSideChannel;
  /** More request headers (a provider path's x-lab-params, x-lab-run, x-lab-stamps). */
  headers?: Readonly<Record<string, string>>;
  fetchImpl?: typeof fetch;
  /**
   * URL mode: someone else's stream. The request is sent as given (method, headers, body as text; no
   * JSON content type added), every event is a frame (seq and t by the mapping, where they are), the
   * end of the response is the end of the stream, and a resume sends the last `id:` the server sent
   * (the parser's last event ID), or no Last-Event-ID when it sent none.
   */
  foreign?: { mapping: FieldMapping; method: string; body: string | null };
}

/** The reason in an error body: the lab's `{"error":"…"}`, OpenAI's `{"error":{"message"}}`, Anthropic's `{"type":"error","error":{"message"}}`. */
function errorReason(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const error = (body as { error?: unknown }).error;
  if (typeof error === 'string') return error;
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') {
    return (error as { message: string }).message;
  }
  return null;
}

export class FetchSseTransport extends BaseTransport {
  readonly kind = 'fetch-sse' as const;
  readonly capabilities: TransportCapabilities;
  /** The last event ID of the last connection (what a URL-mode resume sends). */
  private lastEventId = '';
  private controller: AbortController | null = null;
  private complete = false;
  private stopped = false;
  private retryMs: number;
  private attempts = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly fetchImpl: typeof fetch;

  constructor(
    private readonly url: string,
    private readonly options: FetchSseOptions,
  ) {
    super();
    this.retryMs = options.retryMs ?? 1000;
    this.fetchImpl = options.fetchImpl ?? ((input, init) => globalThis.fetch(input, init));
    // URL mode: someone else's server has no side channel for the lab's chat.
    this.capabilities = { cancel: 'close', chat: options.foreign ? 'none' : 'side-channel', rtt: 'none', reconnect: 'sse-retry' };
  }

  connect(): void {
    if (this.controller || this.stopped) return;
    void this.open();
  }

  reconnect(): void {
    if (this.controller || this.timer !== null || this.complete || this.stopped || this.state !== 'closed') return;
    this.attempts = 0;
    void this.open();
  }

  private async open(): Promise<void> {
    const controller = new AbortController();
    this.controller = controller;
    if (this.state !== 'reconnecting') this.setState('connecting');
    const foreign = this.options.foreign;
    const headers: Record<string, string> = foreign
      ? { accept: 'text/event-stream', ...this.options.headers }
      : { ...this.options.headers, 'content-type': 'application/json', accept: 'text/event-stream' };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    if (foreign) {
      if (this.lastEventId !== '') headers['last-event-id'] = this.lastEventId;
    } else if (this.lastSeq > 0) headers['last-event-id'] = String(this.lastSeq);

    let response: Response;
    try {
      response = await this.fetchImpl(this.url, {
        method: foreign ? foreign.method : 'POST',
        headers,
        body: foreign ? foreign.body : JSON.stringify(this.options.body),
        signal: controller.signal,
        cache: 'no-store',
      });
    } catch (error) {
      if (controller.signal.aborted) return;
      this.lost(controller, issue('fetch.requestFailed', { error: errorText(error) }));
      return;
    }
    if (controller.signal.aborted) return;

    if (!response.ok) {
      const text = await response.text().catch(() => '');
      let reason = text.trim();
      try {
        reason = errorReason(JSON.parse(text)) ?? reason;
      } catch {
        // Not JSON: show the text as it is.
      }
      this.fail(controller, issue('http', { status: response.status, statusText: response.statusText, reason: reason || null }));
      return;
    }
    if (response.status === 204) {
      // No Content: the server has nothing more for this stream (SSE's way to say "stop reconnecting").
      if (this.hasAll(this.options.total)) this.ended(controller);
      else this.fail(controller, issue('fetch.noContent', {}));
      return;
    }
    const type = response.headers.get('content-type') ?? '';
    if (!type.toLowerCase().startsWith('text/event-stream')) {
      void response.body?.cancel();
      this.fail(controller, issue('fetch.contentType', { type: type || null }));
      return;
    }
    if (!response.body) {
      this.fail(controller, issue('fetch.noBody', {}));
      return;
    }

    this.attempts = 0;
    this.setState('open');
    this.emit({ type: 'open', at: preciseNow() });

    let chunkAt = 0;
    let providerError: TransportIssue | null = null;
    const reader = createSseStreamReader({
      onEvent: (event) => {
        if (foreign) {
          const frame = decodeForeign(event.data, foreign.mapping);
          if (frame.seq !== null) this.noteSeq(frame.seq);
          this.emit({ type: 'frame', at: chunkAt, frame, bytes: utf8Length(event.data) });
          return;
        }
        const message = decodeWire(event.event, event.data);
        if (message.kind === 'invalid') {
          this.emit({ type: 'error', at: chunkAt, issue: issue('frame.invalid', { data: quote(event.data) }) });
          return;
        }
        if (message.kind === 'reply') {
          this.emit({ type: 'reply', at: chunkAt, reply: message.reply });
          return;
        }
        if (message.kind === 'failed') {
          // The provider's error event: the answer ends here, with its reason (an SDK throws it).
          providerError = issue('fetch.providerError', { message: message.message });
          return;
        }
        if (message.kind === 'frame') {
          this.noteSeq(message.frame.seq);
          this.deliverFrame(chunkAt, message.frame, utf8Length(event.data));
        }
        if (message.kind === 'done' || (message.kind === 'frame' && message.frame.kind === 'end')) {
          this.complete = true;
        }
      },
      onRetry: (ms) => {
        this.retryMs = ms;
      },
    });

    const body = response.body.getReader();
    try {
      for (;;) {
        // A slow page reads only when it is free: until then the body stays unread and TCP pushes back.
        const busy = this.consumer.whenIdle();
        if (busy) await busy;
        if (controller.signal.aborted) return;
        const { done, value } = await body.read();
        // Stamped before parsing: every event in this chunk arrived now.
        chunkAt = preciseNow();
        if (done) break;
        reader.push(value);
      }
      reader.end();
    } catch (error) {
      this.lastEventId = reader.lastEventId;
      if (controller.signal.aborted) return;
      this.lost(controller, issue('fetch.broke', { error: errorText(error) }));
      return;
    }
    this.lastEventId = reader.lastEventId;
    if (controller.signal.aborted) return;
    if (foreign) {
      // Someone else's stream has no end marker the lab knows: the end of the response is its end.
      this.ended(controller);
      return;
    }
    if (this.complete) {
      this.ended(controller);
      return;
    }
    if (providerError) {
      this.fail(controller, providerError);
      return;
    }
    this.lost(controller, issue('fetch.endedEarly', {}));
  }

  /** The stream is complete. */
  private ended(controller: AbortController): void {
    if (this.controller !== controller) return;
    this.controller = null;
    this.complete = true;
    this.finish(preciseNow(), { kind: 'complete' });
  }

  /** The connection went away mid-stream or never came up. */
  private lost(controller: AbortController, cause: TransportIssue): void {
    if (this.controller !== controller) return;
    if (this.hasAll(this.options.total)) {
      // Cut after the last frame, before the end event: nothing is missing, nothing to resume.
      this.ended(controller);
      return;
    }
    this.controller = null;
    const at = preciseNow();
    if (!this.options.resume) {
      this.failWith(at, issue('fetch.noReconnect', { cause }));
      return;
    }
    this.attempts++;
    this.setState('reconnecting');
    this.emit({ type: 'reconnecting', at, attempt: this.attempts, delayMs: this.retryMs });
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.open();
    }, this.retryMs);
  }

  private fail(controller: AbortController, what: TransportIssue): void {
    if (this.controller !== controller) return;
    this.controller = null;
    this.failWith(preciseNow(), what);
  }

  /** A user message as its own POST; the answer comes down this stream. */
  override sendChat(message: ChatMessage): void {
    if (this.options.chat) void this.postChat(this.options.chat, message, this.fetchImpl);
  }

  close(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const controller = this.controller;
    this.controller = null;
    controller?.abort();
    this.finish(preciseNow(), { kind: 'stopped' });
  }
}
