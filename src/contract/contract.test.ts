/**
 * The contract suite: every row of cases.ts against the live adapter (the lab server on a real
 * node:http server) and against the mock adapter (MSW's handlers in Node through setupServer, with
 * the page's origin). Same requests, same expected answers; a documented difference carries the
 * mock's own answer and why.
 *
 * WebSocket: the live rows do a real upgrade (`ws`); the mock rows go through MSW's WebSocket
 * interceptor (Node 20 has no global WebSocket: the `ws` class is put there for MSW to replace), so a
 * refusal is compared as live's 400 `{error}` and as the mock's 1008 close reason.
 */
import { setupServer } from 'msw/node';
import NodeWebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeBinaryFrame, decodeBinarySseData } from '../protocol/binary-frame.ts';
import { createHandlers } from '../mocks/handlers.ts';
import { resetMock } from '../mocks/mock-state.ts';
import { closeReason } from '../mocks/ws-handler.ts';
import { runCleanups, startLab } from '../server/test-support.ts';
import { cases, type ContractCase, type ContractRequest, type Expected, type WireEvent } from './cases.ts';
import { mcpCases } from './mcp-cases.ts';

const MOCK_ORIGIN = 'http://lab.test';
/** Every row: the /api and /v1 table, and the MCP endpoints' (mcp-cases.ts). */
const rows = [...cases, ...mcpCases];
const READ_TIMEOUT_MS = 4_000;

interface Adapter {
  name: 'live' | 'mock';
  /** Starts a fresh backend with these options; its origin. */
  start(options: ContractCase['options']): Promise<string>;
  /** The WebSocket class whose upgrades this adapter answers. */
  webSocket(): typeof NodeWebSocket;
}

// ---------------------------------------------------------------------------------------------------
// Reading answers

interface Answer {
  status: number | 'network-error';
  type: string | null;
  headers: Headers;
  json?: unknown;
  text?: string;
  retry?: number;
  events?: WireEvent[];
}

/** JSON data parsed, its `t` / `serverT` set aside; a binary frame's base64 decoded first. */
function normalise(event: string | undefined, data: string): unknown {
  if (event === 'bytes') {
    const decoded = decodeBinarySseData(data);
    return decoded.ok ? withoutTime(decoded.frame) : data;
  }
  try {
    return withoutTime(JSON.parse(data) as unknown);
  } catch {
    return data;
  }
}

function withoutTime(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const rest = { ...(value as Record<string, unknown>) };
  delete rest.t;
  delete rest.serverT;
  return rest;
}

function requestInit(request: ContractRequest, signal?: AbortSignal): RequestInit {
  const headers: Record<string, string> = { ...request.headers };
  let body: string | undefined;
  if (request.body !== undefined) {
    body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
    if (!('content-type' in headers) && typeof request.body !== 'string') headers['content-type'] = 'application/json';
  }
  if (headers['content-type'] === '') delete headers['content-type'];
  return { method: request.method ?? 'GET', headers, body, signal };
}

/** Reads an SSE body until `want` events came, the stream ended or the time ran out. */
async function readEvents(response: Response, want: number): Promise<{ retry?: number; events: WireEvent[] }> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: WireEvent[] = [];
  let retry: number | undefined;
  let buffer = '';
  let current: { event?: string; id?: string; data: string[] } = { data: [] };
  const deadline = Date.now() + READ_TIMEOUT_MS;
  try {
    while (events.length < want && Date.now() < deadline) {
      const chunk = await Promise.race([
        reader.read(),
        new Promise<null>((resolve) => setTimeout(() => resolve(null), Math.max(1, deadline - Date.now()))),
      ]);
      if (chunk === null || chunk.done) break;
      buffer += decoder.decode(chunk.value, { stream: true });
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).replace(/\r$/, '');
        buffer = buffer.slice(newline + 1);
        if (line === '') {
          if (current.data.length > 0) {
            const event: WireEvent = { data: normalise(current.event, current.data.join('\n')) };
            if (current.event !== undefined) event.event = current.event;
            if (current.id !== undefined) event.id = current.id;
            if (current.event !== 'reply') events.push(event);
          }
          current = { data: [] };
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'retry') retry = Number(value);
        else if (field === 'data') current.data.push(value);
        else if (field === 'event') current.event = value;
        else if (field === 'id') current.id = value;
      }
    }
  } catch {
    // The connection was cut (a flaky stream): what came before counts.
  } finally {
    void reader.cancel().catch(() => {});
  }
  return { retry, events: events.slice(0, want) };
}

async function send(origin: string, request: ContractRequest, expected: Expected): Promise<Answer> {
  const controller = new AbortController();
  let response: Response;
  try {
    response = await fetch(`${origin}${request.path}`, requestInit(request, controller.signal));
  } catch {
    return { status: 'network-error', type: null, headers: new Headers() };
  }
  const type = response.headers.get('content-type');
  const answer: Answer = { status: response.status, type, headers: response.headers };
  if (type?.startsWith('text/event-stream')) {
    Object.assign(answer, await readEvents(response, expected.events?.length ?? 1));
    controller.abort();
  } else {
    const text = await response.text();
    answer.text = text;
    if (type?.startsWith('application/json')) answer.json = JSON.parse(text) as unknown;
  }
  return answer;
}

/** Polls until `want` frames came (each answer's frames, resuming after the last). */
async function poll(origin: string, request: ContractRequest, want: number): Promise<Answer> {
  const frames: WireEvent[] = [];
  let last: Answer | null = null;
  let after = 0;
  const deadline = Date.now() + READ_TIMEOUT_MS;
  while (frames.length < want && Date.now() < deadline) {
    const response = await fetch(`${origin}${request.path}&after=${after}`);
    const json = (await response.json()) as { frames?: { seq: number; kind: string }[]; done?: boolean };
    last = { status: response.status, type: response.headers.get('content-type'), headers: response.headers, json };
    if (response.status !== 200) return last;
    for (const frame of json.frames ?? []) {
      frames.push({ data: withoutTime(frame) });
      after = frame.seq;
    }
  }
  return { ...last!, events: frames.slice(0, want) };
}

// ---------------------------------------------------------------------------------------------------
// WebSocket

type WsOutcome = { kind: 'refused'; status: number; error: string } | { kind: 'messages'; messages: WireEvent[] };

function wsMessage(data: unknown, isBinary: boolean): WireEvent {
  if (isBinary || data instanceof ArrayBuffer || data instanceof Uint8Array) {
    const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : (data as Uint8Array);
    const decoded = decodeBinaryFrame(bytes);
    return { data: decoded.ok ? withoutTime(decoded.frame) : 'not a frame' };
  }
  return { data: normalise(undefined, String(data)) };
}

function openWs(Socket: typeof NodeWebSocket, url: string, want: number): Promise<WsOutcome> {
  return new Promise((resolve) => {
    const socket = new Socket(url);
    socket.binaryType = 'arraybuffer';
    const messages: WireEvent[] = [];
    const finish = (outcome: WsOutcome) => {
      resolve(outcome);
      try {
        socket.close();
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => finish({ kind: 'messages', messages }), READ_TIMEOUT_MS);
    // Live: the upgrade answered with an HTTP status and a JSON reason.
    socket.on?.('unexpected-response', (_req, res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        clearTimeout(timer);
        finish({ kind: 'refused', status: res.statusCode ?? 0, error: (JSON.parse(text) as { error: string }).error });
      });
    });
    socket.addEventListener('error', () => {});
    socket.addEventListener('message', (event) => {
      messages.push(wsMessage(event.data, typeof event.data !== 'string'));
      if (messages.length >= want) {
        clearTimeout(timer);
        finish({ kind: 'messages', messages });
      }
    });
    socket.addEventListener('close', (event) => {
      clearTimeout(timer);
      // Mock: MSW replaces the socket before any handshake; a refusal is a 1008 close with the reason.
      if (event.code === 1008) resolve({ kind: 'refused', status: 400, error: event.reason });
      else resolve({ kind: 'messages', messages });
    });
  });
}

// ---------------------------------------------------------------------------------------------------
// One row

function expectAnswer(answer: Answer, expected: Expected): void {
  expect(answer.status).toBe(expected.status);
  const types = { json: 'application/json; charset=utf-8', sse: 'text/event-stream; charset=utf-8', text: 'text/plain; charset=utf-8' };
  if (expected.type === 'none') expect(answer.text ?? '').toBe('');
  else if (expected.type !== undefined) expect(answer.type).toBe(types[expected.type]);
  if (expected.error !== undefined) {
    const error = (answer.json as { error?: unknown } | undefined)?.error;
    if (typeof expected.error === 'string') expect(error).toBe(expected.error);
    else expect(error).toMatch(expected.error);
  }
  if (expected.body !== undefined) expect(answer.json).toMatchObject(expected.body);
  if (expected.text !== undefined) expect(answer.text).toBe(expected.text);
  for (const [name, value] of Object.entries(expected.headers ?? {})) {
    if (typeof value === 'string') expect(answer.headers.get(name)).toBe(value);
    else expect(answer.headers.get(name)).toMatch(value);
  }
  if (expected.retry !== undefined) expect(answer.retry).toBe(expected.retry);
  if (expected.events !== undefined) expect(answer.events).toEqual(expected.events);
  if (expected.polled !== undefined) expect(answer.events).toEqual(expected.polled);
}

/** `{session}` in a path or header → the Mcp-Session-Id an earlier answer of the row carried (MCP rows). */
function withSession<R extends ContractRequest>(request: R, session: string): R {
  const headers = Object.fromEntries(Object.entries(request.headers ?? {}).map(([k, v]) => [k, v.replace('{session}', session)]));
  return { ...request, path: request.path.replace('{session}', session), headers };
}

async function runCase(adapter: Adapter, row: Omit<ContractCase, 'endpoint'>, expected: Expected): Promise<void> {
  const origin = await adapter.start(row.options);
  const held: AbortController[] = [];
  let session = '';
  try {
    for (const setupStep of row.setup ?? []) {
      const step = withSession(setupStep, session);
      const controller = new AbortController();
      const response = await fetch(`${origin}${step.path}`, requestInit(step, controller.signal));
      session = response.headers.get('mcp-session-id') ?? session;
      if (step.hold) {
        held.push(controller);
        // Let the stream open on the server before the row's request.
        await new Promise((resolve) => setTimeout(resolve, 50));
      } else await response.text();
    }
    if (expected.ws !== undefined) {
      const url = `${origin.replace(/^http/, 'ws')}${row.request.path}`;
      const want = 'messages' in expected.ws ? expected.ws.messages.length : 1;
      const outcome = await openWs(adapter.webSocket(), url, want);
      if ('refused' in expected.ws) {
        expect(outcome).toMatchObject({ kind: 'refused' });
        const error = outcome.kind === 'refused' ? outcome.error : '';
        expect(error).toBe(adapter.name === 'live' ? expected.ws.refused : closeReason(expected.ws.refused));
      } else {
        expect(outcome).toEqual({ kind: 'messages', messages: expected.ws.messages });
      }
      return;
    }
    const request = withSession(row.request, session);
    const answer = expected.polled ? await poll(origin, request, expected.polled.length) : await send(origin, request, expected);
    expectAnswer(answer, expected);
  } finally {
    for (const controller of held) controller.abort();
  }
}

// ---------------------------------------------------------------------------------------------------
// The two adapters

const live: Adapter = {
  name: 'live',
  async start(options) {
    return (await startLab(options)).http;
  },
  webSocket: () => NodeWebSocket,
};

let server: ReturnType<typeof setupServer> | null = null;
const mock: Adapter = {
  name: 'mock',
  start(options) {
    resetMock(options);
    return Promise.resolve(MOCK_ORIGIN);
  },
  webSocket: () => globalThis.WebSocket as unknown as typeof NodeWebSocket,
};

describe('contract: live (node:http + ws)', () => {
  afterEach(runCleanups);
  for (const row of rows) {
    it(row.name, { timeout: row.timeoutMs ?? 10_000 }, () => runCase(live, row, row.expect));
  }
});

describe('contract: mock (MSW in Node, the page’s origin)', () => {
  beforeAll(() => {
    // MSW resolves the handlers' page-relative paths against the page; Node 20 has no WebSocket for
    // MSW's interceptor to replace, so it gets the `ws` class to replace.
    vi.stubGlobal('location', { href: `${MOCK_ORIGIN}/` });
    vi.stubGlobal('WebSocket', NodeWebSocket);
    const mswServer = setupServer(...createHandlers(MOCK_ORIGIN));
    mswServer.listen({ onUnhandledRequest: 'error' });
    server = mswServer;
  });
  afterEach(() => {
    resetMock();
  });
  afterAll(() => {
    server?.close();
    resetMock();
    vi.unstubAllGlobals();
  });
  for (const row of rows) {
    const expected = row.mock?.expect ?? row.expect;
    const name = row.mock ? `${row.name} [differs: ${row.mock.reason}]` : row.name;
    it(name, () => runCase(mock, row, expected));
  }
});

describe('the table', () => {
  it('covers every /api/* endpoint, and documents few differences', () => {
    const endpoints = new Set(rows.map((c) => c.endpoint));
    for (const endpoint of ['info', 'stats', 'sse', 'stream', 'poll', 'runs', 'faults', 'auth', 'chat', 'memory', 'ws', 'unknown', 'provider', 'mcp', 'agent']) {
      expect(endpoints).toContain(endpoint);
    }
    expect(rows.filter((c) => c.mock !== undefined).length).toBeLessThanOrEqual(5);
  });
});
