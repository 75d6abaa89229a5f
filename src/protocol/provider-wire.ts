/**
 * The provider-compatible wire formats of POST /v1/chat/completions and POST /v1/responses (OpenAI)
 * and POST /v1/messages (Anthropic): complete events, as far as a client (the official SDKs) can observe, unlike the lab's
 * `format=openai|anthropic` on /api/stream (llm-wire.ts), which carry the lab's seq and t and only
 * the fields a lane needs. Pure: the backend (src/backend/provider.ts) decides what to play.
 *
 * OpenAI chat: `data:` chunks — the first with `delta.role`, one per token, one with `finish_reason`,
 * a usage chunk (`choices: []`) when `stream_options.include_usage`, then `data: [DONE]`. A
 * mid-stream error is a chunk `{"error":{…}}` and the body ends (no [DONE]).
 * Anthropic: message_start (usage), content_block_start, ping, content_block_delta per token,
 * content_block_stop, message_delta (stop_reason, usage.output_tokens), message_stop. A mid-stream
 * error is `event: error` with `overloaded_error`.
 * OpenAI Responses: named events with `sequence_number` (provider-responses-wire.ts).
 *
 * Stamps: when the lab's own page asks (`x-lab-stamps: 1`), the events that carry a token and the event
 * that ends the answer also carry the lab's `seq` and `t`, so a lane can measure latency and loss. A
 * provider sends neither; the SDKs ignore unknown fields. Without the header the events are exactly
 * the provider's.
 */
import { encodeSseEvent, type SseEvent } from './sse-encoding.ts';
import { responsesAnswer, responsesEncoder } from './provider-responses-wire.ts';

export type ProviderApi = 'chat' | 'responses' | 'messages';
export const providerApis: readonly ProviderApi[] = ['chat', 'responses', 'messages'];
/** Where each API is served: the paths the official SDKs call. */
export const PROVIDER_PATH: Readonly<Record<ProviderApi, string>> = {
  chat: '/v1/chat/completions',
  responses: '/v1/responses',
  messages: '/v1/messages',
};
/** What the page's fetch + SSE lane POSTs to: the lab's POST /api/stream, or a provider path. */
export type FetchApi = 'lab' | ProviderApi;
export const fetchApis: readonly FetchApi[] = ['lab', ...providerApis];
/** The lab's stamp on an event (see Stamps above). */
export interface Stamp {
  seq: number;
  t: number;
}
/** How an answer ends: complete, cut by the request's token cap, or the provider's error (a fault). */
export type Finish = 'stop' | 'length' | 'error';

export interface ProviderMeta {
  api: ProviderApi;
  /** chatcmpl-… / msg_…: a function of the seed, like the text. */
  id: string;
  model: string;
  /** Unix seconds (OpenAI's `created`). */
  created: number;
  inputTokens: number;
  /** OpenAI: `stream_options.include_usage`. */
  includeUsage: boolean;
  /** Add the lab's seq and t to token and final events (`x-lab-stamps: 1`, the lab's page). */
  stamps: boolean;
  /** OpenAI Responses: the request's `instructions` and `max_output_tokens`, echoed in the response. */
  instructions?: string | null;
  maxOutputTokens?: number | null;
}

export interface ProviderEncoder {
  /** The events before the first token (written as the stream opens). */
  open(): SseEvent[];
  token(text: string, stamp: Stamp): SseEvent[];
  /** The events that end the answer: the final ones for stop/length, the provider's error event for error. */
  close(finish: Finish, stamp: Stamp): SseEvent[];
}

export const json = (value: unknown): string => JSON.stringify(value);
/** The stamp's fields to spread into an event, when the request asked for stamps. */
export const stampFields = (meta: ProviderMeta, stamp: Stamp): Partial<Stamp> => (meta.stamps ? { seq: stamp.seq, t: stamp.t } : {});
export const encodeEvents = (events: readonly SseEvent[]): string => events.map(encodeSseEvent).join('');

const OPENAI_FINISH = { stop: 'stop', length: 'length' } as const;
const ANTHROPIC_STOP = { stop: 'end_turn', length: 'max_tokens' } as const;
export const OPENAI_MIDSTREAM_ERROR = 'The server had an error while processing your request. (simulated by the lab)';
export const ANTHROPIC_OVERLOADED = 'Overloaded (simulated by the lab)';

export function openaiUsage(meta: ProviderMeta, output: number) {
  return { prompt_tokens: meta.inputTokens, completion_tokens: output, total_tokens: meta.inputTokens + output };
}

function chatEncoder(meta: ProviderMeta): ProviderEncoder {
  let output = 0;
  const chunk = (delta: Record<string, unknown>, finish: string | null, extra: Record<string, unknown> = {}): SseEvent => ({
    data: json({
      id: meta.id,
      object: 'chat.completion.chunk',
      created: meta.created,
      model: meta.model,
      system_fingerprint: 'fp_lab',
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...(meta.includeUsage ? { usage: null } : {}),
      ...extra,
    }),
  });
  return {
    open: () => [chunk({ role: 'assistant', content: '', refusal: null }, null)],
    token(text, stamp) {
      output++;
      return [chunk({ content: text }, null, stampFields(meta, stamp))];
    },
    close(finish, stamp) {
      if (finish === 'error') {
        return [{ data: json({ error: { message: OPENAI_MIDSTREAM_ERROR, type: 'server_error', param: null, code: null } }) }];
      }
      const events = [chunk({}, OPENAI_FINISH[finish], stampFields(meta, stamp))];
      if (meta.includeUsage) {
        const usage = {
          id: meta.id,
          object: 'chat.completion.chunk',
          created: meta.created,
          model: meta.model,
          system_fingerprint: 'fp_lab',
          choices: [],
          usage: openaiUsage(meta, output),
        };
        events.push({ data: json(usage) });
      }
      events.push({ data: '[DONE]' });
      return events;
    },
  };
}

function messagesEncoder(meta: ProviderMeta): ProviderEncoder {
  let output = 0;
  const event = (type: string, body: Record<string, unknown> = {}): SseEvent => ({ event: type, data: json({ type, ...body }) });
  return {
    open: () => [
      event('message_start', {
        message: {
          id: meta.id,
          type: 'message',
          role: 'assistant',
          model: meta.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: meta.inputTokens, output_tokens: 0 },
        },
      }),
      event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
      event('ping'),
    ],
    token(text, stamp) {
      output++;
      return [event('content_block_delta', { index: 0, delta: { type: 'text_delta', text }, ...stampFields(meta, stamp) })];
    },
    close(finish, stamp) {
      if (finish === 'error') return [event('error', { error: { type: 'overloaded_error', message: ANTHROPIC_OVERLOADED } })];
      return [
        event('content_block_stop', { index: 0 }),
        event('message_delta', { delta: { stop_reason: ANTHROPIC_STOP[finish], stop_sequence: null }, usage: { output_tokens: output } }),
        event('message_stop', stampFields(meta, stamp)),
      ];
    },
  };
}

export function providerEncoder(meta: ProviderMeta): ProviderEncoder {
  if (meta.api === 'responses') return responsesEncoder(meta);
  return meta.api === 'chat' ? chatEncoder(meta) : messagesEncoder(meta);
}

/** The non-streaming answer: OpenAI's chat.completion or Anthropic's Message. */
export function providerAnswer(meta: ProviderMeta, tokens: readonly string[], finish: 'stop' | 'length'): unknown {
  const text = tokens.join('');
  if (meta.api === 'responses') return responsesAnswer(meta, tokens, finish);
  if (meta.api === 'chat') {
    return {
      id: meta.id,
      object: 'chat.completion',
      created: meta.created,
      model: meta.model,
      system_fingerprint: 'fp_lab',
      choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null }, logprobs: null, finish_reason: OPENAI_FINISH[finish] }],
      usage: openaiUsage(meta, tokens.length),
    };
  }
  return {
    id: meta.id,
    type: 'message',
    role: 'assistant',
    model: meta.model,
    content: [{ type: 'text', text }],
    stop_reason: ANTHROPIC_STOP[finish],
    stop_sequence: null,
    usage: { input_tokens: meta.inputTokens, output_tokens: tokens.length },
  };
}

/** The provider's error body for an HTTP status (`param`: OpenAI's, the field at fault). */
export function providerError(api: ProviderApi, status: number, message: string, param: string | null = null): unknown {
  if (api === 'messages') {
    const type =
      status === 400 ? 'invalid_request_error'
      : status === 401 ? 'authentication_error'
      : status === 404 ? 'not_found_error'
      : status === 429 ? 'rate_limit_error'
      : status === 529 ? 'overloaded_error'
      : 'api_error';
    return { type: 'error', error: { type, message } };
  }
  const type = status === 429 ? 'requests' : status >= 500 ? 'server_error' : 'invalid_request_error';
  return { error: { message, type, param, code: status === 429 ? 'rate_limit_exceeded' : null } };
}
