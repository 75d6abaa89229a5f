/**
 * The control endpoints' decisions: fault application (POST /api/faults), the run log query
 * (GET /api/runs) and the memory probe's one-at-a-time cooldown (GET /api/memory).
 */
import { RUN_ID_PATTERN, type Fault, type FaultBook } from '../protocol/faults.ts';
import { MAX_RUN_LOG_ANSWER_BYTES, MEMORY_PROBE_COOLDOWN_MS } from '../protocol/limits.ts';
import { parseParam, type ParamSpec, type ParseResult } from '../protocol/scenarios.ts';
import type { StreamLog, StreamRecord } from '../protocol/stream-log.ts';
import type { LabServerStats } from './counters.ts';
import type { ServedStreams } from './served-streams.ts';

/** Records an outage or armed error, drops what a drop or outage targets now; the answer. */
export function applyFault(faults: FaultBook, streams: ServedStreams, fault: Fault, now: number): Record<string, unknown> {
  faults.apply(fault, now);
  switch (fault.action) {
    case 'drop':
      return { ok: true, dropped: streams.dropMatching(fault.target, fault.run) };
    case 'outage':
      return { ok: true, dropped: streams.dropMatching(fault.target, fault.run), until: now + fault.ms };
    default:
      return { ok: true };
  }
}

export const runLogFromSpec: ParamSpec = {
  name: 'from',
  label: 'From record',
  unit: '',
  min: 0,
  max: Number.MAX_SAFE_INTEGER,
  default: 0,
  description: 'Only the records numbered this or later (a poll resumes from its oldest open record).',
};

/** GET /api/runs?run=<id>[&from=<record id>] */
export function parseRunsQuery(query: URLSearchParams): ParseResult<{ run: string; from: number }> {
  const run = query.get('run');
  if (!run || !RUN_ID_PATTERN.test(run)) {
    return {
      ok: false,
      error: 'run is required: GET /api/runs?run=<the run id of the streams: 1 to 64 letters, digits, "-", "_" or ".">',
    };
  }
  const from = parseParam(runLogFromSpec, query.get('from') ?? undefined);
  if (!from.ok) return from;
  return { ok: true, value: { run, from: from.value } };
}

/** A run's records from `from` on, at most MAX_RUN_LOG_ANSWER_BYTES; `next` is the `from` of the rest (null: none). */
export function runLogPage(
  log: StreamLog,
  { run, from }: { run: string; from: number },
): { run: string; streams: StreamRecord[]; next: number | null } {
  return { run, ...log.pageForRun(run, from, MAX_RUN_LOG_ANSWER_BYTES) };
}

export const memoryConnectionsSpec: ParamSpec = {
  name: 'n',
  label: 'Connections',
  unit: '',
  min: 10,
  max: 1000,
  default: 200,
  description: 'Streams of each kind the probe opens.',
};

export type ProbeRefusal = { status: 409 | 429; error: string; headers?: Record<string, string> };

/**
 * One memory measurement at a time, and one per cooldown: each collects garbage twice (the server
 * pauses for it), so one every few seconds at most.
 */
export class MemoryProbeGate {
  private probing = false;
  private lastEnd = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly counters: LabServerStats,
    readonly cooldownMs: number = MEMORY_PROBE_COOLDOWN_MS,
  ) {}

  /** Starts a measurement (call `end` when it is over), or says why not (a cooldown refusal is counted). */
  begin(now: number): ProbeRefusal | null {
    if (this.probing) {
      return { status: 409, error: 'a memory measurement is already running; try again in a few seconds' };
    }
    const wait = this.lastEnd + this.cooldownMs - now;
    if (wait > 0) {
      this.counters.limited++;
      return {
        status: 429,
        error: `one memory measurement per ${this.cooldownMs} ms (MEMORY_PROBE_COOLDOWN_MS); try again in ${Math.ceil(wait)} ms`,
        headers: { 'Retry-After': String(Math.ceil(wait / 1000)) },
      };
    }
    this.probing = true;
    return null;
  }

  end(now: number): void {
    this.probing = false;
    this.lastEnd = now;
  }
}
