import { describe, expect, it } from 'vitest';
import { MAX_RESUME_SEQ } from '../protocol/limits.ts';
import { scenarioCatalogue } from '../protocol/scenarios.ts';
import { checkFormat, parseResume, parseStreamPost, parseStreamQuery } from './stream-request.ts';

const catalogue = scenarioCatalogue().scenarios;
const query = (q: string, lastEventId?: string) => parseStreamQuery(new URLSearchParams(q), lastEventId, catalogue);

describe('parseResume', () => {
  it('absent or empty is 0; digits (trimmed) up to MAX_RESUME_SEQ', () => {
    expect(parseResume(null, 'after')).toEqual({ ok: true, value: 0 });
    expect(parseResume(undefined, 'after')).toEqual({ ok: true, value: 0 });
    expect(parseResume('', 'after')).toEqual({ ok: true, value: 0 });
    expect(parseResume(' 42 ', 'after')).toEqual({ ok: true, value: 42 });
    expect(parseResume(String(MAX_RESUME_SEQ), 'after')).toEqual({ ok: true, value: MAX_RESUME_SEQ });
  });

  it.each(['abc', '-1', '1.5', String(MAX_RESUME_SEQ + 1), '1e3'])('refuses %s, naming the field', (raw) => {
    const parsed = parseResume(raw, 'Last-Event-ID');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(/^Last-Event-ID must be/);
  });
});

describe('checkFormat', () => {
  const llm = { scenario: 'llm', params: {} } as const;
  const ticker = { scenario: 'ticker', params: {} } as const;
  it('lab for everything; the llm formats for llm only', () => {
    expect(checkFormat(undefined, ticker)).toEqual({ ok: true, value: 'lab' });
    expect(checkFormat('openai', llm)).toEqual({ ok: true, value: 'openai' });
    expect(checkFormat('openai', ticker)).toMatchObject({ ok: false, error: expect.stringContaining('scenario=llm') as unknown });
    expect(checkFormat('bogus', llm).ok).toBe(false);
  });
});

describe('parseStreamQuery', () => {
  it('reads scenario, options, format, after, run and whether retry was named', () => {
    const parsed = query('scenario=llm&tokens=5&format=anthropic&after=2&run=r-1&retry=500');
    expect(parsed).toMatchObject({
      ok: true,
      value: { config: { scenario: 'llm' }, after: 2, run: 'r-1', format: 'anthropic', retrySet: true, options: { retry: 500 } },
    });
    expect(query('scenario=ticker')).toMatchObject({ ok: true, value: { after: 0, run: null, format: 'lab', retrySet: false } });
  });

  it('names the client for the run log when it says (WebSocketStream and WebSocket share /api/ws)', () => {
    expect(query('scenario=ticker&client=websocket-stream')).toMatchObject({ ok: true, value: { client: 'websocket-stream' } });
    expect(query('scenario=ticker')).toMatchObject({ ok: true, value: { client: null } });
  });

  it('Last-Event-ID wins over ?after=', () => {
    expect(query('scenario=ticker&after=3', '7')).toMatchObject({ ok: true, value: { after: 7 } });
    expect(query('scenario=ticker&after=3', 'x')).toMatchObject({ ok: false, error: expect.stringMatching(/^Last-Event-ID/) as unknown });
  });

  it.each([
    ['scenario=nope', /scenario/],
    ['scenario=ticker&rate=0', /rate/],
    ['scenario=ticker&retry=-1', /retry/],
    ['scenario=ticker&format=openai', /scenario=llm/],
    ['scenario=ticker&after=abc', /^after/],
    ['scenario=ticker&run=a%20b', /run/],
    ['scenario=ticker&client=Web%20Socket', /^client must be/],
    ['scenario=ticker&client=', /^client must be/],
  ])('%s → 400 reason', (q, reason) => {
    const parsed = query(q);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(reason);
  });
});

describe('parseStreamPost', () => {
  it('the body, its format and its text', () => {
    const body = { scenario: 'llm', params: { tokens: 3 }, format: 'openai', run: 'r1', options: { retry: 250 } };
    expect(parseStreamPost(body, JSON.stringify(body), undefined, catalogue)).toMatchObject({
      ok: true,
      value: { config: { scenario: 'llm' }, format: 'openai', run: 'r1', retrySet: true, body: JSON.stringify(body) },
    });
  });

  it('refuses what the body parser refuses, and a format for a non-llm scenario', () => {
    expect(parseStreamPost([], '[]', undefined, catalogue).ok).toBe(false);
    expect(parseStreamPost({ scenario: 'ticker', format: 'openai' }, '', undefined, catalogue)).toMatchObject({
      ok: false,
      error: expect.stringContaining('scenario=llm') as unknown,
    });
  });
});
