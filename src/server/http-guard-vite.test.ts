/**
 * Hostile requests over raw sockets against the real Vite dev and preview servers from vite.config.ts
 * (the guard in front of Vite and the lab). After each refusal the server must still answer
 * GET /api/info. Dev and preview run in this one file: the last-resort test counts what both installed.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, createServer, preview, type Plugin, type PreviewServer, type ViteDevServer } from 'vite';
import {
  configFile,
  errorOf,
  exchange,
  expectNoStack,
  expectStillServing,
  request,
  root,
  sharedCases,
  tempDir,
  WEBSOCKET,
} from './http-guard-support.ts';

const DEV_PORT = 4687;
const PREVIEW_PORT = 4688;

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
