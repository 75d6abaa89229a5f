/** GET /api/memory on the live server: memory per open SSE stream and per WebSocket. */
import { useCallback, useMemo, useState } from 'react';

export interface MemoryResult {
  connections: number;
  sse: { bytesPerConnection: number; rssPerConnection: number };
  ws: { bytesPerConnection: number; rssPerConnection: number };
}

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
      const response = await fetch(`/api/memory?n=${connections}`, { cache: 'no-store' });
      const body = (await response.json()) as Partial<MemoryResult> & { error?: string };
      if (!response.ok || !body.sse || !body.ws) throw new Error(body.error ?? `GET /api/memory answered ${response.status}`);
      setState({ phase: 'done', result: { connections: body.connections ?? connections, sse: body.sse, ws: body.ws } });
    } catch (error) {
      setState({ phase: 'error', message: error instanceof Error ? error.message : String(error) });
    }
  }, []);
  return useMemo(() => ({ state, run }), [state, run]);
}

export type MemoryProbe = ReturnType<typeof useMemoryProbe>;
