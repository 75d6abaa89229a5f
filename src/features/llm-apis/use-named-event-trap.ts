import { useCallback, useRef, useState } from 'react';
import { runTrap, trapUrl, type TrapResult } from './named-event-trap.ts';

export type TrapState = { phase: 'idle' } | { phase: 'running' } | { phase: 'done'; result: TrapResult } | { phase: 'error'; message: string };

export function useNamedEventTrap(): { state: TrapState; run(): Promise<void> } {
  const [state, setState] = useState<TrapState>({ phase: 'idle' });
  const runs = useRef(0);
  const run = useCallback(async () => {
    setState({ phase: 'running' });
    try {
      const result = await runTrap(trapUrl(location.origin, `trap-${Date.now().toString(36)}-${++runs.current}`));
      setState({ phase: 'done', result });
    } catch (error) {
      setState({ phase: 'error', message: error instanceof Error ? error.message : String(error) });
    }
  }, []);
  return { state, run };
}
