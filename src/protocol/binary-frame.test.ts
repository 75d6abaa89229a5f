import { describe, expect, it } from 'vitest';
import {
  base64Length,
  BINARY_HEADER_BYTES,
  decodeBinaryFrame,
  decodeBinarySseData,
  encodeBinaryFrame,
  binaryFrameSseData,
  fromBase64,
  toBase64,
} from './binary-frame.ts';
import { createSchedule } from './schedule.ts';
import { createRandom } from './random.ts';
import type { Frame } from './frame.ts';

function bytesOf(n: number, seed: number): Uint8Array {
  const random = createRandom(seed);
  return Uint8Array.from({ length: n }, () => Math.floor(random() * 256));
}

describe('base64', () => {
  it('matches the standard encoding for every length remainder, both ways', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 1024, 1025]) {
      const bytes = bytesOf(n, n);
      const text = toBase64(bytes);
      expect(text).toBe(btoa(String.fromCharCode(...bytes)));
      expect(text.length).toBe(base64Length(n));
      expect(fromBase64(text)).toEqual(bytes);
    }
  });

  it('rejects text that is not padded standard base64', () => {
    for (const bad of ['abc', 'ab=c', '@@@@', 'YQ==YQ==', 'YW_i']) expect(fromBase64(bad), bad).toBeNull();
  });
});

describe('binary frames', () => {
  const frame: Frame = { type: 'frame', seq: 70_000, t: 1_764_000_000_123.456, kind: 'bytes', data: toBase64(bytesOf(100, 7)) };

  it('round-trips seq, the sub-millisecond stamp and the payload', () => {
    const bytes = encodeBinaryFrame(frame);
    expect(bytes.length).toBe(BINARY_HEADER_BYTES + 100);
    expect(decodeBinaryFrame(bytes)).toEqual({ ok: true, frame });
    expect(decodeBinarySseData(binaryFrameSseData(frame))).toEqual({ ok: true, frame });
  });

  it('says what is wrong with a garbage message', () => {
    expect(decodeBinaryFrame(new Uint8Array(5))).toEqual({ ok: false, error: expect.stringMatching(/at least 13 bytes/) });
    const wrongVersion = encodeBinaryFrame(frame);
    wrongVersion[0] = 9;
    expect(decodeBinaryFrame(wrongVersion)).toEqual({ ok: false, error: 'unknown binary frame version 9' });
    expect(decodeBinarySseData('not base64!')).toEqual({ ok: false, error: expect.stringMatching(/base64/) });
  });

  it('the binary scenario plays seeded random bytes of the asked size', () => {
    const config = { scenario: 'binary' as const, params: { rate: 10, size: 64, count: 3, seed: 5 } };
    const frames = [...{ [Symbol.iterator]: () => createSchedule(config) }];
    expect(frames.map((f) => [f.seq, f.kind, f.gapMs])).toEqual([
      [1, 'bytes', 100],
      [2, 'bytes', 100],
      [3, 'bytes', 100],
    ]);
    expect(fromBase64(frames[0].data)?.length).toBe(64);
    const again = createSchedule({ ...config, params: { ...config.params } }, 1).next().value;
    expect(again?.data).toBe(frames[0].data);
  });
});
