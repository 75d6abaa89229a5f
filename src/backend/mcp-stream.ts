/**
 * MCP's SSE streams and the connections that carry them (Streamable HTTP, "Resumability and
 * redelivery"). A stream outlives its connection: every message gets the id `<stream>-<n>`, which
 * names its stream (as revision 2025-11-25 asks) and is unique in the session; the stream keeps its
 * messages, so a GET with `Last-Event-ID: <stream>-<n>` gets the messages after n again on a new
 * connection, and then the rest as they come. The only messages replayed are the ones of that stream.
 *
 * A connection may be asked to drop after N messages (`?drop=N`): the N-th message is written, and
 * once it has left the socket is cut, as a network failure would.
 */
import type { Timers } from '../protocol/player.ts';
import { encodeSseComment, encodeSseEvent, encodeSseRetry } from '../protocol/sse-encoding.ts';

/** How the adapter writes one SSE response. */
export interface McpSink {
  /** Writes SSE text; `flushed` runs once it has left (the adapter may cut then). */
  write(text: string, flushed?: () => void): void;
  /** Ends the response cleanly. */
  end(): void;
  /** Cuts the connection abruptly: no clean end (what a network failure looks like). */
  cut(): void;
}

export interface ConnectionOptions {
  /** Cut the connection after this many messages (replayed ones included); null: never. */
  dropAfter: number | null;
  /** A comment every so often on a long-lived stream (GET), so idle proxies keep it; 0: none. */
  heartbeatMs: number;
  timers: Timers;
}

/** One HTTP response that carries SSE. */
export class SseConnection {
  private messages = 0;
  private done = false;
  private heartbeat: unknown = null;
  /** Called once when the connection can carry nothing more (ended, cut, dropped, or gone). */
  onGone: () => void = () => {};

  constructor(
    private readonly sink: McpSink,
    private readonly options: ConnectionOptions,
  ) {
    this.armHeartbeat();
  }

  get open(): boolean {
    return !this.done;
  }

  /** `retry:` for the client's reconnection delay. */
  retry(ms: number): void {
    if (!this.done) this.sink.write(encodeSseRetry(ms));
  }

  /** An event that is not a message (the priming event, the legacy `endpoint` event). */
  raw(text: string): void {
    if (!this.done) this.sink.write(text);
  }

  /** Writes one message event; with `dropAfter`, the N-th is the last this connection carries. */
  message(text: string): void {
    if (this.done) return;
    this.messages++;
    if (this.options.dropAfter !== null && this.messages >= this.options.dropAfter) {
      this.settle();
      // Cut once the text has left: the response is corked until the next tick, so cutting now
      // would discard it and the client would see fewer than N messages.
      this.sink.write(text, () => this.sink.cut());
      return;
    }
    this.sink.write(text);
  }

  /** Ends the response cleanly (the stream is complete, or the session ended). */
  end(): void {
    if (this.settle()) this.sink.end();
  }

  /** Cuts it abruptly (another connection took the stream over). */
  cut(): void {
    if (this.settle()) this.sink.cut();
  }

  /** The client went away (the adapter saw the connection close). */
  closed(): void {
    this.settle();
  }

  private settle(): boolean {
    if (this.done) return false;
    this.done = true;
    if (this.heartbeat !== null) this.options.timers.clearTimeout(this.heartbeat);
    this.heartbeat = null;
    this.onGone();
    return true;
  }

  private armHeartbeat(): void {
    if (this.options.heartbeatMs <= 0) return;
    this.heartbeat = this.options.timers.setTimeout(() => {
      this.heartbeat = null;
      if (this.done) return;
      this.sink.write(encodeSseComment('keep-alive'));
      this.armHeartbeat();
    }, this.options.heartbeatMs);
  }
}

/** One SSE stream of a session: a POST's answer, or the session's GET stream. */
export class EventStream {
  /** Messages kept for replay; `dropped` older ones were let go (the session's replay budget). */
  private events: string[] = [];
  private dropped = 0;
  /** The highest n written to some connection. */
  private sent = 0;
  private connection: SseConnection | null = null;
  /** Every message it will carry has been pushed (the POST's answers are in). */
  finished = false;

  constructor(
    readonly no: number,
    /** The GET stream: it never finishes while the session lives. */
    readonly standalone: boolean,
  ) {}

  /** n of the newest message. */
  get last(): number {
    return this.dropped + this.events.length;
  }

  get kept(): number {
    return this.events.length;
  }

  get attached(): boolean {
    return this.connection !== null;
  }

  /** Every message has been written to some connection. */
  get delivered(): boolean {
    return this.sent >= this.last;
  }

  /** Where a connection without Last-Event-ID starts: after what some connection has had (or let go). */
  get cursor(): number {
    return Math.max(this.sent, this.dropped);
  }

  /** Adds a message (written at once if a connection carries the stream). */
  push(message: unknown): void {
    const n = this.last + 1;
    const text = encodeSseEvent({ id: `${this.no}-${n}`, event: 'message', data: JSON.stringify(message) });
    this.events.push(text);
    if (this.connection !== null) {
      this.connection.message(text);
      this.sent = n;
    }
  }

  /** No more messages: a connection carrying it ends once it has them all. */
  finish(): void {
    this.finished = true;
    this.connection?.end();
  }

  /** Lets the oldest kept message go. */
  dropOldest(): void {
    if (this.events.length === 0) return;
    this.events.shift();
    this.dropped++;
  }

  /**
   * A connection takes the stream over: it gets the messages after `after` (the client's
   * Last-Event-ID; null: those no connection has had yet), then the rest as they come. A connection
   * still attached is cut (the client has moved on from it).
   */
  attach(connection: SseConnection, after: number | null): void {
    this.connection?.cut();
    this.connection = connection;
    connection.onGone = () => {
      if (this.connection === connection) this.connection = null;
    };
    for (let n = Math.max(after ?? this.cursor, this.dropped) + 1; n <= this.last && connection.open; n++) {
      connection.message(this.events[n - this.dropped - 1]);
      this.sent = Math.max(this.sent, n);
    }
    if (this.finished) connection.end();
  }

  /** The session ends: a connection still carrying the stream ends cleanly. */
  close(): void {
    this.finished = true;
    this.connection?.end();
  }
}

/** `<stream>-<n>` → its parts, or null for anything else. */
export function parseEventId(raw: string): { stream: number; n: number } | null {
  const match = /^(\d{1,9})-(\d{1,9})$/.exec(raw.trim());
  return match ? { stream: Number(match[1]), n: Number(match[2]) } : null;
}

/**
 * The priming event (revision 2025-11-25): an id and empty data, so the client can resume at once.
 * Its id is the stream's cursor: `<stream>-0` on a new stream.
 */
export function primingEvent(stream: EventStream): string {
  return encodeSseEvent({ id: `${stream.no}-${stream.cursor}`, data: '' });
}
