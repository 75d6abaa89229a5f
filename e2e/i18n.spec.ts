import { expect, test, type Page } from '@playwright/test';

/** Chinese lane names: the transports keep their own names, the polling lanes are translated. */
const zhLanes = ['EventSource', 'fetch + SSE', 'WebSocket', '短轮询'] as const;

/** Distinctive English texts of the converted UI; none may be left on the page in Chinese. */
const english = [
  'One scenario, the same frames',
  'Run controls',
  'Scenario',
  'Ticker',
  'Payload size',
  'Lanes',
  'Short polling',
  'Bearer token (fetch lane)',
  'resume by itself',
  'Starting…',
  'Stop generating',
  'Mock: a service worker',
  'A steady stream',
  'Message bytes',
  'Latency p50',
  'Reconnects',
  'Downtime',
  'Lost / dup',
  'Errors',
  'Last frames',
  'Stream complete.',
  'No frames yet.',
  'Press Start.',
  'EventSource cannot make this request',
  'One-way latency',
  'Frames received',
  'running total',
  'Faults & reconnects',
  'Break the connections',
  'Drop now',
  'Drop all',
  'Outage',
  'Flavour',
  'HTTP error on the next',
  'Server auth',
  'Require token',
  'Ready.',
  'Start a run to inject faults.',
  'Latency is receive time',
  'WS backoff',
  'Drop every',
];

/** Every text a user can see or hear: the page's text plus its aria-labels, titles and placeholders. */
async function visibleTexts(page: Page): Promise<string> {
  return page.evaluate(() => {
    const attributes = [...document.querySelectorAll('[aria-label], [title], [placeholder]')].flatMap((el) =>
      ['aria-label', 'title', 'placeholder'].map((name) => el.getAttribute(name) ?? ''),
    );
    const options = [...document.querySelectorAll('option')].map((o) => o.textContent ?? '');
    return [document.body.innerText, ...attributes, ...options].join('\n');
  });
}

test('the lab in Chinese: labels, lanes, run texts; no English left; the switch goes back and forth by keyboard', async ({
  page,
}) => {
  await page.goto('/?mode=mock&lang=zh&scenario=ticker&rate=100&size=64&count=150&lanes=es,fetch,ws,poll');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-Hans');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('SSE 与 WebSocket 实验室');
  await expect(page.getByRole('form', { name: '运行控制' })).toBeVisible();
  await expect(page.getByRole('radio', { name: 'Mock' })).toBeChecked();
  await expect(page.getByLabel('场景')).toHaveValue('ticker');
  await expect(page.getByLabel('速率')).toHaveValue('100');

  await page.getByRole('button', { name: '开始', exact: true }).click();
  for (const name of zhLanes) {
    const lane = page.getByRole('region', { name, exact: true });
    await expect(lane.getByTestId('frames')).toHaveText('150', { timeout: 30_000 });
    await expect(lane.getByTestId('lane-state')).toHaveText('已关闭');
    await expect(lane.getByText('数据流已完成。')).toBeVisible();
    // The last frames fold away under the numbers; open them.
    await lane.locator('details.recent > summary').click();
    await expect(lane.getByRole('list', { name: `${name} 最近的帧` }).getByText('#150')).toBeVisible();
  }
  await expect(page.getByRole('button', { name: '停止', exact: true })).toBeDisabled();
  await expect(page.getByRole('button', { name: '停止生成' })).toBeDisabled();
  await expect(page.getByRole('heading', { name: '故障与重连' })).toBeVisible();
  await expect(page.getByRole('region', { name: '图表' })).toBeVisible();
  await expect(page.getByRole('figure', { name: '单向延迟' })).toBeVisible();
  await expect(page.getByRole('figure', { name: '已收帧数' })).toBeVisible();
  await expect(page.getByRole('button', { name: '全部断开' })).toBeVisible();

  const texts = await visibleTexts(page);
  expect(english.filter((text) => texts.includes(text))).toEqual([]);

  await page.screenshot({ path: '/tmp/zh.png', fullPage: true });

  // Back to English with the keyboard: Tab onto the switch, Enter.
  const switcher = page.getByRole('group', { name: '语言' });
  await switcher.getByRole('button', { name: '中文' }).focus();
  await page.keyboard.press('Shift+Tab');
  await expect(switcher.getByRole('button', { name: 'English' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).not.toHaveURL(/lang=/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('SSE vs WebSocket Lab');
  await expect(page.getByRole('button', { name: 'Start', exact: true })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Short polling', exact: true }).getByTestId('lane-state')).toHaveText('closed');
  await expect(page.getByRole('heading', { name: 'Faults & reconnects' })).toBeVisible();

  // And to Chinese again: Tab to the next button, Space.
  const english2 = page.getByRole('group', { name: 'Language' }).getByRole('button', { name: 'English' });
  await expect(english2).toHaveAttribute('aria-pressed', 'true');
  await english2.focus();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Space');
  await expect(page).toHaveURL(/lang=zh/);
  await expect(page.getByRole('button', { name: '开始', exact: true })).toBeVisible();
  await expect(page.getByRole('region', { name: '短轮询', exact: true }).getByTestId('lane-state')).toHaveText('已关闭');
});

test('faults in Chinese: the status line, a failed lane, its reconnect button and the WebSocket reconnect line', async ({ page }) => {
  await page.goto('/?mode=mock&lang=zh&scenario=ticker&rate=100&size=32&count=0&retry=200&lanes=es,ws&autostart=1');
  const es = page.getByRole('region', { name: 'EventSource', exact: true });
  const ws = page.getByRole('region', { name: 'WebSocket', exact: true });
  for (const lane of [es, ws]) await expect(lane.getByTestId('lane-state')).toHaveText('已连接');
  await expect(page.getByTestId('fault-status')).toHaveText('就绪。');

  await page.getByLabel('响应', { exact: true }).selectOption('500');
  await page.getByRole('button', { name: '布置' }).click();
  await expect(page.getByTestId('fault-status')).toHaveText(
    '已布置：下一个 EventSource 连接将收到 500 Internal Server Error。断开该通道即可让它重连。',
  );
  await page.getByRole('button', { name: '断开 EventSource' }).click();
  await expect(es.getByTestId('lane-state')).toHaveText('已关闭');
  await expect(es.getByRole('alert')).toContainText('EventSource 已永久关闭（readyState CLOSED）');
  await expect(es.getByTestId('lane-error')).toHaveCount(0);

  await page.getByRole('button', { name: '断开 WebSocket' }).click();
  await expect(page.getByTestId('fault-status')).toHaveText('已断开 1 个连接。');
  await expect(ws.getByTestId('reconnect-line')).toContainText(/次重试|上次关闭/);
  await expect(ws.getByTestId('lane-state')).toHaveText('已连接');

  await es.getByRole('button', { name: /^重连 EventSource（从 #\d+ 之后续传）$/ }).click();
  await expect(es.getByTestId('lane-state')).toHaveText('已连接');
  await page.getByRole('button', { name: '停止', exact: true }).click();
  for (const lane of [es, ws]) await expect(lane.getByText('已停止。')).toBeVisible();
});

test('messages written before a language switch follow it: a failed lane and a WebSocket close line turn Chinese and back', async ({
  page,
}) => {
  await page.goto('/?mode=mock&scenario=ticker&rate=100&size=32&count=0&retry=200&lanes=es,ws&autostart=1');
  const es = page.getByRole('region', { name: 'EventSource', exact: true });
  const ws = page.getByRole('region', { name: 'WebSocket', exact: true });
  for (const lane of [es, ws]) await expect(lane.getByTestId('lane-state')).toHaveText('open');

  await page.getByLabel('Answer', { exact: true }).selectOption('500');
  await page.getByRole('button', { name: 'Arm' }).click();
  await page.getByRole('button', { name: 'Drop EventSource' }).click();
  await expect(es.getByRole('alert')).toContainText('closed for good');
  await page.getByRole('button', { name: 'Drop WebSocket' }).click();
  await expect(ws.getByTestId('reconnect-line')).toContainText(/\d{4} \(/);

  // The messages were written in English; the switch translates them where they are shown.
  await page.getByRole('group', { name: 'Language' }).getByRole('button', { name: '中文' }).click();
  await expect(es.getByRole('alert')).toContainText('EventSource 已永久关闭（readyState CLOSED）');
  await expect(es.getByRole('alert')).not.toContainText('closed for good');
  await expect(ws.getByTestId('reconnect-line')).toContainText(/\d{4}（/);
  await expect(ws.getByTestId('reconnect-line')).not.toContainText(/[A-Za-z]{3,} [a-z]{3,}/);

  await page.getByRole('group', { name: '语言' }).getByRole('button', { name: 'English' }).click();
  await expect(es.getByRole('alert')).toContainText('closed for good');
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(ws.getByText('Stopped.')).toBeVisible();
  await expect(es.getByRole('alert')).toContainText('closed for good');
});
