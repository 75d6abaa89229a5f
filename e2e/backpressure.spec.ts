import { expect, test, type Locator, type Page } from '@playwright/test';

/** A lane by its data-lane hook (the WebSocketStream lane is not in helpers' default names). */
const laneOf = (page: Page, kind: string): Locator => page.locator(`[data-lane="${kind}"]`);
const number = (text: string): number => Number.parseFloat(text.replace(/,/g, ''));
const hook = async (l: Locator, id: string): Promise<number> => number(await l.getByTestId(id).innerText());

test('Live, slow consumer: the WebSocket lane queues in the page and its latency climbs; WebSocketStream stays bounded and its sender pauses', async ({ page }) => {
  test.setTimeout(90_000);
  // 100 msg/s of 64 KiB frames; the page spends 20 ms on each, so it can handle at most 50 a second.
  // Large frames make the buffers between the sender and the page (the server's 1 MiB high-water mark,
  // the kernel's and the browser's) hold a couple of seconds of frames, not minutes.
  await page.goto('/?mode=live&scenario=ticker&rate=100&size=65536&count=0&seed=7&lanes=ws,wss&slowMs=20&autostart=1');
  const ws = laneOf(page, 'websocket');
  const wss = laneOf(page, 'websocket-stream');
  await expect(wss.getByTestId('lane-state')).toHaveText('open');

  await expect.poll(() => hook(wss, 'frames'), { timeout: 20_000 }).toBeGreaterThan(150);
  const early = { ws: await hook(ws, 'latency-p50'), wss: await hook(wss, 'latency-p50') };
  await expect.poll(() => hook(wss, 'frames'), { timeout: 40_000 }).toBeGreaterThan(600);
  const late = { ws: await hook(ws, 'latency-p50'), wss: await hook(wss, 'latency-p50') };

  // WebSocket: the browser delivers everything; the page's queue grows and latency climbs with it.
  expect(await hook(ws, 'page-queue-max')).toBeGreaterThan(100);
  expect(late.ws - early.ws).toBeGreaterThan(1_500);
  // WebSocketStream: the page holds at most the message it is on; latency stops growing once the
  // buffers on the way are full.
  expect(await hook(wss, 'page-queue-max')).toBeLessThanOrEqual(1);
  expect(late.wss - early.wss).toBeLessThan((late.ws - early.ws) / 2);
  expect(late.ws).toBeGreaterThan(late.wss + 1_000);

  // The server's run log: the WebSocketStream lane's sender spent seconds paused, its buffer at the
  // 1 MiB high-water mark (below MAX_REPLY_BACKLOG_BYTES, 4 MiB); the WebSocket lane's never paused.
  await expect.poll(async () => number(await wss.getByTestId('sender-paused').innerText())).toBeGreaterThan(2_000);
  await expect(wss.getByTestId('sender-buffered')).toHaveText(/^1\.\d MiB$/);
  await expect(ws.getByTestId('sender-paused')).toHaveText(/^0(\.00)? ms \(0×\)$/);

  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(wss.getByTestId('lane-state')).toHaveText('closed');
});

test('Mock: the WebSocketStream lane says it needs Live (MSW mocks WebSocket only); the WebSocket lane plays', async ({ page }) => {
  await page.goto('/?mode=mock&scenario=ticker&rate=200&size=32&count=40&lanes=ws,wss&autostart=1');
  await expect(laneOf(page, 'websocket').getByTestId('frames')).toHaveText('40', { timeout: 30_000 });
  const wss = laneOf(page, 'websocket-stream');
  await expect(wss).toHaveAttribute('aria-labelledby', /lane-websocket-stream-title/);
  await expect(page.getByRole('region', { name: 'WebSocketStream', exact: true })).toBeVisible();
  await expect(wss.getByTestId('lane-failure')).toContainText('WebSocketStream needs Live mode');
  await expect(wss.getByTestId('frames')).toHaveText('0');
});
