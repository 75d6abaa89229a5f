/**
 * Mock mode's JSON endpoints, answered by the backend core as the live server answers them
 * (src/server/live/control.ts, lab-server.ts), so the page's one API client (src/lib/lab-api.ts)
 * sends the same requests in both modes:
 *   GET /api/info, /api/stats, /api/runs, /api/memory (parsed, then 501: measured on the live server
 *   only), POST /api/faults, /api/auth, /api/chat,
 *   POST /api/mock/stop-run and POST /api/mock/client-closed: the two MSW workarounds (README, "How a
 *   frame travels"); the live server has no such endpoints and answers them with its JSON 405,
 * and `apiFallback`, which must come after every other handler: any other `/api/*` gets the live
 * server's JSON 404 (405 for a method the path does not take, 426 for a plain GET of /api/ws).
 *
 * Not here: the live server's 403 for a control request from another site. A service worker only
 * sees its own page's requests, so no other site's request ever reaches the mock.
 */
import { http, type RequestHandler } from 'msw';
import { AuthState } from '../backend/auth.ts';
import { answerSideChannel } from '../backend/chat.ts';
import { memoryConnectionsSpec, parseRunsQuery, runLogPage } from '../backend/control.ts';
import { API, routeRequest } from '../backend/routes.ts';
import { parseFault, parseRun, type StreamTransport } from '../protocol/faults.ts';
import { MAX_CONTROL_BODY_BYTES } from '../protocol/limits.ts';
import { parseParam } from '../protocol/scenarios.ts';
import { utf8Length } from '../protocol/utf8.ts';
import { json, readJsonBody, refuse, refuseUnlessJson, requestHeadBytes, type JsonBody } from './mock-http.ts';
import { mockBackend, mockClientClosed, stopMockRun } from './mock-state.ts';

/** A control body as the live server reads it: JSON only (415), at most MAX_CONTROL_BODY_BYTES, bounded JSON (400). */
async function controlBody(request: Request): Promise<{ ok: true; body: JsonBody & { ok: true } } | { ok: false; response: Response }> {
  const notJson = refuseUnlessJson(request);
  if (notJson !== null) return { ok: false, response: notJson };
  const body = await readJsonBody(request, MAX_CONTROL_BODY_BYTES);
  return body.ok ? { ok: true, body } : { ok: false, response: json(400, { error: body.error }) };
}

function isTransportList(value: unknown): value is StreamTransport[] {
  return Array.isArray(value) && value.every((t) => t === 'sse' || t === 'fetch' || t === 'ws');
}

export function controlHandlers(): RequestHandler[] {
  return [
    http.get(API.info, () => json(200, mockBackend().info())),

    http.get(API.stats, () => json(200, mockBackend().stats())),

    // A run's streams, one answer at most MAX_RUN_LOG_ANSWER_BYTES; `next` is the `from` of the rest.
    http.get(API.runs, ({ request }) => {
      const query = parseRunsQuery(new URL(request.url).searchParams);
      if (!query.ok) return json(400, { error: query.error });
      return json(200, runLogPage(mockBackend().log, query.value));
    }),

    // The same parameter check as live; the measurement itself needs the server's own process.
    http.get(API.memory, ({ request }) => {
      const n = parseParam(memoryConnectionsSpec, new URL(request.url).searchParams.get('n') ?? undefined);
      if (!n.ok) return json(400, { error: n.error });
      return json(501, { error: 'memory per connection is measured on the live server: switch to Live mode' });
    }),

    http.post(API.faults, async ({ request }) => {
      const read = await controlBody(request);
      if (!read.ok) return read.response;
      const fault = parseFault(read.body.value);
      if (!fault.ok) return json(400, { error: fault.error });
      return json(200, mockBackend().applyFault(fault.value));
    }),

    http.post(API.auth, async ({ request }) => {
      const { auth } = mockBackend();
      const notJson = refuseUnlessJson(request);
      if (notJson !== null) return notJson;
      // Changing or clearing an active token takes that token (asked before the body is read).
      const unauthorized = auth.checkChange(request.headers.get('authorization'));
      if (unauthorized !== null) return refuse(unauthorized);
      const read = await controlBody(request);
      if (!read.ok) return read.response;
      const next = AuthState.parseChange(read.body.value);
      if (!next.ok) return json(400, { error: next.error });
      return json(200, auth.set(next.value));
    }),

    // The SSE lanes' side channel. Bytes are what this Request carries; a browser adds headers
    // (cookies, user agent…) a service worker never sees, so mock bytes run low.
    http.post(API.chat, async ({ request }) => {
      const head = requestHeadBytes(request);
      const read = await controlBody(request);
      if (!read.ok) return read.response;
      const { streams, counters } = mockBackend();
      const delivery = answerSideChannel(streams, counters, read.body.value);
      if (delivery.status !== 202) return json(delivery.status, { error: delivery.error });
      const requestBytes = head + utf8Length(read.body.text ?? '');
      return json(202, { delivered: delivery.delivered, requestBytes, connection: 0 });
    }),

    http.post('/api/mock/stop-run', async ({ request }) => {
      const read = await controlBody(request);
      if (!read.ok) return read.response;
      const run = parseRun((read.body.value as { run?: unknown } | null)?.run);
      if (!run.ok || run.value === undefined) return json(400, { error: run.ok ? 'send {"run": "<run id>"}' : run.error });
      return json(200, { ok: true, stopped: stopMockRun(run.value) });
    }),

    http.post('/api/mock/client-closed', async ({ request }) => {
      const read = await controlBody(request);
      if (!read.ok) return read.response;
      const value = (read.body.value ?? {}) as { run?: unknown; transports?: unknown };
      const run = parseRun(value.run);
      if (!run.ok || run.value === undefined || !isTransportList(value.transports)) {
        return json(400, { error: 'send {"run": "<run id>", "transports": ["sse" | "fetch" | "ws", …]}' });
      }
      return json(200, { ok: true, stopped: mockClientClosed(run.value, value.transports) });
    }),
  ];
}

/** Last of all handlers: what the live server answers for any other `/api/*` request. */
export function apiFallback(): RequestHandler {
  return http.all('/api/*', ({ request }) => {
    const path = new URL(request.url).pathname;
    // The live server's one route table: 405 with Allow, 426 for /api/ws, 404 for an unknown path.
    const route = routeRequest(request.method, path);
    if (route.kind === 'refuse') return refuse(route);
    // An endpoint the mock has no handler for this method (HEAD): what live would answer, minus the body.
    return json(404, { error: `no endpoint ${path}; see GET /api/info` });
  });
}
