/**
 * Shared by the guard tests (http-guard*.test.ts): hostile requests written on raw sockets, the
 * checks on their answers, and the cases every server under test must pass (`sharedCases`).
 */
import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const configFile = join(root, 'vite.config.ts');

export interface Answer {
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
export function exchange(port: number, request: string, options: { upgrade?: boolean; timeoutMs?: number } = {}): Promise<Answer> {
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

export function request(port: number, target: string, headers: Record<string, string> = {}, method = 'GET'): string {
  const all: Record<string, string> = { Host: `127.0.0.1:${port}`, Connection: 'close', ...headers };
  return `${method} ${target} HTTP/1.1\r\n${Object.entries(all)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')}\r\n`;
}

export const WEBSOCKET = {
  Connection: 'Upgrade',
  Upgrade: 'websocket',
  'Sec-WebSocket-Version': '13',
  'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
};
const H2C = { Connection: 'Upgrade, HTTP2-Settings', Upgrade: 'h2c', 'HTTP2-Settings': 'AAMAAABkAARAAAAAAAIAAAAA' };

export function errorOf(answer: Answer): string {
  expect(answer.head).toMatch(/^content-type: application\/json/im);
  const body = JSON.parse(answer.body) as { error?: unknown };
  expect(typeof body.error).toBe('string');
  return body.error as string;
}

/** No stack frame, no absolute path (of this checkout or any file: URL) in a body. */
export function expectNoStack(body: string): void {
  expect(body).not.toMatch(/\bat .+:\d+:\d+/);
  expect(body).not.toContain(root);
  expect(body).not.toContain('file://');
  expect(body).not.toContain('node_modules');
}

/** GET /api/info still answers 200 with the lab's name. */
export async function expectStillServing(port: number): Promise<void> {
  const answer = await exchange(port, request(port, '/api/info'));
  expect(answer.status).toBe(200);
  expect((JSON.parse(answer.body) as { name: string }).name).toBe('sse-vs-websocket-lab');
}

export interface Target {
  name: string;
  port: () => number;
  /** What GET / answers with, as text. */
  home: RegExp;
}

/** The cases every server under test must pass; call inside its describe. */
export function sharedCases(target: Target): void {
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

/** A fresh temporary folder. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
