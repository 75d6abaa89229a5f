import { describe, expect, it } from 'vitest';
import {
  ConnectionLimitController,
  SETTLE_MS,
  checkStreamCount,
  countCells,
  limitUrls,
  type EventSourceHandlers,
  type LimitDeps,
  type WebSocketHandlers,
} from './connection-limit-controller.ts';

/** A fake browser: a manual clock and timers, and connections the test opens by hand. */
function fakeBrowser(protocol = 'http/1.1') {
  let now = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  let nextTimer = 1;
  const es: { url: string; on: EventSourceHandlers; closed: boolean }[] = [];
  const ws: { url: string; on: WebSocketHandlers; closed: boolean }[] = [];
  const probes: { url: string; signal: AbortSignal; answer(ok: boolean): void }[] = [];
  const deps: LimitDeps = {
    now: () => now,
    epochNow: () => 1_700_000_000_000 + now,
    setTimer(fn, ms) {
      const id = nextTimer++;
      timers.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimer(handle) {
      if (typeof handle === 'number') timers.delete(handle);
    },
    protocol: () => protocol,
    openEventSource(url, on) {
      const entry = { url, on, closed: false };
      es.push(entry);
      return { close: () => void (entry.closed = true) };
    },
    openWebSocket(url, on) {
      const entry = { url, on, closed: false };
      ws.push(entry);
      return { close: () => void (entry.closed = true) };
    },
    probe(url, signal) {
      return new Promise<boolean>((resolve, reject) => {
        signal.addEventListener('abort', () => reject(new Error('aborted')));
        probes.push({ url, signal, answer: resolve });
      });
    },
  };
  /** Moves the clock, firing due timers in order. */
  const advance = (ms: number) => {
    const end = now + ms;
    for (;;) {
      const due = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      timers.delete(due[0]);
      now = due[1].at;
      due[1].fn();
    }
    now = end;
  };
  const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
  return { deps, es, ws, probes, advance, flush, timers };
}

describe('checkStreamCount', () => {
  it('takes whole numbers from 1 to 12', () => {
    expect(checkStreamCount(1)).toEqual({ ok: true, value: 1 });
    expect(checkStreamCount(' 12 ')).toEqual({ ok: true, value: 12 });
  });

  it('refuses anything else', () => {
    for (const raw of [0, 13, -1, 2.5, '', 'abc', '1e1', Number.NaN]) expect(checkStreamCount(raw).ok, String(raw)).toBe(false);
  });
});

describe('limitUrls', () => {
  it('points EventSource at /api/sse and WebSocket at /api/ws on the same origin, one long-lived ticker each', () => {
    expect(limitUrls('https://127.0.0.1:4443', 'limit-x', 0)).toEqual({
      sse: 'https://127.0.0.1:4443/api/sse?scenario=ticker&rate=1&size=16&count=0&run=limit-x&conn=1',
      ws: 'wss://127.0.0.1:4443/api/ws?scenario=ticker&rate=1&size=16&count=0&run=limit-x&conn=1',
    });
    expect(limitUrls('http://h:1', 'r', 7).ws).toMatch(/^ws:\/\/h:1\/api\/ws\?.*&conn=8$/);
  });
});

describe('ConnectionLimitController', () => {
  it('rejects an out-of-range n and opens nothing', async () => {
    const b = fakeBrowser();
    const c = new ConnectionLimitController(b.deps, 'http://lab');
    await expect(c.run(13)).rejects.toThrow(/whole number from 1 to 12; got 13/);
    await expect(c.run(0)).rejects.toBeInstanceOf(RangeError);
    expect(b.es).toHaveLength(0);
    expect(c.getState().phase).toBe('idle');
  });

  it('HTTP/1.1: 6 of 8 EventSources open, 8 WebSockets open, the probe waits; the result settles with 2 pending', async () => {
    const b = fakeBrowser('http/1.1');
    const c = new ConnectionLimitController(b.deps, 'http://lab');
    let changes = 0;
    c.subscribe(() => changes++);
    const done = c.run(8);
    await b.flush();
    expect(b.es).toHaveLength(8);
    expect(b.ws).toHaveLength(8);
    expect(c.getState().phase).toBe('opening');

    b.advance(20);
    for (const e of b.es.slice(0, 6)) e.on.open();
    for (const w of b.ws) w.on.open();
    expect(countCells(c.getState().sse)).toMatchObject({ open: 6, pending: 2 });
    expect(c.getState().sse[0].openMs).toBe(20);

    // Nothing changes for the settle window: the probe goes out, and waits.
    b.advance(SETTLE_MS - 1);
    expect(b.probes).toHaveLength(0);
    b.advance(1);
    expect(b.probes).toHaveLength(1);
    expect(b.probes[0].url).toMatch(/^http:\/\/lab\/api\/info\?probe=limit-/);
    expect(c.getState()).toMatchObject({ phase: 'probing', probe: { state: 'pending' } });

    b.advance(SETTLE_MS);
    const result = await done;
    expect(result).toEqual({
      protocol: 'http/1.1',
      requested: 8,
      sseOpen: 6,
      ssePending: 2,
      wsOpen: 8,
      wsPending: 0,
      fetchProbe: { state: 'pending', ms: SETTLE_MS },
      finishedAt: 1_700_000_000_000 + 20 + 2 * SETTLE_MS,
    });
    expect(c.getState().phase).toBe('settled');
    // One state per connection event and phase change, nothing per message.
    expect(changes).toBeLessThan(30);

    // Close all: every connection closes; the probe is left to answer, and the page sees it.
    c.closeAll();
    expect(b.es.every((e) => e.closed) && b.ws.every((w) => w.closed)).toBe(true);
    expect(countCells(c.getState().sse)).toMatchObject({ closed: 8 });
    b.advance(5);
    b.probes[0].answer(true);
    await b.flush();
    expect(c.getState().probe).toMatchObject({ state: 'answered', ms: SETTLE_MS + 5 });
    expect(c.getState().result?.fetchProbe.state).toBe('pending');
  });

  it('HTTP/2: everything opens, the probe answers at once and the run settles without waiting', async () => {
    const b = fakeBrowser('h2');
    const c = new ConnectionLimitController(b.deps, 'https://lab');
    const done = c.run(8);
    await b.flush();
    b.advance(3);
    for (const e of b.es) e.on.open();
    for (const w of b.ws.slice(0, 7)) w.on.open();
    expect(b.probes).toHaveLength(0);
    b.ws[7].on.open();
    expect(b.probes).toHaveLength(1);
    b.advance(4);
    b.probes[0].answer(true);
    const result = await done;
    expect(result).toMatchObject({ protocol: 'h2', sseOpen: 8, ssePending: 0, wsOpen: 8, fetchProbe: { state: 'answered', ms: 4 } });
    expect(b.timers.size).toBe(0);
  });

  it('a late open restarts the settle window', async () => {
    const b = fakeBrowser();
    const c = new ConnectionLimitController(b.deps, 'http://lab');
    void c.run(2);
    await b.flush();
    b.es[0].on.open();
    b.advance(SETTLE_MS - 100);
    b.ws[0].on.open();
    b.advance(SETTLE_MS - 100);
    expect(b.probes).toHaveLength(0);
    b.advance(100);
    expect(b.probes).toHaveLength(1);
  });

  it('counts errors apart: an EventSource that gave up, a WebSocket that closed before opening', async () => {
    const b = fakeBrowser();
    const c = new ConnectionLimitController(b.deps, 'http://lab');
    const done = c.run(2);
    await b.flush();
    b.es[0].on.error(false); // reconnecting: still pending
    b.es[1].on.error(true);
    b.ws[0].on.open();
    b.ws[1].on.close();
    expect(countCells(c.getState().sse)).toMatchObject({ pending: 1, error: 1 });
    expect(countCells(c.getState().ws)).toMatchObject({ open: 1, error: 1 });
    b.advance(SETTLE_MS);
    b.probes[0].answer(false);
    expect(await done).toMatchObject({ sseOpen: 0, ssePending: 1, wsOpen: 1, wsPending: 0, fetchProbe: { state: 'failed' } });
  });

  it('Close all before it settles resolves with what it saw; a new run closes the old one; dispose aborts the probe', async () => {
    const b = fakeBrowser();
    const c = new ConnectionLimitController(b.deps, 'http://lab');
    const first = c.run(3);
    await b.flush();
    b.es[0].on.open();
    c.closeAll();
    expect(await first).toMatchObject({ requested: 3, sseOpen: 1, ssePending: 2, fetchProbe: { state: 'pending', ms: null } });
    expect(c.getState().phase).toBe('closed');
    b.es[1].on.open(); // late events of a closed run change nothing
    expect(countCells(c.getState().sse)).toMatchObject({ closed: 3 });

    const second = c.run(1);
    await b.flush();
    b.es[3].on.open();
    b.ws[3].on.open();
    expect(b.probes).toHaveLength(1);
    const third = c.run(1);
    expect(await second).toMatchObject({ requested: 1, sseOpen: 1, fetchProbe: { state: 'pending' } });
    expect(b.probes[0].signal.aborted).toBe(true);
    await b.flush();
    expect(b.es[3].closed && b.ws[3].closed).toBe(true);
    expect(b.es).toHaveLength(5);

    c.dispose();
    expect(await third).toMatchObject({ requested: 1 });
    expect(b.es.every((e) => e.closed) && b.ws.every((w) => w.closed)).toBe(true);
    expect(b.timers.size).toBe(0);
  });
});
