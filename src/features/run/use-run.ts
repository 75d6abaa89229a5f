/**
 * React side of a run: owns the run's host (a Worker in Live mode, the page in Mock mode) and pulls a
 * snapshot into state at SNAPSHOT_HZ while it runs. Frames never touch React state, and in Live mode
 * they never touch the page's main thread at all.
 */
import { startTransition, useCallback, useEffect, useRef, useState } from 'react';
import type { TransportKind } from '../../transports/transport.ts';
import type { LocalText } from '../../i18n/local-text.ts';
import type { RunConfig, RunSnapshot } from './run-session.ts';
import { InlineRunHost, WorkerRunHost, type RunHost } from './run-host.ts';
import type { RunRecording } from '../run-file/run-file-format.ts';
import { disableMockMode, enableMockMode, labApi, type Mode, type PageMode } from '../../lib/mode.ts';

export type { Mode, PageMode };

/**
 * Numbers and charts: one snapshot, asked for 15 times a second, so the charts stay above 10 Hz even
 * when a flooded worker answers late (bench: 12.8 Hz at 3 × 10k msg/s, 15 Hz at 3 × 1k).
 */
export const SNAPSHOT_HZ = 15;
/** Snapshot requests on their way to the host at once. */
const MAX_PULLS = 4;

async function hostFor(mode: PageMode): Promise<RunHost> {
  const origin = window.location.origin;
  // URL mode: the user's endpoints, from the same worker as Live (the mock must not answer for them).
  if (mode === 'live' || mode === 'url') {
    await disableMockMode();
    return new WorkerRunHost(origin);
  }
  await enableMockMode();
  const { RunSession } = await import('./run-session.ts');
  // The same endpoints as Live, answered by the mock; plus its two workarounds (see lab-api.ts).
  const api = labApi('mock');
  return new InlineRunHost(RunSession, origin, {
    onStopped: (runId) => void api.mock.stopRun(runId).catch(() => {}),
    serverLog: (runId) => api.runs(runId),
    clientClosed: (runId, transports) => void api.mock.clientClosed(runId, transports).catch(() => {}),
  });
}

export interface RunControls {
  snapshot: RunSnapshot | null;
  running: boolean;
  /** Set while the mode is being prepared (the mock worker starting). */
  starting: boolean;
  /** Why the mode could not be prepared: translated where it is shown. */
  startError: LocalText | null;
  start(config: RunConfig, mode: PageMode): void;
  stop(): void;
  /** Manual reconnect of a lane that gave up. */
  reconnect(kind: TransportKind): void;
  /** "Stop generating" in every lane. */
  cancel(): void;
  /**
   * For "Export": a snapshot and every lane's journal, in one answer from the host. The page then
   * shows that very snapshot, so the file holds exactly what is on screen. Null before any run.
   */
  record(): Promise<RunRecording | null>;
}

export function useRun(): RunControls {
  const host = useRef<RunHost | null>(null);
  const [snapshot, setSnapshot] = useState<RunSnapshot | null>(null);
  const [running, setRunning] = useState(false);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<LocalText | null>(null);

  /** Reads the host's newest snapshot into state, unless another host has taken over since. */
  const pull = useCallback(async (from: RunHost): Promise<RunSnapshot | null> => {
    const next = await from.snapshot();
    if (host.current !== from || next === null) return null;
    startTransition(() => setSnapshot(next));
    return next;
  }, []);

  const stop = useCallback(() => {
    const current = host.current;
    if (!current) return;
    current.stop();
    setRunning(false);
    void pull(current);
  }, [pull]);

  const start = useCallback((config: RunConfig, mode: PageMode) => {
    host.current?.dispose();
    host.current = null;
    setStarting(true);
    setStartError(null);
    hostFor(mode)
      .then((next) => {
        host.current = next;
        // The lanes that cannot be mocked (WebSocketStream) need to know where they play.
        next.start({ ...config, mode: mode === 'mock' ? 'mock' : 'live' });
        setRunning(true);
        void pull(next);
      })
      .catch((error: unknown) => {
        setStartError({
          key: 'run.startError',
          vars: { mode, error: error instanceof Error ? error.message : String(error) },
        });
      })
      .finally(() => setStarting(false));
  }, [pull]);

  const cancel = useCallback(() => {
    host.current?.cancel();
  }, []);

  const reconnect = useCallback((kind: TransportKind) => {
    const current = host.current;
    if (!current) return;
    current.reconnect(kind);
    setRunning(true);
    void pull(current);
  }, [pull]);

  useEffect(() => {
    if (!running) return;
    let inFlight = 0;
    // Pull, never push: a page that is slow to draw asks less often. A worker flooded with messages
    // answers late, so a few requests may be on their way at once (each answer is the newest
    // snapshot when the worker gets to it); never more than MAX_PULLS, so nothing piles up.
    const timer = setInterval(() => {
      const current = host.current;
      if (!current || inFlight >= MAX_PULLS) return;
      inFlight++;
      void pull(current)
        .then((next) => {
          if (next?.finished) setRunning(false);
        })
        .finally(() => {
          inFlight--;
        });
    }, 1000 / SNAPSHOT_HZ);
    return () => clearInterval(timer);
  }, [running, pull]);

  const record = useCallback(async (): Promise<RunRecording | null> => {
    const current = host.current;
    if (!current) return null;
    const recording = await current.record();
    if (host.current !== current || recording === null) return null;
    startTransition(() => setSnapshot(recording.snapshot));
    return recording;
  }, []);

  useEffect(() => () => host.current?.dispose(), []);

  return { snapshot, running, starting, startError, start, stop, reconnect, cancel, record };
}
