import { expect, test } from '@playwright/test';
import { expectLanesComplete, lane, laneNames } from './helpers.ts';

// 20 turns of 5 tokens (6 frames per step), 21 steps: 126 frames per lane, nothing lost.
const TOTAL = 21 * 6;
const base = 'scenario=agent&turns=20&tokens=5&ttft=20&tool=10&result=400&seed=7&autostart=1';

for (const mode of ['live', 'mock'] as const) {
  for (const variant of ['stateless', 'previous'] as const) {
    test(`${mode}, fetch ${variant}: 20 agent turns in every lane, nothing lost, per-turn numbers shown`, async ({ page }) => {
      await page.goto(`/?mode=${mode}&${base}&variant=${variant}`);
      await expectLanesComplete(page, TOTAL);
      for (const name of laneNames) {
        const l = lane(page, name);
        await expect(l.getByTestId('agent-turns-done')).toHaveText('20');
        await expect(l.getByTestId('agent-turn-p50')).toHaveText(/^[\d.]+ ms$/);
        await expect(l.getByTestId('agent-turn-growth')).toHaveText(/^[\d.]+ ms → [\d.]+ ms$/);
        await expect(l.getByTestId('agent-total')).toHaveText(/^[\d.,]+ (ms|s)$/);
        await expect(l.getByTestId('agent-bytes-up')).toHaveText(/^[\d.]+ (B|KiB)$/);
        await expect(l.getByTestId('agent-bytes-up-first')).toHaveText(/^[\d.]+ (B|KiB)$/);
        await expect(l.getByTestId('agent-bytes-down')).toHaveText(/^[\d.]+ (B|KiB)$/);
        // Nothing modelled unless asked for.
        await expect(l.getByTestId('agent-modelled')).toHaveCount(0);
      }
      // WebSocket: one upgrade, one connection, the turns on the socket.
      const ws = lane(page, 'WebSocket');
      await expect(ws.getByTestId('agent-requests-page')).toHaveText('1');
      await expect(ws.getByTestId('agent-connections')).toHaveText('1');
      // EventSource: its GET plus a POST per tool result, each acknowledged by the server.
      const es = lane(page, 'EventSource');
      await expect(es.getByTestId('agent-requests-page')).toHaveText('21');
      await expect(es.getByTestId('agent-server-requests')).toHaveText('21');
      // fetch + SSE: a POST per step (the task, then each result), the variant named.
      const fetch = lane(page, 'fetch + SSE');
      await expect(fetch.getByTestId('agent-requests-page')).toHaveText('21');
      await expect(fetch.getByTestId('agent-server-requests')).toHaveText('21');
      await expect(fetch.getByTestId('agent-variant')).toHaveText(variant === 'stateless' ? ' (stateless)' : ' (previous id)');
      const bytes = async (testId: string) => {
        const text = await fetch.getByTestId(testId).innerText();
        return parseFloat(text) * (text.endsWith('KiB') ? 1024 : 1);
      };
      const first = await bytes('agent-bytes-up-first');
      const last = await bytes('agent-bytes-up-last');
      if (variant === 'stateless') expect(last).toBeGreaterThan(first + 19 * 400); // the whole conversation, again
      else expect(Math.abs(last - first)).toBeLessThan(100); // only the new input
    });
  }
}

test('live: a modelled session load shows on the HTTP lanes, labelled as modelled, and not on the WebSocket', async ({ page }) => {
  await page.goto(`/?mode=live&scenario=agent&turns=3&tokens=3&ttft=0&tool=0&result=64&sessionLoadMs=80&seed=7&autostart=1`);
  await expectLanesComplete(page, 4 * 4);
  for (const name of ['EventSource', 'fetch + SSE'] as const) {
    const l = lane(page, name);
    await expect(l.getByTestId('agent-modelled')).toHaveText(' (incl. 80.0 ms modelled)');
    expect(parseFloat(await l.getByTestId('agent-turn-p50').innerText())).toBeGreaterThanOrEqual(80);
  }
  const ws = lane(page, 'WebSocket');
  await expect(ws.getByTestId('agent-modelled')).toHaveCount(0);
  expect(parseFloat(await ws.getByTestId('agent-turn-p50').innerText())).toBeLessThan(80);
});

test('1280×800, agent run: the agent rows of every lane and both charts on one screen, no scrolling', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`/?mode=live&${base}`);
  await expectLanesComplete(page, TOTAL);
  for (const name of laneNames) {
    for (const id of ['agent-turns', 'agent-turn-time', 'agent-growth', 'agent-requests', 'agent-bytes', 'sequence']) {
      await expect(lane(page, name).getByTestId(id), `${name} ${id}`).toBeInViewport({ ratio: 1 });
    }
  }
  for (const id of ['latency-chart', 'frames-chart']) await expect(page.getByTestId(id)).toBeInViewport({ ratio: 1 });
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
});
