import { describe, expect, it } from 'vitest';
import { bearerMatches, parseStreamBody, seedFromText } from './stream-body.ts';

describe('bearerMatches', () => {
  it.each([
    ['Bearer s3cret', true],
    ['bearer s3cret', true],
    ['BEARER   s3cret ', true],
    ['Bearer wrong', false],
    ['Basic s3cret', false],
    ['Bearer', false],
    ['', false],
  ])('%j → %s', (header, ok) => {
    expect(bearerMatches(header, 's3cret')).toBe(ok);
  });

  it('refuses a missing header', () => {
    expect(bearerMatches(undefined, 's3cret')).toBe(false);
    expect(bearerMatches(null, 's3cret')).toBe(false);
  });
});

describe('parseStreamBody', () => {
  it('turns chat messages into an llm stream seeded by their text', () => {
    const messages = [{ role: 'user', content: 'Why SSE?' }];
    const parsed = parseStreamBody({ messages }, undefined);
    expect(parsed.ok && parsed.value.config.scenario).toBe('llm');
    expect(parsed.ok && parsed.value.config.params.seed).toBe(seedFromText('user:Why SSE?'));
  });

  it('prefers Last-Event-ID to the body’s after, and names a bad one', () => {
    const ok = parseStreamBody({ scenario: 'ticker', after: 5 }, '9');
    expect(ok.ok && ok.value.after).toBe(9);
    const bad = parseStreamBody({ scenario: 'ticker' }, 'x');
    expect(bad.ok ? '' : bad.error).toMatch(/^Last-Event-ID must be a non-negative integer/);
  });
});
