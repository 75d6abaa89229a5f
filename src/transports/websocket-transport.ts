/**
 * WebSocket: one JSON text message per frame. The browser does not reconnect a WebSocket; a close
 * that is not clean ends the lane here (the lab's own reconnect policy is a separate layer).
 */
import { parseServerMessage, preciseNow, type PingMessage } from '../protocol/frame.ts';
import { utf8Length } from '../protocol/utf8.ts';
import { BaseTransport, quote } from './transport.ts';

export class WebSocketTransport extends BaseTransport {
  readonly kind = 'websocket' as const;
  private socket: WebSocket | null = null;
  private complete = false;
  private lastRtt: number | null = null;

  constructor(private readonly url: string) {
    super();
  }

  /** Round-trip time of the newest ping, in ms. */
  get rttMs(): number | null {
    return this.lastRtt;
  }

  connect(): void {
    if (this.socket) return;
    this.setState('connecting');
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.url);
    } catch (error) {
      const at = preciseNow();
      const message = `Cannot open WebSocket: ${error instanceof Error ? error.message : String(error)}`;
      this.emit({ type: 'error', at, message });
      this.finish(at, { kind: 'failed', message });
      return;
    }
    this.socket = socket;

    socket.onopen = () => {
      const at = preciseNow();
      this.setState('open');
      this.emit({ type: 'open', at });
    };

    socket.onmessage = (event: MessageEvent<unknown>) => {
      const at = preciseNow();
      if (typeof event.data !== 'string') {
        this.emit({ type: 'error', at, message: 'Ignored a binary message: the lab sends JSON text.' });
        return;
      }
      const message = parseServerMessage(event.data);
      if (!message) {
        this.emit({ type: 'error', at, message: `Ignored a message that is not valid: ${quote(event.data)}` });
        return;
      }
      switch (message.type) {
        case 'frame':
          this.emit({ type: 'frame', at, frame: message, bytes: utf8Length(event.data) });
          return;
        case 'done':
          this.complete = true;
          return;
        case 'pong':
          this.lastRtt = at - message.t;
          return;
        case 'error':
          this.emit({ type: 'error', at, message: `Server: ${message.error}` });
          return;
      }
    };

    socket.onclose = (event: CloseEvent) => {
      const at = preciseNow();
      this.socket = null;
      if (this.complete || event.code === 1000) {
        this.finish(at, { kind: 'complete' });
        return;
      }
      const detail = event.reason ? `: ${event.reason}` : '';
      const message =
        event.code === 1006
          ? 'The WebSocket closed abnormally (1006): the server refused the upgrade, was unreachable, or dropped the connection.'
          : `The WebSocket closed with code ${event.code}${detail}.`;
      this.emit({ type: 'error', at, message });
      this.finish(at, { kind: 'failed', message, code: event.code });
    };
  }

  /** Sends a ping; the pong's echo of `t` gives the round-trip time. */
  ping(): void {
    if (this.socket?.readyState !== WebSocket.OPEN) return;
    const ping: PingMessage = { type: 'ping', t: preciseNow() };
    this.socket.send(JSON.stringify(ping));
  }

  close(): void {
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = null;
      socket.onmessage = null;
      if (socket.readyState === WebSocket.CONNECTING || socket.readyState === WebSocket.OPEN) {
        socket.close(1000, 'stopped by the user');
      }
    }
    this.finish(preciseNow(), { kind: 'stopped' });
  }
}
