import { expect, test } from '@playwright/test';

// Project h2: the lab over https with a self-signed certificate, where Vite speaks HTTP/2.
test('live, HTTP/2: all 8 EventSources open on one connection, the fetch answers at once, 8 WebSockets open', async ({
  page,
}) => {
  await page.goto('/?mode=live');
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
