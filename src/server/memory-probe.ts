/**
 * Memory per open stream, measured on the live server: a child process (so its own sockets do not
 * count) opens N SSE streams or N WebSockets to this server over loopback; the server collects
 * garbage and compares its heap + external memory with and without them.
 *
 * What it counts is everything the server holds for one stream: the TCP socket and its buffers, the
 * HTTP parser or WebSocket state, the stream's player and timers, and the lab's own records.
 */
import { spawn } from 'node:child_process';
import v8 from 'node:v8';
import vm from 'node:vm';

export type ProbeKind = 'sse' | 'ws';

export interface MemoryFigure {
  kind: ProbeKind;
  connections: number;
  /** Server heap + external memory per open stream, after GC, in bytes. */
  bytesPerConnection: number;
  /**
   * Resident set size per open stream (coarser: pages, allocator), in bytes; null when the RSS fell
   * while the streams were open (the GC returned more pages than they took: RSS cannot say).
   */
  rssPerConnection: number | null;
  /** Time for the child to open all of them, ms. */
  openMs: number;
}

// Child process: raw sockets, a minimal HTTP/1.1 request or upgrade each; prints "ready" once every
// one got its 200 or 101, and exits when its stdin closes.
const CLIENT = String.raw`
const net = require('node:net'), tls = require('node:tls'), crypto = require('node:crypto');
const [kind, host, port, count, secure, query] = process.argv.slice(1);
const n = Number(count);
const hostHeader = (host.includes(':') ? '[' + host + ']' : host) + ':' + port;
let answered = 0;
const sockets = [];
const fail = (m) => { process.stdout.write('error ' + m + '\n'); process.exit(2); };
for (let i = 0; i < n; i++) {
  const s = secure === '1'
    ? tls.connect({ host, port: Number(port), rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] })
    : net.connect(Number(port), host);
  sockets.push(s);
  s.once(secure === '1' ? 'secureConnect' : 'connect', () => {
    const head = kind === 'sse'
      ? 'GET /api/sse?' + query + ' HTTP/1.1\r\nHost: ' + hostHeader + '\r\nAccept: text/event-stream\r\n\r\n'
      : 'GET /api/ws?' + query + ' HTTP/1.1\r\nHost: ' + hostHeader + '\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Key: ' + crypto.randomBytes(16).toString('base64') + '\r\nSec-WebSocket-Version: 13\r\n\r\n';
    s.write(head);
  });
  let first = true;
  s.on('data', (d) => {
    if (!first) return;
    first = false;
    const line = d.toString('latin1').split('\r\n')[0];
    if (!/^HTTP\/1\.1 (200|101) /.test(line)) fail(line);
    if (++answered === n) process.stdout.write('ready\n');
  });
  s.on('error', (e) => fail(e.message));
}
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
`;

let collect: (() => void) | null = null;
function gc(): void {
  if (!collect) {
    const exposed = (globalThis as { gc?: () => void }).gc;
    if (typeof exposed === 'function') collect = exposed;
    else {
      v8.setFlagsFromString('--expose-gc');
      collect = vm.runInNewContext('gc') as () => void;
    }
  }
  collect();
  collect();
}

function usage(): { heap: number; rss: number } {
  const m = process.memoryUsage();
  return { heap: m.heapUsed + m.external, rss: m.rss };
}

function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const check = () => {
      if (condition()) resolve();
      else if (Date.now() - started > timeoutMs) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(check, 20);
    };
    check();
  });
}

export interface ProbeTarget {
  host: string;
  port: number;
  secure: boolean;
  /** Streams of that kind open on the server right now. */
  openNow(kind: ProbeKind): number;
}

export async function measureMemory(kind: ProbeKind, n: number, target: ProbeTarget, run: string): Promise<MemoryFigure> {
  const before = target.openNow(kind);
  gc();
  const base = usage();
  const started = Date.now();
  const query = `scenario=ticker&rate=1&size=16&run=${encodeURIComponent(run)}`;
  const child = spawn(
    process.execPath,
    ['-e', CLIENT, kind, target.host, String(target.port), String(n), target.secure ? '1' : '0', query],
    { stdio: ['pipe', 'pipe', 'ignore'] },
  );
  let output = '';
  let exited = false;
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.on('exit', () => (exited = true));
  try {
    await until(() => output.includes('ready') || output.includes('error') || exited, 20_000, `${n} ${kind} streams`);
    if (!output.includes('ready')) throw new Error(output.trim() || 'the probe client exited early');
    await until(() => target.openNow(kind) >= before + n, 5_000, `the server to count ${n} open ${kind} streams`);
    const openMs = Date.now() - started;
    gc();
    const loaded = usage();
    return {
      kind,
      connections: n,
      bytesPerConnection: Math.round((loaded.heap - base.heap) / n),
      rssPerConnection: loaded.rss >= base.rss ? Math.round((loaded.rss - base.rss) / n) : null,
      openMs,
    };
  } finally {
    child.stdin.end();
    if (!exited) child.kill();
    await until(() => target.openNow(kind) <= before, 5_000, `the ${kind} streams to close`).catch(() => undefined);
  }
}
