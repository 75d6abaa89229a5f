/**
 * What the bench runs inside the browser, installed with `page.evaluate(installKit)`: the bare page's
 * three receivers (no React, no lab code), a requestAnimationFrame gap meter, and a sampler of the lab
 * page's displayed frame counters. Everything here is serialised into the page: it must not refer to
 * anything outside its own body.
 */

export type BareLane = 'es' | 'fetch' | 'ws';

export interface BareOptions {
  origin: string;
  /** `scenario=ticker&rate=…&size=…&count=…&retry=1000`, as the lab's `streamUrls` builds it. */
  query: string;
  /** The JSON body the lab's fetch lane POSTs (`streamBody`), as text. */
  body: string;
  lanes: BareLane[];
  /** Frames of a finite stream (0: endless); a lane with that many is complete and closes. */
  count: number;
}

export interface BareTally {
  frames: number;
  /** Receive stamps (epoch ms, `performance.timeOrigin + performance.now()`) of the first and last frame. */
  firstAt: number;
  lastAt: number;
  /** One-way latency of every frame, ms (receive stamp − frame.t). */
  latencies: number[];
  /** The receive stamp of every frame (same order). */
  stamps: number[];
  complete: boolean;
  error: string | null;
}

export interface RafResult {
  /** Animation frames in the window. */
  frames: number;
  spanMs: number;
  maxGapMs: number;
  /** Gaps longer than 50 ms (a long animation frame). */
  over50: number;
}

export interface CounterPoint {
  /** performance.now() of the animation frame that saw the new value. */
  t: number;
  n: number;
}

export interface BenchKit {
  open(options: BareOptions): void;
  tallies(withLatencies: boolean): Partial<Record<BareLane, BareTally>>;
  /** `performance.timeOrigin + performance.now()`: the clock of the receive stamps. */
  now(): number;
  allComplete(): boolean;
  stop(): void;
  /** Starts recording the time of every animation frame (once; later calls do nothing). */
  rafStart(): void;
  /** Animation frames in [from, to] (epoch ms): how many, and the longest gap that overlaps it. */
  rafWindow(from: number, to: number): RafResult;
  /** Samples the text of `[data-lane=<kind>] [data-testid=frames]` once per animation frame. */
  watchFrames(kind: string): void;
  framePoints(): CounterPoint[];
  visibility(): { state: DocumentVisibilityState; focus: boolean };
  /** The charts' `data-draws` counters now (NaN where a chart or its counter is missing). */
  chartDraws(): ChartDraws;
}

export interface ChartDraws {
  /** Epoch ms. */
  t: number;
  latency: number;
  frames: number;
}

declare global {
  interface Window {
    __bench?: BenchKit;
  }
}

export function installKit(): void {
  if (window.__bench) return;
  const stamp = () => performance.timeOrigin + performance.now();
  const tallies: Partial<Record<BareLane, BareTally>> = {};
  const closers: (() => void)[] = [];
  let expected = 0;
  let stopped = false;

  const tally = (lane: BareLane): BareTally => {
    const t: BareTally = { frames: 0, firstAt: 0, lastAt: 0, latencies: [], stamps: [], complete: false, error: null };
    tallies[lane] = t;
    return t;
  };
  /** One frame in; returns true when a finite stream has all its frames. */
  const record = (t: BareTally, at: number, frame: { seq: number; t: number }): boolean => {
    if (t.frames === 0) t.firstAt = at;
    t.frames++;
    t.lastAt = at;
    t.latencies.push(at - frame.t);
    t.stamps.push(at);
    if (expected > 0 && frame.seq >= expected) t.complete = true;
    return t.complete;
  };

  function openEventSource(o: BareOptions): void {
    const t = tally('es');
    const source = new EventSource(`${o.origin}/api/sse?${o.query}`);
    source.onmessage = (event: MessageEvent<string>) => {
      const at = stamp();
      const frame = JSON.parse(event.data) as { seq: number; t: number };
      if (record(t, at, frame)) source.close();
    };
    source.onerror = () => {
      if (!t.complete && !stopped) t.error = `EventSource error (readyState ${source.readyState})`;
    };
    closers.push(() => source.close());
  }

  function openFetch(o: BareOptions): void {
    const t = tally('fetch');
    const controller = new AbortController();
    closers.push(() => controller.abort());
    void (async () => {
      const response = await fetch(`${o.origin}/api/stream`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: o.body,
        signal: controller.signal,
      });
      if (!response.ok || !response.body) throw new Error(`POST /api/stream answered ${response.status}`);
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      let data = '';
      let hasData = false;
      let event = '';
      for (;;) {
        const { done, value } = await reader.read();
        // Stamped before parsing: every event in this chunk arrived now.
        const at = stamp();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let start = 0;
        for (;;) {
          const end = buffer.indexOf('\n', start);
          if (end < 0) break;
          let line = buffer.slice(start, end);
          start = end + 1;
          if (line.endsWith('\r')) line = line.slice(0, -1);
          if (line === '') {
            if (hasData && (event === '' || event === 'message')) {
              const frame = JSON.parse(data) as { seq: number; t: number };
              if (record(t, at, frame)) {
                controller.abort();
                return;
              }
            }
            data = '';
            hasData = false;
            event = '';
          } else if (line.startsWith('data:')) {
            const value = line.slice(line.charCodeAt(5) === 32 ? 6 : 5);
            data = hasData ? `${data}\n${value}` : value;
            hasData = true;
          } else if (line.startsWith('event:')) {
            event = line.slice(line.charCodeAt(6) === 32 ? 7 : 6);
          }
        }
        buffer = buffer.slice(start);
      }
    })().catch((error: unknown) => {
      if (!controller.signal.aborted) t.error = error instanceof Error ? error.message : String(error);
    });
  }

  function openWebSocket(o: BareOptions): void {
    const t = tally('ws');
    const socket = new WebSocket(`${o.origin.replace(/^http/, 'ws')}/api/ws?${o.query}`);
    socket.onmessage = (event: MessageEvent<unknown>) => {
      const at = stamp();
      if (typeof event.data !== 'string') return;
      const message = JSON.parse(event.data) as { type: string; seq: number; t: number };
      if (message.type !== 'frame') return;
      if (record(t, at, message)) socket.close();
    };
    socket.onclose = (event) => {
      if (!t.complete && !stopped) t.error = `WebSocket closed ${event.code}`;
    };
    closers.push(() => socket.close());
  }

  // Animation frames: the epoch time of each one, from rafStart() on (a page that freezes cannot be
  // asked to start measuring when the bench wants; it records from early on and is asked afterwards).
  const rafTimes: number[] = [];
  let rafOn = false;
  const rafLoop = () => {
    if (!rafOn) return;
    if (rafTimes.length < 200_000) rafTimes.push(stamp());
    requestAnimationFrame(rafLoop);
  };

  const points: CounterPoint[] = [];
  let watching = false;

  window.__bench = {
    open(o) {
      expected = o.count;
      stopped = false;
      if (o.lanes.includes('es')) openEventSource(o);
      if (o.lanes.includes('fetch')) openFetch(o);
      if (o.lanes.includes('ws')) openWebSocket(o);
    },
    tallies(withLatencies) {
      const out: Partial<Record<BareLane, BareTally>> = {};
      for (const [lane, t] of Object.entries(tallies) as [BareLane, BareTally][]) {
        out[lane] = { ...t, latencies: withLatencies ? t.latencies : [], stamps: withLatencies ? t.stamps : [] };
      }
      return out;
    },
    now: stamp,
    allComplete() {
      return Object.values(tallies).every((t) => t?.complete);
    },
    stop() {
      stopped = true;
      while (closers.length > 0) closers.pop()?.();
    },
    rafStart() {
      if (rafOn) return;
      rafOn = true;
      requestAnimationFrame(rafLoop);
    },
    rafWindow(from, to) {
      const readAt = stamp();
      let frames = 0;
      let maxGap = 0;
      let over50 = 0;
      let previous: number | null = null;
      const gap = (a: number, b: number) => {
        // Every gap that overlaps the window, counted whole.
        if (b <= from || a >= to) return;
        const g = b - a;
        if (g > maxGap) maxGap = g;
        if (g > 50) over50++;
      };
      for (const t of rafTimes) {
        if (t >= from && t <= to) frames++;
        if (previous !== null) gap(previous, t);
        previous = t;
      }
      // A page still waiting for its next frame: the gap so far.
      if (previous !== null) gap(previous, Math.max(readAt, previous));
      else gap(from, readAt);
      return { frames, spanMs: to - from, maxGapMs: maxGap, over50 };
    },
    watchFrames(kind) {
      if (watching) return;
      watching = true;
      let last = -1;
      const sample = () => {
        const text = document.querySelector(`[data-lane="${kind}"] [data-testid=frames]`)?.textContent ?? '';
        const n = Number(text.replace(/[^0-9]/g, '') || '0');
        if (n !== last) {
          points.push({ t: performance.now(), n });
          last = n;
        }
        if (watching) requestAnimationFrame(sample);
      };
      requestAnimationFrame(sample);
    },
    framePoints() {
      watching = false;
      return points;
    },
    visibility() {
      return { state: document.visibilityState, focus: document.hasFocus() };
    },
    chartDraws() {
      const read = (id: string) => Number(document.querySelector(`figure[data-testid="${id}"]`)?.getAttribute('data-draws') ?? Number.NaN);
      return { t: stamp(), latency: read('latency-chart'), frames: read('frames-chart') };
    },
  };
}
