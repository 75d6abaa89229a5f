/**
 * The Streamable HTTP core end to end, without a network: requests as the adapters hand them over,
 * SSE answers opened on a recording sink, time under fake timers.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_MCP_REPLAY_EVENTS } from '../protocol/limits.ts';
import { createMcp, isMcpPath, type Mcp, type McpAnswer } from './mcp.ts';
import { FakeSink, fakeInput, type FakeRequest } from './mcp-test-support.ts';

const timers = { setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms), clearTimeout: (h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>) };
const ACCEPT = 'application/json, text/event-stream';

let mcp: Mcp;
beforeEach(() => {
  vi.useFakeTimers();
  mcp = createMcp({ version: '1.0.0', retryMs: 500, heartbeatMs: 10_000, timers });
});
afterEach(() => {
  mcp.close();
  expect(vi.getTimerCount()).toBe(0);
  vi.useRealTimers();
});

const rpc = (id: number, method: string, params: Record<string, unknown> = {}) => ({ jsonrpc: '2.0', id, method, params });
const count = (id: number, steps: number, intervalMs = 10) => rpc(id, 'tools/call', { name: 'count', arguments: { steps, intervalMs }, _meta: { progressToken: id } });

function send(request: FakeRequest & { session?: string }): Promise<McpAnswer> {
  const headers: Record<string, string> = { accept: ACCEPT, 'content-type': 'application/json', ...request.headers };
  if (request.session !== undefined) headers['mcp-session-id'] = request.session;
  return mcp.handle('/mcp', fakeInput({ ...request, headers }));
}

async function initialize(protocolVersion = '2025-11-25'): Promise<string> {
  const answer = await send({ body: rpc(0, 'initialize', { protocolVersion }) });
  if (answer.kind !== 'json') throw new Error('no JSON answer');
  return answer.headers['Mcp-Session-Id'];
}

function open(answer: McpAnswer): FakeSink {
  if (answer.kind !== 'stream') throw new Error(`not a stream: ${JSON.stringify(answer)}`);
  const sink = new FakeSink();
  answer.open(sink.sink);
  return sink;
}

const resume = (session: string, lastEventId: string, query = '') =>
  send({ method: 'GET', session, query, headers: { accept: 'text/event-stream', 'last-event-id': lastEventId } });

it('isMcpPath: /mcp, /sse and what is under them', () => {
  expect(['/mcp', '/sse', '/sse/messages', '/mcp/x'].every(isMcpPath)).toBe(true);
  expect(['/mcpx', '/api/sse', '/ssex', '/'].some(isMcpPath)).toBe(false);
});

describe('POST /mcp', () => {
  it('initialize: a session; its answer is JSON with Mcp-Session-Id', async () => {
    const answer = await send({ body: rpc(0, 'initialize', { protocolVersion: '2025-06-18' }) });
    expect(answer).toMatchObject({ kind: 'json', status: 200, headers: { 'Mcp-Session-Id': expect.stringMatching(/^[0-9a-f]{32}$/) as unknown }, body: { result: { protocolVersion: '2025-06-18' } } });
    expect(mcp.stats()).toEqual({ sessions: 1, connections: 0, runningCalls: 0 });
  });

  it('count: an SSE answer — retry, priming event, progress, result — that ends', async () => {
    const session = await initialize();
    const answer = await send({ session, body: count(1, 2) });
    expect(answer).toMatchObject({ kind: 'stream', headers: { 'Content-Type': 'text/event-stream; charset=utf-8', 'Mcp-Session-Id': session } });
    const sink = open(answer);
    expect(mcp.stats()).toMatchObject({ connections: 1, runningCalls: 1 });
    await vi.advanceTimersByTimeAsync(30);
    expect(sink.blocks().map((b) => b.retry ?? b.id)).toEqual(['500', '1-0', '1-1', '1-2', '1-3']);
    expect(sink.messages().at(-1)).toMatchObject({ id: 1, result: { structuredContent: { counted: 2 } } });
    expect(sink.ended).toBe(true);
    expect(mcp.stats()).toMatchObject({ connections: 0, runningCalls: 0 });
  });

  it('a 2025-03-26 batch with a count: the known answers first on the stream, then the call’s messages', async () => {
    const session = await initialize('2025-03-26');
    const sink = open(await send({ session, body: [rpc(1, 'ping'), count(2, 1)] }));
    await vi.advanceTimersByTimeAsync(20);
    expect(sink.blocks()[1]).toMatchObject({ id: '1-1' }); // no priming event before 2025-11-25
    expect(sink.messages()).toEqual([
      { jsonrpc: '2.0', id: 1, result: {} },
      { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 2, progress: 1, total: 1, message: 'step 1 of 1' } },
      { jsonrpc: '2.0', id: 2, result: { content: [{ type: 'text', text: 'counted to 1' }] } },
    ]);
  });

  it('only notifications: 202', async () => {
    const session = await initialize();
    expect(await send({ session, body: { jsonrpc: '2.0', method: 'notifications/initialized' } })).toEqual({ kind: 'empty', status: 202, headers: { 'Mcp-Session-Id': session } });
  });
});

describe('resume (GET with Last-Event-ID)', () => {
  it('after a drop (?drop=1) the call goes on; the resume replays what was missed and carries the rest', async () => {
    const session = await initialize();
    const first = open(await send({ session, query: 'drop=1', body: count(1, 4) }));
    await vi.advanceTimersByTimeAsync(25);
    expect(first.wasCut).toBe(true);
    expect(first.messages()).toHaveLength(1);
    const second = open(await resume(session, '1-1'));
    expect(second.messages().map((m) => (m as { params?: { progress: number } }).params?.progress)).toEqual([2]);
    await vi.advanceTimersByTimeAsync(30);
    expect(second.messages()).toHaveLength(4);
    expect(second.blocks().filter((b) => b.id === '1-0')).toEqual([]); // no priming on a resume
    expect(second.ended).toBe(true);
  });

  it('nothing left after the id: 204; an id of no stream, or past its end: 400', async () => {
    const session = await initialize();
    open(await send({ session, body: count(1, 1) }));
    await vi.advanceTimersByTimeAsync(20);
    expect(await resume(session, '1-2')).toEqual({ kind: 'empty', status: 204, headers: { 'Mcp-Session-Id': session } });
    for (const id of ['1-3', '9-1', 'abc']) expect(await resume(session, id)).toMatchObject({ kind: 'json', status: 400 });
  });

  it('the replay budget: past MAX_MCP_REPLAY_EVENTS the oldest finished stream goes', async () => {
    const session = await initialize();
    const steps = 100;
    const calls = Math.ceil(MAX_MCP_REPLAY_EVENTS / (steps + 2)) + 1;
    for (let id = 1; id <= calls; id++) {
      open(await send({ session, body: count(id, steps, 0) }));
      await vi.advanceTimersByTimeAsync(steps + 5);
    }
    // Streams: 1 the first call's, 2 the GET stream (made for the first log line), 3… the other calls'.
    expect(await resume(session, '1-1')).toMatchObject({ status: 400 });
    expect(open(await resume(session, `${calls + 1}-${steps}`)).messages()).toHaveLength(1);
  });

  it('a stream whose answer the client has not had yet outlasts streams that were delivered', async () => {
    const session = await initialize();
    open(await send({ session, query: 'drop=1', body: count(1, 100, 0) }));
    await vi.advanceTimersByTimeAsync(105);
    for (let id = 2; id <= 5; id++) {
      open(await send({ session, body: count(id, 100, 0) }));
      await vi.advanceTimersByTimeAsync(105);
    }
    // Stream 3 (call 2's, delivered) went for the budget; stream 1 (dropped after 1 message) is all there.
    expect(await resume(session, '3-1')).toMatchObject({ status: 400 });
    const rest = open(await resume(session, '1-1')).messages();
    expect(rest).toHaveLength(100);
    expect(rest.at(-1)).toMatchObject({ id: 1, result: { structuredContent: { counted: 100 } } });
  });
});

describe('GET /mcp without Last-Event-ID', () => {
  it('the session’s GET stream: priming, then the log lines kept for it; a second one: 409', async () => {
    const session = await initialize();
    open(await send({ session, body: count(1, 1) }));
    await vi.advanceTimersByTimeAsync(20);
    const get = () => send({ method: 'GET', session, headers: { accept: 'text/event-stream' } });
    const sink = open(await get());
    expect(sink.blocks().map((b) => b.retry ?? b.id)).toEqual(['500', '2-0', '2-1']);
    expect(sink.messages()).toEqual([{ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', logger: 'lab', data: 'count finished: 1 steps (request 1)' } }]);
    expect(await get()).toMatchObject({ status: 409 });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sink.blocks().at(-1)).toEqual({ comment: 'keep-alive' });
  });
});

describe('sessions', () => {
  it('DELETE ends the session: its calls stop, its streams end, later requests 404', async () => {
    const session = await initialize();
    const sink = open(await send({ session, body: count(1, 5, 100) }));
    expect(await send({ method: 'DELETE', session })).toEqual({ kind: 'empty', status: 204, headers: {} });
    expect(sink.ended).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    expect(await send({ session, body: rpc(2, 'ping') })).toMatchObject({ status: 404, body: { error: { code: -32001 } } });
  });

  it('idle past MCP_SESSION_IDLE_MS: ended; a running call keeps it', async () => {
    let now = 0;
    mcp = createMcp({ version: '1', retryMs: 1, heartbeatMs: 0, timers, idleMs: 1000, now: () => now });
    const idle = await initialize();
    const busy = await initialize();
    open(await send({ session: busy, body: count(1, 1, 5000) }));
    now = 2000;
    expect(await send({ session: idle, body: rpc(1, 'ping') })).toMatchObject({ status: 404 });
    expect(await send({ session: busy, body: rpc(2, 'ping') })).toMatchObject({ status: 200 });
  });

  it('full (maxSessions): an idle session makes room; with a call running in each, 503', async () => {
    mcp = createMcp({ version: '1', retryMs: 1, heartbeatMs: 0, timers, max: 1 });
    const first = await initialize();
    const second = await initialize();
    expect(await send({ session: first, body: rpc(1, 'ping') })).toMatchObject({ status: 404 });
    open(await send({ session: second, body: count(1, 1, 5000) }));
    expect(await send({ body: rpc(0, 'initialize', { protocolVersion: '2025-11-25' }) })).toMatchObject({ status: 503, headers: { 'Retry-After': '5' } });
  });

  it('a second initialize in a session: 400; one naming an unknown session: 404', async () => {
    const session = await initialize();
    const init = rpc(0, 'initialize', { protocolVersion: '2025-11-25' });
    expect(await send({ session, body: init })).toMatchObject({ status: 400, body: { error: { code: -32600 } } });
    expect(await send({ session: 'gone', body: init })).toMatchObject({ status: 404 });
    expect(await send({ body: [init, rpc(1, 'ping')] })).toMatchObject({ status: 400 });
  });

  it('close() ends every session', async () => {
    const session = await initialize();
    const sink = open(await send({ session, body: count(1, 3) }));
    mcp.close();
    expect(sink.ended).toBe(true);
    expect(mcp.stats()).toEqual({ sessions: 0, connections: 0, runningCalls: 0 });
  });
});
