import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { COUNT_STEPS, ECHO_MAX_CHARS, parseToolCall, progressTokenOf, runCount, toolList } from './mcp-tools.ts';

const timers = { setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms), clearTimeout: (h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>) };

describe('toolList', () => {
  it('count and echo; output schemas only when the revision has structured output', () => {
    expect(toolList(false).map((t) => [t.name, 'outputSchema' in t])).toEqual([['count', false], ['echo', false]]);
    expect(toolList(true).map((t) => [t.name, 'outputSchema' in t])).toEqual([['count', true], ['echo', true]]);
  });
});

describe('parseToolCall', () => {
  it('count with its defaults, echo with its text', () => {
    expect(parseToolCall({ name: 'count' })).toEqual({ ok: true, call: { tool: 'count', steps: 5, intervalMs: 200 } });
    expect(parseToolCall({ name: 'count', arguments: { steps: 3, intervalMs: 0 } })).toMatchObject({ call: { steps: 3, intervalMs: 0 } });
    expect(parseToolCall({ name: 'echo', arguments: { text: 'hi' } })).toEqual({ ok: true, call: { tool: 'echo', text: 'hi' } });
  });

  it('an unknown tool is a protocol error; bad arguments are input errors', () => {
    expect(parseToolCall({ name: 'rm' })).toMatchObject({ ok: false, kind: 'protocol', message: 'Unknown tool: "rm" (the lab has count and echo)' });
    expect(parseToolCall({})).toMatchObject({ kind: 'protocol' });
    expect(parseToolCall({ name: 'count', arguments: { steps: COUNT_STEPS.max + 1 } })).toMatchObject({ kind: 'input', message: 'count: "steps" must be an integer from 1 to 100; got 101' });
    expect(parseToolCall({ name: 'count', arguments: { intervalMs: 'slow' } })).toMatchObject({ kind: 'input' });
    expect(parseToolCall({ name: 'count', arguments: { speed: 1 } })).toMatchObject({ kind: 'input', message: 'count: unknown argument "speed" (takes steps, intervalMs)' });
    expect(parseToolCall({ name: 'echo', arguments: { text: 'x'.repeat(ECHO_MAX_CHARS + 1) } })).toMatchObject({ kind: 'input' });
    expect(parseToolCall({ name: 'echo', arguments: [] })).toMatchObject({ kind: 'input', message: '"arguments" must be an object' });
  });
});

it('progressTokenOf: a string or an integer in _meta', () => {
  expect(progressTokenOf({ _meta: { progressToken: 'a' } })).toBe('a');
  expect(progressTokenOf({ _meta: { progressToken: 7 } })).toBe(7);
  expect(progressTokenOf({ _meta: { progressToken: 1.5 } })).toBeUndefined();
  expect(progressTokenOf({})).toBeUndefined();
});

describe('runCount', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('one progress notification per step, the answer a timer turn after the last', () => {
    const sent: unknown[] = [];
    const done = vi.fn();
    runCount({ steps: 3, intervalMs: 100, progressToken: 't', progressMessage: true, timers, emit: (m) => sent.push(m), done });
    vi.advanceTimersByTime(99);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(201);
    expect(sent).toEqual([1, 2, 3].map((n) => ({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 't', progress: n, total: 3, message: `step ${n} of 3` } })));
    expect(done).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(done).toHaveBeenCalledOnce();
  });

  it('no token: no notifications; no message before 2025-03-26; stop() ends it', () => {
    const sent: unknown[] = [];
    const done = vi.fn();
    runCount({ steps: 2, intervalMs: 10, progressToken: undefined, progressMessage: false, timers, emit: (m) => sent.push(m), done });
    vi.advanceTimersByTime(100);
    expect(sent).toEqual([]);
    expect(done).toHaveBeenCalledOnce();
    const run = runCount({ steps: 3, intervalMs: 10, progressToken: 1, progressMessage: false, timers, emit: (m) => sent.push(m), done });
    vi.advanceTimersByTime(10);
    run.stop();
    vi.advanceTimersByTime(100);
    expect(sent).toEqual([{ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: 1, total: 3 } }]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
