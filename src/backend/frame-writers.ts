/**
 * How a frame goes on each wire, and what it weighs there: SSE events in the stream's wire format
 * (lab, anthropic, openai) and WebSocket messages (binary frames as one binary message, the others as
 * JSON text). The byte counts feed the run log: the payload, and the protocol message around it.
 */
import { encodeFrame, type DoneMessage, type Frame, type ReplyMessage } from '../protocol/frame.ts';
import { encodeBinaryFrame } from '../protocol/binary-frame.ts';
import { encodeWire, type WireFormat } from '../protocol/llm-wire.ts';
import { encodeSseEvent } from '../protocol/sse-encoding.ts';
import { utf8Length } from '../protocol/utf8.ts';
import { frameHeaderBytes } from '../protocol/websocket-wire.ts';

export interface EncodedFrame<T> {
  payload: T;
  /** Bytes of the frame's data as it goes out (the data: lines' values, the WebSocket payload). */
  payloadBytes: number;
  /** Bytes of the protocol message(s) (the SSE events as encoded, the WebSocket frame with its header). */
  messageBytes: number;
}

/** Encodes one stream's frames as SSE text; the first frame of an llm format opens its message. */
export function sseFrameWriter(format: WireFormat): (frame: Frame) => EncodedFrame<string> {
  let first = true;
  return (frame) => {
    const events = encodeWire(frame, format, first);
    first = false;
    const chunk = events.map(encodeSseEvent).join('');
    return {
      payload: chunk,
      payloadBytes: events.reduce((sum, e) => sum + utf8Length(e.data), 0),
      messageBytes: utf8Length(chunk),
    };
  };
}

/** The `done` event closing a stream, or null: the other formats end with their own terminator (message_stop, [DONE]). */
export function sseDoneEvent(lastSeq: number, format: WireFormat): string | null {
  if (format !== 'lab') return null;
  const done: DoneMessage = { type: 'done', total: lastSeq };
  return encodeSseEvent({ event: 'done', data: JSON.stringify(done) });
}

/** The answer to a chat message, on an SSE stream. */
export function sseReplyEvent(message: ReplyMessage): string {
  return encodeSseEvent({ event: 'reply', data: JSON.stringify(message) });
}

/** A frame as one WebSocket message: bytes frames binary, the others JSON text. */
export function wsFrameMessage(frame: Frame): EncodedFrame<string | Uint8Array> {
  const payload = frame.kind === 'bytes' ? encodeBinaryFrame(frame) : encodeFrame(frame);
  const length = typeof payload === 'string' ? utf8Length(payload) : payload.length;
  return { payload, payloadBytes: length, messageBytes: length + frameHeaderBytes(length) };
}
