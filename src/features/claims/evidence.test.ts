import { describe, expect, it } from 'vitest';
import type { StreamRecord } from '../../protocol/stream-log.ts';
import type { LaneView } from '../run/run-session.ts';
import { runEvidence } from './evidence.ts';

let recordIds = 0;
function record(transport: StreamRecord['transport'], wire: StreamRecord['wire'], status = 'HTTP/1.1 200 OK'): StreamRecord {
  const head = (line: string, headers: [string, string][]) => ({ line, headers, bytes: 300 });
  return {
    id: ++recordIds,
    run: 'r',
    transport,
    openedAt: 0,
    stoppedAt: 1,
    reason: 'complete',
    lastSeq: wire.frames,
    framesAfterStop: 0,
    handshake: {
      request: head(transport === 'ws' ? 'GET /api/ws?x HTTP/1.1' : 'GET /api/sse?x HTTP/1.1', transport === 'ws' ? [['Upgrade', 'websocket']] : []),
      response: head(status, [['Content-Type', 'text/event-stream; charset=utf-8']]),
      simulated: false,
    },
    wire,
    client: null,
    backpressure: { pauses: 0, pausedMs: 0, pausedSince: null, maxBufferedBytes: null },
  };
}

/** A lane with the fields the evidence reads; the rest left at their zero values. */
function lane(kind: LaneView['kind'], over: Partial<LaneView>): LaneView {
  const summary = { count: 0, p50: Number.NaN, p95: Number.NaN, p99: Number.NaN, max: Number.NaN };
  return {
    kind,
    reconnects: 0,
    sequence: { highest: 0, delivered: 0, missing: 0, duplicates: 0, reordered: 0 },
    downtime: { count: 0, medianMs: Number.NaN, lastMs: Number.NaN, maxMs: Number.NaN },
    closeReason: null,
    tokens: { count: 0, ttftMs: Number.NaN, perSecond: Number.NaN, gap: summary, totalMs: Number.NaN },
    chat: { sent: 0, answered: 0, rtt: summary, rttSeries: [], requests: 0, requestBytes: 0, sideConnections: 0 },
    ...over,
  } as unknown as LaneView;
}

const ticker = { scenario: 'ticker' as const, params: { rate: 100, size: 16, count: 10, seed: 1 } };

describe('runEvidence', () => {
  const records = [
    record('sse', { frames: 10, payloadBytes: 870, messageBytes: 1010, socketBytes: 1070 }),
    record('ws', { frames: 10, payloadBytes: 870, messageBytes: 890, socketBytes: 890 }, 'HTTP/1.1 101 Switching Protocols'),
  ];

  it('works out framing per frame and the handshake from the stream log', () => {
    const e = runEvidence(ticker, [], records, false);
    expect(e.overhead).toMatchObject({ payloadPerFrame: 87, sse: { framingPerFrame: 14, socketPerFrame: 20 }, ws: { framingPerFrame: 2, socketPerFrame: 2 } });
    expect(e.handshake).toMatchObject({ wsStatusLine: 'HTTP/1.1 101 Switching Protocols', wsUpgrade: 'websocket', sseStatusLine: 'HTTP/1.1 200 OK' });
    expect(e.binary).toBeUndefined();
  });

  it('a binary run gives the base64 ratio instead of framing overhead', () => {
    const binary = [
      record('sse', { frames: 4, payloadBytes: 4 * 1384, messageBytes: 4 * 1410, socketBytes: null }),
      record('ws', { frames: 4, payloadBytes: 4 * 1037, messageBytes: 4 * 1041, socketBytes: null }),
    ];
    const e = runEvidence({ scenario: 'binary', params: { rate: 50, size: 1024, count: 4, seed: 1 } }, [], binary, false);
    expect(e.binary?.ratio).toBeCloseTo(1384 / 1037, 5);
    expect(e.overhead).toBeUndefined();
  });

  it('takes the reconnect story only from a run where EventSource lost its connection', () => {
    const calm = runEvidence(ticker, [lane('eventsource', {}), lane('websocket', { reconnects: 1 })], records, false);
    expect(calm.reconnect).toBeUndefined();
    const dropped = runEvidence(
      ticker,
      [
        lane('eventsource', { reconnects: 2, downtime: { count: 2, medianMs: 1040, lastMs: 1030, maxMs: 1050 } }),
        lane('fetch-sse', { closeReason: { kind: 'failed', message: 'network error' } }),
        lane('websocket', { reconnects: 2, downtime: { count: 2, medianMs: 210, lastMs: 200, maxMs: 220 } }),
      ],
      records,
      false,
    );
    expect(dropped.reconnect).toEqual({
      eventsource: { reconnects: 2, delivered: 0, lost: 0, medianDowntimeMs: 1040, failed: false },
      fetch: { reconnects: 0, delivered: 0, lost: 0, medianDowntimeMs: null, failed: true, resumeOn: false },
      websocket: { reconnects: 2, delivered: 0, lost: 0, medianDowntimeMs: 210, failed: false },
    });
  });

  it('an llm run needs two lanes with a first token before it says anything', () => {
    const llm = { scenario: 'llm' as const, params: { ttft: 600, tokens: 10, tps: 40, seed: 1 } };
    const one = [lane('eventsource', { tokens: { count: 5, ttftMs: 600, perSecond: 40, gap: { count: 0, p50: 0, p95: 0, p99: 0, max: 0 }, totalMs: 900 } })];
    expect(runEvidence(llm, one, [], false).llm).toBeUndefined();
    const two = [...one, lane('websocket', { tokens: { count: 5, ttftMs: 605, perSecond: 39, gap: { count: 0, p50: 0, p95: 0, p99: 0, max: 0 }, totalMs: 900 } })];
    expect(runEvidence(llm, two, [], false).llm?.lanes.map((l) => l.kind)).toEqual(['eventsource', 'websocket']);
  });
});
