import { expect, test } from '@playwright/test';
import { frames, lane, laneNames } from './helpers.ts';

for (const mode of ['live', 'mock'] as const) {
  test(`${mode}: Stop generating mid-answer stops the sender in every lane and shows both cancel latencies`, async ({ page }) => {
    await page.goto(`/?mode=${mode}&scenario=llm&ttft=100&tokens=2000&tps=60&seed=3&autostart=1`);
    for (const name of laneNames) await expect.poll(() => frames(lane(page, name))).toBeGreaterThan(20);
    await page.getByRole('button', { name: 'Stop generating' }).click();

    for (const name of laneNames) {
      const l = lane(page, name);
      await expect(l.getByTestId('cancel-latency')).toBeVisible();
      await expect(l.getByTestId('cancel-last-frame')).toHaveText(/^\+[\d.]+ ms$/);
      // The sender's own log: when it stopped, and that it wrote nothing after.
      await expect(l.getByTestId('cancel-server')).toHaveText(/^\+-?[\d.]+ ms$/);
      await expect(l.getByTestId('cancel-latency')).toContainText('0 frames written after that');
    }
    // The answer stopped mid-way in every lane.
    for (const name of laneNames) expect(await frames(lane(page, name))).toBeLessThan(2001);
    // EventSource and fetch hung up; the WebSocket is still open for the next request.
    await expect(lane(page, 'EventSource').getByTestId('lane-state')).toHaveText('closed');
    await expect(lane(page, 'fetch + SSE').getByTestId('lane-state')).toHaveText('closed');
    await expect(lane(page, 'WebSocket').getByTestId('lane-state')).toHaveText('open');
    await expect(lane(page, 'WebSocket').getByTestId('cancel-latency')).toContainText('cancel sent on the open socket');
  });
}
