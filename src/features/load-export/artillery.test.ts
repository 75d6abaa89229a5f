/**
 * The exported load test, for real: load/processor.mjs against real streams (a frame split across
 * reads, loss, duplicates, reordering; a WebSocket whose first frames come with its 101), then
 * `npm run load` — real Artillery, 100 virtual users across SSE and WebSocket for 10 s — against the
 * lab's endpoints started as a real process (`src/server/serve-api.ts`, as `npm run serve:api`).
 *
 * Artillery lives in load/'s own package: the first run installs it (`npm ci` in load/, about a
 * minute), hence the long timeouts.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type * as ProcessorModule from '../../../load/processor.d.mts';
import type { MetricEvents, ProcessorContext } from '../../../load/processor.d.mts';
import { ensureInstalled } from '../../../load/run.ts';
import { LOAD_TRANSPORTS, artilleryMetric } from './load-script.ts';

type Processor = typeof ProcessorModule;

const root = fileURLToPath(new URL('../../../', import.meta.url));
let processor: Processor;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  await ensureInstalled();
  // After the install, so eventsource-parser resolves from load/node_modules.
  processor = (await import('../../../load/processor.mjs')) as Processor;
}, 300_000);

afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Collects what a processor function reports, as Artillery would. */
function recorder() {
  const counters: Record<string, number> = {};
  const histograms: Record<string, number[]> = {};
  const errors: string[] = [];
  const events: MetricEvents = {
    emit(type, name, value = 0) {
      if (type === 'counter') counters[name] = (counters[name] ?? 0) + value;
      else if (type === 'histogram') (histograms[name] ??= []).push(value);
      else errors.push(name);
      return true;
    },
  };
  return { counters, histograms, errors, events };
}

async function listen(server: Server): Promise<number> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  cleanups.push(() => {
    // Upgraded sockets are no longer the server's to close: end them here.
    for (const socket of sockets) socket.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return (server.address() as AddressInfo).port;
}

const frame = (seq: number, t: number) => JSON.stringify({ type: 'frame', seq, t, kind: 'tick', data: 'x' });

/** One unmasked server→client WebSocket frame (text or binary), payload < 64 KiB. */
function wsFrame(payload: string | Uint8Array): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : Buffer.from(payload);
  const head = body.length < 126 ? Buffer.from([0, body.length]) : Buffer.from([0, 126, body.length >> 8, body.length & 255]);
  head[0] = typeof payload === 'string' ? 0x81 : 0x82;
  return Buffer.concat([head, body]);
}

describe('load/processor.mjs', () => {
  it('reads SSE with a real parser across split reads and counts lost, duplicated and reordered frames', async () => {
    const t = performance.timeOrigin + performance.now();
    const binary = Buffer.alloc(13 + 4);
    binary.writeUInt8(1, 0);
    binary.writeUInt32BE(6, 1);
    binary.writeDoubleBE(t, 5);
    const wire =
      'retry: 1000\n\n' +
      [1, 2, 2, 4, 3].map((seq) => `id: ${seq}\ndata: ${frame(seq, t)}\n\n`).join('') +
      `event: bytes\nid: 6\ndata: ${binary.toString('base64')}\n\n` +
      `event: done\ndata: {"type":"done","total":8}\n\n`;
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
      // Cut the wire in the middle of lines and events: the parser has to join them.
      const cut = [7, 40, 41, 90, 200];
      let from = 0;
      const next = () => {
        const to = cut.shift() ?? wire.length;
        res.write(wire.slice(from, to));
        from = to;
        if (from < wire.length) setTimeout(next, 5);
        else res.end();
      };
      next();
    });
    const port = await listen(server);
    const { counters, histograms, errors, events } = recorder();
    await processor.sseStream({ vars: { target: `http://127.0.0.1:${port}`, labSsePath: '/api/sse?scenario=ticker' } }, events);
    expect(counters).toEqual({
      'lab.sse.frames': 6,
      'lab.sse.lost': 3, // 5 never came, nor 7 and 8 (done said 8)
      'lab.sse.duplicated': 1,
      'lab.sse.reordered': 1,
      'lab.sse.streams_complete': 1,
      'lab.sse.streams_incomplete': 0,
    });
    expect(histograms['lab.sse.latency_ms']).toHaveLength(6);
    expect(histograms['lab.sse.ttft_ms']).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it("holds a WebSocket's messages from the moment it opens: frames that come with the 101 are not lost", async () => {
    const t = performance.timeOrigin + performance.now();
    const binary = Buffer.alloc(13 + 2);
    binary.writeUInt8(1, 0);
    binary.writeUInt32BE(3, 1);
    binary.writeDoubleBE(t, 5);
    // The 101 answer and the whole stream in one write: the client reads them in one go.
    const server = createServer();
    server.on('upgrade', (req, socket) => {
      const accept = createHash('sha1').update(`${String(req.headers['sec-websocket-key'])}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      const head = `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`;
      socket.write(Buffer.concat([Buffer.from(head), wsFrame(frame(1, t)), wsFrame(frame(2, t)), wsFrame(binary), wsFrame('{"type":"done","total":3}')]));
    });
    const port = await listen(server);
    const target = `http://127.0.0.1:${port}`;

    /** Opens a socket as Artillery's ws engine does, and runs `step` a tick after `open`, as its steps run. */
    const open = (step: (ws: WebSocket) => Promise<void> | void) =>
      new Promise<void>((resolve, reject) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/api/ws`);
        cleanups.push(() => ws.terminate());
        ws.once('error', reject);
        ws.once('open', () => process.nextTick(() => void Promise.resolve(step(ws)).then(resolve, reject)));
      });

    // Control: a listener added a tick after open, as the engine's steps are, has missed everything.
    let late = 0;
    await open((ws) => {
      ws.on('message', () => late++);
    });
    expect(late).toBe(0);

    const { counters, histograms, errors, events } = recorder();
    const context: ProcessorContext = { vars: { target, labWsPath: '/api/ws?scenario=ticker', labStreamTimeoutMs: 2000 } };
    await new Promise<void>((resolve) => processor.wsConnect({}, context, () => resolve()));
    await open((ws) => processor.wsStream({ ...context, ws }, events));
    expect(counters).toMatchObject({ 'lab.ws.frames': 3, 'lab.ws.lost': 0, 'lab.ws.streams_complete': 1, 'lab.ws.streams_incomplete': 0 });
    expect(histograms['lab.ws.latency_ms']).toHaveLength(3);
    expect(errors).toEqual([]);
  });

  it('fails the virtual user, with an error, when a stream ends before done', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`id: 1\ndata: ${frame(1, performance.timeOrigin + performance.now())}\n\n`);
    });
    const port = await listen(server);
    const { counters, errors, events } = recorder();
    await expect(processor.sseStream({ vars: { target: `http://127.0.0.1:${port}`, labSsePath: '/x' } }, events)).rejects.toThrow(/ended before done/);
    expect(counters).toMatchObject({ 'lab.sse.frames': 1, 'lab.sse.streams_incomplete': 1 });
    expect(errors).toHaveLength(1);
  });
});

async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** `npm run serve:api` as a real process on a free port; resolves with its URL once it listens. */
async function serveApi(): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/server/serve-api.ts')], {
    cwd: root,
    env: { ...process.env, PORT: String(await freePort()), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  );
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`serve-api exited with ${code}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /lab API on (http:\/\/\S+)/.exec(line);
      if (match) resolve(match[1]);
    });
  });
}

interface ArtilleryReport {
  aggregate: {
    counters: Record<string, number>;
    summaries: Record<string, { count: number; p95: number; max: number }>;
  };
}

describe('npm run load (real Artillery against the live lab)', () => {
  it('100 virtual users over SSE and WebSocket for 10 s: no errors, nothing lost, latency and TTFT measured', { timeout: 120_000 }, async () => {
    const target = await serveApi();
    const dir = mkdtempSync(join(tmpdir(), 'lab-load-test-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const report = join(dir, 'report.json');
    // Looser bounds than the defaults: this test shares 2 cores with the rest of the suite.
    const args = ['--import', 'tsx', join(root, 'load/run.ts'), '--clients', '100', '--duration', '10', '--target', target, '--max-p95', '1000', '--max-ttft', '3000', '--report', report];
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, output).toBe(0);
    expect(output).toMatch(/Checks:/);
    expect(output).not.toMatch(/^fail: /m);

    const { counters, summaries } = (JSON.parse(readFileSync(report, 'utf8')) as ArtilleryReport).aggregate;
    expect(counters['vusers.created']).toBe(100);
    expect(counters['vusers.completed']).toBe(100);
    expect(counters['vusers.failed']).toBe(0);
    expect(Object.keys(counters).filter((name) => name.startsWith('errors.'))).toEqual([]);
    for (const transport of LOAD_TRANSPORTS) {
      const streams = counters[artilleryMetric(transport, 'streams_complete')];
      expect(streams, transport).toBeGreaterThan(0);
      expect(counters[artilleryMetric(transport, 'streams_incomplete')]).toBe(0);
      expect(counters[artilleryMetric(transport, 'lost')]).toBe(0);
      expect(counters[artilleryMetric(transport, 'duplicated')]).toBe(0);
      expect(counters[artilleryMetric(transport, 'reordered')]).toBe(0);
      // ticker at 10 msg/s for the 8 s after the 2 s ramp: 80 frames per stream, every one of them.
      expect(counters[artilleryMetric(transport, 'frames')]).toBe(streams * 80);
      // Latency is present. Its sample count is Artillery's: periods its workers report after the last
      // aggregation may be left out of the summary (seen: 908 of 3760 once), so it is not the frame count.
      expect(summaries[artilleryMetric(transport, 'latency_ms')].count).toBeGreaterThan(0);
      expect(summaries[artilleryMetric(transport, 'latency_ms')].count).toBeLessThanOrEqual(streams * 80);
      expect(summaries[artilleryMetric(transport, 'latency_ms')].p95).toBeLessThan(1000);
      expect(summaries[artilleryMetric(transport, 'ttft_ms')].count).toBeGreaterThan(0);
    }
    expect(counters['lab.sse.streams_complete'] + counters['lab.ws.streams_complete']).toBe(100);
    console.log(
      `[load] ${counters['lab.sse.streams_complete']} SSE + ${counters['lab.ws.streams_complete']} WS streams; latency p95 ` +
        `SSE ${summaries['lab.sse.latency_ms'].p95} ms, WS ${summaries['lab.ws.latency_ms'].p95} ms; ttft p95 ` +
        `SSE ${summaries['lab.sse.ttft_ms'].p95} ms, WS ${summaries['lab.ws.ttft_ms'].p95} ms`,
    );
  });
});
