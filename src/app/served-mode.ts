/**
 * Which mode a page opens in when its URL names none: Live where the lab's own server answers
 * `/api/info` (its numbers are real there), Mock on a static host, where only the in-tab mock can
 * answer. Asked once, before the page renders and before the mock's service worker is started (an
 * inactive MSW worker passes requests through, so the answer is the network's).
 */
import type { Mode } from '../features/run/use-run.ts';

/** The name the lab's server publishes in `/api/info`. */
export const labServerName = 'sse-vs-websocket-lab';

export async function detectServedMode(
  fetchInfo: (signal: AbortSignal) => Promise<Response> = (signal) =>
    fetch('/api/info', { headers: { accept: 'application/json' }, signal }),
  timeoutMs = 1500,
): Promise<Mode> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const response = await fetchInfo(abort.signal);
    if (!response.ok || !(response.headers.get('content-type') ?? '').includes('application/json')) return 'mock';
    const body: unknown = await response.json();
    return typeof body === 'object' && body !== null && (body as { name?: unknown }).name === labServerName
      ? 'live'
      : 'mock';
  } catch {
    return 'mock';
  } finally {
    clearTimeout(timer);
  }
}
