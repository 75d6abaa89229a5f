/**
 * Transports say what went wrong as a code and its values, never in words: the page words them
 * (src/features/lanes/lane-words.ts), so a language switch also changes a message written before it.
 */
import { describe, expect, it } from 'vitest';
import { FetchSseTransport } from './fetch-sse-transport.ts';
import type { CloseReason, TransportEvent, TransportIssue } from './transport.ts';

/** A fetch + SSE transport whose server answers 200 with this content type (none for ''): it fails at once. */
async function failure(type = 'text/plain'): Promise<{ reason: CloseReason; errors: TransportIssue[] }> {
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
  return { reason, errors: events.flatMap((e) => (e.type === 'error' ? [e.issue] : [])) };
}

describe('transport issues', () => {
  it('a failure is a code and its values, the same in the error event and the close reason', async () => {
    const { reason, errors } = await failure();
    if (reason.kind !== 'failed') throw new Error(`expected a failure, got ${reason.kind}`);
    expect(reason.issue).toEqual({ code: 'fetch.contentType', params: { type: 'text/plain' } });
    expect(errors).toEqual([reason.issue]);
  });

  it('a value that is missing is null, not a word (no content type at all)', async () => {
    const { reason } = await failure('');
    if (reason.kind !== 'failed') throw new Error(`expected a failure, got ${reason.kind}`);
    expect(reason.issue).toEqual({ code: 'fetch.contentType', params: { type: null } });
  });

  it('an issue is plain data: it survives structured cloning (the run worker posts it)', async () => {
    const { reason } = await failure();
    expect(structuredClone(reason)).toEqual(reason);
  });
});
