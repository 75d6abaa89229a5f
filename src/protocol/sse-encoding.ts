/**
 * Server-Sent Events wire format (WHATWG HTML, "Server-sent events"). Pure string building, shared by
 * the live server and anything that needs to count SSE bytes.
 */
export interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

function assertSingleLine(field: string, value: string): void {
  if (/[\r\n]/.test(value)) throw new Error(`SSE ${field} must not contain a line break`);
}

/** One event. Multi-line data becomes several `data:` lines; the blank line ends the event. */
export function encodeSseEvent(event: SseEvent): string {
  let out = '';
  if (event.id !== undefined) {
    assertSingleLine('id', event.id);
    if (event.id.includes('\0')) throw new Error('SSE id must not contain NUL');
    out += `id: ${event.id}\n`;
  }
  if (event.event !== undefined) {
    assertSingleLine('event', event.event);
    out += `event: ${event.event}\n`;
  }
  for (const line of event.data.split(/\r\n|\r|\n/)) out += `data: ${line}\n`;
  return `${out}\n`;
}

/** The reconnection time the browser should wait before reconnecting, in ms. */
export function encodeSseRetry(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0) throw new Error('SSE retry must be a non-negative integer');
  return `retry: ${ms}\n\n`;
}

/** A comment line: ignored by parsers, keeps proxies and idle timers from closing the stream. */
export function encodeSseComment(text: string): string {
  return `${text
    .split(/\r\n|\r|\n/)
    .map((line) => `: ${line}`)
    .join('\n')}\n\n`;
}
