/**
 * "SSE is cheaper to parse": measured in this page. The same frames, as a fetch + SSE lane receives
 * them (bytes → UTF-8 text → SSE events → JSON) and as a WebSocket lane does (the browser has
 * already taken the frame apart in native code; the page only parses the JSON text).
 */
import { encodeFrame, type Frame } from '../../protocol/frame.ts';
import { encodeSseEvent } from '../../protocol/sse-encoding.ts';
import { createSseStreamReader } from '../../transports/sse-stream-reader.ts';

export interface ParseCost {
  frames: number;
  payloadBytes: number;
  /** Microseconds per frame on the fetch + SSE path. */
  sseMicros: number;
  /** Microseconds per frame on the WebSocket path (after the browser's own framing). */
  wsMicros: number;
}

function frameOf(seq: number, size: number): Frame {
  return { type: 'frame', seq, t: 1_764_000_000_000 + seq, kind: 'tick', data: 'x'.repeat(size) };
}

export function measureParseCost(size: number, frames = 3_000, rounds = 5, now: () => number = () => performance.now()): ParseCost {
  const messages = Array.from({ length: frames }, (_, i) => encodeFrame(frameOf(i + 1, size)));
  const body = new TextEncoder().encode(messages.map((data, i) => encodeSseEvent({ id: String(i + 1), data })).join(''));
  // Chunks of 16 KiB, as a network read delivers them.
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < body.length; i += 16_384) chunks.push(body.subarray(i, i + 16_384));
  let sink = 0;
  let sseBest = Infinity;
  let wsBest = Infinity;
  for (let round = 0; round < rounds; round++) {
    let started = now();
    const reader = createSseStreamReader({
      onEvent: (event) => {
        sink += (JSON.parse(event.data) as Frame).seq;
      },
    });
    for (const chunk of chunks) reader.push(chunk);
    reader.end();
    sseBest = Math.min(sseBest, now() - started);
    started = now();
    for (const text of messages) sink += (JSON.parse(text) as Frame).seq;
    wsBest = Math.min(wsBest, now() - started);
  }
  if (sink === 0) throw new Error('nothing was parsed');
  return {
    frames,
    payloadBytes: new TextEncoder().encode(messages[0]).length,
    sseMicros: (sseBest * 1000) / frames,
    wsMicros: (wsBest * 1000) / frames,
  };
}
