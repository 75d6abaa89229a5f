/**
 * Pure summaries of a run's stream log for the inspector and the claims table: the first handshake
 * of each transport, and bytes per frame with the protocol's overhead.
 */
import type { StreamTransport } from '../../protocol/faults.ts';
import type { Handshake, StreamRecord } from '../../protocol/stream-log.ts';

export const inspectedTransports: readonly StreamTransport[] = ['sse', 'fetch', 'ws'];

export interface WireTotals {
  transport: StreamTransport;
  /** Connections (streams) of this transport in the run, reconnects included. */
  streams: number;
  frames: number;
  payloadBytes: number;
  messageBytes: number;
  socketBytes: number | null;
  /** Request + response head bytes of every handshake (what opening the streams cost). */
  handshakeBytes: number;
  payloadPerFrame: number | null;
  messagePerFrame: number | null;
  socketPerFrame: number | null;
  /** (message − payload) / payload, in %. */
  framingOverheadPct: number | null;
  /** (socket − payload) / payload, in %: what the wire really carried on top. */
  socketOverheadPct: number | null;
  simulated: boolean;
}

const per = (total: number, frames: number) => (frames > 0 ? total / frames : null);
const pct = (total: number, payload: number) => (payload > 0 ? ((total - payload) / payload) * 100 : null);

export function wireTotals(records: readonly StreamRecord[], transport: StreamTransport): WireTotals | null {
  const mine = records.filter((r) => r.transport === transport && r.reason !== 'refused');
  if (mine.length === 0) return null;
  let frames = 0;
  let payloadBytes = 0;
  let messageBytes = 0;
  let socketBytes: number | null = 0;
  let handshakeBytes = 0;
  for (const r of mine) {
    frames += r.wire.frames;
    payloadBytes += r.wire.payloadBytes;
    messageBytes += r.wire.messageBytes;
    // Unknown for one stream → unknown for the total (a stream with no frames counts nothing).
    if (r.wire.frames > 0) socketBytes = socketBytes === null || r.wire.socketBytes === null ? null : socketBytes + r.wire.socketBytes;
    if (r.handshake) handshakeBytes += r.handshake.request.bytes + r.handshake.response.bytes;
  }
  return {
    transport,
    streams: mine.length,
    frames,
    payloadBytes,
    messageBytes,
    socketBytes: frames > 0 ? socketBytes : null,
    handshakeBytes,
    payloadPerFrame: per(payloadBytes, frames),
    messagePerFrame: per(messageBytes, frames),
    socketPerFrame: socketBytes === null ? null : per(socketBytes, frames),
    framingOverheadPct: pct(messageBytes, payloadBytes),
    socketOverheadPct: socketBytes === null || frames === 0 ? null : pct(socketBytes, payloadBytes),
    simulated: mine.some((r) => r.handshake?.simulated === true),
  };
}

/** The first handshake of a transport in the run (the opening one, not a reconnect). */
export function firstHandshake(records: readonly StreamRecord[], transport: StreamTransport): Handshake | null {
  return records.find((r) => r.transport === transport && r.handshake !== null && r.reason !== 'refused')?.handshake ?? null;
}

export function headerValue(head: { headers: readonly [string, string][] }, name: string): string | null {
  const wanted = name.toLowerCase();
  return head.headers.find(([n]) => n.toLowerCase() === wanted)?.[1] ?? null;
}
