/**
 * Options of a stream that are not the scenario's: how the server paces reconnects and how flaky the
 * connection is. Same parser and error messages as the scenario parameters.
 */
import { parseParam, type ParamSpec, type ParseResult } from './scenarios.ts';

export interface StreamOptions {
  /** `retry:` sent to EventSource, ms. */
  retry: number;
  /** Drop the connection after every N frames on it (0 = never). */
  flakyFrames: number;
  /** Drop the connection every N ms (0 = never). */
  flakyMs: number;
}

export const streamOptionSpecs: readonly ParamSpec[] = [
  {
    name: 'retry',
    label: 'SSE retry',
    unit: 'ms',
    min: 0,
    max: 60_000,
    default: 1_000,
    description: 'The reconnection time the server sends EventSource in its retry: field.',
  },
  {
    name: 'flakyFrames',
    label: 'Drop every',
    unit: 'frames',
    min: 0,
    max: 1_000_000,
    default: 0,
    description: 'The server drops each connection after this many frames on it; 0 never.',
  },
  {
    name: 'flakyMs',
    label: 'Drop every',
    unit: 'ms',
    min: 0,
    max: 600_000,
    default: 0,
    description: 'The server drops each connection this long after it opened; 0 never.',
  },
];

type RawQuery = URLSearchParams | Readonly<Record<string, string | undefined>>;

export function parseStreamOptions(query: RawQuery): ParseResult<StreamOptions> {
  const out: Record<string, number> = {};
  for (const spec of streamOptionSpecs) {
    const raw = query instanceof URLSearchParams ? (query.get(spec.name) ?? undefined) : query[spec.name];
    const parsed = parseParam(spec, raw);
    if (!parsed.ok) return parsed;
    out[spec.name] = parsed.value;
  }
  return { ok: true, value: { retry: out.retry, flakyFrames: out.flakyFrames, flakyMs: out.flakyMs } };
}

export function defaultStreamOptions(): StreamOptions {
  return { retry: 1_000, flakyFrames: 0, flakyMs: 0 };
}
