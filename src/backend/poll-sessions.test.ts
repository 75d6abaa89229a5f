import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseScenarioQuery, scenarioCatalogue, type ScenarioConfig } from '../protocol/scenarios.ts';
import { countedTimers, createCounters } from './counters.ts';
import { parsePollQuery, PollSessions } from './poll-sessions.ts';

const catalogue = scenarioCatalogue().scenarios;

function config(q: string): ScenarioConfig {
  const parsed = parseScenarioQuery(new URLSearchParams(q));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

describe('parsePollQuery', () => {
  it('one session per run and scenario', () => {
    const a = parsePollQuery(new URLSearchParams('scenario=ticker&rate=10&run=r1&after=3&wait=500'), catalogue);
    expect(a).toMatchObject({ ok: true, value: { after: 3, wait: 500 } });
    const b = parsePollQuery(new URLSearchParams('run=r1&rate=10&scenario=ticker'), catalogue);
    const c = parsePollQuery(new URLSearchParams('scenario=ticker&rate=10&run=r2'), catalogue);
    expect(a.ok && b.ok && a.value.key === b.value.key).toBe(true);
    expect(a.ok && c.ok && a.value.key === c.value.key).toBe(false);
  });

  it.each([
    ['scenario=nope', /scenario/],
    ['scenario=ticker&after=x', /^after/],
    ['scenario=ticker&wait=30001', /^wait/],
    ['scenario=ticker&wait=-1', /^wait/],
    ['scenario=ticker&run=%2F', /run/],
  ])('%s → 400 reason', (q, reason) => {
    const parsed = parsePollQuery(new URLSearchParams(q), catalogue);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(reason);
  });
});

describe('PollSessions', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setup(max = 2, idleMs = 1_000) {
    const counters = createCounters();
    const polls = new PollSessions(counters, countedTimers(counters), { max, idleMs });
    return { counters, polls };
  }

  it('capped: past max, null and a counted 503 naming the limit and when an idle one ends', () => {
    const { counters, polls } = setup();
    const cfg = config('scenario=ticker&rate=10');
    expect(polls.session('a', cfg)).not.toBeNull();
    expect(polls.session('b', cfg)).not.toBeNull();
    expect(polls.session('a', cfg)).not.toBeNull();
    expect(polls.session('c', cfg)).toBeNull();
    expect(counters.pollStreams).toBe(2);
    expect(polls.refusal()).toEqual({
      status: 503,
      error: expect.stringContaining('MAX_POLL_SESSIONS') as unknown,
      headers: { 'Retry-After': '1' },
    });
    expect(counters.limited).toBe(1);
    polls.closeAll();
    expect(counters.pollStreams).toBe(0);
    expect(counters.activeTimers).toBe(0);
  });

  it('a session nobody polls for idleMs is stopped and forgotten; a polled one lives on', () => {
    const { counters, polls } = setup();
    const cfg = config('scenario=ticker&rate=10');
    polls.session('idle', cfg);
    polls.session('busy', cfg);
    for (let i = 0; i < 4; i++) {
      vi.advanceTimersByTime(500);
      polls.session('busy', cfg);
    }
    expect(counters.pollStreams).toBe(1);
    vi.advanceTimersByTime(2_500);
    expect(counters.pollStreams).toBe(0);
    expect(counters.activeTimers).toBe(0);
  });

  it('await: wait=0 answers at once; a long poll on the first frame after `after`; take counts', () => {
    const { counters, polls } = setup();
    const buffer = polls.session('a', config('scenario=ticker&rate=10'))!;
    const answers: number[] = [];
    polls.await(buffer, 0, 0, () => answers.push(polls.take(buffer, 0).frames.length));
    expect(answers).toEqual([0]);
    polls.await(buffer, 0, 5_000, () => answers.push(polls.take(buffer, 0).frames.length));
    expect(answers).toHaveLength(1);
    vi.advanceTimersByTime(150);
    expect(answers).toHaveLength(2);
    expect(answers[1]).toBeGreaterThan(0);
    expect(counters.polls).toBe(2);
    polls.closeAll();
    expect(counters.activeTimers).toBe(0);
  });

  it('await: the end of the wait answers (empty), exactly once; a cancel before it answers never', () => {
    const { polls, counters } = setup();
    const buffer = polls.session('a', config('scenario=ticker&rate=1'))!;
    vi.advanceTimersByTime(1_100);
    const got = polls.take(buffer, 0).frames.at(-1)?.seq ?? 0;
    let answered = 0;
    polls.await(buffer, got, 100, () => answered++);
    vi.advanceTimersByTime(100);
    expect(answered).toBe(1);
    vi.advanceTimersByTime(2_000);
    expect(answered).toBe(1);
    let never = 0;
    const cancel = polls.await(buffer, 1e9, 500, () => never++);
    cancel();
    vi.advanceTimersByTime(600);
    expect(never).toBe(0);
    polls.closeAll();
    expect(counters.activeTimers).toBe(0);
  });
});
