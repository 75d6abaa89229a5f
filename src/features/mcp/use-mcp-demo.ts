import { useCallback, useState } from 'react';
import { runLegacy, runStreamable, type McpDemoReport } from './mcp-demo.ts';

export type McpDemoState =
  | { phase: 'idle' }
  | { phase: 'running' }
  | { phase: 'done'; drop: number; streamable: McpDemoReport; legacy: McpDemoReport }
  | { phase: 'error'; message: string };

export interface McpDemo {
  state: McpDemoState;
  run(drop: number): Promise<void>;
}

/** Runs the tool call over Streamable HTTP, then over HTTP+SSE, on the page's own origin. */
export function useMcpDemo(): McpDemo {
  const [state, setState] = useState<McpDemoState>({ phase: 'idle' });
  const run = useCallback(async (drop: number) => {
    setState({ phase: 'running' });
    try {
      const origin = location.origin;
      const streamable = await runStreamable({ origin, drop });
      const legacy = await runLegacy({ origin, drop });
      setState({ phase: 'done', drop, streamable, legacy });
    } catch (error) {
      setState({ phase: 'error', message: error instanceof Error ? error.message : String(error) });
    }
  }, []);
  return { state, run };
}
