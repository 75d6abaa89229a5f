import { expect, test } from '@playwright/test';
import { expectLanesComplete, lane, laneNames } from './helpers.ts';

for (const mode of ['live', 'mock'] as const) {
  test(`${mode}: the same seed gives the same answer in lab, Anthropic-style and OpenAI-style SSE, in every lane`, async ({ page }) => {
    let reference: string | null = null;
    for (const format of ['lab', 'anthropic', 'openai'] as const) {
      await page.goto(`/?mode=${mode}&scenario=llm&tokens=40&ttft=50&tps=400&seed=11&format=${format}&autostart=1`);
      await expect(page.getByLabel('SSE wire format')).toHaveValue(format);
      await expectLanesComplete(page, 41);
      for (const name of laneNames) {
        const text = await lane(page, name).getByTestId('answer').innerText();
        reference ??= text;
        expect(text, `${format}, ${name}`).toBe(reference);
      }
    }
    expect(reference?.split(' ').length).toBeGreaterThan(30);
  });
}
