/**
 * Hostile requests over raw sockets, against (i) a plain node:http server with the guard and the real
 * lab server mounted the way vite-plugin.ts does, and (ii) the real Vite dev and preview servers from
 * vite.config.ts. After each refusal the server must still answer GET /api/info.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, createServer, preview, type Plugin, type PreviewServer, type ViteDevServer } from 'vite';
import { checkTarget, guardHttpServer, validRange } from './http-guard.ts';
import { createLabServer } from './lab-server.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const configFile = join(root, 'vite.config.ts');
const DEV_PORT = 4687;
const PREVIEW_PORT = 4688;

interface Answer {
  status: number;
  head: string;
  body: string;
  /** The server closed the connection (rather than the test giving up). */
  closed: boolean;
  ms: number;
}

/**
 * Writes `request` on a fresh TCP connection and reads until the server closes it, or (upgrade: true)
 * until a complete 101 head, or until timeoutMs.
 */
function exchange(port: number, request: string, options: { upgrade?: boolean; timeoutMs?: number } = {}): Promise<Answer> {
  const started = Date.now();
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let raw = Buffer.alloc(0);
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const text = raw.toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      const head = split === -1 ? text : text.slice(0, split);
      let body = split === -1 ? '' : text.slice(split + 4);
      if (/^transfer-encoding:\s*chunked/im.test(head)) body = dechunk(body);
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
      resolve({ status, head, body: Buffer.from(body, 'latin1').toString('utf8'), closed, ms: Date.now() - started });
    };
    const timer = setTimeout(() => finish(false), options.timeoutMs ?? 3000);
    socket.on('data', (chunk: Buffer) => {
      raw = Buffer.concat([raw, chunk]);
      if (options.upgrade && / 101 /.test(raw.toString('latin1').split('\r\n')[0]) && raw.includes('\r\n\r\n')) {
        finish(false);
      }
    });
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
  });
}

function dechunk(body: string): string {
  let out = '';
  let rest = body;
  for (;;) {
    const line = rest.indexOf('\r\n');
    if (line === -1) return out;
    const size = parseInt(rest.slice(0, line), 16);
    if (!size) return out;
    out += rest.slice(line + 2, line + 2 + size);
    rest = rest.slice(line + 2 + size + 2);
  }
}

function request(port: number, target: string, headers: Record<string, string> = {}, method = 'GET'): string {
  const all: Record<string, string> = { Host: `127.0.0.1:${port}`, Connection: 'close', ...headers };
  return `${method} ${target} HTTP/1.1\r\n${Object.entries(all)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')}\r\n`;
}

const WEBSOCKET = {
  Connection: 'Upgrade',
  Upgrade: 'websocket',
  'Sec-WebSocket-Version': '13',
  'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
};
const H2C = { Connection: 'Upgrade, HTTP2-Settings', Upgrade: 'h2c', 'HTTP2-Settings': 'AAMAAABkAARAAAAAAAIAAAAA' };

function errorOf(answer: Answer): string {
  expect(answer.head).toMatch(/^content-type: application\/json/im);
  const body = JSON.parse(answer.body) as { error?: unknown };
  expect(typeof body.error).toBe('string');
  return body.error as string;
}

/** No stack frame, no absolute path (of this checkout or any file: URL) in a body. */
function expectNoStack(body: string): void {
  expect(body).not.toMatch(/\bat .+:\d+:\d+/);
  expect(body).not.toContain(root);
  expect(body).not.toContain('file://');
  expect(body).not.toContain('node_modules');
}

async function expectStillServing(port: number): Promise<void> {
  const answer = await exchange(port, request(port, '/api/info'));
  expect(answer.status).toBe(200);
  expect((JSON.parse(answer.body) as { name: string }).name).toBe('sse-vs-websocket-lab');
}

interface Target {
  name: string;
  port: () => number;
  /** What GET / answers with, as text. */
  home: RegExp;
}

function sharedCases(target: Target): void {
  it('GET http://[/ (absolute-form target that does not parse) → 400 with a JSON reason', async () => {
    const port = target.port();
    const answer = await exchange(port, request(port, 'http://[/'));
    expect(answer.status).toBe(400);
    expect(errorOf(answer)).toContain('is not a valid URL');
    await expectStillServing(port);
  });

  it('a path that does not parse (//[/api) or has malformed percent-encoding → 400', async () => {
    const port = target.port();
    for (const path of ['//[/api', '/%E0%A4%A', '/%E0%A4%A.html', '/api/%']) {
      const answer = await exchange(port, request(port, path));
      expect(answer.status, path).toBe(400);
      expectNoStack(answer.body);
    }
    const star = await exchange(port, request(port, '*'));
    expect(star.status).toBe(400);
    expect(errorOf(star)).toContain('only for OPTIONS');
    await exchange(port, request(port, '*', {}, 'OPTIONS'));
    await expectStillServing(port);
  });

  it('upgrade to http://[/api/ws → 400 before any upgrade listener runs', async () => {
    const port = target.port();
    const answer = await exchange(port, request(port, 'http://[/api/ws', WEBSOCKET));
    expect(answer.status).toBe(400);
    expect(answer.closed).toBe(true);
    expect(errorOf(answer)).toContain('http://[/api/ws');
    await expectStillServing(port);
  });

  it('an h2c upgrade (curl --http2) on /api/info and on / is answered as plain HTTP/1.1', async () => {
    const port = target.port();
    const info = await exchange(port, request(port, '/api/info', H2C));
    expect(info.status).toBe(200);
    expect(info.closed).toBe(true);
    expect(info.head).toMatch(/^connection: close/im);
    expect((JSON.parse(info.body) as { name: string }).name).toBe('sse-vs-websocket-lab');
    const home = await exchange(port, request(port, '/', { ...H2C, Accept: 'text/html' }));
    expect(home.status).toBe(200);
    expect(home.closed).toBe(true);
    expect(home.body).toMatch(target.home);
    await expectStillServing(port);
  });

  it('an h2c upgrade with a body is served with that body', async () => {
    const port = target.port();
    const body = '{"action":"clear"}';
    const headers = { ...H2C, 'Content-Type': 'application/json', 'Content-Length': String(body.length) };
    const answer = await exchange(port, request(port, '/api/faults', headers, 'POST') + body);
    expect(answer.status).toBe(200);
    await expectStillServing(port);
  });

  it('a WebSocket upgrade on a path nobody serves → 404 at once, with a JSON reason', async () => {
    const port = target.port();
    const answer = await exchange(port, request(port, '/nope', WEBSOCKET));
    expect(answer.status).toBe(404);
    expect(answer.closed).toBe(true);
    expect(answer.ms).toBeLessThan(1000);
    expect(errorOf(answer)).toContain('"/nope"');
    await expectStillServing(port);
  });

  it('Host: evil.example + Origin http://evil.example on /api/ws → 403 naming the host and the fix', async () => {
    const port = target.port();
    const answer = await exchange(
      port,
      request(port, '/api/ws', { ...WEBSOCKET, Host: 'evil.example', Origin: 'http://evil.example' }),
    );
    expect(answer.status).toBe(403);
    expect(answer.closed).toBe(true);
    const error = errorOf(answer);
    expect(error).toContain('"evil.example"');
    expect(error).toContain('allowedHosts');
    expect(error).toContain('LAB_ALLOWED_HOSTS');
    await expectStillServing(port);
  });

  it('Host: evil.example on GET /api/info (and an absolute-form target naming it) → 403', async () => {
    const port = target.port();
    const answer = await exchange(port, request(port, '/api/info', { Host: 'evil.example:80' }));
    expect(answer.status).toBe(403);
    expect(errorOf(answer)).toContain('"evil.example"');
    const absolute = await exchange(port, request(port, 'http://evil.example/api/info'));
    expect(absolute.status).toBe(403);
    for (const host of ['localhost', `localhost:${port}`, 'lab.localhost', '127.0.0.1', '[::1]:80']) {
      const ok = await exchange(port, request(port, '/api/info', { Host: host }));
      expect(ok.status, host).toBe(200);
    }
    await expectStillServing(port);
  });

  it('the lab WebSocket from an allowed host still opens (101)', async () => {
    const port = target.port();
    const answer = await exchange(port, request(port, '/api/ws?scenario=ticker', WEBSOCKET), { upgrade: true });
    expect(answer.status).toBe(101);
    await expectStillServing(port);
  });
}

describe('checkTarget and validRange', () => {
  it('accepts origin-form, OPTIONS *, absolute http(s)/ws(s) URLs; refuses the rest', () => {
    expect(checkTarget('GET', '/api/info?x=%zz').ok).toBe(true);
    expect(checkTarget('OPTIONS', '*')).toEqual({ ok: true, url: null });
    expect(checkTarget('GET', 'http://localhost:4173/x').ok).toBe(true);
    for (const [method, target] of [
      ['GET', 'http://[/'],
      ['GET', '//[/'],
      ['GET', '*'],
      ['GET', 'x'],
      ['GET', 'mailto:a@b'],
      ['GET', '/%E0%A4%A'],
      ['GET', ''],
    ] as const) {
      expect(checkTarget(method, target).ok, target).toBe(false);
    }
  });

  it('keeps well-formed byte ranges, drops the ones RFC 9110 says to ignore', () => {
    for (const ok of ['bytes=0-99', 'bytes=10-', 'bytes=-5', 'bytes=0-0, 5-9']) expect(validRange(ok), ok).toBe(true);
    for (const bad of ['bytes=10-5', 'bytes=-', 'items=0-1', 'bytes=a-b', 'bytes=0-1,9-3']) {
      expect(validRange(bad), bad).toBe(false);
    }
  });
});

describe('(i) a plain node:http server with the guard and the lab', () => {
  let server: Server;
  let port = 0;
  const logs: string[] = [];
  const lab = createLabServer({ version: 'test' });

  beforeAll(async () => {
    // A listener registered before the guard…
    server = createHttpServer((req, res) => {
      if (req.url === '/boom') throw new Error(`boom in ${root}/src/secret.ts`);
      if (req.url === '/boom-late') {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.write('partial');
        throw new Error('late boom');
      }
      if (!lab.handleRequest(req, res)) {
        res.writeHead(200, { 'Content-Type': 'text/html' });
        res.end('<!doctype html><title>home</title>');
      }
    });
    guardHttpServer(server, {
      allowedHosts: [],
      allowHostHint: 'add it to allowedHosts, or to LAB_ALLOWED_HOSTS',
      claims: [(_req, url) => url.pathname === '/api/ws' || url.pathname === '/ws-boom'],
      unclaimedHint: "the lab's WebSocket endpoint is /api/ws",
      log: (line) => logs.push(line),
    });
    // …and one after it: the guard runs before both.
    server.on('upgrade', (req, socket, head) => {
      if (req.url === '/ws-boom') throw new Error('upgrade boom');
      lab.handleUpgrade(req, socket, head);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    lab.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  sharedCases({ name: 'plain', port: () => port, home: /<title>home<\/title>/ });

  it('a listener that throws → 500 JSON without stack or path, one log line; after headers → connection cut', async () => {
    const answer = await exchange(port, request(port, '/boom'));
    expect(answer.status).toBe(500);
    expect(errorOf(answer)).toBe('internal server error');
    expectNoStack(answer.body);
    const late = await exchange(port, request(port, '/boom-late'));
    // The answer had begun (its head is still corked): the connection is cut, no second answer.
    expect(late.closed).toBe(true);
    expect(late.body).not.toContain('internal server error');
    const upgrade = await exchange(port, request(port, '/ws-boom', WEBSOCKET));
    expect(upgrade.status).toBe(500);
    expectNoStack(upgrade.body);
    expect(logs.filter((line) => line.includes('boom'))).toHaveLength(3);
    for (const line of logs) expect(line).not.toContain('\n');
    await expectStillServing(port);
  });
});

function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

describe('(ii) the real Vite dev server (vite.config.ts)', () => {
  let server: ViteDevServer;
  const cacheDir = tempDir('lab-guard-cache-');

  beforeAll(async () => {
    server = await createServer({
      configFile,
      root,
      cacheDir,
      logLevel: 'silent',
      server: { host: '127.0.0.1', port: DEV_PORT, strictPort: true, watch: null },
      optimizeDeps: { noDiscovery: true, include: [] },
    });
    await server.listen();
  }, 30_000);

  afterAll(async () => {
    await server?.close();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  sharedCases({ name: 'dev', port: () => DEV_PORT, home: /<div id="root">/ });

  it("Vite's HMR upgrade (vite-hmr, vite-ping on /) still gets 101", async () => {
    for (const protocol of ['vite-hmr', 'vite-ping']) {
      const answer = await exchange(
        DEV_PORT,
        request(DEV_PORT, '/', { ...WEBSOCKET, 'Sec-WebSocket-Protocol': protocol }),
        { upgrade: true },
      );
      expect(answer.status, protocol).toBe(101);
      expect(answer.head).toMatch(new RegExp(`^sec-websocket-protocol: ${protocol}`, 'im'));
    }
    // The HMR protocol on a path that is not Vite's is nobody's: 404, not a hang.
    const elsewhere = await exchange(
      DEV_PORT,
      request(DEV_PORT, '/elsewhere', { ...WEBSOCKET, 'Sec-WebSocket-Protocol': 'vite-hmr' }),
    );
    expect(elsewhere.status).toBe(404);
    await expectStillServing(DEV_PORT);
  });
});

describe('(ii) the real Vite preview server (npm start)', () => {
  let server: PreviewServer;
  const outDir = tempDir('lab-guard-dist-');
  const cacheDir = tempDir('lab-guard-cache-');
  // A middleware that throws, as a bug in any middleware would: connect passes the error on.
  const throwing: Plugin = {
    name: 'test:throwing-middleware',
    configurePreviewServer(preview) {
      preview.middlewares.use('/__boom', () => {
        throw new Error(`boom in ${root}/src/secret.ts`);
      });
    },
  };

  beforeAll(async () => {
    await build({ configFile, root, cacheDir, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
    server = await preview({
      configFile,
      root,
      cacheDir,
      logLevel: 'silent',
      plugins: [throwing],
      build: { outDir },
      preview: { host: '127.0.0.1', port: PREVIEW_PORT, strictPort: true },
    });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    rmSync(outDir, { recursive: true, force: true });
    rmSync(cacheDir, { recursive: true, force: true });
  });

  sharedCases({ name: 'preview', port: () => PREVIEW_PORT, home: /<div id="root">/ });

  it('Range: bytes=10-5 with gzip (was: 500 page with the stack and absolute paths) → the file, 200', async () => {
    const answer = await exchange(
      PREVIEW_PORT,
      request(PREVIEW_PORT, '/index.html', { Range: 'bytes=10-5', 'Accept-Encoding': 'identity' }),
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toMatch(/<div id="root">/);
    const gzip = await exchange(PREVIEW_PORT, request(PREVIEW_PORT, '/index.html', { Range: 'bytes=10-5', 'Accept-Encoding': 'gzip' }));
    expect(gzip.status).toBe(200);
    expect(gzip.head).not.toMatch(/Internal Server Error/);
    await expectStillServing(PREVIEW_PORT);
  });

  it('the process-level last resort is installed once (dev and preview both ran the plugin hooks)', () => {
    expect(Reflect.get(process, Symbol.for('sse-vs-websocket-lab:last-resort'))).toBe(true);
    const ours = (listeners: readonly unknown[]) => listeners.filter((listener) => String(listener).includes('still serving'));
    expect(ours(process.listeners('uncaughtException'))).toHaveLength(1);
    expect(ours(process.listeners('unhandledRejection'))).toHaveLength(1);
  });

  it('a middleware that throws → 500 JSON with no stack and no absolute path', async () => {
    for (const encoding of ['identity', 'gzip']) {
      const answer = await exchange(PREVIEW_PORT, request(PREVIEW_PORT, '/__boom', { 'Accept-Encoding': encoding }));
      expect(answer.status, encoding).toBe(500);
      expectNoStack(answer.body);
      if (encoding === 'identity') expect(errorOf(answer)).toBe('internal server error');
    }
    await expectStillServing(PREVIEW_PORT);
  });
});
