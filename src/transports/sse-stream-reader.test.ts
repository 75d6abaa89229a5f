/**
 * Conformance of the fetch-body SSE reader with WHATWG HTML "Server-sent events", §9.2.6 "Parsing an
 * event stream" and §9.2.7 "Interpreting an event stream". Table-driven: each case is the bytes of a
 * stream, cut into chunks at chosen byte offsets, and everything the reader reports for it, in order.
 *
 * Every case is also fed as one chunk and one byte at a time: how the network cuts a stream never
 * changes what it means. And every event must be reported when its blank line arrives, not later
 * (end() of the body never dispatches anything).
 *
 * An `id` sets the last event ID buffer at once, and the blank line makes it the last event ID even
 * when the event has no `data` and so dispatches nothing (`id: 7\n\n`): eventsource-parser 3.1 got
 * that wrong, hence our own parser (`src/protocol/sse-parser.ts`, unit-tested beside it).
 */
import { describe, expect, it } from 'vitest';
import { createSseStreamReader } from './sse-stream-reader.ts';

type Entry = { event: string; data: string; id: string } | { retry: number } | { comment: string };

interface Case {
  name: string;
  chunks: Uint8Array[];
  expected: Entry[];
  /** The reader's lastEventId at the end; by default the id of the last expected event, or "". */
  lastEventId?: string;
}

const encoder = new TextEncoder();
const utf8 = (text: string): Uint8Array => encoder.encode(text);

/** The UTF-8 bytes of `text` cut at the given byte offsets. */
function cut(text: string, ...offsets: number[]): Uint8Array[] {
  const bytes = utf8(text);
  const bounds = [0, ...offsets, bytes.length];
  return bounds.slice(1).map((end, i) => bytes.slice(bounds[i], end));
}

/** Chunks given as text, each encoded on its own. */
const chunks = (...texts: string[]): Uint8Array[] => texts.map(utf8);

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const msg = (data: string, id = '', event = 'message'): Entry => ({ event, data, id });

interface Outcome {
  /** What was reported before end(). */
  beforeEnd: Entry[];
  all: Entry[];
  lastEventId: string;
}

function read(parts: readonly Uint8Array[]): Outcome {
  const log: Entry[] = [];
  const reader = createSseStreamReader({
    onEvent: (e) => log.push({ event: e.event, data: e.data, id: e.id }),
    onRetry: (ms) => log.push({ retry: ms }),
    onComment: (text) => log.push({ comment: text }),
  });
  for (const part of parts) reader.push(part);
  const beforeEnd = [...log];
  reader.end();
  return { beforeEnd, all: log, lastEventId: reader.lastEventId };
}

function defaultLastId(expected: readonly Entry[]): string {
  const events = expected.filter((e): e is Extract<Entry, { event: string }> => 'event' in e);
  return events.length > 0 ? events[events.length - 1].id : '';
}

// ---------------------------------------------------------------------------------------------------

const lineEnds: Case[] = [
  { name: 'LF', chunks: chunks('data: a\n\ndata: b\n\n'), expected: [msg('a'), msg('b')] },
  { name: 'CR', chunks: chunks('data: a\r\rdata: b\r\r'), expected: [msg('a'), msg('b')] },
  { name: 'CRLF', chunks: chunks('data: a\r\n\r\ndata: b\r\n\r\n'), expected: [msg('a'), msg('b')] },
  {
    name: 'CRLF, CR and LF mixed in one event and between events',
    chunks: chunks('data: a\r\ndata: b\rdata: c\n\r\nevent: e\rdata: d\n\r'),
    expected: [msg('a\nb\nc'), msg('d', '', 'e')],
  },
  {
    name: 'LF CR is two line ends (the CR is a blank line)',
    chunks: chunks('data: a\n\rdata: b\n\n'),
    expected: [msg('a'), msg('b')],
  },
  {
    // Were the CR and the LF taken as two line ends, the LF would be a blank line and "a" would be
    // dispatched alone.
    name: 'a chunk boundary inside a CRLF within an event',
    chunks: chunks('data: a\r', '\ndata: b\r\n\r', '\n'),
    expected: [msg('a\nb')],
  },
  {
    name: 'a chunk boundary inside the CRLF of the blank line',
    chunks: chunks('data: a\r\n\r', '\ndata: b\r\n\r\n'),
    expected: [msg('a'), msg('b')],
  },
  {
    name: 'a lone CR at the end of a chunk is a line end at once, followed by text',
    chunks: chunks('data: a\r', 'data: b\r\r'),
    expected: [msg('a\nb')],
  },
  {
    name: 'a blank-line CR ending a chunk dispatches although an unterminated line follows',
    chunks: chunks('data: a\n\r', 'data: b'),
    expected: [msg('a')],
  },
  {
    name: 'a final line ended by a lone CR, then the blank line CR at end of stream',
    chunks: chunks('data: x\r', '\r'),
    expected: [msg('x')],
  },
  { name: 'CR CR ending the one chunk of the stream', chunks: chunks('data: x\r\r'), expected: [msg('x')] },
];

/** Every way to cut a stream holding a 2-, 3- or 4-byte character (three times) in two chunks. */
const splitCharacters: Case[] = ['é', '€', '😀'].flatMap((char) => {
  const text = `id: ${char}\nevent: ${char}\ndata: <${char}>\n\n`;
  const bytes = utf8(text);
  const size = utf8(char).length;
  // The byte offsets that fall inside one of the characters.
  const inside = new Set<number>();
  let at = 0;
  for (const c of text) {
    const n = utf8(c).length;
    if (c === char) for (let k = 1; k < n; k++) inside.add(at + k);
    at += n;
  }
  return Array.from({ length: bytes.length - 1 }, (_, i) => i + 1).map(
    (offset): Case => ({
      name: `${size}-byte ${char}, cut at byte ${offset}${inside.has(offset) ? ' (inside the character)' : ''}`,
      chunks: cut(text, offset),
      expected: [msg(`<${char}>`, char, char)],
    }),
  );
});

const decoding: Case[] = [
  {
    name: 'a 4-byte character cut into four chunks',
    chunks: cut('data: 😀\n\n', 7, 8, 9),
    expected: [msg('😀')],
  },
  {
    name: 'bytes that are not UTF-8 become U+FFFD',
    chunks: [concat([utf8('data: a'), new Uint8Array([0xff, 0xc3]), utf8('b\n\n')])],
    expected: [msg('a\uFFFD\uFFFDb')],
  },
];

const bom: Case[] = [
  { name: 'a leading BOM is removed', chunks: chunks('\uFEFFdata: a\n\n'), expected: [msg('a')] },
  {
    name: 'a leading BOM cut across three chunks is removed',
    chunks: cut('\uFEFFdata: a\n\n', 1, 2),
    expected: [msg('a')],
  },
  {
    name: 'a leading BOM alone in the first chunk is removed',
    chunks: chunks('\uFEFF', 'data: a\n\n'),
    expected: [msg('a')],
  },
  {
    name: 'only one BOM is removed: a second one makes the first field "\\uFEFFdata", ignored',
    chunks: chunks('\uFEFF\uFEFFdata: a\n\ndata: b\n\n'),
    expected: [msg('b')],
  },
  {
    name: 'a BOM later in the stream is not removed',
    chunks: chunks('\uFEFFdata: a\n\n', '\uFEFFdata: b\n\ndata: \uFEFFc\uFEFF\n\n'),
    expected: [msg('a'), msg('\uFEFFc\uFEFF')],
  },
  {
    name: 'text starting with "ï»¿" (the BOM bytes read as Latin-1) is not a BOM',
    chunks: chunks('\u00EF\u00BB\u00BFdata: a\n\ndata: b\n\n'),
    expected: [msg('b')],
  },
];

const comments: Case[] = [
  {
    name: 'comments are reported and dispatch nothing',
    chunks: chunks(': hello\n:\n:no space\n:  two spaces\ndata: a\n: inside an event\n\n: ping\n\n'),
    expected: [
      { comment: 'hello' },
      { comment: '' },
      { comment: 'no space' },
      { comment: ' two spaces' },
      { comment: 'inside an event' },
      msg('a'),
      { comment: 'ping' },
    ],
  },
  {
    name: 'a comment does not end an event',
    chunks: chunks('data: a\n:x\ndata: b\n\n'),
    expected: [{ comment: 'x' }, msg('a\nb')],
  },
];

const retry: Case[] = [
  {
    name: '"retry: 300" sets the reconnection time at once, without an event',
    chunks: chunks('retry: 300\n\ndata: a\nretry:50\n\n'),
    expected: [{ retry: 300 }, { retry: 50 }, msg('a')],
  },
  {
    name: 'a retry that is not only ASCII digits is ignored',
    chunks: chunks('retry: x\nretry: -1\nretry: 1.5\nretry: 300 \nretry:  300\nretry: 3e2\nretry: \uFF13\n\ndata: a\n\n'),
    expected: [msg('a')],
  },
];

const ids: Case[] = [
  {
    name: 'the last event ID persists to later events without id',
    chunks: chunks('id: 1\ndata: a\n\ndata: b\n\nid: 2\ndata: c\n\ndata: d\n\n'),
    expected: [msg('a', '1'), msg('b', '1'), msg('c', '2'), msg('d', '2')],
  },
  {
    name: 'an id after the data of its event still applies to it',
    chunks: chunks('data: a\nid: 7\n\n'),
    expected: [msg('a', '7')],
  },
  {
    name: 'an id containing NUL is ignored: the last event ID stays',
    chunks: chunks('id: 5\ndata: a\n\nid: 6\u00007\ndata: b\n\nid: \u0000\ndata: c\n\n'),
    expected: [msg('a', '5'), msg('b', '5'), msg('c', '5')],
  },
  {
    name: 'an empty id resets the last event ID to ""',
    chunks: chunks('id: 5\ndata: a\n\nid:\ndata: b\n\nid: 6\ndata: c\n\nid\ndata: d\n\n'),
    expected: [msg('a', '5'), msg('b', ''), msg('c', '6'), msg('d', '')],
  },
  {
    name: 'an id keeps every character after the one optional space',
    chunks: chunks('id:  x y \ndata: a\n\nid:z\ndata: b\n\n'),
    expected: [msg('a', ' x y '), msg('b', 'z')],
  },
  {
    name: 'the id of an event cut off by the end of the stream is not taken',
    chunks: chunks('id: 1\ndata: a\n\nid: 2\ndata: b\n'),
    expected: [msg('a', '1')],
  },
];

/** An event with an `id` but no `data`: nothing is dispatched, but the last event ID is set. */
const idsWithoutData: Case[] = [
  {
    name: 'an id in an event without data applies to the next event',
    chunks: chunks('id: 1\ndata: a\n\nid: 2\n\ndata: b\n\n'),
    expected: [msg('a', '1'), msg('b', '2')],
  },
  {
    name: '"id: 7" alone sets the last event ID without an event',
    chunks: chunks('id: 7\n\n'),
    expected: [],
    lastEventId: '7',
  },
  {
    name: 'an id-only event after events: a reconnect sends its id',
    chunks: chunks('id: 4\ndata: a\n\nid: 5\n\n'),
    expected: [msg('a', '4')],
    lastEventId: '5',
  },
  {
    name: 'an id after the data applies to that event and the ones after it',
    chunks: chunks('data: a\nid: 3\n\ndata: b\n\n'),
    expected: [msg('a', '3'), msg('b', '3')],
  },
  {
    name: 'an id with no value in an event without data resets the last event ID to ""',
    chunks: chunks('id: 5\ndata: a\n\nid:\n\ndata: b\n\nid: 6\n\nid\n\n'),
    expected: [msg('a', '5'), msg('b', '')],
    lastEventId: '',
  },
  {
    name: 'an id containing NUL in an event without data is ignored',
    chunks: chunks('id: 5\ndata: a\n\nid: 6\u00007\n\ndata: b\n\nid: \u0000\n\n'),
    expected: [msg('a', '5'), msg('b', '5')],
    lastEventId: '5',
  },
  {
    name: 'several id-only events: the last one wins',
    chunks: chunks('id: 1\n\nid: 2\n\nid: 3\n\ndata: a\n\n'),
    expected: [msg('a', '3')],
  },
  {
    name: 'an id-only event with a type: the type is reset, the id kept',
    chunks: chunks('event: x\nid: 8\n\ndata: a\n\n'),
    expected: [msg('a', '8')],
  },
  {
    name: 'an id-only event with a comment and a retry, with CR line ends',
    chunks: chunks('id: 9\r: note\rretry: 10\r\r'),
    expected: [{ comment: 'note' }, { retry: 10 }],
    lastEventId: '9',
  },
  {
    name: 'an id-only event cut off by the end of the stream is not taken',
    chunks: chunks('id: 1\n\nid: 2\n'),
    expected: [],
    lastEventId: '1',
  },
];

const eventTypes: Case[] = [
  {
    name: 'an empty event type gives "message"',
    chunks: chunks('event:\ndata: a\n\nevent\ndata: b\n\n'),
    expected: [msg('a'), msg('b')],
  },
  {
    name: 'a named event type, reset after each event',
    chunks: chunks('event: update\ndata: a\n\ndata: b\n\nevent:done\ndata: c\n\n'),
    expected: [msg('a', '', 'update'), msg('b'), msg('c', '', 'done')],
  },
  {
    name: 'the last event line of an event wins',
    chunks: chunks('event: one\nevent: two\ndata: a\n\n'),
    expected: [msg('a', '', 'two')],
  },
  {
    name: 'an event with an empty data buffer dispatches nothing and resets the type',
    chunks: chunks('event: x\n\ndata: a\n\n'),
    expected: [msg('a')],
  },
];

const fields: Case[] = [
  {
    name: 'unknown fields are ignored; field names are case-sensitive and literal',
    chunks: chunks('foo: bar\nDATA: x\nData: y\ndata : z\n data: w\nEvent: e\nID: 9\ndata: a\n\n'),
    expected: [msg('a')],
  },
  { name: 'a field without colon: "data" alone is an empty data line', chunks: chunks('data\n\n'), expected: [msg('')] },
  {
    name: '"data" alone twice gives one LF',
    chunks: chunks('data\ndata\n\ndata\ndata: a\n\n'),
    expected: [msg('\n'), msg('\na')],
  },
  {
    name: 'data: with and without the single leading space',
    chunks: chunks('data:a\n\ndata: a\n\ndata:  a\n\ndata: \n\ndata:\n\n'),
    expected: [msg('a'), msg('a'), msg(' a'), msg(''), msg('')],
  },
  {
    name: 'only the first colon separates the value',
    chunks: chunks('data: a: b:c\n\n'),
    expected: [msg('a: b:c')],
  },
  {
    name: 'several data lines are joined with LF',
    chunks: chunks('data: a\ndata: b\ndata: c\n\n'),
    expected: [msg('a\nb\nc')],
  },
  {
    name: 'only one trailing LF is removed from the data buffer',
    chunks: chunks('data: a\ndata:\n\n'),
    expected: [msg('a\n')],
  },
  {
    name: 'JSON data as the lab sends it',
    chunks: chunks('retry: 1000\n\nid: 1\ndata: {"type":"frame","seq":1}\n\nevent: done\ndata: {"type":"done","total":1}\n\n'),
    expected: [{ retry: 1000 }, msg('{"type":"frame","seq":1}', '1'), msg('{"type":"done","total":1}', '1', 'done')],
  },
];

const endOfStream: Case[] = [
  {
    name: 'an event without its final blank line at end of stream is discarded',
    chunks: chunks('data: a\n\ndata: b\n'),
    expected: [msg('a')],
  },
  {
    name: 'an unterminated last line is discarded',
    chunks: chunks('data: a\n\ndata: b'),
    expected: [msg('a')],
  },
  { name: 'an empty stream reports nothing', chunks: [], expected: [] },
  {
    name: 'a character cut off by the end of the stream does not complete an event',
    chunks: [concat([utf8('data: a\n\ndata: b'), new Uint8Array([0xe2, 0x82])])],
    expected: [msg('a')],
  },
];

const groups: [string, Case[]][] = [
  ['line ends', lineEnds],
  ['UTF-8 characters cut across chunks', splitCharacters],
  ['UTF-8 decoding', decoding],
  ['BOM', bom],
  ['comments', comments],
  ['retry', retry],
  ['id and the last event ID', ids],
  ['id without data', idsWithoutData],
  ['event type', eventTypes],
  ['fields and data', fields],
  ['end of stream', endOfStream],
];

describe.each(groups)('SSE stream reader: %s', (_group, cases) => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const lastEventId = c.lastEventId ?? defaultLastId(c.expected);
    const whole = concat(c.chunks);
    const bytewise = Array.from(whole, (b) => new Uint8Array([b]));

    for (const [how, parts] of [
      ['as chunked', c.chunks],
      ['in one chunk', [whole]],
      ['one byte per chunk', bytewise],
    ] as const) {
      const outcome = read(parts);
      expect(outcome.all, how).toEqual(c.expected);
      // Reported when the blank line arrived, not held back until the body ended.
      expect(outcome.beforeEnd, `${how}: before end()`).toEqual(c.expected);
      expect(outcome.lastEventId, `${how}: lastEventId`).toBe(lastEventId);
    }
  });
});

describe('SSE stream reader: lastEventId while streaming', () => {
  it('is the id of the last dispatched event, not of one still being received', () => {
    const seen: string[] = [];
    const reader = createSseStreamReader({ onEvent: (e) => seen.push(e.id) });
    expect(reader.lastEventId).toBe('');
    reader.push(utf8('id: 1\ndata: a\n\nid: 2\ndata: b\n'));
    expect(seen).toEqual(['1']);
    expect(reader.lastEventId).toBe('1');
    reader.push(utf8('\n'));
    expect(seen).toEqual(['1', '2']);
    expect(reader.lastEventId).toBe('2');
  });

  it('is set by the blank line of an event with an id and no data', () => {
    const seen: string[] = [];
    const reader = createSseStreamReader({ onEvent: (e) => seen.push(e.id) });
    reader.push(utf8('id: 5\n'));
    expect(reader.lastEventId).toBe('');
    reader.push(utf8('\r'));
    expect(reader.lastEventId).toBe('5');
    reader.push(utf8('\ndata: a\n\n'));
    expect(seen).toEqual(['5']);
    reader.end();
    expect(reader.lastEventId).toBe('5');
  });

  it('works without onRetry and onComment', () => {
    const seen: string[] = [];
    const reader = createSseStreamReader({ onEvent: (e) => seen.push(e.data) });
    reader.push(utf8('retry: 5\n: note\ndata: a\n\n'));
    reader.end();
    expect(seen).toEqual(['a']);
  });
});
