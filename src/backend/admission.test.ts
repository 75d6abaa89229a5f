import { describe, expect, it } from 'vitest';
import { FaultBook, type StreamTransport } from '../protocol/faults.ts';
import { parseScenarioQuery, type ScenarioConfig } from '../protocol/scenarios.ts';
import { countAdmission, decideAdmission, OUTAGE_ERROR, type Admission } from './admission.ts';
import { createCounters } from './counters.ts';
import { StreamLimits } from './stream-limits.ts';

const NOW = 1_000_000;

function config(query: string): ScenarioConfig {
  const parsed = parseScenarioQuery(new URLSearchParams(query));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

interface Setup {
  transport?: StreamTransport;
  run?: string | null;
  after?: number;
  query?: string;
  faults?: FaultBook;
  open?: number;
  limits?: StreamLimits;
}

function decide({ transport = 'sse', run = 'r1', after = 0, query = 'scenario=ticker&count=10', faults = new FaultBook(), open = 0, limits }: Setup = {}): Admission {
  return decideAdmission({
    transport,
    request: { run, after, config: config(query) },
    faults,
    now: NOW,
    limits: limits ?? new StreamLimits(() => open, { total: 10, perAddress: 3 }),
    address: '10.0.0.1',
  });
}

function book(...faults: Parameters<FaultBook['apply']>[0][]): FaultBook {
  const b = new FaultBook();
  for (const f of faults) b.apply(f, NOW);
  return b;
}

describe('decideAdmission', () => {
  it.each(['sse', 'fetch', 'ws'] as const)('%s: opens when nothing stands in the way', (transport) => {
    expect(decide({ transport })).toEqual({ kind: 'open' });
  });

  it.each(['sse', 'fetch', 'ws'] as const)('%s: an outage in reset mode cuts the connection', (transport) => {
    const faults = book({ action: 'outage', mode: 'reset', ms: 1000, target: 'all' });
    expect(decide({ transport, faults })).toEqual({ kind: 'reset', cause: 'outage' });
  });

  it.each(['sse', 'fetch', 'ws'] as const)('%s: an outage in 503 mode answers 503 with a reason', (transport) => {
    const faults = book({ action: 'outage', mode: '503', ms: 1000, target: transport });
    expect(decide({ transport, faults })).toEqual({ kind: 'error', cause: 'outage', status: 503, error: OUTAGE_ERROR });
  });

  it('an outage for another run or transport, or one that is over, lets the stream open', () => {
    expect(decide({ faults: book({ action: 'outage', mode: 'reset', ms: 1000, target: 'all', run: 'other' }) })).toEqual({ kind: 'open' });
    expect(decide({ faults: book({ action: 'outage', mode: 'reset', ms: 1000, target: 'ws' }) })).toEqual({ kind: 'open' });
    const over = new FaultBook();
    over.apply({ action: 'outage', mode: 'reset', ms: 100, target: 'all' }, NOW - 200);
    expect(decide({ faults: over })).toEqual({ kind: 'open' });
  });

  it('an outage comes before an armed error, which stays armed', () => {
    const faults = book({ action: 'outage', mode: 'reset', ms: 1000, target: 'all' }, { action: 'http-error', status: 500 });
    expect(decide({ faults }).kind).toBe('reset');
    expect(faults.size(NOW)).toBe(2);
  });

  it('an armed 204 answers 204, once', () => {
    const faults = book({ action: 'http-error', status: 204 });
    expect(decide({ faults })).toEqual({ kind: 'empty', cause: 'armed', status: 204 });
    expect(decide({ faults })).toEqual({ kind: 'open' });
  });

  it('an armed content-type error answers 200 text/plain', () => {
    expect(decide({ faults: book({ action: 'http-error', status: 'content-type' }) })).toEqual({ kind: 'wrong-content-type', cause: 'armed' });
  });

  it.each([404, 500, 503] as const)('an armed %s answers that status with a reason', (status) => {
    expect(decide({ faults: book({ action: 'http-error', status }) })).toEqual({
      kind: 'error',
      cause: 'armed',
      status,
      error: `simulated HTTP ${status}`,
    });
  });

  it('an armed error is for its transport (sse by default, or fetch), never a WebSocket', () => {
    const faults = book({ action: 'http-error', status: 500, target: 'fetch' });
    expect(decide({ transport: 'sse', faults }).kind).toBe('open');
    expect(decide({ transport: 'ws', faults }).kind).toBe('open');
    expect(decide({ transport: 'fetch', faults }).kind).toBe('error');
    const sse = book({ action: 'http-error', status: 500 });
    expect(decide({ transport: 'ws', faults: sse }).kind).toBe('open');
    expect(sse.size(NOW)).toBe(1);
  });

  it('past the total stream limit: 503 with Retry-After, the limit named', () => {
    expect(decide({ open: 10 })).toEqual({
      kind: 'error',
      cause: 'limit',
      status: 503,
      error: expect.stringContaining('MAX_STREAMS_TOTAL') as unknown,
      headers: { 'Retry-After': '5' },
    });
  });

  it('past the per-address limit: 503 naming MAX_STREAMS_PER_ADDRESS; another address still opens', () => {
    const limits = new StreamLimits(() => 3, { total: 10, perAddress: 3 });
    for (let i = 0; i < 3; i++) limits.hold('10.0.0.1');
    const refused = decide({ limits });
    expect(refused).toMatchObject({ kind: 'error', cause: 'limit', status: 503 });
    expect(refused.kind === 'error' && refused.error).toContain('MAX_STREAMS_PER_ADDRESS');
    expect(limits.refusal('10.0.0.2')).toBeNull();
  });

  it('armed errors come before limits; limits before a finished stream', () => {
    expect(decide({ open: 10, faults: book({ action: 'http-error', status: 404 }) })).toMatchObject({ cause: 'armed', status: 404 });
    expect(decide({ open: 10, after: 10 })).toMatchObject({ cause: 'limit' });
  });

  it.each(['sse', 'fetch', 'ws'] as const)('%s: a stream resumed at or past its planned total is done already', (transport) => {
    expect(decide({ transport, after: 10 })).toEqual({ kind: 'done-already', total: 10 });
    expect(decide({ transport, after: 11 })).toEqual({ kind: 'done-already', total: 10 });
    expect(decide({ transport, after: 9 })).toEqual({ kind: 'open' });
  });

  it('an endless stream is never done already', () => {
    expect(decide({ query: 'scenario=ticker&count=0', after: 1e12 })).toEqual({ kind: 'open' });
    expect(decide({ query: 'scenario=chat', after: 1e12 })).toEqual({ kind: 'open' });
  });

  it('llm: tokens + 1 frames (the end frame)', () => {
    expect(decide({ query: 'scenario=llm&tokens=5', after: 6 })).toEqual({ kind: 'done-already', total: 6 });
    expect(decide({ query: 'scenario=llm&tokens=5', after: 5 })).toEqual({ kind: 'open' });
  });
});

describe('countAdmission', () => {
  it('outages and armed errors count as refused per transport; limits as limited; the rest not at all', () => {
    const counters = createCounters();
    countAdmission(counters, 'ws', { kind: 'reset', cause: 'outage' });
    countAdmission(counters, 'sse', { kind: 'empty', cause: 'armed', status: 204 });
    countAdmission(counters, 'fetch', { kind: 'wrong-content-type', cause: 'armed' });
    countAdmission(counters, 'fetch', { kind: 'error', cause: 'outage', status: 503, error: '' });
    countAdmission(counters, 'sse', { kind: 'error', cause: 'limit', status: 503, error: '' });
    countAdmission(counters, 'sse', { kind: 'open' });
    countAdmission(counters, 'sse', { kind: 'done-already', total: 3 });
    expect(counters.refused).toEqual({ sse: 1, fetch: 2, ws: 1 });
    expect(counters.limited).toBe(1);
  });
});
