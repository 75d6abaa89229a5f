/**
 * Shared by the fault injection tests (faults*.test.ts): an endless ticker query, and whether an SSE
 * request is answered at all.
 */

/** The query of an endless ticker at 200 frames/s. */
export const TICKER = 'scenario=ticker&rate=200&count=0';

/** True when the SSE request is answered at all (it fails at the socket during a reset outage). */
export async function sseAnswers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await res.body?.cancel();
    return true;
  } catch {
    return false;
  }
}
