/**
 * One lane of a run as CSV (RFC 4180, comma-separated, CRLF line ends): a header, then one row per
 * frame kept, in the order they were received. Stamps are ms since the epoch on the page's clock.
 */
import type { FrameRow, RunFile, RunFileLane } from './run-file-format.ts';

export const CSV_COLUMNS = [
  'seq',
  'kind',
  'sent_at_ms',
  'received_at_ms',
  'latency_ms',
  'received_s_since_start',
  'bytes',
] as const;

/** A field as CSV wants it: quoted when it holds a comma, a quote or a line end. */
function field(value: string | number): string {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function row(frame: FrameRow, startedAt: number): string {
  const [seq, sentAt, receivedAt, bytes, kind] = frame;
  return [seq, kind, sentAt, receivedAt, receivedAt - sentAt, (receivedAt - startedAt) / 1000, bytes].map(field).join(',');
}

export function laneCsv(lane: RunFileLane, startedAt: number): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const frame of lane.recording.frames) lines.push(row(frame, startedAt));
  return `${lines.join('\r\n')}\r\n`;
}

/** `…-websocket.csv` beside the JSON file's name. */
export function laneCsvOf(file: RunFile, lane: RunFileLane): string {
  return laneCsv(lane, file.run.startedAt);
}
