/**
 * npm run screenshots — regenerates the README's pictures from a running lab (`npm start` first).
 * Not a test: the visual regression baselines live in e2e/__screenshots__.
 */
import { chromium, type Page } from '@playwright/test';
import { chromiumArgs, systemChromium } from './chromium.ts';
import { startForeignServers } from './support/foreign-servers.ts';

const origin = process.env.LAB_URL ?? 'http://127.0.0.1:4173';

interface Shot {
  file: string;
  query: string;
  width: number;
  height: number;
  scheme: 'light' | 'dark';
  /** Let the run fill the charts for this long; a picture, not an assertion. */
  ms: number;
  /** Only this part of the page. */
  selector?: string;
  prepare?: (page: Page) => Promise<void>;
}

/** Presses a claims row's "Show me" and waits for its verdict. */
async function showMe(page: Page, id: string): Promise<void> {
  await page.locator(`tr[data-claim="${id}"]`).getByRole('button').click();
  await page.waitForFunction((claim) => document.querySelector(`tr[data-claim="${claim}"]`)?.getAttribute('data-verdict') !== 'none', id, {
    timeout: 60_000,
  });
}

const shots: Shot[] = [
  { file: 'live-ticker.png', query: 'mode=live&scenario=ticker&rate=200&flakyMs=2000&fetchResume=1&autostart=1', width: 1280, height: 800, scheme: 'light', ms: 7000 },
  { file: 'live-chat.png', query: 'mode=live&scenario=chat&messages=40&gap=150&rate=50&autostart=1', width: 1280, height: 800, scheme: 'light', ms: 7000 },
  { file: 'mock-llm-dark.png', query: 'mode=mock&scenario=llm&autostart=1', width: 1280, height: 800, scheme: 'dark', ms: 6000 },
  { file: 'phone.png', query: 'mode=live&scenario=burst&autostart=1', width: 390, height: 844, scheme: 'light', ms: 4000 },
  {
    file: 'inspector.png',
    query: 'mode=live&scenario=ticker&rate=100&size=16&count=200&panel=inspector&autostart=1',
    width: 1280,
    height: 800,
    scheme: 'light',
    ms: 2500,
    selector: '#section-inspector',
    prepare: async (page) => {
      await page.getByRole('button', { name: 'Try both from a foreign origin' }).click();
      await page.getByTestId('origin-ws').waitFor();
    },
  },
  {
    file: 'claims-zh.png',
    query: 'mode=live&panel=claims',
    width: 1280,
    height: 800,
    scheme: 'light',
    ms: 500,
    selector: '#section-claims',
    prepare: async (page) => {
      for (const id of ['direction', 'overhead', 'format', 'connections', 'cors', 'llm-one-way', 'llm-memory', 'reconnect', 'llm-parse']) {
        await showMe(page, id);
        // A run's numbers settle when it ends: let every lane finish (or stop an endless one, chat).
        await page
          .waitForFunction(() => [...document.querySelectorAll('[data-testid="lane-state"]')].every((e) => e.textContent === 'closed'), undefined, {
            timeout: 12_000,
          })
          .catch(() => page.getByRole('button', { name: 'Stop', exact: true }).click());
      }
      // The evidence stays; the language switches.
      await page.getByRole('button', { name: '中文' }).click();
    },
  },
];

// URL mode: "someone else's" servers on ports of their own (the spec's, e2e/support/foreign-servers.ts).
const foreign = await startForeignServers(40);
const urlLink = (params: Record<string, string>) => new URLSearchParams({ mode: 'url', ...params, autostart: '1' }).toString();
shots.push(
  {
    // SSE frames carry seq and t under other names (mapped); the WebSocket's plain text carries neither.
    file: 'url-mode.png',
    query: urlLink({ sse: `${foreign.sse}/nested`, ws: `${foreign.ws}/plain?eager=1`, seqPath: 'data.id', tPath: 'meta.sentAt' }),
    width: 1280,
    height: 800,
    scheme: 'light',
    ms: 6000,
  },
  {
    file: 'url-mode-errors.png',
    query: urlLink({ sse: `${foreign.sseNoCors}/stamped`, ws: `${foreign.wsRefused}/socket` }),
    width: 1280,
    height: 800,
    scheme: 'light',
    ms: 3000,
    selector: '#section-lanes',
  },
);

const browser = await chromium.launch({
  executablePath: systemChromium,
  args: [...chromiumArgs],
});
for (const shot of shots) {
  const page = await browser.newPage({ viewport: { width: shot.width, height: shot.height }, colorScheme: shot.scheme });
  await page.goto(`${origin}/?${shot.query}`);
  await page.locator('[data-testid="lane-state"]').first().waitFor();
  await shot.prepare?.(page);
  await page.waitForTimeout(shot.ms);
  const path = `public/screenshots/${shot.file}`;
  if (shot.selector) await page.locator(shot.selector).screenshot({ path });
  // The run view as a person sees it: one screen, lanes and both charts (the lesson tabs below).
  else await page.screenshot({ path, fullPage: shot.width < 600 });
  await page.close();
  console.log(path);
}
await browser.close();
await foreign.close();
