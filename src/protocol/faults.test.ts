import { describe, expect, it } from 'vitest';
import { FaultBook, HTTP_ERRORS, OUTAGE_MS, parseFault, targets, type Fault } from './faults.ts';
import { ARMED_ERROR_TTL_MS, MAX_FAULTS } from './limits.ts';

function ok(body: unknown): Fault {
  const parsed = parseFault(body);
  if (!parsed.ok) throw new Error(`expected ${JSON.stringify(body)} to parse; got ${parsed.error}`);
  return parsed.value;
}

function error(body: unknown): string {
  const parsed = parseFault(body);
  if (parsed.ok) throw new Error(`expected ${JSON.stringify(body)} to be refused; got ${JSON.stringify(parsed.value)}`);
  return parsed.error;
}

describe('parseFault: valid shapes', () => {
  it('drop defaults to every transport', () => {
    expect(ok({ action: 'drop' })).toEqual({ action: 'drop', target: 'all' });
  });

  it.each(['sse', 'ws', 'all'] as const)('drop with target %s', (target) => {
    expect(ok({ action: 'drop', target })).toEqual({ action: 'drop', target });
    expect(ok({ action: 'drop', target, run: 'r1' })).toEqual({ action: 'drop', target, run: 'r1' });
  });

  it.each(['reset', '503'] as const)('outage %s defaults to 3000 ms on every transport', (mode) => {
    expect(OUTAGE_MS.default).toBe(3_000);
    expect(ok({ action: 'outage', mode })).toEqual({ action: 'outage', mode, ms: 3_000, target: 'all' });
  });

  it('outage with every field, at both ends of the ms range', () => {
    expect(ok({ action: 'outage', mode: 'reset', ms: 100, target: 'ws', run: 'run-1.a_b' })).toEqual({
      action: 'outage',
      mode: 'reset',
      ms: 100,
      target: 'ws',
      run: 'run-1.a_b',
    });
    expect(ok({ action: 'outage', mode: '503', ms: 60_000, target: 'sse' })).toEqual({
      action: 'outage',
      mode: '503',
      ms: 60_000,
      target: 'sse',
    });
  });

  it.each(HTTP_ERRORS)('http-error %s', (status) => {
    expect(ok({ action: 'http-error', status })).toEqual({ action: 'http-error', status });
    expect(ok({ action: 'http-error', status, run: 'r2' })).toEqual({ action: 'http-error', status, run: 'r2' });
  });

  it('the HTTP errors on offer', () => {
    expect(HTTP_ERRORS).toEqual([204, 404, 429, 500, 503, 'content-type']);
  });

  it('clear, for all runs or one', () => {
    expect(ok({ action: 'clear' })).toEqual({ action: 'clear' });
    expect(ok({ action: 'clear', run: 'r1' })).toEqual({ action: 'clear', run: 'r1' });
  });

  it('a run of 64 characters is fine', () => {
    const run = 'x'.repeat(64);
    expect(ok({ action: 'drop', run })).toEqual({ action: 'drop', target: 'all', run });
  });

  it('ignores fields an action does not use', () => {
    expect(ok({ action: 'drop', target: 'ws', ms: 5, mode: 'x' })).toEqual({ action: 'drop', target: 'ws' });
    expect(ok({ action: 'clear', target: 'nonsense' })).toEqual({ action: 'clear' });
  });
});

describe('parseFault: invalid bodies name the field', () => {
  it.each([null, 'drop', 42, ['drop'], undefined])('a body that is not an object (%j)', (body) => {
    expect(error(body)).toContain('JSON object');
  });

  it.each([{}, { action: 'explode' }, { action: 3 }, { action: null }, { action: 'DROP' }])('action: %j', (body) => {
    const message = error(body);
    expect(message).toMatch(/^action must be "drop", "outage", "http-error" or "clear"; got /);
    expect(message).toContain(JSON.stringify(body.action ?? null));
  });

  it.each([
    { action: 'drop', target: 'http' },
    { action: 'drop', target: null },
    { action: 'outage', mode: 'reset', target: 'SSE' },
    { action: 'outage', mode: 'reset', target: 1 },
  ])('target: %j', (body) => {
    const message = error(body);
    expect(message).toMatch(/^target must be "sse", "ws" or "all"/);
    expect(message).toContain(JSON.stringify(body.target));
  });

  it.each([undefined, 'crash', 503, null])('mode: %j', (mode) => {
    const message = error({ action: 'outage', mode });
    expect(message).toMatch(/^mode must be "reset" or "503"; got /);
    expect(message).toContain(JSON.stringify(mode ?? null));
  });

  it.each([
    ['below 100', 99],
    ['zero', 0],
    ['negative', -1_000],
    ['above 60000', 60_001],
    ['non-integer', 150.5],
    ['a string', '500'],
    ['NaN-like', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
  ])('ms %s', (_what, ms) => {
    const message = error({ action: 'outage', mode: 'reset', ms });
    expect(message).toMatch(/^ms must be an integer from 100 to 60000; got /);
  });

  it.each([200, 400, 502, '404', 'content_type', null, undefined])('status %j', (status) => {
    const message = error({ action: 'http-error', status });
    expect(message).toMatch(/^status must be one of 204, 404, 429, 500, 503 or "content-type"; got /);
    expect(message).toContain(JSON.stringify(status ?? null));
  });

  it.each(['', 'x'.repeat(65), 'has space', 'a/b', 'ü', 7, null])('run %j', (run) => {
    for (const action of ['drop', 'outage', 'http-error', 'clear']) {
      expect(error({ action, mode: 'reset', status: 404, run })).toMatch(/^run must be a string of 1 to 64/);
    }
  });
});

describe('targets', () => {
  it('all hits both transports, sse and ws only their own', () => {
    expect([targets('all', 'sse'), targets('all', 'ws')]).toEqual([true, true]);
    expect([targets('sse', 'sse'), targets('sse', 'ws')]).toEqual([true, false]);
    expect([targets('ws', 'sse'), targets('ws', 'ws')]).toEqual([false, true]);
  });
});

describe('FaultBook', () => {
  const T0 = 1_000_000;

  it('has nothing on at first', () => {
    const book = new FaultBook();
    expect(book.outage('sse', null, T0)).toBeNull();
    expect(book.outage('ws', 'r1', T0)).toBeNull();
    expect(book.takeHttpError(null, 'sse', T0 + 2)).toBeNull();
  });

  it('an outage lasts until `until` and not a millisecond longer', () => {
    const book = new FaultBook();
    book.apply({ action: 'outage', mode: 'reset', ms: 500, target: 'all' }, T0);
    expect(book.outage('sse', null, T0)).toBe('reset');
    expect(book.outage('ws', null, T0 + 499)).toBe('reset');
    expect(book.outage('sse', null, T0 + 500)).toBeNull();
    expect(book.outage('ws', null, T0 + 10_000)).toBeNull();
  });

  it('an outage of 503 reports its mode', () => {
    const book = new FaultBook();
    book.apply({ action: 'outage', mode: '503', ms: 500, target: 'all' }, T0);
    expect(book.outage('ws', 'any', T0 + 1)).toBe('503');
  });

  it('an outage hits only its transport', () => {
    const book = new FaultBook();
    book.apply({ action: 'outage', mode: 'reset', ms: 500, target: 'ws' }, T0);
    expect(book.outage('ws', null, T0)).toBe('reset');
    expect(book.outage('sse', null, T0)).toBeNull();
    book.apply({ action: 'outage', mode: '503', ms: 500, target: 'sse' }, T0);
    expect(book.outage('sse', null, T0)).toBe('503');
    expect(book.outage('ws', null, T0)).toBe('reset');
  });

  it('an outage without run hits every run; one with run only that run', () => {
    const book = new FaultBook();
    book.apply({ action: 'outage', mode: 'reset', ms: 500, target: 'all', run: 'r1' }, T0);
    expect(book.outage('sse', 'r1', T0)).toBe('reset');
    expect(book.outage('sse', 'r2', T0)).toBeNull();
    expect(book.outage('sse', null, T0)).toBeNull();

    book.apply({ action: 'outage', mode: '503', ms: 500, target: 'all' }, T0);
    expect(book.outage('ws', 'r2', T0)).toBe('503');
    expect(book.outage('ws', null, T0)).toBe('503');
  });

  it('a later, longer outage outlives an earlier one', () => {
    const book = new FaultBook();
    book.apply({ action: 'outage', mode: 'reset', ms: 100, target: 'all' }, T0);
    book.apply({ action: 'outage', mode: '503', ms: 1_000, target: 'all' }, T0);
    expect(book.outage('sse', null, T0 + 50)).toBe('reset');
    expect(book.outage('sse', null, T0 + 500)).toBe('503');
    expect(book.outage('sse', null, T0 + 1_000)).toBeNull();
  });

  it('a drop is not state: it leaves no outage and no HTTP error behind', () => {
    const book = new FaultBook();
    book.apply({ action: 'drop', target: 'all' }, T0);
    expect(book.outage('sse', null, T0)).toBeNull();
    expect(book.takeHttpError(null, 'sse', T0 + 2)).toBeNull();
  });

  it('an HTTP error is taken once, by the next connection', () => {
    const book = new FaultBook();
    book.apply({ action: 'http-error', status: 503 }, T0);
    expect(book.takeHttpError('r1', 'sse', T0 + 2)).toBe(503);
    expect(book.takeHttpError('r1', 'sse', T0 + 2)).toBeNull();
    expect(book.takeHttpError(null, 'sse', T0 + 2)).toBeNull();
  });

  it('HTTP errors are taken in the order they were armed', () => {
    const book = new FaultBook();
    book.apply({ action: 'http-error', status: 404 }, T0);
    book.apply({ action: 'http-error', status: 'content-type' }, T0);
    expect(book.takeHttpError(null, 'sse', T0 + 2)).toBe(404);
    expect(book.takeHttpError(null, 'sse', T0 + 2)).toBe('content-type');
    expect(book.takeHttpError(null, 'sse', T0 + 2)).toBeNull();
  });

  it('an HTTP error for a run is taken only by that run', () => {
    const book = new FaultBook();
    book.apply({ action: 'http-error', status: 500, run: 'r1' }, T0);
    expect(book.takeHttpError('r2', 'sse', T0 + 2)).toBeNull();
    expect(book.takeHttpError(null, 'sse', T0 + 2)).toBeNull();
    expect(book.takeHttpError('r1', 'sse', T0 + 2)).toBe(500);
    expect(book.takeHttpError('r1', 'sse', T0 + 2)).toBeNull();
  });

  it('an armed HTTP error that nothing takes expires after ARMED_ERROR_TTL_MS', () => {
    const book = new FaultBook();
    book.apply({ action: 'http-error', status: 204 }, T0);
    book.apply({ action: 'http-error', status: 500 }, T0 + 10);
    expect(book.takeHttpError(null, 'sse', T0 + ARMED_ERROR_TTL_MS - 1)).toBe(204);
    expect(book.size(T0 + ARMED_ERROR_TTL_MS + 10)).toBe(0);
    expect(book.takeHttpError(null, 'sse', T0 + ARMED_ERROR_TTL_MS + 10)).toBeNull();
  });

  it(`holds at most MAX_FAULTS entries, whatever a client posts (the oldest go first)`, () => {
    const book = new FaultBook();
    for (let i = 0; i < 10_000; i++) book.apply({ action: 'http-error', status: 404, run: `r${i}` }, T0 + i);
    book.apply({ action: 'outage', mode: 'reset', ms: 60_000, target: 'all', run: 'late' }, T0 + 10_000);
    expect(book.size(T0 + 10_000)).toBe(MAX_FAULTS);
    expect(book.takeHttpError('r0', 'sse', T0 + 10_000)).toBeNull();
    expect(book.takeHttpError('r9999', 'sse', T0 + 10_000)).toBe(404);
    expect(book.outage('ws', 'late', T0 + 10_000)).toBe('reset');
  });

  it('clear without run ends every outage and HTTP error, of every run', () => {
    const book = new FaultBook();
    book.apply({ action: 'outage', mode: 'reset', ms: 5_000, target: 'all' }, T0);
    book.apply({ action: 'outage', mode: '503', ms: 5_000, target: 'ws', run: 'r1' }, T0);
    book.apply({ action: 'http-error', status: 404 }, T0);
    book.apply({ action: 'http-error', status: 500, run: 'r2' }, T0);
    book.apply({ action: 'clear' }, T0 + 1);
    expect(book.outage('sse', null, T0 + 2)).toBeNull();
    expect(book.outage('ws', 'r1', T0 + 2)).toBeNull();
    expect(book.takeHttpError(null, 'sse', T0 + 2)).toBeNull();
    expect(book.takeHttpError('r2', 'sse', T0 + 2)).toBeNull();
  });

  it('clear with run ends only that run’s faults', () => {
    const book = new FaultBook();
    book.apply({ action: 'outage', mode: 'reset', ms: 5_000, target: 'all', run: 'r1' }, T0);
    book.apply({ action: 'outage', mode: '503', ms: 5_000, target: 'all', run: 'r2' }, T0);
    book.apply({ action: 'http-error', status: 404, run: 'r1' }, T0);
    book.apply({ action: 'http-error', status: 500, run: 'r2' }, T0);
    book.apply({ action: 'clear', run: 'r1' }, T0 + 1);
    expect(book.outage('sse', 'r1', T0 + 2)).toBeNull();
    expect(book.takeHttpError('r1', 'sse', T0 + 2)).toBeNull();
    expect(book.outage('sse', 'r2', T0 + 2)).toBe('503');
    expect(book.takeHttpError('r2', 'sse', T0 + 2)).toBe(500);
  });

  it('clear with run leaves faults that hit every run', () => {
    const book = new FaultBook();
    book.apply({ action: 'outage', mode: 'reset', ms: 5_000, target: 'all' }, T0);
    book.apply({ action: 'clear', run: 'r1' }, T0 + 1);
    // The global outage still hits r1: clearing r1 only removes faults scoped to r1.
    expect(book.outage('sse', 'r1', T0 + 2)).toBe('reset');
  });
});
