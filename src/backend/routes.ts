/**
 * The lab's `/api/*` endpoints and which method each takes: one table, so that every adapter
 * answers a wrong method (405 with Allow), a WebSocket-only path asked over plain HTTP (426) and an
 * unknown path (404) with the same JSON `{error}`.
 */
export const API = {
  info: '/api/info',
  sse: '/api/sse',
  ws: '/api/ws',
  stats: '/api/stats',
  stream: '/api/stream',
  faults: '/api/faults',
  auth: '/api/auth',
  chat: '/api/chat',
  memory: '/api/memory',
  poll: '/api/poll',
  runs: '/api/runs',
  agent: '/api/agent',
} as const;

export type Endpoint = Exclude<keyof typeof API, 'ws'>;

/** Endpoints that change the server or cost it: only the lab's own page may call them. */
export const CONTROL_PATHS: ReadonlySet<string> = new Set<string>([API.faults, API.auth, API.chat, API.memory]);

const POST_ENDPOINTS = new Map<string, { endpoint: Endpoint; hint: string; json: boolean }>([
  [API.faults, { endpoint: 'faults', hint: '', json: true }],
  [API.auth, { endpoint: 'auth', hint: '', json: true }],
  [API.chat, { endpoint: 'chat', hint: '', json: true }],
  // Its JSON check comes after the token check (a request without the token learns nothing more).
  [API.stream, { endpoint: 'stream', hint: ` with a JSON body (GET ${API.sse} is the EventSource endpoint)`, json: false }],
  // An agent turn (fetch + SSE): the same token check first, then JSON.
  [API.agent, { endpoint: 'agent', hint: ' with a JSON body: one agent turn', json: false }],
]);

const GET_ENDPOINTS = new Map<string, Endpoint>([
  [API.info, 'info'],
  [API.stats, 'stats'],
  [API.poll, 'poll'],
  [API.memory, 'memory'],
  [API.runs, 'runs'],
  [API.sse, 'sse'],
]);

export interface Refusal {
  status: number;
  error: string;
  headers?: Record<string, string>;
}

export type Route =
  /** `json`: refuse (415) a body that is not application/json before reading it. */
  | { kind: 'endpoint'; endpoint: Endpoint; json: boolean }
  | ({ kind: 'refuse' } & Refusal);

/** Which endpoint answers `method pathname` (a path under /api/), or the refusal. */
export function routeRequest(method: string | undefined, pathname: string): Route {
  const post = POST_ENDPOINTS.get(pathname);
  if (post !== undefined) {
    if (method !== 'POST') {
      return {
        kind: 'refuse',
        status: 405,
        error: `${method ?? 'this method'} is not allowed on ${pathname}; use POST${post.hint}`,
        headers: { Allow: 'POST' },
      };
    }
    return { kind: 'endpoint', endpoint: post.endpoint, json: post.json };
  }
  if (method !== 'GET' && method !== 'HEAD') {
    return {
      kind: 'refuse',
      status: 405,
      error: `${method ?? 'this method'} is not allowed on ${pathname}; use GET`,
      headers: { Allow: 'GET' },
    };
  }
  const endpoint = GET_ENDPOINTS.get(pathname);
  if (endpoint !== undefined) return { kind: 'endpoint', endpoint, json: false };
  if (pathname === API.ws) {
    return { kind: 'refuse', status: 426, error: `${API.ws} speaks WebSocket only: send an Upgrade: websocket request` };
  }
  return { kind: 'refuse', status: 404, error: `no endpoint ${pathname}; see GET /api/info` };
}
