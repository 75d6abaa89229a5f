/**
 * A run's stream log (GET /api/runs, answered by the live server or the mock): handshakes and bytes
 * per frame. Polled once a second while the run is on, and read once more, whole, when it ends. A
 * poll asks only for records from the oldest one still open (stopped ones are final) and merges them
 * into what it had, so a run with hundreds of reconnects does not resend every handshake each second.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { mergeRunLog, resumePoint, type StreamRecord } from '../../protocol/stream-log.ts';
import { labApi, type Mode } from '../../lib/mode.ts';

/** GET /api/runs through the lab API: every record from `from` on (the live server or the mock). */
export function fetchRunLog(mode: Mode, runId: string, from = 0): Promise<StreamRecord[]> {
  return labApi(mode).runs(runId, from);
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
