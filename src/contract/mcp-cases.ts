/**
 * Contract rows for the MCP endpoints (src/backend/mcp.ts): Streamable HTTP at /mcp — initialize and
 * its session id, the quick call as JSON, the slow call as SSE (priming event, progress, result),
 * the GET stream, a resume after a drop, batches by revision, every refusal — and the deprecated
 * HTTP+SSE transport's `endpoint` event and refusals at /sse.
 *
 * A row's setup usually starts a session: `{session}` in a later request stands for the
 * Mcp-Session-Id the setup's answers carried (contract.test.ts fills it in).
 */
import { expect } from 'vitest';
import type { ContractCase, ContractRequest, Expected, SetupRequest, WireEvent } from './cases.ts';

export type McpCase = Omit<ContractCase, 'endpoint'> & { endpoint: 'mcp' };

const ACCEPT = 'application/json, text/event-stream';
const SESSION_ID = /^[0-9a-f]{32}$/;

const rpc = (id: number, method: string, params: Record<string, unknown> = {}) => ({ jsonrpc: '2.0', id, method, params });
const initialize = (protocolVersion = '2025-11-25') =>
  rpc(0, 'initialize', { protocolVersion, capabilities: {}, clientInfo: { name: 'contract', version: '1' } });
const post = (body: unknown, headers: Record<string, string> = {}, path = '/mcp'): ContractRequest => ({
  method: 'POST',
  path,
  body,
  headers: { accept: ACCEPT, ...headers },
});
/** A POST in the session the setup started, with the MCP-Protocol-Version it negotiated. */
const inSession = (body: unknown, version = '2025-11-25', path = '/mcp'): ContractRequest =>
  post(body, { 'mcp-session-id': '{session}', 'mcp-protocol-version': version }, path);
const session = (version?: string): SetupRequest[] => [post(initialize(version))];
const getStream = (headers: Record<string, string> = {}): ContractRequest => ({
  path: '/mcp',
  headers: { accept: 'text/event-stream', 'mcp-session-id': '{session}', 'mcp-protocol-version': '2025-11-25', ...headers },
});

/** An HTTP refusal whose body is a JSON-RPC error with no id. */
const refused = (status: number, code: number, message: string | RegExp, headers?: Record<string, string>): Expected => ({
  status,
  type: 'json',
  body: { jsonrpc: '2.0', id: null, error: { code, message: typeof message === 'string' ? message : (expect.stringMatching(message) as unknown) } },
  ...(headers ? { headers } : {}),
});
const answer = (body: unknown): Expected => ({ status: 200, type: 'json', headers: { 'mcp-session-id': SESSION_ID }, body: body as Record<string, unknown> });

const count = (id: number, steps: number) => rpc(id, 'tools/call', { name: 'count', arguments: { steps, intervalMs: 1 }, _meta: { progressToken: 'p' } });
const message = (id: string, data: unknown): WireEvent => ({ event: 'message', id, data });
const progress = (id: string, n: number, total: number): WireEvent =>
  message(id, { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 'p', progress: n, total, message: `step ${n} of ${total}` } });
const counted = (id: string, rpcId: number, n: number): WireEvent =>
  message(id, { jsonrpc: '2.0', id: rpcId, result: { content: [{ type: 'text', text: `counted to ${n}` }], structuredContent: { counted: n } } });

export const mcpCases: McpCase[] = [
  // --- initialize and the session ---------------------------------------------------------------
  {
    name: 'POST /mcp initialize: 200 JSON, the negotiated revision, Mcp-Session-Id',
    endpoint: 'mcp',
    request: post(initialize()),
    expect: answer({
      jsonrpc: '2.0',
      id: 0,
      result: { protocolVersion: '2025-11-25', capabilities: { tools: { listChanged: false }, logging: {} }, serverInfo: { name: 'sse-vs-websocket-lab' } },
    }),
  },
  {
    name: 'POST /mcp initialize with a revision the lab does not speak: its newest',
    endpoint: 'mcp',
    request: post(initialize('2024-11-05')),
    expect: answer({ id: 0, result: { protocolVersion: '2025-11-25' } }),
  },
  {
    name: 'POST /mcp initialize without protocolVersion: -32602, no session',
    endpoint: 'mcp',
    request: post(rpc(0, 'initialize', {})),
    expect: { status: 200, type: 'json', body: { id: 0, error: { code: -32602 } } },
  },
  {
    name: 'POST /mcp notifications/initialized: 202, no body',
    endpoint: 'mcp',
    setup: session(),
    request: inSession({ jsonrpc: '2.0', method: 'notifications/initialized' }),
    expect: { status: 202, type: 'none' },
  },
  {
    name: 'POST /mcp tools/list: both tools, with output schemas (2025-06-18 on)',
    endpoint: 'mcp',
    setup: session(),
    request: inSession(rpc(1, 'tools/list')),
    expect: answer({ result: { tools: [{ name: 'count', outputSchema: { type: 'object' } }, { name: 'echo', outputSchema: { type: 'object' } }] } }),
  },
  {
    name: 'POST /mcp tools/call echo: the quick call answered as plain JSON',
    endpoint: 'mcp',
    setup: session(),
    request: inSession(rpc(1, 'tools/call', { name: 'echo', arguments: { text: 'hi' } })),
    expect: answer({ jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: 'hi' }], structuredContent: { text: 'hi' } } }),
  },
  {
    name: 'POST /mcp tools/call count: SSE — priming event, a progress notification per step, the result',
    endpoint: 'mcp',
    setup: session(),
    request: inSession(count(1, 2)),
    expect: {
      status: 200,
      type: 'sse',
      headers: { 'mcp-session-id': SESSION_ID },
      retry: 1000,
      events: [{ id: '1-0', data: '' }, progress('1-1', 1, 2), progress('1-2', 2, 2), counted('1-3', 1, 2)],
    },
  },
  {
    name: 'POST /mcp tools/call count in a 2025-06-18 session: no priming event (it came with 2025-11-25)',
    endpoint: 'mcp',
    setup: session('2025-06-18'),
    request: inSession(count(1, 1), '2025-06-18'),
    expect: { status: 200, type: 'sse', events: [progress('1-1', 1, 1), counted('1-2', 1, 1)] },
  },
  {
    name: 'GET /mcp with Last-Event-ID after a drop (?drop=1): the rest of that stream, result included',
    endpoint: 'mcp',
    setup: [...session(), { ...inSession(count(1, 3), '2025-11-25', '/mcp?drop=1'), hold: true }],
    request: getStream({ 'last-event-id': '1-1' }),
    expect: { status: 200, type: 'sse', events: [progress('1-2', 2, 3), progress('1-3', 3, 3), counted('1-4', 1, 3)] },
  },
  {
    name: 'GET /mcp with the Last-Event-ID of a stream’s last event: 204, nothing left to resume',
    endpoint: 'mcp',
    setup: [...session(), inSession(count(1, 1))],
    request: getStream({ 'last-event-id': '1-2' }),
    expect: { status: 204, type: 'none' },
  },
  {
    name: 'GET /mcp: the session’s GET stream opens with its priming event',
    endpoint: 'mcp',
    setup: session(),
    request: getStream(),
    expect: { status: 200, type: 'sse', retry: 1000, events: [{ id: '1-0', data: '' }] },
  },
  {
    name: 'GET /mcp while the GET stream is open: 409',
    endpoint: 'mcp',
    setup: [...session(), { ...getStream(), hold: true }],
    request: getStream(),
    expect: refused(409, -32000, /^Conflict: this session has its GET stream open already/),
  },
  {
    name: 'POST /mcp tools/call count with steps 0 (2025-11-25): a tool execution error',
    endpoint: 'mcp',
    setup: session(),
    request: inSession(rpc(1, 'tools/call', { name: 'count', arguments: { steps: 0 } })),
    expect: answer({ id: 1, result: { isError: true, content: [{ type: 'text', text: 'count: "steps" must be an integer from 1 to 100; got 0' }] } }),
  },
  {
    name: 'POST /mcp tools/call count with steps 0 (2025-06-18): JSON-RPC -32602',
    endpoint: 'mcp',
    setup: session('2025-06-18'),
    request: inSession(rpc(1, 'tools/call', { name: 'count', arguments: { steps: 0 } }), '2025-06-18'),
    expect: answer({ id: 1, error: { code: -32602, message: 'count: "steps" must be an integer from 1 to 100; got 0' } }),
  },
  {
    name: 'POST /mcp an unknown tool: -32602',
    endpoint: 'mcp',
    setup: session(),
    request: inSession(rpc(1, 'tools/call', { name: 'nope' })),
    expect: answer({ id: 1, error: { code: -32602, message: 'Unknown tool: "nope" (the lab has count and echo)' } }),
  },
  {
    name: 'POST /mcp a batch in a 2025-03-26 session: one JSON array of answers',
    endpoint: 'mcp',
    setup: session('2025-03-26'),
    request: inSession([rpc(1, 'ping'), rpc(2, 'tools/call', { name: 'echo', arguments: { text: 'b' } })], '2025-03-26'),
    expect: answer([
      { id: 1, result: {} },
      { id: 2, result: { content: [{ type: 'text', text: 'b' }] } },
    ]),
  },
  {
    name: 'POST /mcp a batch in a 2025-06-18+ session: 400',
    endpoint: 'mcp',
    setup: session(),
    request: inSession([rpc(1, 'ping'), rpc(2, 'ping')]),
    expect: refused(400, -32600, /^Invalid Request: JSON-RPC batches were removed in revision 2025-06-18/),
  },
  {
    name: 'DELETE /mcp: 204, and the session is gone (404 after)',
    endpoint: 'mcp',
    setup: [...session(), { method: 'DELETE', path: '/mcp', headers: { 'mcp-session-id': '{session}' } }],
    request: inSession(rpc(1, 'ping')),
    expect: refused(404, -32001, /^Session not found: "[0-9a-f]{32}"/),
  },

  // --- refusals ----------------------------------------------------------------------------------
  {
    name: 'POST /mcp without a session id: 400',
    endpoint: 'mcp',
    request: post(rpc(1, 'tools/list')),
    expect: refused(400, -32000, /^Bad Request: Mcp-Session-Id header is required/),
  },
  {
    name: 'POST /mcp with an unknown session: 404',
    endpoint: 'mcp',
    request: post(rpc(1, 'tools/list'), { 'mcp-session-id': 'nope' }),
    expect: refused(404, -32001, /^Session not found: "nope"/),
  },
  {
    name: 'POST /mcp with another MCP-Protocol-Version than negotiated: 400',
    endpoint: 'mcp',
    setup: session(),
    request: inSession(rpc(1, 'ping'), '2025-03-26'),
    expect: refused(400, -32000, 'Bad Request: MCP-Protocol-Version "2025-03-26" is not 2025-11-25, the revision this session negotiated'),
  },
  {
    name: 'POST /mcp accepting only application/json: 406',
    endpoint: 'mcp',
    request: post(initialize(), { accept: 'application/json' }),
    expect: refused(406, -32000, /^Not Acceptable: a POST to \/mcp must accept both application\/json and text\/event-stream/),
  },
  {
    name: 'POST /mcp text/plain: 415',
    endpoint: 'mcp',
    request: post('{}', { 'content-type': 'text/plain' }),
    expect: refused(415, -32000, 'Unsupported Media Type: send application/json; got "text/plain"'),
  },
  {
    name: 'POST /mcp invalid JSON: 400 parse error',
    endpoint: 'mcp',
    request: post('{"jsonrpc":', { 'content-type': 'application/json' }),
    expect: refused(400, -32700, 'Parse error: the body is not valid JSON'),
  },
  {
    name: 'POST /mcp a message without jsonrpc "2.0": 400 invalid request',
    endpoint: 'mcp',
    request: post({ id: 1, method: 'ping' }),
    expect: refused(400, -32600, 'Invalid Request: "jsonrpc" must be "2.0"; got nothing'),
  },
  {
    name: 'POST /mcp from a foreign Origin: 403',
    endpoint: 'mcp',
    request: post(initialize(), { origin: 'http://evil.example' }),
    expect: refused(403, -32000, /^Origin "http:\/\/evil.example" refused/),
  },
  {
    name: 'GET /mcp without Accept: text/event-stream: 406',
    endpoint: 'mcp',
    setup: session(),
    request: getStream({ accept: 'application/json' }),
    expect: refused(406, -32000, /^Not Acceptable: a GET to \/mcp opens an SSE stream/),
  },
  {
    name: 'GET /mcp with a Last-Event-ID of no stream: 400',
    endpoint: 'mcp',
    setup: session(),
    request: getStream({ 'last-event-id': '9-1' }),
    expect: refused(400, -32000, /^Bad Request: Last-Event-ID "9-1" is not an event of a stream this session keeps/),
  },
  {
    name: 'PUT /mcp: 405 with Allow',
    endpoint: 'mcp',
    request: { method: 'PUT', path: '/mcp' },
    expect: refused(405, -32000, 'PUT is not allowed on /mcp; use POST, GET or DELETE', { allow: 'GET, POST, DELETE' }),
  },
  {
    name: 'POST /mcp?drop=0: 400',
    endpoint: 'mcp',
    request: post(initialize(), {}, '/mcp?drop=0'),
    expect: refused(400, -32000, 'drop must be an integer from 1 to 9999 (messages per connection); got "0"'),
  },
  {
    name: 'GET /mcp/other: 404 naming the endpoints',
    endpoint: 'mcp',
    request: { path: '/mcp/other' },
    expect: refused(404, -32000, /^no MCP endpoint \/mcp\/other/),
  },

  // --- the deprecated HTTP+SSE transport (2024-11-05) --------------------------------------------
  {
    name: 'GET /sse: the first event is `endpoint`, the URL to POST to',
    endpoint: 'mcp',
    request: { path: '/sse', headers: { accept: 'text/event-stream' } },
    expect: { status: 200, type: 'sse', events: [{ event: 'endpoint', data: expect.stringMatching(/^\/sse\/messages\?sessionId=[0-9a-f]{32}$/) as unknown }] },
  },
  {
    name: 'POST /sse/messages without sessionId: 400',
    endpoint: 'mcp',
    request: post(rpc(1, 'ping'), {}, '/sse/messages'),
    expect: refused(400, -32000, /^Bad Request: sessionId is required/),
  },
  {
    name: 'POST /sse/messages with an unknown session: 404',
    endpoint: 'mcp',
    request: post(rpc(1, 'ping'), {}, '/sse/messages?sessionId=nope'),
    expect: refused(404, -32001, /^Session not found: "nope"/),
  },
  {
    name: 'POST /sse: 405 with Allow',
    endpoint: 'mcp',
    request: post(rpc(1, 'ping'), {}, '/sse'),
    expect: refused(405, -32000, /^POST is not allowed on \/sse; use GET/, { allow: 'GET' }),
  },
];
