import { createRequire } from 'node:module';
import { expect, test, type Page } from '@playwright/test';
import { expectLanesComplete } from './helpers.ts';

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** axe-core's WCAG 2 A/AA rules on what the page shows now; each violation as one readable line. */
async function violations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: axePath });
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations;
  });
  return found.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`axe finds nothing on the run view and in every lesson tab (${colorScheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
    await page.goto('/?mode=mock&scenario=llm&ttft=0&tokens=40&tps=400&seed=7&autostart=1');
    await expectLanesComplete(page, 41);
    expect(await violations(page)).toEqual([]);
    for (const tab of ['Connection limit', 'Handshake and wire inspector', 'Claims vs measured', 'Faults & reconnects']) {
      await page.getByRole('tab', { name: tab }).click();
      await expect(page.getByRole('tab', { name: tab })).toHaveAttribute('aria-selected', 'true');
      expect(await violations(page), tab).toEqual([]);
    }
  });
}

test('axe finds nothing on a finished agent run, its rows and the fetch turns select', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  await page.goto('/?mode=mock&scenario=agent&turns=3&tokens=3&ttft=0&tool=0&result=32&sessionLoadMs=5&seed=7&autostart=1');
  await expectLanesComplete(page, 4 * 4);
  await expect(page.getByLabel('fetch turns')).toHaveValue('stateless');
  expect(await violations(page)).toEqual([]);
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`axe finds nothing with the WebSocketStream lane and the slow consumer's rows (${colorScheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
    await page.goto('/?mode=live&scenario=ticker&rate=50&size=1000&count=0&lanes=es,fetch,ws,wss&slowMs=5&autostart=1');
    const wss = page.locator('[data-lane="websocket-stream"]');
    await expect.poll(async () => Number((await wss.getByTestId('frames').innerText()).replace(/,/g, ''))).toBeGreaterThan(20);
    await expect(wss.getByTestId('sender-paused')).toBeVisible();
    expect(await violations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
  });
}

test('the lesson tabs work from the keyboard, and the URL remembers the open one', async ({ page }) => {
  await page.goto('/?mode=mock');
  const faults = page.getByRole('tab', { name: 'Faults & reconnects' });
  await expect(faults).toHaveAttribute('aria-selected', 'true');
  await faults.focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Connection limit' })).toBeFocused();
  await expect(page.getByRole('tabpanel')).toContainText('Connection limit');
  await page.keyboard.press('End');
  await expect(page.getByRole('tab', { name: 'Runs' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByRole('tab', { name: 'Claims vs measured' })).toHaveAttribute('aria-selected', 'true');
  await expect(page).toHaveURL(/[?&]panel=claims(&|$)/);
  await page.reload();
  await expect(page.getByRole('tab', { name: 'Claims vs measured' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tabpanel')).toContainText('Claims vs measured');
  await page.getByRole('tab', { name: 'Claims vs measured' }).focus();
  await page.keyboard.press('Home');
  await expect(page).not.toHaveURL(/panel=/);
});
