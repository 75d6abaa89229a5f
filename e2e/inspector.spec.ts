import { createHash } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { expectLanesComplete, lane } from './helpers.ts';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

function inspector(page: Page) {
  return page.getByRole('region', { name: 'Handshake and wire inspector' });
}

function claimRow(page: Page, id: string) {
  return page.locator(`tr[data-claim="${id}"]`);
}

/** The header value in one of the inspector's head blocks. */
async function headerIn(page: Page, block: string, name: string): Promise<string> {
  const text = await inspector(page).getByLabel(block, { exact: true }).innerText();
  const line = text.split('\n').find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  if (!line) throw new Error(`${name} not in ${block}: ${text}`);
  return line.slice(line.indexOf(':') + 1).trim();
}

test.describe('Live: the handshake and wire inspector', () => {
  test('shows the real 101 exchange, with an accept that is right for the key shown, and the SSE exchange', async ({ page }) => {
    await page.goto('/?mode=live&panel=inspector&scenario=ticker&rate=200&size=100&count=100&autostart=1');
    await expectLanesComplete(page, 100);
    const ws = inspector(page).getByRole('article', { name: 'WebSocket handshake' });
    await expect(ws.getByLabel('WebSocket response')).toContainText('HTTP/1.1 101 Switching Protocols');
    await expect(ws.getByLabel('WebSocket request')).toContainText(/^GET \/api\/ws\?.* HTTP\/1\.1/);
    expect(await headerIn(page, 'WebSocket request', 'Upgrade')).toBe('websocket');
    const key = await headerIn(page, 'WebSocket request', 'Sec-WebSocket-Key');
    const accept = await headerIn(page, 'WebSocket response', 'Sec-WebSocket-Accept');
    expect(accept).toBe(createHash('sha1').update(key + GUID).digest('base64'));
    await expect(ws.getByTestId('accept-check')).toContainText('✓');

    const sse = inspector(page).getByRole('article', { name: 'EventSource handshake' });
    await expect(sse.getByLabel('EventSource request')).toContainText(/^GET \/api\/sse\?/);
    expect(await headerIn(page, 'EventSource request', 'Accept')).toBe('text/event-stream');
    await expect(sse.getByLabel('EventSource response')).toContainText('HTTP/1.1 200 OK');
    expect(await headerIn(page, 'EventSource response', 'Content-Type')).toBe('text/event-stream; charset=utf-8');
    const post = inspector(page).getByRole('article', { name: 'fetch + SSE handshake' });
    await expect(post.getByLabel('fetch + SSE request')).toContainText('POST /api/stream HTTP/1.1');
    await expect(inspector(page).getByText('simulated')).toHaveCount(0);

    // Bytes per frame: all 100 frames counted in every lane; WebSocket frames cost 4 header bytes here.
    for (const t of ['sse', 'fetch', 'ws']) await expect(page.getByTestId(`wire-frames-${t}`)).toHaveText('100');
    const wsPayload = Number(await page.getByTestId('wire-payload-ws').innerText());
    expect(Number(await page.getByTestId('wire-message-ws').innerText())).toBeCloseTo(wsPayload + 4, 5);
  });

  test('during a run the log is polled from its oldest open stream on, and the totals still count every stream', async ({ page }) => {
    const polls: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/runs?')) polls.push(request.url());
    });
    // A stream cut every 1.5 s: a new record per lane each time.
    await page.goto('/?mode=live&panel=inspector&scenario=ticker&rate=100&size=16&count=0&flakyMs=1500&lanes=es,ws&autostart=1');
    await expect.poll(async () => Number(await lane(page, 'EventSource').getByTestId('reconnects').innerText()), { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
    const run = new URL(polls[0]).searchParams.get('run');
    expect(run).toBeTruthy();
    // What the page shows matches the whole log, read at once.
    await expect
      .poll(async () => {
        const body = (await (await page.request.get(`/api/runs?run=${run}`)).json()) as { streams: { transport: string }[] };
        const full = body.streams.filter((r) => r.transport === 'sse').length;
        return (await page.getByTestId('wire-streams-sse').innerText()) === String(full) && full >= 4;
      })
      .toBe(true);
    // After the first poll, each one asked only from the oldest open stream on.
    const incremental = polls.filter((url) => new URL(url).searchParams.has('from'));
    expect(incremental.length).toBeGreaterThanOrEqual(2);
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await expect(lane(page, 'WebSocket').getByText('Stopped.')).toBeVisible();
  });

  test('a foreign Origin: the server refuses the WebSocket with 403, the browser withholds the SSE response', async ({ page }) => {
    await page.goto('/?mode=live&panel=inspector');
    await inspector(page).getByRole('button', { name: 'Try both from a foreign origin' }).click();
    await expect(page.getByTestId('origin-ws')).toContainText('server: HTTP/1.1 403 Forbidden');
    await expect(page.getByTestId('origin-ws')).toContainText('closed with 1006 before opening');
    await expect(page.getByTestId('origin-sse')).toContainText('blocked by CORS');
    await expect(page.getByTestId('origin-sse')).toContainText('server: HTTP/1.1 200 OK, Access-Control-Allow-Origin: none sent');
    await expect(claimRow(page, 'cors')).toHaveAttribute('data-verdict', 'depends');
    const stats = (await (await page.request.get('/api/stats')).json()) as { forbiddenOrigin: number };
    expect(stats.forbiddenOrigin).toBeGreaterThanOrEqual(1);
  });
});

test.describe('Live: claims vs measured', () => {
  test('the overhead row is measured from the run, and changes when the frame size does', async ({ page }) => {
    await page.goto('/?mode=live&panel=claims');
    const row = claimRow(page, 'overhead');
    await expect(row.getByTestId('measured-overhead')).toHaveText('Not measured yet.');
    await row.getByRole('button', { name: /^Show me/ }).click();
    await expectLanesComplete(page, 200);
    await expect(row).toHaveAttribute('data-verdict', 'refuted');
    const small = await row.getByTestId('measured-overhead').innerText();
    expect(small).toMatch(/^Per \d+-byte frame: SSE framing/);

    // Bigger frames: same framing bytes, much smaller share.
    await page.getByRole('spinbutton', { name: /Payload size/ }).fill('2000');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await expectLanesComplete(page, 200);
    await expect(row.getByTestId('measured-overhead')).not.toHaveText(small);
    const large = await row.getByTestId('measured-overhead').innerText();
    const payload = (text: string) => Number(/^Per (\d+)-byte frame/.exec(text)?.[1]);
    const ssePct = (text: string) => Number(/SSE framing [\d.]+ B \(([\d.]+) %\)/.exec(text)?.[1]);
    expect(payload(large)).toBeGreaterThan(payload(small) + 1900);
    expect(ssePct(large)).toBeLessThan(ssePct(small) / 10);
    await expect(row).toHaveAttribute('data-verdict', 'refuted');
  });

  test('binary: WebSocket sends bytes, SSE base64 costs about a third more', async ({ page }) => {
    await page.goto('/?mode=live&panel=claims');
    await claimRow(page, 'format').getByRole('button', { name: /^Show me/ }).click();
    await expectLanesComplete(page, 100);
    await expect(page.getByTestId('wire-payload-ws')).toHaveText('1037.0');
    await expect(page.getByTestId('wire-payload-sse')).toHaveText('1384.0');
    await expect(claimRow(page, 'format')).toHaveAttribute('data-verdict', 'supported');
    await expect(claimRow(page, 'format').getByTestId('measured-format')).toContainText('(+33.5 %)');
  });

  test('memory per connection comes from the live server', async ({ page }) => {
    await page.goto('/?mode=live&panel=claims');
    const row = claimRow(page, 'llm-memory');
    await row.getByRole('button', { name: /^Show me/ }).click();
    await expect(row.getByTestId('measured-llm-memory')).toContainText(/SSE [\d.]+ KiB, WebSocket [\d.]+ KiB/, { timeout: 30_000 });
    await expect(row).not.toHaveAttribute('data-verdict', 'none');
  });
});

test('Live: every claim gets a measured value and a verdict from the demos', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto('/?mode=live&panel=claims');
  const rows = page.locator('tr[data-claim]');
  await expect(rows).toHaveCount(15);
  for (const id of await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-claim') ?? ''))) {
    const row = claimRow(page, id);
    if ((await row.getAttribute('data-verdict')) !== 'none') continue; // measured by an earlier row's demo
    await row.getByRole('button', { name: /^Show me/ }).click();
    await expect(row, id).not.toHaveAttribute('data-verdict', 'none', { timeout: 30_000 });
  }
  for (const row of await rows.all()) {
    await expect(row).toHaveAttribute('data-verdict', /^(supported|refuted|depends)$/);
    await expect(row.locator('.claim-measured')).not.toHaveText('Not measured yet.');
    await expect(row.locator('.claim-why')).not.toBeEmpty();
  }
});

test.describe('Mock: simulated, and labelled so', () => {
  test('the inspector shows simulated heads with a correct accept, and binary frames reach every lane', async ({ page }) => {
    await page.goto('/?mode=mock&panel=inspector&scenario=binary&rate=200&size=64&count=40&autostart=1');
    await expectLanesComplete(page, 40);
    await expect(inspector(page).getByText('simulated').first()).toBeVisible();
    await expect(inspector(page).getByTestId('accept-check')).toContainText('✓');
    await expect(page.getByTestId('wire-payload-ws')).toHaveText('77.0');
    await expect(page.getByTestId('wire-payload-sse')).toHaveText('104.0');
    await expect(page.getByTestId('wire-socket-ws')).toHaveText('—');
    await expect(lane(page, 'WebSocket').getByTestId('errors')).toHaveText('0');
    await expect(inspector(page).getByRole('button', { name: 'Try both from a foreign origin' })).toBeDisabled();
    await page.getByRole('tab', { name: 'Claims vs measured' }).click();
    await expect(claimRow(page, 'llm-memory').getByText('Needs Live mode.')).toBeVisible();
  });
});
