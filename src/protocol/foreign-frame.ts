/**
 * Frames from someone else's server (URL mode): any SSE `data:` or WebSocket message. Pure and
 * isomorphic.
 *
 * A payload that is a JSON object may carry a sequence number and a send time; the field mapping says
 * where (a dotted JSON path each: `seq`, `data.id`, `meta.sentAt`, `items.0.t`). `seq` must be a whole
 * number (a numeric string is taken too: many servers send ids as text); `t` is ms since the epoch (a
 * number, or a numeric string). What is not there, or is not such a value, is `null`: the frame still
 * counts (frames, bytes, rate, inter-arrival time), it only cannot tell latency or loss.
 */
import { nestsDeeperThan } from './json-guard.ts';
import { MAX_JSON_DEPTH } from './limits.ts';

/** Where a payload keeps its sequence number and its send time; '' = nowhere. */
export interface FieldMapping {
  seq: string;
  t: string;
}

/** The mapping a URL names none: the lab's own field names, so a server that sends them just works. */
export const defaultMapping: FieldMapping = { seq: 'seq', t: 't' };

/** What a lane records of a frame: the lab's frames always have seq and t, foreign ones may not. */
export interface LaneFrame {
  type: 'frame';
  seq: number | null;
  t: number | null;
  kind: string;
  data: string;
}

/** The `kind` of every foreign frame (the lab's are tick, token, end, bytes). */
export const FOREIGN_KIND = 'message';

/** A path is dot-separated names (letters, digits, `_`, `-`, `$`); a number indexes an array. */
const PATH = /^[\w$-]+(\.[\w$-]+)*$/;

/** Null when `path` is a usable path (or empty), else why not. */
export function pathError(path: string): string | null {
  if (path === '') return null;
  if (path.length > 200) return 'at most 200 characters';
  return PATH.test(path) ? null : 'names separated by dots, e.g. data.id';
}

/** The value at a dotted path, or undefined. */
export function readPath(value: unknown, path: string): unknown {
  let at: unknown = value;
  for (const name of path.split('.')) {
    if (Array.isArray(at)) {
      if (!/^\d+$/.test(name)) return undefined;
      at = at[Number(name)];
    } else if (typeof at === 'object' && at !== null) {
      if (!Object.prototype.hasOwnProperty.call(at, name)) return undefined;
      at = (at as Record<string, unknown>)[name];
    } else {
      return undefined;
    }
  }
  return at;
}

function asNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return null;
}

/** A sequence number: a whole number ≥ 0 (a server may count from 0). */
export function asSeq(value: unknown): number | null {
  const n = asNumber(value);
  return n !== null && Number.isSafeInteger(n) && n >= 0 ? n : null;
}

/** A send time: ms since the epoch, after 2001-09-09 (1e12) and before 2286 (1e13): seconds are not ms. */
export function asEpochMs(value: unknown): number | null {
  const n = asNumber(value);
  return n !== null && n >= 1e12 && n < 1e13 ? n : null;
}

/** Reads one foreign text payload. Never throws; anything that is not a JSON object has no seq and no t. */
export function decodeForeign(data: string, mapping: FieldMapping): LaneFrame {
  const frame: LaneFrame = { type: 'frame', seq: null, t: null, kind: FOREIGN_KIND, data };
  if (mapping.seq === '' && mapping.t === '') return frame;
  const first = data.trimStart().charCodeAt(0);
  // Only an object or an array can hold a path; skip the parse for everything else.
  if (first !== 0x7b && first !== 0x5b) return frame;
  if (nestsDeeperThan(data, MAX_JSON_DEPTH)) return frame;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return frame;
  }
  if (mapping.seq !== '') frame.seq = asSeq(readPath(value, mapping.seq));
  if (mapping.t !== '') frame.t = asEpochMs(readPath(value, mapping.t));
  return frame;
}

/** A binary WebSocket message: counted, never mapped. */
export function binaryForeign(byteLength: number): LaneFrame {
  return { type: 'frame', seq: null, t: null, kind: FOREIGN_KIND, data: `<${byteLength} bytes of binary>` };
}
