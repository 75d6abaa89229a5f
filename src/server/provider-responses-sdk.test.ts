/**
 * The OpenAI SDK's Responses API against POST /v1/responses on the live server (the stream helper, the
 * raw named events, the non-streaming Response, faults), and the stall fault on every provider path:
 * the stream goes silent after N tokens and no SDK times out a stream that has begun — only the
 * caller's own abort ends the wait.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { expectQuiet, postFault, runCleanups, startLab, type Lab } from './test-support.ts';
import { readPost, tokens } from './stream-post-support.ts';

afterEach(runCleanups);

const FAST = 'ttft=0&tps=1000&tokens=12';
const INPUT = 'Why SSE?';

function openai(lab: Lab, headers: Record<string, string> = {}, maxRetries = 0): OpenAI {
  return new OpenAI({ baseURL: `${lab.http}/v1`, apiKey: 'x', maxRetries, defaultHeaders: { 'x-lab-params': FAST, ...headers } });
}

/** What POST /api/stream answers for the same conversation and pace. */
async function labText(lab: Lab, messages: readonly { role: string; content: string }[], count = 12): Promise<string> {
  const stream = await readPost(`${lab.http}/api/stream`, { messages, params: { ttft: 0, tps: 1000, tokens: count } });
  return tokens(stream.frames).join('');
}

const request = { model: 'gpt-lab', input: INPUT };

describe('OpenAI SDK → POST /v1/responses', () => {
  it('responses.stream(): output_text deltas and finalResponse() with the lab text and usage', async () => {
    const lab = await startLab();
    const expected = await labText(lab, [{ role: 'user', content: INPUT }]);
    const stream = openai(lab).responses.stream(request);
    const deltas: string[] = [];
    stream.on('response.output_text.delta', (event) => deltas.push(event.delta));
    const response = await stream.finalResponse();
    expect(deltas).toHaveLength(12);
    expect(deltas.join('')).toBe(expected);
    expect(response).toMatchObject({
      object: 'response',
      status: 'completed',
      model: 'gpt-lab',
      output: [{ type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: expected }] }],
      usage: { input_tokens: 2, output_tokens: 12, total_tokens: 14 },
    });
    await expectQuiet(lab.lab);
  });

  it('create({stream: true}): the named events in order, sequence_number 0, 1, 2, …', async () => {
    const lab = await startLab();
    const events: OpenAI.Responses.ResponseStreamEvent[] = [];
    const stream = await openai(lab, { 'x-lab-params': 'ttft=0&tps=1000&tokens=2' }).responses.create({ ...request, stream: true });
    for await (const event of stream) events.push(event);
    expect(events.map((e) => e.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    // No lab stamps unless the lab's page asks for them (x-lab-stamps: 1).
    expect(JSON.stringify(events)).not.toMatch(/"seq"|"t":/);
  });

  it('instructions are a system message; max_output_tokens ends with response.incomplete, which the helper does not apply', async () => {
    const lab = await startLab();
    const expected = await labText(lab, [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: INPUT }], 3);
    const stream = openai(lab).responses.stream({ ...request, instructions: 'Be brief.', max_output_tokens: 3 });
    const incomplete: OpenAI.Responses.ResponseIncompleteEvent[] = [];
    stream.on('response.incomplete', (event) => incomplete.push(event));
    const response = await stream.finalResponse();
    expect(incomplete).toHaveLength(1);
    expect(incomplete[0].response).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
      max_output_tokens: 3,
      output: [{ content: [{ text: expected }] }],
    });
    // openai 6.30's ResponseStream takes the final snapshot only from response.completed: it returns its own, "in_progress".
    expect(response.status).toBe('in_progress');
    expect(response.output).toMatchObject([{ content: [{ text: expected }] }]);
  });

  it('input as message items gives the same text as the string; non-streaming returns the Response', async () => {
    const lab = await startLab();
    const client = openai(lab);
    const plain = await client.responses.create(request);
    const items = await client.responses.create({
      model: 'gpt-lab',
      input: [{ role: 'user', content: [{ type: 'input_text', text: INPUT }] }],
    });
    expect(plain.status).toBe('completed');
    expect(plain.output_text).toBe(await labText(lab, [{ role: 'user', content: INPUT }]));
    expect(items.output_text).toBe(plain.output_text);
  });

  it('a bad request: BadRequestError naming the parameter', async () => {
    const lab = await startLab();
    const error: unknown = await openai(lab).responses.create({ model: 'gpt-lab' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({ status: 400, param: 'input', message: expect.stringContaining("Missing required parameter: 'input'.") as unknown });
  });

  it('429 before the stream: RateLimitError; one armed 503 is retried by the SDK', async () => {
    const lab = await startLab();
    const limited: unknown = await openai(lab, { 'x-lab-fault': 'status=429&retryAfter=0' }).responses.stream(request).finalResponse().catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
    expect((await postFault(lab.http, { action: 'http-error', status: 503, target: 'fetch', run: 'r503' })).status).toBe(200);
    const response = await openai(lab, { 'x-lab-run': 'r503' }, 1).responses.stream(request).finalResponse();
    expect(response.status).toBe('completed');
    expect(lab.lab.stats().refused.fetch).toBe(2);
  });

  it('the error fault: response.failed after the first deltas; finalResponse() keeps the partial snapshot', async () => {
    const lab = await startLab();
    const stream = openai(lab, { 'x-lab-fault': 'error=3' }).responses.stream(request);
    const deltas: string[] = [];
    const failed: OpenAI.Responses.ResponseFailedEvent[] = [];
    stream.on('response.output_text.delta', (event) => deltas.push(event.delta));
    stream.on('response.failed', (event) => failed.push(event));
    const response = await stream.finalResponse();
    expect(deltas).toHaveLength(3);
    expect(failed).toHaveLength(1);
    expect(failed[0].response).toMatchObject({ status: 'failed', error: { code: 'server_error' } });
    // The SDK does not throw: the snapshot it returns is the one it built, still "in_progress".
    expect(response.status).toBe('in_progress');
    expect(response.output).toMatchObject([{ content: [{ text: deltas.join('') }] }]);
    await expectQuiet(lab.lab);
  });

  it('a dropped stream: finalResponse() rejects with fetch’s own error; nobody resumes it', async () => {
    const lab = await startLab();
    const error: unknown = await openai(lab, { 'x-lab-fault': 'drop=4' }).responses.stream(request).finalResponse().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.OpenAIError);
    expect(error).not.toBeInstanceOf(OpenAI.APIError);
    expect(lab.lab.stats().dropped.fetch).toBe(1);
  });
});

describe('the stall fault: silent after N tokens, for stallMs', () => {
  it('no SDK gives up on a stream that has begun; the caller’s abort ends it (APIUserAbortError)', async () => {
    const lab = await startLab();
    const controller = new AbortController();
    // A 10-minute request timeout: it bounds the wait for the response headers, not the stream after them.
    const client = new OpenAI({ baseURL: `${lab.http}/v1`, apiKey: 'x', maxRetries: 0, timeout: 600_000, defaultHeaders: { 'x-lab-params': FAST } });
    const stream = client.chat.completions.stream(
      { model: 'gpt-lab', messages: [{ role: 'user', content: INPUT }] },
      { headers: { 'x-lab-fault': 'stall=3&stallMs=600000' }, signal: controller.signal },
    );
    const deltas: string[] = [];
    stream.on('content.delta', ({ delta }) => deltas.push(delta));
    const outcome = stream.finalChatCompletion().catch((e: unknown) => e);
    // Three tokens, then the server holds the stream open and writes nothing.
    await vi.waitFor(() => expect(deltas).toHaveLength(3), { timeout: 5_000, interval: 10 });
    expect(lab.lab.stats().open.fetch).toBe(1);
    controller.abort();
    expect(await outcome).toBeInstanceOf(OpenAI.APIUserAbortError);
    expect(deltas).toHaveLength(3);
    await expectQuiet(lab.lab);
  });

  it('after stallMs the held tokens arrive and the answer completes (Anthropic, Responses)', async () => {
    const lab = await startLab();
    const anthropic = new Anthropic({ baseURL: lab.http, apiKey: 'x', maxRetries: 0, defaultHeaders: { 'x-lab-params': FAST, 'x-lab-fault': 'stall=5&stallMs=300' } });
    const started = performance.now();
    const message = await anthropic.messages.stream({ model: 'claude-lab', max_tokens: 100, messages: [{ role: 'user', content: INPUT }] }).finalMessage();
    expect(performance.now() - started).toBeGreaterThanOrEqual(280);
    expect(message.content).toEqual([{ type: 'text', text: await labText(lab, [{ role: 'user', content: INPUT }]) }]);
    const response = await openai(lab, { 'x-lab-fault': 'stall=5&stallMs=300' }).responses.stream(request).finalResponse();
    expect(response.status).toBe('completed');
    await expectQuiet(lab.lab);
  });

  it('a bad stall is the provider’s 400', async () => {
    const lab = await startLab();
    const error: unknown = await openai(lab, { 'x-lab-fault': 'stall=3&stallMs=0' }).responses.create(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as Error).message).toMatch(/stallMs/);
  });
});
