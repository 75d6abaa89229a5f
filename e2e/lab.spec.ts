import { expect, test } from '@playwright/test';
import { expectLanesComplete, expectChartsDrawn, frames, lane, laneNames } from './helpers.ts';

for (const mode of ['mock', 'live'] as const) {
  test.describe(`${mode} mode`, () => {
    test('one Start runs all three lanes on the same stream and the charts draw', async ({ page }) => {
      await page.goto(`/?mode=${mode}&scenario=ticker&rate=100&size=64&count=150`);
      await expect(page.getByRole('radio', { name: mode === 'mock' ? 'Mock' : 'Live' })).toBeChecked();
      await page.getByRole('button', { name: 'Start', exact: true }).click();
      // While it runs both lanes are open and counting.
      for (const name of laneNames) {
        await expect(lane(page, name).getByTestId('lane-state')).toHaveText(/open|closed/);
      }
      await expectLanesComplete(page, 150);
      await expectChartsDrawn(page);
      for (const name of laneNames) {
        // 150 JSON messages, each carrying 64 payload bytes plus the envelope (seq, t, kind).
        const kib = Number((await lane(page, name).getByTestId('bytes').innerText()).replace(' KiB', ''));
        expect(kib).toBeGreaterThan((150 * 64) / 1024);
        expect(kib).toBeLessThan((150 * 160) / 1024);
        // The last frames fold away under the numbers; open them.
        await lane(page, name).locator('details.recent > summary').click();
        await expect(lane(page, name).getByRole('list', { name: `${name} last frames` }).getByText('#150')).toBeVisible();
      }
    });

    test('an LLM answer with a fixed seed reads the same in every lane', async ({ page }) => {
      // 100 tokens/s: 0.4 s of answer. At 400/s a busy machine once read all 40 tokens of the fetch lane
      // in one chunk, and a pace cannot be measured from a single receive time.
      await page.goto(`/?mode=${mode}&scenario=llm&tokens=40&ttft=50&tps=100&seed=7&autostart=1`);
      await expectLanesComplete(page, 41);
      const es = await lane(page, 'EventSource').getByTestId('answer').innerText();
      expect(es.split(' ').length).toBeGreaterThan(30);
      expect(await lane(page, 'fetch + SSE').getByTestId('answer').innerText()).toBe(es);
      expect(await lane(page, 'WebSocket').getByTestId('answer').innerText()).toBe(es);
      // What a chat user feels, per lane: time to first token, pace, gaps, total.
      for (const name of laneNames) {
        const l = lane(page, name);
        await expect(l.getByTestId('ttft')).toHaveText(/^[\d.]+ ms$/);
        await expect(l.getByTestId('tokens-per-second')).toHaveText(/^[\d.]+\/s$/);
        await expect(l.getByTestId('token-gaps')).toHaveText(/^[\d.]+ ms \/ [\d.]+ ms \/ [\d.]+ ms$/);
        await expect(l.getByTestId('total-time')).toHaveText(/^[\d.]+ ms$/);
      }
    });

    test('Stop ends an endless stream in every lane', async ({ page }) => {
      await page.goto(`/?mode=${mode}&scenario=ticker&rate=200&count=0&autostart=1`);
      for (const name of laneNames) {
        await expect.poll(() => frames(lane(page, name))).toBeGreaterThan(50);
      }
      await page.getByRole('button', { name: 'Stop', exact: true }).click();
      for (const name of laneNames) {
        await expect(lane(page, name).getByTestId('lane-state')).toHaveText('closed');
        await expect(lane(page, name).getByText('Stopped.')).toBeVisible();
      }
      if (mode === 'live') {
        // The server saw both clients go: no stream left open, no write after close.
        await expect
          .poll(async () => (await page.request.get('/api/stats')).json())
          .toMatchObject({ open: { sse: 0, fetch: 0, ws: 0 }, writesAfterClose: 0 });
      }
    });
  });
}

test('a link with autostart=1 runs by itself and keeps its state in the URL', async ({ page }) => {
  await page.goto('/?mode=mock&scenario=burst&burst=20&interval=50&count=100&autostart=1');
  await expectLanesComplete(page, 100);
  await expect(page.getByLabel('Frames per burst')).toHaveValue('20');
  await page.getByLabel('Interval').fill('75');
  await expect(page).toHaveURL(/interval=75/);
  await expect(page).toHaveURL(/scenario=burst/);
});

test('out-of-range input is explained and cannot start a run', async ({ page }) => {
  await page.goto('/?mode=mock&scenario=ticker');
  const rate = page.getByLabel('Rate');
  await rate.fill('50000');
  await expect(rate).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('rate must be an integer from 1 to 20000 (msg/s); got "50000"')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Start', exact: true })).toBeDisabled();
  await rate.fill('100');
  await expect(page.getByRole('button', { name: 'Start', exact: true })).toBeEnabled();
});

test('a bad parameter in the URL shows the reason instead of starting', async ({ page }) => {
  await page.goto('/?mode=live&scenario=llm&tokens=0&autostart=1');
  await expect(page.getByText('tokens must be an integer from 1 to 20000; got "0"')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Start', exact: true })).toBeDisabled();
  await expect(lane(page, 'EventSource').getByTestId('lane-state')).toHaveText('idle');
});

test('Live mode says so when the live endpoints cannot be reached', async ({ page }) => {
  await page.route('**/api/info', (route) => route.abort('connectionrefused'));
  await page.goto('/?mode=live');
  await expect(page.getByRole('alert')).toContainText('Live endpoints unavailable');
  await page.getByRole('radio', { name: 'Mock' }).check();
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('everything works from the keyboard', async ({ page }) => {
  await page.goto('/?mode=mock&scenario=ticker&rate=500&count=100');
  await page.getByRole('radio', { name: 'Mock' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('radio', { name: 'Live' })).toBeChecked();
  await expect(page).toHaveURL(/mode=live/);
  // Tab through the form to Start and press Enter.
  const start = page.getByRole('button', { name: 'Start', exact: true });
  for (let i = 0; i < 25 && !(await start.evaluate((el) => el === document.activeElement)); i++) {
    await page.keyboard.press('Tab');
  }
  await expect(start).toBeFocused();
  await page.keyboard.press('Enter');
  await expectLanesComplete(page, 100);
});

test('on a phone the lanes stack and the wire table fits', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/?mode=mock&panel=inspector&scenario=ticker&rate=200&count=50&autostart=1');
  await expectLanesComplete(page, 50);
  const boxes = [];
  for (const name of laneNames) boxes.push(await lane(page, name).boundingBox());
  for (let i = 0; i < boxes.length; i++) {
    const box = boxes[i];
    expect(box).not.toBeNull();
    if (!box) return;
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    const previous = boxes[i - 1];
    if (previous) expect(box.y).toBeGreaterThanOrEqual(previous.y + previous.height);
  }
  // Nothing is wider than the screen.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  // Every chart legend entry is inside its figure (a figure clips, so page overflow would not show it).
  for (const id of ['latency-chart', 'frames-chart']) {
    const figure = await page.getByTestId(id).boundingBox();
    const items = page.getByTestId(id).locator('.legend-item');
    await expect(items).toHaveCount(laneNames.length);
    for (const item of await items.all()) {
      const box = await item.boundingBox();
      expect(box && figure && box.x + box.width <= figure.x + figure.width, `${id}: ${await item.innerText()} inside the figure`).toBe(true);
    }
  }
  // The bytes-per-frame table keeps all three transports in view, no sideways scrolling needed.
  const wire = page.getByRole('region', { name: 'Bytes per frame, as written by the sender' });
  const wsColumn = wire.getByRole('columnheader', { name: 'WebSocket' });
  await wsColumn.scrollIntoViewIfNeeded();
  await expect(wsColumn).toBeInViewport({ ratio: 1 });
  expect(await wire.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
});
