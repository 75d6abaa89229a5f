/**
 * WHATWG HTML §9.2.6 "Interpreting an event stream", incrementally, over decoded text. Isomorphic.
 *
 * Contract:
 * - `feed` takes text already UTF-8 decoded with the one leading BOM removed (TextDecoder in stream
 *   mode does both); chunks may be cut anywhere, and how they are cut never changes what is reported.
 * - A line ends at CRLF, LF or CR. A line is handled as soon as its end arrives: a CR that ends a
 *   chunk ends its line at once, and an LF starting the next chunk is taken as the rest of that CRLF.
 * - ":" starts a comment, reported (one leading space removed) through onComment. Other lines are
 *   "field: value", split at the first colon, one leading space removed from the value; a line with
 *   no colon is a field with an empty value. Unknown fields are ignored.
 * - `event` sets the event type, `data` appends value + LF to the data buffer, `retry` with ASCII
 *   digits only is reported at once through onRetry, `id` without U+0000 sets the last event ID
 *   buffer at once — even when its event is never dispatched for want of data.
 * - A blank line sets `lastEventId` (what a reconnect sends as Last-Event-ID) to that buffer; then,
 *   if the data buffer is empty, it just resets the data and event type buffers. Otherwise onEvent
 *   gets the data less one trailing LF, the type ("message" if empty) and the last event ID buffer.
 * - Nothing is dispatched without its blank line: text after the last line end stays pending, and a
 *   caller at end of stream simply stops feeding (the spec discards an unterminated event).
 */

export interface SseEvent {
  event: string;
  data: string;
  id: string;
}

export interface SseParserCallbacks {
  onEvent(event: SseEvent): void;
  onRetry?(ms: number): void;
  onComment?(text: string): void;
}

export interface SseParser {
  /** Feeds one chunk of decoded text. */
  feed(text: string): void;
  /** The last event ID string: the last event ID buffer as of the last blank line. */
  readonly lastEventId: string;
}

const LF = 10;
const CR = 13;
const SPACE = 32;

const withoutLeadingSpace = (value: string): string => (value.charCodeAt(0) === SPACE ? value.slice(1) : value);

export function createSseParser(callbacks: SseParserCallbacks): SseParser {
  let pending = ''; // the current line, up to the end of the last chunk
  let afterCr = false; // the last chunk ended with a CR: an LF opening the next one completes it
  let data = '';
  let eventType = '';
  let idBuffer = '';
  let lastEventId = '';

  const dispatch = () => {
    lastEventId = idBuffer;
    if (data === '') {
      eventType = '';
      return;
    }
    const event: SseEvent = {
      event: eventType || 'message',
      data: data.charCodeAt(data.length - 1) === LF ? data.slice(0, -1) : data,
      id: idBuffer,
    };
    data = '';
    eventType = '';
    callbacks.onEvent(event);
  };

  const line = (text: string) => {
    if (text === '') return dispatch();
    const colon = text.indexOf(':');
    if (colon === 0) return callbacks.onComment?.(withoutLeadingSpace(text.slice(1)));
    const field = colon < 0 ? text : text.slice(0, colon);
    const value = colon < 0 ? '' : withoutLeadingSpace(text.slice(colon + 1));
    switch (field) {
      case 'event':
        eventType = value;
        break;
      case 'data':
        data += value + '\n';
        break;
      case 'id':
        if (!value.includes('\0')) idBuffer = value;
        break;
      case 'retry':
        if (/^[0-9]+$/.test(value)) callbacks.onRetry?.(Number(value));
        break;
    }
  };

  return {
    feed(text) {
      if (text === '') return;
      let start = afterCr && text.charCodeAt(0) === LF ? 1 : 0;
      afterCr = false;
      for (let i = start; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c !== LF && c !== CR) continue;
        const whole = pending + text.slice(start, i);
        pending = '';
        if (c === CR) {
          if (i + 1 === text.length) afterCr = true;
          else if (text.charCodeAt(i + 1) === LF) i++;
        }
        start = i + 1;
        line(whole);
      }
      pending += text.slice(start);
    },
    get lastEventId() {
      return lastEventId;
    },
  };
}
