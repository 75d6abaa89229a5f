/** Transports write their messages in the language they are given; English when none is. */
import { describe, expect, it } from 'vitest';
import { FetchSseTransport } from './fetch-sse-transport.ts';
import { describeClose } from './websocket-transport.ts';
import type { Lang } from '../i18n/translate.ts';
import type { CloseReason, TransportEvent } from './transport.ts';

/** A fetch + SSE transport whose server answers 200 text/plain: it fails at once. */
async function failure(lang?: Lang): Promise<{ reason: CloseReason; errors: string[] }> {
  const fetchImpl: typeof fetch = () =>
    Promise.resolve(new Response('hello', { status: 200, headers: { 'content-type': 'text/plain' } }));
  const transport = new FetchSseTransport('http://lab.test/api/stream', { body: {}, fetchImpl, lang });
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
  it('names WebSocket close codes in English by default and in Chinese when asked', () => {
    expect(describeClose(1008, 'not allowed')).toBe('1008 (policy violation): not allowed');
    expect(describeClose(4000, '')).toBe('4000 (application-defined)');
    expect(describeClose(1006, '', 'zh')).toBe('1006 (异常关闭：没有关闭帧，连接被切断或从未建立)');
    expect(describeClose(4000, 'bye', 'zh')).toBe('4000 (应用自定义): bye');
  });

  it('a failure reads in English by default', async () => {
    const { reason, errors } = await failure();
    const message = 'The server answered "text/plain", not text/event-stream.';
    expect(reason).toEqual({ kind: 'failed', message });
    expect(errors).toEqual([message]);
  });

  it('and in Chinese when the run is in Chinese', async () => {
    const { reason, errors } = await failure('zh');
    const message = '服务器返回的是 "text/plain"，而不是 text/event-stream。';
    expect(reason).toEqual({ kind: 'failed', message });
    expect(errors).toEqual([message]);
  });
});
