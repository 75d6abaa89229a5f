/**
 * The run file, version 1: one JSON document that keeps a whole run — its settings, where it ran, the
 * numbers and chart series every lane showed, every lane's frames with their send and receive stamps,
 * the other recorder calls in order (snapshots, reconnects, errors, chat, polls) and the server's run
 * log. The README documents it ("Keep a run: export and import").
 *
 *   { "format": "sse-vs-ws-lab/run", "version": 1, "exportedAt": "…", "environment": {…},
 *     "settings": {…}, "run": {…}, "lanes": [{ "kind", "view", "recording" }], "runLog": [...] }
 *
 * Numbers are JSON numbers (a double round-trips exactly); a number that was NaN (not known yet: a
 * percentile of no samples) is written as null, and the reader knows from the field which it was.
 *
 * Versioning: `version` goes up when a reader of the old version would misread the file; a reader
 * refuses a newer version with a reason, and reads every older one it knows.
 */
import type { ScenarioParams } from '../../protocol/scenarios.ts';
import type { TransportKind } from '../../transports/transport.ts';
import type { LaneView, RunConfig, RunSnapshot } from '../run/run-session.ts';
import type { JournalEvent, JournalFrame, LaneRecording } from './recording-recorder.ts';
import { isComplete } from './recording-recorder.ts';

export const RUN_FILE_FORMAT = 'sse-vs-ws-lab/run';
export const RUN_FILE_VERSION = 1;

/** Where the run ran. */
export interface RunFileEnvironment {
  /** The lab's version (package.json) of the page that recorded it. */
  labVersion: string;
  /** The browser's user agent string. */
  browser: string;
  mode: 'mock' | 'live';
  server: {
    origin: string;
    /** The page's HTTP version as the browser negotiated it (`http/1.1`, `h2`), when known. */
    protocol: string | null;
    /** The server's version from GET /api/info, when known. */
    version: string | null;
  };
}

/** The run's settings: everything that reproduces it (the bearer token is never written). */
export interface RunFileSettings {
  scenario: string;
  params: ScenarioParams;
  options: { retry: number; flakyFrames: number; flakyMs: number };
  backoff: { baseMs: number; capMs: number; maxAttempts: number };
  lanes: TransportKind[];
  fetchResume: boolean;
  format: string;
  /** What the fetch + SSE lane POSTed to: `lab` (/api/stream) or a provider path (`chat`, `responses`, `messages`). */
  api: string;
}

/**
 * One frame: `[seq, sentAt, receivedAt, bytes, kind]`, plus its data as a 6th element when it was kept
 * (tokens, and the newest frames). Stamps are ms since the epoch on the page's clock
 * (`performance.timeOrigin + performance.now()`); latency is receivedAt − sentAt.
 */
export type FrameRow = [number, number, number, number, string] | [number, number, number, number, string, string];

export interface RunFileRecording {
  /** Every recorder call is here: an import replays them and must get `view` back exactly. */
  complete: boolean;
  framesSeen: number;
  eventsSeen: number;
  frames: FrameRow[];
  /** The other recorder calls; `after` = frames recorded before it. */
  events: JournalEvent[];
}

export interface RunFileLane {
  kind: TransportKind;
  /** What the lane showed when the run was exported: every number and chart series. */
  view: LaneView;
  recording: RunFileRecording;
}

/** One entry of the server's run log (GET /api/runs), kept as the server wrote it. */
export type RunLogEntry = Record<string, unknown>;

export interface RunFile {
  format: typeof RUN_FILE_FORMAT;
  version: typeof RUN_FILE_VERSION;
  /** ISO 8601. */
  exportedAt: string;
  environment: RunFileEnvironment;
  settings: RunFileSettings;
  run: {
    runId: string;
    /** Run start on the page's clock, ms since the epoch. */
    startedAt: number;
    /** Seconds from the start to the last snapshot (the charts' time axis ends there). */
    elapsedS: number;
    finished: boolean;
  };
  lanes: RunFileLane[];
  runLog: RunLogEntry[];
}

/** What the run worker (or the page, in Mock mode) hands over for an export. */
export interface RunRecording {
  snapshot: RunSnapshot;
  startedAt: number;
  config: RunConfig;
  lanes: LaneRecording[];
}

export function settingsOf(config: RunConfig): RunFileSettings {
  return {
    scenario: config.scenario.scenario,
    params: { ...config.scenario.params },
    options: { retry: config.options.retry, flakyFrames: config.options.flakyFrames, flakyMs: config.options.flakyMs },
    backoff: { baseMs: config.backoff.baseMs, capMs: config.backoff.capMs, maxAttempts: config.backoff.maxAttempts },
    lanes: [...config.lanes],
    fetchResume: config.fetchResume ?? false,
    format: config.format ?? 'lab',
    api: config.api ?? 'lab',
  };
}

/** A lane's journal as frame rows. */
export function frameRows(frames: LaneRecording['frames']): FrameRow[] {
  const data = new Map(frames.data);
  const rows: FrameRow[] = new Array<FrameRow>(frames.seq.length);
  for (let i = 0; i < frames.seq.length; i++) {
    const kind = frames.kinds[frames.kind[i]] ?? '';
    const kept = data.get(i);
    rows[i] =
      kept === undefined
        ? [frames.seq[i], frames.sentAt[i], frames.receivedAt[i], frames.bytes[i], kind]
        : [frames.seq[i], frames.sentAt[i], frames.receivedAt[i], frames.bytes[i], kind, kept];
  }
  return rows;
}

/** Frame rows as the frames a replay feeds the recorder. */
export function journalFrames(rows: readonly FrameRow[]): JournalFrame[] {
  return rows.map((row) => ({
    seq: row[0],
    sentAt: row[1],
    receivedAt: row[2],
    bytes: row[3],
    kind: row[4],
    data: row.length === 6 ? row[5] : null,
  }));
}

export function buildRunFile(input: {
  recording: RunRecording;
  environment: RunFileEnvironment;
  runLog: readonly RunLogEntry[];
  exportedAt: Date;
}): RunFile {
  const { recording } = input;
  const views = new Map(recording.snapshot.lanes.map((lane) => [lane.kind, lane]));
  return {
    format: RUN_FILE_FORMAT,
    version: RUN_FILE_VERSION,
    exportedAt: input.exportedAt.toISOString(),
    environment: input.environment,
    settings: settingsOf(recording.config),
    run: {
      runId: recording.snapshot.runId,
      startedAt: recording.startedAt,
      elapsedS: recording.snapshot.elapsedS,
      finished: recording.snapshot.finished,
    },
    lanes: recording.lanes.flatMap((lane): RunFileLane[] => {
      const view = views.get(lane.kind);
      if (!view) return [];
      return [
        {
          kind: lane.kind,
          view,
          recording: {
            complete: isComplete(lane),
            framesSeen: lane.framesSeen,
            eventsSeen: lane.eventsSeen,
            frames: frameRows(lane.frames),
            events: lane.events,
          },
        },
      ];
    }),
    runLog: [...input.runLog],
  };
}

/** The file's text (NaN becomes null, as JSON has no NaN). */
export function runFileText(file: RunFile): string {
  return JSON.stringify(file);
}

/** A file name that sorts by date: `sse-vs-ws-run-ticker-2025-06-01T12-00-00.json`. */
export function runFileName(file: Pick<RunFile, 'exportedAt' | 'settings'>, extension = 'json', suffix = ''): string {
  const stamp = file.exportedAt.replace(/\.\d+Z$/, '').replace(/:/g, '-');
  return `sse-vs-ws-run-${file.settings.scenario}-${stamp}${suffix}.${extension}`;
}
