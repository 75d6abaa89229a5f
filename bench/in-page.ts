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
  /**
   * The same three streams received in a dedicated worker that only counts frames: the page's main
   * thread does nothing but the frame meter. What a receive-in-a-worker page (the lab's design) can
   * get from this machine at best. Its counts reach `tallies` (frames only) four times a second.
   */
  openInWorker(options: BareOptions): void;
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

  /** The worker's body, serialised into a blob: plain receivers that count frames and report them. */
  function workerMain(): void {
    const counts: Record<string, number> = { es: 0, fetch: 0, ws: 0 };
    const scope = self as unknown as { onmessage: ((m: MessageEvent<BareOptions>) => void) | null; postMessage(v: unknown): void };
    scope.onmessage = (m) => {
      const o = m.data;
      if (o.lanes.includes('es')) {
        const source = new EventSource(`${o.origin}/api/sse?${o.query}`);
        source.onmessage = (event: MessageEvent<string>) => {
          JSON.parse(event.data);
          counts.es++;
        };
      }
      if (o.lanes.includes('ws')) {
        const socket = new WebSocket(`${o.origin.replace(/^http/, 'ws')}/api/ws?${o.query}`);
        socket.onmessage = (event: MessageEvent<unknown>) => {
          if (typeof event.data === 'string' && (JSON.parse(event.data) as { type: string }).type === 'frame') counts.ws++;
        };
      }
      if (o.lanes.includes('fetch')) {
        void fetch(`${o.origin}/api/stream`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: o.body }).then(async (response) => {
          if (!response.body) return;
          const reader = response.body.getReader();
          const decoder = new TextDecoder();
          let buffer = '';
          for (;;) {
            const { done, value } = await reader.read();
            if (done) return;
            buffer += decoder.decode(value, { stream: true });
            let end = buffer.indexOf('\n\n');
            while (end >= 0) {
              const data = buffer.slice(0, end).split('\n').find((line) => line.startsWith('data:'));
              if (data) {
                JSON.parse(data.slice(5));
                counts.fetch++;
              }
              buffer = buffer.slice(end + 2);
              end = buffer.indexOf('\n\n');
            }
          }
        });
      }
      setInterval(() => scope.postMessage({ ...counts }), 250);
    };
  }

  window.__bench = {
    openInWorker(o) {
      const source = `self.__name = (f) => f;\n(${workerMain.toString()})();`;
      const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
      const mine: Partial<Record<BareLane, BareTally>> = {};
      for (const lane of o.lanes) mine[lane] = tally(lane);
      worker.onmessage = (event: MessageEvent<Record<BareLane, number>>) => {
        const at = stamp();
        for (const lane of o.lanes) {
          const t = mine[lane];
          if (!t) continue;
          if (t.frames === 0 && event.data[lane] > 0) t.firstAt = at;
          t.frames = event.data[lane];
          t.lastAt = at;
        }
      };
      worker.postMessage(o);
      closers.push(() => worker.terminate());
    },
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
  };
}

/** What the frame host reports (see `frameHost`). */
export interface FrameHostReading {
  /** Epoch ms (`performance.timeOrigin + performance.now()`). */
  at: number;
  /** The lab's lanes: the number each `[data-lane] [data-testid=frames]` shows; bare pages: their tallies. */
  frames: Record<string, number>;
  /** The lab's charts' `data-draws` (NaN for a bare page). */
  latencyDraws: number;
  framesDraws: number;
}

export interface FrameHostResult {
  page: 'lab' | 'bare' | 'worker';
  raf: RafResult;
  first: FrameHostReading;
  last: FrameHostReading;
  /** The lab: both charts entirely inside the 1280 × 800 viewport. */
  chartsInView: boolean | null;
  /** Why the host gave up, if it did. */
  error: string | null;
}

/** What the saturation task of the frame host reports (see `frameHost`, `task=saturation`). */
export interface SaturationHostResult {
  page: 'lab' | 'bare';
  /** The lab: its lane's frame counter each time it changed (host page's clock, ms). */
  points: CounterPoint[];
  /** The bare page: its lane's tally (no latencies). */
  tally: BareTally | null;
  /** 'no-start' (the lab showed no frame in time), 'incomplete' (not every frame in time), or null. */
  error: string | null;
}

/** A lane's numbers as the lab shows them (`[data-lane]` hooks), for the latency task. */
export interface ShownLane {
  frames: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface ShownReading {
  /** Epoch ms. */
  at: number;
  lanes: Record<string, ShownLane>;
}

/** What the latency task of the frame host reports (see `frameHost`, `task=latency`). */
export interface LatencyHostResult {
  page: 'lab' | 'bare';
  /** The lab: just after its measured run started, and at `to`. */
  first: ShownReading | null;
  last: ShownReading | null;
  /** The bare page: its tallies with every stamp and latency from `from` − 2 s on. */
  tallies: Partial<Record<BareLane, BareTally>>;
  chartsInView: boolean | null;
  visibility: DocumentVisibilityState;
  error: string | null;
}

/**
 * The frame-rate section's page, for a Chromium with no DevTools client attached (Playwright's
 * session makes Chromium report every network read of every page and worker to it, which costs the
 * renderer and the browser process CPU a user's browser does not spend). Runs after `installKit` in
 * the same document. Query: `page` (lab | bare | worker), `src` (the lab's URL, shown in a full-window
 * same-origin iframe, so this document's animation frames are the lab's), `options` (BareOptions as
 * JSON, for the bare pages), `warmup` and `window` (ms), `report` (where to POST the result).
 */
export function frameHost(): void {
  const q = new URLSearchParams(location.search);
  const kit = window.__bench;
  const report = q.get('report') ?? '';
  const page = (q.get('page') ?? 'lab') as FrameHostResult['page'];
  const warmupMs = Number(q.get('warmup') ?? 1500);
  const windowMs = Number(q.get('window') ?? 5000);
  const stamp = () => performance.timeOrigin + performance.now();
  const send = (result: FrameHostResult) =>
    void fetch(report, { method: 'POST', body: JSON.stringify(result) }).catch(() => {});
  if (!kit) return;
  /** The lab (`src`) in a full-window same-origin iframe: this document's animation frames are its. */
  const mountLab = (): HTMLIFrameElement => {
    const lab = document.createElement('iframe');
    lab.src = q.get('src') ?? '/';
    lab.title = 'lab';
    lab.style.cssText = 'position:fixed;inset:0;width:100%;height:100%;border:0';
    document.body.append(lab);
    return lab;
  };
  // task=latency: the lab or the bare page, each in its own Chromium, started together by the bench,
  // on the same streams. The lab has a warm-up run (autostart: its chart code loads), is stopped 2 s
  // before `from` and started again at `from` (epoch ms); at `to` it posts what it shows. The bare
  // page opens its streams at once and at `to` posts its stamps and latencies from `from` − 2 s on.
  if (q.get('task') === 'latency') {
    const from = Number(q.get('from'));
    const to = Number(q.get('to'));
    const at = (epoch: number, fn: () => void) => setTimeout(fn, Math.max(0, epoch - stamp()));
    const post = (result: LatencyHostResult) =>
      void fetch(report, { method: 'POST', body: JSON.stringify(result) }).catch(() => {});
    if (page === 'lab') {
      const lab = mountLab();
      const doc = () => lab.contentDocument;
      const button = (name: string) =>
        [...(doc()?.querySelectorAll('button') ?? [])].find((b) => b.textContent?.trim() === name) ?? null;
      const ms = (text: string | null | undefined): number | null => {
        const m = /(-?[\d.]+)\s*ms/.exec(text ?? '');
        return m ? Number(m[1]) : null;
      };
      const read = (): ShownReading => {
        const lanes: Record<string, ShownLane> = {};
        for (const lane of doc()?.querySelectorAll<HTMLElement>('main [data-lane]') ?? []) {
          const text = (id: string) => lane.querySelector(`[data-testid="${id}"]`)?.textContent ?? null;
          lanes[lane.dataset.lane ?? ''] = {
            frames: Number((text('frames') ?? '').replace(/[^0-9]/g, '') || '0'),
            p50: ms(text('latency-p50')),
            p95: ms(text('latency-p95')),
            p99: ms(text('latency-p99')),
          };
        }
        return { at: stamp(), lanes };
      };
      const inView = () =>
        ['latency-chart', 'frames-chart'].every((id) => {
          const box = doc()?.querySelector(`figure[data-testid="${id}"]`)?.getBoundingClientRect();
          return !!box && box.width > 0 && box.top >= 0 && box.bottom <= window.innerHeight;
        });
      const fail = (error: string) =>
        post({ page: 'lab', first: null, last: read(), tallies: {}, chartsInView: inView(), visibility: document.visibilityState, error });
      let first: ShownReading | null = null;
      at(from - 2000, () => {
        const warm = Object.values(read().lanes);
        if (warm.length === 0 || warm.some((l) => l.frames === 0)) return fail('the warm-up run showed no frames in every lane');
        button('Stop')?.click();
        at(from, () => {
          const start = button('Start');
          if (!start || start.disabled) return fail('Start was not enabled after Stop');
          start.click();
          // The first reading once every lane of the new run shows frames (for its receive rate).
          const settle = () => {
            const now = read();
            const counts = Object.values(now.lanes).map((l) => l.frames);
            if (counts.length > 0 && counts.every((n) => n > 0) && now.at - from < 3000) first = now;
            else if (now.at - from < 3000) setTimeout(settle, 50);
          };
          setTimeout(settle, 300);
          at(to, () => {
            if (!first) return fail('the measured run showed no frames in every lane within 3 s');
            post({ page: 'lab', first, last: read(), tallies: {}, chartsInView: inView(), visibility: document.visibilityState, error: null });
          });
        });
      });
      return;
    }
    kit.open(JSON.parse(q.get('options') ?? '{}') as BareOptions);
    at(to, () => {
      const all = kit.tallies(true);
      kit.stop();
      const tallies: Partial<Record<BareLane, BareTally>> = {};
      for (const [lane, t] of Object.entries(all) as [BareLane, BareTally][]) {
        const keep = t.stamps.map((s, i) => (s >= from - 2000 ? i : -1)).filter((i) => i >= 0);
        tallies[lane] = { ...t, stamps: keep.map((i) => t.stamps[i]), latencies: keep.map((i) => t.latencies[i]) };
      }
      post({ page: 'bare', first: null, last: null, tallies, chartsInView: null, visibility: document.visibilityState, error: null });
    });
    return;
  }
  // task=saturation: one lane of the lab (`lane`, its data-lane kind) or of the bare page (`lane`, its
  // code) receives `total` frames as fast as it can; the lab's counter is sampled at every animation
  // frame, as a person would see it. `startWithin` / `doneWithin` (ms) bound the wait.
  if (q.get('task') === 'saturation') {
    const lane = q.get('lane') ?? '';
    const total = Number(q.get('total') ?? 0);
    const startWithin = Number(q.get('startWithin') ?? 10_000);
    const doneWithin = Number(q.get('doneWithin') ?? 45_000);
    const began = performance.now();
    const post = (result: SaturationHostResult) =>
      void fetch(report, { method: 'POST', body: JSON.stringify(result) }).catch(() => {});
    if (page === 'lab') {
      const lab = mountLab();
      const points: CounterPoint[] = [];
      let last = -1;
      let firstAt: number | null = null;
      const sample = () => {
        const text = lab.contentDocument?.querySelector(`[data-lane="${lane}"] [data-testid=frames]`)?.textContent ?? '';
        const n = Number(text.replace(/[^0-9]/g, '') || '0');
        const now = performance.now();
        if (n !== last) {
          points.push({ t: now, n });
          last = n;
        }
        if (n > 0) firstAt ??= now;
        if (n >= total) return post({ page: 'lab', points, tally: null, error: null });
        if (firstAt === null && now - began > startWithin) return post({ page: 'lab', points, tally: null, error: 'no-start' });
        if (now - began > startWithin + doneWithin) return post({ page: 'lab', points, tally: null, error: 'incomplete' });
        requestAnimationFrame(sample);
      };
      requestAnimationFrame(sample);
      return;
    }
    kit.open(JSON.parse(q.get('options') ?? '{}') as BareOptions);
    const poll = () => {
      const done = kit.allComplete();
      if (done || performance.now() - began > startWithin + doneWithin) {
        const tally = kit.tallies(false)[lane as BareLane] ?? null;
        kit.stop();
        return post({ page: 'bare', points: [], tally, error: done ? null : 'incomplete' });
      }
      setTimeout(poll, 200);
    };
    poll();
    return;
  }
  kit.rafStart();
  let frame: HTMLIFrameElement | null = null;
  if (page === 'lab') {
    frame = mountLab();
  } else {
    const options = JSON.parse(q.get('options') ?? '{}') as BareOptions;
    if (page === 'worker') kit.openInWorker(options);
    else kit.open(options);
  }
  const labDoc = () => frame?.contentDocument ?? null;
  const reading = (): FrameHostReading => {
    const doc = labDoc();
    const frames: Record<string, number> = {};
    if (doc) {
      for (const lane of doc.querySelectorAll<HTMLElement>('main [data-lane]')) {
        const text = lane.querySelector('[data-testid=frames]')?.textContent ?? '';
        frames[lane.dataset.lane ?? ''] = Number(text.replace(/[^0-9]/g, '') || '0');
      }
    } else {
      for (const [lane, t] of Object.entries(kit.tallies(false))) frames[lane] = t?.frames ?? 0;
    }
    const draws = (id: string) => Number(doc?.querySelector(`figure[data-testid="${id}"]`)?.getAttribute('data-draws') ?? Number.NaN);
    return { at: stamp(), frames, latencyDraws: draws('latency-chart'), framesDraws: draws('frames-chart') };
  };
  const inView = (): boolean | null => {
    const doc = labDoc();
    if (!doc) return null;
    return ['latency-chart', 'frames-chart'].every((id) => {
      const box = doc.querySelector(`figure[data-testid="${id}"]`)?.getBoundingClientRect();
      return !!box && box.width > 0 && box.top >= 0 && box.bottom <= window.innerHeight;
    });
  };
  const started = stamp();
  // The lab: the window opens once every lane shows frames and both charts have drawn (at most 20 s).
  const ready = () => {
    if (page !== 'lab') return true;
    const r = reading();
    const counts = Object.values(r.frames);
    return counts.length > 0 && counts.every((n) => n > 0) && r.latencyDraws > 0 && r.framesDraws > 0;
  };
  const waitReady = () => {
    if (!ready()) {
      if (stamp() - started > 20_000) {
        const r = reading();
        send({ page, raf: kit.rafWindow(started, stamp()), first: r, last: r, chartsInView: inView(), error: 'the lab showed no frames in every lane within 20 s' });
        return;
      }
      setTimeout(waitReady, 100);
      return;
    }
    setTimeout(() => {
      const first = reading();
      setTimeout(() => {
        const last = reading();
        send({ page, raf: kit.rafWindow(first.at, last.at), first, last, chartsInView: inView(), error: null });
      }, windowMs);
    }, warmupMs);
  };
  waitReady();
}
