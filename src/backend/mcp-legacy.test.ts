/** The HTTP+SSE transport (2024-11-05) in the core: GET /sse and POST /sse/messages, without a network. */
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { createMcp, type Mcp, type McpAnswer } from './mcp.ts';
import { FakeSink, fakeInput } from './mcp-test-support.ts';

const timers = { setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms), clearTimeout: (h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>) };
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

async function openSse(query = ''): Promise<{ sink: FakeSink; endpoint: string; sessionId: string }> {
  const answer: McpAnswer = await mcp.handle('/sse', fakeInput({ method: 'GET', query }));
  if (answer.kind !== 'stream') throw new Error('not a stream');
  const sink = new FakeSink();
  answer.open(sink.sink);
  const endpoint = sink.blocks()[0].data ?? '';
  return { sink, endpoint, sessionId: new URL(endpoint, 'http://lab.test').searchParams.get('sessionId') ?? '' };
}

const post = (sessionId: string, body: unknown) =>
  mcp.handle('/sse/messages', fakeInput({ headers: { 'content-type': 'application/json' }, query: `sessionId=${sessionId}`, body }));

it('GET /sse: the endpoint event first; each POST gets 202 and its answer as `event: message` on the stream', async () => {
  const { sink, endpoint, sessionId } = await openSse();
  expect(sink.blocks()[0]).toEqual({ event: 'endpoint', data: endpoint });
  expect(endpoint).toMatch(/^\/sse\/messages\?sessionId=[0-9a-f]{32}$/);
  expect(await post(sessionId, rpc(0, 'initialize', { protocolVersion: '2025-11-25' }))).toEqual({ kind: 'empty', status: 202, headers: {} });
  expect(await post(sessionId, rpc(1, 'tools/call', { name: 'count', arguments: { steps: 2, intervalMs: 5 }, _meta: { progressToken: 'p' } }))).toMatchObject({ status: 202 });
  await vi.advanceTimersByTimeAsync(20);
  expect(sink.blocks().slice(1).every((b) => b.event === 'message' && b.id === undefined)).toBe(true);
  expect(sink.messages()).toEqual([
    { jsonrpc: '2.0', id: 0, result: expect.objectContaining({ protocolVersion: '2024-11-05' }) as unknown },
    { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 'p', progress: 1, total: 2 } },
    { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 'p', progress: 2, total: 2 } },
    { jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: 'counted to 2' }] } },
    { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', logger: 'lab', data: 'count finished: 2 steps (request 1)' } },
  ]);
});

it('the session lives as long as its stream: a drop (?drop=1) ends it, its call stops, later POSTs 404', async () => {
  const { sink, sessionId } = await openSse('drop=1');
  await post(sessionId, rpc(0, 'initialize', { protocolVersion: '2024-11-05' }));
  expect(sink.wasCut).toBe(true);
  expect(await post(sessionId, rpc(1, 'ping'))).toMatchObject({ status: 404, body: { error: { code: -32001 } } });
  expect(mcp.stats()).toEqual({ sessions: 0, connections: 0, runningCalls: 0 });
});

it('refusals: a batch, a wrong protocol version header, no JSON', async () => {
  const { sessionId } = await openSse();
  expect(await post(sessionId, [rpc(1, 'ping')])).toMatchObject({ status: 400, body: { error: { code: -32600 } } });
  await post(sessionId, rpc(0, 'initialize', { protocolVersion: '2024-11-05' }));
  const wrongVersion = fakeInput({ headers: { 'content-type': 'application/json', 'mcp-protocol-version': '2025-11-25' }, query: `sessionId=${sessionId}`, body: rpc(1, 'ping') });
  expect(await mcp.handle('/sse/messages', wrongVersion)).toMatchObject({ status: 400 });
  expect(await mcp.handle('/sse/messages', fakeInput({ headers: { 'content-type': 'application/json' }, query: `sessionId=${sessionId}` }))).toMatchObject({ status: 400, body: { error: { code: -32700 } } });
  expect(await mcp.handle('/sse/messages', fakeInput({ method: 'GET' }))).toMatchObject({ status: 405, headers: { Allow: 'POST' } });
});

it('the stream closed by the client ends the session', async () => {
  const answer = await mcp.handle('/sse', fakeInput({ method: 'GET' }));
  if (answer.kind !== 'stream') throw new Error('not a stream');
  const connection = answer.open(new FakeSink().sink);
  expect(mcp.stats()).toMatchObject({ sessions: 1, connections: 1 });
  connection.closed();
  expect(mcp.stats()).toMatchObject({ sessions: 0, connections: 0 });
});
