/**
 * The SSE line parser on decoded text. The byte side (UTF-8, BOM) and the full WHATWG conformance
 * table are in src/transports/sse-stream-reader.test.ts; here: the contract of `createSseParser`.
 */
import { describe, expect, it } from 'vitest';
import { createSseParser, type SseEvent } from './sse-parser.ts';

type Entry = SseEvent | { retry: number } | { comment: string };

function parse(...texts: string[]) {
  const log: Entry[] = [];
  const parser = createSseParser({
    onEvent: (e) => log.push(e),
    onRetry: (ms) => log.push({ retry: ms }),
    onComment: (text) => log.push({ comment: text }),
  });
  for (const text of texts) parser.feed(text);
  return { log, parser };
}

const msg = (data: string, id = '', event = 'message'): SseEvent => ({ event, data, id });

describe('createSseParser', () => {
  it('dispatches on a blank line, with type "message" and one trailing LF removed', () => {
    expect(parse('data: a\ndata: b\n\nevent: t\ndata\n\n').log).toEqual([msg('a\nb'), msg('', '', 't')]);
  });

  it('reports an event as soon as its blank line arrives, even ended by a CR at the end of a chunk', () => {
    const { log, parser } = parse('data: a\r\r');
    expect(log).toEqual([msg('a')]);
    // The LF that may follow belongs to the CR: it is not another (blank) line.
    parser.feed('\ndata: b\r');
    parser.feed('\n');
    parser.feed('\n');
    expect(log).toEqual([msg('a'), msg('b')]);
  });

  it('takes CR, LF and CRLF as line ends, and a CRLF cut across chunks as one', () => {
    expect(parse('data: a\r', '\ndata: b\r\n\r', '', '\n').log).toEqual([msg('a\nb')]);
    expect(parse('data: a\n\rdata: b\r\n\n').log).toEqual([msg('a'), msg('b')]);
  });

  it('means the same whatever the chunks', () => {
    const text = 'id: 1\r\nevent: e\rdata: a\n\r\n: c\r\rid: 2\n\nretry: 9\ndata: b\r\r';
    const expected = parse(text).log;
    expect(expected).toEqual([msg('a', '1', 'e'), { comment: 'c' }, { retry: 9 }, msg('b', '2')]);
    expect(parse(...text).log).toEqual(expected);
    for (let i = 1; i < text.length; i++) expect(parse(text.slice(0, i), text.slice(i)).log).toEqual(expected);
  });

  it('keeps an unterminated line pending: no dispatch without the blank line', () => {
    const { log, parser } = parse('id: 1\ndata: a\n\nid: 2\ndata: b\n', 'data: c');
    expect(log).toEqual([msg('a', '1')]);
    expect(parser.lastEventId).toBe('1');
  });

  it('sets the last event ID at the blank line of an event without data, and dispatches nothing', () => {
    const { log, parser } = parse('id: 1\ndata: a\n\nid: 2\n\n');
    expect(log).toEqual([msg('a', '1')]);
    expect(parser.lastEventId).toBe('2');
    parser.feed('data: b\n\n');
    expect(log).toEqual([msg('a', '1'), msg('b', '2')]);
  });

  it('lastEventId is the ID buffer as of the last blank line, not one still being received', () => {
    const { parser } = parse('id: 3\n');
    expect(parser.lastEventId).toBe('');
    parser.feed('\n');
    expect(parser.lastEventId).toBe('3');
  });

  it('ignores an id containing NUL; an id with no value resets it to ""', () => {
    expect(parse('id: 1\n\nid: a\0b\n\ndata: x\n\n').log).toEqual([msg('x', '1')]);
    expect(parse('id: 1\n\nid\n\ndata: x\n\n').log).toEqual([msg('x', '')]);
    expect(parse('id: 1\n\nid:\ndata: x\n\n').log).toEqual([msg('x', '')]);
  });

  it('resets the event type after an event without data', () => {
    expect(parse('event: x\n\ndata: a\n\n').log).toEqual([msg('a')]);
  });

  it('splits at the first colon and removes one leading space only', () => {
    expect(parse('data:  a: b\n\ndata:c\n\n').log).toEqual([msg(' a: b'), msg('c')]);
  });

  it('reports comments without their one leading space, and retry with ASCII digits only', () => {
    expect(parse(': a\n:  b\n:\nretry: 15\nretry: 1.5\nretry: 15 \nretry: -1\nretry:\n\n').log).toEqual([
      { comment: 'a' },
      { comment: ' b' },
      { comment: '' },
      { retry: 15 },
    ]);
  });

  it('ignores unknown and differently cased fields', () => {
    expect(parse('Data: x\nfoo: y\n data: z\ndata: a\n\n').log).toEqual([msg('a')]);
  });

  it('works without onRetry and onComment', () => {
    const seen: string[] = [];
    createSseParser({ onEvent: (e) => seen.push(e.data) }).feed('retry: 5\n: note\ndata: a\n\n');
    expect(seen).toEqual(['a']);
  });

  it('has reset its buffers when onEvent runs, so a callback may feed more text', () => {
    const seen: SseEvent[] = [];
    const parser = createSseParser({
      onEvent: (e) => {
        seen.push(e);
        if (e.data === 'a') parser.feed('data: b\n\n');
      },
    });
    parser.feed('event: t\ndata: a\n\n');
    expect(seen).toEqual([msg('a', '', 't'), msg('b')]);
  });
});
