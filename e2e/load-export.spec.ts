import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';

test('the Runs tab exports the scenario on the page as Artillery and k6 scripts, and the npm run load command', async ({ page }) => {
  await page.goto('/?mode=live&scenario=ticker&rate=20&count=0&panel=runs');
  const panel = page.getByTestId('load-export');
  await panel.getByLabel('Clients').fill('200');
  await expect(panel.getByTestId('load-command')).toContainText('npm run load -- --clients 200 --duration 60');
  await expect(panel.getByTestId('load-command')).toContainText('--scenario ticker --rate 20');

  const [artillery] = await Promise.all([page.waitForEvent('download'), panel.getByTestId('load-export-artillery').click()]);
  const script = JSON.parse(await readFile(await artillery.path(), 'utf8')) as { config: { target: string; processor: string }; scenarios: { engine?: string }[] };
  expect(script.config.target).toBe(new URL(page.url()).origin);
  expect(script.config.processor).toMatch(/processor\.mjs$/);
  expect(script.scenarios.map((s) => s.engine ?? 'http')).toEqual(expect.arrayContaining(['ws']));

  const [k6] = await Promise.all([page.waitForEvent('download'), panel.getByTestId('load-export-k6').click()]);
  const k6Text = await readFile(await k6.path(), 'utf8');
  expect(k6Text).toContain("from 'k6/websockets'");
  expect(k6Text).toContain('k6/x/sse');

  // Below the mixed-transport minimum the export says why instead of writing a script that cannot pass.
  await panel.getByLabel('Clients').fill('5');
  await expect(panel.getByTestId('load-export-error')).toContainText('choose one transport');
});
