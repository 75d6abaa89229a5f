/**
 * The official MCP client (`@modelcontextprotocol/sdk` 1.32.2) against the live server:
 * StreamableHTTPClientTransport at /mcp — initialize and the session id, tools/list, the slow tool's
 * progress over SSE, the quick tool's JSON answer, the GET stream, resuming after injected drops with
 * nothing lost, DELETE — and SSEClientTransport at /sse, the deprecated HTTP+SSE transport, which
 * connects, lists and calls with progress, and loses a call when its stream drops. Then the bad
 * inputs and the limits, over plain fetch: each gets its status and a JSON-RPC error, and the server
 * goes on serving.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { LATEST_PROTOCOL_VERSION, LoggingMessageNotificationSchema, McpError, SUPPORTED_PROTOCOL_VERSIONS, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LEGACY_VERSION, STREAMABLE_VERSIONS } from '../backend/mcp-protocol.ts';
import { MAX_JSON_DEPTH, MAX_MCP_BATCH_MESSAGES, MAX_MCP_BODY_BYTES, MAX_MCP_RUNNING_CALLS, MAX_MCP_SESSIONS } from '../protocol/limits.ts';
import { expectQuiet, runCleanups, startLab, type Lab } from './test-support.ts';

afterEach(runCleanups);

interface Exchange {
  method: string;
  status: number;
  type: string | null;
  lastEventId: string | null;
  body: string | null;
}

/** A fetch that records each exchange (method, status, content type, Last-Event-ID, request body). */
function recordingFetch(log: Exchange[]): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    const headers = new Headers(init?.headers);
    log.push({
      method: init?.method ?? 'GET',
      status: response.status,
      type: response.headers.get('content-type'),
      lastEventId: headers.get('last-event-id'),
      body: typeof init?.body === 'string' ? init.body : null,
    });
    return response;
  };
}

interface Connected {
  client: Client;
  transport: StreamableHTTPClientTransport;
  log: Exchange[];
  errors: string[];
  logLines: unknown[];
}

async function connect(lab: Lab, query = ''): Promise<Connected> {
  const log: Exchange[] = [];
  const errors: string[] = [];
  const logLines: unknown[] = [];
  const transport = new StreamableHTTPClientTransport(new URL(`${lab.http}/mcp${query}`), { fetch: recordingFetch(log) });
  const client = new Client({ name: 'lab-test', version: '1.0.0' });
  client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void logLines.push(n.params.data));
  await client.connect(transport);
  transport.onerror = (error) => void errors.push(String(error));
  return { client, transport, log, errors, logLines };
}

/** The exchange whose request body names this tool. */
const callOf = (log: Exchange[], tool: string) => log.find((e) => e.method === 'POST' && e.body?.includes(`"name":"${tool}"`));

describe('the revisions the lab speaks', () => {
  it('are ones the SDK supports, the newest the SDK’s latest', () => {
    for (const version of [...STREAMABLE_VERSIONS, LEGACY_VERSION]) expect(SUPPORTED_PROTOCOL_VERSIONS).toContain(version);
    expect(STREAMABLE_VERSIONS[0]).toBe(LATEST_PROTOCOL_VERSION);
  });
});

describe('StreamableHTTPClientTransport → /mcp', () => {
  it('connects (session id, 2025-11-25), lists the tools, streams count’s progress, answers echo as JSON', async () => {
    const lab = await startLab();
    const { client, transport, log, logLines } = await connect(lab);
    expect(transport.sessionId).toMatch(/^[0-9a-f]{32}$/);
    expect(transport.protocolVersion).toBe('2025-11-25');
    expect(client.getServerVersion()).toMatchObject({ name: 'sse-vs-websocket-lab' });

    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['count', 'echo']);

    const progress: Progress[] = [];
    const result = await client.callTool({ name: 'count', arguments: { steps: 5, intervalMs: 10 } }, undefined, { onprogress: (p) => progress.push(p) });
    expect(progress).toEqual([1, 2, 3, 4, 5].map((n) => ({ progress: n, total: 5, message: `step ${n} of 5` })));
    expect(result).toEqual({ content: [{ type: 'text', text: 'counted to 5' }], structuredContent: { counted: 5 } });
    expect(callOf(log, 'count')).toMatchObject({ status: 200, type: 'text/event-stream; charset=utf-8' });

    const echo = await client.callTool({ name: 'echo', arguments: { text: 'plain JSON' } });
    expect(echo).toMatchObject({ content: [{ type: 'text', text: 'plain JSON' }] });
    expect(callOf(log, 'echo')).toMatchObject({ status: 200, type: 'application/json; charset=utf-8' });

    // notifications/initialized got 202, then the client opened the GET stream; the log line of the
    // finished count came on it.
    expect(log.find((e) => e.body?.includes('notifications/initialized'))).toMatchObject({ status: 202 });
    expect(log.find((e) => e.method === 'GET')).toMatchObject({ status: 200, type: 'text/event-stream; charset=utf-8', lastEventId: null });
    await vi.waitFor(() => expect(logLines).toEqual([`count finished: 5 steps (request 2)`]));

    await transport.terminateSession();
    expect(log.at(-1)).toMatchObject({ method: 'DELETE', status: 204 });
    await client.close();
    await expectQuiet(lab.lab);
  });

  it('resumes after injected drops (?drop=2): GET with Last-Event-ID, every progress notification once, then the result', async () => {
    const lab = await startLab({ retryMs: 20 });
    const { client, transport, log, errors } = await connect(lab, '?drop=2');
    const progress: number[] = [];
    const result = await client.callTool({ name: 'count', arguments: { steps: 7, intervalMs: 15 } }, undefined, { onprogress: (p) => progress.push(p.progress) });
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(result).toMatchObject({ structuredContent: { counted: 7 } });
    // Each connection carried 2 messages: the POST's, then each resume (from the last id it got) 2 more.
    // Stream 1 is the session's GET stream, opened after notifications/initialized; the call's is 2.
    const resumes = log.filter((e) => e.method === 'GET' && e.lastEventId?.startsWith('2-'));
    expect(resumes.map((e) => e.lastEventId)).toEqual(['2-2', '2-4', '2-6']);
    expect(resumes.every((e) => e.status === 200)).toBe(true);
    expect(errors.some((e) => e.includes('SSE stream disconnected'))).toBe(true);
    await transport.terminateSession();
    await client.close();
    await expectQuiet(lab.lab);
  });

  it('a dropped call is not cancelled: the steps go on while nobody listens, and the resume replays them', async () => {
    const lab = await startLab({ retryMs: 300 });
    const { client, transport, log } = await connect(lab, '?drop=1');
    const progress: number[] = [];
    const at: number[] = [];
    const started = Date.now();
    await client.callTool({ name: 'count', arguments: { steps: 4, intervalMs: 30 } }, undefined, {
      onprogress(p) {
        progress.push(p.progress);
        at.push(Date.now() - started);
      },
    });
    expect(progress).toEqual([1, 2, 3, 4]);
    // With drop=1 and a 300 ms retry, steps 2–4 (due by ~120 ms) were kept and came back in one
    // resume each, after the client waited `retry:`.
    expect(at[1]).toBeGreaterThanOrEqual(250);
    expect(log.filter((e) => e.method === 'GET' && e.lastEventId !== null).length).toBeGreaterThanOrEqual(3);
    await transport.terminateSession();
    await client.close();
  });

  it('after DELETE the session is gone: a request that still names it gets 404, one with none 400', async () => {
    const lab = await startLab();
    const { client, transport } = await connect(lab);
    const ended = transport.sessionId;
    await transport.terminateSession();
    // The SDK forgets the id after DELETE: its next request carries none.
    const without: unknown = await client.listTools().catch((e: unknown) => e);
    expect(without).toBeInstanceOf(StreamableHTTPError);
    expect((without as StreamableHTTPError).code).toBe(400);
    // A client that still holds the ended id (sessionId: resume a session) is told it is gone.
    const stale = new Client({ name: 'lab-test', version: '1.0.0' });
    await stale.connect(new StreamableHTTPClientTransport(new URL(`${lab.http}/mcp`), { sessionId: ended }));
    const error: unknown = await stale.ping().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamableHTTPError);
    expect((error as StreamableHTTPError).code).toBe(404);
    await stale.close();
    await client.close();
    await expectQuiet(lab.lab);
  });
});

describe('SSEClientTransport → /sse (HTTP+SSE, 2024-11-05)', () => {
  async function connectSse(lab: Lab, query = ''): Promise<{ client: Client; errors: string[] }> {
    const errors: string[] = [];
    const transport = new SSEClientTransport(new URL(`${lab.http}/sse${query}`));
    const client = new Client({ name: 'lab-test', version: '1.0.0' });
    await client.connect(transport);
    transport.onerror = (error) => void errors.push(String(error));
    return { client, errors };
  }

  it('connects through the endpoint event, lists the tools, calls count with progress and echo', async () => {
    const lab = await startLab();
    const { client } = await connectSse(lab);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['count', 'echo']);
    // Negotiated 2024-11-05: no output schemas (2025-06-18), no progress message (2025-03-26).
    expect(tools.every((t) => t.outputSchema === undefined)).toBe(true);
    const progress: Progress[] = [];
    const result = await client.callTool({ name: 'count', arguments: { steps: 4, intervalMs: 5 } }, undefined, { onprogress: (p) => progress.push(p) });
    expect(progress).toEqual([1, 2, 3, 4].map((n) => ({ progress: n, total: 4 })));
    expect(result).toEqual({ content: [{ type: 'text', text: 'counted to 4' }] });
    expect(await client.callTool({ name: 'echo', arguments: { text: 'old transport' } })).toEqual({ content: [{ type: 'text', text: 'old transport' }] });
    await client.close();
    await expectQuiet(lab.lab);
  });

  it('cannot resume: a drop of its one stream loses the call in progress (the request times out)', async () => {
    const lab = await startLab();
    const { client } = await connectSse(lab, '?drop=4');
    // initialize's and tools/list's answers are messages 1 and 2; count's progress 1 and 2 are 3 and 4, then the cut.
    await client.listTools();
    const progress: number[] = [];
    const error: unknown = await client
      .callTool({ name: 'count', arguments: { steps: 4, intervalMs: 20 } }, undefined, { onprogress: (p) => progress.push(p.progress), timeout: 1_000 })
      .catch((e: unknown) => e);
    expect(progress).toEqual([1, 2]);
    expect(error).toBeInstanceOf(McpError);
    expect((error as McpError).message).toMatch(/Request timed out/);
    await client.close();
    await expectQuiet(lab.lab);
  });
});

describe('hardening: bad inputs and limits get a refusal, and the server goes on', () => {
  const ACCEPT = 'application/json, text/event-stream';
  const rpc = (id: number, method: string, params: Record<string, unknown> = {}) => ({ jsonrpc: '2.0', id, method, params });
  const init = (protocolVersion = '2025-11-25') => rpc(0, 'initialize', { protocolVersion });

  function post(lab: Lab, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${lab.http}/mcp`, {
      method: 'POST',
      headers: { accept: ACCEPT, 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  async function refusal(res: Response): Promise<{ status: number; code: number; message: string }> {
    const body = (await res.json()) as { id: unknown; error: { code: number; message: string } };
    expect(body.id).toBeNull();
    return { status: res.status, code: body.error.code, message: body.error.message };
  }

  async function session(lab: Lab, version?: string): Promise<string> {
    const res = await post(lab, init(version));
    await res.text();
    return res.headers.get('mcp-session-id') ?? '';
  }

  async function stillServes(lab: Lab): Promise<void> {
    const res = await post(lab, init());
    expect(res.status).toBe(200);
    await res.text();
  }

  it('a body past MAX_MCP_BODY_BYTES: 400 parse error naming the limit, connection closed', async () => {
    const lab = await startLab();
    const res = await post(lab, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { pad: 'x'.repeat(MAX_MCP_BODY_BYTES) } }));
    expect(res.headers.get('connection')).toBe('close');
    expect(await refusal(res)).toEqual({ status: 400, code: -32700, message: `Parse error: the body must be at most ${MAX_MCP_BODY_BYTES} bytes` });
    await stillServes(lab);
  });

  it('JSON nested past MAX_JSON_DEPTH: 400 before anything walks it', async () => {
    const lab = await startLab();
    const deep = '['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1);
    expect(await refusal(await post(lab, deep))).toMatchObject({ status: 400, code: -32700, message: expect.stringMatching(/MAX_JSON_DEPTH/) });
    await stillServes(lab);
  });

  it('a batch past MAX_MCP_BATCH_MESSAGES (2025-03-26 session): 400', async () => {
    const lab = await startLab();
    const id = await session(lab, '2025-03-26');
    const batch = Array.from({ length: MAX_MCP_BATCH_MESSAGES + 1 }, (_, i) => rpc(i + 1, 'ping'));
    const res = await post(lab, batch, { 'mcp-session-id': id, 'mcp-protocol-version': '2025-03-26' });
    expect(await refusal(res)).toMatchObject({ status: 400, code: -32600, message: expect.stringMatching(/MAX_MCP_BATCH_MESSAGES/) });
    await stillServes(lab);
  });

  it('past MAX_MCP_RUNNING_CALLS in a session: that call gets a JSON-RPC error', async () => {
    const lab = await startLab();
    const id = await session(lab);
    const headers = { 'mcp-session-id': id, 'mcp-protocol-version': '2025-11-25' };
    const slow = (n: number) => rpc(n, 'tools/call', { name: 'count', arguments: { steps: 1, intervalMs: 2_000 } });
    const running = await Promise.all(Array.from({ length: MAX_MCP_RUNNING_CALLS }, (_, i) => post(lab, slow(i + 1), headers)));
    expect(running.map((r) => r.headers.get('content-type'))).toEqual(Array(MAX_MCP_RUNNING_CALLS).fill('text/event-stream; charset=utf-8'));
    const res = await post(lab, slow(99), headers);
    expect(await res.json()).toMatchObject({ id: 99, error: { code: -32000, message: expect.stringMatching(/MAX_MCP_RUNNING_CALLS/) } });
    await fetch(`${lab.http}/mcp`, { method: 'DELETE', headers });
    await expectQuiet(lab.lab);
  });

  it('MAX_MCP_SESSIONS: the session idle longest makes room; when every one has a call running, 503', async () => {
    const lab = await startLab();
    const first = await session(lab);
    const ids = [first];
    for (let i = 1; i < MAX_MCP_SESSIONS; i++) ids.push(await session(lab));
    ids.push(await session(lab)); // the 65th: the first goes
    const ping = (id: string) => post(lab, rpc(1, 'ping'), { 'mcp-session-id': id });
    expect(await refusal(await ping(first))).toMatchObject({ status: 404, code: -32001 });
    // A call running in each of the sessions held: none can go.
    const held = ids.slice(1);
    const calls = await Promise.all(held.map((id) => post(lab, rpc(2, 'tools/call', { name: 'count', arguments: { steps: 1, intervalMs: 2_000 } }), { 'mcp-session-id': id })));
    expect(calls.every((r) => r.status === 200)).toBe(true);
    const res = await post(lab, init());
    expect(res.headers.get('retry-after')).toBe('5');
    expect(await refusal(res)).toMatchObject({ status: 503, code: -32000, message: expect.stringContaining(`MAX_MCP_SESSIONS = ${MAX_MCP_SESSIONS}`) });
    await Promise.all(held.map((id) => fetch(`${lab.http}/mcp`, { method: 'DELETE', headers: { 'mcp-session-id': id } })));
    await stillServes(lab);
  });

  it('Origin: a foreign one 403 on every endpoint; one in allowedOrigins (LAB_ALLOWED_ORIGINS) is served', async () => {
    const lab = await startLab({ allowedOrigins: ['http://tool.example'] });
    expect(await refusal(await post(lab, init(), { origin: 'http://evil.example' }))).toMatchObject({ status: 403 });
    expect((await fetch(`${lab.http}/sse`, { headers: { origin: 'http://evil.example' } })).status).toBe(403);
    const ok = await post(lab, init(), { origin: 'http://tool.example' });
    expect(ok.status).toBe(200);
    await ok.text();
    const own = await post(lab, init(), { origin: lab.http });
    expect(own.status).toBe(200);
    await own.text();
  });

  it('a session id that is no session, however odd: 404; a GET without one: 400', async () => {
    const lab = await startLab();
    for (const id of ['x'.repeat(2000), '../../etc', '%00']) {
      expect(await refusal(await post(lab, rpc(1, 'ping'), { 'mcp-session-id': id }))).toMatchObject({ status: 404, message: expect.stringMatching(/^Session not found: "/) });
    }
    const res = await fetch(`${lab.http}/mcp`, { headers: { accept: 'text/event-stream' } });
    expect(await refusal(res)).toMatchObject({ status: 400, message: expect.stringMatching(/Mcp-Session-Id header is required/) });
    await stillServes(lab);
  });
});
