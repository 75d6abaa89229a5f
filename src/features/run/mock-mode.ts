/**
 * Switching the in-tab mock (MSW's service worker) on and off. The mock's code loads the first time
 * Mock mode is used, never in Live mode: a page that only ever runs Live has no mock to switch off.
 */
import type * as browserMocks from '../../mocks/browser.ts';

type MockModule = typeof browserMocks;

let mocks: Promise<MockModule> | null = null;

export async function enableMockMode(): Promise<void> {
  mocks ??= import('../../mocks/browser.ts');
  await (await mocks).enableMocks();
}

/** Lets requests reach the real server again; a no-op when Mock mode never ran on this page. */
export async function disableMockMode(): Promise<void> {
  if (mocks) (await mocks).disableMocks();
}
