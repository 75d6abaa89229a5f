/**
 * OpenAI's Responses API on the wire (POST /v1/responses): named SSE events, each `data` a JSON object
 * with the event's `type` and a `sequence_number` counting from 0 within the stream.
 *
 *   response.created, response.in_progress            the response object, status "in_progress"
 *   response.output_item.added                        the assistant message, no content yet
 *   response.content_part.added                       an empty output_text part
 *   response.output_text.delta  (one per token)       `delta`: the token's text
 *   response.output_text.done, response.content_part.done, response.output_item.done
 *   response.completed                                the whole response with `usage`
 * A token cap (`max_output_tokens`) ends with `response.incomplete` (status "incomplete",
 * `incomplete_details.reason` "max_output_tokens"); the error fault with `response.failed` (status
 * "failed", `error.code` "server_error"), and the body ends there.
 *
 * The response object is a function of the request (ids from the seed, `created_at` from the clock the
 * backend passes in `meta.created`).
 */
import type { SseEvent } from './sse-encoding.ts';
import { json, stampFields, type Finish, type ProviderEncoder, type ProviderMeta } from './provider-wire.ts';

export const RESPONSES_FAILED = 'The server had an error while processing your request. (simulated by the lab)';

type Status = 'in_progress' | 'completed' | 'incomplete' | 'failed';

/** The message item's id: derived from the response's, so it too is a function of the seed. */
const itemId = (meta: ProviderMeta): string => meta.id.replace(/^resp_/, 'msg_');

function outputText(text: string) {
  return { type: 'output_text', text, annotations: [], logprobs: [] };
}

function messageItem(meta: ProviderMeta, status: Exclude<Status, 'failed'>, text: string | null) {
  return { id: itemId(meta), type: 'message', status, role: 'assistant', content: text === null ? [] : [outputText(text)] };
}

function usage(meta: ProviderMeta, output: number) {
  return {
    input_tokens: meta.inputTokens,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: meta.inputTokens + output,
  };
}

/** The response object at a status; `output` and `usage` once the answer is known. */
function responseObject(meta: ProviderMeta, status: Status, extra: { output?: unknown[]; usage?: unknown; error?: unknown } = {}) {
  return {
    id: meta.id,
    object: 'response',
    created_at: meta.created,
    status,
    background: false,
    error: extra.error ?? null,
    incomplete_details: status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
    instructions: meta.instructions ?? null,
    max_output_tokens: meta.maxOutputTokens ?? null,
    model: meta.model,
    output: extra.output ?? [],
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: false,
    temperature: 1,
    text: { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: [],
    top_p: 1,
    truncation: 'disabled',
    usage: extra.usage ?? null,
    user: null,
    metadata: {},
  };
}

export function responsesEncoder(meta: ProviderMeta): ProviderEncoder {
  let sequence = 0;
  let text = '';
  let output = 0;
  const event = (type: string, body: Record<string, unknown>): SseEvent => ({
    event: type,
    data: json({ type, sequence_number: sequence++, ...body }),
  });
  const where = { item_id: itemId(meta), output_index: 0, content_index: 0 };
  return {
    open: () => [
      event('response.created', { response: responseObject(meta, 'in_progress') }),
      event('response.in_progress', { response: responseObject(meta, 'in_progress') }),
      event('response.output_item.added', { output_index: 0, item: messageItem(meta, 'in_progress', null) }),
      event('response.content_part.added', { ...where, part: outputText('') }),
    ],
    token(delta, stamp) {
      text += delta;
      output++;
      return [event('response.output_text.delta', { ...where, delta, logprobs: [], ...stampFields(meta, stamp) })];
    },
    close(finish: Finish, stamp) {
      if (finish === 'error') {
        const error = { code: 'server_error', message: RESPONSES_FAILED };
        return [event('response.failed', { response: responseObject(meta, 'failed', { error }) })];
      }
      const status = finish === 'stop' ? 'completed' : 'incomplete';
      const item = messageItem(meta, status, text);
      return [
        event('response.output_text.done', { ...where, text, logprobs: [] }),
        event('response.content_part.done', { ...where, part: outputText(text) }),
        event('response.output_item.done', { output_index: 0, item }),
        event(`response.${status}`, {
          response: responseObject(meta, status, { output: [item], usage: usage(meta, output) }),
          ...stampFields(meta, stamp),
        }),
      ];
    },
  };
}

/** The non-streaming answer: the Response object, as `response.completed` carries it. */
export function responsesAnswer(meta: ProviderMeta, tokens: readonly string[], finish: 'stop' | 'length'): unknown {
  const status = finish === 'stop' ? 'completed' : 'incomplete';
  const text = tokens.join('');
  return responseObject(meta, status, { output: [messageItem(meta, status, text)], usage: usage(meta, tokens.length) });
}
