/**
 * Polling, the baseline everything else is compared with. Short polling asks every `intervalMs` and
 * often comes back empty; long polling asks again as soon as an answer arrives and the server holds
 * each request until there is something to say. Either way every frame costs a share of an HTTP
 * request and response head, and waits for the next request to collect it.
 */
import { asFrame, preciseNow } from '../protocol/frame.ts';
import { utf8Length } from '../protocol/utf8.ts';
import { BaseTransport, errorText, issue, quote, type TransportCapabilities } from './transport.ts';

export interface PollingOptions {
  kind: 'short-poll' | 'long-poll';
  /** Short polling: time between the starts of two requests. */
  intervalMs?: number;
  /** Long polling: how long the server may hold a request. */
  waitMs?: number;
  fetchImpl?: typeof fetch;
}

/** Bytes of the response head as far as the page can see it (status line and exposed headers). */
function responseHeadBytes(response: Response): number {
  let bytes = `HTTP/1.1 ${response.status} ${response.statusText}\r\n`.length + 2;
  response.headers.forEach((value, name) => {
    bytes += name.length + 2 + value.length + 2;
  });
  return bytes;
}

export class PollingTransport extends BaseTransport {
  readonly kind: 'short-poll' | 'long-poll';
  readonly capabilities: TransportCapabilities = { cancel: 'close', chat: 'none', rtt: 'none', reconnect: 'poll' };
  private controller: AbortController | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private complete = false;
  private opened = false;
  private failures = 0;
  private readonly fetchImpl: typeof fetch;

  constructor(
    private readonly urlFor: (after: number, waitMs: number) => string,
    private readonly options: PollingOptions,
  ) {
    super();
    this.kind = options.kind;
    this.fetchImpl = options.fetchImpl ?? ((input, init) => globalThis.fetch(input, init));
  }

  connect(): void {
    if (this.stopped || this.controller || this.timer !== null) return;
    this.setState('connecting');
    void this.poll();
  }

  reconnect(): void {
    if (this.complete || this.stopped || this.state !== 'closed') return;
    this.failures = 0;
    this.setState('connecting');
    void this.poll();
  }

  private schedule(delay: number): void {
    if (this.stopped || this.complete) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.poll();
    }, Math.max(0, delay));
  }

  private async poll(): Promise<void> {
    const started = preciseNow();
    const wait = this.kind === 'long-poll' ? (this.options.waitMs ?? 25_000) : 0;
    const controller = new AbortController();
    this.controller = controller;
    let response: Response;
    let body: unknown;
    try {
      response = await this.fetchImpl(this.urlFor(this.lastSeq, wait), { signal: controller.signal, cache: 'no-store' });
      body = await response.json();
    } catch (error) {
      if (controller.signal.aborted) return;
      this.controller = null;
      const at = preciseNow();
      this.failures++;
      this.emit({ type: 'error', at, issue: issue('poll.failed', { error: errorText(error) }) });
      this.setState('reconnecting');
      this.emit({ type: 'reconnecting', at, attempt: this.failures, delayMs: 1000 });
      this.schedule(1000);
      return;
    }
    // Every frame in this answer arrived now.
    const at = preciseNow();
    this.controller = null;
    if (!response.ok) {
      const error = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
      this.failWith(at, issue('http', { status: response.status, statusText: '', reason: typeof error === 'string' ? error : null }));
      return;
    }
    if (!this.opened || this.state === 'reconnecting') {
      this.opened = true;
      this.failures = 0;
      this.setState('open');
      this.emit({ type: 'open', at });
    }
    const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    const frames = Array.isArray(record.frames) ? record.frames : [];
    let delivered = 0;
    for (const raw of frames) {
      const frame = asFrame(raw);
      if (!frame) {
        this.emit({ type: 'error', at, issue: issue('frame.invalid', { data: quote(JSON.stringify(raw)) }) });
        continue;
      }
      delivered++;
      this.noteSeq(frame.seq);
      this.deliverFrame(at, frame, utf8Length(JSON.stringify(frame)));
    }
    this.emit({
      type: 'poll',
      at,
      requestBytes: typeof record.requestHeadBytes === 'number' ? record.requestHeadBytes : 0,
      responseHeadBytes: responseHeadBytes(response),
      frames: delivered,
    });
    if (record.done === true) {
      this.complete = true;
      this.finish(at, { kind: 'complete' });
      return;
    }
    if (this.kind === 'long-poll') this.schedule(0);
    else this.schedule((this.options.intervalMs ?? 250) - (at - started));
  }

  close(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.controller?.abort();
    this.controller = null;
    this.finish(preciseNow(), { kind: 'stopped' });
  }
}
