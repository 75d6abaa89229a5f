import { describe, expect, it } from 'vitest';
import { asFrame, encodeFrame, parseClientMessage, parseServerMessage, preciseNow, type Frame } from './frame.ts';

const good: Frame = { type: 'frame', seq: 1, t: 1_700_000_000_000.25, kind: 'token', data: ' hello' };

describe('encodeFrame', () => {
  it('writes JSON with keys in a fixed order', () => {
    expect(encodeFrame(good)).toBe('{"type":"frame","seq":1,"t":1700000000000.25,"kind":"token","data":" hello"}');
  });

  it('round-trips through parseServerMessage', () => {
    for (const kind of ['tick', 'token', 'end'] as const) {
      const frame: Frame = { ...good, seq: 99, kind, data: kind === 'end' ? '' : 'x"\n\u2028🚀' };
      expect(parseServerMessage(encodeFrame(frame))).toEqual(frame);
    }
  });
});

describe('asFrame', () => {
  it('accepts a valid frame and drops unknown keys', () => {
    expect(asFrame({ ...good, extra: true })).toEqual(good);
  });

  const garbage: [string, unknown][] = [
    ['null', null],
    ['undefined', undefined],
    ['a number', 1],
    ['a string', 'frame'],
    ['an array', [good]],
    ['an empty object', {}],
    ['wrong type', { ...good, type: 'done' }],
    ['seq 0', { ...good, seq: 0 }],
    ['negative seq', { ...good, seq: -1 }],
    ['fractional seq', { ...good, seq: 1.5 }],
    ['NaN seq', { ...good, seq: Number.NaN }],
    ['Infinity seq', { ...good, seq: Infinity }],
    ['string seq', { ...good, seq: '1' }],
    ['missing seq', { type: 'frame', t: 1, kind: 'tick', data: '' }],
    ['NaN t', { ...good, t: Number.NaN }],
    ['Infinity t', { ...good, t: Infinity }],
    ['string t', { ...good, t: '1' }],
    ['unknown kind', { ...good, kind: 'chunk' }],
    ['numeric kind', { ...good, kind: 1 }],
    ['numeric data', { ...good, data: 5 }],
    ['null data', { ...good, data: null }],
    ['missing data', { type: 'frame', seq: 1, t: 1, kind: 'tick' }],
  ];

  it.each(garbage)('returns null for %s', (_label, value) => {
    expect(() => asFrame(value)).not.toThrow();
    expect(asFrame(value)).toBeNull();
  });
});

describe('parseServerMessage', () => {
  it('parses done, pong and error', () => {
    expect(parseServerMessage('{"type":"done","total":30}')).toEqual({ type: 'done', total: 30 });
    expect(parseServerMessage('{"type":"pong","t":1,"serverT":2.5}')).toEqual({ type: 'pong', t: 1, serverT: 2.5 });
    expect(parseServerMessage('{"type":"error","error":"nope"}')).toEqual({ type: 'error', error: 'nope' });
  });

  it.each([
    '',
    'not json',
    '{"type":"frame"',
    'null',
    '42',
    '"frame"',
    '[]',
    '[{"type":"done","total":1}]',
    '{}',
    '{"type":"hello"}',
    '{"type":"frame","seq":0,"t":1,"kind":"tick","data":""}',
    '{"type":"frame","seq":1,"t":"1","kind":"tick","data":""}',
    '{"type":"frame","seq":1,"t":1,"kind":"tick"}',
    '{"type":"done"}',
    '{"type":"done","total":"3"}',
    '{"type":"pong","t":1}',
    '{"type":"pong","t":"1","serverT":2}',
    '{"type":"error"}',
    '{"type":"error","error":{}}',
  ])('returns null for %j without throwing', (text) => {
    expect(() => parseServerMessage(text)).not.toThrow();
    expect(parseServerMessage(text)).toBeNull();
  });
});

describe('parseClientMessage', () => {
  it('accepts a ping with a numeric t', () => {
    expect(parseClientMessage('{"type":"ping","t":123}')).toEqual({ type: 'ping', t: 123 });
    expect(parseClientMessage('{"type":"ping","t":-0.5,"x":1}')).toEqual({ type: 'ping', t: -0.5 });
  });

  it.each([
    ['not JSON', 'ping', /not JSON/],
    ['truncated JSON', '{"type":"ping"', /not JSON/],
    ['an array', '[{"type":"ping","t":1}]', /JSON object/],
    ['null', 'null', /JSON object/],
    ['a number', '7', /JSON object/],
    ['a string', '"ping"', /JSON object/],
    ['no t', '{"type":"ping"}', /numeric "t"/],
    ['string t', '{"type":"ping","t":"123"}', /numeric "t"/],
    ['null t', '{"type":"ping","t":null}', /numeric "t"/],
    ['unknown type', '{"type":"subscribe"}', /unknown message type "subscribe"; expected "ping"/],
    ['no type', '{"t":1}', /unknown message type null/],
    ['a 6,000-deep type', `{"type":${'['.repeat(6000)}${']'.repeat(6000)}}`, /deeper than 32 levels/],
    ['a 50 KB type, echoed cut', `{"type":"${'x'.repeat(50_000)}"}`, /^unknown message type "x{80}…" \(50000 characters\); expected/],
    ['an object type', '{"type":{"a":1}}', /unknown message type an object/],
  ])('returns an error for %s', (_label, text, message) => {
    let result: ReturnType<typeof parseClientMessage> | undefined;
    expect(() => {
      result = parseClientMessage(text);
    }).not.toThrow();
    expect(result).toEqual({ error: expect.stringMatching(message) });
  });
});

describe('preciseNow', () => {
  it('is epoch milliseconds, close to Date.now() and not going backwards', () => {
    const a = preciseNow();
    const b = preciseNow();
    expect(Math.abs(a - Date.now())).toBeLessThan(1_000);
    expect(b).toBeGreaterThanOrEqual(a);
  });
});
