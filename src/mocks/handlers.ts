/**
 * Mock mode: MSW plays the same scenario engine as the live server, for the same URLs, inside the
 * browser. Differences forced by MSW and Chromium, handled here:
 * - Chromium does not show Last-Event-ID to the service worker, so the mock remembers how far each
 *   run got (keyed by the `run` query parameter) and resumes from there itself.
 * - A mocked EventSource that the page closes is never signalled to the handler, so every stream
 *   registers a stop function that the page calls when a run ends (`stopMockRun`), and a failed
 *   `client.send` stops the stream too.
 */
import { http, HttpResponse, sse, ws, type RequestHandler, type WebSocketHandler } from 'msw';
import { encodeFrame, parseClientMessage, preciseNow, type ServerMessage } from '../protocol/frame.ts';
import { play, type Player } from '../protocol/player.ts';
import { createSchedule, plannedTotal } from '../protocol/schedule.ts';
import { parseScenarioQuery, scenarioCatalogue } from '../protocol/scenarios.ts';

/** Mirrors the live server's `retry:`. */
export const MOCK_RETRY_MS = 1000;

const positions = new Map<string, number>();
const running = new Map<string, Set<Player>>();

function track(run: string, player: Player): () => void {
  let set = running.get(run);
  if (!set) running.set(run, (set = new Set()));
  set.add(player);
  return () => set.delete(player);
}

/** Stops every mocked stream of a run and forgets its resume position. */
export function stopMockRun(run: string): void {
  for (const player of running.get(run) ?? []) player.stop();
  running.delete(run);
  for (const key of positions.keys()) if (key.endsWith(`|${run}`)) positions.delete(key);
}

function runKey(transport: string, url: URL): string {
  return `${transport}|${url.searchParams.get('run') ?? ''}`;
}

function afterFrom(url: URL): number {
  const after = Number(url.searchParams.get('after') ?? 0);
  return Number.isSafeInteger(after) && after > 0 ? after : 0;
}

export function createHandlers(origin: string): (RequestHandler | WebSocketHandler)[] {
  const wsOrigin = origin.replace(/^http/, 'ws');
  const socket = ws.link(`${wsOrigin}/api/ws`);

  return [
    http.get('/api/info', () => HttpResponse.json({ name: 'sse-vs-websocket-lab (mock)', version: __LAB_VERSION__, retryMs: MOCK_RETRY_MS, ...scenarioCatalogue() })),

    // Validation first, with the live server's 400 contract; falls through to the stream when valid.
    http.get('/api/sse', ({ request }) => {
      const parsed = parseScenarioQuery(new URL(request.url).searchParams);
      if (!parsed.ok) return HttpResponse.json({ error: parsed.error }, { status: 400 });
      return undefined;
    }),

    sse<{ message: string; done: string }>('/api/sse', ({ request, client }) => {
      const url = new URL(request.url);
      const parsed = parseScenarioQuery(url.searchParams);
      if (!parsed.ok) return;
      const key = runKey('sse', url);
      const after = Math.max(positions.get(key) ?? 0, afterFrom(url));
      const total = plannedTotal(parsed.value);
      if (total !== null && after >= total) {
        client.error();
        return;
      }
      client.send({ retry: MOCK_RETRY_MS });
      let untrack = () => {};
      const player = play({
        schedule: createSchedule(parsed.value, after),
        send(frame) {
          try {
            client.send({ id: String(frame.seq), data: encodeFrame(frame) });
            positions.set(key, frame.seq);
          } catch {
            player.stop();
            untrack();
          }
        },
        onDone(lastSeq) {
          untrack();
          try {
            client.send({ event: 'done', data: JSON.stringify({ type: 'done', total: lastSeq }) });
          } catch {
            // The page went away; nothing to tell.
          }
        },
      });
      untrack = track(url.searchParams.get('run') ?? '', player);
    }),

    socket.addEventListener('connection', ({ client }) => {
      const url = client.url;
      const parsed = parseScenarioQuery(url.searchParams);
      if (!parsed.ok) {
        // The live server refuses the upgrade with a 400; a mock can only close (reason ≤ 123 bytes).
        client.close(1008, parsed.error.slice(0, 120));
        return;
      }
      const send = (message: ServerMessage | string) =>
        client.send(typeof message === 'string' ? message : JSON.stringify(message));
      const after = afterFrom(url);
      const player = play({
        schedule: createSchedule(parsed.value, after),
        send(frame) {
          send(encodeFrame(frame));
        },
        onDone(lastSeq) {
          untrack();
          send({ type: 'done', total: lastSeq });
          // MSW delivers sends in microtasks but closes at once: queue the close behind them.
          queueMicrotask(() => client.close(1000, 'complete'));
        },
      });
      const untrack = track(url.searchParams.get('run') ?? '', player);
      client.addEventListener('message', (event) => {
        if (typeof event.data !== 'string') {
          send({ type: 'error', error: 'binary messages are not understood; send JSON text' });
          return;
        }
        const message = parseClientMessage(event.data);
        if ('error' in message) send({ type: 'error', error: message.error });
        else send({ type: 'pong', t: message.t, serverT: preciseNow() });
      });
      client.addEventListener('close', () => {
        player.stop();
        untrack();
      });
    }),
  ];
}
