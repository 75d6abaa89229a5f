import { describe, expect, it } from 'vitest';
import type { StreamRecord } from '../../protocol/stream-log.ts';
import { firstHandshake, headerValue, wireTotals } from './wire-summary.ts';

let recordIds = 0;
function record(over: Partial<StreamRecord>): StreamRecord {
  return {
    id: ++recordIds,
    run: 'r',
    transport: 'sse',
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

const head = (line: string, headers: [string, string][] = []) => ({ line, headers, bytes: 100 });

describe('wireTotals', () => {
  it('adds up every stream of a transport, reconnects included, and works out overhead', () => {
    const records = [
      record({ wire: { frames: 10, payloadBytes: 1000, messageBytes: 1140, socketBytes: 1200 }, handshake: { request: head('GET'), response: head('200'), simulated: false } }),
      record({ wire: { frames: 10, payloadBytes: 1000, messageBytes: 1140, socketBytes: 1200 }, handshake: { request: head('GET'), response: head('200'), simulated: false } }),
      record({ transport: 'ws', wire: { frames: 5, payloadBytes: 500, messageBytes: 510, socketBytes: 510 } }),
    ];
    expect(wireTotals(records, 'sse')).toEqual({
      transport: 'sse',
      streams: 2,
      frames: 20,
      payloadBytes: 2000,
      messageBytes: 2280,
      socketBytes: 2400,
      handshakeBytes: 400,
      payloadPerFrame: 100,
      messagePerFrame: 114,
      socketPerFrame: 120,
      framingOverheadPct: expect.closeTo(14, 9),
      socketOverheadPct: expect.closeTo(20, 9),
      simulated: false,
    });
    expect(wireTotals(records, 'ws')?.framingOverheadPct).toBe(2);
    expect(wireTotals(records, 'fetch')).toBeNull();
  });

  it('says nothing about socket bytes it could not measure, and nothing per frame before a frame', () => {
    const mock = [record({ wire: { frames: 3, payloadBytes: 30, messageBytes: 60, socketBytes: null } })];
    expect(wireTotals(mock, 'sse')).toMatchObject({ socketBytes: null, socketPerFrame: null, socketOverheadPct: null, framingOverheadPct: 100 });
    const empty = [record({})];
    expect(wireTotals(empty, 'sse')).toMatchObject({ frames: 0, payloadPerFrame: null, framingOverheadPct: null });
  });

  it('leaves refused upgrades out of the totals and out of the opening handshake', () => {
    const refused = record({ transport: 'ws', reason: 'refused', handshake: { request: head('GET'), response: head('HTTP/1.1 403 Forbidden'), simulated: false } });
    const ok = record({ transport: 'ws', handshake: { request: head('GET', [['Sec-WebSocket-Key', 'k']]), response: head('HTTP/1.1 101 Switching Protocols'), simulated: false } });
    expect(wireTotals([refused], 'ws')).toBeNull();
    const hs = firstHandshake([refused, ok], 'ws');
    expect(hs?.response.line).toBe('HTTP/1.1 101 Switching Protocols');
    expect(headerValue(hs!.request, 'sec-websocket-key')).toBe('k');
  });
});
