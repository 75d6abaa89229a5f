/**
 * npm run screenshots — regenerates the README's pictures from a running lab (`npm start` first).
 * Not a test: the visual regression baselines live in e2e/__screenshots__.
 */
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

const origin = process.env.LAB_URL ?? 'http://127.0.0.1:4173';
const shots = [
  { file: 'live-ticker.png', query: 'mode=live&scenario=ticker&rate=200&flakyMs=2000&fetchResume=1&autostart=1', width: 1280, height: 800, scheme: 'light', ms: 7000 },
  { file: 'live-chat.png', query: 'mode=live&scenario=chat&messages=40&gap=150&rate=50&autostart=1', width: 1280, height: 800, scheme: 'light', ms: 7000 },
  { file: 'mock-llm-dark.png', query: 'mode=mock&scenario=llm&autostart=1', width: 1280, height: 800, scheme: 'dark', ms: 6000 },
  { file: 'phone.png', query: 'mode=live&scenario=burst&autostart=1', width: 390, height: 844, scheme: 'light', ms: 4000 },
] as const;

const browser = await chromium.launch({
  executablePath: ['/usr/bin/chromium'].find((p) => existsSync(p)),
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
for (const shot of shots) {
  const page = await browser.newPage({ viewport: { width: shot.width, height: shot.height }, colorScheme: shot.scheme });
  await page.goto(`${origin}/?${shot.query}`);
  await page.getByRole('region', { name: 'WebSocket', exact: true }).getByTestId('lane-state').waitFor();
  // Let the run fill the charts for a few seconds; this is a picture, not an assertion.
  await page.waitForTimeout(shot.ms);
  await page.screenshot({ path: `public/screenshots/${shot.file}`, fullPage: true });
  await page.close();
  console.log(`public/screenshots/${shot.file}`);
}
await browser.close();
