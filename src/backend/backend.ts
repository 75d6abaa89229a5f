/**
 * One lab backend: the state every adapter shares (counters, faults, run log, served streams, polled
 * sessions, token, memory-probe gate) and the decisions over it. No I/O: the live adapter
 * (src/server/live/) and the mock put it on a wire.
 */
import { FaultBook, type Fault, type StreamTransport } from '../protocol/faults.ts';
import { createFrameBudget, FAIR_FRAMES_PER_TURN, type FrameBudget } from '../protocol/frame-budget.ts';
import type { Timers } from '../protocol/player.ts';
import { DEFAULT_MAX_RATE, maxRateSpec, parseParam, scenarioCatalogue, type ScenarioSpec } from '../protocol/scenarios.ts';
import { StreamLog } from '../protocol/stream-log.ts';
import { countAdmission, decideAdmission, type Admission } from './admission.ts';
import { AgentSessions } from './agent.ts';
import { AuthState } from './auth.ts';
import { applyFault, MemoryProbeGate } from './control.ts';
import { countedTimers, createCounters, openTotal, type LabServerStats } from './counters.ts';
import { labInfo } from './lab-info.ts';
import { PollSessions } from './poll-sessions.ts';
import { ServedStreams } from './served-streams.ts';
import { StreamLimits } from './stream-limits.ts';
import type { StreamRequest } from './stream-request.ts';

export interface BackendOptions {
  version?: string;
  /** `retry:` sent to EventSource when the request names none, in ms. */
  retryMs?: number;
  /** A comment is written to an SSE stream that has been silent this long. */
  heartbeatMs?: number;
  /** When set, POST /api/stream needs `Authorization: Bearer <token>` (POST /api/auth changes it). */
  token?: string | null;
  /** A polled stream nobody has polled for this long is stopped and forgotten. */
  pollIdleMs?: number;
  /** The highest `rate` a ticker or binary stream may ask for, in msg/s (default 20000). */
  maxRate?: number;
  maxStreamsPerAddress?: number;
  maxStreamsTotal?: number;
  maxPollSessions?: number;
  memoryProbeCooldownMs?: number;
  /** Runs `fn` after pending I/O (Node: setImmediate): the frame budget's turn. */
  defer?: (fn: () => void) => void;
  /** The clock's timers (counted in `activeTimers`). */
  timers?: Timers;
}

export interface Backend {
  readonly version: string;
  readonly retryMs: number;
  readonly heartbeatMs: number;
  readonly catalogue: { scenarios: readonly ScenarioSpec[] };
  readonly counters: LabServerStats;
  /** Timers that `activeTimers` counts: every timer of every stream goes through them. */
  readonly timers: Timers;
  /** Shared by every stream's player: together they send at most so many frames, then I/O gets a turn. */
  readonly budget: FrameBudget;
  readonly faults: FaultBook;
  readonly log: StreamLog;
  readonly limits: StreamLimits;
  readonly streams: ServedStreams;
  readonly polls: PollSessions;
  readonly auth: AuthState;
  readonly memory: MemoryProbeGate;
  /** The agent sessions behind `previous_response_id` (POST /api/agent). */
  readonly agents: AgentSessions;
  /** Whether a new stream may open (turned-away streams are counted). */
  admit(transport: StreamTransport, request: StreamRequest, address: string): Admission;
  /** POST /api/faults with a valid fault: its answer. */
  applyFault(fault: Fault): Record<string, unknown>;
  /** GET /api/info */
  info(): ReturnType<typeof labInfo>;
  /** GET /api/stats: a copy of the counters. */
  stats(): LabServerStats;
  /** Stops every polled session and closes every stream. */
  close(): void;
}

export function createBackend(options: BackendOptions = {}): Backend {
  const maxRate = parseParam(maxRateSpec, String(options.maxRate ?? DEFAULT_MAX_RATE));
  if (!maxRate.ok) throw new RangeError(maxRate.error);
  const catalogue = scenarioCatalogue(maxRate.value);
  const counters = createCounters();
  const timers = countedTimers(counters, options.timers);
  const defer = options.defer ?? ((fn: () => void) => void globalThis.setTimeout(fn, 0));
  const budget = createFrameBudget({ perTurn: FAIR_FRAMES_PER_TURN, defer });
  const faults = new FaultBook();
  const log = new StreamLog();
  const limits = new StreamLimits(() => openTotal(counters), {
    perAddress: options.maxStreamsPerAddress,
    total: options.maxStreamsTotal,
  });
  const streams = new ServedStreams(counters, limits, log, timers);
  const polls = new PollSessions(counters, timers, { idleMs: options.pollIdleMs, max: options.maxPollSessions, budget });
  const auth = new AuthState(counters, options.token ?? null);
  const memory = new MemoryProbeGate(counters, options.memoryProbeCooldownMs);
  const agents = new AgentSessions();
  const version = options.version ?? '0.0.0';
  const retryMs = options.retryMs ?? 1000;
  const heartbeatMs = options.heartbeatMs ?? 10_000;

  return {
    version,
    retryMs,
    heartbeatMs,
    catalogue,
    counters,
    timers,
    budget,
    faults,
    log,
    limits,
    streams,
    polls,
    auth,
    memory,
    agents,
    admit(transport, request, address) {
      const admission = decideAdmission({ transport, request, faults, now: Date.now(), limits, address });
      countAdmission(counters, transport, admission);
      return admission;
    },
    applyFault: (fault) => applyFault(faults, streams, fault, Date.now()),
    info: () => labInfo({ version, retryMs, heartbeatMs, authRequired: auth.required, catalogue }),
    stats: () => structuredClone(counters),
    close() {
      polls.closeAll();
      streams.closeAll();
    },
  };
}
