/**
 * Hostile requests over raw sockets, against a plain node:http server with the guard and the real lab
 * server mounted the way vite-plugin.ts does; and the guard's own checks. After each refusal the server
 * must still answer GET /api/info. The real Vite dev and preview servers are in http-guard-vite.test.ts.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkTarget, guardHttpServer, validRange } from './http-guard.ts';
import { errorOf, exchange, expectNoStack, expectStillServing, request, root, sharedCases, WEBSOCKET } from './http-guard-support.ts';
import { createLabServer } from './lab-server.ts';

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
