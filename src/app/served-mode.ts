/**
 * Which mode a page opens in when its URL names none: Live where the lab's own server answers
 * `/api/info` (its numbers are real there), Mock on a static host, where only the in-tab mock can
 * answer. Asked once, before the page renders and before the mock's service worker is started (an
 * inactive MSW worker passes requests through, so the answer is the network's): through the lab API
 * client, but not `labApi(mode)`, which would start or stop the mock first.
 */
import { createLabApi } from '../lib/lab-api.ts';
import type { Mode } from '../lib/mode.ts';

/** The name the lab's server publishes in `/api/info`. */
export const labServerName = 'sse-vs-websocket-lab';

/** `fetchImpl`: the network (tests pass their own). */
export async function detectServedMode(fetchImpl?: typeof fetch, timeoutMs = 1500): Promise<Mode> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    // A 404, an SPA fallback page (not JSON), another JSON or no answer: a static host.
    const info = await createLabApi({ fetch: fetchImpl }).info({ signal: abort.signal });
    return info.name === labServerName ? 'live' : 'mock';
  } catch {
    return 'mock';
  } finally {
    clearTimeout(timer);
  }
}
