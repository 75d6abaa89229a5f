/**
 * A run's stream log (GET /api/runs, or the mock's): handshakes and bytes per frame. Polled once a
 * second while the run is on, and read once more, whole, when it ends. A poll asks only for records
 * from the oldest one still open (stopped ones are final) and merges them into what it had, so a run
 * with hundreds of reconnects does not resend every handshake each second.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { mergeRunLog, resumePoint, type StreamRecord } from '../../protocol/stream-log.ts';
import type { Mode } from '../run/use-run.ts';

export async function fetchRunLog(mode: Mode, runId: string, from = 0): Promise<StreamRecord[]> {
  if (mode === 'mock') {
    const { mockRunLog } = await import('../../mocks/handlers.ts');
    return mockRunLog(runId, from);
  }
  // An answer holds at most MAX_RUN_LOG_ANSWER_BYTES; `next` says where the rest starts.
  const records: StreamRecord[] = [];
  let next: number | null = from;
  for (let page = 0; next !== null && page < 50; page++) {
    const query = `run=${encodeURIComponent(runId)}${next > 0 ? `&from=${next}` : ''}`;
    const response = await fetch(`/api/runs?${query}`, { cache: 'no-store' });
    if (!response.ok) throw new Error(`GET /api/runs answered ${response.status}`);
    const body = (await response.json()) as { streams?: StreamRecord[]; next?: number | null };
    if (Array.isArray(body.streams)) records.push(...body.streams);
    next = typeof body.next === 'number' && body.next > next ? body.next : null;
  }
  return records;
}

/** One poll: what changed since `previous`, merged into it. */
export async function pollRunLog(mode: Mode, runId: string, previous: readonly StreamRecord[]): Promise<StreamRecord[]> {
  const from = previous.length > 0 ? resumePoint(previous) : 0;
  return mergeRunLog(previous, await fetchRunLog(mode, runId, from), from);
}

export function useRunLog(mode: Mode, runId: string | null, running: boolean) {
  const client = useQueryClient();
  // `running` in the key: the change at the end of a run starts a new entry, read whole once more.
  const queryKey = ['run-log', mode, runId, running] as const;
  return useQuery({
    queryKey,
    queryFn: () => pollRunLog(mode, runId ?? '', client.getQueryData<StreamRecord[]>(queryKey) ?? []),
    enabled: runId !== null,
    refetchInterval: running ? 1_000 : false,
    placeholderData: (previous) => previous,
    retry: false,
  });
}
