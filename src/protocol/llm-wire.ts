/**
 * How a token stream looks on an SSE wire. The lab's own frames are one JSON object per event; real
 * LLM APIs use other shapes, and the lab can speak them (for SSE lanes; the WebSocket lane keeps the
 * lab's frames):
 * - `anthropic`: named events — message_start, content_block_start, content_block_delta per token,
 *   content_block_stop, message_delta, message_stop.
 * - `openai`: unnamed `data:` chunks (chat.completion.chunk with a delta), then `data: [DONE]`.
 * Every event that carries a frame also carries the lab's `seq` and `t`, so the lanes can still
 * measure latency and loss; an API would not send those.
 *
 * `decodeWire` also reads the provider-compatible streams of /v1/* (provider-wire.ts) when the lab's
 * page asked for stamps (`x-lab-stamps: 1`): Chat Completions chunks, Anthropic's events and the
 * Responses API's `response.output_text.delta` / `response.completed` / `response.incomplete`. Their
 * events without a frame (the role chunk, the usage chunk, ping, the `response.*` bookkeeping) are
 * `other`; the provider's own error events (an `{"error":…}` chunk, Anthropic's `event: error`,
 * `response.failed`) are `failed` with the provider's message.
 */
import { quote } from './json-guard.ts';
import { BINARY_SSE_EVENT, binaryFrameSseData, decodeBinarySseData } from './binary-frame.ts';
import { asFrame, parseServerMessage, type Frame, type ReplyMessage } from './frame.ts';
import type { SseEvent } from './sse-encoding.ts';

export type WireFormat = 'lab' | 'anthropic' | 'openai';
export const wireFormats: readonly WireFormat[] = ['lab', 'anthropic', 'openai'];

export function parseWireFormat(raw: unknown): { ok: true; value: WireFormat } | { ok: false; error: string } {
  if (raw === undefined || raw === null || raw === '') return { ok: true, value: 'lab' };
  if (wireFormats.includes(raw as WireFormat)) return { ok: true, value: raw as WireFormat };
  return { ok: false, error: `format must be "lab", "anthropic" or "openai"; got ${quote(raw)}` };
}

/** Named events of the anthropic format, for EventSource listeners (it only calls onmessage for unnamed ones). */
export const anthropicEvents = [
  'message_start',
  'content_block_start',
  'ping',
  'content_block_delta',
  'content_block_stop',
  'message_delta',
  'message_stop',
] as const;

const MESSAGE_ID = 'msg_lab';

/** The SSE events for one frame. `first` marks the first frame of a connection (preamble events). */
export function encodeWire(frame: Frame, format: WireFormat, first: boolean): SseEvent[] {
  const id = String(frame.seq);
  const stamp = { seq: frame.seq, t: frame.t };
  // Binary frames travel as base64 text in every format: SSE cannot carry raw bytes.
  if (frame.kind === 'bytes') return [{ id, event: BINARY_SSE_EVENT, data: binaryFrameSseData(frame) }];
  if (format === 'lab') return [{ id, data: JSON.stringify(frame) }];
  if (format === 'openai') {
    const done = frame.kind === 'end';
    const chunk = {
      id: 'chatcmpl-lab',
      object: 'chat.completion.chunk',
      choices: [{ index: 0, delta: done ? {} : { content: frame.data }, finish_reason: done ? 'stop' : null }],
      ...stamp,
    };
    const events: SseEvent[] = [{ id, data: JSON.stringify(chunk) }];
    if (done) events.push({ data: '[DONE]' });
    return events;
  }
  const events: SseEvent[] = [];
  if (first) {
    events.push({
      event: 'message_start',
      data: JSON.stringify({ type: 'message_start', message: { id: MESSAGE_ID, type: 'message', role: 'assistant', content: [] } }),
    });
    events.push({
      event: 'content_block_start',
      data: JSON.stringify({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
    });
  }
  if (frame.kind === 'end') {
    events.push({ event: 'content_block_stop', data: JSON.stringify({ type: 'content_block_stop', index: 0 }) });
    events.push({
      event: 'message_delta',
      data: JSON.stringify({ type: 'message_delta', delta: { stop_reason: 'end_turn' } }),
    });
    events.push({ id, event: 'message_stop', data: JSON.stringify({ type: 'message_stop', ...stamp }) });
    return events;
  }
  events.push({
    id,
    event: 'content_block_delta',
    data: JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: frame.data }, ...stamp }),
  });
  return events;
}

export type WireMessage =
  | { kind: 'frame'; frame: Frame }
  | { kind: 'reply'; reply: ReplyMessage }
  | { kind: 'done' }
  | { kind: 'other' }
  /** The provider's error event after a 200: the stream ends with it. */
  | { kind: 'failed'; message: string }
  | { kind: 'invalid' };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A provider error object's message (`{message}` or Anthropic's `{type, message}`). */
function errorMessage(error: unknown): string {
  return isRecord(error) && typeof error.message === 'string' ? error.message : 'the provider reported an error';
}

/** Events of the Responses API that carry no token and no end. */
function responsesEvent(record: Record<string, unknown>): WireMessage {
  const stamp = stampOf(record);
  switch (record.type) {
    case 'response.output_text.delta':
      return stamp && typeof record.delta === 'string'
        ? { kind: 'frame', frame: { type: 'frame', ...stamp, kind: 'token', data: record.delta } }
        : { kind: 'invalid' };
    case 'response.completed':
    case 'response.incomplete':
      return stamp ? { kind: 'frame', frame: { type: 'frame', ...stamp, kind: 'end', data: '' } } : { kind: 'invalid' };
    case 'response.failed':
      return { kind: 'failed', message: errorMessage(isRecord(record.response) ? record.response.error : null) };
    default:
      return { kind: 'other' };
  }
}

function stampOf(value: Record<string, unknown>): { seq: number; t: number } | null {
  return typeof value.seq === 'number' && Number.isInteger(value.seq) && value.seq >= 1 && typeof value.t === 'number'
    ? { seq: value.seq, t: value.t }
    : null;
}

/** One received SSE event → a frame, the end of the stream, an event with no frame, or garbage. */
export function decodeWire(event: string, data: string): WireMessage {
  if (event === 'done') return { kind: 'done' };
  if (data === '[DONE]') return { kind: 'done' };
  if (event === BINARY_SSE_EVENT) {
    const decoded = decodeBinarySseData(data);
    return decoded.ok ? { kind: 'frame', frame: decoded.frame } : { kind: 'invalid' };
  }
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return { kind: 'invalid' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { kind: 'invalid' };
  const record = value as Record<string, unknown>;
  if (event === 'reply' || record.type === 'reply') {
    const reply = parseServerMessage(data);
    return reply && reply.type === 'reply' ? { kind: 'reply', reply } : { kind: 'invalid' };
  }
  if (record.type === 'frame') {
    const frame = asFrame(value);
    return frame ? { kind: 'frame', frame } : { kind: 'invalid' };
  }
  if (record.object === 'chat.completion.chunk') {
    const stamp = stampOf(record);
    const choice = Array.isArray(record.choices) ? (record.choices[0] as Record<string, unknown> | undefined) : undefined;
    const delta = choice && typeof choice.delta === 'object' && choice.delta !== null ? (choice.delta as Record<string, unknown>) : {};
    // The provider's role chunk (empty content) and usage chunk (no choices) carry no frame.
    const empty = !choice || (!choice.finish_reason && (delta.content === '' || delta.content === undefined || delta.content === null));
    if (!stamp && empty && Array.isArray(record.choices)) return { kind: 'other' };
    if (!stamp || !choice) return { kind: 'invalid' };
    if (choice.finish_reason) return { kind: 'frame', frame: { type: 'frame', ...stamp, kind: 'end', data: '' } };
    return typeof delta.content === 'string'
      ? { kind: 'frame', frame: { type: 'frame', ...stamp, kind: 'token', data: delta.content } }
      : { kind: 'invalid' };
  }
  if (record.type === 'content_block_delta') {
    const stamp = stampOf(record);
    const delta = typeof record.delta === 'object' && record.delta !== null ? (record.delta as Record<string, unknown>) : {};
    if (!stamp || typeof delta.text !== 'string') return { kind: 'invalid' };
    return { kind: 'frame', frame: { type: 'frame', ...stamp, kind: 'token', data: delta.text } };
  }
  if (record.type === 'message_stop') {
    const stamp = stampOf(record);
    return stamp ? { kind: 'frame', frame: { type: 'frame', ...stamp, kind: 'end', data: '' } } : { kind: 'invalid' };
  }
  if (typeof record.type === 'string' && (anthropicEvents as readonly string[]).includes(record.type)) return { kind: 'other' };
  if (typeof record.type === 'string' && record.type.startsWith('response.')) return responsesEvent(record);
  // OpenAI's error chunk `{"error":{…}}`; Anthropic's `event: error` `{"type":"error","error":{…}}`.
  if (isRecord(record.error) && (record.type === undefined || record.type === 'error')) return { kind: 'failed', message: errorMessage(record.error) };
  return { kind: 'invalid' };
}
