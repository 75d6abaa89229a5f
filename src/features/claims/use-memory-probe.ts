/** GET /api/memory on the live server: memory per open SSE stream and per WebSocket. */
import { useCallback, useMemo, useState } from 'react';
import { labApi } from '../../lib/mode.ts';
import type { MemoryResult } from '../../lib/lab-api.ts';

export type { MemoryResult } from '../../lib/lab-api.ts';

export type MemoryProbeState =
  | { phase: 'idle' }
  | { phase: 'running' }
  | { phase: 'done'; result: MemoryResult }
  | { phase: 'error'; message: string };

export function useMemoryProbe() {
  const [state, setState] = useState<MemoryProbeState>({ phase: 'idle' });
  const run = useCallback(async (connections = 200) => {
    setState({ phase: 'running' });
    try {
      // The server's reason (409 busy, 429 too soon, 400 bad n) or HTTP <status>, or the network's.
      setState({ phase: 'done', result: await labApi('live').memory(connections) });
    } catch (error) {
      setState({ phase: 'error', message: error instanceof Error ? error.message : String(error) });
    }
  }, []);
  return useMemo(() => ({ state, run }), [state, run]);
}

export type MemoryProbe = ReturnType<typeof useMemoryProbe>;
