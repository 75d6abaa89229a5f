/**
 * Mock mode: MSW plays the same scenario engine as the live server, for the same URLs, inside the
 * browser, and takes the same faults. Differences forced by MSW and Chromium, handled here:
 * - Chromium does not show Last-Event-ID to the service worker, so the mock remembers how far each
 *   run got (keyed by the `run` query parameter) and resumes from there itself.
 * - A mocked EventSource that the page closes is never signalled to the handler, so every stream
 *   registers itself (mock-state.ts) and the page stops a run's streams when the run ends
 *   (POST /api/mock/stop-run, control-handlers.ts); a failed `client.send` stops the stream too.
 *
 * This file: the streams (POST /api/stream, POST /api/chat, GET /api/poll, GET /api/sse, the
 * WebSocket). The JSON endpoints and the JSON 404 for the rest of /api/* are in control-handlers.ts.
 * - A mock cannot cut a socket: "drop" closes the EventSource stream (the browser then reconnects as
 *   after a network error) and closes the WebSocket with 1006, what a cut connection looks like.
 */
import { http, HttpResponse, sse, ws, type RequestHandler, type WebSocketHandler } from 'msw';
import { bearerMatches, parseStreamBody } from '../protocol/stream-body.ts';
import { StreamLog, type StreamRecord } from '../protocol/stream-log.ts';
import { encodeWire, parseWireFormat, type anthropicEvents } from '../protocol/llm-wire.ts';
import { encodeSseEvent, encodeSseRetry, type SseEvent } from '../protocol/sse-encoding.ts';
import { encodeBinaryFrame } from '../protocol/binary-frame.ts';
import { utf8Length } from '../protocol/utf8.ts';
import { frameHeaderBytes } from '../protocol/websocket-wire.ts';
import { simulatedSseHandshake, simulatedWebSocketHandshake } from './simulated-handshake.ts';
import { asChatMessage, encodeFrame, parseClientMessage, preciseNow, replyTo, type ServerMessage } from '../protocol/frame.ts';
import { play } from '../protocol/player.ts';
import { createSchedule, plannedTotal } from '../protocol/schedule.ts';
import { parseScenarioQuery, scenarioQuery } from '../protocol/scenarios.ts';
import { PollBuffer } from '../protocol/poll-buffer.ts';
import { parseStreamOptions } from '../protocol/stream-options.ts';
import { apiFallback, controlHandlers } from './control-handlers.ts';
import { faults, log, mockToken, pollBuffers, positions, streams, trackMockStream, type MockStream, type TrackedStream } from './mock-state.ts';

/** Every event name the SSE mock may send (MSW types them). */
type MockSseEvents = { message: string; done: string; reply: string; bytes: string } & Record<(typeof anthropicEvents)[number], string>;
type NamedEvent = Exclude<keyof MockSseEvents, 'message'>;

/** Bytes of the SSE events of one frame: their data, and the events as encoded. No socket here. */
function countSseBytes(record: StreamRecord, events: readonly SseEvent[]): void {
  let payload = 0;
  let message = 0;
  for (const event of events) {
    payload += utf8Length(event.data);
    message += utf8Length(encodeSseEvent(event));
  }
  StreamLog.wroteBytes(record, payload, message, null);
}

function afterFrom(url: URL): number {
  const after = Number(url.searchParams.get('after') ?? 0);
  return Number.isSafeInteger(after) && after > 0 ? after : 0;
}

export function createHandlers(origin: string): (RequestHandler | WebSocketHandler)[] {
  const wsOrigin = origin.replace(/^http/, 'ws');
  const socket = ws.link(`${wsOrigin}/api/ws`);

  return [
    ...controlHandlers(),

    // POST /api/stream: the fetch + SSE lane. A real HTTP response whose body is a stream of SSE bytes,
    // encoded exactly as the live server encodes them.
    http.post('/api/stream', async ({ request }) => {
      const token = mockToken();
      if (token !== null && !bearerMatches(request.headers.get('authorization'), token)) {
        return HttpResponse.json(
          {
            error: request.headers.get('authorization')
              ? 'the bearer token is wrong'
              : 'this server requires a token: send Authorization: Bearer <token>',
          },
          { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="sse-vs-websocket-lab"' } },
        );
      }
      const requestText = await request.clone().text().catch(() => '');
      const body: unknown = await request.json().catch(() => undefined);
      const parsed = parseStreamBody(body, request.headers.get('last-event-id') ?? undefined);
      if (!parsed.ok) return HttpResponse.json({ error: parsed.error }, { status: 400 });
      const { config, options, after, run } = parsed.value;
      const format = parseWireFormat((body as { format?: unknown } | undefined)?.format);
      if (!format.ok) return HttpResponse.json({ error: format.error }, { status: 400 });
      let firstHere = true;
      const outage = faults.outage('fetch', run, Date.now());
      if (outage === 'reset') return HttpResponse.error();
      if (outage === '503') return HttpResponse.json({ error: 'service unavailable (simulated outage)' }, { status: 503 });
      const httpError = faults.takeHttpError(run, 'fetch', Date.now());
      if (httpError === 204) return new HttpResponse(null, { status: 204 });
      if (httpError === 'content-type') return HttpResponse.text('This is not an event stream (simulated wrong content type).\n');
      if (httpError !== null) return HttpResponse.json({ error: `simulated HTTP ${httpError}` }, { status: httpError });
      const total = plannedTotal(config);
      if (total !== null && after >= total) return new HttpResponse(null, { status: 204 });

      const encoder = new TextEncoder();
      let stop = () => {};
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          let tracked: TrackedStream | null = null;
          stop = () => tracked?.end();
          const enqueue = (text: string) => {
            try {
              controller.enqueue(encoder.encode(text));
            } catch {
              tracked?.end();
            }
          };
          enqueue(encodeSseRetry(options.retry));
          const record = log.open(run, 'fetch', preciseNow(), after);
          record.handshake = simulatedSseHandshake(request, requestText);
          const player = play({
            schedule: createSchedule(config, after),
            send(frame) {
              StreamLog.wrote(record, frame.seq);
              const events = encodeWire(frame, format.value, firstHere);
              countSseBytes(record, events);
              enqueue(events.map(encodeSseEvent).join(''));
              firstHere = false;
              tracked?.sentFrame();
            },
            onDone(lastSeq) {
              if (format.value === 'lab') {
                enqueue(encodeSseEvent({ event: 'done', data: JSON.stringify({ type: 'done', total: lastSeq }) }));
              }
              tracked?.end('complete');
              try {
                controller.close();
              } catch {
                // Already cancelled by the page.
              }
            },
          });
          const entry: MockStream = {
            transport: 'fetch',
            run: run ?? '',
            player,
            record,
            reply(message) {
              enqueue(encodeSseEvent({ event: 'reply', data: JSON.stringify(message) }));
            },
            drop() {
              tracked?.end('dropped');
              // The body breaks mid-stream, as when the connection is cut.
              controller.error(new TypeError('network error (simulated drop)'));
            },
          };
          tracked = trackMockStream(entry, options);
        },
        cancel() {
          stop();
        },
      });
      return new HttpResponse(stream, {
        headers: { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform' },
      });
    }),

    // POST /api/chat: the SSE lanes' side channel. Bytes are what this Request carries; a browser
    // adds headers (cookies, user agent…) a service worker never sees, so mock bytes run low.
    http.post('/api/chat', async ({ request }) => {
      const text = await request.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return HttpResponse.json({ error: 'the body is not valid JSON' }, { status: 400 });
      }
      const value = body as { run?: unknown; transport?: unknown };
      if (typeof value !== 'object' || value === null || typeof value.run !== 'string') {
        return HttpResponse.json({ error: 'chat needs the "run" of the stream to answer on' }, { status: 400 });
      }
      if (value.transport !== 'sse' && value.transport !== 'fetch') {
        return HttpResponse.json({ error: 'transport must be "sse" or "fetch" (WebSocket lanes chat on their socket)' }, { status: 400 });
      }
      const message = asChatMessage(value);
      if ('error' in message) return HttpResponse.json({ error: message.error }, { status: 400 });
      const found = [...streams].filter((st) => st.run === value.run && st.transport === value.transport && st.reply);
      if (found.length === 0) {
        return HttpResponse.json({ error: `no open ${value.transport} stream for run ${JSON.stringify(value.run)} to answer on` }, { status: 404 });
      }
      const reply = replyTo(message, preciseNow());
      for (const st of found) st.reply?.(reply);
      let head = `POST ${new URL(request.url).pathname} HTTP/1.1\r\n`.length + 2;
      request.headers.forEach((v, k) => {
        head += k.length + v.length + 4;
      });
      return HttpResponse.json({ delivered: found.length, requestBytes: head + text.length, connection: 0 }, { status: 202 });
    }),

    // GET /api/poll: the same buffers as the live server, held in the tab.
    http.get('/api/poll', async ({ request }) => {
      const url = new URL(request.url);
      const config = parseScenarioQuery(url.searchParams);
      if (!config.ok) return HttpResponse.json({ error: config.error }, { status: 400 });
      const after = afterFrom(url);
      const waitRaw = url.searchParams.get('wait') ?? '0';
      const wait = /^\d+$/.test(waitRaw) ? Number(waitRaw) : Number.NaN;
      if (!Number.isSafeInteger(wait) || wait > 30_000) {
        return HttpResponse.json({ error: `wait must be an integer from 0 to 30000 (ms); got ${JSON.stringify(waitRaw)}` }, { status: 400 });
      }
      const run = url.searchParams.get('run') ?? '';
      const key = `${run}|${scenarioQuery(config.value)}`;
      let buffer = pollBuffers.get(key);
      if (!buffer) pollBuffers.set(key, (buffer = new PollBuffer(config.value, Date.now())));
      const session = buffer;
      if (wait > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            cancel();
            resolve();
          }, wait);
          const cancel = session.wait(after, () => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      let head = `GET ${url.pathname}${url.search} HTTP/1.1\r\n`.length + 2;
      request.headers.forEach((v, k) => {
        head += k.length + v.length + 4;
      });
      return HttpResponse.json({ ...session.take(after), requestHeadBytes: head }, { headers: { 'Cache-Control': 'no-store' } });
    }),

    // Validation, outages and injected HTTP errors first, with the live server's answers; falls
    // through to the stream when none applies.
    http.get('/api/sse', ({ request }) => {
      const url = new URL(request.url);
      const parsed = parseScenarioQuery(url.searchParams);
      if (!parsed.ok) return HttpResponse.json({ error: parsed.error }, { status: 400 });
      const options = parseStreamOptions(url.searchParams);
      if (!options.ok) return HttpResponse.json({ error: options.error }, { status: 400 });
      const run = url.searchParams.get('run');
      const outage = faults.outage('sse', run, Date.now());
      if (outage === 'reset') return HttpResponse.error();
      if (outage === '503') {
        return HttpResponse.json({ error: 'service unavailable (simulated outage)' }, { status: 503 });
      }
      const httpError = faults.takeHttpError(run, 'sse', Date.now());
      if (httpError === 204) return new HttpResponse(null, { status: 204 });
      if (httpError === 'content-type') {
        return HttpResponse.text('This is not an event stream (simulated wrong content type).\n');
      }
      if (httpError !== null) return HttpResponse.json({ error: `simulated HTTP ${httpError}` }, { status: httpError });
      return undefined;
    }),

    sse<MockSseEvents>('/api/sse', ({ request, client }) => {
      const url = new URL(request.url);
      const parsed = parseScenarioQuery(url.searchParams);
      const options = parseStreamOptions(url.searchParams);
      const format = parseWireFormat(url.searchParams.get('format'));
      if (!parsed.ok || !options.ok || !format.ok) return;
      let firstHere = true;
      const run = url.searchParams.get('run') ?? '';
      const key = `sse|${run}`;
      const after = Math.max(positions.get(key) ?? 0, afterFrom(url));
      const total = plannedTotal(parsed.value);
      if (total !== null && after >= total) {
        client.error();
        return;
      }
      client.send({ retry: options.value.retry });
      let tracked: TrackedStream | null = null;
      const record = log.open(run, 'sse', preciseNow(), after);
      record.handshake = simulatedSseHandshake(request);
      const player = play({
        schedule: createSchedule(parsed.value, after),
        send(frame) {
          StreamLog.wrote(record, frame.seq);
          try {
            const events = encodeWire(frame, format.value, firstHere);
            countSseBytes(record, events);
            for (const event of events) {
              if (event.event) client.send({ id: event.id, event: event.event as NamedEvent, data: event.data });
              else client.send({ id: event.id, data: event.data });
            }
            firstHere = false;
            positions.set(key, frame.seq);
          } catch {
            tracked?.end();
            return;
          }
          tracked?.sentFrame();
        },
        onDone(lastSeq) {
          tracked?.end('complete');
          try {
            if (format.value === 'lab') client.send({ event: 'done', data: JSON.stringify({ type: 'done', total: lastSeq }) });
          } catch {
            // The page went away; nothing to tell.
          }
        },
      });
      const stream: MockStream = {
        transport: 'sse',
        run,
        player,
        record,
        reply(message) {
          client.send({ event: 'reply', data: JSON.stringify(message) });
        },
        drop() {
          tracked?.end('dropped');
          client.close();
        },
      };
      tracked = trackMockStream(stream, options.value);
    }),

    socket.addEventListener('connection', ({ client }) => {
      const url = client.url;
      const parsed = parseScenarioQuery(url.searchParams);
      const options = parseStreamOptions(url.searchParams);
      if (!parsed.ok || !options.ok) {
        // The live server refuses the upgrade with a 400; a mock can only close (reason ≤ 123 bytes).
        const error = !parsed.ok ? parsed.error : !options.ok ? options.error : '';
        client.close(1008, error.slice(0, 120));
        return;
      }
      const run = url.searchParams.get('run') ?? '';
      if (faults.outage('ws', run, Date.now()) !== null) {
        // A refused or cut handshake: the browser never opens and reports 1006.
        client.close(1006, '');
        return;
      }
      const send = (message: ServerMessage | string) =>
        client.send(typeof message === 'string' ? message : JSON.stringify(message));
      let tracked: TrackedStream | null = null;
      const record = log.open(run, 'ws', preciseNow(), afterFrom(url));
      void simulatedWebSocketHandshake(url, origin).then((handshake) => (record.handshake = handshake));
      const player = play({
        schedule: createSchedule(parsed.value, afterFrom(url)),
        send(frame) {
          StreamLog.wrote(record, frame.seq);
          // Binary frames as one binary message, like the live server; the rest as JSON text.
          const payload = frame.kind === 'bytes' ? encodeBinaryFrame(frame) : encodeFrame(frame);
          const length = typeof payload === 'string' ? utf8Length(payload) : payload.length;
          StreamLog.wroteBytes(record, length, length + frameHeaderBytes(length), null);
          // An ArrayBuffer, as a socket delivers binary messages to a page with binaryType "arraybuffer".
          client.send(typeof payload === 'string' ? payload : payload.slice().buffer);
          tracked?.sentFrame();
        },
        onDone(lastSeq) {
          tracked?.end('complete');
          send({ type: 'done', total: lastSeq });
          // MSW delivers sends in microtasks but closes at once: queue the close behind them.
          queueMicrotask(() => client.close(1000, 'complete'));
        },
      });
      const stream: MockStream = {
        transport: 'ws',
        run,
        player,
        record,
        drop() {
          tracked?.end('dropped');
          // Behind the frames already sent, like bytes that left before a cable was pulled.
          queueMicrotask(() => client.close(1006, ''));
        },
      };
      tracked = trackMockStream(stream, options.value);
      client.addEventListener('message', (event) => {
        if (typeof event.data !== 'string') {
          send({ type: 'error', error: 'binary messages are not understood; send JSON text' });
          return;
        }
        const message = parseClientMessage(event.data);
        if ('error' in message) send({ type: 'error', error: message.error });
        else if (message.type === 'cancel') {
          player.stop();
          const at = preciseNow();
          StreamLog.stop(record, at, 'cancel');
          streams.delete(stream);
          send({ type: 'cancelled', lastSeq: record.lastSeq, serverT: at });
        } else if (message.type === 'chat') send(replyTo(message, preciseNow()));
        else send({ type: 'pong', t: message.t, serverT: preciseNow() });
      });
      client.addEventListener('close', () => tracked?.end());
    }),

    // Last: any other /api/* request gets the live server's JSON 404 (or 405 / 426).
    apiFallback(),
  ];
}
