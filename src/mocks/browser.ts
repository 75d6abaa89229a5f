/** Starts and stops the MSW worker that serves Mock mode. Live mode runs with the worker stopped. */
import { setupWorker, type SetupWorker } from 'msw/browser';
import { createHandlers } from './handlers.ts';

let worker: SetupWorker | null = null;
let active = false;

export async function enableMocks(): Promise<void> {
  if (active) return;
  worker ??= setupWorker(...createHandlers(window.location.origin));
  await worker.start({
    onUnhandledRequest: 'bypass',
    quiet: true,
    serviceWorker: { url: `${import.meta.env.BASE_URL}mockServiceWorker.js` },
  });
  active = true;
}

export function disableMocks(): void {
  if (!active || !worker) return;
  worker.stop();
  active = false;
}
