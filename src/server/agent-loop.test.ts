/**
 * The agent loop on the real live server (node:http + ws, real sockets): a whole run over a WebSocket
 * (results in band), over an EventSource-style GET with the POST /api/chat side channel, and over
 * POST /api/agent turns in both variants, with nothing lost and the modelled load where it belongs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { conversationAfter, toolResultContent } from '../protocol/agent.ts';
import type { Frame } from '../protocol/frame.ts';
import { range, runCleanups, seqs, SseStream, startLab, WsClient } from './test-support.ts';

afterEach(runCleanups);

const params = { turns: 3, tokens: 2, ttft: 0, tool: 0, result: 32, sessionLoadMs: 0, seed: 7 };
const query = (p: Record<string, number>) => new URLSearchParams(Object.entries({ scenario: 'agent', ...p }).map(([k, v]) => [k, String(v)]));
const frameOf = (data: string): Frame => JSON.parse(data) as Frame;

describe('the agent loop, live', () => {
  it('WebSocket: each result on the socket releases the next step; 12 frames, nothing lost, no answer to a result', async () => {
    const { ws } = await startLab();
    const client = await WsClient.open(`${ws}/api/ws?${query(params)}&run=w1`);
    for (let turn = 1; turn <= 3; turn++) {
      await client.until((c) => c.messages.some((m) => m.type === 'frame' && m.kind === 'tool' && m.seq === turn * 3), `tool call ${turn}`);
      // Held: nothing of the next step comes before the result.
      expect(client.messages.filter((m) => m.type === 'frame').length).toBe(turn * 3);
      client.socket.send(JSON.stringify({ type: 'tool_result', turn, t: 1, content: toolResultContent(params, turn) }));
    }
    expect(await client.closed).toEqual({ code: 1000, reason: 'complete' });
    const frames = client.messages.filter((m): m is Frame => m.type === 'frame');
    expect(seqs(frames)).toEqual(range(1, 12));
    expect(client.messages.filter((m) => m.type === 'error')).toEqual([]);
  });

  it('EventSource + side channel: a result for the wrong turn is refused (409), the right one releases after the modelled load', async () => {
    const { http } = await startLab();
    const p = { ...params, sessionLoadMs: 60 };
    const stream = await SseStream.open(`${http}/api/sse?${query(p)}&run=e1`);
    const post = (turn: number) =>
      fetch(`${http}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'tool_result', run: 'e1', transport: 'sse', turn, t: 1, content: 'ok' }),
      });
    await stream.until((s) => s.events.length >= 3, 'step 1');
    const wrong = await post(2);
    expect(wrong.status).toBe(409);
    expect(await wrong.json()).toEqual({ error: 'the stream waits for the result of turn 1; got turn 2' });
    for (let turn = 1; turn <= 3; turn++) {
      await stream.until((s) => s.events.length >= turn * 3, `tool call ${turn}`);
      const sent = Date.now();
      const answer = await post(turn);
      expect(answer.status).toBe(202);
      expect(await answer.json()).toMatchObject({ delivered: 1, requestBytes: expect.any(Number), connection: expect.any(Number) });
      await stream.until((s) => s.events.length > turn * 3, `step ${turn + 1}`);
      // The modelled session load (60 ms) came before the next step's first token.
      expect(Date.now() - sent).toBeGreaterThanOrEqual(55);
    }
    await stream.finished;
    const frames = stream.events.filter((e) => e.type === 'message').map((e) => frameOf(e.data));
    expect(seqs(frames)).toEqual(range(1, 12));
  });

  it('POST /api/agent: stateless re-sends the conversation, previous id only the input; both play the same steps', async () => {
    const { http } = await startLab();
    const step = async (body: unknown) => {
      const s = await SseStream.post(`${http}/api/agent`, body);
      await s.finished;
      return { s, frames: s.events.filter((e) => e.type === 'message').map((e) => frameOf(e.data)) };
    };
    const texts: string[] = [];
    const stateless: Frame[] = [];
    for (let done = 0; done <= 3; done++) {
      const { s, frames } = await step({ variant: 'stateless', params, run: 's1', messages: conversationAfter(params, done, (k) => texts[k - 1]) });
      expect(Number(s.response.headers.get('x-lab-request-bytes'))).toBeGreaterThan(0);
      texts.push(frames.filter((f) => f.kind === 'token').map((f) => f.data).join(''));
      stateless.push(...frames);
    }
    const previous: Frame[] = [];
    let id: string | null = null;
    for (let turn = 0; turn <= 3; turn++) {
      const input = { type: 'tool_result', turn, t: 1, content: toolResultContent(params, turn) };
      const body = turn === 0 ? { variant: 'previous', params, run: 'p1' } : { variant: 'previous', params, run: 'p1', previous_response_id: id, input };
      const { s, frames } = await step(body);
      id = s.response.headers.get('x-lab-response-id');
      previous.push(...frames);
    }
    expect(seqs(stateless)).toEqual(range(1, 12));
    expect(previous.map((f) => [f.seq, f.kind, f.data])).toEqual(stateless.map((f) => [f.seq, f.kind, f.data]));
    expect(stateless.at(-1)?.kind).toBe('end');
  });
});
