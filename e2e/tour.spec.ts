import { expect, test, type Locator, type Page } from '@playwright/test';
import { frames } from './helpers.ts';

/** The texts the spec finds the tour by, per language (the rest it finds by test id or role). */
const texts = {
  en: { region: 'Guided tour', next: 'Next', back: 'Back', finish: 'Finish', run: "Run this step's demo", stepOf: (n: number) => `Step ${n} of 13` },
  zh: { region: '分步导览', next: '下一步', back: '上一步', finish: '完成', run: '运行本步演示', stepOf: (n: number) => `第 ${n} 步，共 13 步` },
} as const;
type Lang = keyof typeof texts;

const tour = (page: Page, lang: Lang) => page.getByRole('region', { name: texts[lang].region });
const lane = (page: Page, name: string) => page.getByRole('region', { name, exact: true });
const claimRow = (page: Page, id: string) => page.locator(`tr[data-claim="${id}"]`);
const number = async (cell: Locator) => Number((await cell.innerText()).replace(/[^\d.]/g, ''));

/** The step shown is `n`, and its heading has the focus (so a screen reader reads it out). */
async function expectStep(page: Page, lang: Lang, n: number, focused = true): Promise<void> {
  const heading = tour(page, lang).getByTestId('tour-step-title');
  await expect(tour(page, lang).getByTestId('tour-count')).toHaveText(texts[lang].stepOf(n));
  await expect(page).toHaveURL(new RegExp(`[?&]tour=${n}(&|$)`));
  if (focused) await expect(heading).toBeFocused();
}

for (const lang of ['en', 'zh'] as const) {
  test(`guided tour, Live, ${lang}: every step runs its demo, Next / keyboard to the end, then it closes`, async ({ page }) => {
    test.setTimeout(180_000);
    const t = texts[lang];
    const started = Date.now();
    await page.goto(`/?mode=live&tour=1&lang=${lang}`);
    const panel = tour(page, lang);
    await expect(panel).toBeVisible();
    await expectStep(page, lang, 1, false);
    await expect(panel.getByRole('button', { name: t.back })).toBeDisabled();
    // Opened from a link: nothing runs until asked.
    expect(await frames(lane(page, 'EventSource'))).toBe(0);

    // 1. The LLM answer in three lanes.
    await panel.getByRole('button', { name: t.run }).click();
    for (const name of ['EventSource', 'fetch + SSE', 'WebSocket']) {
      await expect.poll(() => frames(lane(page, name)), { timeout: 20_000 }).toBeGreaterThan(0);
    }
    await expect(lane(page, 'WebSocket').getByTestId('ttft')).toHaveText(/\d/);

    // 2. Handshake — Next, then back and forth with the keyboard (ArrowLeft, PageDown).
    await panel.getByRole('button', { name: t.next }).click();
    await expectStep(page, lang, 2);
    await page.keyboard.press('ArrowLeft');
    await expectStep(page, lang, 1);
    await page.keyboard.press('PageDown');
    await expectStep(page, lang, 2);
    await expect(page.locator('pre.http-head').filter({ hasText: '101 Switching Protocols' })).toBeVisible();
    await expect(page.getByTestId('accept-check')).toContainText('✓');
    await expect(page.locator('pre.http-head').filter({ hasText: 'text/event-stream' }).first()).toBeVisible();

    // 3. Bytes per frame (ArrowRight): 200 small frames; WebSocket's framing is the smaller.
    await page.keyboard.press('ArrowRight');
    await expectStep(page, lang, 3);
    await expect(page.getByTestId('wire-frames-ws')).toHaveText('200', { timeout: 20_000 });
    await expect(page.getByTestId('wire-frames-sse')).toHaveText('200');
    const sseFramed = await number(page.getByTestId('wire-message-sse'));
    const wsFramed = await number(page.getByTestId('wire-message-ws'));
    expect(sseFramed).toBeGreaterThan(wsFramed);

    // 4. Binary (Next): SSE carries base64, about 4/3 of WebSocket's raw bytes.
    await panel.getByRole('button', { name: t.next }).click();
    await expectStep(page, lang, 4);
    await expect(page.getByTestId('wire-frames-ws')).toHaveText('100', { timeout: 20_000 });
    await expect(page.getByTestId('wire-frames-sse')).toHaveText('100');
    const ratio = (await number(page.getByTestId('wire-payload-sse'))) / (await number(page.getByTestId('wire-payload-ws')));
    expect(ratio).toBeGreaterThan(1.3);
    expect(ratio).toBeLessThan(1.4);

    // 5. Reconnect (ArrowRight): EventSource comes back by itself; fetch + SSE stops with a Reconnect button.
    await page.keyboard.press('ArrowRight');
    await expectStep(page, lang, 5);
    await expect.poll(() => number(lane(page, 'EventSource').getByTestId('reconnects')), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect(lane(page, 'fetch + SSE').getByTestId('lane-failure')).toBeVisible({ timeout: 20_000 });
    await expect(lane(page, 'fetch + SSE').getByTestId('lane-failure').getByRole('button')).toBeVisible();

    // 6. Two-way chat (Next): every lane answers all 10 messages.
    await panel.getByRole('button', { name: t.next }).click();
    await expectStep(page, lang, 6);
    for (const name of ['EventSource', 'fetch + SSE', 'WebSocket']) {
      await expect(lane(page, name).getByTestId('chat-answered')).toHaveText('10 / 10', { timeout: 20_000 });
    }

    // 7. Connection limit (Next): 6 of 8 EventSources, 8 of 8 WebSockets, the fetch probe waits.
    await panel.getByRole('button', { name: t.next }).click();
    await expectStep(page, lang, 7);
    const limit = page.locator('#section-limit');
    await expect(limit.getByTestId('limit-sse-counts')).toHaveText(/^6 \D.*· 2 \D/, { timeout: 20_000 });
    await expect(limit.getByTestId('limit-ws-counts')).toHaveText(/^8 \D.*· 0 \D/);
    await expect(limit.getByTestId('limit-probe')).toHaveAttribute('data-state', 'pending');

    // 8. Origin (ArrowRight): leaving step 7 closed its streams (the probe got through); WebSocket 403, SSE 200.
    await page.keyboard.press('ArrowRight');
    await expectStep(page, lang, 8);
    await expect(limit.getByTestId('limit-probe')).toHaveAttribute('data-state', 'answered');
    await expect(page.getByTestId('origin-ws')).toContainText('403', { timeout: 20_000 });
    await expect(page.getByTestId('origin-sse')).toContainText('200');

    // 9. Memory per connection (Next): the claims table's memory row gets a measurement and a verdict.
    await panel.getByRole('button', { name: t.next }).click();
    await expectStep(page, lang, 9);
    await expect(claimRow(page, 'llm-memory')).not.toHaveAttribute('data-verdict', 'none', { timeout: 30_000 });
    await expect(page.getByTestId('measured-llm-memory')).toHaveText(/\d/);

    // 10. The verdicts (Next): the parse measurement, and the table has verdicts for the steps run.
    await panel.getByRole('button', { name: t.next }).click();
    await expectStep(page, lang, 10);
    await expect(claimRow(page, 'llm-parse')).not.toHaveAttribute('data-verdict', 'none', { timeout: 20_000 });
    for (const id of ['overhead', 'format', 'reconnect', 'direction', 'connections', 'cors']) {
      await expect(claimRow(page, id), id).not.toHaveAttribute('data-verdict', 'none');
    }

    // 11. The agent loop (Next): 20 turns in every lane; its claims row gets a verdict.
    await panel.getByRole('button', { name: t.next }).click();
    await expectStep(page, lang, 11);
    await expect(claimRow(page, 'agent-loop')).not.toHaveAttribute('data-verdict', 'none', { timeout: 40_000 });

    // 12. Backpressure (Next): WebSocket and WebSocketStream behind a slow page; its row gets a verdict.
    await panel.getByRole('button', { name: t.next }).click();
    await expectStep(page, lang, 12);
    await expect(page.locator('[data-lane="websocket-stream"]').getByTestId('sender-paused')).toBeVisible({ timeout: 20_000 });
    await expect(claimRow(page, 'backpressure')).not.toHaveAttribute('data-verdict', 'none', { timeout: 40_000 });

    // 13. MCP (Next): the tool call over both transports with a cut; its row gets a verdict.
    await panel.getByRole('button', { name: t.next }).click();
    await expectStep(page, lang, 13);
    await expect(page.getByTestId('mcp-legacy-outcome')).toBeVisible({ timeout: 30_000 });
    await expect(claimRow(page, 'mcp-sse')).toHaveAttribute('data-verdict', 'depends');
    await expect(panel.getByRole('button', { name: t.next })).toHaveCount(0);

    // The end: Finish (English) or Escape (Chinese) closes the tour, takes it out of the URL and
    // gives the focus back to the header's tour button.
    if (lang === 'en') await panel.getByRole('button', { name: t.finish }).click();
    else await page.keyboard.press('Escape');
    await expect(panel).toHaveCount(0);
    await expect(page).not.toHaveURL(/tour=/);
    await expect(page.getByRole('button', { name: t.region })).toBeFocused();
    test.info().annotations.push({ type: 'duration', description: `${lang}: ${((Date.now() - started) / 1000).toFixed(1)} s` });
  });

  test(`guided tour, Mock, ${lang}: screenshots of steps 1 and 7 (needs Live)`, async ({ page }) => {
    const t = texts[lang];
    await page.goto(`/?mode=mock&tour=1&lang=${lang}`);
    const panel = tour(page, lang);
    await expectStep(page, lang, 1, false);
    await expect(panel).toHaveScreenshot(`tour-${lang}-step-1.png`);

    await page.goto(`/?mode=mock&tour=7&lang=${lang}`);
    await expectStep(page, lang, 7, false);
    await expect(panel.getByTestId('tour-needs-live')).toBeVisible();
    await expect(panel.getByRole('button', { name: t.run })).toBeDisabled();
    await expect(panel).toHaveScreenshot(`tour-${lang}-step-7.png`);
  });
}

test('guided tour: the header button starts at step 1 with focus on it; typing in a field does not turn pages; out-of-range links clamp', async ({
  page,
}) => {
  await page.goto('/?mode=mock&tour=99');
  const panel = tour(page, 'en');
  await expectStep(page, 'en', 13, false);
  await expect(panel.getByRole('button', { name: 'Finish' })).toBeVisible();

  await page.getByRole('button', { name: 'Guided tour' }).click();
  await expectStep(page, 'en', 1);

  // Arrow keys inside an input belong to the input.
  const rate = page.getByRole('spinbutton', { name: /^Rate/ });
  await rate.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowLeft');
  await expectStep(page, 'en', 1, false);

  // A Live-only step in Mock mode offers Live; switching runs its demo.
  await page.goto('/?mode=mock&tour=8');
  await panel.getByRole('button', { name: 'Switch to Live and run' }).click();
  await expect(page.getByRole('radio', { name: 'Live' })).toBeChecked();
  await expect(page.getByTestId('origin-ws')).toContainText('403', { timeout: 20_000 });
  await expect(panel.getByTestId('tour-needs-live')).toHaveCount(0);
});
