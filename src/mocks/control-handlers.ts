/**
 * Mock mode's JSON endpoints, answered as the live server answers them (lab-server.ts), so the page's
 * one API client (src/lib/lab-api.ts) sends the same requests in both modes:
 *   GET /api/info, GET /api/runs, GET /api/memory (501: measured on the live server only),
 *   POST /api/faults, POST /api/auth,
 *   POST /api/mock/stop-run and POST /api/mock/client-closed: the two MSW workarounds (README, "How a
 *   frame travels"); the live server has no such endpoints and answers them with its JSON 405,
 * and `apiFallback`, which must come after every other handler: any other `/api/*` gets the live
 * server's JSON 404 (405 for a method the path does not take, 426 for a plain GET of /api/ws).
 */
import { http, HttpResponse, type RequestHandler } from 'msw';
import { parseFault, parseRun, RUN_ID_PATTERN, type StreamTransport } from '../protocol/faults.ts';
import { bearerMatches } from '../protocol/stream-body.ts';
import { isJsonMediaType, parseJsonBounded, quote } from '../protocol/json-guard.ts';
import { MAX_CONTROL_BODY_BYTES, MAX_RUN_LOG_ANSWER_BYTES } from '../protocol/limits.ts';
import { parseParam, scenarioCatalogue, type ParamSpec } from '../protocol/scenarios.ts';
import { streamOptionSpecs } from '../protocol/stream-options.ts';
import { utf8Length } from '../protocol/utf8.ts';
import { applyMockFault, log, mockClientClosed, mockToken, setMockToken, stopMockRun } from './mock-state.ts';

/** The same range the live server takes for `from` on GET /api/runs. */
const runLogFromSpec: ParamSpec = {
  name: 'from',
  label: 'From record',
  unit: '',
  min: 0,
  max: Number.MAX_SAFE_INTEGER,
  default: 0,
  description: 'Only the records numbered this or later (a poll resumes from its oldest open record).',
};

const AUTH_REALM = 'Bearer realm="sse-vs-websocket-lab"';

/** Paths that take POST only, with the live server's hint in its 405. */
const POST_ONLY: ReadonlyMap<string, string> = new Map([
  ['/api/faults', ''],
  ['/api/auth', ''],
  ['/api/chat', ''],
  ['/api/stream', ' with a JSON body (GET /api/sse is the EventSource endpoint)'],
]);

function error(status: number, text: string, headers?: Record<string, string>): Response {
  return HttpResponse.json({ error: text }, { status, headers: { 'Cache-Control': 'no-store', ...headers } });
}

/** A control body as the live server reads it: JSON only (415), at most MAX_CONTROL_BODY_BYTES, bounded JSON (400). */
async function readControlBody(request: Request): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> {
  const type = request.headers.get('content-type');
  if (!isJsonMediaType(type)) {
    return { ok: false, response: error(415, `send the request as application/json; got ${type ? quote(type) : 'no content type'}`) };
  }
  const text = await request.text();
  if (utf8Length(text) > MAX_CONTROL_BODY_BYTES) {
    return { ok: false, response: error(400, `the body must be at most ${MAX_CONTROL_BODY_BYTES} bytes`) };
  }
  const parsed = parseJsonBounded(text);
  return parsed.ok ? { ok: true, value: parsed.value } : { ok: false, response: error(400, parsed.error) };
}

function isTransportList(value: unknown): value is StreamTransport[] {
  return Array.isArray(value) && value.every((t) => t === 'sse' || t === 'fetch' || t === 'ws');
}

export function controlHandlers(): RequestHandler[] {
  return [
    http.get('/api/info', () =>
      HttpResponse.json({
        name: 'sse-vs-websocket-lab (mock)',
        version: __LAB_VERSION__,
        retryMs: 1000,
        streamOptions: streamOptionSpecs,
        auth: { required: mockToken() !== null },
        ...scenarioCatalogue(),
      }),
    ),

    // A run's streams, one answer at most MAX_RUN_LOG_ANSWER_BYTES; `next` is the `from` of the rest.
    http.get('/api/runs', ({ request }) => {
      const url = new URL(request.url);
      const run = url.searchParams.get('run');
      if (!run || !RUN_ID_PATTERN.test(run)) {
        return error(400, 'run is required: GET /api/runs?run=<the run id of the streams: 1 to 64 letters, digits, "-", "_" or ".">');
      }
      const from = parseParam(runLogFromSpec, url.searchParams.get('from') ?? undefined);
      if (!from.ok) return error(400, from.error);
      return HttpResponse.json(
        { run, ...log.pageForRun(run, from.value, MAX_RUN_LOG_ANSWER_BYTES) },
        { headers: { 'Cache-Control': 'no-store' } },
      );
    }),

    http.get('/api/memory', () => error(501, 'memory per connection is measured on the live server: switch to Live mode')),

    http.post('/api/faults', async ({ request }) => {
      const body = await readControlBody(request);
      if (!body.ok) return body.response;
      const fault = parseFault(body.value);
      if (!fault.ok) return error(400, fault.error);
      return HttpResponse.json(applyMockFault(fault.value), { headers: { 'Cache-Control': 'no-store' } });
    }),

    http.post('/api/auth', async ({ request }) => {
      const body = await readControlBody(request);
      if (!body.ok) return body.response;
      const current = mockToken();
      if (current !== null && !bearerMatches(request.headers.get('authorization'), current)) {
        // Changing or clearing an active token takes that token.
        return error(401, 'a token is set: send Authorization: Bearer <the current token> to change or clear it', {
          'WWW-Authenticate': AUTH_REALM,
        });
      }
      const value = body.value;
      const next = typeof value === 'object' && value !== null ? (value as { token?: unknown }).token : undefined;
      if (!(next === null || (typeof next === 'string' && /^[\x21-\x7e]{1,200}$/.test(next)))) {
        return error(400, 'send {"token": "<1 to 200 visible ASCII characters>"} or {"token": null}');
      }
      setMockToken(next);
      return HttpResponse.json({ ok: true, required: next !== null }, { headers: { 'Cache-Control': 'no-store' } });
    }),

    http.post('/api/mock/stop-run', async ({ request }) => {
      const body = await readControlBody(request);
      if (!body.ok) return body.response;
      const run = parseRun((body.value as { run?: unknown } | null)?.run);
      if (!run.ok || run.value === undefined) return error(400, run.ok ? 'send {"run": "<run id>"}' : run.error);
      return HttpResponse.json({ ok: true, stopped: stopMockRun(run.value) });
    }),

    http.post('/api/mock/client-closed', async ({ request }) => {
      const body = await readControlBody(request);
      if (!body.ok) return body.response;
      const value = (body.value ?? {}) as { run?: unknown; transports?: unknown };
      const run = parseRun(value.run);
      if (!run.ok || run.value === undefined || !isTransportList(value.transports)) {
        return error(400, 'send {"run": "<run id>", "transports": ["sse" | "fetch" | "ws", …]}');
      }
      return HttpResponse.json({ ok: true, stopped: mockClientClosed(run.value, value.transports) });
    }),
  ];
}

/** Last of all handlers: what the live server answers for any other `/api/*` request. */
export function apiFallback(): RequestHandler {
  return http.all('/api/*', ({ request }) => {
    const path = new URL(request.url).pathname;
    const method = request.method;
    // A GET of /api/sse that is not an EventSource's (MSW's sse() matches only those): as before.
    if (path === '/api/sse' && method === 'GET') return undefined;
    const postHint = POST_ONLY.get(path);
    if (postHint !== undefined && method !== 'POST') {
      return error(405, `${method} is not allowed on ${path}; use POST${postHint}`, { Allow: 'POST' });
    }
    if (method !== 'GET' && method !== 'HEAD') {
      return error(405, `${method} is not allowed on ${path}; use GET`, { Allow: 'GET' });
    }
    if (path === '/api/ws') return error(426, '/api/ws speaks WebSocket only: send an Upgrade: websocket request');
    return error(404, `no endpoint ${path}; see GET /api/info`);
  });
}
