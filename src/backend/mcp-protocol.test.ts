import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_MCP_RUNNING_CALLS } from '../protocol/limits.ts';
import type { RpcMessage } from './mcp-jsonrpc.ts';
import { dispatch, hasRevision, LEGACY_VERSION, newSessionState, stopCalls, STREAMABLE_VERSIONS, type DispatchContext, type SessionState } from './mcp-protocol.ts';

const timers = { setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms), clearTimeout: (h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>) };

function context() {
  const emitted: unknown[] = [];
  const notified: unknown[] = [];
  const settled = vi.fn();
  const ctx: DispatchContext = { serverVersion: '9.9.9', timers, emit: (m) => emitted.push(m), settled, notify: (m) => notified.push(m) };
  return { ctx, emitted, notified, settled };
}

const request = (id: number, method: string, params: Record<string, unknown> = {}): RpcMessage => ({ kind: 'request', id, method, params });
const note = (method: string, params: Record<string, unknown> = {}): RpcMessage => ({ kind: 'notification', method, params });

function initialized(version = '2025-11-25', versions = STREAMABLE_VERSIONS): SessionState {
  const state = newSessionState(versions);
  dispatch(state, request(0, 'initialize', { protocolVersion: version }), context().ctx);
  return state;
}

const answerOf = (state: SessionState, message: RpcMessage) => {
  const out = dispatch(state, message, context().ctx);
  return out.kind === 'answer' ? out.message : out;
};

describe('initialize', () => {
  it('answers the requested revision when spoken, else the newest; serverInfo and capabilities', () => {
    for (const [asked, got] of [['2025-06-18', '2025-06-18'], ['2025-03-26', '2025-03-26'], ['2024-11-05', '2025-11-25'], ['2099-01-01', '2025-11-25']]) {
      const state = newSessionState(STREAMABLE_VERSIONS);
      expect(answerOf(state, request(0, 'initialize', { protocolVersion: asked }))).toEqual({
        jsonrpc: '2.0',
        id: 0,
        result: {
          protocolVersion: got,
          capabilities: { tools: { listChanged: false }, logging: {} },
          serverInfo: { name: 'sse-vs-websocket-lab', version: '9.9.9' },
          instructions: expect.any(String) as unknown,
        },
      });
      expect(state.version).toBe(got);
    }
    expect(answerOf(newSessionState([LEGACY_VERSION]), request(0, 'initialize', { protocolVersion: '2025-11-25' }))).toMatchObject({ result: { protocolVersion: '2024-11-05' } });
  });

  it('twice, or without protocolVersion: an error', () => {
    expect(answerOf(initialized(), request(1, 'initialize', { protocolVersion: '2025-11-25' }))).toMatchObject({ error: { code: -32600 } });
    const fresh = newSessionState(STREAMABLE_VERSIONS);
    expect(answerOf(fresh, request(1, 'initialize', {}))).toMatchObject({ error: { code: -32602 } });
    expect(fresh.version).toBeNull();
  });

  it('before it, only ping', () => {
    const state = newSessionState([LEGACY_VERSION]);
    expect(answerOf(state, request(1, 'ping'))).toEqual({ jsonrpc: '2.0', id: 1, result: {} });
    expect(answerOf(state, request(2, 'tools/list'))).toMatchObject({ error: { code: -32600, message: '"tools/list" before initialize: send initialize first' } });
  });
});

describe('after initialize', () => {
  it('notifications and responses are not answered; notifications/initialized is noted', () => {
    const state = initialized();
    expect(dispatch(state, note('notifications/initialized'), context().ctx)).toEqual({ kind: 'none' });
    expect(state.initialized).toBe(true);
    expect(dispatch(state, { kind: 'response', id: 5 }, context().ctx)).toEqual({ kind: 'none' });
  });

  it('tools/list by revision; an unknown method: -32601', () => {
    expect(answerOf(initialized('2025-03-26'), request(1, 'tools/list'))).toMatchObject({ result: { tools: [{ name: 'count' }, { name: 'echo' }] } });
    expect(JSON.stringify(answerOf(initialized('2025-03-26'), request(1, 'tools/list')))).not.toContain('outputSchema');
    expect(JSON.stringify(answerOf(initialized('2025-06-18'), request(1, 'tools/list')))).toContain('outputSchema');
    expect(answerOf(initialized(), request(1, 'resources/list'))).toMatchObject({ error: { code: -32601, message: 'Method not found: "resources/list"' } });
  });

  it('logging/setLevel checks the level', () => {
    const state = initialized();
    expect(answerOf(state, request(1, 'logging/setLevel', { level: 'error' }))).toEqual({ jsonrpc: '2.0', id: 1, result: {} });
    expect(state.logLevel).toBe('error');
    expect(answerOf(state, request(2, 'logging/setLevel', { level: 'loud' }))).toMatchObject({ error: { code: -32602 } });
  });

  it('echo answers at once; structured content from 2025-06-18', () => {
    const call = request(1, 'tools/call', { name: 'echo', arguments: { text: 'x' } });
    expect(answerOf(initialized('2025-03-26'), call)).toEqual({ jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: 'x' }] } });
    expect(answerOf(initialized('2025-06-18'), call)).toMatchObject({ result: { structuredContent: { text: 'x' } } });
  });

  it('bad arguments: a tool execution error from 2025-11-25, -32602 before', () => {
    const call = request(1, 'tools/call', { name: 'echo', arguments: {} });
    expect(answerOf(initialized('2025-11-25'), call)).toMatchObject({ result: { isError: true } });
    expect(answerOf(initialized('2025-06-18'), call)).toMatchObject({ error: { code: -32602 } });
  });
});

describe('count', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs: progress, then the answer through emit, settled, and a log line on the GET stream', () => {
    const state = initialized();
    const { ctx, emitted, notified, settled } = context();
    expect(dispatch(state, request(7, 'tools/call', { name: 'count', arguments: { steps: 2, intervalMs: 10 }, _meta: { progressToken: 'p' } }), ctx)).toEqual({ kind: 'running' });
    vi.advanceTimersByTime(25);
    expect(emitted).toHaveLength(3);
    expect(emitted[2]).toEqual({ jsonrpc: '2.0', id: 7, result: { content: [{ type: 'text', text: 'counted to 2' }], structuredContent: { counted: 2 } } });
    expect(settled).toHaveBeenCalledOnce();
    expect(notified).toEqual([{ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', logger: 'lab', data: 'count finished: 2 steps (request 7)' } }]);
    expect(state.calls.size).toBe(0);
  });

  it('no log line when the level is above info', () => {
    const state = initialized();
    state.logLevel = 'warning';
    const { ctx, notified } = context();
    dispatch(state, request(1, 'tools/call', { name: 'count', arguments: { steps: 1, intervalMs: 0 } }), ctx);
    vi.advanceTimersByTime(5);
    expect(notified).toEqual([]);
  });

  it('notifications/cancelled stops it unanswered; the same id twice, or past MAX_MCP_RUNNING_CALLS: an error', () => {
    const state = initialized();
    const { ctx, emitted, settled } = context();
    const count = (id: number) => request(id, 'tools/call', { name: 'count', arguments: { steps: 3, intervalMs: 100 } });
    for (let id = 1; id <= MAX_MCP_RUNNING_CALLS; id++) expect(dispatch(state, count(id), ctx)).toEqual({ kind: 'running' });
    expect(answerOf(state, count(1))).toMatchObject({ error: { code: -32600 } });
    expect(answerOf(state, count(99))).toMatchObject({ error: { code: -32000, message: expect.stringMatching(/MAX_MCP_RUNNING_CALLS/) } });
    dispatch(state, note('notifications/cancelled', { requestId: 1 }), ctx);
    expect(settled).toHaveBeenCalledOnce();
    expect(state.calls.size).toBe(MAX_MCP_RUNNING_CALLS - 1);
    stopCalls(state);
    vi.advanceTimersByTime(1000);
    expect(emitted).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});

it('hasRevision compares revision dates', () => {
  expect(hasRevision('2025-11-25', '2025-06-18')).toBe(true);
  expect(hasRevision('2025-03-26', '2025-06-18')).toBe(false);
  expect(hasRevision(null, '2024-11-05')).toBe(false);
});
