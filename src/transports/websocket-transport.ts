/**
 * WebSocket: one JSON text message per frame. The browser never reconnects a WebSocket, so the lab
 * does: after an abnormal close it waits a backoff delay (exponential, full jitter) and reopens with
 * `?after=<last seq>`. A clean close (1000) is the end of the stream; protocol and policy errors
 * (1002, 1003, 1007, 1008…) would only recur, so they end the lane too.
 */
import { decodeBinaryFrame } from '../protocol/binary-frame.ts';
import { parseServerMessage, preciseNow, type ChatMessage, type PingMessage } from '../protocol/frame.ts';
import { utf8Length } from '../protocol/utf8.ts';
import type { MessageKey } from '../i18n/en.ts';
import { localText, type LocalText } from '../i18n/local-text.ts';
import { Backoff, defaultBackoff, type BackoffPolicy } from './backoff.ts';
import { BaseTransport, quote, type TransportMessage } from './transport.ts';

/** Close codes after which the lab reconnects. */
export const RECONNECT_CODES: ReadonlySet<number> = new Set([1001, 1006, 1011, 1012, 1013, 1014]);

/** Close codes with a name of their own; the names are in the dictionaries (src/i18n). */
const closeNames: Record<number, MessageKey> = {
  1000: 'transport.close.1000',
  1001: 'transport.close.1001',
  1002: 'transport.close.1002',
  1003: 'transport.close.1003',
  1006: 'transport.close.1006',
  1007: 'transport.close.1007',
  1008: 'transport.close.1008',
  1009: 'transport.close.1009',
  1011: 'transport.close.1011',
  1012: 'transport.close.1012',
  1013: 'transport.close.1013',
  1014: 'transport.close.1014',
};

/** "1006 (abnormal closure: …): reason", translated where it is shown. */
export function describeClose(code: number, reason: string): LocalText {
  const name = localText(closeNames[code] ?? 'transport.close.other');
  return reason
    ? localText('transport.close.withReason', { code, name, reason })
    : localText('transport.close.described', { code, name });
}

/** The constructor shape the transport needs: the browser's WebSocket, or the `ws` package in Node. */
export type WebSocketConstructor = new (url: string) => WebSocket;

export interface WebSocketTransportOptions {
  backoff?: BackoffPolicy;
  /** Defaults to the global WebSocket. */
  WebSocketImpl?: WebSocketConstructor;
  random?: () => number;
}

export interface ReconnectInfo {
  /** Retries since the last good connection. */
  attempts: number;
  /** When the planned attempt starts (same clock as preciseNow), or null if none is planned. */
  nextAttemptAt: number | null;
  /** Delay of the planned attempt. */
  nextDelayMs: number | null;
  lastClose: { code: number; reason: string } | null;
}

export class WebSocketTransport extends BaseTransport {
  readonly kind = 'websocket' as const;
  private socket: WebSocket | null = null;
  private complete = false;
  private stopped = false;
  private gotFrameSinceOpen = false;
  private lastRtt: number | null = null;
  private cancelledInfo: { receivedAt: number; serverStoppedAt: number; lastSeq: number } | null = null;
  private readonly backoff: Backoff;
  private readonly Impl: WebSocketConstructor;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private info: ReconnectInfo = { attempts: 0, nextAttemptAt: null, nextDelayMs: null, lastClose: null };
  private readonly onOnline = () => {
    // The network is back: do not sit out the rest of the backoff.
    if (this.timer === null) return;
    clearTimeout(this.timer);
    this.timer = null;
    this.open();
  };

  constructor(
    private readonly urlFor: (after: number) => string,
    options: WebSocketTransportOptions = {},
  ) {
    super();
    this.backoff = new Backoff(options.backoff ?? defaultBackoff, options.random);
    this.Impl = options.WebSocketImpl ?? WebSocket;
  }

  /** Round-trip time of the newest ping, in ms. */
  get rttMs(): number | null {
    return this.lastRtt;
  }

  get reconnectInfo(): ReconnectInfo {
    return { ...this.info };
  }

  connect(): void {
    if (this.socket || this.stopped) return;
    globalThis.addEventListener?.('online', this.onOnline);
    this.open();
  }

  reconnect(): void {
    if (this.socket || this.timer !== null || this.complete || this.stopped || this.state !== 'closed') return;
    this.backoff.reset();
    this.info = { ...this.info, attempts: 0 };
    globalThis.addEventListener?.('online', this.onOnline);
    this.open();
  }

  /** A connection that delivers is a good one: the next failure starts from the base delay. */
  private gotFrame(): void {
    if (this.gotFrameSinceOpen) return;
    this.gotFrameSinceOpen = true;
    this.backoff.reset();
    this.info = { ...this.info, attempts: 0 };
  }

  private open(): void {
    this.info = { ...this.info, nextAttemptAt: null, nextDelayMs: null };
    if (this.state !== 'reconnecting') this.setState('connecting');
    let socket: WebSocket;
    try {
      socket = new this.Impl(this.urlFor(this.lastSeq));
    } catch (error) {
      this.fail(this.text('transport.ws.cannotOpen', { error: error instanceof Error ? error.message : String(error) }));
      return;
    }
    this.socket = socket;
    // Binary frames (the `binary` scenario) arrive as ArrayBuffer, not Blob: no async read needed.
    socket.binaryType = 'arraybuffer';
    this.gotFrameSinceOpen = false;

    socket.onopen = () => {
      const at = preciseNow();
      this.setState('open');
      this.emit({ type: 'open', at });
    };

    socket.onmessage = (event: MessageEvent<unknown>) => {
      const at = preciseNow();
      if (event.data instanceof ArrayBuffer) {
        const decoded = decodeBinaryFrame(new Uint8Array(event.data));
        if (!decoded.ok) {
          this.emit({ type: 'error', at, message: this.text('transport.ws.badBinary', { error: decoded.error }) });
          return;
        }
        this.gotFrame();
        this.noteSeq(decoded.frame.seq);
        this.emit({ type: 'frame', at, frame: decoded.frame, bytes: event.data.byteLength });
        return;
      }
      if (typeof event.data !== 'string') {
        this.emit({ type: 'error', at, message: this.text('transport.ws.neither') });
        return;
      }
      const message = parseServerMessage(event.data);
      if (!message) {
        this.emit({ type: 'error', at, message: this.text('transport.ws.invalid', { data: quote(event.data) }) });
        return;
      }
      switch (message.type) {
        case 'frame':
          this.gotFrame();
          this.noteSeq(message.seq);
          this.emit({ type: 'frame', at, frame: message, bytes: utf8Length(event.data) });
          return;
        case 'done':
          this.complete = true;
          return;
        case 'pong':
          this.lastRtt = at - message.t;
          return;
        case 'error':
          this.emit({ type: 'error', at, message: this.text('transport.ws.server', { error: message.error }) });
          return;
        case 'reply':
          this.emit({ type: 'reply', at, reply: message });
          return;
        case 'cancelled':
          this.cancelledInfo = { receivedAt: at, serverStoppedAt: message.serverT, lastSeq: message.lastSeq };
          return;
      }
    };

    socket.onerror = () => {
      // Always followed by a close event, which carries the code; nothing to add here.
    };

    socket.onclose = (event: CloseEvent) => {
      const at = preciseNow();
      if (this.socket !== socket) return;
      this.socket = null;
      const reason = event.reason ?? '';
      this.info = { ...this.info, lastClose: { code: event.code, reason } };
      if (this.complete || event.code === 1000) {
        this.stopListening();
        this.finish(at, { kind: 'complete' });
        return;
      }
      if (!RECONNECT_CODES.has(event.code)) {
        this.fail(this.text('transport.ws.fatalClose', { close: describeClose(event.code, reason) }), event.code);
        return;
      }
      const delay = this.backoff.next();
      if (delay === null) {
        this.fail(
          this.text('transport.ws.gaveUp', { attempts: this.backoff.attempts, close: describeClose(event.code, reason) }),
          event.code,
        );
        return;
      }
      this.info = { ...this.info, attempts: this.backoff.attempts, nextAttemptAt: at + delay, nextDelayMs: delay };
      this.setState('reconnecting');
      this.emit({ type: 'reconnecting', at, attempt: this.backoff.attempts, delayMs: delay, code: event.code, reason });
      this.timer = setTimeout(() => {
        this.timer = null;
        this.open();
      }, delay);
    };
  }

  private fail(message: TransportMessage, code?: number): void {
    const at = preciseNow();
    this.stopListening();
    this.emit({ type: 'error', at, message });
    this.finish(at, { kind: 'failed', message, code });
  }

  private stopListening(): void {
    globalThis.removeEventListener?.('online', this.onOnline);
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.info = { ...this.info, nextAttemptAt: null, nextDelayMs: null };
  }

  /** The server's answer to a cancel, once it came. */
  get cancelled(): { receivedAt: number; serverStoppedAt: number; lastSeq: number } | null {
    return this.cancelledInfo;
  }

  /**
   * "Stop generating" on the same socket: the server stops the stream and answers `cancelled`; the
   * connection stays open for the next request. Returns false when there is no open socket.
   */
  cancel(): boolean {
    if (this.socket?.readyState !== 1) return false;
    this.socket.send(JSON.stringify({ type: 'cancel' }));
    return true;
  }

  /**
   * A user message on the stream's own socket. Returns the bytes it put on the wire (payload plus a
   * client frame header: 2 bytes, 2 more past 125 bytes, and the 4-byte mask), or null when closed.
   */
  sendChat(message: ChatMessage): number | null {
    if (this.socket?.readyState !== 1) return null;
    const text = JSON.stringify(message);
    this.socket.send(text);
    const payload = utf8Length(text);
    return payload + (payload > 125 ? 4 : 2) + 4;
  }

  /** Sends a ping; the pong's echo of `t` gives the round-trip time. */
  ping(): void {
    if (this.socket?.readyState !== 1) return;
    const ping: PingMessage = { type: 'ping', t: preciseNow() };
    this.socket.send(JSON.stringify(ping));
  }

  close(): void {
    this.stopped = true;
    this.stopListening();
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = null;
      socket.onmessage = null;
      if (socket.readyState === 0 || socket.readyState === 1) socket.close(1000, 'stopped by the user');
    }
    this.finish(preciseNow(), { kind: 'stopped' });
  }
}
