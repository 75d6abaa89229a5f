/**
 * EventSource: the browser's own SSE client. It reconnects by itself after a network error (waiting
 * the server's `retry:`) and sends Last-Event-ID; after an HTTP error or a wrong content type it gives
 * up for good (readyState CLOSED) and says nothing about why.
 */
import { asFrame, preciseNow } from '../protocol/frame.ts';
import { utf8Length } from '../protocol/utf8.ts';
import { BaseTransport, quote } from './transport.ts';

export class EventSourceTransport extends BaseTransport {
  readonly kind = 'eventsource' as const;
  private source: EventSource | null = null;
  private opened = false;

  constructor(private readonly url: string) {
    super();
  }

  connect(): void {
    if (this.source) return;
    this.setState('connecting');
    let source: EventSource;
    try {
      source = new EventSource(this.url);
    } catch (error) {
      const at = preciseNow();
      const message = `Cannot open EventSource: ${error instanceof Error ? error.message : String(error)}`;
      this.emit({ type: 'error', at, message });
      this.finish(at, { kind: 'failed', message });
      return;
    }
    this.source = source;

    source.onmessage = (event: MessageEvent<string>) => {
      const at = preciseNow();
      let frame = null;
      try {
        frame = asFrame(JSON.parse(event.data));
      } catch {
        frame = null;
      }
      if (!frame) {
        this.emit({ type: 'error', at, message: `Ignored a frame that is not valid: ${quote(event.data)}` });
        return;
      }
      this.emit({ type: 'frame', at, frame, bytes: utf8Length(event.data) });
    };

    source.addEventListener('done', () => {
      this.teardown();
      this.finish(preciseNow(), { kind: 'complete' });
    });

    source.onopen = () => {
      const at = preciseNow();
      this.setState('open');
      this.emit({ type: 'open', at });
      this.opened = true;
    };

    source.onerror = () => {
      const at = preciseNow();
      if (!this.source) return;
      if (source.readyState === EventSource.CONNECTING) {
        this.setState('reconnecting');
        this.emit({ type: 'reconnecting', at });
        return;
      }
      const message = this.opened
        ? 'EventSource gave up: the server answered a reconnect with an HTTP error or a content type other than text/event-stream. It will not retry by itself.'
        : 'EventSource could not start: the server answered with an HTTP error or a content type other than text/event-stream. It will not retry by itself.';
      this.teardown();
      this.emit({ type: 'error', at, message });
      this.finish(at, { kind: 'failed', message });
    };
  }

  close(): void {
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
