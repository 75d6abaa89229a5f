import { describe, expect, it } from 'vitest';
import { utf8Length } from './utf8.ts';

const encoder = new TextEncoder();

describe('utf8Length', () => {
  it.each([
    ['empty', '', 0],
    ['ASCII', 'hello, world', 12],
    ['the ASCII edge U+007F', '\u007f', 1],
    ['2-byte é', 'é', 2],
    ['the 2-byte edges U+0080 and U+07FF', '\u0080\u07ff', 4],
    ['3-byte €', '€', 3],
    ['the 3-byte edges U+0800 and U+FFFF', '\u0800\uffff', 6],
    ['3-byte CJK', '漢字', 6],
    ['4-byte emoji (a surrogate pair)', '🚀', 4],
    ['the 4-byte edges U+10000 and U+10FFFF', '\u{10000}\u{10ffff}', 8],
    ['a lone high surrogate', '\ud800', 3],
    ['a lone low surrogate', '\udc00', 3],
    ['a high surrogate at the end', 'ab\ud83d', 5],
    ['a high surrogate followed by a non-surrogate', '\ud83dx', 4],
    ['two high surrogates then a low one', '\ud83d\ud83d\ude80', 7],
    ['a reversed pair', '\ude80\ud83d', 6],
    ['mixed text', 'a é € 🚀 漢', 17],
  ])('%s', (_label, text, expected) => {
    expect(utf8Length(text)).toBe(expected);
    // TextEncoder writes U+FFFD (3 bytes) for a lone surrogate; the count must match what goes on the wire.
    expect(utf8Length(text)).toBe(encoder.encode(text).length);
  });

  it('matches TextEncoder on a JSON frame with mixed content', () => {
    const text = JSON.stringify({ type: 'frame', seq: 1, t: 1.5, kind: 'token', data: ' ünï 🚀\n\u2028' });
    expect(utf8Length(text)).toBe(encoder.encode(text).length);
  });

  it('matches TextEncoder on every code unit 0..0xFFFF on its own', () => {
    for (let c = 0; c <= 0xffff; c++) {
      const s = String.fromCharCode(c);
      if (utf8Length(s) !== encoder.encode(s).length) {
        throw new Error(`mismatch at U+${c.toString(16)}`);
      }
    }
  });
});
