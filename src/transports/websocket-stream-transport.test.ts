import { describe, expect, it } from 'vitest';
import { SlowConsumer } from './slow-consumer.ts';
import type { TransportEvent } from './transport.ts';
import { WebSocketStreamTransport, type WebSocketStreamConstructor, type WebSocketStreamLike } from './websocket-stream-transport.ts';

const frame = (seq: number) => JSON.stringify({ type: 'frame', seq, t: performance.timeOrigin + performance.now(), kind: 'tick', data: 'x' });

/**
 * A stand-in for the browser's WebSocketStream: a readable that hands out `messages` one per pull
 * (high-water mark 0, so a message leaves only when the page reads), remembering when each pull came;
 * then closes 1000 as the server does after `done` (or, held, stays open).
 */
function fakeStream(messages: string[], pulls: number[], written: string[], hold = false): WebSocketStreamConstructor {
  return class implements WebSocketStreamLike {
    readonly opened: WebSocketStreamLike['opened'];
    readonly closed: WebSocketStreamLike['closed'];
    constructor(readonly url: string) {
      let close: (info: { closeCode: number; reason: string }) => void = () => {};
      this.closed = new Promise((resolve) => (close = resolve));
      const queue = [...messages];
      const readable = new ReadableStream<unknown>(
        {
          pull(controller) {
            pulls.push(performance.now());
            const next = queue.shift();
            // Held open: nothing more comes, and the connection stays up.
            if (next === undefined && hold) return new Promise<void>(() => {});
            if (next === undefined) {
              controller.close();
              close({ closeCode: 1000, reason: 'complete' });
            } else controller.enqueue(next);
          },
        },
        { highWaterMark: 0 },
      );
      const writable = new WritableStream<string | BufferSource>({
        write(chunk) {
          written.push(String(chunk));
        },
      });
      this.opened = Promise.resolve({ readable, writable });
    }
    close(): void {}
  };
}

function collect(transport: WebSocketStreamTransport): { events: TransportEvent[]; closed: Promise<TransportEvent> } {
  const events: TransportEvent[] = [];
  let done: (e: TransportEvent) => void = () => {};
  const closed = new Promise<TransportEvent>((resolve) => (done = resolve));
  transport.subscribe((event) => {
    events.push(event);
    if (event.type === 'closed') done(event);
  });
  return { events, closed };
}

describe('WebSocketStreamTransport', () => {
  it('reads a message only when the page is free: with 25 ms per frame, reads are at least 25 ms apart', async () => {
    const pulls: number[] = [];
    const messages = [1, 2, 3, 4, 5].map(frame).concat(JSON.stringify({ type: 'done', total: 5 }));
    const transport = new WebSocketStreamTransport(() => 'ws://lab/api/ws', { WebSocketStreamImpl: fakeStream(messages, pulls, []) });
    const consumer = new SlowConsumer(25);
    transport.setConsumer(consumer);
    const { events, closed } = collect(transport);
    transport.connect();
    expect(await closed).toMatchObject({ type: 'closed', reason: { kind: 'complete' } });
    const frames = events.filter((e) => e.type === 'frame');
    expect(frames.map((e) => (e.type === 'frame' ? e.frame.seq : 0))).toEqual([1, 2, 3, 4, 5]);
    // The page never held more than the message it was on.
    expect(consumer.maxQueued).toBeLessThanOrEqual(1);
    for (let i = 1; i < 5; i++) expect(pulls[i] - pulls[i - 1]).toBeGreaterThanOrEqual(24);
  });

  it('pings and cancels on its writable side', async () => {
    const written: string[] = [];
    const transport = new WebSocketStreamTransport(() => 'ws://lab/api/ws', {
      WebSocketStreamImpl: fakeStream([frame(1)], [], written, true),
    });
    const { events } = collect(transport);
    transport.connect();
    await expect.poll(() => events.some((e) => e.type === 'open')).toBe(true);
    transport.ping();
    expect(transport.cancel()).toBe('in-band');
    await expect.poll(() => written.length).toBe(2);
    expect(JSON.parse(written[0])).toMatchObject({ type: 'ping' });
    expect(JSON.parse(written[1])).toEqual({ type: 'cancel' });
    transport.close();
  });

  it('says where it cannot run: no WebSocketStream in this browser, or Mock mode', () => {
    for (const [options, code] of [
      [{ WebSocketStreamImpl: null }, 'wss.unsupported'],
      [{ WebSocketStreamImpl: fakeStream([], [], []), mock: true }, 'wss.needsLive'],
    ] as const) {
      const transport = new WebSocketStreamTransport(() => 'ws://lab/api/ws', options);
      const { events } = collect(transport);
      transport.connect();
      expect(events.map((e) => e.type)).toEqual(['error', 'closed']);
      expect(events[1]).toMatchObject({ reason: { kind: 'failed', issue: { code } } });
    }
  });
});
