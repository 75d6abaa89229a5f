/**
 * The `binary` scenario's wire shape. WebSocket carries a frame as one binary message; SSE can only
 * carry text, so the same bytes travel base64-encoded in an `event: bytes` event. Both decode to the
 * same Frame (its `data` is the payload in base64, so lanes compare equal payloads).
 *
 *   byte 0      version (1)
 *   bytes 1–4   seq, uint32 big-endian
 *   bytes 5–12  t, float64 big-endian (sender's clock, ms)
 *   bytes 13–   payload
 */
import type { Frame } from './frame.ts';

export const BINARY_HEADER_BYTES = 13;
const VERSION = 1;
/** SSE event name of a base64-encoded binary frame. */
export const BINARY_SSE_EVENT = 'bytes';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

export function toBase64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63] + ALPHABET[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += `${ALPHABET[n >> 18]}${ALPHABET[(n >> 12) & 63]}==`;
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += `${ALPHABET[n >> 18]}${ALPHABET[(n >> 12) & 63]}${ALPHABET[(n >> 6) & 63]}=`;
  }
  return out;
}

/** Strict base64 (standard alphabet, padded); null when the text is not that. */
export function fromBase64(text: string): Uint8Array | null {
  if (text.length % 4 !== 0) return null;
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const last = i + 4 === text.length;
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const c = text.charCodeAt(i + j);
      const padded = last && c === 61 /* = */ && j >= 4 - pad;
      const v = padded ? 0 : c < 128 ? LOOKUP[c] : -1;
      if (v < 0) return null;
      n = (n << 6) | v;
    }
    out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

/** Characters of the base64 text for `n` bytes. */
export function base64Length(n: number): number {
  return Math.ceil(n / 3) * 4;
}

/** A `bytes` frame as one binary message. Its `data` must be base64 (the engine makes it so). */
export function encodeBinaryFrame(frame: Frame): Uint8Array {
  const payload = fromBase64(frame.data);
  if (!payload) throw new Error('a binary frame carries its payload as base64 in data');
  const out = new Uint8Array(BINARY_HEADER_BYTES + payload.length);
  const view = new DataView(out.buffer);
  view.setUint8(0, VERSION);
  view.setUint32(1, frame.seq);
  view.setFloat64(5, frame.t);
  out.set(payload, BINARY_HEADER_BYTES);
  return out;
}

export type BinaryDecode = { ok: true; frame: Frame } | { ok: false; error: string };

export function decodeBinaryFrame(bytes: Uint8Array): BinaryDecode {
  if (bytes.length < BINARY_HEADER_BYTES) {
    return { ok: false, error: `a binary frame has at least ${BINARY_HEADER_BYTES} bytes; got ${bytes.length}` };
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint8(0) !== VERSION) return { ok: false, error: `unknown binary frame version ${view.getUint8(0)}` };
  const seq = view.getUint32(1);
  const t = view.getFloat64(5);
  if (seq < 1 || !Number.isFinite(t)) return { ok: false, error: 'binary frame header is not valid' };
  return { ok: true, frame: { type: 'frame', seq, t, kind: 'bytes', data: toBase64(bytes.subarray(BINARY_HEADER_BYTES)) } };
}

/** The SSE form: the same message bytes as base64 text. */
export function binaryFrameSseData(frame: Frame): string {
  return toBase64(encodeBinaryFrame(frame));
}

export function decodeBinarySseData(data: string): BinaryDecode {
  const bytes = fromBase64(data);
  if (!bytes) return { ok: false, error: 'an event: bytes must carry base64 data' };
  return decodeBinaryFrame(bytes);
}
