import { describe, expect, it } from 'vitest';
import { mergeRunLog, resumePoint, StreamLog, type StreamRecord } from './stream-log.ts';

describe('StreamLog', () => {
  it('numbers records in opening order and hands out a run from a given record on', () => {
    const log = new StreamLog();
    const a = log.open('r', 'sse', 1, 0);
    log.open('other', 'ws', 2, 0);
    const c = log.open('r', 'ws', 3, 0);
    expect([a.id, c.id]).toEqual([1, 3]);
    expect(log.forRun('r').map((r) => r.id)).toEqual([1, 3]);
    expect(log.forRun('r', 2).map((r) => r.id)).toEqual([3]);
    expect(log.forRun('r', 4)).toEqual([]);
  });

  it('counts backpressure: each pause once, its time when it ends (or the stream stops), the most bytes buffered', () => {
    const log = new StreamLog();
    const record = log.open('r', 'ws', 0, 0);
    expect(record.backpressure).toEqual({ pauses: 0, pausedMs: 0, pausedSince: null, maxBufferedBytes: null });
    StreamLog.buffered(record, 1_000);
    StreamLog.paused(record, 10);
    StreamLog.paused(record, 15); // still the same pause
    StreamLog.buffered(record, 500);
    StreamLog.resumed(record, 40);
    StreamLog.resumed(record, 50); // not paused: nothing to count
    expect(record.backpressure).toEqual({ pauses: 1, pausedMs: 30, pausedSince: null, maxBufferedBytes: 1_000 });
    StreamLog.paused(record, 100);
    expect(log.forRun('r')[0].backpressure.pausedSince).toBe(100);
    StreamLog.stop(record, 160, 'client-closed');
    expect(record.backpressure).toMatchObject({ pauses: 2, pausedMs: 90, pausedSince: null });
    StreamLog.paused(record, 200); // after the end: nothing
    expect(record.backpressure.pauses).toBe(2);
  });

  it('keeps numbering past its capacity, so an id is never reused', () => {
    const log = new StreamLog(2);
    for (let i = 0; i < 5; i++) log.open('r', 'sse', i, 0);
    expect(log.forRun('r').map((r) => r.id)).toEqual([4, 5]);
  });

  it('gives copies: a later write does not change what was handed out', () => {
    const log = new StreamLog();
    const record = log.open('r', 'sse', 0, 0);
    const [copy] = log.forRun('r');
    StreamLog.wroteBytes(record, 10, 20, 30);
    expect(copy.wire.frames).toBe(0);
  });

  it('pages a big run: each page within the byte cap, `next` chaining to the end, nothing lost', () => {
    const log = new StreamLog();
    for (let i = 0; i < 300; i++) {
      const record = log.open('r', 'sse', i, 0);
      // A client can send ~16 KB of headers; each handshake is kept.
      record.handshake = { request: { line: 'GET /api/sse HTTP/1.1', headers: [['x-big', 'x'.repeat(8_000)]], bytes: 8_030 }, response: { line: 'HTTP/1.1 200 OK', headers: [], bytes: 19 }, simulated: false };
    }
    const seen: number[] = [];
    let from: number | null = 0;
    let pages = 0;
    while (from !== null) {
      const page = log.pageForRun('r', from, 100_000);
      expect(JSON.stringify(page.streams).length).toBeLessThanOrEqual(100_000);
      seen.push(...page.streams.map((r) => r.id));
      from = page.next;
      pages++;
    }
    expect(pages).toBeGreaterThan(20);
    expect(seen).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
  });

  it('a page holds at least one record, even one larger than the cap', () => {
    const log = new StreamLog();
    log.open('r', 'sse', 0, 0);
    log.open('r', 'sse', 1, 0);
    expect(log.pageForRun('r', 0, 10)).toMatchObject({ streams: [{ id: 1 }], next: 2 });
  });
});

describe('polling a run log: resumePoint and mergeRunLog', () => {
  const log = new StreamLog();
  const at = (id: number, stopped: boolean, frames = 0): StreamRecord => ({
    ...log.open('r', 'sse', id, 0),
    id,
    stoppedAt: stopped ? id : null,
    wire: { frames, payloadBytes: 0, messageBytes: 0, socketBytes: null },
  });

  it('starts from the oldest open record, or after the newest when all are stopped', () => {
    expect(resumePoint([])).toBe(1);
    expect(resumePoint([at(1, true), at(2, false), at(3, true), at(4, false)])).toBe(2);
    expect(resumePoint([at(1, true), at(5, true)])).toBe(6);
  });

  it('keeps the stopped records before the resume point and takes the rest from the poll', () => {
    const before = [at(1, true, 10), at(2, false, 5), at(3, true, 1)];
    const from = resumePoint(before);
    const fresh = [at(2, true, 9), at(3, true, 1), at(4, false, 2)];
    const merged = mergeRunLog(before, fresh, from);
    expect(merged.map((r) => [r.id, r.wire.frames, r.stoppedAt !== null])).toEqual([
      [1, 10, true],
      [2, 9, true],
      [3, 1, true],
      [4, 2, false],
    ]);
    // The same as asking for everything at once.
    expect(mergeRunLog(before, [before[0], ...fresh], 0)).toEqual(merged);
  });

  it('keeps only the newest records past its capacity, like the server', () => {
    const merged = mergeRunLog([at(1, true), at(2, true)], [at(3, true), at(4, false)], 3, 3);
    expect(merged.map((r) => r.id)).toEqual([2, 3, 4]);
  });
});
