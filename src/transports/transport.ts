/**
 * One interface for every way the lab receives a stream. A transport has a state value and emits one
 * typed event union; it never touches React and never words anything: what goes wrong is a code and
 * its values (`TransportIssue`), worded by the page where it is shown. The receive time is stamped
 * before anything else.
 *
 * What a transport can do beyond receiving is data (`capabilities`), and each action is a method of the
 * common interface whose outcome comes back as an event: the run needs to know no transport class.
 */
import { preciseNow, type ChatMessage, type ReplyMessage } from '../protocol/frame.ts';
import type { LaneFrame } from '../protocol/foreign-frame.ts';
import type { StreamTransport } from '../protocol/faults.ts';
import type { ToolResultMessage } from '../protocol/agent.ts';
import { SlowConsumer, type FrameConsumer } from './slow-consumer.ts';

export type TransportKind = 'eventsource' | 'fetch-sse' | 'websocket' | 'websocket-stream' | 'short-poll' | 'long-poll';

export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

/** A WebSocket close as the browser reported it. */
export interface CloseInfo {
  code: number;
  reason: string;
}

/** The values each issue carries, by code. */
export interface TransportIssueParams {
  /** A frame that does not parse; `data` is the frame's text, quoted and trimmed. */
  'frame.invalid': { data: string };
  /** An HTTP answer that is not a stream: status, status text ('' when none) and the server's reason. */
  http: { status: number; statusText: string; reason: string | null };
  'es.cannotOpen': { error: string };
  /** EventSource closed for good (an HTTP error or a wrong content type); it says nothing about why. */
  'es.gaveUp': Record<string, never>;
  /** URL mode: EventSource never got a connection (it would retry forever); it says nothing about why. */
  'es.neverOpened': Record<string, never>;
  'fetch.requestFailed': { error: string };
  'fetch.noContent': Record<string, never>;
  /** The answer's content type; null when it had none. */
  'fetch.contentType': { type: string | null };
  'fetch.noBody': Record<string, never>;
  'fetch.broke': { error: string };
  'fetch.endedEarly': Record<string, never>;
  /** The provider's own error event after the 200 (an `{"error":…}` chunk, `event: error`, `response.failed`). */
  'fetch.providerError': { message: string };
  /** The stream was lost and fetch does not reconnect by itself. */
  'fetch.noReconnect': { cause: TransportIssue };
  'ws.cannotOpen': { error: string };
  'ws.badBinary': { error: string };
  'ws.notTextOrBinary': Record<string, never>;
  'ws.invalid': { data: string };
  /** An `error` message from the server. */
  'ws.server': { error: string };
  /** A close code that retrying would not cure (1002, 1003, 1007, 1008…). */
  'ws.fatalClose': { close: CloseInfo };
  'ws.gaveUp': { attempts: number; close: CloseInfo };
  /** URL mode: the socket closed before it ever opened (the browser reports 1006 whatever the cause). */
  'ws.neverOpened': { close: CloseInfo };
  'poll.failed': { error: string };
  /** This browser has no WebSocketStream (Chromium has it since 124). */
  'wss.unsupported': Record<string, never>;
  /** Mock mode: MSW patches WebSocket, not WebSocketStream, so the lane needs the live server. */
  'wss.needsLive': Record<string, never>;
  /** The WebSocketStream's `opened` or a read rejected (the close code, when the browser gave one). */
  'wss.broke': { error: string };
  /** A chat message's side-channel request was answered with an error status. */
  'chat.http': { id: string; status: number; error: string | null };
  'chat.failed': { id: string; error: string };
}

export type TransportIssueCode = keyof TransportIssueParams;

/** What went wrong, as a code and its values; the page words it (src/features/lanes/lane-words.ts). */
export type TransportIssue = { [C in TransportIssueCode]: { code: C; params: TransportIssueParams[C] } }[TransportIssueCode];

export function issue<C extends TransportIssueCode>(code: C, params: TransportIssueParams[C]): TransportIssue {
  return { code, params } as TransportIssue;
}

/** Why a transport ended up closed. */
export type CloseReason =
  | { kind: 'complete' }
  | { kind: 'stopped' }
  | { kind: 'failed'; issue: TransportIssue; code?: number };

/** The lab's own WebSocket reconnect loop, as it stands. */
export interface ReconnectInfo {
  /** Retries since the last good connection. */
  attempts: number;
  /** When the planned attempt starts (same clock as preciseNow), or null if none is planned. */
  nextAttemptAt: number | null;
  /** Delay of the planned attempt. */
  nextDelayMs: number | null;
  lastClose: CloseInfo | null;
}

export type TransportEvent =
  | { type: 'open'; at: number }
  /** A lab frame, or (URL mode) someone else's message with the seq and t its mapping found, if any. */
  | { type: 'frame'; at: number; frame: LaneFrame; bytes: number }
  | { type: 'error'; at: number; issue: TransportIssue }
  /** Polling: one request answered. */
  | { type: 'poll'; at: number; requestBytes: number; responseHeadBytes: number; frames: number }
  /** A user message left: `bytes` it cost on the way up; `connection` (side channel only) is the
   *  server's number of the HTTP connection that carried it. */
  | { type: 'chat-sent'; at: number; id: string; bytes: number; connection?: number }
  /**
   * The agent loop: a turn left (`turn` 0: the first request, carrying the task; k: tool result k),
   * sent at `at`; `bytes` it cost on the way up (an HTTP request: head + body as the server counted
   * them); `connection`, for an HTTP request, the server's number of the connection that carried it.
   */
  | { type: 'agent-sent'; at: number; turn: number; bytes: number; connection?: number }
  /** The answer to a chat message the page sent. */
  | { type: 'reply'; at: number; reply: ReplyMessage }
  /** The answer to `ping()`: the round-trip time of that ping. */
  | { type: 'pong'; at: number; rttMs: number }
  /** The server's answer to an in-band `cancel()`: when it stopped, and the last seq it sent. */
  | { type: 'cancelled'; at: number; serverStoppedAt: number; lastSeq: number }
  /** The connection is lost and a retry is scheduled (by the browser or by the lab). */
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
  /** The lab's reconnect loop changed (capability `reconnect: 'backoff'`): its whole state. */
  | { type: 'reconnect-info'; at: number; info: ReconnectInfo }
  | { type: 'closed'; at: number; reason: CloseReason };

export type TransportListener = (event: TransportEvent) => void;

/** What a transport can do besides receiving, as data: the run reads these, never the class. */
export interface TransportCapabilities {
  /**
   * How "Stop generating" reaches the sender: a cancel message on the open connection, which stays
   * open for the next request ('in-band'), or closing the connection ('close').
   */
  readonly cancel: 'in-band' | 'close';
  /**
   * How a user message goes up: on the stream's own connection ('in-band'), as a separate HTTP
   * request whose answer comes down the stream ('side-channel'), or not at all ('none').
   */
  readonly chat: 'in-band' | 'side-channel' | 'none';
  /** A round-trip probe on the connection: `ping()` answered by a 'pong' event. */
  readonly rtt: 'ping' | 'none';
  /**
   * Who reconnects after a loss: the lab's backoff loop ('backoff', reported by 'reconnect-info'), the
   * client at the SSE `retry` ('sse-retry'), or the poll loop ('poll').
   */
  readonly reconnect: 'backoff' | 'sse-retry' | 'poll';
}

/** Where a side-channel chat message goes: POSTed with the run and the server's name of the stream. */
export interface ChatSideChannel {
  url: string;
  run: string;
  transport: StreamTransport;
}

export interface Transport {
  readonly kind: TransportKind;
  readonly capabilities: TransportCapabilities;
  readonly state: ConnectionState;
  /** Highest seq received with nothing missing before it: where a resume continues from. */
  readonly lastSeq: number;
  connect(): void;
  /** After the transport gave up (closed, failed): try again, resuming after `lastSeq`. */
  reconnect(): void;
  /** Closes for good, by the user's hand. */
  close(): void;
  /**
   * "Stop generating". In band when the capability says so and the connection is open (the server
   * answers with a 'cancelled' event); otherwise the transport closes. Says which it did.
   */
  cancel(): 'in-band' | 'closed';
  /** Sends a user message as the `chat` capability says; a 'chat-sent' or 'error' event tells how it went. */
  sendChat(message: ChatMessage): void;
  /** Probes the round trip when the `rtt` capability is 'ping'; the answer is a 'pong' event. */
  ping(): void;
  /**
   * The agent loop: sends tool result k as the transport can (WebSocket: on its socket; EventSource:
   * the side channel; fetch + SSE: the next turn's POST). An 'agent-sent' or 'error' event tells how
   * it went. Transports that cannot answer a tool call ignore it.
   */
  sendToolResult(result: ToolResultMessage): void;
  subscribe(listener: TransportListener): () => void;
  /**
   * Puts a consumer between the receive path and the listeners (the slow-consumer setting, see
   * slow-consumer.ts): frame events then carry the moment the page got to the frame. Call before connect.
   */
  setConsumer(consumer: FrameConsumer): void;
}

/** Shared plumbing: the state value, the listener list and the defaults of the optional actions. */
export abstract class BaseTransport implements Transport {
  abstract readonly kind: TransportKind;
  abstract readonly capabilities: TransportCapabilities;
  private listeners = new Set<TransportListener>();
  private current: ConnectionState = 'idle';
  private contiguous = 0;
  private ending = false;
  /** By default the page keeps up: every frame is handled as it arrives. */
  protected consumer: FrameConsumer = new SlowConsumer(0);

  setConsumer(consumer: FrameConsumer): void {
    this.consumer = consumer;
  }

  /** A frame arrived at `arrivedAt`: its 'frame' event goes out when the page gets to it. */
  protected deliverFrame(arrivedAt: number, frame: LaneFrame, bytes: number): void {
    this.consumer.offer(arrivedAt, (at) => this.emit({ type: 'frame', at, frame, bytes }));
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

  /** Without an in-band cancel, closing is the only way to stop the sender. */
  cancel(): 'in-band' | 'closed' {
    this.close();
    return 'closed';
  }

  sendChat(message: ChatMessage): void {
    void message;
  }

  ping(): void {}

  sendToolResult(result: ToolResultMessage): void {
    void result;
  }

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

  /**
   * The transport is closed. A stream that ended (complete, failed) is closed for the page once the
   * page has got through the frames it still holds; closing by the user's hand drops them.
   */
  protected finish(at: number, reason: CloseReason): void {
    if (this.current === 'closed') return;
    if (reason.kind === 'stopped') {
      this.ending = false;
      this.consumer.clear();
      this.current = 'closed';
      this.emit({ type: 'closed', at, reason });
      return;
    }
    if (this.ending) return;
    this.ending = true;
    let waited = false;
    this.consumer.afterQueue(() => {
      if (!this.ending || this.current === 'closed') return;
      this.ending = false;
      this.current = 'closed';
      this.emit({ type: 'closed', at: waited ? preciseNow() : at, reason });
    });
    waited = true;
  }

  /** Reports an issue that ends the transport: an 'error' event, then 'closed' as failed. */
  protected failWith(at: number, what: TransportIssue, code?: number): void {
    this.emit({ type: 'error', at, issue: what });
    this.finish(at, code === undefined ? { kind: 'failed', issue: what } : { kind: 'failed', issue: what, code });
  }

  /**
   * A user message on the side channel: POST it with the run and the stream's server name; the answer
   * comes down the stream as a reply. Reports 'chat-sent' with the request's bytes as the server counted
   * them, or an 'error'.
   */
  protected async postChat(channel: ChatSideChannel, message: ChatMessage, fetchImpl: typeof fetch): Promise<void> {
    const { id } = message;
    try {
      const response = await fetchImpl(channel.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...message, run: channel.run, transport: channel.transport }),
      });
      const body = (await response.json().catch(() => ({}))) as { requestBytes?: unknown; connection?: unknown; error?: unknown };
      const at = preciseNow();
      if (!response.ok) {
        const error = typeof body.error === 'string' ? body.error : null;
        this.emit({ type: 'error', at, issue: issue('chat.http', { id, status: response.status, error }) });
        return;
      }
      this.emit({
        type: 'chat-sent',
        at,
        id,
        bytes: typeof body.requestBytes === 'number' ? body.requestBytes : 0,
        connection: typeof body.connection === 'number' ? body.connection : 0,
      });
    } catch (error) {
      this.emit({ type: 'error', at: preciseNow(), issue: issue('chat.failed', { id, error: errorText(error) }) });
    }
  }
}

/**
 * A tool result on the side channel (EventSource's agent loop): POST /api/chat with the run and the
 * stream's server name; the held step goes on down the stream. Reports 'agent-sent' (stamped when the
 * request left) with the bytes and connection the server counted, or an 'error'.
 */
export async function postToolResult(
  channel: ChatSideChannel,
  result: ToolResultMessage,
  fetchImpl: typeof fetch,
  emit: (event: TransportEvent) => void,
): Promise<void> {
  const id = `tool-${result.turn}`;
  const at = preciseNow();
  try {
    const response = await fetchImpl(channel.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...result, t: at, run: channel.run, transport: channel.transport }),
    });
    const body = (await response.json().catch(() => ({}))) as { requestBytes?: unknown; connection?: unknown; error?: unknown };
    if (!response.ok) {
      const error = typeof body.error === 'string' ? body.error : null;
      emit({ type: 'error', at: preciseNow(), issue: issue('chat.http', { id, status: response.status, error }) });
      return;
    }
    emit({
      type: 'agent-sent',
      at,
      turn: result.turn,
      bytes: typeof body.requestBytes === 'number' ? body.requestBytes : 0,
      connection: typeof body.connection === 'number' ? body.connection : 0,
    });
  } catch (error) {
    emit({ type: 'error', at: preciseNow(), issue: issue('chat.failed', { id, error: errorText(error) }) });
  }
}

/** An exception's message, or the value as text. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Frames and server messages are small JSON texts; this trims one for an issue's `data`. */
export function quote(text: string, max = 60): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}

