/**
 * The run session reads transports only through the common interface: their events, their
 * capabilities, and the actions every transport has. A fake transport per lane stands in for the
 * network here; the real ones have their own tests against the lab server.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultParams, findScenario, type ScenarioConfig, type ScenarioName } from '../../protocol/scenarios.ts';
import { defaultStreamOptions } from '../../protocol/stream-options.ts';
import type { StreamRecord } from '../../protocol/stream-log.ts';
import { textIn } from '../../i18n/local-text.ts';
import { defaultBackoff } from '../../transports/backoff.ts';
import {
  BaseTransport,
  issue,
  type TransportCapabilities,
  type TransportEvent,
  type TransportKind,
} from '../../transports/transport.ts';
import type { ChatMessage } from '../../protocol/frame.ts';
import { labTransports, RunSession, urlTransports, type RunConfig, type TransportFactory, type TransportSetup } from './run-session.ts';
import type { UrlRunEndpoints } from '../url-mode/endpoints.ts';

function scenarioOf(name: ScenarioName): ScenarioConfig {
  const spec = findScenario(name);
  if (!spec) throw new Error(`no scenario ${name}`);
  return { scenario: name, params: defaultParams(spec) };
}

const capabilitiesOf: Record<TransportKind, TransportCapabilities> = {
  eventsource: { cancel: 'close', chat: 'side-channel', rtt: 'none', reconnect: 'sse-retry' },
  'fetch-sse': { cancel: 'close', chat: 'side-channel', rtt: 'none', reconnect: 'sse-retry' },
  websocket: { cancel: 'in-band', chat: 'in-band', rtt: 'ping', reconnect: 'backoff' },
  'websocket-stream': { cancel: 'in-band', chat: 'in-band', rtt: 'ping', reconnect: 'backoff' },
  'short-poll': { cancel: 'close', chat: 'none', rtt: 'none', reconnect: 'poll' },
  'long-poll': { cancel: 'close', chat: 'none', rtt: 'none', reconnect: 'poll' },
};

/** A transport the test drives: `say` emits an event; actions are counted. */
class FakeTransport extends BaseTransport {
  readonly capabilities: TransportCapabilities;
  readonly calls = { connect: 0, close: 0, cancel: 0, ping: 0, chats: [] as ChatMessage[] };
  constructor(
    readonly kind: TransportKind,
    readonly setup: TransportSetup,
  ) {
    super();
    this.capabilities = capabilitiesOf[kind];
  }
  connect(): void {
    this.calls.connect++;
    this.setState('connecting');
  }
  reconnect(): void {}
  close(): void {
    this.calls.close++;
    this.finish(1, { kind: 'stopped' });
  }
  override cancel(): 'in-band' | 'closed' {
    this.calls.cancel++;
    return this.capabilities.cancel === 'in-band' ? 'in-band' : super.cancel();
  }
  override ping(): void {
    this.calls.ping++;
  }
  override sendChat(message: ChatMessage): void {
    this.calls.chats.push(message);
  }
  /** A frame arrives: through the slow consumer, when the run has one. */
  arrive(at: number, seq: number): void {
    this.deliverFrame(at, { type: 'frame', seq, t: at - 1, kind: 'tick', data: 'x' }, 10);
  }
  say(event: TransportEvent): void {
    if (event.type === 'open') this.setState('open');
    if (event.type === 'closed') this.finish(event.at, event.reason);
    else this.emit(event);
  }
}

function session(lanes: TransportKind[], overrides: Partial<RunConfig> = {}, hooks = {}) {
  const made = new Map<TransportKind, FakeTransport>();
  const factory: TransportFactory = (kind, setup) => {
    const transport = new FakeTransport(kind, setup);
    made.set(kind, transport);
    return transport;
  };
  const config: RunConfig = {
    scenario: scenarioOf('ticker'),
    options: { ...defaultStreamOptions(), retry: 1500 },
    backoff: defaultBackoff,
    lanes,
    ...overrides,
  };
  const run = new RunSession(config, 'http://lab.test', hooks, factory);
  const lane = (kind: TransportKind) => {
    const transport = made.get(kind);
    if (!transport) throw new Error(`no ${kind} lane`);
    return transport;
  };
  const view = (kind: TransportKind) => {
    const found = run.snapshot().lanes.find((l) => l.kind === kind);
    if (!found) throw new Error(`no ${kind} view`);
    return found;
  };
  return { run, lane, view };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('RunSession', () => {
  it("the lab's transports: a side channel to /api/chat under the server's name of the lane's stream", async () => {
    const { lane } = session(['eventsource', 'fetch-sse', 'websocket', 'short-poll']);
    const setup = lane('eventsource').setup;
    expect(setup.urls.chat).toBe('http://lab.test/api/chat');
    const bodies: unknown[] = [];
    vi.stubGlobal('fetch', (_url: string, init: RequestInit) => {
      bodies.push(JSON.parse(String(init.body)));
      return Promise.resolve(Response.json({ requestBytes: 321, connection: 4 }, { status: 202 }));
    });
    try {
      for (const kind of ['eventsource', 'fetch-sse'] as const) {
        const transport = labTransports(kind, setup);
        const sent = new Promise<TransportEvent>((resolve) => transport.subscribe(resolve));
        transport.sendChat({ type: 'chat', id: 'm1', t: 1, text: 'x' });
        expect(await sent).toMatchObject({ type: 'chat-sent', id: 'm1', bytes: 321, connection: 4 });
      }
    } finally {
      vi.unstubAllGlobals();
    }
    expect(bodies).toEqual([
      { type: 'chat', id: 'm1', t: 1, text: 'x', run: setup.runId, transport: 'sse' },
      { type: 'chat', id: 'm1', t: 1, text: 'x', run: setup.runId, transport: 'fetch' },
    ]);
    expect(labTransports('short-poll', setup).capabilities.chat).toBe('none');
  });

  it('pong events give the lane its RTT; reconnect-info events its reconnect state', () => {
    const { lane, view } = session(['eventsource', 'websocket']);
    expect(view('websocket')).toMatchObject({ rttMs: null, reconnect: null });
    lane('websocket').say({ type: 'pong', at: 5, rttMs: 12.5 });
    const info = { attempts: 2, nextAttemptAt: 900, nextDelayMs: 400, lastClose: { code: 1006, reason: '' } };
    lane('websocket').say({ type: 'reconnect-info', at: 6, info });
    expect(view('websocket')).toMatchObject({ rttMs: 12.5, reconnect: info, retryMs: null });
    // The SSE lanes reconnect at the server's retry.
    expect(view('eventsource')).toMatchObject({ rttMs: null, reconnect: null, retryMs: 1500 });
  });

  it('pings only lanes that can, once a second', () => {
    vi.useFakeTimers();
    const { run, lane } = session(['eventsource', 'websocket']);
    run.start();
    vi.advanceTimersByTime(3_000);
    expect(lane('websocket').calls.ping).toBe(3);
    expect(lane('eventsource').calls.ping).toBe(0);
    run.dispose();
  });

  it('chat-sent events count messages and their cost; side-channel ones count requests and connections', () => {
    const { lane, view } = session(['fetch-sse', 'websocket']);
    lane('websocket').say({ type: 'chat-sent', at: 1, id: 'm1', bytes: 70 });
    lane('fetch-sse').say({ type: 'chat-sent', at: 1, id: 'm1', bytes: 400, connection: 7 });
    lane('fetch-sse').say({ type: 'chat-sent', at: 2, id: 'm2', bytes: 410, connection: 8 });
    expect(view('websocket').chat).toMatchObject({ sent: 1, requestBytes: 70, requests: 0, sideConnections: 0 });
    expect(view('fetch-sse').chat).toMatchObject({ sent: 2, requestBytes: 810, requests: 2, sideConnections: 2 });
  });

  it('the simulated user chats on every lane that can, once all are open', () => {
    vi.useFakeTimers();
    const scenario = scenarioOf('chat');
    const { run, lane } = session(['eventsource', 'websocket', 'short-poll'], { scenario });
    run.start();
    const gap = Number(scenario.params.gap);
    vi.advanceTimersByTime(gap);
    expect(lane('websocket').calls.chats).toEqual([]);
    for (const kind of ['eventsource', 'websocket', 'short-poll'] as const) lane(kind).say({ type: 'open', at: 1 });
    vi.advanceTimersByTime(gap);
    expect(lane('eventsource').calls.chats.map((m) => m.id)).toEqual(['m1']);
    expect(lane('websocket').calls.chats.map((m) => m.id)).toEqual(['m1']);
    expect(lane('short-poll').calls.chats).toEqual([]);
    run.dispose();
  });

  it('cancel: in band where the transport can, closed elsewhere; the mock hears which streams closed', () => {
    const clientClosed = vi.fn();
    const { run, lane, view } = session(['eventsource', 'fetch-sse', 'websocket', 'long-poll'], {}, { clientClosed });
    run.cancel();
    for (const kind of ['eventsource', 'fetch-sse', 'websocket', 'long-poll'] as const) expect(lane(kind).calls.cancel).toBe(1);
    expect(lane('websocket').calls.close).toBe(0);
    expect(lane('eventsource').calls.close).toBe(1);
    expect(clientClosed).toHaveBeenCalledWith(run.runId, ['sse', 'fetch']);
    expect(view('websocket').state).not.toBe('closed');
    expect(view('websocket').cancel).toEqual({ lastFrameMs: 0, framesAfter: 0 });
  });

  it("after a cancel, the sender's own log says when each stream stopped", async () => {
    const cancelAtLeast = performance.timeOrigin + performance.now();
    const records = (stoppedAt: number): StreamRecord[] =>
      (['sse', 'ws'] as const).map(
        (transport) => ({ transport, stoppedAt, framesAfterStop: 2, reason: 'cancel' }) as unknown as StreamRecord,
      );
    const serverLog = vi.fn(() => Promise.resolve(records(cancelAtLeast + 60_000)));
    const { run, view } = session(['eventsource', 'websocket'], {}, { serverLog });
    run.cancel();
    await vi.waitFor(() => expect(view('websocket').serverStop).not.toBeNull());
    expect(view('websocket').serverStop).toMatchObject({ framesAfterStop: 2, reason: 'cancel' });
    expect(view('eventsource').serverStop?.ms).toBeGreaterThan(50_000);
  });

  it('words issues for the page: the last error and a failure read in either language', () => {
    const { lane, view } = session(['fetch-sse', 'websocket']);
    lane('websocket').say({ type: 'error', at: 1, issue: issue('ws.server', { error: 'slow down' }) });
    const lastError = view('websocket').lastError;
    expect(lastError && textIn('en', lastError)).toBe('Server: slow down');
    expect(lastError && textIn('zh', lastError)).toBe('服务器：slow down');

    const failure = issue('fetch.noReconnect', { cause: issue('fetch.endedEarly', {}) });
    lane('fetch-sse').say({ type: 'error', at: 2, issue: failure });
    lane('fetch-sse').say({ type: 'closed', at: 2, reason: { kind: 'failed', issue: failure } });
    const closeReason = view('fetch-sse').closeReason;
    if (closeReason?.kind !== 'failed') throw new Error('expected a failure');
    expect(textIn('en', closeReason.message)).toMatch(/^The response ended before the stream was complete\. fetch\(\) does not reconnect/);
    expect(view('fetch-sse').errors).toBe(1);
  });

  it('an HTTP failure keeps its status line and reason as they are, and its close code', () => {
    const { lane, view } = session(['websocket']);
    const close = { code: 1008, reason: 'not allowed' };
    lane('websocket').say({ type: 'closed', at: 1, reason: { kind: 'failed', issue: issue('ws.fatalClose', { close }), code: 1008 } });
    const closeReason = view('websocket').closeReason;
    if (closeReason?.kind !== 'failed') throw new Error('expected a failure');
    expect(closeReason.code).toBe(1008);
    expect(textIn('en', closeReason.message)).toBe('The WebSocket closed with 1008 (policy violation): not allowed; that does not get better by retrying.');
  });

  it('a snapshot is plain data: it crosses from the run worker by structured clone', () => {
    const { lane, run } = session(['websocket']);
    lane('websocket').say({ type: 'error', at: 1, issue: issue('ws.invalid', { data: '"x"' }) });
    const snapshot = run.snapshot();
    expect(structuredClone(snapshot)).toEqual(snapshot);
  });

  it('with the slow consumer, frames wait in the page and the snapshot shows the queue; without it, none', () => {
    vi.useFakeTimers();
    const { lane, view } = session(['websocket', 'eventsource'], { consumeMs: 10 });
    for (let seq = 1; seq <= 5; seq++) lane('websocket').arrive(100, seq);
    expect(view('websocket')).toMatchObject({ frames: 1, consumer: { costMs: 10, queued: 4, maxQueued: 4 } });
    vi.advanceTimersByTime(20);
    expect(view('websocket')).toMatchObject({ frames: 3, consumer: { queued: 2, maxQueued: 4 } });
    vi.advanceTimersByTime(100);
    expect(view('websocket')).toMatchObject({ frames: 5, consumer: { queued: 0 } });
    expect(view('eventsource').consumer).toMatchObject({ queued: 0, maxQueued: 0 });

    const plain = session(['websocket']);
    plain.lane('websocket').arrive(100, 1);
    expect(plain.view('websocket')).toMatchObject({ frames: 1, consumer: null });
  });

  it('the WebSocketStream lane: /api/ws named client=websocket-stream; in Mock mode it says it needs Live', () => {
    const { lane } = session(['websocket-stream']);
    const setup = lane('websocket-stream').setup;
    expect(setup.urls.wss(0)).toMatch(/^ws:\/\/lab\.test\/api\/ws\?.*&client=websocket-stream$/);
    expect(setup.urls.wss(7)).toContain('&after=7&client=websocket-stream');
    const transport = labTransports('websocket-stream', { ...setup, config: { ...setup.config, mode: 'mock' } });
    const events: TransportEvent[] = [];
    transport.subscribe((e) => events.push(e));
    transport.connect();
    expect(events.at(-1)).toMatchObject({ type: 'closed', reason: { kind: 'failed', issue: { code: 'wss.needsLive' } } });
  });
});

describe('RunSession in URL mode', () => {
  const endpoints: UrlRunEndpoints = {
    sse: 'http://127.0.0.1:9000/events',
    ws: 'ws://127.0.0.1:9001/s',
    method: 'POST',
    headers: [['X-Trace', '1']],
    body: '{}',
    wsSend: ['{"op":"subscribe"}'],
    events: ['delta'],
    mapping: { seq: 'data.id', t: '' },
  };

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('builds the lanes from the user’s endpoints: no lab URL, no scenario, foreign options', () => {
    const setup = session(['eventsource'], { endpoints }).lane('eventsource').setup;
    // Node 20 has no global WebSocket: the transport only needs one to exist until it connects.
    vi.stubGlobal('WebSocket', class {});
    const ws = urlTransports('websocket', setup);
    expect(ws.capabilities.rtt).toBe('none');
    expect(ws.capabilities.chat).toBe('none');
    expect(urlTransports('fetch-sse', setup).capabilities.chat).toBe('none');
    expect(setup.total).toBeNull();
    expect(() => urlTransports('short-poll', setup)).toThrow();
  });

  it('lanes get inter-arrival time and "not measurable" codes, sends no chat and no ping, asks no server log', () => {
    vi.useFakeTimers();
    const serverLog = vi.fn(() => Promise.resolve([]));
    const { run, lane, view } = session(['websocket'], { endpoints, scenario: scenarioOf('chat') }, { serverLog });
    run.start();
    lane('websocket').say({ type: 'open', at: 1 });
    lane('websocket').say({ type: 'frame', at: run.startedAt + 10, frame: { type: 'frame', seq: null, t: null, kind: 'message', data: 'x' }, bytes: 1 });
    lane('websocket').say({ type: 'frame', at: run.startedAt + 30, frame: { type: 'frame', seq: null, t: null, kind: 'message', data: 'y' }, bytes: 1 });
    vi.advanceTimersByTime(5_000);
    expect(lane('websocket').calls.chats).toEqual([]);
    expect(lane('websocket').calls.ping).toBe(0);
    const v = view('websocket');
    expect(v.foreign).toMatchObject({ latency: 'not-measurable', sequence: 'not-measurable' });
    expect(v.foreign?.interArrival.p50).toBe(20);
    expect(v.advice).toBeNull();
    run.cancel();
    expect(serverLog).not.toHaveBeenCalled();
  });

  it('a failure the answer explains gets its advice at once', () => {
    const { run, lane, view } = session(['fetch-sse'], { endpoints });
    run.start();
    const failure = issue('http', { status: 401, statusText: 'Unauthorized', reason: null });
    lane('fetch-sse').say({ type: 'closed', at: 2, reason: { kind: 'failed', issue: failure } });
    const advice = view('fetch-sse').advice;
    expect(advice && advice !== 'pending' ? textIn('en', advice.what) : advice).toContain('HTTP 401 Unauthorized');
    expect(run.snapshot().finished).toBe(true);
  });

  it('a failure the browser hides is probed: pending (the run is not finished) until the answer is in', async () => {
    const requests: RequestInit[] = [];
    vi.stubGlobal('fetch', (_url: string, init: RequestInit) => {
      requests.push(init);
      // The CORS request fails as a CORS block does; the no-cors one gets an opaque answer.
      return init.mode === 'cors' ? Promise.reject(new TypeError('Failed to fetch')) : Promise.resolve(new Response(null, { status: 200 }));
    });
    const { run, lane, view } = session(['eventsource'], { endpoints });
    run.start();
    lane('eventsource').say({ type: 'closed', at: 2, reason: { kind: 'failed', issue: issue('es.gaveUp', {}) } });
    expect(view('eventsource').advice).toBe('pending');
    expect(run.snapshot().finished).toBe(false);
    await vi.waitFor(() => expect(view('eventsource').advice).not.toBe('pending'));
    const advice = view('eventsource').advice;
    expect(advice && advice !== 'pending' ? textIn('en', advice.what) : advice).toContain('CORS');
    expect(requests.map((r) => r.mode)).toEqual(['cors', 'no-cors']);
    expect(run.snapshot().finished).toBe(true);
  });
});
