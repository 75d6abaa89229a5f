import { expect, type Locator, type Page } from '@playwright/test';

export const laneNames = ['EventSource', 'WebSocket'] as const;

export function lane(page: Page, name: (typeof laneNames)[number]): Locator {
  return page.getByRole('region', { name, exact: true });
}

export async function frames(laneLocator: Locator): Promise<number> {
  const text = await laneLocator.getByTestId('frames').innerText();
  return Number(text.replace(/,/g, ''));
}

/** Waits until a finite run has completed in both lanes. */
export async function expectBothComplete(
  page: Page,
  total: number,
  errors: Partial<Record<(typeof laneNames)[number], number>> = {},
): Promise<void> {
  for (const name of laneNames) {
    const l = lane(page, name);
    await expect(l.getByTestId('frames')).toHaveText(total.toLocaleString('en-US'), { timeout: 30_000 });
    await expect(l.getByTestId('lane-state')).toHaveText('closed');
    await expect(l.getByText('Stream complete.')).toBeVisible();
    await expect(l.getByTestId('sequence')).toHaveText('0 / 0 / 0');
    await expect(l.getByTestId('errors')).toHaveText(String(errors[name] ?? 0));
  }
}

/** Both charts draw a line with more than one point for both lanes. */
export async function expectChartsDrawn(page: Page): Promise<void> {
  for (const id of ['latency-chart', 'frames-chart']) {
    const curves = page.getByTestId(id).locator('path.recharts-line-curve');
    await expect(curves).toHaveCount(2);
    for (const curve of await curves.all()) {
      await expect(curve).toHaveAttribute('d', /L/);
    }
  }
}
