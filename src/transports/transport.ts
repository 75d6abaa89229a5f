/**
 * One interface for every way the lab receives a stream. A transport has a state value and emits a
 * typed event union; it never touches React. The receive time is stamped before anything else.
 */
import type { Frame, ReplyMessage } from '../protocol/frame.ts';
import type { MessageKey } from '../i18n/en.ts';
import { localText, type LocalText, type TextVars } from '../i18n/local-text.ts';

export type TransportKind = 'eventsource' | 'fetch-sse' | 'websocket' | 'short-poll' | 'long-poll';

export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

/**
 * A message for the page: a key and its variables, translated where it is shown (so a language switch
 * also changes messages already written), or a string shown as it is (a server's or browser's words).
 */
export type TransportMessage = LocalText | string;

/** Why a transport ended up closed. */
export type CloseReason =
  | { kind: 'complete' }
  | { kind: 'stopped' }
  | { kind: 'failed'; message: TransportMessage; code?: number };

export type TransportEvent =
  | { type: 'open'; at: number }
  | { type: 'frame'; at: number; frame: Frame; bytes: number }
  | { type: 'error'; at: number; message: TransportMessage }
  /** Polling: one request answered. */
  | { type: 'poll'; at: number; requestBytes: number; responseHeadBytes: number; frames: number }
  /** The answer to a chat message the page sent. */
  | { type: 'reply'; at: number; reply: ReplyMessage }
  /** The connection is lost and a new attempt is planned (by the browser or by the lab). */
  | {
      type: 'reconnecting';
      at: number;
      /** 1-based retry number since the last good connection. */
      attempt: number;
      /** Wait before the attempt, when known (EventSource: the server's retry). */
      delayMs: number | null;
      /** WebSocket close code and reason of the connection that was lost. */
      code?: number;
      reason?: string;
    }
  | { type: 'closed'; at: number; reason: CloseReason };

export type TransportListener = (event: TransportEvent) => void;

export interface Transport {
  readonly kind: TransportKind;
  readonly state: ConnectionState;
  /** Highest seq received with nothing missing before it: where a resume continues from. */
  readonly lastSeq: number;
  connect(): void;
  /** After the transport gave up (closed, failed): try again, resuming after `lastSeq`. */
  reconnect(): void;
  /** Closes for good, by the user's hand. */
  close(): void;
  subscribe(listener: TransportListener): () => void;
}

/** Shared plumbing: the state value and the listener list. */
export abstract class BaseTransport implements Transport {
  abstract readonly kind: TransportKind;
  private listeners = new Set<TransportListener>();
  private current: ConnectionState = 'idle';
  private contiguous = 0;

  /** A message for the page, translated where it is shown. */
  protected text(key: MessageKey, vars?: TextVars): LocalText {
    return localText(key, vars);
  }

  get state(): ConnectionState {
    return this.current;
  }

  get lastSeq(): number {
    return this.contiguous;
  }

  abstract connect(): void;
  abstract reconnect(): void;
  abstract close(): void;

  /** Call for every frame received: advances the resume point while nothing is missing. */
  protected noteSeq(seq: number): void {
    if (seq === this.contiguous + 1) this.contiguous = seq;
  }

  subscribe(listener: TransportListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * True when every frame of a finite stream is in (`total` from the scenario; null when endless). Then
   * a connection that ends, or a server that answers a resume with 204, ends a complete stream: it is
   * no failure, though the lab's `done` event was cut off.
   */
  protected hasAll(total: number | null | undefined): boolean {
    return total !== null && total !== undefined && this.contiguous >= total;
  }

  protected setState(state: ConnectionState): void {
    this.current = state;
  }

  protected emit(event: TransportEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  protected finish(at: number, reason: CloseReason): void {
    if (this.current === 'closed') return;
    this.current = 'closed';
    this.emit({ type: 'closed', at, reason });
  }
}

/** Frames and server messages are small JSON texts; this trims one for an error message. */
export function quote(text: string, max = 60): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}
