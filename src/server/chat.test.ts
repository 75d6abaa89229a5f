import { afterEach, describe, expect, it } from 'vitest';
import { runCleanups, SseStream, startLab, WsClient } from './test-support.ts';

afterEach(runCleanups);

async function postChat(http: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${http}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('two-way chat', () => {
  it('POST /api/chat answers on the running SSE stream of that run, with the message id and t echoed', async () => {
    const { http } = await startLab();
    const stream = await SseStream.open(`${http}/api/sse?scenario=chat&rate=50&run=c1`);
    await stream.until((s) => s.frames.length >= 2, 'two frames');
    const answer = await postChat(http, { run: 'c1', transport: 'sse', type: 'chat', id: 'm1', t: 123.5, text: 'hello there' });
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ delivered: 1 });
    // Measured by the server: request line, headers and body.
    expect(answer.body.requestBytes).toBeGreaterThan(100);
    expect(typeof answer.body.connection).toBe('number');
    await stream.until((s) => s.events.some((e) => e.type === 'reply'), 'a reply event');
    const reply = JSON.parse(stream.events.find((e) => e.type === 'reply')?.data ?? '{}') as Record<string, unknown>;
    expect(reply).toMatchObject({ type: 'reply', id: 'm1', t: 123.5 });
    expect(typeof reply.serverT).toBe('number');
  });

  it('answers a chat message on the WebSocket itself', async () => {
    const { ws } = await startLab();
    const client = await WsClient.open(`${ws}/api/ws?scenario=chat&rate=50`);
    await client.until((c) => c.frames.length >= 2, 'two frames');
    client.socket.send(JSON.stringify({ type: 'chat', id: 'w1', t: 7, text: 'hi' }));
    await client.until((c) => c.messages.some((m) => m.type === 'reply'), 'a reply');
    expect(client.messages.find((m) => m.type === 'reply')).toMatchObject({ type: 'reply', id: 'w1', t: 7 });
  });

  it.each([
    [{ transport: 'sse', type: 'chat', id: 'm1', t: 1, text: 'x' }, 400, 'chat needs the "run" of the stream to answer on (1 to 64 letters, digits, "-", "_" or ".")'],
    [{ run: 'c1', transport: 'ws', type: 'chat', id: 'm1', t: 1, text: 'x' }, 400, 'transport must be "sse" or "fetch" (WebSocket lanes chat on their socket)'],
    [{ run: 'c1', transport: 'sse', id: 'bad id!', t: 1, text: 'x' }, 400, 'chat needs an "id" of 1 to 64 letters, digits, "-", "_" or "."'],
    [{ run: 'nobody', transport: 'sse', id: 'm1', t: 1, text: 'x' }, 404, 'no open sse stream for run "nobody" to answer on'],
  ])('%j → %i with the reason', async (body, status, error) => {
    const { http } = await startLab();
    const answer = await postChat(http, body);
    expect(answer.status).toBe(status);
    expect(answer.body).toEqual({ error });
  });

  it('GET /api/chat → 405', async () => {
    const { http } = await startLab();
    const response = await fetch(`${http}/api/chat`);
    expect(response.status).toBe(405);
    expect(((await response.json()) as { error: string }).error).toContain('use POST');
  });
});
