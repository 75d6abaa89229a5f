import { expect, test } from '@playwright/test';
import { lane, laneNames } from './helpers.ts';

for (const mode of ['live', 'mock'] as const) {
  test(`${mode}: 20 user messages during a running stream — each answered in every lane, with RTT and upstream cost`, async ({ page }) => {
    await page.goto(`/?mode=${mode}&scenario=chat&messages=20&gap=100&rate=50&autostart=1`);
    for (const name of laneNames) {
      await expect(lane(page, name).getByTestId('chat-answered')).toHaveText('20 / 20', { timeout: 20_000 });
      await expect(lane(page, name).getByTestId('chat-rtt')).toHaveText(/^[\d.]+ ms \/ [\d.]+ ms \/ [\d.]+ ms$/);
      await expect(lane(page, name).getByTestId('sequence')).toHaveText('0 / 0 / 0');
      await expect(lane(page, name).getByTestId('errors')).toHaveText('0');
    }
    // WebSocket talks back on its own socket; the SSE lanes needed 20 extra HTTP requests each.
    await expect(lane(page, 'WebSocket').getByTestId('chat-cost')).toHaveText(/^1 socket \/ 0 \/ [\d.]+ (B|KiB)$/);
    for (const name of ['EventSource', 'fetch + SSE'] as const) {
      await expect(lane(page, name).getByTestId('chat-cost')).toHaveText(/^\d+ \/ 20 \/ [\d.]+ (B|KiB)$/);
    }
    // The round-trip chart (recharts, loaded for chat runs only) sits under the two live charts.
    await page.getByTestId('rtt-chart').scrollIntoViewIfNeeded();
    const curves = page.getByTestId('rtt-chart').locator('path.recharts-line-curve');
    await expect(curves).toHaveCount(3);
    for (const curve of await curves.all()) await expect(curve).toHaveAttribute('d', /L/);
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
  });
}
