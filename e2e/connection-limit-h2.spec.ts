import { expect, test } from '@playwright/test';

// Project h2: the lab over https with a self-signed certificate, where Vite speaks HTTP/2.
// (The browser here ignores certificate errors; a person accepts the certificate once per host name.)
test('live, HTTP/2: all 8 EventSources open on one connection, the fetch answers at once, 8 WebSockets open', async ({
  page,
}) => {
  await page.goto('/?mode=live&panel=limit');
  const panel = page.getByRole('region', { name: 'Connection limit' });
  await expect(panel.getByTestId('limit-protocol')).toHaveText('h2');
  await panel.getByRole('button', { name: 'Open' }).click();

  await expect(panel.getByTestId('limit-status')).toHaveText(
    /^Result: 8 of 8 EventSources open, 0 pending; 8 of 8 WebSockets open; fetch probe answered in [\d.]+ m?s\.$/,
  );
  await expect(panel.getByTestId('limit-sse-counts')).toHaveText('8 open · 0 pending');
  await expect(panel.getByTestId('limit-ws-counts')).toHaveText('8 open · 0 pending');
  await expect(panel.getByTestId('limit-probe')).toHaveAttribute('data-state', 'answered');
  const stats = (await (await page.request.get('/api/stats')).json()) as { open: { sse: number; ws: number } };
  expect(stats.open).toMatchObject({ sse: 8, ws: 8 });
  await test.info().attach('panel', { body: await panel.screenshot(), contentType: 'image/png' });

  await panel.getByRole('button', { name: 'Close all' }).click();
  await expect(panel.getByTestId('limit-status')).toHaveText('All EventSources and WebSockets closed.');
  await expect
    .poll(async () => ((await (await page.request.get('/api/stats')).json()) as { open: { sse: number; ws: number } }).open)
    .toMatchObject({ sse: 0, ws: 0 });
});

test('live, HTTP/2: the Origin demo over https — the server refuses the foreign WebSocket with 403, CORS withholds the EventSource', async ({
  page,
}) => {
  await page.goto('/?mode=live&panel=inspector');
  await page.getByRole('button', { name: 'Try both from a foreign origin' }).click();
  await expect(page.getByTestId('origin-pair')).toContainText(/https:\/\/127\.0\.0\.1:\d+ → server localhost:\d+/);
  await expect(page.getByTestId('origin-ws')).toContainText('403 Forbidden');
  await expect(page.getByTestId('origin-ws')).toContainText('closed with 1006 before opening');
  await expect(page.getByTestId('origin-sse')).toContainText('blocked by CORS');
  // The EventSource went over HTTP/2 (a :status pseudo-header); the WebSocket upgrade is HTTP/1.1 over its own TLS connection.
  await expect(page.getByTestId('origin-sse')).toContainText('server: :status 200, Access-Control-Allow-Origin: none sent');
  await test.info().attach('origin', { body: await page.locator('.origin-demo').screenshot(), contentType: 'image/png' });
});
