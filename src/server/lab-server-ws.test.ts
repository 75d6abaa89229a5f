/**
 * Integration tests of GET /api/ws: the real lab server on a plain node:http server, real sockets,
 * the `ws` package as the client. No fake timers: every wait is on a condition or an event.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { wsRejection } from './lab-server-support.ts';
import { errorOf, range, runCleanups, seqs, startLab, WsClient } from './test-support.ts';

afterEach(runCleanups);

// ---------------------------------------------------------------------------------------------------

describe('GET /api/ws', () => {
  it('streams frames 1..N, then done, then closes normally', async () => {
    const { ws } = await startLab();
    const client = await WsClient.open(`${ws}/api/ws?scenario=ticker&count=12&rate=2000`);
    const closed = await client.closed;
    expect(closed).toEqual({ code: 1000, reason: 'complete' });
    expect(seqs(client.frames)).toEqual(range(1, 12));
    expect(client.messages[client.messages.length - 1]).toEqual({ type: 'done', total: 12 });
  });

  it('resumes after ?after=20', async () => {
    const { ws } = await startLab();
    const client = await WsClient.open(`${ws}/api/ws?scenario=ticker&count=30&rate=2000&after=20`);
    await client.closed;
    expect(seqs(client.frames)).toEqual(range(21, 30));
    expect(client.messages[client.messages.length - 1]).toEqual({ type: 'done', total: 30 });
  });

  it('sends done at once when after is already the last frame', async () => {
    const { ws } = await startLab();
    const client = await WsClient.open(`${ws}/api/ws?scenario=ticker&count=30&after=30`);
    expect(await client.closed).toEqual({ code: 1000, reason: 'complete' });
    expect(client.messages).toEqual([{ type: 'done', total: 30 }]);
  });

  it('answers a ping with a pong echoing t and carrying serverT', async () => {
    const { ws } = await startLab();
    const client = await WsClient.open(`${ws}/api/ws?scenario=ticker&rate=1&count=0`);
    const before = Date.now();
    client.socket.send(JSON.stringify({ type: 'ping', t: 123 }));
    await client.until((c) => c.messages.some((m) => m.type === 'pong'), 'a pong');
    const pong = client.messages.find((m) => m.type === 'pong');
    expect(pong).toEqual({ type: 'pong', t: 123, serverT: expect.any(Number) });
    if (pong?.type !== 'pong') throw new Error('unreachable');
    expect(pong.serverT).toBeGreaterThanOrEqual(before - 50);
    expect(pong.serverT).toBeLessThanOrEqual(Date.now() + 50);
  });

  it('answers garbage with an error message and keeps the socket open', async () => {
    const { ws } = await startLab();
    const client = await WsClient.open(`${ws}/api/ws?scenario=ticker&rate=1&count=0`);
    const errors = () => client.messages.filter((m) => m.type === 'error');

    client.socket.send('this is not json');
    await client.until(() => errors().length === 1, 'an error for text garbage');
    expect(errors()[0]).toEqual({ type: 'error', error: expect.stringContaining('not JSON') });

    client.socket.send(JSON.stringify({ type: 'subscribe' }));
    await client.until(() => errors().length === 2, 'an error for an unknown type');
    expect(errors()[1]).toEqual({ type: 'error', error: expect.stringContaining('"subscribe"') });

    client.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    await client.until(() => errors().length === 3, 'an error for a binary message');
    expect(errors()[2]).toEqual({ type: 'error', error: expect.stringContaining('binary') });

    expect(client.socket.readyState).toBe(WebSocket.OPEN);
    client.socket.send(JSON.stringify({ type: 'ping', t: 7 }));
    await client.until((c) => c.messages.some((m) => m.type === 'pong'), 'a pong after the errors');
    expect(client.messages.find((m) => m.type === 'pong')).toMatchObject({ type: 'pong', t: 7 });
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
  });

  it.each(['abc', '-1', '2.5'])('refuses the upgrade for ?after=%s with 400 JSON', async (value) => {
    const { ws } = await startLab();
    const rejection = await wsRejection(`${ws}/api/ws?scenario=ticker&after=${value}`);
    expect(rejection.status).toBe(400);
    expect(rejection.contentType).toMatch(/^application\/json/);
    expect(errorOf(rejection.body)).toContain('after must be a non-negative integer');
  });

  it('refuses an unknown scenario with 400 JSON naming the valid ones', async () => {
    const { ws } = await startLab();
    const rejection = await wsRejection(`${ws}/api/ws?scenario=telepathy`);
    expect(rejection.status).toBe(400);
    expect(errorOf(rejection.body)).toBe('scenario must be one of ticker, llm, burst, chat, binary, agent; got "telepathy"');
  });
});
