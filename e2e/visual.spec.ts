import { expect, test } from '@playwright/test';
import { expectLanesComplete, expectChartsDrawn } from './helpers.ts';

// A deterministic Mock run: the same seed gives the same frames, text and counts every time. What
// depends on timing (latencies, rates, the charts' curves and time axis) is masked. The lesson panels
// under the charts show what a run measured, timing included: they have their own baselines, before
// any run, below (the tabs stay in the run's picture; the open panel does not).
const runPanelsOnly = '.lesson-panel { display: none !important; }';

for (const colorScheme of ['light', 'dark'] as const) {
  test(`finished mock LLM run looks right (${colorScheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
    await page.goto('/?mode=mock&scenario=llm&ttft=0&tokens=60&tps=500&seed=7&autostart=1');
    await expectLanesComplete(page, 61);
    await expectChartsDrawn(page);
    await page.addStyleTag({ content: runPanelsOnly });
    await expect(page).toHaveScreenshot(`mock-llm-${colorScheme}.png`, {
      fullPage: true,
      mask: [page.locator('.live-number'), page.locator('.chart-body')],
    });
  });
}

test('finished mock agent run looks right: the agent rows, the fetch turns select', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  await page.goto('/?mode=mock&scenario=agent&turns=5&tokens=4&ttft=0&tool=0&result=64&seed=7&variant=previous&autostart=1');
  await expectLanesComplete(page, 6 * 5);
  await expectChartsDrawn(page);
  await page.addStyleTag({ content: runPanelsOnly });
  await expect(page).toHaveScreenshot('mock-agent-light.png', {
    fullPage: true,
    mask: [page.locator('.live-number'), page.locator('.chart-body')],
  });
});

for (const lang of ['en', 'zh'] as const) {
  test(`the lesson panels before a run look right (${lang})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
    await page.goto(`/?mode=mock&lang=${lang}`);
    await page.getByTestId('lesson-tab-claims').click();
    await expect(page).toHaveURL(/panel=claims/);
    const claims = page.locator('#section-claims');
    await expect(claims.locator('tr[data-verdict="none"]')).toHaveCount(15);
    await expect(claims).toHaveScreenshot(`claims-before-run-${lang}.png`);
    // The curl example names this server's address, which depends on the port the tests use.
    await page.getByTestId('lesson-tab-inspector').click();
    await expect(page.locator('#section-inspector')).toHaveScreenshot(`inspector-before-run-${lang}.png`, {
      mask: [page.locator('#section-inspector pre')],
    });
    await page.getByTestId('lesson-tab-limit').click();
    await expect(page.locator('#section-limit')).toHaveScreenshot(`limit-mock-${lang}.png`);
  });
}
