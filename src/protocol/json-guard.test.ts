import { describe, expect, it } from 'vitest';
import { nestsDeeperThan, parseJsonBounded, quote } from './json-guard.ts';
import { MAX_ECHO_CHARS, MAX_JSON_DEPTH } from './limits.ts';

describe('parseJsonBounded', () => {
  it('parses ordinary JSON', () => {
    expect(parseJsonBounded('{"a":[1,{"b":2}]}')).toEqual({ ok: true, value: { a: [1, { b: 2 }] } });
  });

  it('refuses 6,000-deep nesting with the limit named, before anything walks it', () => {
    const deep = '['.repeat(6000) + ']'.repeat(6000);
    const result = parseJsonBounded(`{"type":${deep}}`);
    expect(result).toEqual({ ok: false, error: expect.stringContaining('MAX_JSON_DEPTH') as unknown });
  });

  it('accepts nesting exactly at the limit, and ignores brackets inside strings', () => {
    const atLimit = '['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH);
    expect(parseJsonBounded(atLimit).ok).toBe(true);
    expect(nestsDeeperThan(`"${'['.repeat(100)}\\"["`, 2)).toBe(false);
    expect(nestsDeeperThan('[[[', 2)).toBe(true);
  });

  it('says when the text is not JSON', () => {
    expect(parseJsonBounded('{nope')).toEqual({ ok: false, error: 'the body is not valid JSON' });
  });
});

describe('quote', () => {
  it('quotes short primitives as JSON', () => {
    expect(quote('abc')).toBe('"abc"');
    expect(quote(12)).toBe('12');
    expect(quote(null)).toBe('null');
    expect(quote(undefined)).toBe('nothing');
  });

  it('cuts a long string and says how long it was', () => {
    const text = quote('x'.repeat(50_000));
    expect(text.length).toBeLessThan(MAX_ECHO_CHARS + 40);
    expect(text).toContain('(50000 characters)');
  });

  it('names arrays and objects without walking them', () => {
    let deep: unknown = [];
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(quote(deep)).toBe('an array');
    expect(quote({ a: 1 })).toBe('an object');
  });
});
