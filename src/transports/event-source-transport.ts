/**
 * EventSource: the browser's own SSE client. After a network error it reconnects by itself, waiting
 * the server's `retry:`, and sends Last-Event-ID. After an HTTP error (204, 404, 500, 503…) or a
 * content type other than text/event-stream it gives up for good (readyState CLOSED) and says nothing
 * about why — the lab says it, and offers a manual reconnect that resumes with `?after=`.
 */
import { preciseNow, type ChatMessage } from '../protocol/frame.ts';
import type { ToolResultMessage } from '../protocol/agent.ts';
import { anthropicEvents, decodeWire } from '../protocol/llm-wire.ts';
import { BINARY_SSE_EVENT } from '../protocol/binary-frame.ts';
import { utf8Length } from '../protocol/utf8.ts';
import { decodeForeign, type FieldMapping } from '../protocol/foreign-frame.ts';
import {
  BaseTransport,
  errorText,
  postToolResult,
  issue,
  quote,
  type ChatSideChannel,
  type TransportCapabilities,
} from './transport.ts';

export interface EventSourceTransportOptions {
  /** The `retry:` the server was asked to send, shown as the wait before each browser reconnect. */
  retryMs?: number | null;
  /** Frames the stream carries in all, when the scenario is finite: with all in, its end is no failure. */
  total?: number | null;
  /** Where chat messages go: EventSource can only receive, so they take a side channel. */
  chat?: ChatSideChannel;
  /** For the side channel; defaults to the global fetch. */
  fetchImpl?: typeof fetch;
  /**
   * URL mode: someone else's stream. Every event is a frame (seq and t by the mapping, where they are),
   * `events` names the named events to listen to besides unnamed ones, nothing marks an end (the
   * browser reconnects when the server ends the response, as EventSource does), and an error before
   * the first open ends the lane instead of retrying forever.
   */
  foreign?: { mapping: FieldMapping; events: readonly string[] };
}

export class EventSourceTransport extends BaseTransport {
  readonly kind = 'eventsource' as const;
  readonly capabilities: TransportCapabilities;
  private source: EventSource | null = null;
  private everOpened = false;
  private failedAttempts = 0;
  private complete = false;
  private stopped = false;

  constructor(
    private readonly urlFor: (after: number) => string,
    private readonly options: EventSourceTransportOptions = {},
  ) {
    super();
    // URL mode: someone else's server has no side channel for the lab's chat.
    this.capabilities = { cancel: 'close', chat: options.foreign ? 'none' : 'side-channel', rtt: 'none', reconnect: 'sse-retry' };
  }

  connect(): void {
    if (this.source) return;
    this.open();
  }

  reconnect(): void {
    if (this.source || this.complete || this.stopped || this.state !== 'closed') return;
    this.open();
  }

  private open(): void {
    this.setState('connecting');
    let source: EventSource;
    try {
      source = new EventSource(this.urlFor(this.lastSeq));
    } catch (error) {
      this.failWith(preciseNow(), issue('es.cannotOpen', { error: errorText(error) }));
      return;
    }
    this.source = source;

    const foreign = this.options.foreign;
    const receive = (event: MessageEvent<string>) => {
      const at = preciseNow();
      if (foreign) {
        const frame = decodeForeign(event.data, foreign.mapping);
        if (frame.seq !== null) this.noteSeq(frame.seq);
        this.emit({ type: 'frame', at, frame, bytes: utf8Length(event.data) });
        return;
      }
      const message = decodeWire(event.type, event.data);
      if (message.kind === 'invalid') {
        this.emit({ type: 'error', at, issue: issue('frame.invalid', { data: quote(event.data) }) });
        return;
      }
      if (message.kind === 'reply') {
        this.emit({ type: 'reply', at, reply: message.reply });
        return;
      }
      if (message.kind === 'frame') {
        this.noteSeq(message.frame.seq);
        this.deliverFrame(at, message.frame, utf8Length(event.data));
      }
      // The end of the answer (or the lab's done event): close before the browser reconnects.
      if (message.kind === 'done' || (message.kind === 'frame' && message.frame.kind === 'end')) {
        this.complete = true;
        this.teardown();
        this.finish(preciseNow(), { kind: 'complete' });
      }
    };
    // onmessage only sees unnamed events: every named event needs its own listener.
    source.onmessage = receive;
    const named = foreign ? foreign.events : ['done', 'reply', BINARY_SSE_EVENT, ...anthropicEvents];
    for (const name of named) source.addEventListener(name, receive);

    source.onopen = () => {
      const at = preciseNow();
      this.failedAttempts = 0;
      this.everOpened = true;
      this.setState('open');
      this.emit({ type: 'open', at });
    };

    source.onerror = () => {
      const at = preciseNow();
      if (this.source !== source) return;
      if (source.readyState === EventSource.CONNECTING && foreign && !this.everOpened) {
        // A network error before any answer (refused, DNS, TLS): the browser would retry it forever.
        this.teardown();
        this.failWith(at, issue('es.neverOpened', {}));
        return;
      }
      if (source.readyState === EventSource.CONNECTING) {
        this.setState('reconnecting');
        this.emit({
          type: 'reconnecting',
          at,
          attempt: ++this.failedAttempts,
          delayMs: this.options.retryMs ?? null,
        });
        return;
      }
      this.teardown();
      if (this.hasAll(this.options.total)) {
        // Cut after the last frame; the browser asked again and the server answered 204 (nothing more).
        this.complete = true;
        this.finish(at, { kind: 'complete' });
        return;
      }
      this.failWith(at, issue('es.gaveUp', {}));
    };
  }

  /** A user message as its own POST; the answer comes down this stream. */
  /** The agent loop's tool result: a POST on the side channel; the next step comes down this stream. */
  override sendToolResult(result: ToolResultMessage): void {
    if (!this.options.chat) return;
    const fetchImpl = this.options.fetchImpl ?? ((input, init) => globalThis.fetch(input, init));
    void postToolResult(this.options.chat, result, fetchImpl, (event) => this.emit(event));
  }

  override sendChat(message: ChatMessage): void {
    if (!this.options.chat) return;
    void this.postChat(this.options.chat, message, this.options.fetchImpl ?? ((input, init) => globalThis.fetch(input, init)));
  }

  close(): void {
    this.stopped = true;
    this.teardown();
    this.finish(preciseNow(), { kind: 'stopped' });
  }

  private teardown(): void {
    const source = this.source;
    if (!source) return;
    this.source = null;
    source.onmessage = null;
    source.onopen = null;
    source.onerror = null;
    source.close();
  }
}
