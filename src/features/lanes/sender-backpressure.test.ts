import { describe, expect, it } from 'vitest';
import type { StreamRecord } from '../../protocol/stream-log.ts';
import { laneRecords, senderBackpressure, withSenderFigures } from './sender-backpressure.ts';

let ids = 0;
function record(over: Partial<StreamRecord>): StreamRecord {
  return {
    id: ++ids,
    run: 'r',
    transport: 'ws',
    openedAt: 0,
    stoppedAt: null,
    reason: null,
    lastSeq: 0,
    framesAfterStop: 0,
    handshake: null,
    wire: { frames: 0, payloadBytes: 0, messageBytes: 0, socketBytes: null },
    client: null,
    backpressure: { pauses: 0, pausedMs: 0, pausedSince: null, maxBufferedBytes: null },
    ...over,
  };
}

describe('sender backpressure from the run log', () => {
  const ws = record({ backpressure: { pauses: 0, pausedMs: 0, pausedSince: null, maxBufferedBytes: 0 } });
  const wssFirst = record({
    client: 'websocket-stream',
    stoppedAt: 500,
    reason: 'dropped',
    backpressure: { pauses: 3, pausedMs: 200, pausedSince: null, maxBufferedBytes: 1_048_600 },
  });
  const wssNow = record({
    client: 'websocket-stream',
    backpressure: { pauses: 1, pausedMs: 0, pausedSince: 900, maxBufferedBytes: 1_000_000 },
  });
  const sse = record({ transport: 'sse', backpressure: { pauses: 5, pausedMs: 2, pausedSince: null, maxBufferedBytes: 32_000 } });
  const records = [ws, wssFirst, sse, wssNow];

  it('tells the two lanes on /api/ws apart by client', () => {
    expect(laneRecords(records, 'websocket')).toEqual([ws]);
    expect(laneRecords(records, 'websocket-stream')).toEqual([wssFirst, wssNow]);
    expect(laneRecords(records, 'eventsource')).toEqual([sse]);
    expect(laneRecords(records, 'short-poll')).toEqual([]);
  });

  it('sums the pauses over reconnects, a pause still on counted up to now, and keeps the largest buffer', () => {
    expect(senderBackpressure(records, 'websocket-stream', 1_000)).toEqual({
      pausedMs: 300,
      pauses: 4,
      maxBufferedBytes: 1_048_600,
      streams: 2,
    });
    expect(senderBackpressure(records, 'websocket', 1_000)).toEqual({ pausedMs: 0, pauses: 0, maxBufferedBytes: 0, streams: 1 });
    expect(senderBackpressure(records, 'fetch-sse', 1_000)).toBeNull();
  });

  it('adds the figures to each lane for the page', () => {
    const lanes = withSenderFigures([{ kind: 'websocket' as const }, { kind: 'long-poll' as const }], records, 1_000);
    expect(lanes[0].sender?.streams).toBe(1);
    expect(lanes[1].sender).toBeNull();
  });
});
