/**
 * What a WebSocket client may say while its stream runs, and the answer: ping → pong, chat → reply,
 * cancel → cancelled (the player stops, the socket stays for the next request), anything else → an
 * error message. The adapter sends the answer; the only effect is the cancel, through `target`.
 */
import { parseClientMessage, preciseNow, replyTo, type ServerMessage } from '../protocol/frame.ts';
import { StreamLog, type StreamRecord } from '../protocol/stream-log.ts';
import type { LabServerStats } from './counters.ts';

export interface ClientMessageTarget {
  /** The stream's run-log record: a cancel is logged there. */
  record: StreamRecord;
  /** Stops generating; the connection stays open. */
  stopPlayer(): void;
}

/** `text` is the message as text, or null for a binary message. */
export function answerClientMessage(
  text: string | null,
  target: ClientMessageTarget,
  counters: Pick<LabServerStats, 'chat'>,
  now: () => number = preciseNow,
): ServerMessage {
  if (text === null) return { type: 'error', error: 'binary messages are not understood; send JSON text' };
  const message = parseClientMessage(text);
  if ('error' in message) return { type: 'error', error: message.error };
  if (message.type === 'chat') {
    counters.chat++;
    return replyTo(message, now());
  }
  if (message.type === 'cancel') {
    // Stop generating, keep the socket: the same connection can carry the next request.
    target.stopPlayer();
    const at = now();
    StreamLog.stop(target.record, at, 'cancel');
    return { type: 'cancelled', lastSeq: target.record.lastSeq, serverT: at };
  }
  return { type: 'pong', t: message.t, serverT: now() };
}
