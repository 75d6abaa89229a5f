import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StreamLog } from '../protocol/stream-log.ts';
import { countedTimers, createCounters } from './counters.ts';
import { ServedStreams, type StreamConnection } from './served-streams.ts';
import { StreamLimits } from './stream-limits.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function setup() {
  const counters = createCounters();
  const timers = countedTimers(counters);
  const limits = new StreamLimits(() => counters.open.sse + counters.open.fetch + counters.open.ws, { perAddress: 2, total: 3 });
  const log = new StreamLog();
  const streams = new ServedStreams(counters, limits, log, timers);
  const calls: string[] = [];
  const connection = (name: string, reply = false): StreamConnection => ({
    stop: () => calls.push(`${name}:stop`),
    cut: () => calls.push(`${name}:cut`),
    close: () => calls.push(`${name}:close`),
    ...(reply ? { reply: (m) => calls.push(`${name}:reply:${m.id}`) } : {}),
  });
  const open = (name: string, over: Partial<Parameters<ServedStreams['open']>[0]> = {}) =>
    streams.open({
      transport: 'sse',
      run: 'r1',
      after: 0,
      address: 'a',
      options: { flakyMs: 0, flakyFrames: 0 },
      connection: connection(name, over.transport !== 'ws'),
      ...over,
    });
  return { counters, limits, log, streams, calls, open };
}

describe('ServedStreams', () => {
  it('counts a stream while it is open, holds its address and logs it; ends once', () => {
    const { counters, limits, streams, calls, open, log } = setup();
    const s = open('s', { after: 4 });
    expect(counters.open.sse).toBe(1);
    expect(counters.opened.sse).toBe(1);
    expect(limits.heldBy('a')).toBe(1);
    expect(log.forRun('r1')).toMatchObject([{ transport: 'sse', lastSeq: 4, reason: null }]);
    expect(s.end()).toBe(true);
    expect(s.end('complete')).toBe(false);
    expect(calls).toEqual(['s:stop']);
    expect(counters.open.sse).toBe(0);
    expect(counters.opened.sse).toBe(1);
    expect(limits.heldBy('a')).toBe(0);
    expect(streams.size).toBe(0);
    expect(log.forRun('r1')[0].reason).toBe('client-closed');
  });

  it('drop: counted, logged as dropped, stopped then cut; nothing after it has ended', () => {
    const { counters, calls, open, log } = setup();
    const s = open('s');
    s.drop();
    s.drop();
    expect(calls).toEqual(['s:stop', 's:cut']);
    expect(counters.dropped.sse).toBe(1);
    expect(log.forRun('r1')[0].reason).toBe('dropped');
  });

  it('slow readers: dropped (SSE) or refused (WebSocket), counted as limited', () => {
    const { counters, calls, open, log } = setup();
    open('s').dropSlowReader();
    const w = open('w', { transport: 'ws' });
    expect(w.refuseSlowReader()).toBe(true);
    expect(w.refuseSlowReader()).toBe(false);
    expect(counters.limited).toBe(2);
    expect(counters.dropped).toEqual({ sse: 1, fetch: 0, ws: 0 });
    expect(calls).toEqual(['s:stop', 's:cut', 'w:stop']);
    expect(log.forRun('r1').map((r) => r.reason)).toEqual(['dropped', 'refused']);
  });

  it('dropMatching: by fault target and run', () => {
    const { streams, open, calls } = setup();
    open('a', { transport: 'sse', run: 'r1' });
    open('b', { transport: 'ws', run: 'r1' });
    open('c', { transport: 'sse', run: 'r2', address: 'b' });
    expect(streams.dropMatching('ws', undefined)).toBe(1);
    expect(streams.dropMatching('all', 'r2')).toBe(1);
    expect(streams.dropMatching('all', undefined)).toBe(1);
    expect(calls.filter((c) => c.endsWith(':cut'))).toEqual(['b:cut', 'c:cut', 'a:cut']);
  });

  it('replyTargets: open streams of the run and transport that can reply', () => {
    const { streams, open } = setup();
    const a = open('a', { transport: 'sse', run: 'r1' });
    open('b', { transport: 'fetch', run: 'r1' });
    open('c', { transport: 'ws', run: 'r1', address: 'b' });
    expect(streams.replyTargets('r1', 'sse')).toEqual([a]);
    expect(streams.replyTargets('r1', 'ws')).toEqual([]);
    a.end();
    expect(streams.replyTargets('r1', 'sse')).toEqual([]);
  });

  it('flakyMs: dropped that long after armFlaky, and the timer is counted while armed', () => {
    const { counters, open, calls } = setup();
    const s = open('s', { options: { flakyMs: 500, flakyFrames: 0 } });
    s.armFlaky();
    expect(counters.activeTimers).toBe(1);
    vi.advanceTimersByTime(499);
    expect(s.ended).toBe(false);
    vi.advanceTimersByTime(1);
    expect(s.ended).toBe(true);
    expect(calls).toEqual(['s:stop', 's:cut']);
    expect(counters.activeTimers).toBe(0);
  });

  it('an ended stream clears (and uncounts) its flaky timer', () => {
    const { counters, open } = setup();
    const s = open('s', { options: { flakyMs: 500, flakyFrames: 0 } });
    s.armFlaky();
    s.end();
    expect(counters.activeTimers).toBe(0);
    vi.advanceTimersByTime(1000);
    expect(counters.dropped.sse).toBe(0);
  });

  it('flakyFrames: every N-th frame is the last', () => {
    const { open } = setup();
    const s = open('s', { options: { flakyMs: 0, flakyFrames: 3 } });
    expect([1, 2, 3, 4, 5, 6].map(() => s.flakyCutDue())).toEqual([false, false, true, false, false, true]);
    expect(open('t').flakyCutDue()).toBe(false);
  });

  it('wrote: counts frames and moves the record on; a frame after the end is counted against it', () => {
    const { counters, open, log } = setup();
    const s = open('s');
    s.wrote(1);
    s.wrote(2);
    s.end();
    s.wrote(3);
    expect(counters.framesSent).toBe(3);
    expect(log.forRun('r1')[0]).toMatchObject({ lastSeq: 2, framesAfterStop: 1 });
  });

  it('closeAll: ends every stream, then closes its connection', () => {
    const { streams, open, calls, counters } = setup();
    open('a');
    open('b', { transport: 'ws' });
    streams.closeAll();
    expect(calls).toEqual(['a:stop', 'a:close', 'b:stop', 'b:close']);
    expect(counters.open).toEqual({ sse: 0, fetch: 0, ws: 0 });
  });
});
