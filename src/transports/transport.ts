/**
 * One interface for every way the lab receives a stream. A transport has a state value and emits a
 * typed event union; it never touches React. The receive time is stamped before anything else.
 */
import type { Frame } from '../protocol/frame.ts';

export type TransportKind = 'eventsource' | 'websocket';

export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

/** Why a transport ended up closed. */
export type CloseReason =
  | { kind: 'complete' }
  | { kind: 'stopped' }
  | { kind: 'failed'; message: string; code?: number };

export type TransportEvent =
  | { type: 'open'; at: number }
  | { type: 'frame'; at: number; frame: Frame; bytes: number }
  | { type: 'error'; at: number; message: string }
  | { type: 'reconnecting'; at: number }
  | { type: 'closed'; at: number; reason: CloseReason };

export type TransportListener = (event: TransportEvent) => void;

export interface Transport {
  readonly kind: TransportKind;
  readonly state: ConnectionState;
  connect(): void;
  /** Closes for good, by the user's hand. */
  close(): void;
  subscribe(listener: TransportListener): () => void;
}

/** Shared plumbing: the state value and the listener list. */
export abstract class BaseTransport implements Transport {
  abstract readonly kind: TransportKind;
  private listeners = new Set<TransportListener>();
  private current: ConnectionState = 'idle';

  get state(): ConnectionState {
    return this.current;
  }

  abstract connect(): void;
  abstract close(): void;

  subscribe(listener: TransportListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
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
