/**
 * An opened run file as the page uses it: the file, its name, and the RunSnapshot the lanes and charts
 * render (every lane's recorded view, the recorded time axis). Also what a new export writes about
 * where it ran.
 */
import type { Mode } from '../../lib/mode.ts';
import type { RunSnapshot } from '../run/run-session.ts';
import type { RunFile, RunFileEnvironment } from './run-file-format.ts';

export interface RecordedRun {
  /** Unique on this page. */
  id: string;
  /** The file's name as the user picked or dropped it. */
  name: string;
  file: RunFile;
  snapshot: RunSnapshot;
}

let opened = 0;

export function recordedRun(name: string, file: RunFile): RecordedRun {
  return {
    id: `file-${++opened}`,
    name,
    file,
    snapshot: {
      runId: file.run.runId,
      elapsedS: file.run.elapsedS,
      lanes: file.lanes.map((lane) => lane.view),
      finished: file.run.finished,
    },
  };
}

/** Frames kept against frames seen, over the lanes whose journal hit the cap. */
export function truncation(file: RunFile): { kept: number; seen: number; lanes: string[] } | null {
  const cut = file.lanes.filter((lane) => !lane.recording.complete);
  if (cut.length === 0) return null;
  return {
    kept: cut.reduce((n, lane) => n + lane.recording.frames.length, 0),
    seen: cut.reduce((n, lane) => n + lane.recording.framesSeen, 0),
    lanes: cut.map((lane) => lane.kind),
  };
}

/** "Chrome 131", "Firefox 133", … from a user agent string; the string itself when none matches. */
export function browserName(userAgent: string): string {
  const match =
    /(Edg|OPR|Firefox|Chromium|HeadlessChrome|Chrome|Version)\/(\d+)/.exec(userAgent.includes('Edg/') ? userAgent.replace(/Chrome\/\S+/, '') : userAgent);
  if (!match) return userAgent.slice(0, 40) || '?';
  const names: Record<string, string> = { Edg: 'Edge', OPR: 'Opera', Version: 'Safari', HeadlessChrome: 'Chrome (headless)' };
  return `${names[match[1]] ?? match[1]} ${match[2]}`;
}

/** Where this page runs now: for the file a new export writes. */
export function currentEnvironment(mode: Mode, serverVersion: string | null): RunFileEnvironment {
  const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
  return {
    labVersion: __LAB_VERSION__,
    browser: navigator.userAgent,
    mode,
    server: { origin: window.location.origin, protocol: navigation?.nextHopProtocol || null, version: serverVersion },
  };
}

