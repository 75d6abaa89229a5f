/**
 * Bytes of a text/event-stream → events, for readers of `fetch()` bodies. eventsource-parser does the
 * line and field parsing; this adds what sits around it in the WHATWG algorithm: UTF-8 decoding that
 * survives a character split across chunks and removes one leading BOM, the last event ID (an `id`
 * with NUL is ignored), line ends, and an event with no final blank line discarded at end of stream.
 *
 * eventsource-parser 3.1 (not 4.x: that needs Node 22.12) looks for a BOM only as the three chars
 * "ï»¿" (the bytes EF BB BF read as Latin-1) at the start of its first chunk, which after UTF-8
 * decoding is real text, and keeps a CR that ends a chunk pending in case an LF follows, which holds
 * that line back until more text arrives (and loses it when the stream then ends mid-line). Both are
 * handled here: the parser gets an empty first chunk, and line ends reach it as LF only.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';

export interface SseReaderCallbacks {
  onEvent(event: { event: string; data: string; id: string }): void;
  onRetry?(ms: number): void;
  onComment?(text: string): void;
}

export interface SseStreamReader {
  /** Feeds one chunk of the body. */
  push(bytes: Uint8Array): void;
  /** End of body: decodes what is left; an unterminated event is dropped, as the spec says. */
  end(): void;
  /** The last event ID seen (what a reconnect sends as Last-Event-ID). */
  readonly lastEventId: string;
}

export function createSseStreamReader(callbacks: SseReaderCallbacks): SseStreamReader {
  // The spec's "UTF-8 decode": TextDecoder removes one leading BOM (even one split across chunks).
  const decoder = new TextDecoder('utf-8');
  let lastEventId = '';
  const parser = createParser({
    onEvent(message: EventSourceMessage) {
      if (message.id !== undefined && !message.id.includes('\0')) lastEventId = message.id;
      callbacks.onEvent({ event: message.event || 'message', data: message.data, id: lastEventId });
    },
    onRetry: (ms) => callbacks.onRetry?.(ms),
    onComment: (text) => callbacks.onComment?.(text),
  });
  // Its BOM check runs on the first chunk only: make that one empty.
  parser.feed('');
  // A CR is a whole line end at once; an LF right after it (maybe in the next chunk) belongs to it.
  let afterCr = false;
  const feed = (text: string) => {
    if (text === '') return;
    if (afterCr && text.charCodeAt(0) === 10) text = text.slice(1);
    afterCr = text.charCodeAt(text.length - 1) === 13;
    if (text === '') return;
    parser.feed(text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text);
  };
  return {
    push(bytes) {
      feed(decoder.decode(bytes, { stream: true }));
    },
    end() {
      feed(decoder.decode());
    },
    get lastEventId() {
      return lastEventId;
    },
  };
}
