/**
 * GET /api/ws on node:http + `ws`: the upgrade (Origin check, parsing and admission by the backend)
 * and the stream on the socket: frames, backpressure, client messages, drops.
 */
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { agentRelease, answerClientMessage } from '../../backend/client-messages.ts';
import { wsFrameMessage } from '../../backend/frame-writers.ts';
import { playServed } from '../../backend/served-player.ts';
import { parseStreamQuery, type StreamRequest } from '../../backend/stream-request.ts';
import { parseRun } from '../../protocol/faults.ts';
import { preciseNow, type DoneMessage, type ServerMessage } from '../../protocol/frame.ts';
import { MAX_CLIENT_MESSAGE_BYTES, MAX_REPLY_BACKLOG_BYTES } from '../../protocol/limits.ts';
import type { Player } from '../../protocol/player.ts';
import { StreamLog, type Handshake } from '../../protocol/stream-log.ts';
import { checkOrigin } from '../origin-policy.ts';
import { bytesCounter, headFromLines, requestHead } from '../wire-record.ts';
import type { LiveContext } from './context.ts';
import { clientAddress, rejectUpgrade } from './http-io.ts';

export interface WsAdapter {
  /** Answers an upgrade request for /api/ws (the caller has parsed its target). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): void;
  close(): void;
}

export function createWsAdapter(ctx: LiveContext): WsAdapter {
  const { backend } = ctx;
  // maxPayload: the lab's own client messages are < 2 KB; a bigger one closes the socket with 1009.
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: MAX_CLIENT_MESSAGE_BYTES });
  // The 101 head `ws` is about to write, per request, for the handshake record.
  const upgradeResponses = new WeakMap<IncomingMessage, string[]>();
  wss.on('headers', (headers: string[], req: IncomingMessage) => upgradeResponses.set(req, [...headers]));

  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): void {
    const origin = checkOrigin(req.headers.origin, req.headers.host, ctx.allowedOrigins);
    if (!origin.ok) {
      // The browser let the page try; refusing is the server's job (see origin-policy.ts).
      backend.counters.forbiddenOrigin++;
      const refused = rejectUpgrade(socket, 403, 'Forbidden', origin.reason);
      const at = preciseNow();
      const run = parseRun(url.searchParams.get('run') ?? undefined);
      const record = backend.log.open(run.ok ? (run.value ?? null) : null, 'ws', at, 0);
      record.handshake = { request: requestHead(req), ...refused, simulated: false };
      StreamLog.stop(record, at, 'refused');
      return;
    }
    const parsed = parseStreamQuery(url.searchParams, undefined, backend.catalogue.scenarios);
    if (!parsed.ok) {
      rejectUpgrade(socket, 400, 'Bad Request', parsed.error);
      return;
    }
    const request = parsed.value;
    const address = clientAddress(req);
    const admission = backend.admit('ws', request, address);
    switch (admission.kind) {
      case 'reset':
        socket.destroy();
        return;
      case 'error':
        // 503 (an outage, a stream limit). No Retry-After on an upgrade refusal: a browser's
        // WebSocket shows the page nothing of it.
        rejectUpgrade(socket, admission.status, STATUS_CODES[admission.status] ?? 'Error', admission.error);
        return;
      case 'empty':
      case 'wrong-content-type':
        // Armed HTTP errors are for SSE connections only: admission never gives these for ws.
        return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (admission.kind === 'done-already') {
        ws.send(JSON.stringify({ type: 'done', total: admission.total } satisfies DoneMessage));
        ws.close(1000, 'complete');
        return;
      }
      const handshake: Handshake = {
        request: requestHead(req),
        response: headFromLines(upgradeResponses.get(req) ?? ['HTTP/1.1 101 Switching Protocols']),
        simulated: false,
      };
      serveWs(ws, request, socket, handshake, address);
    });
  }

  function serveWs(ws: WebSocket, request: StreamRequest, socket: Duplex, handshake: Handshake, address: string): void {
    const { counters, timers } = backend;
    let backpressure: unknown = null;
    let player: Player | null = null;
    const stream = backend.streams.open({
      transport: 'ws',
      run: request.run,
      after: request.after,
      address,
      options: request.options,
      connection: {
        stop() {
          player?.stop();
          if (backpressure !== null) timers.clearTimeout(backpressure);
          backpressure = null;
        },
        // terminate() destroys the socket without a close frame: the browser sees 1006.
        cut: () => ws.terminate(),
        close: () => ws.terminate(),
      },
    });
    const record = stream.record;
    record.handshake = handshake;
    record.client = request.client;

    const send = (message: ServerMessage | string | Buffer): boolean => {
      if (stream.ended) {
        counters.writesAfterClose++;
        return true;
      }
      if (ws.readyState !== ws.OPEN) {
        // The closing handshake has begun ('close' only fires once the TCP socket is gone): the
        // stream is over, so stop its player now rather than keep writing into a closing socket.
        stream.end();
        return true;
      }
      ws.send(typeof message === 'string' || Buffer.isBuffer(message) ? message : JSON.stringify(message));
      return ws.bufferedAmount < ctx.wsHighWaterMark;
    };
    /**
     * An answer to a client message (pong, reply, error): a client that keeps sending but does not
     * read gets closed (1008) once MAX_REPLY_BACKLOG_BYTES wait for it, instead of growing the server.
     */
    const answer = (message: ServerMessage): void => {
      if (ws.bufferedAmount > MAX_REPLY_BACKLOG_BYTES) {
        if (!stream.refuseSlowReader()) return;
        ws.close(1008, 'the client does not read its messages (MAX_REPLY_BACKLOG_BYTES)');
        // It will not read the close frame either: cut the socket if it is still there in a second.
        setTimeout(() => ws.terminate(), 1_000).unref();
        return;
      }
      send(message);
    };

    const waitForDrain = () => {
      backpressure = timers.setTimeout(() => {
        backpressure = null;
        if (stream.ended) return;
        if (ws.bufferedAmount < ctx.wsHighWaterMark) player?.resume();
        else waitForDrain();
      }, 10);
    };

    player = playServed({
      served: stream,
      request,
      timers,
      budget: backend.budget,
      // A frame: binary frames as one binary message, the others as JSON text; bytes counted.
      encode: wsFrameMessage,
      write(payload) {
        const ok = send(typeof payload === 'string' ? payload : Buffer.from(payload));
        if (!ok) waitForDrain();
        return ok;
      },
      socketBytes: bytesCounter(socket, false),
      // What `ws` holds for this client (its queue and the socket's buffer), after each frame.
      buffered: () => ws.bufferedAmount,
      onDone(lastSeq) {
        send({ type: 'done', total: lastSeq });
        ws.close(1000, 'complete');
      },
    });

    const target = { record, stopPlayer: () => player?.stop(), releaseTurn: (turn: number) => agentRelease(stream, turn) };
    ws.on('message', (data, isBinary) => {
      const reply = answerClientMessage(isBinary ? null : data.toString(), target, counters);
      if (reply !== null) answer(reply);
    });
    ws.on('error', () => ws.terminate());
    stream.armFlaky();
    ws.on('close', () => stream.end());
  }

  return {
    handleUpgrade,
    close: () => wss.close(),
  };
}
