/**
 * The mock's GET /api/ws, answered by the backend core as the live server answers it
 * (src/server/live/ws-stream.ts): the same parser, admission, served-stream registry, frame messages
 * and client-message answers (ping, cancel, chat).
 *
 * MSW's WebSocket mock replaces the page's socket before any handshake, so there is no upgrade to
 * refuse: a request the live server refuses with 400 and a JSON `{error}` is closed here with 1008 and
 * that same error as the reason (cut to the 123 bytes a close reason may hold); an outage or a limit
 * (an upgrade refused with 503, or cut) looks to the page like a cut: 1006.
 */
import { ws, type WebSocketHandler } from 'msw';
import { agentRelease, answerClientMessage } from '../backend/client-messages.ts';
import { wsFrameMessage } from '../backend/frame-writers.ts';
import { API } from '../backend/routes.ts';
import { playServed } from '../backend/served-player.ts';
import type { ServedStream } from '../backend/served-streams.ts';
import { parseStreamQuery } from '../backend/stream-request.ts';
import type { ServerMessage } from '../protocol/frame.ts';
import type { Player } from '../protocol/player.ts';
import { utf8Length } from '../protocol/utf8.ts';
import { MOCK_ADDRESS, mockBackend, openMockStream } from './mock-state.ts';
import { simulatedWebSocketHandshake } from './simulated-handshake.ts';

/** Most bytes a WebSocket close reason may hold (RFC 6455: 125 with the code). */
const MAX_CLOSE_REASON_BYTES = 123;

/** `error`, cut to a close reason's size without splitting a character. */
export function closeReason(error: string): string {
  let reason = error;
  while (utf8Length(reason) > MAX_CLOSE_REASON_BYTES) reason = reason.slice(0, -1);
  return reason;
}

export function wsHandler(origin: string): WebSocketHandler {
  const socket = ws.link(`${origin.replace(/^http/, 'ws')}${API.ws}`);
  return socket.addEventListener('connection', ({ client }) => {
    const backend = mockBackend();
    const parsed = parseStreamQuery(client.url.searchParams, undefined, backend.catalogue.scenarios);
    if (!parsed.ok) {
      client.close(1008, closeReason(parsed.error));
      return;
    }
    const request = parsed.value;
    const admission = backend.admit('ws', request, MOCK_ADDRESS);
    if (admission.kind === 'reset' || admission.kind === 'error') {
      // A refused or cut handshake: the browser never opens and reports 1006.
      client.close(1006, '');
      return;
    }
    const send = (message: ServerMessage | string | ArrayBuffer) =>
      client.send(typeof message === 'string' || message instanceof ArrayBuffer ? message : JSON.stringify(message));
    if (admission.kind === 'done-already') {
      send({ type: 'done', total: admission.total });
      // Sent before the page's socket has opened: close once it has been delivered.
      setTimeout(() => client.close(1000, 'complete'), 0);
      return;
    }
    if (admission.kind !== 'open') return; // Armed HTTP errors are for SSE connections only.

    const { counters, timers } = backend;
    let player: Player | null = null;
    const served: ServedStream = openMockStream({
      transport: 'ws',
      run: request.run,
      after: request.after,
      address: MOCK_ADDRESS,
      options: request.options,
      connection: {
        stop: () => player?.stop(),
        // Behind the frames already sent, like bytes that left before a cable was pulled: 1006.
        cut: () => queueMicrotask(() => client.close(1006, '')),
        close: () => queueMicrotask(() => client.close(1001, 'server closing')),
      },
    });
    const record = served.record;
    void simulatedWebSocketHandshake(client.url, origin).then((handshake) => (record.handshake = handshake));
    const write = (message: ServerMessage | string | ArrayBuffer): void => {
      if (served.ended) {
        counters.writesAfterClose++;
        return;
      }
      send(message);
    };
    player = playServed({
      served,
      request,
      timers,
      budget: backend.budget,
      encode: wsFrameMessage,
      write(payload) {
        // An ArrayBuffer, as a socket delivers binary messages to a page with binaryType "arraybuffer".
        write(typeof payload === 'string' ? payload : payload.slice().buffer);
        return true;
      },
      onDone(lastSeq) {
        write({ type: 'done', total: lastSeq });
        served.end('complete');
        // MSW delivers sends in microtasks but closes at once: queue the close behind them.
        queueMicrotask(() => client.close(1000, 'complete'));
      },
    });
    const target = { record, stopPlayer: () => player?.stop(), releaseTurn: (turn: number) => agentRelease(served, turn) };
    client.addEventListener('message', (event) => {
      const text = typeof event.data === 'string' ? event.data : null;
      const reply = answerClientMessage(text, target, counters);
      if (reply !== null) send(reply);
    });
    served.armFlaky();
    client.addEventListener('close', () => served.end());
  });
}
