/**
 * React side of the connection-limit demo. The App owns it, so the panel, a claims table or a tour can
 * all call `run(8)` and read the same result. State changes on connection events only.
 */
import { disableMockMode } from '../../lib/mode.ts';
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import {
  ConnectionLimitController,
  type ConnectionLimitResult,
  type ConnectionLimitState,
  type LimitDeps,
} from './connection-limit-controller.ts';

export type { ConnectionLimitResult, ConnectionLimitState } from './connection-limit-controller.ts';

export interface ConnectionLimit {
  state: ConnectionLimitState;
  /** Opens n (1–12) EventSources and n WebSockets; resolves with the settled result. Rejects (RangeError) for another n. */
  run(n: number): Promise<ConnectionLimitResult>;
  closeAll(): void;
}

/** `nextHopProtocol` of the page itself: 'http/1.1', 'h2', 'h3'…; '' when the browser does not say. */
export function pageProtocol(): string {
  const [navigation] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
  return navigation?.nextHopProtocol ?? '';
}

function browserDeps(): LimitDeps {
  return {
    now: () => performance.now(),
    epochNow: () => Date.now(),
    setTimer: (fn, ms) => window.setTimeout(fn, ms),
    clearTimer: (handle) => {
      if (typeof handle === 'number') window.clearTimeout(handle);
    },
    protocol: pageProtocol,
    openEventSource(url, on) {
      const source = new EventSource(url);
      source.addEventListener('open', () => on.open());
      source.addEventListener('error', () => on.error(source.readyState === EventSource.CLOSED));
      return { close: () => source.close() };
    },
    openWebSocket(url, on) {
      const socket = new WebSocket(url);
      socket.addEventListener('open', () => on.open());
      socket.addEventListener('error', () => on.error());
      socket.addEventListener('close', () => on.close());
      return {
        close: () => {
          if (socket.readyState === WebSocket.CONNECTING || socket.readyState === WebSocket.OPEN) socket.close(1000, 'closed by the page');
        },
      };
    },
    async probe(url, signal) {
      const response = await fetch(url, { cache: 'no-store', signal });
      // Read the body, so the connection goes back to the pool.
      await response.arrayBuffer();
      return response.ok;
    },
    async beforeRun() {
      // The streams must reach the real server: a mock worker left running from Mock mode would answer.
      await disableMockMode();
    },
  };
}

export function useConnectionLimit(): ConnectionLimit {
  const [controller] = useState(() => new ConnectionLimitController(browserDeps(), window.location.origin));
  const state = useSyncExternalStore(controller.subscribe, controller.getState, controller.getState);
  // Nothing outlives the page's use of it: every EventSource, WebSocket and the probe close on unmount.
  useEffect(() => () => controller.dispose(), [controller]);
  const run = useCallback((n: number) => controller.run(n), [controller]);
  const closeAll = useCallback(() => controller.closeAll(), [controller]);
  return useMemo(() => ({ state, run, closeAll }), [state, run, closeAll]);
}
