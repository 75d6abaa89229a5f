/**
 * Integration tests: WebSocketTransport in Node, with the `ws` package as its WebSocket, against the
 * real lab server. Real time throughout (the transport waits with setTimeout); every wait is on an
 * event or a polled condition, except the outage, whose length is the scenario.
 */
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import type { Frame } from '../protocol/frame.ts';
// eslint-disable-next-line no-restricted-imports -- integration test: the transport against the real server
import { onCleanup, postFault, range, runCleanups, startLab, WsClient } from '../server/test-support.ts';
import { backoffCeiling, type BackoffPolicy } from './backoff.ts';
import type { CloseReason, ReconnectInfo, TransportEvent } from './transport.ts';
import { WebSocketTransport, type WebSocketConstructor } from './websocket-transport.ts';

afterEach(async () => {
  await runCleanups();
});

const WebSocketImpl = WebSocket as unknown as WebSocketConstructor;

/** A transport with every event it emits recorded. */
function startTransport(urlFor: (after: number) => string, backoff: BackoffPolicy, random = () => 0.5) {
  const transport = new WebSocketTransport(urlFor, { WebSocketImpl, backoff, random });
  const events: TransportEvent[] = [];
  transport.subscribe((event) => events.push(event));
  onCleanup(() => transport.close());
  transport.connect();
  // The lab's own frames: seq and t are always there.
  const frames = () =>
    events.filter((e): e is Extract<TransportEvent, { type: 'frame' }> => e.type === 'frame').map((e) => e.frame as Frame);
  const reconnects = () =>
    events.filter((e): e is Extract<TransportEvent, { type: 'reconnecting' }> => e.type === 'reconnecting');
  const closes = () =>
    events.filter((e): e is Extract<TransportEvent, { type: 'closed' }> => e.type === 'closed').map((e) => e.reason);
  /** The reconnect loop as the newest 'reconnect-info' event reported it. */
  const info = (): ReconnectInfo | undefined =>
    events.findLast((e): e is Extract<TransportEvent, { type: 'reconnect-info' }> => e.type === 'reconnect-info')?.info;
  const waitFor = (check: () => void, timeout = 3_000) => vi.waitFor(check, { timeout, interval: 5 });
  return { transport, events, frames, reconnects, closes, info, waitFor };
}

const seqsOf = (frames: Frame[]) => frames.map((f) => f.seq);
const afterOf = (url: string) => new URL(url, 'ws://x').searchParams.get('after');
const quick: BackoffPolicy = { baseMs: 20, capMs: 100, maxAttempts: 5 };

/** A bare WebSocket server that sends `frames` frames and then closes with `code`. */
async function startClosingServer(frames: number, code: number, reason: string) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  let connections = 0;
  wss.on('connection', (socket) => {
    connections++;
    for (let seq = 1; seq <= frames; seq++) {
      socket.send(JSON.stringify({ type: 'frame', seq, t: Date.now(), kind: 'tick', data: 'x' }));
    }
    socket.close(code, reason);
  });
  onCleanup(
    () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  );
  const { port } = wss.address() as AddressInfo;
  return { url: `ws://127.0.0.1:${port}/`, connections: () => connections };
}

describe('WebSocketTransport against the lab server', () => {
  it('a finite ticker arrives complete: frames 1..50 once each, then closed with reason complete', async () => {
    const { ws, upgrades } = await startLab();
    const t = startTransport((after) => `${ws}/api/ws?scenario=ticker&count=50&rate=500&after=${after}`, quick);
    expect(t.transport.state).toBe('connecting');

    await t.waitFor(() => expect(t.closes()).toHaveLength(1));
    expect(t.closes()).toEqual([{ kind: 'complete' }]);
    expect(t.transport.state).toBe('closed');
    expect(seqsOf(t.frames())).toEqual(range(1, 50));
    expect(t.transport.lastSeq).toBe(50);
    expect(t.events[0].type).toBe('open');
    expect(t.events[t.events.length - 1].type).toBe('closed');
    expect(t.reconnects()).toEqual([]);
    expect(t.events.filter((e) => e.type === 'error')).toEqual([]);
    expect(upgrades).toHaveLength(1);
  });

  it('reconnects by itself after drops, resuming with after=<last seq>: 1..60 exactly, in order', async () => {
    const { ws, upgrades, lab } = await startLab();
    const t = startTransport(
      (after) => `${ws}/api/ws?scenario=ticker&count=60&rate=1000&flakyFrames=10&after=${after}`,
      quick,
    );
    await t.waitFor(() => expect(t.closes()).toHaveLength(1), 5_000);
    expect(t.closes()).toEqual([{ kind: 'complete' }]);

    expect(seqsOf(t.frames())).toEqual(range(1, 60));
    // Every connection delivered, so every retry is the first since a good connection.
    expect(t.reconnects().map((r) => [r.code, r.attempt, r.delayMs])).toEqual(
      Array.from({ length: 6 }, () => [1006, 1, 10]),
    );
    // The sixth connection ends on frame 60; the seventh only hears done and a clean close.
    expect(upgrades.map((u) => afterOf(u.url))).toEqual(['0', '10', '20', '30', '40', '50', '60']);
    expect(lab.stats().dropped.ws).toBe(6);
  });

  it(
    'a server down for 5 s sees attempts spaced by the policy, not a storm, and the stream resumes with no loss',
    async () => {
      const { ws, http, upgrades, lab } = await startLab();
      const policy: BackoffPolicy = { baseMs: 100, capMs: 1_600, maxAttempts: 50 };
      const t = startTransport(
        (after) => `${ws}/api/ws?scenario=ticker&rate=200&count=0&run=lane&after=${after}`,
        policy,
        () => 0.5,
      );
      await t.waitFor(() => expect(t.frames().length).toBeGreaterThanOrEqual(5));

      const answer = await postFault(http, { action: 'outage', mode: 'reset', ms: 5_000, run: 'lane' });
      expect(answer.body).toMatchObject({ ok: true, dropped: 1 });
      const { until } = answer.body as { until: number };
      const beforeOutage = t.frames().length;

      // Wait for the reconnection after the outage and a good run of frames on it.
      await t.waitFor(() => {
        expect(t.transport.state).toBe('open');
        expect(t.frames().length).toBeGreaterThanOrEqual(beforeOutage + 20);
      }, 9_000);

      const attempts = upgrades.slice(1); // The first upgrade is the original connection.
      const refused = attempts.filter((a) => a.at < until);
      expect(refused.length).toBeGreaterThanOrEqual(5);
      expect(refused.length).toBeLessThanOrEqual(10);
      expect(lab.stats().refused.ws).toBe(refused.length);
      // Only the attempt after the outage got through.
      expect(attempts).toHaveLength(refused.length + 1);
      expect(lab.stats().opened.ws).toBe(2);

      // Attempt k+1 follows attempt k by 0.5 · min(cap, base · 2^k), plus the failed attempt's own time
      // (a refused upgrade: a few ms, more on a busy machine — hence 60 ms or 15 %, whichever is more).
      const gaps = attempts.slice(1).map((a, i) => a.at - attempts[i].at);
      const expected = gaps.map((_, i) => 0.5 * backoffCeiling(policy, i + 1));
      gaps.forEach((gap, i) => {
        expect(Math.abs(gap - expected[i]), `gap ${i + 1}: ${gap} ms, policy ${expected[i]} ms`).toBeLessThanOrEqual(Math.max(60, 0.15 * expected[i]));
      });
      // The transport announced the same delays, attempt by attempt.
      expect(t.reconnects().map((r) => [r.attempt, r.delayMs, r.code])).toEqual(
        attempts.map((_, i) => [i + 1, 0.5 * backoffCeiling(policy, i), 1006]),
      );
      expect(t.closes()).toEqual([]);

      // The stream resumed where it stopped: nothing lost, nothing twice.
      const seqs = seqsOf(t.frames());
      expect(seqs).toEqual(range(1, seqs.length));
      expect(afterOf(attempts[attempts.length - 1].url)).toBe(String(beforeOutage));
    },
    12_000,
  );
});

describe('WebSocketTransport close codes', () => {
  it('a clean close (1000) ends the lane as complete and does not reconnect', async () => {
    const server = await startClosingServer(3, 1000, 'bye');
    const t = startTransport(() => server.url, quick);
    await t.waitFor(() => expect(t.closes()).toHaveLength(1));
    expect(t.closes()).toEqual([{ kind: 'complete' }]);
    expect(seqsOf(t.frames())).toEqual([1, 2, 3]);
    expect(t.reconnects()).toEqual([]);
    expect(t.info()).toMatchObject({ nextAttemptAt: null, lastClose: { code: 1000, reason: 'bye' } });

    // Longer than any planned retry could wait: another client's whole stream.
    const other = new WebSocket(server.url);
    onCleanup(() => other.terminate());
    await new Promise((resolve) => other.once('close', resolve));
    expect(server.connections()).toBe(2);
  });

  it('a policy close (1008) fails at once: retrying would not help', async () => {
    const server = await startClosingServer(1, 1008, 'not allowed');
    const t = startTransport(() => server.url, quick);
    await t.waitFor(() => expect(t.closes()).toHaveLength(1));
    const [reason] = t.closes();
    expect(reason).toMatchObject({ kind: 'failed', code: 1008 });
    if (reason.kind !== 'failed') throw new Error('unreachable');
    expect(reason.issue).toEqual({ code: 'ws.fatalClose', params: { close: { code: 1008, reason: 'not allowed' } } });
    expect(t.reconnects()).toEqual([]);
    expect(server.connections()).toBe(1);
  });

  it('close() by the user emits closed "stopped" and no attempt follows', async () => {
    const { ws, upgrades, lab } = await startLab();
    const t = startTransport((after) => `${ws}/api/ws?scenario=ticker&rate=200&count=0&after=${after}`, quick);
    await t.waitFor(() => expect(t.frames().length).toBeGreaterThanOrEqual(3));

    t.transport.close();
    expect(t.closes()).toEqual([{ kind: 'stopped' }]);
    expect(t.transport.state).toBe('closed');
    const eventsAtClose = t.events.length;

    // The server sees the socket go; then an unrelated stream runs to its end, and still the
    // transport has made no further attempt and emitted nothing.
    await t.waitFor(() => expect(lab.stats().open.ws).toBe(0));
    const other = await WsClient.open(`${ws}/api/ws?scenario=ticker&count=20&rate=200`);
    expect((await other.closed).code).toBe(1000);
    expect(upgrades).toHaveLength(2);
    expect(t.events).toHaveLength(eventsAtClose);
    expect(lab.stats().dropped.ws).toBe(0);
  });

  it('close() while a retry is planned cancels it', async () => {
    const { ws, http, upgrades } = await startLab();
    const t = startTransport((after) => `${ws}/api/ws?scenario=ticker&rate=200&count=0&after=${after}`, {
      baseMs: 100,
      capMs: 100,
      maxAttempts: 5,
    });
    await t.waitFor(() => expect(t.frames().length).toBeGreaterThanOrEqual(3));
    await postFault(http, { action: 'drop' });
    await t.waitFor(() => expect(t.reconnects()).toHaveLength(1));
    expect(t.transport.state).toBe('reconnecting');
    expect(t.info()?.nextDelayMs).toBe(50);

    t.transport.close();
    expect(t.closes()).toEqual([{ kind: 'stopped' }]);
    expect(t.info()?.nextAttemptAt).toBeNull();
    // The unrelated stream lasts about 100 ms, twice the planned delay.
    const other = await WsClient.open(`${ws}/api/ws?scenario=ticker&count=20&rate=200`);
    expect((await other.closed).code).toBe(1000);
    expect(upgrades).toHaveLength(2);
    expect(t.reconnects()).toHaveLength(1);
  });

  it('gives up once maxAttempts retries fail: closed "failed", the message counts the attempts', async () => {
    const { ws, http, upgrades } = await startLab();
    const t = startTransport((after) => `${ws}/api/ws?scenario=ticker&rate=200&count=0&after=${after}`, {
      baseMs: 20,
      capMs: 40,
      maxAttempts: 3,
    });
    await t.waitFor(() => expect(t.frames().length).toBeGreaterThanOrEqual(3));
    await postFault(http, { action: 'outage', mode: '503', ms: 60_000 });

    await t.waitFor(() => expect(t.closes()).toHaveLength(1));
    const [reason] = t.closes();
    expect(reason).toMatchObject({ kind: 'failed', code: 1006 });
    expect((reason as Extract<CloseReason, { kind: 'failed' }>).issue).toMatchObject({ code: 'ws.gaveUp', params: { attempts: 3 } });
    expect(t.reconnects().map((r) => r.attempt)).toEqual([1, 2, 3]);
    expect(t.events.flatMap((e) => (e.type === 'error' ? [e.issue] : []))).toEqual([
      (reason as Extract<CloseReason, { kind: 'failed' }>).issue,
    ]);
    // The original connection and three retries, no more.
    expect(upgrades).toHaveLength(4);
    expect(t.info()?.nextAttemptAt).toBeNull();

    // The user's reconnect after the server is back resumes where the stream stopped.
    const lastSeq = t.transport.lastSeq;
    await postFault(http, { action: 'clear' });
    t.transport.reconnect();
    await t.waitFor(() => expect(t.frames().length).toBeGreaterThanOrEqual(lastSeq + 5));
    expect(afterOf(upgrades[4].url)).toBe(String(lastSeq));
    const seqs = seqsOf(t.frames());
    expect(seqs).toEqual(range(1, seqs.length));
  });
});

describe('WebSocketTransport actions report as events', () => {
  it('declares what it can do as data', () => {
    const transport = new WebSocketTransport(() => 'ws://127.0.0.1:1/', { WebSocketImpl });
    expect(transport.capabilities).toEqual({ cancel: 'in-band', chat: 'in-band', rtt: 'ping', reconnect: 'backoff' });
  });

  it('ping() is answered by a pong event with the round-trip time', async () => {
    const { ws } = await startLab();
    const t = startTransport((after) => `${ws}/api/ws?scenario=ticker&rate=50&count=0&after=${after}`, quick);
    await t.waitFor(() => expect(t.transport.state).toBe('open'));
    t.transport.ping();
    await t.waitFor(() => expect(t.events.some((e) => e.type === 'pong')).toBe(true));
    const pong = t.events.find((e): e is Extract<TransportEvent, { type: 'pong' }> => e.type === 'pong');
    expect(pong?.rttMs).toBeGreaterThanOrEqual(0);
    expect(pong?.rttMs).toBeLessThan(2_000);
  });

  it('sendChat() reports the bytes it put on the socket, then the reply arrives', async () => {
    const { ws } = await startLab();
    const t = startTransport((after) => `${ws}/api/ws?scenario=chat&rate=50&after=${after}`, quick);
    await t.waitFor(() => expect(t.frames().length).toBeGreaterThanOrEqual(1));
    const message = { type: 'chat' as const, id: 'w1', t: 7, text: 'hi' };
    t.transport.sendChat(message);
    const text = JSON.stringify(message);
    // Payload, the 2-byte header and the 4-byte mask of a short client frame.
    expect(t.events.filter((e) => e.type === 'chat-sent')).toEqual([
      { type: 'chat-sent', at: expect.any(Number) as number, id: 'w1', bytes: text.length + 6 },
    ]);
    await t.waitFor(() => expect(t.events.some((e) => e.type === 'reply')).toBe(true));
  });

  it('cancel() on an open socket is in band: a cancelled event, and the socket stays open', async () => {
    const { ws } = await startLab();
    const t = startTransport((after) => `${ws}/api/ws?scenario=ticker&rate=200&count=0&after=${after}`, quick);
    await t.waitFor(() => expect(t.frames().length).toBeGreaterThanOrEqual(3));
    expect(t.transport.cancel()).toBe('in-band');
    await t.waitFor(() => expect(t.events.some((e) => e.type === 'cancelled')).toBe(true));
    const cancelled = t.events.find((e): e is Extract<TransportEvent, { type: 'cancelled' }> => e.type === 'cancelled');
    expect(cancelled?.lastSeq).toBeGreaterThanOrEqual(3);
    expect(t.transport.state).toBe('open');
    expect(t.closes()).toEqual([]);
  });

  it('cancel() without an open socket closes the transport', () => {
    const transport = new WebSocketTransport(() => 'ws://127.0.0.1:1/', { WebSocketImpl });
    const events: TransportEvent[] = [];
    transport.subscribe((e) => events.push(e));
    expect(transport.cancel()).toBe('closed');
    expect(events.filter((e) => e.type === 'closed')).toEqual([{ type: 'closed', at: expect.any(Number) as number, reason: { kind: 'stopped' } }]);
  });
});
