/**
 * A run's stream log (GET /api/runs, or the mock's): handshakes and bytes per frame. Polled once a
 * second while the run is on, and read once more when it ends.
 */
import { useQuery } from '@tanstack/react-query';
import type { StreamRecord } from '../../protocol/stream-log.ts';
import type { Mode } from '../run/use-run.ts';

export async function fetchRunLog(mode: Mode, runId: string): Promise<StreamRecord[]> {
  if (mode === 'mock') {
    const { mockRunLog } = await import('../../mocks/handlers.ts');
    return mockRunLog(runId);
  }
  const response = await fetch(`/api/runs?run=${encodeURIComponent(runId)}`, { cache: 'no-store' });
  if (!response.ok) throw new Error(`GET /api/runs answered ${response.status}`);
  const body = (await response.json()) as { streams?: StreamRecord[] };
  return Array.isArray(body.streams) ? body.streams : [];
}

export function useRunLog(mode: Mode, runId: string | null, running: boolean) {
  return useQuery({
    // `running` in the key: the change at the end of a run fetches the final log once more.
    queryKey: ['run-log', mode, runId, running],
    queryFn: () => fetchRunLog(mode, runId ?? ''),
    enabled: runId !== null,
    refetchInterval: running ? 1_000 : false,
    placeholderData: (previous) => previous,
    retry: false,
  });
}
