import { expect, test } from '@playwright/test';
import { expectLanesComplete, lane, type LaneName } from './helpers.ts';

const lanes: LaneName[] = ['EventSource', 'Short polling', 'Long polling'];

for (const mode of ['live', 'mock'] as const) {
  test(`${mode}: polling baseline — same frames, and what each costs in requests and header bytes`, async ({ page }) => {
    await page.goto(`/?mode=${mode}&scenario=ticker&rate=40&size=32&count=120&lanes=es,poll,longpoll&autostart=1`);
    await expectLanesComplete(page, 120, {}, lanes);
    const ratio = async (name: LaneName) => Number(await lane(page, name).getByTestId('poll-requests-per-frame').innerText());
    const headerBytes = async (name: LaneName) =>
      Number((await lane(page, name).getByTestId('poll-header-bytes').innerText()).replace(' B', ''));
    // Short polling every 250 ms at 40 frames/s collects ~10 frames per request; long polling answers
    // as soon as a frame exists, so it pays about one request per frame (or per small batch).
    expect(await ratio('Short polling')).toBeGreaterThan(0);
    expect(await ratio('Short polling')).toBeLessThan(0.5);
    expect(await ratio('Long polling')).toBeGreaterThan(await ratio('Short polling'));
    expect(await headerBytes('Long polling')).toBeGreaterThan(await headerBytes('Short polling'));
    // EventSource pays no per-frame request at all.
    await expect(lane(page, 'EventSource').getByTestId('poll-requests')).toHaveCount(0);
  });
}
