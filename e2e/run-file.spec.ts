/**
 * Keep a run (issue 14): a short Mock run exported as a run file, opened again from the file input
 * and by dropping it on the page, shows every lane number and both charts' points exactly as they
 * were; its CSV has one row per frame; a damaged file is refused with the reason shown.
 */
import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { expectChartsDrawn, expectLanesComplete } from './helpers.ts';

const kinds = ['eventsource', 'fetch-sse', 'websocket'] as const;

/** Every hook value of every lane on the page, and the fingerprints of the points both charts drew. */
async function onScreen(page: Page): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  for (const kind of kinds) {
    const hooks = page.locator(`main [data-lane="${kind}"] [data-testid]`);
    for (const hook of await hooks.all()) {
      values[`${kind}/${await hook.getAttribute('data-testid')}`] = await hook.innerText();
    }
  }
  for (const id of ['latency-chart', 'frames-chart']) {
    const figure = page.getByTestId(id).first();
    for (const name of ['data-digest', 'data-points', 'data-lanes', 'data-max-x']) {
      values[`${id}/${name}`] = (await figure.getAttribute(name)) ?? '';
    }
  }
  return values;
}

/** The same values twice in a row: the page has drawn its newest snapshot. */
async function settled(page: Page): Promise<Record<string, string>> {
  let last = await onScreen(page);
  await expect
    .poll(async () => {
      const next = await onScreen(page);
      const same = JSON.stringify(next) === JSON.stringify(last);
      last = next;
      return same;
    })
    .toBe(true);
  return last;
}

async function download(page: Page, testId: string): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const path = await file.path();
  return { name: file.suggestedFilename(), text: await readFile(path, 'utf8') };
}

test('export → import reproduces every lane number and chart point; CSV has a row per frame; a damaged file is refused', async ({ page }) => {
  await page.goto('/?mode=mock&scenario=ticker&rate=100&size=32&count=60&autostart=1');
  await expectLanesComplete(page, 60);
  await expectChartsDrawn(page);
  await page.getByTestId('lesson-tab-runs').click();

  const saved = await download(page, 'runs-export-json');
  expect(saved.name).toMatch(/^sse-vs-ws-run-ticker-.*\.json$/);
  const file = JSON.parse(saved.text) as {
    format: string;
    version: number;
    lanes: { kind: string; view: { frames: number }; recording: { complete: boolean; frames: number[][] } }[];
  };
  expect(file.format).toBe('sse-vs-ws-lab/run');
  expect(file.version).toBe(1);
  expect(file.lanes.map((l) => [l.kind, l.view.frames, l.recording.frames.length, l.recording.complete])).toEqual(
    kinds.map((kind) => [kind, 60, 60, true]),
  );
  const recorded = await settled(page);
  expect(recorded['websocket/frames']).toBe('60');

  // Back to an empty page, then open the file: the same numbers, the same chart points.
  await page.goto('/?mode=mock&scenario=ticker&panel=runs');
  await page.getByTestId('runs-import').setInputFiles({ name: 'run-a.json', mimeType: 'application/json', buffer: Buffer.from(saved.text) });
  await expect(page.getByTestId('recorded-run')).toContainText('run-a.json');
  await expect(page.getByTestId('recorded-run')).toContainText('Mock');
  await expect(page.getByTestId('run-file-status')).toHaveText('Opened run-a.json.');
  await expectChartsDrawn(page);
  expect(await settled(page)).toEqual(recorded);

  // CSV of a lane: a header and one row per frame.
  const csv = await download(page, 'runs-export-csv-websocket');
  expect(csv.name).toMatch(/-websocket\.csv$/);
  const lines = csv.text.trimEnd().split('\r\n');
  expect(lines[0]).toBe('seq,kind,sent_at_ms,received_at_ms,latency_ms,received_s_since_start,bytes');
  expect(lines).toHaveLength(61);
  expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(Array.from({ length: 60 }, (_, i) => String(i + 1)));

  // The charts as pictures.
  const svg = await download(page, 'runs-export-svg');
  expect(svg.text).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  expect(svg.text.match(/<polyline /g)).toHaveLength(6);
  const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('runs-export-png').click()]);
  expect(png.suggestedFilename()).toMatch(/-charts\.png$/);
  expect((await readFile(await png.path())).subarray(1, 4).toString()).toBe('PNG');

  // A damaged frame: the lane's numbers no longer follow from its frames.
  const damaged = JSON.parse(saved.text) as { lanes: { recording: { frames: number[][] } }[] };
  damaged.lanes[2].recording.frames[10][2] += 3;
  await page.getByTestId('runs-import').setInputFiles({ name: 'edited.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(damaged)) });
  await expect(page.getByTestId('run-file-error')).toHaveText(
    /Could not open edited\.json: it is damaged: the frames recorded for the websocket lane do not give the numbers/,
  );
  // A file cut short, and another program's JSON.
  await page.getByTestId('runs-import').setInputFiles({ name: 'cut.json', mimeType: 'application/json', buffer: Buffer.from(saved.text.slice(0, 5000)) });
  await expect(page.getByTestId('run-file-error')).toHaveText('Could not open cut.json: it is not valid JSON (damaged, or cut short).');
  await page.getByTestId('runs-import').setInputFiles({ name: 'package.json', mimeType: 'application/json', buffer: Buffer.from('{"name":"x"}') });
  await expect(page.getByTestId('run-file-error')).toContainText('it is not a run file of this lab');
  // The refused files changed nothing on the page.
  await expect(page.getByTestId('recorded-run')).toContainText('run-a.json');
  expect(await settled(page)).toEqual(recorded);
});

test('a run file dropped on the page opens, and two runs sit side by side', async ({ page }) => {
  await page.goto('/?mode=mock&scenario=ticker&rate=200&size=32&count=40&autostart=1');
  await expectLanesComplete(page, 40);
  await page.getByTestId('lesson-tab-runs').click();
  const saved = await download(page, 'runs-export-json');
  const current = await settled(page);

  // Drop the file on the page (as a file dragged from the desktop).
  const dataTransfer = await page.evaluateHandle((text) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([text], 'dropped.json', { type: 'application/json' }));
    return transfer;
  }, saved.text);
  await page.dispatchEvent('main', 'dragenter', { dataTransfer });
  await page.dispatchEvent('main', 'drop', { dataTransfer });
  await expect(page.getByTestId('recorded-run')).toContainText('dropped.json');
  expect(await settled(page)).toEqual(current);

  // Side by side: the current run on the left, the file on the right, the same numbers in both.
  await page.getByTestId('runs-compare-left').selectOption({ label: 'The current run' });
  await page.getByTestId('runs-compare-right').selectOption({ label: 'dropped.json' });
  const right = page.getByTestId('compare-right');
  await expect(right).toHaveAttribute('data-run', 'dropped.json');
  await expect(right.locator('tr[data-row="frames"] td')).toHaveText(['40', '40', '40']);
  await expect(page.getByTestId('compare-left').locator('tr[data-row="frames"] td')).toHaveText(['40', '40', '40']);
  for (const id of ['latency-chart', 'frames-chart']) {
    await expect(right.getByTestId(id)).toHaveAttribute('data-digest', current[`${id}/data-digest`]);
  }

  // Back to the current run.
  await page.getByTestId('recorded-run-back').click();
  await expect(page.getByTestId('recorded-run')).toHaveCount(0);
});
