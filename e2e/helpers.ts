import { expect, type Locator, type Page } from '@playwright/test';

export const laneNames = ['EventSource', 'fetch + SSE', 'WebSocket'] as const;
export type LaneName = (typeof laneNames)[number] | 'Short polling' | 'Long polling';
/** The two lanes the issue-3 fault lessons compare (`lanes=es,ws`). */
export const esAndWs: readonly LaneName[] = ['EventSource', 'WebSocket'];

export function lane(page: Page, name: LaneName): Locator {
  return page.getByRole('region', { name, exact: true });
}

export async function frames(laneLocator: Locator): Promise<number> {
  const text = await laneLocator.getByTestId('frames').innerText();
  return Number(text.replace(/,/g, ''));
}

/** Waits until a finite run has completed in every lane named (all three by default). */
export async function expectLanesComplete(
  page: Page,
  total: number,
  errors: Partial<Record<LaneName, number>> = {},
  names: readonly LaneName[] = laneNames,
): Promise<void> {
  for (const name of names) {
    const l = lane(page, name);
    await expect(l.getByTestId('frames')).toHaveText(total.toLocaleString('en-US'), { timeout: 30_000 });
    await expect(l.getByTestId('lane-state')).toHaveText('closed');
    await expect(l.getByText('Stream complete.')).toBeVisible();
    await expect(l.getByTestId('sequence')).toHaveText('0 / 0 / 0');
    await expect(l.getByTestId('errors')).toHaveText(String(errors[name] ?? 0));
  }
}

/**
 * Both live charts (canvas, uPlot) have drawn a line with more than one point for every lane. Their
 * figures carry the test hooks: `data-draws` (redraws so far), `data-points` (points the last redraw
 * drew, all lanes together) and `data-lanes` (lane lines drawn).
 */
export async function expectChartsDrawn(page: Page, lanes = laneNames.length): Promise<void> {
  for (const id of ['latency-chart', 'frames-chart']) {
    const figure = page.getByTestId(id);
    const hook = async (name: string) => Number(await figure.getAttribute(name));
    await expect.poll(() => hook('data-draws'), { message: `${id} data-draws` }).toBeGreaterThanOrEqual(1);
    await expect.poll(() => hook('data-lanes'), { message: `${id} data-lanes` }).toBe(lanes);
    await expect.poll(() => hook('data-points'), { message: `${id} data-points` }).toBeGreaterThanOrEqual(2 * lanes);
  }
}
