/**
 * Transports write messages as keys and variables; the page translates them where they are shown, so a
 * language switch also changes a message written before it.
 */
import { describe, expect, it } from 'vitest';
import { FetchSseTransport } from './fetch-sse-transport.ts';
import { describeClose } from './websocket-transport.ts';
import { textIn } from '../i18n/local-text.ts';
import type { CloseReason, TransportEvent, TransportMessage } from './transport.ts';

/** A fetch + SSE transport whose server answers 200 with this content type (none for ''): it fails at once. */
async function failure(type = 'text/plain'): Promise<{ reason: CloseReason; errors: TransportMessage[] }> {
  const fetchImpl: typeof fetch = () =>
    // A byte body, so that Response adds no content type of its own.
    Promise.resolve(new Response(new TextEncoder().encode('hello'), { status: 200, headers: type ? { 'content-type': type } : {} }));
  const transport = new FetchSseTransport('http://lab.test/api/stream', { body: {}, fetchImpl });
  const events: TransportEvent[] = [];
  const closed = new Promise<CloseReason>((resolve) =>
    transport.subscribe((event) => {
      events.push(event);
      if (event.type === 'closed') resolve(event.reason);
    }),
  );
  transport.connect();
  const reason = await closed;
  return { reason, errors: events.flatMap((e) => (e.type === 'error' ? [e.message] : [])) };
}

describe('transport messages', () => {
  it('name WebSocket close codes in either language, with the reason when there is one', () => {
    expect(textIn('en', describeClose(1008, 'not allowed'))).toBe('1008 (policy violation): not allowed');
    expect(textIn('en', describeClose(4000, ''))).toBe('4000 (application-defined)');
    expect(textIn('zh', describeClose(1006, ''))).toBe('1006（异常关闭：没有关闭帧，连接被切断或从未建立）');
    expect(textIn('zh', describeClose(4000, 'bye'))).toBe('4000（应用自定义）：bye');
  });

  it('one failure reads in English and, after a switch, in Chinese: the event carries no language', async () => {
    const { reason, errors } = await failure();
    if (reason.kind !== 'failed') throw new Error(`expected a failure, got ${reason.kind}`);
    expect(errors).toEqual([reason.message]);
    expect(textIn('en', reason.message)).toBe('The server answered "text/plain", not text/event-stream.');
    expect(textIn('zh', reason.message)).toBe('服务器返回的是 "text/plain"，而不是 text/event-stream。');
  });

  it('a message inside a message is translated too (no content type at all)', async () => {
    const { reason } = await failure('');
    if (reason.kind !== 'failed') throw new Error(`expected a failure, got ${reason.kind}`);
    expect(textIn('en', reason.message)).toBe('The server answered no content type, not text/event-stream.');
    expect(textIn('zh', reason.message)).toBe('服务器返回的是 无内容类型，而不是 text/event-stream。');
  });
});
