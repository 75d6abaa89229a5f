import { describe, expect, it } from 'vitest';
import { asEpochMs, asSeq, binaryForeign, decodeForeign, defaultMapping, pathError, readPath } from './foreign-frame.ts';

const T = 1_764_000_000_123.5;

describe('reading a field path', () => {
  it('walks objects by name and arrays by index', () => {
    const value = { data: { id: 7, items: [{ t: 1 }, { t: 2 }] } };
    expect(readPath(value, 'data.id')).toBe(7);
    expect(readPath(value, 'data.items.1.t')).toBe(2);
    expect(readPath(value, 'data.items.x')).toBeUndefined();
    expect(readPath(value, 'data.missing.deeper')).toBeUndefined();
    expect(readPath(value, 'data.id.deeper')).toBeUndefined();
    // Inherited names are no fields of the message.
    expect(readPath(value, 'data.toString')).toBeUndefined();
  });

  it('says what a usable path looks like', () => {
    expect(pathError('')).toBeNull();
    expect(pathError('seq')).toBeNull();
    expect(pathError('data.id')).toBeNull();
    expect(pathError('items.0.sent_at')).toBeNull();
    expect(pathError('data..id')).not.toBeNull();
    expect(pathError('.id')).not.toBeNull();
    expect(pathError('data[0]')).not.toBeNull();
    expect(pathError('x'.repeat(201))).not.toBeNull();
  });
});

describe('seq and t values', () => {
  it('takes whole numbers from 0 as seq, also as text', () => {
    expect(asSeq(0)).toBe(0);
    expect(asSeq(42)).toBe(42);
    expect(asSeq('42')).toBe(42);
    expect(asSeq(1.5)).toBeNull();
    expect(asSeq(-1)).toBeNull();
    expect(asSeq('abc')).toBeNull();
    expect(asSeq(null)).toBeNull();
  });

  it('takes epoch milliseconds as t, not seconds and not dates as text', () => {
    expect(asEpochMs(T)).toBe(T);
    expect(asEpochMs(String(T))).toBe(T);
    // Seconds since the epoch would make every latency about 55 years: not taken.
    expect(asEpochMs(1_764_000_000)).toBeNull();
    expect(asEpochMs('2025-11-24T12:00:00Z')).toBeNull();
    expect(asEpochMs(Number.NaN)).toBeNull();
  });
});

describe('decoding a foreign payload', () => {
  it('finds seq and t where the mapping says', () => {
    const data = JSON.stringify({ data: { id: 3 }, meta: { sentAt: T } });
    expect(decodeForeign(data, { seq: 'data.id', t: 'meta.sentAt' })).toEqual({ type: 'frame', seq: 3, t: T, kind: 'message', data });
  });

  it('reads the lab’s own names with the default mapping', () => {
    const frame = decodeForeign(JSON.stringify({ seq: 9, t: T, text: 'hi' }), defaultMapping);
    expect([frame.seq, frame.t]).toEqual([9, T]);
  });

  it('keeps a frame without seq or t as a frame with neither', () => {
    for (const data of ['tick 1', '', '[1,2,3]', '"text"', '42', '{"seq":"x"}', '{not json', '{"other":1}']) {
      const frame = decodeForeign(data, defaultMapping);
      expect(frame.data).toBe(data);
      expect([frame.seq, frame.t]).toEqual([null, null]);
    }
  });

  it('finds one field without the other', () => {
    expect(decodeForeign('{"seq":4}', defaultMapping)).toMatchObject({ seq: 4, t: null });
    expect(decodeForeign(`{"t":${T}}`, defaultMapping)).toMatchObject({ seq: null, t: T });
  });

  it('an empty mapping reads nothing (and parses nothing)', () => {
    expect(decodeForeign('{"seq":4}', { seq: '', t: '' })).toMatchObject({ seq: null, t: null });
  });

  it('does not walk a payload that nests too deep', () => {
    const deep = `${'{"a":'.repeat(40)}1${'}'.repeat(40)}`;
    expect(decodeForeign(deep, { seq: 'a', t: '' }).seq).toBeNull();
  });

  it('a binary message is counted, never mapped', () => {
    expect(binaryForeign(16)).toEqual({ type: 'frame', seq: null, t: null, kind: 'message', data: '<16 bytes of binary>' });
  });
});
