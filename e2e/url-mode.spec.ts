/**
 * URL mode (issue 14, part 1): the lanes against "someone else's" servers that this spec starts
 * (e2e/support/foreign-servers.ts) on ports of their own, so they are cross-origin to the page. One
 * SSE server sends CORS headers, one does not; payloads with seq/t (the lab's names, or nested and
 * mapped), and without; a WebSocket server that streams once the page sends its message on open.
 */
import { createRequire } from 'node:module';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { lane, laneNames, type LaneName } from './helpers.ts';
import { startForeignServers, type ForeignServers } from './support/foreign-servers.ts';

let servers: ForeignServers;

test.beforeAll(async () => {
  servers = await startForeignServers();
});

test.afterAll(async () => {
  await servers.close();
});

function urlModeLink(params: Record<string, string | string[]>): string {
  const q = new URLSearchParams({ mode: 'url' });
  for (const [name, value] of Object.entries(params)) for (const v of [value].flat()) q.append(name, v);
  return `/?${q}`;
}

async function framesOf(l: Locator): Promise<number> {
  return Number((await l.getByTestId('frames').innerText()).replace(/,/g, ''));
}

async function waitForFrames(page: Page, names: readonly LaneName[], atLeast: number): Promise<void> {
  for (const name of names) await expect.poll(() => framesOf(lane(page, name)), { timeout: 20_000, message: name }).toBeGreaterThanOrEqual(atLeast);
}

const subscribe = '{"op":"subscribe"}';
const ms = /^\d+(\.\d+)? ms$/;

test('seq and t mapped from a JSON path: latency, loss and inter-arrival measured in every lane; the link reproduces the run', async ({ page }) => {
  const link = urlModeLink({
    sse: `${servers.sse}/nested`,
    ws: `${servers.ws}/nested`,
    wsSend: subscribe,
    seqPath: 'data.id',
    tPath: 'meta.sentAt',
    autostart: '1',
  });
  await page.goto(link);
  await expect(page.getByRole('radio', { name: 'URL' })).toBeChecked();
  await waitForFrames(page, laneNames, 20);
  for (const name of laneNames) {
    const l = lane(page, name);
    await expect(l.getByTestId('lane-state')).toHaveText('open');
    await expect(l.getByTestId('latency-p50')).toHaveText(ms);
    await expect(l.getByTestId('inter-arrival-p50')).toHaveText(ms);
    await expect(l.getByTestId('sequence-lost')).toHaveText('0');
    await expect(l.getByTestId('sequence-duplicated')).toHaveText('0');
    await expect(l.getByTestId('latency-not-measurable')).toHaveCount(0);
    await expect(l.getByTestId('errors')).toHaveText('0');
  }
  await expect(page.getByTestId('chart-note')).toHaveCount(0);
  // The lab's own ping is never sent to someone else's server, so the lane shows none.
  await expect(lane(page, 'WebSocket').getByTestId('rtt')).toHaveCount(0);
  const search = new URL(page.url()).searchParams;
  expect(search.get('mode')).toBe('url');
  expect(search.get('sse')).toBe(`${servers.sse}/nested`);
  expect(search.get('ws')).toBe(`${servers.ws}/nested`);
  expect(search.get('wsSend')).toBe(subscribe);
  expect(search.get('seqPath')).toBe('data.id');
  expect(search.has('scenario')).toBe(false);
  await page.getByRole('button', { name: 'Stop', exact: true }).click();

  // The same link in a fresh page runs the same again.
  const again = await page.context().newPage();
  await again.goto(page.url());
  await waitForFrames(again, laneNames, 5);
  await expect(lane(again, 'WebSocket').getByTestId('latency-p50')).toHaveText(ms);
  await again.close();
});

test('frames without seq or t still count: inter-arrival and rate, latency and loss marked not measurable', async ({ page }) => {
  // The lab's default mapping (seq, t) finds nothing in "tick n".
  await page.goto(urlModeLink({ sse: `${servers.sse}/plain`, ws: `${servers.ws}/plain`, wsSend: subscribe, autostart: '1' }));
  await waitForFrames(page, laneNames, 20);
  for (const name of laneNames) {
    const l = lane(page, name);
    await expect(l.getByTestId('inter-arrival-p50')).toHaveText(ms);
    await expect(l.getByTestId('rate')).toHaveText(/^\d+(\.\d)?\/s$/);
    await expect(l.getByTestId('latency-not-measurable')).toHaveText('not measurable without t');
    await expect(l.getByTestId('sequence-not-measurable')).toHaveText('not measurable without a sequence number');
    // No number pretends to be a measurement.
    await expect(l.getByTestId('latency-p50')).toHaveCount(0);
    await expect(l.getByTestId('sequence-lost')).toHaveCount(0);
  }
  await expect(page.getByTestId('chart-note')).toHaveText(/Not measurable without t: EventSource, fetch \+ SSE, WebSocket/);
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
});

test('named events: EventSource hears nothing until they are named, and the lane says why', async ({ page }) => {
  await page.goto(urlModeLink({ sse: `${servers.sse}/named`, lanes: 'es,fetch', autostart: '1' }));
  await waitForFrames(page, ['fetch + SSE'], 20);
  const es = lane(page, 'EventSource');
  await expect(es.getByTestId('lane-state')).toHaveText('open');
  await expect(es.getByTestId('frames')).toHaveText('0');
  await expect(es.getByTestId('named-events-hint')).toContainText('onmessage only sees unnamed ones');
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await page.getByText('Request options').click();
  await page.getByLabel('EventSource events').fill('update');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await waitForFrames(page, ['EventSource', 'fetch + SSE'], 10);
  await expect(es.getByTestId('latency-p50')).toHaveText(ms);
  await expect(es.getByTestId('named-events-hint')).toHaveCount(0);
  expect(new URL(page.url()).searchParams.get('events')).toBe('update');
});

test('one server without CORS: both SSE lanes fail and say it is CORS, with the header to send and a curl to check', async ({ page }) => {
  await page.goto(urlModeLink({ sse: `${servers.sseNoCors}/stamped`, ws: `${servers.ws}/stamped?eager=1`, autostart: '1' }));
  for (const name of ['EventSource', 'fetch + SSE'] as const) {
    const l = lane(page, name);
    await expect(l.getByTestId('lane-failure')).toBeVisible({ timeout: 20_000 });
    await expect(l.getByTestId('lane-why')).toContainText('CORS', { timeout: 10_000 });
    await expect(l.getByTestId('lane-tries')).toContainText(`Access-Control-Allow-Origin: ${new URL(page.url()).origin}`);
    await expect(l.getByTestId('lane-cmd')).toContainText(`curl -i -N -H 'Origin: ${new URL(page.url()).origin}' ${servers.sseNoCors}/stamped`);
    await expect(l.getByTestId('frames')).toHaveText('0');
  }
  // CORS does not apply to WebSocket: that lane streams from the same machine all the same.
  await waitForFrames(page, ['WebSocket'], 10);
  await expect(lane(page, 'WebSocket').getByTestId('latency-p50')).toHaveText(ms);
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
});

test('a WebSocket nobody listens for, and one where an HTTP server answers: what happened and what to try', async ({ page }) => {
  await page.goto(urlModeLink({ ws: `${servers.wsRefused}/socket`, autostart: '1' }));
  const ws = lane(page, 'WebSocket');
  await expect(ws.getByTestId('lane-failure')).toContainText('closed before it ever opened: 1006', { timeout: 20_000 });
  await expect(ws.getByTestId('lane-why')).toContainText('Nothing answers at');
  await expect(ws.getByTestId('lane-cmd').first()).toContainText("-H 'Upgrade: websocket'");
  await expect(ws.getByTestId('lane-tries')).toContainText('wss://');
  // Only the lane with a URL runs.
  await expect(lane(page, 'EventSource')).toHaveCount(0);

  await page.goto(urlModeLink({ ws: `${servers.sse.replace('http:', 'ws:')}/stamped`, autostart: '1' }));
  await expect(lane(page, 'WebSocket').getByTestId('lane-why')).toContainText('did not take the WebSocket upgrade', { timeout: 20_000 });
});

test('close codes after an open: the application’s own (4001) and a policy violation (1008), each with its advice', async ({ page }) => {
  await page.goto(urlModeLink({ ws: `${servers.ws}/close?eager=1`, autostart: '1' }));
  const ws = lane(page, 'WebSocket');
  await expect(ws.getByTestId('lane-why')).toHaveText('Why: The server closed the WebSocket with 4001 (application-defined): bye.', { timeout: 20_000 });
  await expect(ws.getByTestId('lane-tries')).toContainText('4000 to 4999 is the application’s own');
  await expect(ws.getByTestId('frames')).toHaveText('3');
  await page.goto(urlModeLink({ ws: `${servers.ws}/close?eager=1&code=1008`, autostart: '1' }));
  await expect(lane(page, 'WebSocket').getByTestId('lane-tries')).toContainText('Policy violation', { timeout: 20_000 });
});

test('not an event stream, and no such path: the status and content type EventSource hides', async ({ page }) => {
  await page.goto(urlModeLink({ sse: `${servers.sse}/json`, autostart: '1' }));
  for (const name of ['EventSource', 'fetch + SSE'] as const) {
    await expect(lane(page, name).getByTestId('lane-why')).toContainText('"application/json", not text/event-stream', { timeout: 20_000 });
  }
  await page.goto(urlModeLink({ sse: `${servers.sse}/missing`, autostart: '1' }));
  for (const name of ['EventSource', 'fetch + SSE'] as const) {
    await expect(lane(page, name).getByTestId('lane-why')).toContainText('HTTP 404 Not Found', { timeout: 20_000 });
  }
});

test('a custom header needs a preflight the server does not allow: the lab says so, and keeps secret headers out of the link', async ({ page }) => {
  await page.goto(urlModeLink({ sse: `${servers.sse}/stamped`, lanes: 'fetch' }));
  await page.getByText('Request options').click();
  await page.getByLabel('fetch headers').fill('X-Trace: 1\nAuthorization: Bearer sk-test-123');
  await expect(page.getByText('Authorization: kept in this tab only, never written to the link.')).toBeVisible();
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  const fetchLane = lane(page, 'fetch + SSE');
  await expect(fetchLane.getByTestId('lane-why')).toContainText('needs a preflight', { timeout: 20_000 });
  await expect(fetchLane.getByTestId('lane-cmd')).toContainText('curl -i -X OPTIONS');
  await expect(fetchLane.getByTestId('lane-cmd')).toContainText('Access-Control-Request-Headers: x-trace, authorization');
  expect(page.url()).not.toContain('sk-test-123');
  expect(new URL(page.url()).searchParams.getAll('header')).toEqual(['X-Trace: 1']);
});

test('problems found before anything is sent: wrong scheme, a body with GET; polling and the lab-only panels are off', async ({ page }) => {
  await page.goto(urlModeLink({ sse: `${servers.sse}/stamped`, ws: `${servers.sse}/socket` }));
  await expect(page.getByTestId('url-problem-ws')).toHaveText(`A WebSocket URL starts with ws:// or wss:// (this one starts with http:): try ${servers.sse.replace('http:', 'ws:')}/socket`);
  const start = page.getByRole('button', { name: 'Start', exact: true });
  await expect(start).toBeDisabled();
  await page.getByLabel('WebSocket URL').fill(`${servers.ws}/stamped`);
  await expect(start).toBeEnabled();
  await page.getByText('Request options').click();
  await page.getByLabel('fetch body').fill('{"stream":true}');
  await expect(page.getByText('A GET has no body')).toBeVisible();
  await expect(start).toBeDisabled();
  await page.getByLabel('fetch method').selectOption('POST');
  await expect(start).toBeEnabled();
  // The options stay open once the problem that opened them is fixed.
  await expect(page.getByLabel('fetch body')).toBeVisible();
  await expect(page.getByRole('checkbox', { name: 'Short polling' })).toBeDisabled();
  await expect(page.locator('#section-faults').getByTestId('url-mode-off')).toContainText("needs the lab's own server");
  await page.getByTestId('lesson-tab-inspector').click();
  await expect(page.locator('#section-inspector').getByTestId('url-mode-off')).toBeVisible();
});

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

for (const colorScheme of ['light', 'dark'] as const) {
  test(`axe finds nothing in URL mode: measured and not-measurable lanes, a failure with its advice, the request options (${colorScheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
    await page.goto(urlModeLink({ sse: `${servers.sseNoCors}/stamped`, ws: `${servers.ws}/plain?eager=1`, autostart: '1' }));
    await expect(lane(page, 'EventSource').getByTestId('lane-why')).toContainText('CORS', { timeout: 20_000 });
    await waitForFrames(page, ['WebSocket'], 5);
    await page.getByText('Request options').click();
    await page.addScriptTag({ path: axePath });
    const found = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
      const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
      return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
    });
    expect(found).toEqual([]);
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
  });
}
