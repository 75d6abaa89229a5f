import { expect, test } from '@playwright/test';
import { expectLanesComplete, lane } from './helpers.ts';

test.afterEach(async ({ request }) => {
  // The live server is shared by the whole run: leave it open again.
  // Clearing an active token takes that token.
  await request.post('/api/auth', { data: { token: null }, headers: { Authorization: 'Bearer lab-secret' } });
});

for (const mode of ['live', 'mock'] as const) {
  test(`${mode}: fetch + SSE with a required token — 401 and its reason without it, a stream with it`, async ({ page }) => {
    await page.goto(`/?mode=${mode}&scenario=ticker&rate=200&size=32&count=60&lanes=fetch`);
    await page.getByLabel('Token the server requires').fill('lab-secret');
    await page.getByRole('button', { name: 'Require token' }).click();
    await expect(page.getByTestId('fault-status')).toContainText('now requires that bearer token');

    await page.getByRole('button', { name: 'Start', exact: true }).click();
    const fetchLane = lane(page, 'fetch + SSE');
    await expect(fetchLane.getByRole('alert')).toContainText('HTTP 401');
    await expect(fetchLane.getByRole('alert')).toContainText('requires a token: send Authorization: Bearer <token>');
    await expect(fetchLane.getByTestId('lane-state')).toHaveText('closed');
    // EventSource could not even try: say why, in the lane.
    await expect(fetchLane).toContainText('EventSource cannot make this request');

    await page.getByLabel('Bearer token (fetch lane)').fill('lab-secret');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await expectLanesComplete(page, 60, {}, ['fetch + SSE']);
  });
}
