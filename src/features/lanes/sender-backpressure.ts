/**
 * What the server's run log (GET /api/runs) says about a lane's sender being held back: the time its
 * player spent paused until the connection drained, how often, and the most bytes the server held for
 * the connection. Summed over the lane's streams (a reconnect opens another). Pure.
 *
 * Two lanes can share an endpoint (WebSocket and WebSocketStream both use /api/ws): a lane's records
 * are those of its server transport whose `client` is the lane's tag (the WebSocketStream lane sends
 * `client=websocket-stream`; the others send none).
 */
import type { StreamRecord } from '../../protocol/stream-log.ts';
import type { TransportKind } from '../../transports/transport.ts';
import { serverTransportOf } from './lane-registry.ts';

/** The `client=` a lane's stream requests carry (null: none). */
export function clientTagOf(kind: TransportKind): string | null {
  return kind === 'websocket-stream' ? kind : null;
}

/** The run log's records of one lane's streams, in the log's order. */
export function laneRecords(records: readonly StreamRecord[], kind: TransportKind): StreamRecord[] {
  const server = serverTransportOf(kind);
  if (server === null) return [];
  const tag = clientTagOf(kind);
  return records.filter((r) => r.transport === server && (r.client ?? null) === tag && r.reason !== 'refused');
}

export interface SenderBackpressure {
  /** Time the sender spent paused on backpressure, a pause still on counted up to `now`. */
  pausedMs: number;
  pauses: number;
  /** Null when no stream of the lane could measure it (Mock mode). */
  maxBufferedBytes: number | null;
  /** Streams the figures come from. */
  streams: number;
}

/** The lane's sender figures, or null when the log has no stream of the lane. `now`: the sender's clock. */
export function senderBackpressure(records: readonly StreamRecord[], kind: TransportKind, now: number): SenderBackpressure | null {
  const own = laneRecords(records, kind);
  if (own.length === 0) return null;
  let pausedMs = 0;
  let pauses = 0;
  let maxBufferedBytes: number | null = null;
  for (const r of own) {
    const b = r.backpressure;
    // Older logs (a run file from before these fields) have none.
    if (!b) continue;
    pausedMs += b.pausedMs + (b.pausedSince !== null ? Math.max(0, (r.stoppedAt ?? now) - b.pausedSince) : 0);
    pauses += b.pauses;
    if (b.maxBufferedBytes !== null) maxBufferedBytes = Math.max(maxBufferedBytes ?? 0, b.maxBufferedBytes);
  }
  return { pausedMs, pauses, maxBufferedBytes, streams: own.length };
}

/** The lanes with their sender figures from the run log added (lanes without records get null). */
export function withSenderFigures<L extends { kind: TransportKind }>(
  lanes: readonly L[],
  records: readonly StreamRecord[],
  now: number,
): (L & { sender: SenderBackpressure | null })[] {
  return lanes.map((lane) => ({ ...lane, sender: senderBackpressure(records, lane.kind, now) }));
}
