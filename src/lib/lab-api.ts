/**
 * The page's one client for the lab's JSON endpoints: `/api/info`, `/api/runs`, `/api/faults`,
 * `/api/auth`, `/api/memory`, `/api/chat`, and the two Mock-only workarounds. The same `fetch` to the
 * same paths in both modes: in Live mode the lab's server answers, in Mock mode MSW does in the tab
 * (see `mode.ts` for the client that switches MSW on or off first).
 *
 * One reading of failures, `LabApiError`, whose `code` the UI words:
 * - `network`: no answer at all (the fetch rejected); `message` is the browser's reason.
 * - `http`: an answer that is not a 2xx; `message` is the server's JSON `{error}`, else `HTTP <status>`.
 * - `answer`: a 2xx whose body is not what the endpoint answers (not JSON, or the wrong shape).
 *
 * Pure apart from `fetch` (injectable), so it also runs in the run worker and in Node tests.
 */
import type { Fault, StreamTransport } from '../protocol/faults.ts';
import type { ChatMessage } from '../protocol/frame.ts';
import type { ScenarioSpec } from '../protocol/scenarios.ts';
import type { StreamRecord } from '../protocol/stream-log.ts';

export type LabApiErrorCode = 'network' | 'http' | 'answer';

export class LabApiError extends Error {
  override readonly name = 'LabApiError';
  constructor(
    readonly code: LabApiErrorCode,
    /** The endpoint's path, e.g. `/api/faults`. */
    readonly path: string,
    message: string,
    /** The HTTP status (`http` and `answer`), null when nothing answered. */
    readonly status: number | null = null,
    readonly statusText = '',
    /** The server's own reason (its JSON `{error}`), when it gave one. */
    readonly reason: string | null = null,
    options?: { cause?: unknown; retryAfter?: string | null },
  ) {
    super(message, options);
    this.retryAfter = options?.retryAfter ?? null;
  }

  /** The answer's Retry-After (a 429 or 503 says how long to wait), null when it gave none. */
  readonly retryAfter: string | null;
}

export function isLabApiError(error: unknown): error is LabApiError {
  return error instanceof LabApiError;
}

/** The server's reason for a failed answer: its JSON `{error}`, else `HTTP <status>`. Never throws. */
export async function readError(response: Response): Promise<string> {
  return (await reasonOf(response)) ?? `HTTP ${response.status}`;
}

async function reasonOf(response: Response): Promise<string | null> {
  const body: unknown = await response.json().catch(() => null);
  const error = isRecord(body) ? body.error : undefined;
  return typeof error === 'string' ? error : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export interface LabInfo {
  /** `sse-vs-websocket-lab` for the lab's own server; the mock says so in its name. */
  name: string;
  version?: string;
  scenarios: ScenarioSpec[];
  [field: string]: unknown;
}

export type FaultAnswer = { ok: true; dropped?: number; until?: number };
export type AuthAnswer = { ok: true; required: boolean };

export interface MemoryFigure {
  bytesPerConnection: number;
  rssPerConnection: number;
}
export interface MemoryResult {
  connections: number;
  sse: MemoryFigure;
  ws: MemoryFigure;
}

/** What POST /api/chat takes: a chat message for the open stream of one run's SSE lane. */
export type ChatRequest = ChatMessage & { run: string; transport: 'sse' | 'fetch' };
export interface ChatAnswer {
  delivered: number;
  /** Bytes of the request as it went over the wire (the server counts them). */
  requestBytes: number;
  /** Which connection carried it (0 when unknown, as in Mock mode). */
  connection: number;
}

export interface LabApi {
  info(init?: { signal?: AbortSignal }): Promise<LabInfo>;
  /** Every record of a run from record `from` on, following `next` across pages. */
  runs(run: string, from?: number): Promise<StreamRecord[]>;
  fault(fault: Fault): Promise<FaultAnswer>;
  /**
   * Makes the server require a bearer token on POST /api/stream (`null`: stop requiring one). Changing
   * or clearing an active token takes that token: this client sends the one it last set, else
   * `current` (e.g. the LAB_TOKEN the server was started with, typed in by the user).
   */
  setToken(token: string | null, current?: string): Promise<AuthAnswer>;
  memory(connections: number): Promise<MemoryResult>;
  chat(message: ChatRequest): Promise<ChatAnswer>;
  /**
   * Mock mode's two MSW workarounds (README, "How a frame travels"): the live server has no such
   * endpoints and answers them with its JSON 404/405, so they are no-ops there.
   */
  mock: {
    /** The run ended: stop its mocked streams and forget its resume positions. */
    stopRun(run: string): Promise<void>;
    /** The page closed these streams of a run (a mocked EventSource is never signalled). */
    clientClosed(run: string, transports: readonly StreamTransport[]): Promise<void>;
  };
}

export interface LabApiOptions {
  /** Prefix of every path: '' (the page's own origin) by default; the run worker passes its origin. */
  origin?: string;
  fetch?: typeof fetch;
  /** Awaited before each request (e.g. start or stop the mock); never before the Mock-only calls. */
  ready?: () => Promise<void>;
}

/** The most pages `runs` follows (the server keeps 1000 records, at most 1 MiB per answer). */
const MAX_RUN_LOG_PAGES = 50;

export function createLabApi(options: LabApiOptions = {}): LabApi {
  const origin = options.origin ?? '';
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const ready = options.ready;
  /** The token this client last set: changing or clearing it takes that token. */
  let activeToken: string | null = null;

  /** The fetch, or the `network` error; with no `ready` hook the request leaves synchronously. */
  async function send(path: string, init: RequestInit, withReady = true): Promise<Response> {
    const url = `${origin}${path}`;
    try {
      if (ready && withReady) await ready();
      return await doFetch(url, init);
    } catch (error) {
      throw new LabApiError('network', pathOnly(path), errorMessage(error), null, '', null, { cause: error });
    }
  }

  /** A 2xx's JSON body, or the `http` / `answer` error. */
  async function json(path: string, response: Response): Promise<unknown> {
    const name = pathOnly(path);
    if (!response.ok) {
      const reason = await reasonOf(response);
      throw new LabApiError('http', name, reason ?? `HTTP ${response.status}`, response.status, response.statusText, reason, {
        retryAfter: response.headers.get('retry-after'),
      });
    }
    try {
      return (await response.json()) as unknown;
    } catch (error) {
      throw new LabApiError('answer', name, `${name} did not answer with JSON`, response.status, response.statusText, null, {
        cause: error,
      });
    }
  }

  function badAnswer(path: string, response: Response, what: string): LabApiError {
    const name = pathOnly(path);
    return new LabApiError('answer', name, `${name} did not answer with ${what}`, response.status, response.statusText);
  }

  async function get(path: string, init: RequestInit = {}): Promise<{ body: unknown; response: Response }> {
    const response = await send(path, { ...init, headers: { accept: 'application/json' }, cache: 'no-store' });
    return { body: await json(path, response), response };
  }

  async function post(
    path: string,
    body: unknown,
    headers: Record<string, string> = {},
    withReady = true,
  ): Promise<{ body: unknown; response: Response }> {
    const response = await send(
      path,
      { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) },
      withReady,
    );
    return { body: await json(path, response), response };
  }

  /** Mock-only: fire and forget, never the `ready` hook (it must not start or stop the mock). */
  async function mockCall(path: string, body: unknown): Promise<void> {
    await post(path, body, {}, false);
  }

  return {
    async info(init = {}) {
      const path = '/api/info';
      const { body, response } = await get(path, { signal: init.signal });
      if (!isInfo(body)) throw badAnswer(path, response, 'the lab’s info and scenario catalogue');
      return body;
    },

    async runs(run, from = 0) {
      const records: StreamRecord[] = [];
      let next: number | null = from;
      // An answer holds at most MAX_RUN_LOG_ANSWER_BYTES of records; `next` is where the rest starts.
      for (let page = 0; next !== null && page < MAX_RUN_LOG_PAGES; page++) {
        const path: string = `/api/runs?run=${encodeURIComponent(run)}${next > 0 ? `&from=${next}` : ''}`;
        const { body, response } = await get(path);
        if (!isRecord(body) || !Array.isArray(body.streams)) throw badAnswer(path, response, 'a run log');
        records.push(...(body.streams as StreamRecord[]));
        next = typeof body.next === 'number' && body.next > next ? body.next : null;
      }
      return records;
    },

    async fault(fault) {
      const { body } = await post('/api/faults', fault);
      const record = isRecord(body) ? body : {};
      return {
        ok: true,
        ...(typeof record.dropped === 'number' ? { dropped: record.dropped } : {}),
        ...(typeof record.until === 'number' ? { until: record.until } : {}),
      };
    },

    async setToken(token, current) {
      const proof = activeToken ?? current;
      const { body } = await post('/api/auth', { token }, proof ? { authorization: `Bearer ${proof}` } : {});
      activeToken = token;
      const required = isRecord(body) && typeof body.required === 'boolean' ? body.required : token !== null;
      return { ok: true, required };
    },

    async memory(connections) {
      const path = `/api/memory?n=${connections}`;
      let answer: { body: unknown; response: Response };
      try {
        answer = await get(path);
      } catch (error) {
        // One probe per MEMORY_PROBE_COOLDOWN_MS: a 429 says how long to wait (Retry-After); wait once and ask again.
        const wait = error instanceof LabApiError && error.status === 429 ? Number(error.retryAfter) : Number.NaN;
        if (!(wait >= 0 && wait <= 30)) throw error;
        await new Promise((resolve) => setTimeout(resolve, wait * 1000 + 100));
        answer = await get(path);
      }
      const { body, response } = answer;
      if (!isRecord(body) || !isFigure(body.sse) || !isFigure(body.ws)) throw badAnswer(path, response, 'memory figures');
      return { connections: typeof body.connections === 'number' ? body.connections : connections, sse: body.sse, ws: body.ws };
    },

    async chat(message) {
      const { body } = await post('/api/chat', message);
      const record = isRecord(body) ? body : {};
      const count = (value: unknown) => (typeof value === 'number' ? value : 0);
      return { delivered: count(record.delivered), requestBytes: count(record.requestBytes), connection: count(record.connection) };
    },

    mock: {
      stopRun: (run) => mockCall('/api/mock/stop-run', { run }),
      clientClosed: (run, transports) => mockCall('/api/mock/client-closed', { run, transports }),
    },
  };
}

/** `/api/runs?run=x` → `/api/runs`: errors name the endpoint, not the query. */
function pathOnly(path: string): string {
  const q = path.indexOf('?');
  return q === -1 ? path : path.slice(0, q);
}

function isInfo(value: unknown): value is LabInfo {
  if (!isRecord(value) || typeof value.name !== 'string' || !Array.isArray(value.scenarios)) return false;
  return value.scenarios.every((s: unknown) => isRecord(s) && typeof s.name === 'string' && Array.isArray(s.params));
}

function isFigure(value: unknown): value is MemoryFigure {
  return isRecord(value) && typeof value.bytesPerConnection === 'number';
}
