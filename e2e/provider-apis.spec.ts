import { expect, test } from '@playwright/test';
import { expectLanesComplete, lane } from './helpers.ts';

/**
 * The fetch + SSE lane calling the provider-compatible paths (api=chat|responses|messages): each
 * provider's stream gives the same answer as the lab format in the EventSource lane, with latency
 * measured and nothing lost; and the named-event trap, live.
 */
for (const mode of ['live', 'mock'] as const) {
  test(`${mode}: each provider format in the fetch lane gives the lab format’s answer`, async ({ page }) => {
    for (const api of ['chat', 'responses', 'messages'] as const) {
      await page.goto(`/?mode=${mode}&scenario=llm&tokens=40&ttft=50&tps=400&seed=11&api=${api}&autostart=1`);
      await expect(page.getByLabel('fetch calls')).toHaveValue(api);
      await expectLanesComplete(page, 41);
      const reference = await lane(page, 'EventSource').getByTestId('answer').innerText();
      expect(reference.split(' ').length, api).toBeGreaterThan(30);
      const fetchLane = lane(page, 'fetch + SSE');
      await expect(fetchLane.getByTestId('answer'), api).toHaveText(reference);
      await expect(fetchLane.getByTestId('sequence-lost'), api).toHaveText('0');
      await expect(fetchLane.getByTestId('latency-p50'), api).toHaveText(/^\d+(\.\d+)? ms$/);
    }
  });
}

test('live: a dropped provider stream stays dropped — nobody resumes it', async ({ page }) => {
  await page.goto('/?mode=live&scenario=llm&tokens=40&ttft=50&tps=400&seed=11&api=messages&flakyFrames=10&autostart=1');
  const fetchLane = lane(page, 'fetch + SSE');
  await expect(fetchLane.getByTestId('lane-failure')).toContainText('does not reconnect by itself');
  // Cut after the 10th frame (which the page still gets: the cut waits CUT_GRACE_MS); the other 31 never come.
  await expect(fetchLane.getByTestId('frames')).toHaveText('10');
  await expect(lane(page, 'EventSource').getByTestId('frames')).toHaveText('41');
});

for (const mode of ['live', 'mock'] as const) {
  test(`${mode}: the named-event trap — onmessage alone hears nothing from Anthropic’s named events`, async ({ page }) => {
    await page.goto(`/?mode=${mode}&panel=apis`);
    const demo = page.getByTestId('named-event-trap');
    await demo.getByRole('button', { name: 'Read a named-event stream both ways' }).click();
    await expect(demo.getByTestId('trap-named')).toContainText('content_block_delta × 20');
    await expect(demo.getByTestId('trap-onmessage')).toHaveText('0 events');
  });
}

for (const mode of ['live', 'mock'] as const) {
  test(`${mode}: MCP — a cut Streamable HTTP call resumes with Last-Event-ID; the same cut loses the HTTP+SSE call`, async ({ page }) => {
    await page.goto(`/?mode=${mode}&panel=apis`);
    const demo = page.getByTestId('mcp-demo');
    await expect(demo.getByLabel(/cut every SSE connection/)).toBeChecked();
    await demo.getByRole('button', { name: 'Run the tool call over both transports' }).click();
    const streamable = demo.getByTestId('mcp-streamable');
    await expect(streamable.getByTestId('mcp-streamable-outcome')).toContainText('Result received: 6 of 6 progress notifications, 0 repeated', { timeout: 30_000 });
    await expect(streamable).toContainText('GET resume (Last-Event-ID:');
    await expect(demo.getByTestId('mcp-legacy-outcome')).toContainText('Call lost');
  });
}

test('mock: the claims row “MCP streams over SSE, so SSE won” fills from its Show me demo', async ({ page }) => {
  await page.goto('/?mode=mock&panel=claims');
  const row = page.locator('tr[data-claim="mcp-sse"]');
  await row.getByRole('button', { name: /^Show me/ }).click();
  await expect(row).toHaveAttribute('data-verdict', 'depends', { timeout: 30_000 });
  await expect(row).toContainText('Streamable HTTP resumed');
  await expect(row).toContainText('HTTP+SSE got');
});
