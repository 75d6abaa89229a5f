/**
 * WebSocketStream (Chromium since 124, also in workers): the same WebSocket protocol and the same
 * server endpoint as the WebSocket lane, read through a WHATWG ReadableStream instead of `onmessage`.
 * The difference is backpressure: the page reads a message only when it is free (see
 * slow-consumer.ts); until then the browser stops reading the socket, TCP's window closes, and the
 * queue moves to the sender, whose `ws` buffer fills until its player pauses. The plain WebSocket API
 * has no such thing: its messages are delivered whether the page is ready or not.
 *
 * Like the WebSocket lane: one JSON text (or binary) message per frame, ping/pong, in-band cancel and
 * chat on the writable side, the lab's backoff loop after an abnormal close, resuming with `?after=`.
 * Feature-detected: without `WebSocketStream` the lane says so ('wss.unsupported'). In Mock mode it
 * says it needs Live ('wss.needsLive'): MSW's `ws.link()` patches `WebSocket` only, so a
 * WebSocketStream would go past the mock to whatever server answers.
 */
import { preciseNow, type ChatMessage, type PingMessage } from '../protocol/frame.ts';
import { Backoff, defaultBackoff, type BackoffPolicy } from './backoff.ts';
import { BaseTransport, errorText, issue, type ReconnectInfo, type TransportCapabilities, type TransportIssue } from './transport.ts';
import { RECONNECT_CODES, clientFrameBytes, readLabMessage, type LabMessageTarget } from './websocket-transport.ts';

/** The parts of WebSocketStream the lane uses (not yet in TypeScript's DOM library). */
export interface WebSocketStreamLike {
  readonly opened: Promise<{ readable: ReadableStream<unknown>; writable: WritableStream<string | BufferSource> }>;
  readonly closed: Promise<{ closeCode?: number; reason?: string }>;
  close(info?: { closeCode?: number; reason?: string }): void;
}

export type WebSocketStreamConstructor = new (url: string, options?: { signal?: AbortSignal }) => WebSocketStreamLike;

/** The browser's WebSocketStream, where it has one. */
export function nativeWebSocketStream(): WebSocketStreamConstructor | null {
  const ctor = (globalThis as { WebSocketStream?: WebSocketStreamConstructor }).WebSocketStream;
  return typeof ctor === 'function' ? ctor : null;
}

export interface WebSocketStreamTransportOptions {
  backoff?: BackoffPolicy;
  /** Defaults to the global WebSocketStream (null: this browser has none). */
  WebSocketStreamImpl?: WebSocketStreamConstructor | null;
  /** Mock mode: the lane cannot be mocked and says so instead of reaching past the mock. */
  mock?: boolean;
  random?: () => number;
}

interface Connection {
  stream: WebSocketStreamLike;
  writer: WritableStreamDefaultWriter<string | BufferSource> | null;
  reader: ReadableStreamDefaultReader<unknown> | null;
  /** Set when the lab closes it (stop, superseded): its end is not a loss. */
  abandoned: boolean;
}

export class WebSocketStreamTransport extends BaseTransport {
  readonly kind = 'websocket-stream' as const;
  readonly capabilities: TransportCapabilities = { cancel: 'in-band', chat: 'in-band', rtt: 'ping', reconnect: 'backoff' };
  private connection: Connection | null = null;
  private complete = false;
  private stopped = false;
  private gotFrameSinceOpen = false;
  /** The lab's own messages (readLabMessage, shared with the WebSocket lane) land here. */
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
  private readonly Impl: WebSocketStreamConstructor | null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private info: ReconnectInfo = { attempts: 0, nextAttemptAt: null, nextDelayMs: null, lastClose: null };

  constructor(
    private readonly urlFor: (after: number) => string,
    private readonly options: WebSocketStreamTransportOptions = {},
  ) {
    super();
    this.backoff = new Backoff(options.backoff ?? defaultBackoff, options.random);
    this.Impl = options.WebSocketStreamImpl === undefined ? nativeWebSocketStream() : options.WebSocketStreamImpl;
  }

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
    if (this.connection || this.stopped) return;
    if (this.options.mock) {
      this.failWith(preciseNow(), issue('wss.needsLive', {}));
      return;
    }
    if (!this.Impl) {
      this.failWith(preciseNow(), issue('wss.unsupported', {}));
      return;
    }
    void this.open(this.Impl);
  }

  reconnect(): void {
    if (this.connection || this.timer !== null || this.complete || this.stopped || this.state !== 'closed') return;
    if (this.options.mock || !this.Impl) return;
    this.backoff.reset();
    this.updateInfo({ attempts: 0 });
    void this.open(this.Impl);
  }

  private async open(Impl: WebSocketStreamConstructor): Promise<void> {
    this.updateInfo({ nextAttemptAt: null, nextDelayMs: null });
    if (this.state !== 'reconnecting') this.setState('connecting');
    let stream: WebSocketStreamLike;
    try {
      stream = new Impl(this.urlFor(this.lastSeq));
    } catch (error) {
      this.fail(issue('wss.broke', { error: errorText(error) }));
      return;
    }
    const connection: Connection = { stream, writer: null, reader: null, abandoned: false };
    this.connection = connection;
    this.gotFrameSinceOpen = false;
    // Always observe `closed`, so a failed handshake is not an unhandled rejection.
    const closed = stream.closed.then(
      (info) => ({ code: info.closeCode ?? 1005, reason: info.reason ?? '' }),
      () => ({ code: 1006, reason: '' }),
    );

    try {
      const { readable, writable } = await stream.opened;
      if (connection.abandoned) return;
      connection.writer = writable.getWriter();
      connection.reader = readable.getReader();
      this.setState('open');
      this.emit({ type: 'open', at: preciseNow() });
      await this.read(connection, connection.reader);
    } catch {
      // A refused handshake or a broken connection: `closed` says how it ended.
    }
    if (connection.abandoned) return;
    this.ended(connection, await closed);
  }

  /** Reads one message at a time, and only when the page is free: the rest waits in TCP. */
  private async read(connection: Connection, reader: ReadableStreamDefaultReader<unknown>): Promise<void> {
    for (;;) {
      const busy = this.consumer.whenIdle();
      if (busy) await busy;
      if (connection.abandoned) return;
      const { done, value } = await reader.read();
      const at = preciseNow();
      if (done || connection.abandoned) return;
      readLabMessage(at, value, this.lab);
    }
  }

  private gotFrame(): void {
    if (this.gotFrameSinceOpen) return;
    this.gotFrameSinceOpen = true;
    this.backoff.reset();
    this.updateInfo({ attempts: 0 });
  }

  /** The connection is gone: complete, fatal, or a retry after the backoff delay (as the WebSocket lane). */
  private ended(connection: Connection, close: { code: number; reason: string }): void {
    if (this.connection !== connection) return;
    this.connection = null;
    const at = preciseNow();
    this.updateInfo({ lastClose: close });
    if (this.complete || close.code === 1000) {
      this.stopTimer();
      this.finish(at, { kind: 'complete' });
      return;
    }
    if (!RECONNECT_CODES.has(close.code)) {
      this.fail(issue('ws.fatalClose', { close }), close.code);
      return;
    }
    const delay = this.backoff.next();
    if (delay === null) {
      this.fail(issue('ws.gaveUp', { attempts: this.backoff.attempts, close }), close.code);
      return;
    }
    this.updateInfo({ attempts: this.backoff.attempts, nextAttemptAt: at + delay, nextDelayMs: delay });
    this.setState('reconnecting');
    this.emit({ type: 'reconnecting', at, attempt: this.backoff.attempts, delayMs: delay, code: close.code, reason: close.reason });
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.Impl && !this.stopped) void this.open(this.Impl);
    }, delay);
  }

  private fail(what: TransportIssue, code?: number): void {
    this.stopTimer();
    this.failWith(preciseNow(), what, code);
  }

  private stopTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.updateInfo({ nextAttemptAt: null, nextDelayMs: null });
  }

  /** Writes a text message on the open connection; false when there is none. */
  private send(text: string): boolean {
    const writer = this.connection?.writer;
    if (!writer || this.state !== 'open') return false;
    writer.write(text).catch(() => {
      // The connection broke; the read side reports it.
    });
    return true;
  }

  override cancel(): 'in-band' | 'closed' {
    if (!this.send(JSON.stringify({ type: 'cancel' }))) {
      this.close();
      return 'closed';
    }
    return 'in-band';
  }

  override sendChat(message: ChatMessage): void {
    const text = JSON.stringify(message);
    if (this.send(text)) this.emit({ type: 'chat-sent', at: preciseNow(), id: message.id, bytes: clientFrameBytes(text) });
  }

  override ping(): void {
    const ping: PingMessage = { type: 'ping', t: preciseNow() };
    this.send(JSON.stringify(ping));
  }

  close(): void {
    this.stopped = true;
    this.stopTimer();
    const connection = this.connection;
    this.connection = null;
    if (connection) {
      connection.abandoned = true;
      try {
        connection.stream.close({ closeCode: 1000, reason: 'stopped by the user' });
      } catch {
        // Already closing.
      }
    }
    this.finish(preciseNow(), { kind: 'stopped' });
  }
}
