import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventStream, parseEventId, primingEvent, SseConnection, type ConnectionOptions } from './mcp-stream.ts';
import { FakeSink } from './mcp-test-support.ts';

const timers = { setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms), clearTimeout: (h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>) };
const options = (more: Partial<ConnectionOptions> = {}): ConnectionOptions => ({ dropAfter: null, heartbeatMs: 0, timers, ...more });

function connect(stream: EventStream, after: number | null, more: Partial<ConnectionOptions> = {}) {
  const sink = new FakeSink();
  const connection = new SseConnection(sink.sink, options(more));
  stream.attach(connection, after);
  return { sink, connection };
}

const ids = (sink: FakeSink) => sink.blocks().map((b) => b.id);

describe('EventStream', () => {
  it('gives each message the id <stream>-<n> and writes it to the connection carrying the stream', () => {
    const stream = new EventStream(3, false);
    const { sink } = connect(stream, null);
    stream.push({ a: 1 });
    stream.push({ a: 2 });
    expect(sink.blocks()).toEqual([
      { id: '3-1', event: 'message', data: '{"a":1}' },
      { id: '3-2', event: 'message', data: '{"a":2}' },
    ]);
    stream.finish();
    expect(sink.ended).toBe(true);
    expect(stream.attached).toBe(false);
  });

  it('keeps what came while no connection carried it; a resume gets what follows its Last-Event-ID', () => {
    const stream = new EventStream(1, false);
    for (let i = 1; i <= 4; i++) stream.push({ i });
    const { sink } = connect(stream, 2);
    expect(ids(sink)).toEqual(['1-3', '1-4']);
    stream.push({ i: 5 });
    expect(ids(sink)).toEqual(['1-3', '1-4', '1-5']);
  });

  it('without a Last-Event-ID (a plain GET), what no connection has had yet; the priming id says where that is', () => {
    const stream = new EventStream(1, true);
    const first = connect(stream, null);
    stream.push({ i: 1 });
    first.connection.closed();
    stream.push({ i: 2 });
    expect(primingEvent(stream)).toBe('id: 1-1\ndata: \n\n');
    expect(ids(connect(stream, null).sink)).toEqual(['1-2']);
  });

  it('a new connection takes the stream over: the old one is cut', () => {
    const stream = new EventStream(1, false);
    const old = connect(stream, null);
    const fresh = connect(stream, 0);
    expect(old.sink.wasCut).toBe(true);
    stream.push({ i: 1 });
    expect(old.sink.messages()).toEqual([]);
    expect(fresh.sink.messages()).toEqual([{ i: 1 }]);
  });

  it('dropAfter N: the N-th message is written, then the connection is cut and the stream waits', () => {
    const stream = new EventStream(2, false);
    const { sink, connection } = connect(stream, null, { dropAfter: 2 });
    for (let i = 1; i <= 3; i++) stream.push({ i });
    expect(ids(sink)).toEqual(['2-1', '2-2']);
    expect(sink.wasCut).toBe(true);
    expect(connection.open).toBe(false);
    expect(stream.attached).toBe(false);
    // Replayed messages count too.
    const again = connect(stream, 0, { dropAfter: 2 });
    expect(ids(again.sink)).toEqual(['2-1', '2-2']);
    expect(again.sink.wasCut).toBe(true);
  });

  it('a finished stream ends a resume once it has replayed the rest', () => {
    const stream = new EventStream(1, false);
    stream.push({ i: 1 });
    stream.push({ i: 2 });
    stream.finish();
    const { sink } = connect(stream, 1);
    expect(ids(sink)).toEqual(['1-2']);
    expect(sink.ended).toBe(true);
  });

  it('dropOldest lets messages go: a resume from before them starts at the oldest kept', () => {
    const stream = new EventStream(1, false);
    for (let i = 1; i <= 3; i++) stream.push({ i });
    stream.dropOldest();
    expect([stream.kept, stream.last]).toEqual([2, 3]);
    expect(ids(connect(stream, 0).sink)).toEqual(['1-2', '1-3']);
  });
});

describe('SseConnection', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('a heartbeat comment while open; none after it ends', () => {
    const sink = new FakeSink();
    const connection = new SseConnection(sink.sink, options({ heartbeatMs: 1000 }));
    vi.advanceTimersByTime(2500);
    expect(sink.blocks()).toEqual([{ comment: 'keep-alive' }, { comment: 'keep-alive' }]);
    connection.closed();
    expect(vi.getTimerCount()).toBe(0);
    connection.retry(5);
    expect(sink.blocks()).toHaveLength(2);
  });

  it('retry and raw text; onGone once', () => {
    const sink = new FakeSink();
    const connection = new SseConnection(sink.sink, options());
    const gone = vi.fn();
    connection.onGone = gone;
    connection.retry(250);
    connection.raw(primingEvent(new EventStream(4, false)));
    expect(sink.blocks()).toEqual([{ retry: '250' }, { id: '4-0', data: '' }]);
    connection.end();
    connection.cut();
    connection.closed();
    expect(gone).toHaveBeenCalledOnce();
    expect([sink.ended, sink.wasCut]).toEqual([true, false]);
  });
});

it('parseEventId: <stream>-<n> only', () => {
  expect(parseEventId('2-15')).toEqual({ stream: 2, n: 15 });
  expect(parseEventId(' 2-0 ')).toEqual({ stream: 2, n: 0 });
  for (const bad of ['2', '2-', 'a-1', '1-2-3', '99999999999-1', '']) expect(parseEventId(bad)).toBeNull();
});
