/**
 * The SSE lanes' side channel (POST /api/chat): a chat message names the run and transport of the
 * stream that should carry the reply; every open stream of that run and transport gets it.
 */
import { RUN_ID_PATTERN } from '../protocol/faults.ts';
import { asChatMessage, preciseNow, replyTo, type ChatMessage } from '../protocol/frame.ts';
import type { ParseResult } from '../protocol/scenarios.ts';
import type { LabServerStats } from './counters.ts';
import type { ServedStreams } from './served-streams.ts';
import { parseToolResultPost, releaseWithResult } from './agent.ts';

export interface ChatRequest {
  run: string;
  transport: 'sse' | 'fetch';
  message: ChatMessage;
}

export function parseChatRequest(body: unknown): ParseResult<ChatRequest> {
  const value = body as { run?: unknown; transport?: unknown };
  if (typeof value !== 'object' || value === null || typeof value.run !== 'string' || !RUN_ID_PATTERN.test(value.run)) {
    return { ok: false, error: 'chat needs the "run" of the stream to answer on (1 to 64 letters, digits, "-", "_" or ".")' };
  }
  if (value.transport !== 'sse' && value.transport !== 'fetch') {
    return { ok: false, error: 'transport must be "sse" or "fetch" (WebSocket lanes chat on their socket)' };
  }
  const message = asChatMessage(value);
  if ('error' in message) return { ok: false, error: message.error };
  return { ok: true, value: { run: value.run, transport: value.transport, message } };
}

export type ChatDelivery = { status: 202; delivered: number } | { status: 404; error: string };

/** Replies on every matching open stream (counted as one chat), or 404 when there is none. */
export function deliverChat(
  streams: ServedStreams,
  counters: LabServerStats,
  { run, transport, message }: ChatRequest,
  now: () => number = preciseNow,
): ChatDelivery {
  const found = streams.replyTargets(run, transport);
  if (found.length === 0) {
    return { status: 404, error: `no open ${transport} stream for run ${JSON.stringify(run)} to answer on` };
  }
  const reply = replyTo(message, now());
  for (const stream of found) stream.reply(reply);
  counters.chat++;
  return { status: 202, delivered: found.length };
}

export type SideChannelAnswer = { status: 202; delivered: number } | { status: 400 | 404 | 409; error: string };

/**
 * POST /api/chat, whatever it carries: a chat message (answered on the stream) or, for an agent loop's
 * EventSource, a tool result (`"type":"tool_result"`: the held step goes on).
 */
export function answerSideChannel(streams: ServedStreams, counters: LabServerStats, body: unknown): SideChannelAnswer {
  if ((body as { type?: unknown } | null)?.type === 'tool_result') {
    const post = parseToolResultPost(body);
    if (!post.ok) return { status: 400, error: post.error };
    return releaseWithResult(streams, post.run, 'sse', post.result);
  }
  const chat = parseChatRequest(body);
  if (!chat.ok) return { status: 400, error: chat.error };
  return deliverChat(streams, counters, chat.value);
}
