/**
 * Mock or Live, and the page's API client in each. Mock mode is the in-tab mock (MSW's service
 * worker) answering `/api/*`; Live mode is the network. `labApi(mode)` makes sure of that before each
 * request: it starts the mock in Mock mode and stops it in Live mode, then sends the same request.
 *
 * The mock's code loads the first time Mock mode is used, never in Live mode: a page that only ever
 * runs Live has no mock to switch off.
 */
import type * as browserMocks from '../mocks/browser.ts';
import { createLabApi, type LabApi } from './lab-api.ts';

export type Mode = 'mock' | 'live';

/**
 * The page's mode switch: the lab's backend (Mock or Live), or URL mode, where the lanes open the
 * user's own endpoints and the lab's backend takes no part in the run (src/features/url-mode/).
 */
export type PageMode = Mode | 'url';

type MockModule = typeof browserMocks;

let mocks: Promise<MockModule> | null = null;

export async function enableMockMode(): Promise<void> {
  mocks ??= import('../mocks/browser.ts');
  await (await mocks).enableMocks();
}

/** Lets requests reach the real server again; a no-op when Mock mode never ran on this page. */
export async function disableMockMode(): Promise<void> {
  if (mocks) (await mocks).disableMocks();
}

const clients: Partial<Record<Mode, LabApi>> = {};

/** The page's client for a mode (one per mode: each remembers the token it set on its backend). */
export function labApi(mode: Mode): LabApi {
  return (clients[mode] ??= createLabApi({ ready: mode === 'mock' ? enableMockMode : disableMockMode }));
}
