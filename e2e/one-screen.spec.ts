import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { expect, test } from '@playwright/test';
import { lane, laneNames } from './helpers.ts';

test('1280×800 after Start: every lane’s numbers and both charts are on screen, no scrolling', async ({ page }) => {
  await page.goto('/?mode=live&scenario=ticker&rate=100&size=100&count=0&autostart=1');
  for (const name of laneNames) {
    const l = lane(page, name);
    await expect.poll(async () => Number((await l.getByTestId('frames').innerText()).replace(/,/g, ''))).toBeGreaterThan(50);
    for (const id of ['frames', 'rate', 'latency', 'reconnects', 'sequence', 'errors']) {
      await expect(l.getByTestId(id), `${name} ${id}`).toBeInViewport({ ratio: 1 });
    }
  }
  for (const id of ['latency-chart', 'frames-chart']) await expect(page.getByTestId(id)).toBeInViewport({ ratio: 1 });
  // The lesson tabs are one click away: their bar starts on the first screen.
  await expect(page.getByRole('tablist')).toBeInViewport();
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
});

test('1280×800, llm after Start: six lanes to pick from and the fetch-calls select, yet Start and both charts are on the first screen', async ({ page }) => {
  await page.goto('/?mode=mock&scenario=llm&seed=7&autostart=1');
  await expect.poll(async () => Number(await lane(page, 'WebSocket').getByTestId('frames').innerText())).toBeGreaterThan(5);
  await expect(page.getByRole('checkbox', { name: 'WebSocketStream' })).toBeInViewport({ ratio: 1 });
  await expect(page.getByRole('button', { name: 'Start', exact: true })).toBeInViewport({ ratio: 1 });
  for (const id of ['latency-chart', 'frames-chart']) await expect(page.getByTestId(id)).toBeInViewport({ ratio: 1 });
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
});

test('1280×800, four lanes with the slow consumer: the backpressure rows and both charts are on screen too', async ({ page }) => {
  await page.goto('/?mode=live&scenario=ticker&rate=50&size=1000&count=0&lanes=es,fetch,ws,wss&slowMs=5&autostart=1');
  for (const kind of ['eventsource', 'fetch-sse', 'websocket', 'websocket-stream']) {
    const l = page.locator(`[data-lane="${kind}"]`);
    await expect.poll(async () => Number((await l.getByTestId('frames').innerText()).replace(/,/g, ''))).toBeGreaterThan(20);
    for (const id of ['frames', 'rate', 'latency', 'page-queue', 'sender-paused', 'sender-buffered']) {
      await expect(l.getByTestId(id), `${kind} ${id}`).toBeInViewport({ ratio: 1 });
    }
    // The lane's name, its state and its numbers stay inside its own column.
    const box = await l.boundingBox();
    for (const id of ['lane-state', 'page-queue']) {
      const inner = await l.getByTestId(id).boundingBox();
      expect(inner && box && inner.x + inner.width <= box.x + box.width + 0.5, `${kind} ${id} inside the lane`).toBe(true);
    }
  }
  for (const id of ['latency-chart', 'frames-chart']) await expect(page.getByTestId(id)).toBeInViewport({ ratio: 1 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
});

test('the public hooks: every lane number inside its data-lane, latency and sequence split into parts', async ({ page }) => {
  await page.goto('/?mode=mock&scenario=ticker&rate=200&size=32&count=100&autostart=1');
  for (const kind of ['eventsource', 'fetch-sse', 'websocket']) {
    const l = page.locator(`[data-lane="${kind}"]`);
    await expect(l.getByTestId('frames')).toHaveText('100', { timeout: 30_000 });
    await expect(l.getByTestId('latency-p99')).toHaveText(/^\d+(\.\d+)? ms$/);
    await expect(l.getByTestId('sequence-lost')).toHaveText('0');
    await expect(l.getByTestId('sequence-duplicated')).toHaveText('0');
    await expect(l.getByTestId('sequence-reordered')).toHaveText('0');
  }
  await expect(page.locator('[data-lane="websocket"]').getByTestId('rtt')).toHaveCount(1);
  await expect(page.locator('[data-lane="eventsource"]').getByTestId('rtt')).toHaveCount(0);
});

test.describe('the mode a page opens in', () => {
  test('served by the lab’s own server, a link without mode= opens Live', async ({ page }) => {
    await page.goto('/?scenario=ticker');
    await expect(page.getByRole('radio', { name: 'Live' })).toBeChecked();
    await expect(page).toHaveURL(/mode=live/);
  });

  test.describe('served as static files', () => {
    let server: Server;
    let origin = '';
    const types: Record<string, string> = {
      '.html': 'text/html',
      '.js': 'text/javascript',
      '.css': 'text/css',
      '.png': 'image/png',
    };

    test.beforeAll(async () => {
      // A plain static host for the built page (the e2e web server built dist/): no /api behind it.
      const root = join(process.cwd(), 'dist');
      server = createServer((req, res) => {
        const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
        const file = join(root, path === '/' ? 'index.html' : path);
        if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
          res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
          return;
        }
        res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
        createReadStream(file).pipe(res);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const address = server.address();
      origin = typeof address === 'object' && address ? `http://127.0.0.1:${address.port}` : '';
    });

    test.afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    test('opens Mock, and a run plays in every lane with no server; mode=live still wins', async ({ page }) => {
      await page.goto(`${origin}/?scenario=ticker&rate=200&size=32&count=60`);
      await expect(page.getByRole('radio', { name: 'Mock' })).toBeChecked();
      await page.getByRole('button', { name: 'Start', exact: true }).click();
      for (const name of laneNames) await expect(lane(page, name).getByTestId('frames')).toHaveText('60', { timeout: 30_000 });
      await page.goto(`${origin}/?mode=live`);
      await expect(page.getByRole('radio', { name: 'Live' })).toBeChecked();
    });
  });
});
