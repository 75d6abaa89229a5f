/**
 * The official SDKs (`openai`, `@anthropic-ai/sdk`) against the live server's provider-compatible
 * endpoints: the stream helpers, raw streams and non-streaming calls give the text POST /api/stream
 * gives for the same messages, with usage; each fault surfaces as the SDK's own error or its retry.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { expectQuiet, postFault, runCleanups, startLab, type Lab } from './test-support.ts';
import { readPost, tokens } from './stream-post-support.ts';

afterEach(runCleanups);

const MESSAGES = [{ role: 'user' as const, content: 'Why SSE?' }];
const FAST = 'ttft=0&tps=1000&tokens=12';

function openai(lab: Lab, headers: Record<string, string> = {}, maxRetries = 0): OpenAI {
  return new OpenAI({ baseURL: `${lab.http}/v1`, apiKey: 'x', maxRetries, defaultHeaders: { 'x-lab-params': FAST, ...headers } });
}

function anthropic(lab: Lab, headers: Record<string, string> = {}, maxRetries = 0): Anthropic {
  return new Anthropic({ baseURL: lab.http, apiKey: 'x', maxRetries, defaultHeaders: { 'x-lab-params': FAST, ...headers } });
}

/** What POST /api/stream answers for the same messages and pace: the expected text. */
async function labText(lab: Lab, count = 12): Promise<string> {
  const stream = await readPost(`${lab.http}/api/stream`, { messages: MESSAGES, params: { ttft: 0, tps: 1000, tokens: count } });
  return tokens(stream.frames).join('');
}

const chat = { model: 'gpt-lab', messages: MESSAGES };
const message = { model: 'claude-lab', max_tokens: 1024, messages: MESSAGES };

/** messages.stream() to its end: the text events it emitted and what finalMessage() rejected with. */
async function anthropicOutcome(client: Anthropic): Promise<{ texts: string[]; error: unknown }> {
  const stream = client.messages.stream(message);
  const texts: string[] = [];
  stream.on('text', (text) => texts.push(text));
  const error: unknown = await stream.finalMessage().then(
    () => null,
    (e: unknown) => e,
  );
  return { texts, error };
}

describe('OpenAI SDK → POST /v1/chat/completions', () => {
  it('chat.completions.stream(): content.delta events and finalChatCompletion() with the lab text and usage', async () => {
    const lab = await startLab();
    const expected = await labText(lab);
    const stream = openai(lab).chat.completions.stream({ ...chat, stream_options: { include_usage: true } });
    const deltas: string[] = [];
    stream.on('content.delta', ({ delta }) => deltas.push(delta));
    const completion = await stream.finalChatCompletion();
    expect(deltas).toHaveLength(12);
    expect(deltas.join('')).toBe(expected);
    expect(completion).toMatchObject({
      model: 'gpt-lab',
      choices: [{ message: { role: 'assistant', content: expected }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 2, completion_tokens: 12, total_tokens: 14 },
    });
    await expectQuiet(lab.lab);
  });

  it('create({stream: true}): raw chunks, role first, then a usage chunk; max_tokens cuts with finish_reason length', async () => {
    const lab = await startLab();
    const expected = await labText(lab, 5);
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    const stream = await openai(lab).chat.completions.create({ ...chat, max_tokens: 5, stream: true, stream_options: { include_usage: true } });
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks[0]).toMatchObject({ object: 'chat.completion.chunk', model: 'gpt-lab', choices: [{ delta: { role: 'assistant' } }] });
    expect(chunks.every((c) => c.id === chunks[0].id && typeof c.created === 'number')).toBe(true);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(expected);
    expect(chunks.at(-2)?.choices[0].finish_reason).toBe('length');
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { completion_tokens: 5 } });
  });

  it('non-streaming: the same text; seed changes it', async () => {
    const lab = await startLab();
    const client = openai(lab);
    const completion = await client.chat.completions.create(chat);
    expect(completion.choices[0].message.content).toBe(await labText(lab));
    expect(completion.usage).toMatchObject({ completion_tokens: 12 });
    const seeded = await client.chat.completions.create({ ...chat, seed: 7 });
    expect(seeded.choices[0].message.content).not.toBe(completion.choices[0].message.content);
  });

  it('a bad request: BadRequestError with OpenAI’s error shape', async () => {
    const lab = await startLab();
    const error: unknown = await openai(lab).chat.completions.create({ model: 'gpt-lab', messages: [] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({ status: 400, type: 'invalid_request_error', param: 'messages' });
  });

  it('429 before the stream: RateLimitError without retries; retried after Retry-After with one', async () => {
    const lab = await startLab();
    const limited = openai(lab, { 'x-lab-fault': 'status=429&retryAfter=0' });
    const error: unknown = await limited.chat.completions.create({ ...chat, stream: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.APIError>).headers?.get('retry-after')).toBe('0');

    // One armed 429 (POST /api/faults, scoped to a run): the SDK waits Retry-After (1 s), then the stream comes.
    expect((await postFault(lab.http, { action: 'http-error', status: 429, target: 'fetch', run: 'r429' })).status).toBe(200);
    const started = Date.now();
    const completion = await openai(lab, { 'x-lab-run': 'r429' }, 1).chat.completions.stream(chat).finalChatCompletion();
    expect(completion.choices[0].message.content).toBe(await labText(lab));
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(lab.lab.stats().refused.fetch).toBe(2);
  });

  it('500 before the stream: InternalServerError', async () => {
    const lab = await startLab();
    const error: unknown = await openai(lab, { 'x-lab-fault': 'status=500' }).chat.completions.stream(chat).finalChatCompletion().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
  });

  it('an error chunk after a 200: APIError with the server_error, after the first tokens', async () => {
    const lab = await startLab();
    const stream = openai(lab, { 'x-lab-fault': 'error=3' }).chat.completions.stream(chat);
    const deltas: string[] = [];
    stream.on('content.delta', ({ delta }) => deltas.push(delta));
    const error: unknown = await stream.finalChatCompletion().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error).toMatchObject({ type: 'server_error' });
    expect(deltas).toHaveLength(3);
    await expectQuiet(lab.lab);
  });

  it('a dropped stream: the iteration throws, nobody resumes it', async () => {
    const lab = await startLab();
    const stream = await openai(lab, { 'x-lab-fault': 'drop=4' }).chat.completions.create({ ...chat, stream: true });
    const seen: string[] = [];
    const error: unknown = await (async () => {
      for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? '');
    })().catch((e: unknown) => e);
    // Not an APIConnectionError: fetch's own TypeError (undici: "terminated"), after the first chunks.
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('terminated');
    // The stream helper wraps it in the SDK's base error, still not an APIError.
    const helper: unknown = await openai(lab, { 'x-lab-fault': 'drop=4' }).chat.completions.stream(chat).finalChatCompletion().catch((e: unknown) => e);
    expect(helper).toBeInstanceOf(OpenAI.OpenAIError);
    expect(helper).not.toBeInstanceOf(OpenAI.APIError);
    expect(seen.length).toBeGreaterThanOrEqual(1);
    expect(seen.length).toBeLessThanOrEqual(5); // the role chunk and at most 4 tokens
    expect(lab.lab.stats().dropped.fetch).toBe(2);
    // Not streamed, the same fault cuts the connection before any answer: APIConnectionError.
    const cut: unknown = await openai(lab, { 'x-lab-fault': 'drop=4' }).chat.completions.create(chat).catch((e: unknown) => e);
    expect(cut).toBeInstanceOf(OpenAI.APIConnectionError);
  });
});

describe('Anthropic SDK → POST /v1/messages', () => {
  it('messages.stream(): text events and finalMessage() with the lab text and usage', async () => {
    const lab = await startLab();
    const expected = await labText(lab);
    const stream = anthropic(lab).messages.stream(message);
    const texts: string[] = [];
    stream.on('text', (text) => texts.push(text));
    const final = await stream.finalMessage();
    expect(texts.join('')).toBe(expected);
    expect(final).toMatchObject({
      role: 'assistant',
      model: 'claude-lab',
      content: [{ type: 'text', text: expected }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 2, output_tokens: 12 },
    });
    await expectQuiet(lab.lab);
  });

  it('create({stream: true}): the whole event sequence in order; max_tokens gives stop_reason max_tokens', async () => {
    const lab = await startLab();
    const stream = await anthropic(lab).messages.create({ ...message, max_tokens: 2, stream: true });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    // The SDK skips ping; the rest in the documented order.
    const order = 'message_start content_block_start content_block_delta content_block_delta content_block_stop message_delta message_stop';
    expect(types.join(' ')).toBe(order);
    const final = await anthropic(lab).messages.stream({ ...message, max_tokens: 2 }).finalMessage();
    expect(final).toMatchObject({ stop_reason: 'max_tokens', usage: { output_tokens: 2 } });
    expect(final.content).toEqual([{ type: 'text', text: await labText(lab, 2) }]);
  });

  it('non-streaming: the Message with the same text', async () => {
    const lab = await startLab();
    const final = await anthropic(lab).messages.create(message);
    expect(final).toMatchObject({ type: 'message', content: [{ type: 'text', text: await labText(lab) }], usage: { output_tokens: 12 } });
  });

  it('a bad request: BadRequestError with Anthropic’s error shape', async () => {
    const lab = await startLab();
    const error: unknown = await anthropic(lab)
      .messages.create({ model: 'claude-lab', messages: MESSAGES } as unknown as Anthropic.MessageCreateParamsNonStreaming)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect(error).toMatchObject({ status: 400, error: { type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: Field required' } } });
  });

  it('429 and 500 before the stream: RateLimitError and InternalServerError', async () => {
    const lab = await startLab();
    const limited: unknown = await anthropic(lab, { 'x-lab-fault': 'status=429&retryAfter=0' }).messages.stream(message).finalMessage().catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(Anthropic.RateLimitError);
    const failed: unknown = await anthropic(lab, { 'x-lab-fault': 'status=500' }).messages.create(message).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(Anthropic.InternalServerError);
  });

  it('a 429 is retried (maxRetries 2): three attempts, then RateLimitError', async () => {
    const lab = await startLab();
    const error: unknown = await anthropic(lab, { 'x-lab-fault': 'status=429&retryAfter=0' }, 2).messages.create(message).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect(lab.lab.stats().refused.fetch).toBe(3);
  });

  it('event: error (overloaded_error) after a 200: APIError of that type, after the first text', async () => {
    const lab = await startLab();
    const { texts, error } = await anthropicOutcome(anthropic(lab, { 'x-lab-fault': 'error=3' }));
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(error).toMatchObject({ error: { type: 'error', error: { type: 'overloaded_error' } } });
    expect(texts).toHaveLength(3);
    await expectQuiet(lab.lab);
  });

  it('a dropped stream: finalMessage() rejects, nobody resumes it', async () => {
    const lab = await startLab();
    const { texts, error } = await anthropicOutcome(anthropic(lab, { 'x-lab-fault': 'drop=4' }));
    expect(error).toBeInstanceOf(Anthropic.AnthropicError);
    expect(error).not.toBeInstanceOf(Anthropic.APIError);
    expect((error as Error).message).toBe('terminated');
    expect(texts.length).toBeLessThanOrEqual(4);
    expect(lab.lab.stats().dropped.fetch).toBe(1);
  });
});
