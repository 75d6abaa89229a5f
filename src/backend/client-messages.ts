/**
 * What a WebSocket client may say while its stream runs, and the answer: ping → pong, chat → reply,
 * cancel → cancelled (the player stops, the socket stays for the next request), tool_result → no
 * answer (the agent loop's next step streams; an error message if the stream was not waiting for it),
 * anything else → an error message. The adapter sends the answer (none for null); the effects are the
 * cancel and the release, through `target`.
 */
import { parseClientMessage, preciseNow, replyTo, type ServerMessage } from '../protocol/frame.ts';
import { StreamLog, type StreamRecord } from '../protocol/stream-log.ts';
import type { LabServerStats } from './counters.ts';
import type { ServedStream } from './served-streams.ts';

export interface ClientMessageTarget {
  /** The stream's run-log record: a cancel is logged there. */
  record: StreamRecord;
  /** Stops generating; the connection stays open. */
  stopPlayer(): void;
  /** An agent stream: tool result `turn` came; null, or why the stream was not waiting for it. */
  releaseTurn?(turn: number): string | null;
}

/** `text` is the message as text, or null for a binary message. */
export function answerClientMessage(
  text: string | null,
  target: ClientMessageTarget,
  counters: Pick<LabServerStats, 'chat'>,
  now: () => number = preciseNow,
): ServerMessage | null {
  if (text === null) return { type: 'error', error: 'binary messages are not understood; send JSON text' };
  const message = parseClientMessage(text);
  if ('error' in message) return { type: 'error', error: message.error };
  if (message.type === 'chat') {
    counters.chat++;
    return replyTo(message, now());
  }
  if (message.type === 'tool_result') {
    const error = target.releaseTurn ? target.releaseTurn(message.turn) : 'this stream is not an agent loop (scenario=agent)';
    return error === null ? null : { type: 'error', error };
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

/** A tool result on a WebSocket: releases the stream's held step (the socket keeps the session: no modelled load). */
export function agentRelease(stream: ServedStream, turn: number): string | null {
  const released = stream.releaseTurn(turn, false);
  return released.ok ? null : released.error;
}
