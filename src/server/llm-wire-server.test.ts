import { afterEach, describe, expect, it } from 'vitest';
import { decodeWire } from '../protocol/llm-wire.ts';
import { runCleanups, SseStream, startLab } from './test-support.ts';

afterEach(runCleanups);

describe('LLM wire formats on the live endpoints', () => {
  it('GET /api/sse?format=anthropic streams named events that decode to the same answer as the lab format', async () => {
    const { http } = await startLab();
    const query = 'scenario=llm&tokens=15&ttft=0&tps=1000&seed=9';
    const lab = await SseStream.open(`${http}/api/sse?${query}`);
    const named = await SseStream.open(`${http}/api/sse?${query}&format=anthropic`);
    await Promise.all([lab.finished, named.finished]);
    const text = (events: { type: string; data: string }[]) =>
      events
        .map((e) => decodeWire(e.type, e.data))
        .flatMap((m) => (m.kind === 'frame' && m.frame.kind === 'token' ? [m.frame.data] : []))
        .join('');
    expect(text(named.events)).toBe(text(lab.events));
    expect(text(lab.events).length).toBeGreaterThan(20);
    expect(named.events.map((e) => e.type)).toContain('content_block_delta');
    expect(named.events.at(-1)?.type).toBe('message_stop');
    expect(named.events.some((e) => e.type === 'done')).toBe(false);
  });

  it('POST /api/stream with format "openai" ends with data: [DONE]', async () => {
    const { http } = await startLab();
    const response = await fetch(`${http}/api/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scenario: 'llm', params: { tokens: 5, ttft: 0, tps: 1000 }, format: 'openai' }),
    });
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(body.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect(body).toContain('"object":"chat.completion.chunk"');
  });

  it.each([
    ['/api/sse?scenario=llm&format=grpc', 'format must be "lab", "anthropic" or "openai"; got "grpc"'],
    ['/api/sse?scenario=ticker&format=openai', 'format "openai" shapes token streams: use it with scenario=llm'],
  ])('%s → 400 with the reason', async (path, reason) => {
    const { http } = await startLab();
    const response = await fetch(`${http}${path}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: reason });
  });
});
