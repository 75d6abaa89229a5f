/**
 * The unit every transport carries. Mock and live serialise it identically (JSON, keys in this order),
 * so an SSE `data:` line and a WebSocket text message hold the same bytes.
 */
import { nestsDeeperThan, quote } from './json-guard.ts';
import { MAX_JSON_DEPTH } from './limits.ts';
import { asToolResult, type ToolResultMessage } from './agent.ts';
/**
 * `bytes`: the binary scenario; `data` holds the payload in base64 (see binary-frame.ts). `tool`: the
 * agent scenario's tool call that ends a step; `data` is the call as JSON (see agent.ts).
 */
export type FrameKind = 'tick' | 'token' | 'end' | 'bytes' | 'tool';

export interface Frame {
  type: 'frame';
  /** 1-based, contiguous within one stream. */
  seq: number;
  /** Sender's clock when the frame left: ms since the epoch, sub-millisecond (timeOrigin + now()). */
  t: number;
  kind: FrameKind;
  data: string;
}

/** Sent once when a finite stream has delivered its last frame. */
export interface DoneMessage {
  type: 'done';
  total: number;
}

export interface PongMessage {
  type: 'pong';
  /** The client's own `t`, echoed. */
  t: number;
  serverT: number;
}

export interface ErrorMessage {
  type: 'error';
  error: string;
}

/** Answer to a cancel: generation stopped after `lastSeq`; the socket stays open. */
export interface CancelledMessage {
  type: 'cancelled';
  lastSeq: number;
  serverT: number;
}

/** The server's answer to one user message, on the stream it belongs to. */
export interface ReplyMessage {
  type: 'reply';
  /** The user message's id. */
  id: string;
  /** The user message's own `t`, echoed: receive time − t is the round trip. */
  t: number;
  serverT: number;
  text: string;
}

/** What the server (or mock) may send on the WebSocket. */
export type ServerMessage = Frame | DoneMessage | PongMessage | ErrorMessage | CancelledMessage | ReplyMessage;

export interface PingMessage {
  type: 'ping';
  t: number;
}

/** Stop generating, keep the connection: what a chat client sends for "Stop generating". */
export interface CancelMessage {
  type: 'cancel';
}

/** A user message while a stream runs (WebSocket: on the socket; SSE lanes: POST /api/chat). */
export interface ChatMessage {
  type: 'chat';
  id: string;
  t: number;
  text: string;
}

/** What a client may send on the WebSocket. */
export type ClientMessage = PingMessage | CancelMessage | ChatMessage | ToolResultMessage;

/** Validates a chat message from any side channel. */
export function asChatMessage(value: unknown): ChatMessage | { error: string } {
  if (!isRecord(value)) return { error: 'a chat message must be a JSON object' };
  if (typeof value.id !== 'string' || !/^[\w.-]{1,64}$/.test(value.id)) {
    return { error: 'chat needs an "id" of 1 to 64 letters, digits, "-", "_" or "."' };
  }
  if (typeof value.t !== 'number' || !Number.isFinite(value.t)) return { error: 'chat needs a numeric "t"' };
  if (typeof value.text !== 'string' || value.text.length > 2000) return { error: 'chat needs a "text" of at most 2000 characters' };
  return { type: 'chat', id: value.id, t: value.t, text: value.text };
}

/** The lab's "model" answers a chat message at once, in a few words. */
export function replyTo(message: ChatMessage, serverT: number): ReplyMessage {
  const words = message.text.trim().split(/\s+/).filter(Boolean).length;
  return { type: 'reply', id: message.id, t: message.t, serverT, text: `Got "${message.id}" (${words} words).` };
}

export function encodeFrame(frame: Frame): string {
  return JSON.stringify(frame);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const kinds: ReadonlySet<string> = new Set<FrameKind>(['tick', 'token', 'end', 'bytes', 'tool']);

/** Validates anything that claims to be a frame. Returns null for garbage, never throws. */
export function asFrame(value: unknown): Frame | null {
  if (!isRecord(value)) return null;
  const { type, seq, t, kind, data } = value;
  if (type !== 'frame') return null;
  if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 1) return null;
  if (typeof t !== 'number' || !Number.isFinite(t)) return null;
  if (typeof kind !== 'string' || !kinds.has(kind)) return null;
  if (typeof data !== 'string') return null;
  return { type, seq, t, kind: kind as FrameKind, data };
}

/** Parses one text message from the server. Returns null for anything that is not a known message. */
export function parseServerMessage(text: string): ServerMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(value)) return null;
  switch (value.type) {
    case 'frame':
      return asFrame(value);
    case 'done':
      return typeof value.total === 'number' ? { type: 'done', total: value.total } : null;
    case 'pong':
      return typeof value.t === 'number' && typeof value.serverT === 'number'
        ? { type: 'pong', t: value.t, serverT: value.serverT }
        : null;
    case 'error':
      return typeof value.error === 'string' ? { type: 'error', error: value.error } : null;
    case 'reply':
      return typeof value.id === 'string' && typeof value.t === 'number' && typeof value.serverT === 'number' && typeof value.text === 'string'
        ? { type: 'reply', id: value.id, t: value.t, serverT: value.serverT, text: value.text }
        : null;
    case 'cancelled':
      return typeof value.lastSeq === 'number' && typeof value.serverT === 'number'
        ? { type: 'cancelled', lastSeq: value.lastSeq, serverT: value.serverT }
        : null;
    default:
      return null;
  }
}

/** Parses one text message from a client. Returns an error string for anything it cannot accept. */
export function parseClientMessage(text: string): ClientMessage | { error: string } {
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) return { error: `message nests deeper than ${MAX_JSON_DEPTH} levels (MAX_JSON_DEPTH)` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: 'message is not JSON' };
  }
  if (!isRecord(value)) return { error: 'message must be a JSON object' };
  if (value.type === 'ping') {
    if (typeof value.t !== 'number' || !Number.isFinite(value.t)) {
      return { error: 'ping needs a numeric "t"' };
    }
    return { type: 'ping', t: value.t };
  }
  if (value.type === 'cancel') return { type: 'cancel' };
  if (value.type === 'chat') return asChatMessage(value);
  if (value.type === 'tool_result') return asToolResult(value);
  return { error: `unknown message type ${quote(value.type ?? null)}; expected "ping", "cancel", "chat" or "tool_result"` };
}

/** A clock every runtime has: ms since the epoch with sub-millisecond precision. */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}
