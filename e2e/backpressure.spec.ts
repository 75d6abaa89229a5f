import { expect, test, type Locator, type Page } from '@playwright/test';

/** A lane by its data-lane hook (the WebSocketStream lane is not in helpers' default names). */
const laneOf = (page: Page, kind: string): Locator => page.locator(`[data-lane="${kind}"]`);
const number = (text: string): number => Number.parseFloat(text.replace(/,/g, ''));
const hook = async (l: Locator, id: string): Promise<number> => number(await l.getByTestId(id).innerText());

test('Live, slow consumer: the WebSocket lane queues in the page and its latency climbs; WebSocketStream stays bounded and its sender pauses', async ({ page }) => {
  test.setTimeout(120_000);
  // The run's id, from the page's own polls of the run log (GET /api/runs?run=…).
  let runId = '';
  page.on('request', (request) => {
    const match = /\/api\/runs\?run=([\w.-]+)/.exec(request.url());
    if (match) runId = match[1];
  });
  // 100 msg/s of 64 KiB frames; the page spends 20 ms on each, so it can handle at most 50 a second.
  // Large frames make the buffers between the sender and the page (the server's 1 MiB high-water mark,
  // the kernel's and the browser's) hold about a hundred frames, not tens of thousands.
  await page.goto('/?mode=live&scenario=ticker&rate=100&size=65536&count=0&seed=7&lanes=ws,wss&slowMs=20&autostart=1');
  const ws = laneOf(page, 'websocket');
  const wss = laneOf(page, 'websocket-stream');
  await expect(wss.getByTestId('lane-state')).toHaveText('open');

  /** Frames the WebSocketStream lane's sender has written and the page not yet handled (in flight). */
  const wssInFlight = async (): Promise<number> => {
    const handled = await hook(wss, 'frames');
    const answer = (await (await page.request.get(`/api/runs?run=${runId}`)).json()) as {
      streams: { transport: string; client: string | null; lastSeq: number }[];
    };
    const own = answer.streams.filter((r) => r.transport === 'ws' && r.client === 'websocket-stream');
    return (own.at(-1)?.lastSeq ?? 0) - handled;
  };
  const sample = async () => ({
    wsP99: await hook(ws, 'latency-p99'),
    wssP99: await hook(wss, 'latency-p99'),
    wsQueue: await hook(ws, 'page-queue-now'),
    wssInFlight: await wssInFlight(),
  });

  await expect.poll(() => hook(wss, 'frames'), { timeout: 30_000 }).toBeGreaterThan(150);
  const early = await sample();
  await expect.poll(() => hook(wss, 'frames'), { timeout: 80_000 }).toBeGreaterThan(600);
  const late = await sample();

  // WebSocket: the browser delivers everything; the page's queue grows and latency climbs with it.
  expect(await hook(ws, 'page-queue-max')).toBeGreaterThan(200);
  expect(late.wsQueue - early.wsQueue).toBeGreaterThan(150);
  expect(late.wsP99 - early.wsP99).toBeGreaterThan(1_500);
  // WebSocketStream: the page holds at most the message it is on, and what is on its way stays what
  // the buffers between sender and page hold (about a hundred 64 KiB frames), so latency is bounded.
  expect(await hook(wss, 'page-queue-max')).toBeLessThanOrEqual(1);
  expect(late.wssInFlight).toBeLessThan(300);
  expect(late.wssInFlight - early.wssInFlight).toBeLessThan(100);
  expect(late.wsP99).toBeGreaterThan(1.5 * late.wssP99);

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
