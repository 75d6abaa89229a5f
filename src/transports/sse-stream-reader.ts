/**
 * Bytes of a text/event-stream → events, for readers of `fetch()` bodies. The WHATWG "UTF-8 decode"
 * is done here: TextDecoder in stream mode survives a character split across chunks and removes one
 * leading BOM (even one split across chunks); bytes that are not UTF-8 become U+FFFD. Lines, fields,
 * the last event ID and dispatch are `src/protocol/sse-parser.ts`, which follows §9.2.6 to the letter
 * (an `id` sets the last event ID even in an event with no `data`, which eventsource-parser 3.1 got
 * wrong). An event with no final blank line at end of stream is discarded.
 */
import { createSseParser, type SseEvent } from '../protocol/sse-parser.ts';

export interface SseReaderCallbacks {
  onEvent(event: SseEvent): void;
  onRetry?(ms: number): void;
  onComment?(text: string): void;
}

export interface SseStreamReader {
  /** Feeds one chunk of the body. */
  push(bytes: Uint8Array): void;
  /** End of body: decodes what is left; an unterminated event is dropped, as the spec says. */
  end(): void;
  /** The last event ID as of the last blank line (what a reconnect sends as Last-Event-ID). */
  readonly lastEventId: string;
}

export function createSseStreamReader(callbacks: SseReaderCallbacks): SseStreamReader {
  const decoder = new TextDecoder('utf-8');
  const parser = createSseParser({
    onEvent: (event) => callbacks.onEvent(event),
    onRetry: (ms) => callbacks.onRetry?.(ms),
    onComment: (text) => callbacks.onComment?.(text),
  });
  return {
    push(bytes) {
      parser.feed(decoder.decode(bytes, { stream: true }));
    },
    end() {
      // What is left (a cut-off character as U+FFFD) can only extend the pending line, never end it.
      parser.feed(decoder.decode());
    },
    get lastEventId() {
      return parser.lastEventId;
    },
  };
}
