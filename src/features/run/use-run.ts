/**
 * React side of a run: owns the RunSession, and copies a snapshot into state at SNAPSHOT_HZ while it
 * runs. Frames never touch React state.
 */
import { startTransition, useCallback, useEffect, useRef, useState } from 'react';
import type { TransportKind } from '../../transports/transport.ts';
import type { StreamRecord } from '../../protocol/stream-log.ts';
import type { LocalText } from '../../i18n/local-text.ts';
import { RunSession, type RunConfig, type RunHooks, type RunSnapshot } from './run-session.ts';

export type Mode = 'mock' | 'live';

/** Numbers in the lanes. */
export const SNAPSHOT_HZ = 5;
/** Charts: a slower cadence, since an SVG redraw blocks the receive path of both lanes for a while. */
export const CHART_EVERY_NTH_SNAPSHOT = 3;

async function liveRunLog(runId: string): Promise<StreamRecord[]> {
  const response = await fetch(`/api/runs?run=${encodeURIComponent(runId)}`);
  if (!response.ok) throw new Error(`/api/runs answered ${response.status}`);
  const body = (await response.json()) as { streams?: StreamRecord[] };
  return Array.isArray(body.streams) ? body.streams : [];
}

async function prepareMode(mode: Mode): Promise<RunHooks> {
  const mocks = await import('../../mocks/browser.ts');
  if (mode === 'live') {
    mocks.disableMocks();
    return { serverLog: liveRunLog };
  }
  await mocks.enableMocks();
  const { stopMockRun, mockRunLog, mockClientClosed } = await import('../../mocks/handlers.ts');
  return {
    onStopped: stopMockRun,
    serverLog: (runId) => Promise.resolve(mockRunLog(runId)),
    clientClosed: mockClientClosed,
  };
}

export interface RunControls {
  snapshot: RunSnapshot | null;
  /** The snapshot the charts draw: refreshed every CHART_EVERY_NTH_SNAPSHOT ticks and at the end. */
  chartSnapshot: RunSnapshot | null;
  running: boolean;
  /** Set while the mode is being prepared (the mock worker starting). */
  starting: boolean;
  /** Why the mode could not be prepared: translated where it is shown. */
  startError: LocalText | null;
  start(config: RunConfig, mode: Mode): void;
  stop(): void;
  /** Manual reconnect of a lane that gave up. */
  reconnect(kind: TransportKind): void;
  /** "Stop generating" in every lane. */
  cancel(): void;
}

/** `chartsVisible`: while false, the chart snapshot is not refreshed (except at the end of a run). */
export function useRun(chartsVisible = true): RunControls {
  const session = useRef<RunSession | null>(null);
  const [snapshot, setSnapshot] = useState<RunSnapshot | null>(null);
  const [chartSnapshot, setChartSnapshot] = useState<RunSnapshot | null>(null);
  const [running, setRunning] = useState(false);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<LocalText | null>(null);
  const chartsOn = useRef(chartsVisible);
  useEffect(() => {
    chartsOn.current = chartsVisible;
  }, [chartsVisible]);

  const stop = useCallback(() => {
    const current = session.current;
    if (!current) return;
    current.stop();
    const last = current.snapshot();
    setSnapshot(last);
    setChartSnapshot(last);
    setRunning(false);
  }, []);

  const start = useCallback((config: RunConfig, mode: Mode) => {
    session.current?.dispose();
    session.current = null;
    setStarting(true);
    setStartError(null);
    prepareMode(mode)
      .then((hooks) => {
        const next = new RunSession(config, window.location.origin, hooks);
        session.current = next;
        next.start();
        const first = next.snapshot();
        setSnapshot(first);
        setChartSnapshot(first);
        setRunning(true);
      })
      .catch((error: unknown) => {
        setStartError({
          key: 'run.startError',
          vars: { mode, error: error instanceof Error ? error.message : String(error) },
        });
      })
      .finally(() => setStarting(false));
  }, []);

  const cancel = useCallback(() => {
    session.current?.cancel();
  }, []);

  const reconnect = useCallback((kind: TransportKind) => {
    const current = session.current;
    if (!current) return;
    current.reconnect(kind);
    setSnapshot(current.snapshot());
    setRunning(true);
  }, []);

  useEffect(() => {
    if (!running) return;
    let ticks = 0;
    const timer = setInterval(() => {
      const current = session.current;
      if (!current) return;
      const next = current.snapshot();
      ticks++;
      // A transition lets React yield to incoming messages while it renders.
      startTransition(() => {
        setSnapshot(next);
        if (next.finished || (chartsOn.current && ticks % CHART_EVERY_NTH_SNAPSHOT === 0)) setChartSnapshot(next);
      });
      if (next.finished) setRunning(false);
    }, 1000 / SNAPSHOT_HZ);
    return () => clearInterval(timer);
  }, [running]);

  useEffect(() => () => session.current?.dispose(), []);

  return { snapshot, chartSnapshot, running, starting, startError, start, stop, reconnect, cancel };
}
