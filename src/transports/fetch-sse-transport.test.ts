/**
 * Integration tests: FetchSseTransport in Node (global fetch) against the real lab server's
 * POST /api/stream. Real time throughout; every wait is on an event or a polled condition.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { preciseNow, type Frame } from '../protocol/frame.ts';
// eslint-disable-next-line no-restricted-imports -- integration test: the transport against the real server
import { onCleanup, postFault, range, runCleanups, startLab, expectQuiet } from '../server/test-support.ts';
import { FetchSseTransport, type FetchSseOptions } from './fetch-sse-transport.ts';
import type { CloseReason, TransportEvent, TransportIssue, TransportIssueParams } from './transport.ts';

afterEach(async () => {
  await runCleanups();
});

interface SentRequest {
  at: number;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A transport with every event it emits and every request it makes recorded. */
function startTransport(url: string, options: Omit<FetchSseOptions, 'fetchImpl'>) {
  const requests: SentRequest[] = [];
  const fetchImpl: typeof fetch = (input, init) => {
    requests.push({
      at: preciseNow(),
      method: init?.method ?? 'GET',
      headers: Object.fromEntries(new Headers(init?.headers)),
      body: typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : null,
    });
    return fetch(input, init);
  };
  const transport = new FetchSseTransport(url, { ...options, fetchImpl });
  const events: TransportEvent[] = [];
  transport.subscribe((event) => events.push(event));
  onCleanup(() => transport.close());
  transport.connect();
  const frames = (): Frame[] =>
    // The lab's own frames: seq and t are always there.
    events.filter((e): e is Extract<TransportEvent, { type: 'frame' }> => e.type === 'frame').map((e) => e.frame as Frame);
  const reconnects = () =>
    events.filter((e): e is Extract<TransportEvent, { type: 'reconnecting' }> => e.type === 'reconnecting');
  const errors = () =>
    events.filter((e): e is Extract<TransportEvent, { type: 'error' }> => e.type === 'error').map((e) => e.issue);
  const closes = (): CloseReason[] =>
    events.filter((e): e is Extract<TransportEvent, { type: 'closed' }> => e.type === 'closed').map((e) => e.reason);
  const waitFor = (check: () => void, timeout = 5_000) => vi.waitFor(check, { timeout, interval: 5 });
  return { transport, events, requests, frames, reconnects, errors, closes, waitFor };
}

const seqsOf = (frames: Frame[]) => frames.map((f) => f.seq);

/** The issue of the one close so far, a failure. */
function failureOf(closes: CloseReason[]): TransportIssue {
  expect(closes).toHaveLength(1);
  const [reason] = closes;
  if (reason.kind !== 'failed') throw new Error(`expected a failure, got ${JSON.stringify(reason)}`);
  return reason.issue;
}

/** The same, an HTTP error: its status, status text and the server's reason. */
function httpFailureOf(closes: CloseReason[]): TransportIssueParams['http'] {
  const failure = failureOf(closes);
  if (failure.code !== 'http') throw new Error(`expected an HTTP failure, got ${JSON.stringify(failure)}`);
  return failure.params;
}

const ticker = (count: number, rate = 1000, options: Record<string, number> = {}) => ({
  scenario: 'ticker',
  params: { rate, count, size: 16 },
  options,
});

// ---------------------------------------------------------------------------------------------------

describe('FetchSseTransport against POST /api/stream', () => {
  it('a complete stream: open, frames 1..N once each, then closed with reason complete', async () => {
    const { http, lab } = await startLab();
    const t = startTransport(`${http}/api/stream`, { body: ticker(40) });
    expect(t.transport.state).toBe('connecting');

    await t.waitFor(() => expect(t.closes()).toHaveLength(1));
    expect(t.closes()).toEqual([{ kind: 'complete' }]);
    expect(t.transport.state).toBe('closed');
    expect(seqsOf(t.frames())).toEqual(range(1, 40));
    expect(t.transport.lastSeq).toBe(40);
    expect(t.events[0].type).toBe('open');
    expect(t.events[t.events.length - 1].type).toBe('closed');
    expect(t.errors()).toEqual([]);
    expect(t.reconnects()).toEqual([]);
    for (const event of t.events) {
      if (event.type === 'frame') expect(event.bytes).toBe(JSON.stringify(event.frame).length);
    }

    // One POST with the JSON body, asking for an event stream, no token and no Last-Event-ID.
    expect(t.requests).toHaveLength(1);
    expect(t.requests[0]).toMatchObject({
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: ticker(40),
    });
    expect(t.requests[0].headers).not.toHaveProperty('authorization');
    expect(t.requests[0].headers).not.toHaveProperty('last-event-id');
    expect(lab.stats().opened.fetch).toBe(1);
    await expectQuiet(lab);
  });

  it('a chat body streams the llm answer and its end marker', async () => {
    const { http } = await startLab();
    const t = startTransport(`${http}/api/stream`, {
      body: { messages: [{ role: 'user', content: 'hi' }], params: { tokens: 12, ttft: 0, tps: 1000 } },
    });
    await t.waitFor(() => expect(t.closes()).toEqual([{ kind: 'complete' }]));
    expect(seqsOf(t.frames())).toEqual(range(1, 13));
    expect(t.frames().map((f) => f.kind)).toEqual([...Array<string>(12).fill('token'), 'end']);
  });

  it('401 without a token: closed failed with HTTP 401 and the server reason, no reconnect', async () => {
    const { http, lab } = await startLab({ token: 's3cret' });
    const t = startTransport(`${http}/api/stream`, { body: ticker(5), resume: true });
    await t.waitFor(() => expect(t.closes()).toHaveLength(1));
    const http401 = httpFailureOf(t.closes());
    expect(http401.status).toBe(401);
    expect(http401.reason).toContain('this server requires a token: send Authorization: Bearer <token>');
    expect(t.errors()).toEqual([failureOf(t.closes())]);
    expect(t.frames()).toEqual([]);
    expect(t.events.some((e) => e.type === 'open')).toBe(false);
    expect(t.reconnects()).toEqual([]);
    expect(t.requests).toHaveLength(1);
    expect(lab.stats().unauthorized).toBe(1);
  });

  it('a wrong token: closed failed saying it is wrong', async () => {
    const { http } = await startLab({ token: 's3cret' });
    const t = startTransport(`${http}/api/stream`, { body: ticker(5), token: 'guess' });
    await t.waitFor(() => expect(t.closes()).toHaveLength(1));
    const http401 = httpFailureOf(t.closes());
    expect(http401.status).toBe(401);
    expect(http401.reason).toContain('the bearer token is wrong');
  });

  it('with the token it streams', async () => {
    const { http, lab } = await startLab({ token: 's3cret' });
    const t = startTransport(`${http}/api/stream`, { body: ticker(20), token: 's3cret' });
    await t.waitFor(() => expect(t.closes()).toEqual([{ kind: 'complete' }]));
    expect(seqsOf(t.frames())).toEqual(range(1, 20));
    expect(t.requests[0].headers.authorization).toBe('Bearer s3cret');
    expect(lab.stats().unauthorized).toBe(0);
  });

  it('a 400 for a bad body: closed failed with the field the server named', async () => {
    const { http } = await startLab();
    const t = startTransport(`${http}/api/stream`, { body: { scenario: 'ticker', params: { rate: 0 } } });
    await t.waitFor(() => expect(t.closes()).toHaveLength(1));
    const http400 = httpFailureOf(t.closes());
    expect(http400.status).toBe(400);
    expect(http400.reason).toContain('rate must be an integer from 1 to 20000');
  });

  it('an injected HTTP 500 for fetch: closed failed with its reason', async () => {
    const { http } = await startLab();
    await postFault(http, { action: 'http-error', status: 500, target: 'fetch' });
    const t = startTransport(`${http}/api/stream`, { body: ticker(5) });
    await t.waitFor(() => expect(t.closes()).toHaveLength(1));
    const http500 = httpFailureOf(t.closes());
    expect(http500.status).toBe(500);
    expect(http500.reason).toContain('simulated HTTP 500');
  });

  it('a wrong content type: closed failed naming the content type', async () => {
    const { http, lab } = await startLab();
    await postFault(http, { action: 'http-error', status: 'content-type', target: 'fetch' });
    const t = startTransport(`${http}/api/stream`, { body: ticker(5), resume: true });
    await t.waitFor(() => expect(t.closes()).toHaveLength(1));
    expect(failureOf(t.closes())).toEqual({ code: 'fetch.contentType', params: { type: 'text/plain; charset=utf-8' } });
    expect(t.frames()).toEqual([]);
    expect(t.reconnects()).toEqual([]);
    expect(lab.stats().refused.fetch).toBe(1);
    await expectQuiet(lab);
  });
});

describe('FetchSseTransport after a drop', () => {
  it('resume off: closed failed saying fetch does not reconnect; reconnect() resumes with Last-Event-ID', async () => {
    const { http, lab } = await startLab();
    const t = startTransport(`${http}/api/stream`, { body: ticker(100, 200) });
    await t.waitFor(() => expect(t.frames().length).toBeGreaterThanOrEqual(5));

    expect((await postFault(http, { action: 'drop', target: 'fetch' })).body).toEqual({ ok: true, dropped: 1 });
    await t.waitFor(() => expect(t.closes()).toHaveLength(1));
    // fetch() does not reconnect by itself: the loss is the cause of a failure.
    expect(failureOf(t.closes()).code).toBe('fetch.noReconnect');
    expect(t.reconnects()).toEqual([]);
    expect(t.transport.state).toBe('closed');
    const last = t.transport.lastSeq;
    expect(last).toBeGreaterThanOrEqual(5);
    expect(last).toBeLessThan(100);
    expect(seqsOf(t.frames())).toEqual(range(1, last));
    expect(t.requests).toHaveLength(1);

    t.transport.reconnect();
    await t.waitFor(() => expect(t.closes()).toHaveLength(2));
    expect(t.closes()[1]).toEqual({ kind: 'complete' });
    expect(t.requests).toHaveLength(2);
    expect(t.requests[1].headers['last-event-id']).toBe(String(last));
    expect(t.requests[1].body).toEqual(ticker(100, 200));
    // Nothing lost, nothing twice.
    expect(seqsOf(t.frames())).toEqual(range(1, 100));
    expect(t.transport.lastSeq).toBe(100);
    expect(lab.stats().dropped.fetch).toBe(1);
    expect(lab.stats().opened.fetch).toBe(2);
    await expectQuiet(lab);
  });

  it('resume on: reconnects by itself after the server retry, with Last-Event-ID, without loss', async () => {
    const { http, lab } = await startLab();
    const body = ticker(100, 200, { retry: 100 });
    const t = startTransport(`${http}/api/stream`, { body, resume: true, retryMs: 5_000 });
    await t.waitFor(() => expect(t.frames().length).toBeGreaterThanOrEqual(5));

    expect((await postFault(http, { action: 'drop', target: 'fetch' })).body).toEqual({ ok: true, dropped: 1 });
    await t.waitFor(() => expect(t.reconnects()).toHaveLength(1));
    // The server's `retry: 100` replaced the 5 s default.
    expect(t.reconnects()[0]).toMatchObject({ attempt: 1, delayMs: 100 });
    const droppedAt = t.transport.lastSeq;

    await t.waitFor(() => expect(t.closes()).toHaveLength(1));
    expect(t.closes()).toEqual([{ kind: 'complete' }]);
    expect(t.errors()).toEqual([]);
    expect(seqsOf(t.frames())).toEqual(range(1, 100));
    expect(t.requests).toHaveLength(2);
    expect(t.requests[1].headers['last-event-id']).toBe(String(droppedAt));
    // It waited the retry before asking again.
    expect(t.requests[1].at - t.reconnects()[0].at).toBeGreaterThanOrEqual(95);
    expect(t.events.filter((e) => e.type === 'open')).toHaveLength(2);
    await expectQuiet(lab);
  });

  it('close() while waiting to resume: stopped, and no new request', async () => {
    const { http, lab } = await startLab();
    const t = startTransport(`${http}/api/stream`, { body: ticker(0, 200, { retry: 60_000 }), resume: true });
    await t.waitFor(() => expect(t.frames().length).toBeGreaterThanOrEqual(2));
    await postFault(http, { action: 'drop', target: 'fetch' });
    await t.waitFor(() => expect(t.reconnects()).toHaveLength(1));
    expect(t.transport.state).toBe('reconnecting');

    t.transport.close();
    expect(t.closes()).toEqual([{ kind: 'stopped' }]);
    expect(t.transport.state).toBe('closed');
    // reconnect() after the user closed it does nothing.
    t.transport.reconnect();
    expect(t.requests).toHaveLength(1);
    await expectQuiet(lab);
  });
});

describe('FetchSseTransport close()', () => {
  it('aborts the request: closed stopped, and the server sees open.fetch return to 0', async () => {
    const { http, lab } = await startLab();
    const t = startTransport(`${http}/api/stream`, { body: ticker(0, 200) });
    await t.waitFor(() => expect(t.frames().length).toBeGreaterThanOrEqual(3));
    expect(lab.stats().open.fetch).toBe(1);

    t.transport.close();
    expect(t.closes()).toEqual([{ kind: 'stopped' }]);
    expect(t.transport.state).toBe('closed');
    await expectQuiet(lab);
    // Nothing after the close: no error for the aborted read, no further frame.
    expect(t.events[t.events.length - 1]).toMatchObject({ type: 'closed', reason: { kind: 'stopped' } });
    expect(t.errors()).toEqual([]);
  });

  it('while no frame has come yet: nothing but closed stopped', async () => {
    const { http, lab } = await startLab();
    // ttft 10 s: the stream opens at once, its first frame would come 10 s later.
    const t = startTransport(`${http}/api/stream`, {
      body: { scenario: 'llm', params: { ttft: 10_000, tokens: 5 } },
    });
    await vi.waitFor(() => expect(lab.stats().open.fetch).toBe(1), { timeout: 3_000, interval: 5 });
    t.transport.close();
    await expectQuiet(lab);
    expect(t.frames()).toEqual([]);
    expect(t.closes()).toEqual([{ kind: 'stopped' }]);
    expect(t.errors()).toEqual([]);
  });
});

describe('FetchSseTransport when a finite stream is cut after its last frame', () => {
  // Drop every 20 frames: a stream of 20 (resume off) or 40 (resume on, one resume) is cut right after
  // its last frame, before the `done` event.
  for (const resume of [false, true]) {
    it(`resume ${resume ? 'on' : 'off'}: complete, no error, no request for a resume past the end`, async () => {
      const { http, lab } = await startLab();
      const count = resume ? 40 : 20;
      const t = startTransport(`${http}/api/stream`, { body: ticker(count, 1000, { flakyFrames: 20, retry: 50 }), resume, total: count });
      await t.waitFor(() => expect(t.closes()).toHaveLength(1));
      expect(t.closes()).toEqual([{ kind: 'complete' }]);
      expect(seqsOf(t.frames())).toEqual(range(1, count));
      expect(t.errors()).toEqual([]);
      expect(t.requests).toHaveLength(resume ? 2 : 1);
      expect(lab.stats().dropped.fetch).toBe(resume ? 2 : 1);
      await expectQuiet(lab);
    });
  }
});

describe('FetchSseTransport and 204 No Content', () => {
  const answer204 = (total: number) => {
    const fetchImpl: typeof fetch = () => Promise.resolve(new Response(null, { status: 204 }));
    const transport = new FetchSseTransport('http://lab.test/api/stream', { body: {}, fetchImpl, total });
    const closed = new Promise<CloseReason>((resolve) => transport.subscribe((e) => e.type === 'closed' && resolve(e.reason)));
    transport.connect();
    return closed;
  };

  it('with frames still to come: failed, saying the server has nothing more', async () => {
    const reason = await answer204(3);
    expect(reason.kind).toBe('failed');
    if (reason.kind === 'failed') expect(reason.issue).toEqual({ code: 'fetch.noContent', params: {} });
  });

  it('with every frame in: complete', async () => {
    expect(await answer204(0)).toEqual({ kind: 'complete' });
  });
});

describe('FetchSseTransport chat on the side channel', () => {
  it('POSTs the message with the run and its server name; chat-sent carries the bytes the server counted', async () => {
    const { http } = await startLab();
    const run = 'side-1';
    const t = startTransport(`${http}/api/stream`, {
      body: { scenario: 'chat', params: { rate: 50 }, run },
      chat: { url: `${http}/api/chat`, run, transport: 'fetch' },
    });
    await t.waitFor(() => expect(t.frames().length).toBeGreaterThanOrEqual(2));
    t.transport.sendChat({ type: 'chat', id: 'm1', t: 123.5, text: 'hello there' });
    await t.waitFor(() => expect(t.events.some((e) => e.type === 'chat-sent')).toBe(true));
    const sent = t.events.find((e): e is Extract<TransportEvent, { type: 'chat-sent' }> => e.type === 'chat-sent');
    expect(sent).toMatchObject({ id: 'm1', connection: expect.any(Number) as number });
    expect(sent?.bytes).toBeGreaterThan(100);
    expect(t.requests.at(-1)?.body).toMatchObject({ type: 'chat', id: 'm1', run, transport: 'fetch' });
    await t.waitFor(() => expect(t.events.some((e) => e.type === 'reply')).toBe(true));
    expect(t.errors()).toEqual([]);
  });

  it('a refused message is an error with its id and the server reason', async () => {
    const { http } = await startLab();
    const t = startTransport(`${http}/api/stream`, {
      body: ticker(0, 50),
      chat: { url: `${http}/api/chat`, run: 'nobody', transport: 'fetch' },
    });
    await t.waitFor(() => expect(t.frames().length).toBeGreaterThanOrEqual(1));
    t.transport.sendChat({ type: 'chat', id: 'm9', t: 1, text: 'x' });
    await t.waitFor(() => expect(t.errors()).toHaveLength(1));
    expect(t.errors()[0]).toMatchObject({ code: 'chat.http', params: { id: 'm9', status: 404 } });
    expect(t.events.some((e) => e.type === 'chat-sent')).toBe(false);
  });

  it('without a side channel there is nowhere to send: nothing happens', () => {
    const transport = new FetchSseTransport('http://lab.test/api/stream', { body: {}, fetchImpl: () => Promise.reject(new Error('unused')) });
    const events: TransportEvent[] = [];
    transport.subscribe((e) => events.push(e));
    transport.sendChat({ type: 'chat', id: 'm1', t: 1, text: 'x' });
    expect(events).toEqual([]);
    expect(transport.capabilities).toEqual({ cancel: 'close', chat: 'side-channel', rtt: 'none', reconnect: 'sse-retry' });
  });
});
