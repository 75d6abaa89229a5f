import { expect, test } from '@playwright/test';
import { expectLanesComplete, expectChartsDrawn } from './helpers.ts';

// A deterministic Mock run: the same seed gives the same frames, text and counts every time. What
// depends on timing (latencies, rates, the charts' curves and time axis) is masked.
for (const colorScheme of ['light', 'dark'] as const) {
  test(`finished mock LLM run looks right (${colorScheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
    await page.goto('/?mode=mock&scenario=llm&ttft=0&tokens=60&tps=500&seed=7&autostart=1');
    await expectLanesComplete(page, 61);
    await expectChartsDrawn(page);
    await expect(page).toHaveScreenshot(`mock-llm-${colorScheme}.png`, {
      fullPage: true,
      mask: [page.locator('.live-number'), page.locator('.chart-body')],
    });
  });
}
