import { describe, expect, it } from 'vitest';
import { StreamLog } from '../protocol/stream-log.ts';
import { answerClientMessage } from './client-messages.ts';
import { createCounters } from './counters.ts';

function target() {
  const record = new StreamLog().open('r1', 'ws', 0, 0);
  StreamLog.wrote(record, 7);
  let stopped = 0;
  return { t: { record, stopPlayer: () => stopped++ }, stopped: () => stopped };
}

describe('answerClientMessage', () => {
  it('ping → pong with the client t and the server clock', () => {
    const { t } = target();
    expect(answerClientMessage('{"type":"ping","t":12.5}', t, createCounters(), () => 99)).toEqual({ type: 'pong', t: 12.5, serverT: 99 });
  });

  it('chat → reply, counted', () => {
    const { t } = target();
    const counters = createCounters();
    expect(answerClientMessage('{"type":"chat","id":"c1","t":3,"text":"a b c"}', t, counters, () => 4)).toEqual({
      type: 'reply',
      id: 'c1',
      t: 3,
      serverT: 4,
      text: 'Got "c1" (3 words).',
    });
    expect(counters.chat).toBe(1);
  });

  it('cancel → the player stops, the record says cancel, and the answer carries the last seq', () => {
    const { t, stopped } = target();
    expect(answerClientMessage('{"type":"cancel"}', t, createCounters(), () => 8)).toEqual({ type: 'cancelled', lastSeq: 7, serverT: 8 });
    expect(stopped()).toBe(1);
    expect(t.record).toMatchObject({ reason: 'cancel', stoppedAt: 8 });
  });

  it.each([
    [null, 'binary messages are not understood; send JSON text'],
    ['nope', 'message is not JSON'],
    ['[1]', 'message must be a JSON object'],
    ['{"type":"ping"}', 'ping needs a numeric "t"'],
    ['{"type":"shout"}', 'unknown message type "shout"; expected "ping", "cancel", "chat" or "tool_result"'],
  ])('%j → an error message, nothing else happens', (text, error) => {
    const { t, stopped } = target();
    const counters = createCounters();
    expect(answerClientMessage(text, t, counters)).toEqual({ type: 'error', error });
    expect(stopped()).toBe(0);
    expect(counters.chat).toBe(0);
    expect(t.record.reason).toBeNull();
  });
});

describe('answerClientMessage: tool results (the agent loop)', () => {
  const record = new StreamLog().open('r', 'ws', 0, 0);
  it('a released step gets no answer; a refused one its reason; a stream that is not an agent loop says so', () => {
    const counters = createCounters();
    const text = '{"type":"tool_result","turn":1,"t":2,"content":"ok"}';
    expect(answerClientMessage(text, { record, stopPlayer: () => {}, releaseTurn: () => null }, counters)).toBeNull();
    expect(answerClientMessage(text, { record, stopPlayer: () => {}, releaseTurn: () => 'not waiting' }, counters)).toEqual({ type: 'error', error: 'not waiting' });
    expect(answerClientMessage(text, { record, stopPlayer: () => {} }, counters)).toEqual({
      type: 'error',
      error: 'this stream is not an agent loop (scenario=agent)',
    });
  });
});
