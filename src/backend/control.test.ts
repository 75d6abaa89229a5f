import { describe, expect, it } from 'vitest';
import { FaultBook } from '../protocol/faults.ts';
import { StreamLog } from '../protocol/stream-log.ts';
import { AuthState } from './auth.ts';
import { deliverChat, parseChatRequest } from './chat.ts';
import { applyFault, MemoryProbeGate, parseRunsQuery, runLogPage } from './control.ts';
import { countedTimers, createCounters } from './counters.ts';
import { ServedStreams } from './served-streams.ts';
import { StreamLimits } from './stream-limits.ts';

function registry() {
  const counters = createCounters();
  const streams = new ServedStreams(counters, new StreamLimits(() => 0), new StreamLog(), countedTimers(counters));
  const replies: string[] = [];
  const open = (transport: 'sse' | 'fetch' | 'ws', run: string) =>
    streams.open({
      transport,
      run,
      after: 0,
      address: 'a',
      options: { flakyMs: 0, flakyFrames: 0 },
      connection: {
        stop() {},
        cut() {},
        close() {},
        ...(transport === 'ws' ? {} : { reply: (m: { text: string }) => replies.push(`${transport}:${run}:${m.text}`) }),
      },
    });
  return { counters, streams, replies, open };
}

describe('AuthState', () => {
  it('no token: everyone may stream and set one', () => {
    const auth = new AuthState(createCounters());
    expect(auth.required).toBe(false);
    expect(auth.checkStream(undefined)).toBeNull();
    expect(auth.checkChange(undefined)).toBeNull();
  });

  it('a token: streams and changes need it (401 with a challenge, counted); the reason says what was wrong', () => {
    const counters = createCounters();
    const auth = new AuthState(counters, 'sekret');
    expect(auth.checkStream('Bearer sekret')).toBeNull();
    expect(auth.checkStream('bearer  sekret ')).toBeNull();
    expect(auth.checkStream(undefined)).toMatchObject({ status: 401, error: expect.stringContaining('requires a token') as unknown });
    expect(auth.checkStream('Bearer nope')).toEqual({
      status: 401,
      error: 'the bearer token is wrong',
      headers: { 'WWW-Authenticate': 'Bearer realm="sse-vs-websocket-lab"' },
    });
    expect(auth.checkChange('Bearer nope')).toMatchObject({ status: 401, error: expect.stringContaining('current token') as unknown });
    expect(auth.checkChange('Bearer sekret')).toBeNull();
    expect(counters.unauthorized).toBe(3);
    expect(auth.set(null)).toEqual({ ok: true, required: false });
    expect(auth.checkStream(undefined)).toBeNull();
  });

  it.each([[{ token: 'abc' }, 'abc'], [{ token: null }, null]])('parseChange(%j)', (body, token) => {
    expect(AuthState.parseChange(body)).toEqual({ ok: true, value: token });
  });

  it.each([{}, { token: '' }, { token: 'has space' }, { token: 'x'.repeat(201) }, { token: 5 }, null, 'abc'])('parseChange refuses %j', (body) => {
    expect(AuthState.parseChange(body)).toMatchObject({ ok: false, error: expect.stringContaining('"token"') as unknown });
  });
});

describe('chat side channel', () => {
  const chat = { run: 'r1', transport: 'sse', id: 'm1', t: 1, text: 'hello there' };

  it.each([
    [{ ...chat, run: undefined }, /"run"/],
    [{ ...chat, run: 'a b' }, /"run"/],
    [{ ...chat, transport: 'ws' }, /transport/],
    [{ ...chat, id: undefined }, /"id"/],
    [null, /"run"/],
  ])('parseChatRequest refuses %j', (body, reason) => {
    const parsed = parseChatRequest(body);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(reason);
  });

  it('replies on every open stream of the run and transport; 404 when there is none', () => {
    const { counters, streams, replies, open } = registry();
    open('sse', 'r1');
    open('sse', 'r1');
    open('fetch', 'r1');
    open('sse', 'r2');
    const request = parseChatRequest(chat);
    if (!request.ok) throw new Error(request.error);
    expect(deliverChat(streams, counters, request.value, () => 5)).toEqual({ status: 202, delivered: 2 });
    expect(replies).toEqual(['sse:r1:Got "m1" (2 words).', 'sse:r1:Got "m1" (2 words).']);
    expect(counters.chat).toBe(1);
    const none = parseChatRequest({ ...chat, run: 'r9' });
    if (!none.ok) throw new Error(none.error);
    expect(deliverChat(streams, counters, none.value)).toEqual({ status: 404, error: 'no open sse stream for run "r9" to answer on' });
    expect(counters.chat).toBe(1);
  });
});

describe('applyFault', () => {
  it('drop and outage drop what they target now; outage and http-error are recorded; clear answers ok', () => {
    const { streams, open, counters } = registry();
    const faults = new FaultBook();
    open('sse', 'r1');
    open('ws', 'r1');
    open('ws', 'r2');
    expect(applyFault(faults, streams, { action: 'drop', target: 'ws', run: 'r1' }, 10)).toEqual({ ok: true, dropped: 1 });
    expect(applyFault(faults, streams, { action: 'outage', mode: '503', ms: 100, target: 'all' }, 10)).toEqual({
      ok: true,
      dropped: 2,
      until: 110,
    });
    expect(counters.dropped).toEqual({ sse: 1, fetch: 0, ws: 2 });
    expect(faults.outage('sse', 'r1', 50)).toBe('503');
    expect(applyFault(faults, streams, { action: 'http-error', status: 500 }, 10)).toEqual({ ok: true });
    expect(applyFault(faults, streams, { action: 'clear' }, 20)).toEqual({ ok: true });
    expect(faults.size(20)).toBe(0);
  });
});

describe('run log query', () => {
  it.each(['', 'run=', 'run=a%20b', 'run=r1&from=-1', 'run=r1&from=x'])('%s → 400', (q) => {
    expect(parseRunsQuery(new URLSearchParams(q)).ok).toBe(false);
  });

  it('a run from a record on', () => {
    const log = new StreamLog();
    log.open('r1', 'sse', 1, 0);
    const second = log.open('r1', 'ws', 2, 0);
    log.open('r2', 'ws', 3, 0);
    const query = parseRunsQuery(new URLSearchParams(`run=r1&from=${second.id}`));
    if (!query.ok) throw new Error(query.error);
    expect(runLogPage(log, query.value)).toMatchObject({ run: 'r1', streams: [{ id: second.id, transport: 'ws' }], next: null });
  });
});

describe('MemoryProbeGate', () => {
  it('one at a time (409), then one per cooldown (429 with Retry-After, counted)', () => {
    const counters = createCounters();
    const gate = new MemoryProbeGate(counters, 5_000);
    expect(gate.begin(0)).toBeNull();
    expect(gate.begin(1)).toMatchObject({ status: 409 });
    gate.end(1_000);
    expect(gate.begin(2_500)).toEqual({
      status: 429,
      error: 'one memory measurement per 5000 ms (MEMORY_PROBE_COOLDOWN_MS); try again in 3500 ms',
      headers: { 'Retry-After': '4' },
    });
    expect(counters.limited).toBe(1);
    expect(gate.begin(6_000)).toBeNull();
  });
});
