/**
 * Contract rows for the provider-compatible endpoints (src/backend/provider.ts): a streaming answer's
 * events per provider (Chat Completions, Responses, Messages), the non-streaming answer, the provider's error shapes, a header fault.
 * OpenAI's `seed: 7` with 3 tokens gives the text of the lab's llm stream for seed 7.
 */
import { expect } from 'vitest';
import type { ContractCase, WireEvent } from './cases.ts';

const anyNumber = expect.any(Number) as unknown;
const anyString = expect.any(String) as unknown;
const FAST = { 'x-lab-params': 'ttft=0&tps=1000&tokens=3' };
const MESSAGES = [{ role: 'user', content: 'Why SSE?' }];
const chatBody = { model: 'gpt-lab', messages: MESSAGES, seed: 7 };
const messagesBody = { model: 'claude-lab', max_tokens: 100, messages: MESSAGES };
const post = (path: string, body: unknown, headers: Record<string, string> = FAST) => ({ method: 'POST', path, body, headers });

const chunk = (delta: Record<string, unknown>, finish: string | null = null): WireEvent => ({
  data: {
    id: 'chatcmpl-lab7',
    object: 'chat.completion.chunk',
    created: anyNumber,
    model: 'gpt-lab',
    system_fingerprint: 'fp_lab',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  },
});
const named = (type: string, body: Record<string, unknown> = {}): WireEvent => ({ event: type, data: { type, ...body } });
/** A Responses API event: named, with its sequence_number. */
const step = (sequence: number, type: string, body: Record<string, unknown> = {}): WireEvent => named(type, { sequence_number: sequence, ...body });
const responsesBody = { model: 'gpt-lab', input: 'Why SSE?' };
const where = { item_id: anyString, output_index: 0, content_index: 0 };

export const providerCases: ContractCase[] = [
  {
    name: 'POST /v1/chat/completions stream: the role chunk, the seed-7 tokens, finish_reason, [DONE]',
    endpoint: 'provider',
    request: post('/v1/chat/completions', { ...chatBody, stream: true }),
    expect: {
      status: 200,
      type: 'sse',
      events: [
        chunk({ role: 'assistant', content: '', refusal: null }),
        chunk({ content: 'Most' }),
        chunk({ content: ' chat' }),
        chunk({ content: ' APIs' }),
        chunk({}, 'stop'),
        { data: '[DONE]' },
      ],
    },
  },
  {
    name: 'POST /v1/chat/completions not streamed: the chat.completion with usage',
    endpoint: 'provider',
    request: post('/v1/chat/completions', chatBody),
    expect: {
      status: 200,
      type: 'json',
      body: {
        id: 'chatcmpl-lab7',
        object: 'chat.completion',
        choices: [{ index: 0, message: { role: 'assistant', content: 'Most chat APIs' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 },
      },
    },
  },
  {
    name: 'POST /v1/chat/completions without messages: 400 in OpenAI’s error shape',
    endpoint: 'provider',
    request: post('/v1/chat/completions', { model: 'gpt-lab' }),
    expect: {
      status: 400,
      type: 'json',
      body: { error: { message: "Missing required parameter: 'messages'.", type: 'invalid_request_error', param: 'messages', code: null } },
    },
  },
  {
    name: 'POST /v1/chat/completions x-lab-fault status=429: 429 with Retry-After',
    endpoint: 'provider',
    request: post('/v1/chat/completions', chatBody, { 'x-lab-fault': 'status=429&retryAfter=2' }),
    expect: {
      status: 429,
      type: 'json',
      headers: { 'retry-after': '2' },
      body: { error: { type: 'requests', code: 'rate_limit_exceeded' } },
    },
  },
  {
    name: 'POST /v1/messages stream: message_start with usage, content_block_start, ping, then deltas',
    endpoint: 'provider',
    request: post('/v1/messages', { ...messagesBody, stream: true }),
    expect: {
      status: 200,
      type: 'sse',
      events: [
        named('message_start', {
          message: {
            id: anyString,
            type: 'message',
            role: 'assistant',
            model: 'claude-lab',
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: { input_tokens: 2, output_tokens: 0 },
          },
        }),
        named('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
        named('ping'),
        named('content_block_delta', { index: 0, delta: { type: 'text_delta', text: anyString } }),
        named('content_block_delta', { index: 0, delta: { type: 'text_delta', text: anyString } }),
        named('content_block_delta', { index: 0, delta: { type: 'text_delta', text: anyString } }),
        named('content_block_stop', { index: 0 }),
        named('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 3 } }),
        named('message_stop'),
      ],
    },
  },
  {
    name: 'POST /v1/messages x-lab-fault error=1: one delta, then event: error (overloaded_error)',
    endpoint: 'provider',
    request: post('/v1/messages', { ...messagesBody, stream: true }, { ...FAST, 'x-lab-fault': 'error=1' }),
    expect: {
      status: 200,
      type: 'sse',
      events: [
        named('message_start', { message: expect.objectContaining({ type: 'message' }) as unknown }),
        named('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
        named('ping'),
        named('content_block_delta', { index: 0, delta: { type: 'text_delta', text: anyString } }),
        named('error', { error: { type: 'overloaded_error', message: 'Overloaded (simulated by the lab)' } }),
      ],
    },
  },
  {
    name: 'POST /v1/responses stream with x-lab-stamps: named events numbered from 0, the lab’s seq (and t, compared apart) on deltas and the end',
    endpoint: 'provider',
    request: post('/v1/responses', { ...responsesBody, stream: true }, { 'x-lab-params': 'ttft=0&tps=1000&tokens=2', 'x-lab-stamps': '1' }),
    expect: {
      status: 200,
      type: 'sse',
      events: [
        step(0, 'response.created', { response: expect.objectContaining({ object: 'response', status: 'in_progress', model: 'gpt-lab' }) as unknown }),
        step(1, 'response.in_progress', { response: expect.objectContaining({ status: 'in_progress' }) as unknown }),
        step(2, 'response.output_item.added', { output_index: 0, item: expect.objectContaining({ type: 'message', status: 'in_progress', content: [] }) as unknown }),
        step(3, 'response.content_part.added', { ...where, part: { type: 'output_text', text: '', annotations: [], logprobs: [] } }),
        step(4, 'response.output_text.delta', { ...where, delta: anyString, logprobs: [], seq: 1 }),
        step(5, 'response.output_text.delta', { ...where, delta: anyString, logprobs: [], seq: 2 }),
        step(6, 'response.output_text.done', { ...where, text: anyString, logprobs: [] }),
        step(7, 'response.content_part.done', { ...where, part: expect.objectContaining({ type: 'output_text' }) as unknown }),
        step(8, 'response.output_item.done', { output_index: 0, item: expect.objectContaining({ status: 'completed' }) as unknown }),
        step(9, 'response.completed', {
          response: expect.objectContaining({ status: 'completed', usage: expect.objectContaining({ output_tokens: 2 }) as unknown }) as unknown,
          seq: 3,
        }),
      ],
    },
  },
  {
    name: 'POST /v1/responses x-lab-fault error=1: one delta, then response.failed (server_error)',
    endpoint: 'provider',
    request: post('/v1/responses', { ...responsesBody, stream: true }, { ...FAST, 'x-lab-fault': 'error=1' }),
    expect: {
      status: 200,
      type: 'sse',
      events: [
        step(0, 'response.created', { response: expect.objectContaining({ status: 'in_progress' }) as unknown }),
        step(1, 'response.in_progress', { response: expect.objectContaining({ status: 'in_progress' }) as unknown }),
        step(2, 'response.output_item.added', { output_index: 0, item: expect.objectContaining({ type: 'message' }) as unknown }),
        step(3, 'response.content_part.added', { ...where, part: expect.objectContaining({ text: '' }) as unknown }),
        step(4, 'response.output_text.delta', { ...where, delta: anyString, logprobs: [] }),
        step(5, 'response.failed', { response: expect.objectContaining({ status: 'failed', error: expect.objectContaining({ code: 'server_error' }) as unknown }) as unknown }),
      ],
    },
  },
  {
    name: 'POST /v1/responses not streamed, max_output_tokens 2: the Response, status incomplete',
    endpoint: 'provider',
    request: post('/v1/responses', { ...responsesBody, max_output_tokens: 2 }),
    expect: {
      status: 200,
      type: 'json',
      body: {
        object: 'response',
        status: 'incomplete',
        incomplete_details: { reason: 'max_output_tokens' },
        output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: anyString }] }],
        usage: { input_tokens: 2, output_tokens: 2, total_tokens: 4 },
      },
    },
  },
  {
    name: 'POST /v1/messages without max_tokens: 400 in Anthropic’s error shape',
    endpoint: 'provider',
    request: post('/v1/messages', { model: 'claude-lab', messages: MESSAGES }),
    expect: {
      status: 400,
      type: 'json',
      body: { type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: Field required' } },
    },
  },
  {
    name: 'GET /v1/messages: 405 with Allow',
    endpoint: 'provider',
    request: { path: '/v1/messages' },
    expect: { status: 405, type: 'json', headers: { allow: 'POST' }, body: { type: 'error', error: { type: 'api_error' } } },
  },
  {
    name: 'POST /v1/embeddings: 404 in OpenAI’s error shape',
    endpoint: 'provider',
    request: post('/v1/embeddings', {}),
    expect: { status: 404, type: 'json', body: { error: { type: 'invalid_request_error', message: expect.stringMatching(/^no endpoint \/v1\/embeddings/) as unknown } } },
  },
];
