/**
 * Reads a run file and refuses, with a reason, anything that is not one: too large (checked before
 * reading), not JSON or nested too deep (bounded parsing, src/protocol/json-guard.ts), another
 * program's JSON, a newer version, a field missing or of the wrong type (named by its path), or — the
 * strongest check — a lane whose recorded frames and calls, replayed through the recorder, do not give
 * back the numbers the file says the lane showed (an edited or damaged frame).
 *
 * Reasons are LocalText (a key and its values), worded where they are shown.
 */
import { MAX_JSON_DEPTH } from '../../protocol/limits.ts';
import { parseJsonBounded } from '../../protocol/json-guard.ts';
import type { Point } from '../../metrics/lttb.ts';
import type { Summary } from '../../metrics/percentiles.ts';
import type { TransportIssue, TransportIssueCode, TransportKind } from '../../transports/transport.ts';
import { en, type MessageKey } from '../../i18n/en.ts';
import { localText, type LocalText, type TextVars } from '../../i18n/local-text.ts';
import { laneKinds } from '../lanes/lane-registry.ts';
import { issueText, type LaneMessage } from '../lanes/lane-words.ts';
import type { LaneView } from '../run/run-session.ts';
import type { JournalEvent } from './recording-recorder.ts';
import { MAX_RECORDED_EVENTS_PER_LANE, MAX_RECORDED_FRAMES_PER_LANE, MAX_RUN_FILE_BYTES } from './run-file-limits.ts';
import { firstDifference, replayLane } from './replay.ts';
import {
  journalFrames,
  RUN_FILE_FORMAT,
  RUN_FILE_VERSION,
  type FrameRow,
  type RunFile,
  type RunFileLane,
  type RunLogEntry,
} from './run-file-format.ts';

export type ReadResult = { ok: true; file: RunFile } | { ok: false; reason: LocalText };

/** Entries of the run log kept from a file (the server's log holds at most 1000 streams). */
const MAX_RUN_LOG_ENTRIES = 1000;
/** Points of one chart series, entries of one list in a lane's view. */
const MAX_SERIES = 100_000;
const MAX_TEXT_CHARS = 10_000_000;

class Bad extends Error {
  constructor(
    readonly path: string,
    readonly expected: string,
  ) {
    super(`${path}: expected ${expected}`);
  }
}

type Decoder<T> = (value: unknown, path: string) => T;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A number; null stands for NaN (JSON has none). */
const num: Decoder<number> = (v, path) => {
  if (v === null) return Number.NaN;
  if (typeof v !== 'number') throw new Bad(path, 'a number');
  return v;
};
/** A finite number, never null. */
const fin: Decoder<number> = (v, path) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Bad(path, 'a number');
  return v;
};
/** A number or null (null meaning "none", not NaN). */
const optNum: Decoder<number | null> = (v, path) => (v === null ? null : fin(v, path));
const str: Decoder<string> = (v, path) => {
  if (typeof v !== 'string' || v.length > MAX_TEXT_CHARS) throw new Bad(path, 'a string');
  return v;
};
const bool: Decoder<boolean> = (v, path) => {
  if (typeof v !== 'boolean') throw new Bad(path, 'true or false');
  return v;
};
const nullable =
  <T,>(inner: Decoder<T>): Decoder<T | null> =>
  (v, path) =>
    v === null ? null : inner(v, path);
const oneOf =
  <T extends string>(values: readonly T[]): Decoder<T> =>
  (v, path) => {
    if (typeof v !== 'string' || !values.includes(v as T)) throw new Bad(path, `one of ${values.join(', ')}`);
    return v as T;
  };
const arr =
  <T,>(item: Decoder<T>, max: number): Decoder<T[]> =>
  (v, path) => {
    if (!Array.isArray(v)) throw new Bad(path, 'a list');
    if (v.length > max) throw new Bad(path, `at most ${max} entries`);
    return v.map((x, i) => item(x, `${path}[${i}]`));
  };
const rec = (v: unknown, path: string): Record<string, unknown> => {
  if (!isRecord(v)) throw new Bad(path, 'an object');
  return v;
};
/** An object with exactly these fields decoded (others are ignored). */
function obj<T>(fields: { [K in keyof T]: Decoder<T[K]> }): Decoder<T> {
  return (v, path) => {
    const r = rec(v, path);
    const out = {} as T;
    for (const key of Object.keys(fields) as (keyof T & string)[]) out[key] = fields[key](r[key], `${path}.${key}`);
    return out;
  };
}

const summary = obj<Summary>({ count: fin, p50: num, p95: num, p99: num, max: num });
const point = obj<Point>({ x: num, y: num });
const series = arr(point, MAX_SERIES);
const laneKind = oneOf<TransportKind>(laneKinds);

const textVars: Decoder<TextVars> = (v, path) => {
  const r = rec(v, path);
  const out: TextVars = {};
  for (const [name, value] of Object.entries(r)) {
    out[name] = typeof value === 'string' || typeof value === 'number' ? value : localTextOf(value, `${path}.${name}`);
  }
  return out;
};
const localTextOf: Decoder<LocalText> = (v, path) => {
  const r = rec(v, path);
  if (typeof r.key !== 'string' || !Object.hasOwn(en, r.key)) throw new Bad(`${path}.key`, 'a message key of this lab');
  const key = r.key as MessageKey;
  return r.vars === undefined ? localText(key) : localText(key, textVars(r.vars, `${path}.vars`));
};
const laneMessage: Decoder<LaneMessage> = (v, path) => (typeof v === 'string' ? v : localTextOf(v, path));

/** Every issue code (a Record, so a new code that this reader does not know fails to compile). */
const knownIssueCodes: Record<TransportIssueCode, true> = {
  'frame.invalid': true, http: true, 'es.cannotOpen': true, 'es.gaveUp': true, 'fetch.requestFailed': true,
  'fetch.noContent': true, 'fetch.contentType': true, 'fetch.noBody': true, 'fetch.broke': true,
  'fetch.endedEarly': true, 'fetch.noReconnect': true, 'fetch.providerError': true, 'ws.cannotOpen': true,
  'ws.badBinary': true, 'ws.notTextOrBinary': true, 'ws.invalid': true, 'ws.server': true, 'ws.fatalClose': true,
  'ws.gaveUp': true, 'es.neverOpened': true, 'ws.neverOpened': true, 'poll.failed': true, 'chat.http': true, 'chat.failed': true,
  'wss.unsupported': true, 'wss.needsLive': true, 'wss.broke': true,
};
const issueCodes = Object.keys(knownIssueCodes) as TransportIssueCode[];
/** A transport issue: a known code and plain values (a nested cause is an issue too). */
const transportIssue: Decoder<TransportIssue> = (v, path) => {
  const r = rec(v, path);
  const code = oneOf(issueCodes)(r.code, `${path}.code`);
  const params = rec(r.params, `${path}.params`);
  for (const [name, value] of Object.entries(params)) {
    const at = `${path}.params.${name}`;
    if (name === 'cause') transportIssue(value, at);
    else if (name === 'close') obj({ code: fin, reason: str })(value, at);
    else if (value !== null && typeof value !== 'string' && typeof value !== 'number') throw new Bad(at, 'a string or a number');
  }
  return { code, params } as TransportIssue;
};

const closeReason: Decoder<LaneView['closeReason']> = (v, path) => {
  if (v === null) return null;
  const r = rec(v, path);
  const kind = oneOf(['complete', 'stopped', 'failed'] as const)(r.kind, `${path}.kind`);
  if (kind !== 'failed') return { kind };
  const message = laneMessage(r.message, `${path}.message`);
  return r.code === undefined ? { kind, message } : { kind, message, code: fin(r.code, `${path}.code`) };
};

const laneView: Decoder<LaneView> = obj<LaneView>({
  frames: fin,
  bytes: fin,
  rate: num,
  latency: summary,
  reconnects: fin,
  errors: fin,
  lastError: nullable(laneMessage),
  sequence: obj({ highest: fin, delivered: fin, missing: fin, duplicates: fin, reordered: fin }),
  recent: arr(obj({ seq: fin, latencyMs: num, preview: str }), 1000),
  text: str,
  latencySeries: series,
  framesSeries: series,
  reconnectMarks: arr(num, MAX_SERIES),
  downtimeBands: arr(obj({ from: num, to: optNum }), MAX_SERIES),
  downtime: obj({ count: fin, medianMs: num, lastMs: num, maxMs: num }),
  tokens: obj({ count: fin, ttftMs: num, perSecond: num, gap: summary, totalMs: num }),
  chat: obj({
    sent: fin,
    answered: fin,
    rtt: summary,
    rttSeries: series,
    requests: fin,
    requestBytes: fin,
    sideConnections: fin,
  }),
  poll: nullable(obj({ requests: fin, requestsPerFrame: num, headerBytesPerFrame: num })),
  cancel: nullable(obj({ lastFrameMs: num, framesAfter: fin })),
  kind: laneKind,
  state: oneOf(['idle', 'connecting', 'open', 'reconnecting', 'closed'] as const),
  closeReason,
  lastSeq: fin,
  rttMs: optNum,
  reconnect: nullable(
    obj({
      attempts: fin,
      nextAttemptAt: optNum,
      nextDelayMs: optNum,
      lastClose: nullable(obj({ code: fin, reason: str })),
    }),
  ),
  retryMs: optNum,
  attempt: fin,
  serverStop: nullable(obj({ ms: num, framesAfterStop: fin, reason: nullable(str) })),
  // Absent in files from before the slow consumer: none.
  consumer: (v, path) => (v === undefined || v === null ? null : obj({ costMs: fin, queued: fin, maxQueued: fin })(v, path)),
});

const frameRow: Decoder<FrameRow> = (v, path) => {
  if (!Array.isArray(v) || (v.length !== 5 && v.length !== 6)) throw new Bad(path, '[seq, sentAt, receivedAt, bytes, kind] or with data');
  const row: [number, number, number, number, string] = [
    fin(v[0], `${path}[0]`),
    fin(v[1], `${path}[1]`),
    fin(v[2], `${path}[2]`),
    fin(v[3], `${path}[3]`),
    str(v[4], `${path}[4]`),
  ];
  return v.length === 6 ? [...row, str(v[5], `${path}[5]`)] : row;
};

const journalEvent: Decoder<JournalEvent> = (v, path) => {
  const r = rec(v, path);
  const op = oneOf(['snapshot', 'poll', 'chat-sent', 'reply', 'cancel', 'disconnect', 'reconnect', 'error'] as const)(r.op, `${path}.op`);
  const after = fin(r.after, `${path}.after`);
  const n = (name: string) => fin(r[name], `${path}.${name}`);
  switch (op) {
    case 'snapshot':
      return { op, after, now: n('now') };
    case 'poll':
      return { op, after, requestHeadBytes: n('requestHeadBytes'), responseHeadBytes: n('responseHeadBytes') };
    case 'chat-sent':
      return { op, after, bytes: n('bytes'), connection: optNum(r.connection, `${path}.connection`) };
    case 'reply':
      return { op, after, at: n('at'), sentAt: n('sentAt') };
    case 'cancel':
    case 'disconnect':
    case 'reconnect':
      return { op, after, at: n('at') };
    case 'error':
      return { op, after, issue: transportIssue(r.issue, `${path}.issue`) };
  }
};

const lane: Decoder<RunFileLane> = obj<RunFileLane>({
  kind: laneKind,
  view: laneView,
  recording: obj({
    complete: bool,
    framesSeen: fin,
    eventsSeen: fin,
    frames: arr(frameRow, MAX_RECORDED_FRAMES_PER_LANE),
    events: arr(journalEvent, MAX_RECORDED_EVENTS_PER_LANE),
  }),
});

const runLogEntry: Decoder<RunLogEntry> = (v, path) => rec(v, path);

/** Everything after format and version, for version 1. */
const body = obj<Omit<RunFile, 'format' | 'version'>>({
  exportedAt: (v, path) => {
    const s = str(v, path);
    if (Number.isNaN(Date.parse(s))) throw new Bad(path, 'a date');
    return s;
  },
  environment: obj({
    labVersion: str,
    browser: str,
    mode: oneOf(['mock', 'live'] as const),
    server: obj({ origin: str, protocol: nullable(str), version: nullable(str) }),
  }),
  settings: obj({
    scenario: str,
    params: (v, path) => {
      const r = rec(v, path);
      const out: Record<string, number> = {};
      for (const [name, value] of Object.entries(r)) out[name] = fin(value, `${path}.${name}`);
      return out;
    },
    options: obj({ retry: fin, flakyFrames: fin, flakyMs: fin }),
    backoff: obj({ baseMs: fin, capMs: fin, maxAttempts: fin }),
    lanes: arr(laneKind, laneKinds.length),
    fetchResume: bool,
    format: str,
    api: str,
  }),
  run: obj({ runId: str, startedAt: fin, elapsedS: num, finished: bool }),
  lanes: arr(lane, laneKinds.length),
  runLog: arr(runLogEntry, MAX_RUN_LOG_ENTRIES),
});

/** How the replayed lane differs from the view the file says it showed, or null when it does not. */
export function checkLane(startedAt: number, fileLane: RunFileLane): string | null {
  const { recording, view } = fileLane;
  if (recording.frames.length > recording.framesSeen || recording.events.length > recording.eventsSeen) return 'recording.framesSeen';
  const complete = recording.frames.length === recording.framesSeen && recording.events.length === recording.eventsSeen;
  if (recording.complete !== complete) return 'recording.complete';
  if (!complete) return null;
  const replayed = replayLane(startedAt, journalFrames(recording.frames), recording.events);
  if (!replayed) return 'recording.events';
  const rebuilt: LaneView = { ...view, ...replayed, lastError: replayed.lastError === null ? null : issueText(replayed.lastError) };
  return firstDifference(rebuilt, view);
}

/** The file's text, already known to be at most MAX_RUN_FILE_BYTES. */
export function readRunFileText(text: string): ReadResult {
  const parsed = parseJsonBounded(text, MAX_JSON_DEPTH);
  if (!parsed.ok) {
    return {
      ok: false,
      reason: localText(parsed.error.includes('deeper') ? 'runFile.error.tooDeep' : 'runFile.error.notJson', { depth: MAX_JSON_DEPTH }),
    };
  }
  const root = parsed.value;
  if (!isRecord(root) || root.format !== RUN_FILE_FORMAT) {
    const format = isRecord(root) && typeof root.format === 'string' ? root.format.slice(0, 80) : '—';
    return { ok: false, reason: localText('runFile.error.foreign', { format, expected: RUN_FILE_FORMAT }) };
  }
  if (typeof root.version !== 'number' || !Number.isInteger(root.version) || root.version < 1) {
    return { ok: false, reason: localText('runFile.error.damaged', { path: 'version', expected: 'a whole number from 1' }) };
  }
  if (root.version > RUN_FILE_VERSION) {
    return { ok: false, reason: localText('runFile.error.newer', { version: root.version, supported: RUN_FILE_VERSION }) };
  }
  let decoded: Omit<RunFile, 'format' | 'version'>;
  try {
    decoded = body(root, 'file');
  } catch (error) {
    if (error instanceof Bad) return { ok: false, reason: localText('runFile.error.damaged', { path: error.path, expected: error.expected }) };
    throw error;
  }
  const kinds = new Set<TransportKind>();
  for (const [i, fileLane] of decoded.lanes.entries()) {
    if (kinds.has(fileLane.kind) || fileLane.view.kind !== fileLane.kind) {
      return { ok: false, reason: localText('runFile.error.damaged', { path: `file.lanes[${i}].kind`, expected: 'one lane of each kind' }) };
    }
    kinds.add(fileLane.kind);
    const difference = checkLane(decoded.run.startedAt, fileLane);
    if (difference) {
      return { ok: false, reason: localText('runFile.error.inconsistent', { lane: fileLane.kind, path: difference }) };
    }
  }
  return { ok: true, file: { format: RUN_FILE_FORMAT, version: RUN_FILE_VERSION, ...decoded } };
}

/** A file the user picked or dropped: its size first (never read past the cap), then its text. */
export async function readRunFile(file: Pick<File, 'size' | 'text'>): Promise<ReadResult> {
  if (file.size > MAX_RUN_FILE_BYTES) {
    return {
      ok: false,
      reason: localText('runFile.error.tooLarge', {
        size: (file.size / 1024 / 1024).toFixed(1),
        max: MAX_RUN_FILE_BYTES / 1024 / 1024,
      }),
    };
  }
  let text: string;
  try {
    text = await file.text();
  } catch (error) {
    return { ok: false, reason: localText('runFile.error.unreadable', { error: error instanceof Error ? error.message : String(error) }) };
  }
  return readRunFileText(text);
}
