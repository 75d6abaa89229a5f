/**
 * WebSocket: one JSON text message per frame. The browser never reconnects a WebSocket, so the lab
 * does: after an abnormal close it waits a backoff delay (exponential, full jitter) and reopens with
 * `?after=<last seq>`. A clean close (1000) is the end of the stream; protocol and policy errors
 * (1002, 1003, 1007, 1008…) would only recur, so they end the lane too.
 */
import { decodeBinaryFrame } from '../protocol/binary-frame.ts';
import { parseServerMessage, preciseNow, type ChatMessage, type Frame, type PingMessage } from '../protocol/frame.ts';
import { utf8Length } from '../protocol/utf8.ts';
import type { ToolResultMessage } from '../protocol/agent.ts';
import { binaryForeign, decodeForeign, type FieldMapping } from '../protocol/foreign-frame.ts';
import { Backoff, defaultBackoff, type BackoffPolicy } from './backoff.ts';
import {
  BaseTransport,
  errorText,
  issue,
  quote,
  type ReconnectInfo,
  type TransportCapabilities,
  type TransportEvent,
  type TransportIssue,
} from './transport.ts';

/** Close codes after which the lab reconnects. */
export const RECONNECT_CODES: ReadonlySet<number> = new Set([1001, 1006, 1011, 1012, 1013, 1014]);

/** What a lane does with the lab's own WebSocket messages (see `readLabMessage`). */
export interface LabMessageTarget {
  /** A frame, text or binary: the lane counts it, notes its seq and delivers it. */
  frame(at: number, frame: Frame, bytes: number): void;
  /** The server's `done`: the stream is complete; the close that follows is not a failure. */
  done(): void;
  emit(event: TransportEvent): void;
}

/**
 * One message of the lab's WebSocket protocol, as both WebSocket lanes (WebSocket, WebSocketStream)
 * read it: a binary frame, or a JSON text message (frame, done, pong, error, reply, cancelled).
 * `at` is the receive stamp, taken by the caller before anything else.
 */
export function readLabMessage(at: number, data: unknown, target: LabMessageTarget): void {
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
    const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const decoded = decodeBinaryFrame(bytes);
    if (!decoded.ok) {
      target.emit({ type: 'error', at, issue: issue('ws.badBinary', { error: decoded.error }) });
      return;
    }
    target.frame(at, decoded.frame, bytes.byteLength);
    return;
  }
  if (typeof data !== 'string') {
    target.emit({ type: 'error', at, issue: issue('ws.notTextOrBinary', {}) });
    return;
  }
  const message = parseServerMessage(data);
  if (!message) {
    target.emit({ type: 'error', at, issue: issue('ws.invalid', { data: quote(data) }) });
    return;
  }
  switch (message.type) {
    case 'frame':
      target.frame(at, message, utf8Length(data));
      return;
    case 'done':
      target.done();
      return;
    case 'pong':
      target.emit({ type: 'pong', at, rttMs: at - message.t });
      return;
    case 'error':
      target.emit({ type: 'error', at, issue: issue('ws.server', { error: message.error }) });
      return;
    case 'reply':
      target.emit({ type: 'reply', at, reply: message });
      return;
    case 'cancelled':
      target.emit({ type: 'cancelled', at, serverStoppedAt: message.serverT, lastSeq: message.lastSeq });
      return;
  }
}

/** The constructor shape the transport needs: the browser's WebSocket, or the `ws` package in Node. */
export type WebSocketConstructor = new (url: string) => WebSocket;

export interface WebSocketTransportOptions {
  backoff?: BackoffPolicy;
  /** Defaults to the global WebSocket. */
  WebSocketImpl?: WebSocketConstructor;
  random?: () => number;
  /**
   * URL mode: someone else's socket. Every message is a frame (seq and t by the mapping, where they
   * are; a binary one has neither); `sendOnOpen` goes out on every open, in order; nothing the lab's
   * server understands is ever sent (no ping, no in-band cancel, no chat); a close before the first
   * open ends the lane at once (a URL that never opened is a setup problem, not an outage). After a
   * good connection the backoff loop reconnects as it does for the lab.
   */
  foreign?: { mapping: FieldMapping; sendOnOpen: readonly string[] };
}

/**
 * Bytes a client text message puts on the wire: payload plus a client frame header (2 bytes, 2 more
 * past 125 bytes) and the 4-byte mask.
 */
export function clientFrameBytes(text: string): number {
  const payload = utf8Length(text);
  return payload + (payload > 125 ? 4 : 2) + 4;
}

export class WebSocketTransport extends BaseTransport {
  readonly kind = 'websocket' as const;
  readonly capabilities: TransportCapabilities;
  private readonly foreign: WebSocketTransportOptions['foreign'];
  private everOpened = false;
  private socket: WebSocket | null = null;
  private complete = false;
  private stopped = false;
  private gotFrameSinceOpen = false;
  /** The lab's own messages (readLabMessage) land here. */
  private readonly lab: LabMessageTarget = {
    frame: (at, frame, bytes) => {
      this.gotFrame();
      this.noteSeq(frame.seq);
      this.deliverFrame(at, frame, bytes);
    },
    done: () => {
      this.complete = true;
    },
    emit: (event) => this.emit(event),
  };
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
    this.foreign = options.foreign;
    this.capabilities = this.foreign
      ? { cancel: 'close', chat: 'none', rtt: 'none', reconnect: 'backoff' }
      : { cancel: 'in-band', chat: 'in-band', rtt: 'ping', reconnect: 'backoff' };
  }

  /** Changes the reconnect loop's state and reports it (a 'reconnect-info' event) when it changed. */
  private updateInfo(patch: Partial<ReconnectInfo>): void {
    const next = { ...this.info, ...patch };
    const changed =
      next.attempts !== this.info.attempts ||
      next.nextAttemptAt !== this.info.nextAttemptAt ||
      next.nextDelayMs !== this.info.nextDelayMs ||
      next.lastClose !== this.info.lastClose;
    this.info = next;
    if (changed) this.emit({ type: 'reconnect-info', at: preciseNow(), info: { ...next } });
  }

  connect(): void {
    if (this.socket || this.stopped) return;
    globalThis.addEventListener?.('online', this.onOnline);
    this.open();
  }

  reconnect(): void {
    if (this.socket || this.timer !== null || this.complete || this.stopped || this.state !== 'closed') return;
    this.backoff.reset();
    this.updateInfo({ attempts: 0 });
    globalThis.addEventListener?.('online', this.onOnline);
    this.open();
  }

  /** A connection that delivers is a good one: the next failure starts from the base delay. */
  private gotFrame(): void {
    if (this.gotFrameSinceOpen) return;
    this.gotFrameSinceOpen = true;
    this.backoff.reset();
    this.updateInfo({ attempts: 0 });
  }

  private open(): void {
    this.updateInfo({ nextAttemptAt: null, nextDelayMs: null });
    if (this.state !== 'reconnecting') this.setState('connecting');
    let socket: WebSocket;
    try {
      socket = new this.Impl(this.urlFor(this.lastSeq));
    } catch (error) {
      this.fail(issue('ws.cannotOpen', { error: errorText(error) }));
      return;
    }
    this.socket = socket;
    // Binary frames (the `binary` scenario) arrive as ArrayBuffer, not Blob: no async read needed.
    socket.binaryType = 'arraybuffer';
    this.gotFrameSinceOpen = false;

    socket.onopen = () => {
      const at = preciseNow();
      this.everOpened = true;
      this.setState('open');
      this.emit({ type: 'open', at });
      for (const text of this.foreign?.sendOnOpen ?? []) socket.send(text);
    };

    socket.onmessage = (event: MessageEvent<unknown>) => {
      const at = preciseNow();
      const foreign = this.foreign;
      if (foreign) {
        const binary = event.data instanceof ArrayBuffer;
        const text = typeof event.data === 'string' ? event.data : null;
        if (!binary && text === null) {
          this.emit({ type: 'error', at, issue: issue('ws.notTextOrBinary', {}) });
          return;
        }
        const frame = text === null ? binaryForeign((event.data as ArrayBuffer).byteLength) : decodeForeign(text, foreign.mapping);
        this.gotFrame();
        if (frame.seq !== null) this.noteSeq(frame.seq);
        this.emit({ type: 'frame', at, frame, bytes: text === null ? (event.data as ArrayBuffer).byteLength : utf8Length(text) });
        return;
      }
      readLabMessage(at, event.data, this.lab);
    };

    socket.onerror = () => {
      // Always followed by a close event, which carries the code; nothing to add here.
    };

    socket.onclose = (event: CloseEvent) => {
      const at = preciseNow();
      if (this.socket !== socket) return;
      this.socket = null;
      const close = { code: event.code, reason: event.reason ?? '' };
      this.updateInfo({ lastClose: close });
      if (this.complete || event.code === 1000) {
        this.stopListening();
        this.finish(at, { kind: 'complete' });
        return;
      }
      if (this.foreign && !this.everOpened) {
        this.fail(issue('ws.neverOpened', { close }), event.code);
        return;
      }
      if (!RECONNECT_CODES.has(event.code)) {
        this.fail(issue('ws.fatalClose', { close }), event.code);
        return;
      }
      const delay = this.backoff.next();
      if (delay === null) {
        this.fail(issue('ws.gaveUp', { attempts: this.backoff.attempts, close }), event.code);
        return;
      }
      this.updateInfo({ attempts: this.backoff.attempts, nextAttemptAt: at + delay, nextDelayMs: delay });
      this.setState('reconnecting');
      this.emit({ type: 'reconnecting', at, attempt: this.backoff.attempts, delayMs: delay, code: close.code, reason: close.reason });
      this.timer = setTimeout(() => {
        this.timer = null;
        this.open();
      }, delay);
    };
  }

  private fail(what: TransportIssue, code?: number): void {
    this.stopListening();
    this.failWith(preciseNow(), what, code);
  }

  private stopListening(): void {
    globalThis.removeEventListener?.('online', this.onOnline);
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.updateInfo({ nextAttemptAt: null, nextDelayMs: null });
  }

  /**
   * "Stop generating" on the same socket: the server stops the stream and answers `cancelled` (a
   * 'cancelled' event); the connection stays open for the next request. Without an open socket there
   * is nothing to cancel in band: the transport closes.
   */
  override cancel(): 'in-band' | 'closed' {
    if (this.foreign || this.socket?.readyState !== 1) {
      this.close();
      return 'closed';
    }
    this.socket.send(JSON.stringify({ type: 'cancel' }));
    return 'in-band';
  }

  /** A user message on the stream's own socket: a 'chat-sent' event with the bytes it cost; nothing when closed. */
  override sendChat(message: ChatMessage): void {
    if (this.foreign || this.socket?.readyState !== 1) return;
    const text = JSON.stringify(message);
    this.socket.send(text);
    this.emit({ type: 'chat-sent', at: preciseNow(), id: message.id, bytes: clientFrameBytes(text) });
  }

  /** The agent loop's tool result on the socket that holds the session: an 'agent-sent' with its bytes. */
  override sendToolResult(result: ToolResultMessage): void {
    if (this.socket?.readyState !== 1) return;
    const at = preciseNow();
    const text = JSON.stringify({ ...result, t: at });
    this.socket.send(text);
    this.emit({ type: 'agent-sent', at, turn: result.turn, bytes: clientFrameBytes(text) });
  }

  /** Sends a ping; the pong's echo of `t` gives the round-trip time (a 'pong' event). */
  override ping(): void {
    if (this.foreign || this.socket?.readyState !== 1) return;
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
