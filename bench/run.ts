/**
 * npm run bench — throughput and cost figures, each next to a baseline measured in the same run
 * (the machine is noisy; compare ratios, not absolutes).
 *
 * 1. Node: SSE/JSON encoding and the lane recorder's hot path, against bare JSON.stringify / push.
 * 2. Browser, Live mode: frames per second each lane sustains in the lab page, against a bare page
 *    that only counts messages on the same endpoints (the lab's own overhead shows as the gap).
 */
import { existsSync } from 'node:fs';
import { chromium, type Page } from '@playwright/test';
import { preview } from 'vite';
import { LaneRecorder } from '../src/metrics/lane-recorder.ts';
import { encodeFrame, type Frame } from '../src/protocol/frame.ts';
import { encodeSseEvent } from '../src/protocol/sse-encoding.ts';

function opsPerSecond(fn: (i: number) => void, ms = 400): number {
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (let i = 0; i < 1000; i++) fn(n + i);
    n += 1000;
  }
  return n / ((performance.now() - start) / 1000);
}

function fmt(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)} M/s` : `${(n / 1e3).toFixed(1)} k/s`;
}

function nodeBench(): void {
  const frame: Frame = { type: 'frame', seq: 1, t: 1_700_000_000_000.123, kind: 'tick', data: 'x'.repeat(100) };
  const baseline = opsPerSecond(() => JSON.stringify(frame));
  const sse = opsPerSecond((i) => encodeSseEvent({ id: String(i), data: encodeFrame({ ...frame, seq: i }) }));
  const recorder = new LaneRecorder(0);
  const sink: number[] = [];
  const pushBaseline = opsPerSecond((i) => {
    sink.push(i);
    if (sink.length > 20_000) sink.length = 0;
  });
  const record = opsPerSecond((i) => recorder.recordFrame(i + 1, { ...frame, seq: i + 1 }, 130));
  const t0 = performance.now();
  for (let i = 0; i < 20; i++) recorder.snapshot(1e6 + i * 200);
  const snapshotMs = (performance.now() - t0) / 20;
  console.log('## Node (100-byte payload)');
  console.log(`JSON.stringify(frame)            ${fmt(baseline)}   (baseline)`);
  console.log(`SSE event (id + JSON data)       ${fmt(sse)}   ${(sse / baseline).toFixed(2)}× baseline`);
  console.log(`array push                       ${fmt(pushBaseline)}   (baseline)`);
  console.log(`LaneRecorder.recordFrame         ${fmt(record)}   ${(record / pushBaseline).toFixed(2)}× baseline`);
  console.log(`LaneRecorder.snapshot (20k win)  ${snapshotMs.toFixed(2)} ms per snapshot (5 Hz → ${(snapshotMs * 5).toFixed(1)} ms/s)`);
}

async function barePage(page: Page, origin: string, query: string, total: number) {
  return page.evaluate(
    async ({ origin, query, total }) => {
      const count = (open: (done: (ms: number) => void) => void) =>
        new Promise<number>((resolve) => open(resolve));
      const es = await count((done) => {
        let n = 0;
        let start = 0;
        const source = new EventSource(`${origin}/api/sse?${query}`);
        source.onmessage = () => {
          if (n++ === 0) start = performance.now();
          if (n === total) {
            source.close();
            done(performance.now() - start);
          }
        };
      });
      const ws = await count((done) => {
        let n = 0;
        let start = 0;
        const socket = new WebSocket(`${origin.replace('http', 'ws')}/api/ws?${query}`);
        socket.onmessage = (event) => {
          if (typeof event.data !== 'string' || !event.data.startsWith('{"type":"frame"')) return;
          if (n++ === 0) start = performance.now();
          if (n === total) {
            socket.close();
            done(performance.now() - start);
          }
        };
      });
      return { es: (total - 1) / (es / 1000), ws: (total - 1) / (ws / 1000) };
    },
    { origin, query, total },
  );
}

async function labPage(page: Page, origin: string, query: string, total: number) {
  await page.goto(`${origin}/?mode=live&${query}&autostart=1`);
  // Sample the frame counters in the page at 10 Hz until both lanes have everything.
  return page.evaluate(async (total) => {
    const read = (name: string) => {
      const region = [...document.querySelectorAll('section')].find((s) =>
        s.querySelector('h2')?.textContent?.includes(name),
      );
      return Number(region?.querySelector('[data-testid=frames]')?.textContent?.replace(/,/g, '') ?? 0);
    };
    // From the first sample that shows frames to the one that shows them all: frames counted in
    // between over the time in between (what arrived before the first sample is not counted).
    const first: Record<string, { t: number; n: number }> = {};
    const last: Record<string, number> = {};
    const start = performance.now();
    while (performance.now() - start < 120_000) {
      for (const name of ['EventSource', 'fetch + SSE', 'WebSocket']) {
        const n = read(name);
        if (n > 0 && first[name] === undefined) first[name] = { t: performance.now(), n };
        if (n >= total && last[name] === undefined) last[name] = performance.now();
      }
      if (last.EventSource !== undefined && last['fetch + SSE'] !== undefined && last.WebSocket !== undefined) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const rate = (name: string) => (total - first[name].n) / ((last[name] - first[name].t) / 1000);
    const latency = [...document.querySelectorAll('[data-testid=latency]')].map((e) => e.textContent);
    return { es: rate('EventSource'), fetch: rate('fetch + SSE'), ws: rate('WebSocket'), latency };
  }, total);
}

async function browserBench(): Promise<void> {
  const server = await preview({ preview: { port: 0, host: '127.0.0.1' }, logLevel: 'silent' });
  const origin = server.resolvedUrls?.local[0]?.replace(/\/$/, '') ?? '';
  const executablePath = ['/usr/bin/chromium'].find((p) => existsSync(p));
  const browser = await chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // tsx keeps function names with a __name helper that the page does not have.
    await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
    await page.goto(`${origin}/api/info`);
    console.log('\n## Browser, Live mode, ticker 100-byte payload (frames/s received)');
    console.log('rate asked | bare ES | bare WS | lab ES | lab fetch | lab WS | lab latency p50/p95/p99 (ES; fetch; WS)');
    for (const [rate, total] of [
      [1000, 5000],
      [5000, 20000],
      [20000, 60000],
    ]) {
      const query = `scenario=ticker&rate=${rate}&size=100&count=${total}`;
      await page.goto(`${origin}/api/info`);
      const bare = await barePage(page, origin, query, total);
      const lab = await labPage(page, origin, query, total);
      const k = (n: number) => `${(n / 1000).toFixed(1)}k`.padStart(7);
      console.log(
        `${String(rate).padStart(10)} | ${k(bare.es)} | ${k(bare.ws)} | ${k(lab.es)} | ${k(lab.fetch).padStart(9)} | ${k(lab.ws)} | ${lab.latency.join('; ')}`,
      );
    }
    await reconnectBench(page, origin);
    await llmBench(page, origin);
    await memoryBench(origin);
    await parseBench(page, origin);
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
  }
}

/** Downtime per reconnect with the default settings (SSE retry 1000 ms, WS backoff 250 ms base). */
async function reconnectBench(page: Page, origin: string): Promise<void> {
  await page.goto(`${origin}/?mode=live&scenario=ticker&rate=100&size=100&count=0&lanes=es,ws&autostart=1`);
  const region = (name: string) => page.getByRole('region', { name, exact: true });
  const framesOf = async (name: string) => Number((await region(name).getByTestId('frames').innerText()).replace(/,/g, ''));
  const drops = 20;
  for (let i = 0; i < drops; i++) {
    for (const name of ['EventSource', 'WebSocket']) {
      const start = await framesOf(name);
      await region(name).getByTestId('lane-state').getByText('open').waitFor();
      while ((await framesOf(name)) < start + 10) await page.waitForTimeout(50);
    }
    await page.getByRole('button', { name: 'Drop all' }).click();
    for (const name of ['EventSource', 'WebSocket']) {
      while (Number(await region(name).getByTestId('reconnects').innerText()) < i + 1) await page.waitForTimeout(50);
    }
  }
  console.log(`\n## Live mode, ${drops} drops per lane, default settings: downtime per reconnect (median / last / max)`);
  for (const name of ['EventSource', 'WebSocket']) {
    console.log(`${name.padEnd(12)} ${await region(name).getByTestId('downtime').innerText()}   lost/dup/reordered ${await region(name).getByTestId('sequence').innerText()}`);
  }
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
}

/** The default llm scenario in Live mode: what a chat user feels in each lane. */
async function llmBench(page: Page, origin: string): Promise<void> {
  await page.goto(`${origin}/?mode=live&scenario=llm&autostart=1`);
  const lanes = ['EventSource', 'fetch + SSE', 'WebSocket'];
  const region = (name: string) => page.getByRole('region', { name, exact: true });
  for (const name of lanes) await region(name).getByText('Stream complete.').waitFor({ timeout: 60_000 });
  console.log('\n## Live mode, default llm scenario (ttft 600 ms, 300 tokens, ~40 tokens/s)');
  console.log('lane         | TTFT | tokens/s | token gap p50 / p95 / max | total');
  for (const name of lanes) {
    const r = region(name);
    const text = async (id: string) => r.getByTestId(id).innerText();
    console.log(
      `${name.padEnd(12)} | ${await text('ttft')} | ${await text('tokens-per-second')} | ${await text('token-gaps')} | ${await text('total-time')}`,
    );
  }
}

/** Server memory per open stream, SSE against WebSocket (each the other's baseline), 5 probes. */
async function memoryBench(origin: string): Promise<void> {
  const n = 500;
  const rows: { sse: number; ws: number }[] = [];
  for (let i = 0; i < 5; i++) {
    const body = (await (await fetch(`${origin}/api/memory?n=${n}`)).json()) as Record<'sse' | 'ws', { bytesPerConnection: number }>;
    rows.push({ sse: body.sse.bytesPerConnection, ws: body.ws.bytesPerConnection });
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const kib = (x: number) => `${(x / 1024).toFixed(1)} KiB`;
  console.log(`\n## Live server memory per open stream (${n} of each, heap + external after GC, 5 probes)`);
  console.log(`SSE       median ${kib(median(rows.map((r) => r.sse)))}   all ${rows.map((r) => kib(r.sse)).join(', ')}`);
  console.log(`WebSocket median ${kib(median(rows.map((r) => r.ws)))}   all ${rows.map((r) => kib(r.ws)).join(', ')}`);
}

/** The claims table's parse measurement, in the page: fetch + SSE parsing against the WebSocket path. */
async function parseBench(page: Page, origin: string): Promise<void> {
  console.log('\n## In-page parse cost per frame (fetch + SSE: parser + JSON; WebSocket: JSON after native framing)');
  for (const size of [16, 100, 2000]) {
    await page.goto(`${origin}/?mode=live&scenario=ticker&size=${size}`);
    const row = page.locator('tr[data-claim="llm-parse"]');
    await row.getByRole('button', { name: /^Show me/ }).click();
    await page.waitForFunction(() => document.querySelector('tr[data-claim="llm-parse"]')?.getAttribute('data-verdict') !== 'none');
    console.log(`size ${String(size).padStart(4)}: ${await row.getByTestId('measured-llm-parse').innerText()}`);
  }
}

nodeBench();
await browserBench();
