/**
 * The requests that tell apart what a browser reports as one failure (see diagnose.ts): a CORS GET,
 * then a `no-cors` GET. Each is cut short: the answer's head is all it needs, and the body (an event
 * stream that may never end) is cancelled. Runs where the run runs (the run worker).
 */
import type { Probe } from './diagnose.ts';

const PROBE_TIMEOUT_MS = 4000;

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A CORS GET of `url` (as EventSource sends it), then, if that fails, a no-cors GET. */
export async function probeSse(url: string, fetchImpl: typeof fetch = (i, o) => globalThis.fetch(i, o)): Promise<Probe> {
  try {
    const response = await fetchImpl(url, {
      mode: 'cors',
      headers: { accept: 'text/event-stream' },
      cache: 'no-store',
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    void response.body?.cancel().catch(() => {});
    return {
      kind: 'answered',
      status: response.status,
      statusText: response.statusText,
      contentType: response.headers.get('content-type'),
    };
  } catch {
    return probeReachable(url, fetchImpl);
  }
}

/** A no-cors GET: 'opaque' when anything answered, 'unreachable' when nothing did. */
export async function probeReachable(url: string, fetchImpl: typeof fetch = (i, o) => globalThis.fetch(i, o)): Promise<Probe> {
  try {
    const response = await fetchImpl(url, { mode: 'no-cors', cache: 'no-store', signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    void response.body?.cancel().catch(() => {});
    return { kind: 'opaque' };
  } catch (error) {
    return { kind: 'unreachable', error: errorText(error) };
  }
}
