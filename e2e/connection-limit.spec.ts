import { expect, test, type Page } from '@playwright/test';

/** Streams the server holds open right now, by transport (GET /api/stats, on a connection of its own). */
async function openOnServer(page: Page): Promise<{ sse: number; ws: number }> {
  const stats = (await (await page.request.get('/api/stats')).json()) as { open: { sse: number; ws: number } };
  return { sse: stats.open.sse, ws: stats.open.ws };
}

test('live, HTTP/1.1: 6 of 8 EventSources open, the 7th and 8th and a fetch wait; 8 WebSockets open; Close all lets the fetch through', async ({
  page,
}) => {
  await page.goto('/?mode=live&panel=limit');
  const panel = page.getByRole('region', { name: 'Connection limit' });
  await expect(panel.getByTestId('limit-protocol')).toHaveText('http/1.1');
  await expect(panel.getByLabel('Streams of each kind')).toHaveValue('8');
  await panel.getByRole('button', { name: 'Open' }).click();

  const status = panel.getByTestId('limit-status');
  await expect(status).toHaveText(
    /^Result: 6 of 8 EventSources open, 2 pending; 8 of 8 WebSockets open; fetch probe still pending after [\d.]+ s\.$/,
  );
  await expect(panel.getByTestId('limit-sse-counts')).toHaveText('6 open · 2 pending');
  await expect(panel.getByTestId('limit-ws-counts')).toHaveText('8 open · 0 pending');
  const sse = panel.getByRole('list', { name: 'EventSource connections' }).getByRole('listitem');
  await expect(sse).toHaveCount(8);
  for (const n of [1, 6]) await expect(sse.nth(n - 1)).toHaveAccessibleName(new RegExp(`^EventSource #${n}: open after [\\d.]+ m?s$`));
  for (const n of [7, 8]) await expect(sse.nth(n - 1)).toHaveAccessibleName(`EventSource #${n}: pending`);
  await expect(panel.getByRole('list', { name: 'WebSocket connections' }).getByRole('listitem').filter({ hasText: 'open' })).toHaveCount(8);

  // The probe still waits, well after the result settled, and the server never saw the 7th and 8th stream.
  const probe = panel.getByTestId('limit-probe');
  await expect(probe).toHaveAttribute('data-state', 'pending');
  await expect(probe).toHaveText(/^pending for (3\.[5-9]|[4-9]\.\d|\d{2,}\.\d) s$/);
  await expect(probe).toHaveAttribute('data-state', 'pending');
  expect(await openOnServer(page)).toEqual({ sse: 6, ws: 8 });

  await test.info().attach('panel', { body: await panel.screenshot(), contentType: 'image/png' });

  await panel.getByRole('button', { name: 'Close all' }).click();
  await expect(probe).toHaveAttribute('data-state', 'answered');
  await expect(probe).toHaveText(/^answered in [\d.]+ s$/);
  await expect(status).toHaveText('All EventSources and WebSockets closed.');
  await expect(panel.getByTestId('limit-sse-counts')).toHaveText('0 open · 0 pending');
  await expect(sse.filter({ hasText: 'closed' })).toHaveCount(8);
  await expect.poll(() => openOnServer(page)).toEqual({ sse: 0, ws: 0 });

  // With the pool free again, a small run opens everything and the probe answers at once.
  await panel.getByLabel('Streams of each kind').fill('3');
  await panel.getByRole('button', { name: 'Open' }).click();
  await expect(status).toHaveText(/^Result: 3 of 3 EventSources open, 0 pending; 3 of 3 WebSockets open; fetch probe answered in [\d.]+ m?s\.$/);
  await panel.getByRole('button', { name: 'Close all' }).click();
  await expect.poll(() => openOnServer(page)).toEqual({ sse: 0, ws: 0 });
});

test('the number of streams is checked: 1 to 12', async ({ page }) => {
  await page.goto('/?mode=live&panel=limit');
  const panel = page.getByRole('region', { name: 'Connection limit' });
  const input = panel.getByLabel('Streams of each kind');
  for (const bad of ['0', '13', '']) {
    await input.fill(bad);
    await expect(input).toHaveAttribute('aria-invalid', 'true');
    await expect(panel.getByRole('alert')).toHaveText('Enter a whole number from 1 to 12.');
    await expect(panel.getByRole('button', { name: 'Open' })).toBeDisabled();
  }
  await input.fill('12');
  await expect(panel.getByRole('button', { name: 'Open' })).toBeEnabled();
});

test('mock mode: the demo says it needs Live mode and cannot start', async ({ page }) => {
  await page.goto('/?mode=mock&panel=limit');
  const panel = page.getByRole('region', { name: 'Connection limit' });
  await expect(panel.getByTestId('limit-needs-live')).toContainText('This demo needs Live mode');
  await expect(panel.getByRole('button', { name: 'Open' })).toBeDisabled();
  await expect(panel.getByRole('button', { name: 'Close all' })).toBeDisabled();
});
