import { describe, expect, it } from 'vitest';
import { encodeSseComment, encodeSseEvent, encodeSseRetry, type SseEvent } from './sse-encoding.ts';

interface ParsedEvent {
  type: string;
  data: string;
  lastEventId: string;
}

/**
 * A small parser that follows WHATWG HTML "Interpreting an event stream" to the letter: lines end in
 * CRLF, LF or CR; a blank line dispatches; `:` starts a comment; one space after the colon is
 * dropped; ids with NUL are ignored; an event without data is not dispatched; an unfinished event
 * at the end of the stream is dropped.
 */
function parseEventStream(text: string): { events: ParsedEvent[]; retry: number | null; comments: string[] } {
  const events: ParsedEvent[] = [];
  const comments: string[] = [];
  let retry: number | null = null;
  let data = '';
  let eventType = '';
  let lastEventId = '';
  let lastEventIdBuffer = '';
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lines = body.split(/\r\n|\r|\n/);
  // The piece after the last line break is an unfinished line: not processed.
  lines.pop();
  for (const line of lines) {
    if (line === '') {
      lastEventId = lastEventIdBuffer;
      if (data === '') {
        eventType = '';
        continue;
      }
      if (data.endsWith('\n')) data = data.slice(0, -1);
      events.push({ type: eventType || 'message', data, lastEventId });
      data = '';
      eventType = '';
      continue;
    }
    if (line.startsWith(':')) {
      comments.push(line.slice(1).replace(/^ /, ''));
      continue;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') eventType = value;
    else if (field === 'data') data += `${value}\n`;
    else if (field === 'id') {
      if (!value.includes('\0')) lastEventIdBuffer = value;
    } else if (field === 'retry') {
      if (/^[0-9]+$/.test(value)) retry = Number(value);
    }
  }
  return { events, retry, comments };
}

describe('encodeSseEvent', () => {
  it('writes id, event and data lines, then a blank line', () => {
    expect(encodeSseEvent({ id: '7', event: 'done', data: '{"total":7}' })).toBe(
      'id: 7\nevent: done\ndata: {"total":7}\n\n',
    );
  });

  it('leaves out id and event when they are not given', () => {
    expect(encodeSseEvent({ data: 'hello' })).toBe('data: hello\n\n');
    expect(encodeSseEvent({ id: '1', data: 'x' })).toBe('id: 1\ndata: x\n\n');
    expect(encodeSseEvent({ event: 'e', data: 'x' })).toBe('event: e\ndata: x\n\n');
  });

  it('writes an empty data line for empty data', () => {
    expect(encodeSseEvent({ data: '' })).toBe('data: \n\n');
  });

  it('splits multi-line data at LF, CRLF and CR into several data: lines', () => {
    expect(encodeSseEvent({ data: 'a\nb' })).toBe('data: a\ndata: b\n\n');
    expect(encodeSseEvent({ data: 'a\r\nb' })).toBe('data: a\ndata: b\n\n');
    expect(encodeSseEvent({ data: 'a\rb' })).toBe('data: a\ndata: b\n\n');
    expect(encodeSseEvent({ data: 'a\r\n\r\nb\n' })).toBe('data: a\ndata: \ndata: b\ndata: \n\n');
    expect(encodeSseEvent({ data: '\n' })).toBe('data: \ndata: \n\n');
  });

  it('never writes a raw CR into the stream', () => {
    expect(encodeSseEvent({ id: '1', data: 'x\ry\r\nz' })).not.toMatch(/\r/);
  });

  it('keeps a leading space and colons in data intact', () => {
    expect(encodeSseEvent({ data: ' lead: colon' })).toBe('data:  lead: colon\n\n');
  });

  it.each(['a\nb', 'a\rb', 'a\r\nb', '\n'])('throws on a line break in id (%j)', (id) => {
    expect(() => encodeSseEvent({ id, data: 'x' })).toThrow(/id must not contain a line break/);
  });

  it.each(['a\nb', 'a\rb', 'a\r\nb'])('throws on a line break in event (%j)', (event) => {
    expect(() => encodeSseEvent({ event, data: 'x' })).toThrow(/event must not contain a line break/);
  });

  it('throws on NUL in id', () => {
    expect(() => encodeSseEvent({ id: 'a\0b', data: 'x' })).toThrow(/NUL/);
  });
});

describe('encodeSseRetry', () => {
  it('writes a retry field and a blank line', () => {
    expect(encodeSseRetry(1000)).toBe('retry: 1000\n\n');
    expect(encodeSseRetry(0)).toBe('retry: 0\n\n');
  });

  it.each([-1, 1.5, Number.NaN, Infinity])('throws on %s', (ms) => {
    expect(() => encodeSseRetry(ms)).toThrow(/non-negative integer/);
  });

  it('is understood by a parser as the reconnection time, and dispatches nothing', () => {
    expect(parseEventStream(encodeSseRetry(2500))).toEqual({ events: [], retry: 2500, comments: [] });
  });
});

describe('encodeSseComment', () => {
  it('writes a comment line and a blank line', () => {
    expect(encodeSseComment('heartbeat')).toBe(': heartbeat\n\n');
  });

  it('prefixes every line of a multi-line comment', () => {
    expect(encodeSseComment('a\nb\r\nc\rd')).toBe(': a\n: b\n: c\n: d\n\n');
  });

  it('is ignored by a parser', () => {
    const stream = encodeSseComment('x\ndata: not data') + encodeSseEvent({ data: 'real' });
    const parsed = parseEventStream(stream);
    expect(parsed.events).toEqual([{ type: 'message', data: 'real', lastEventId: '' }]);
    expect(parsed.comments).toEqual(['x', 'data: not data']);
  });
});

describe('round trip through a spec-following parser', () => {
  const cases: SseEvent[] = [
    { data: 'plain' },
    { id: '42', data: '{"type":"frame","seq":42}' },
    { id: '1', event: 'done', data: '{"type":"done","total":1}' },
    { data: 'line one\nline two\nline three' },
    { data: 'crlf\r\nand\rcr' },
    { data: 'trailing newline\n' },
    { data: '\n\nblank lines\n\n' },
    { data: '  two leading spaces' },
    { data: ': looks like a comment' },
    { data: 'unicode: ünïcødé 🚀 — ok' },
    { id: 'x y z', event: 'custom', data: 'data: in data' },
  ];

  it.each(cases)('event %#', (event) => {
    const [parsed, ...rest] = parseEventStream(encodeSseEvent(event)).events;
    expect(rest).toEqual([]);
    expect(parsed).toEqual({
      type: event.event ?? 'message',
      // Line breaks in data all come back as LF.
      data: event.data.replace(/\r\n|\r/g, '\n'),
      lastEventId: event.id ?? '',
    });
  });

  it('a whole stream: retry, comment, events; ids carry over to later events', () => {
    const stream =
      encodeSseRetry(1000) +
      encodeSseEvent({ id: '1', data: 'a' }) +
      encodeSseComment('heartbeat') +
      encodeSseEvent({ id: '2', data: 'b\nc' }) +
      encodeSseEvent({ event: 'done', data: '{}' });
    expect(parseEventStream(stream)).toEqual({
      retry: 1000,
      comments: ['heartbeat'],
      events: [
        { type: 'message', data: 'a', lastEventId: '1' },
        { type: 'message', data: 'b\nc', lastEventId: '2' },
        { type: 'done', data: '{}', lastEventId: '2' },
      ],
    });
  });

  it('an encoded event is complete on its own: nothing is left unfinished', () => {
    // Cut off the blank line and the event is not dispatched; with it, it is.
    const encoded = encodeSseEvent({ id: '3', data: 'x' });
    expect(parseEventStream(encoded.slice(0, -1)).events).toEqual([]);
    expect(parseEventStream(encoded).events).toHaveLength(1);
  });
});
