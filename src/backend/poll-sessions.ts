/**
 * GET /api/poll: short polling (wait=0) or long polling (wait>0) of a stream that plays on its own
 * into a PollBuffer. The sessions (one per run and scenario) are capped (MAX_POLL_SESSIONS) and one
 * nobody polled for `idleMs` is stopped and forgotten. Timers and clock are injected.
 */
import type { FrameBudget } from '../protocol/frame-budget.ts';
import { parseRun } from '../protocol/faults.ts';
import { quote } from '../protocol/json-guard.ts';
import { MAX_POLL_SESSIONS } from '../protocol/limits.ts';
import type { Timers } from '../protocol/player.ts';
import { PollBuffer, type PollAnswer } from '../protocol/poll-buffer.ts';
import { parseScenarioQuery, scenarioQuery, type ParseResult, type ScenarioConfig, type ScenarioSpec } from '../protocol/scenarios.ts';
import type { LabServerStats } from './counters.ts';
import { parseResume } from './stream-request.ts';

/** The longest a long poll may wait, in ms. */
export const MAX_POLL_WAIT_MS = 30_000;

export interface PollRequest {
  config: ScenarioConfig;
  after: number;
  /** 0: answer at once; otherwise wait up to this long for a frame. */
  wait: number;
  /** The session: one per run and scenario. */
  key: string;
}

export function parsePollQuery(query: URLSearchParams, catalogue: readonly ScenarioSpec[]): ParseResult<PollRequest> {
  const config = parseScenarioQuery(query, catalogue);
  if (!config.ok) return config;
  if (config.value.scenario === 'agent') {
    return { ok: false, error: 'scenario=agent needs a lane that answers tool calls (EventSource, fetch + SSE, WebSocket); polling cannot' };
  }
  const after = parseResume(query.get('after'), 'after');
  if (!after.ok) return after;
  const waitRaw = query.get('wait') ?? '0';
  const wait = /^\d+$/.test(waitRaw) ? Number(waitRaw) : Number.NaN;
  if (!Number.isSafeInteger(wait) || wait > MAX_POLL_WAIT_MS) {
    return { ok: false, error: `wait must be an integer from 0 to ${MAX_POLL_WAIT_MS} (ms); got ${quote(waitRaw)}` };
  }
  const run = parseRun(query.get('run') ?? undefined);
  if (!run.ok) return run;
  const key = `${run.value ?? ''}|${scenarioQuery(config.value)}`;
  return { ok: true, value: { config: config.value, after: after.value, wait, key } };
}

export interface PollSessionOptions {
  idleMs?: number;
  max?: number;
  now?: () => number;
  /** The server's shared frame budget: polled streams queue with the others, so they cannot starve requests. */
  budget?: FrameBudget;
}

export class PollSessions {
  readonly idleMs: number;
  readonly max: number;
  private readonly now: () => number;
  private readonly budget: FrameBudget | undefined;
  private readonly sessions = new Map<string, { buffer: PollBuffer; idle: unknown }>();

  constructor(
    private readonly counters: LabServerStats,
    private readonly timers: Timers,
    options: PollSessionOptions = {},
  ) {
    this.idleMs = options.idleMs ?? 15_000;
    this.max = options.max ?? MAX_POLL_SESSIONS;
    this.now = options.now ?? Date.now;
    this.budget = options.budget;
  }

  /** The session's buffer (started if new, marked used), or null when MAX_POLL_SESSIONS play already. */
  session(key: string, config: ScenarioConfig): PollBuffer | null {
    let session = this.sessions.get(key);
    if (!session) {
      if (this.sessions.size >= this.max) return null;
      const buffer = new PollBuffer(config, this.now(), this.timers, this.budget);
      const entry: { buffer: PollBuffer; idle: unknown } = { buffer, idle: null };
      const armIdle = () => {
        entry.idle = this.timers.setTimeout(() => {
          entry.idle = null;
          if (this.now() - buffer.lastUsed >= this.idleMs - 5) {
            buffer.stop();
            this.sessions.delete(key);
            this.counters.pollStreams--;
          } else armIdle();
        }, this.idleMs);
      };
      armIdle();
      this.sessions.set(key, entry);
      this.counters.pollStreams++;
      session = entry;
    }
    session.buffer.lastUsed = this.now();
    return session.buffer;
  }

  /** The 503 for a poll past MAX_POLL_SESSIONS (counted as limited). */
  refusal(): { status: 503; error: string; headers: Record<string, string> } {
    this.counters.limited++;
    return {
      status: 503,
      error: `the server is playing ${this.max} polled streams, its limit (MAX_POLL_SESSIONS); an idle one ends after ${this.idleMs} ms`,
      headers: { 'Retry-After': String(Math.ceil(this.idleMs / 1000)) },
    };
  }

  /** One poll's answer: what arrived after `after` (counted, and the session marked used). */
  take(buffer: PollBuffer, after: number): PollAnswer {
    this.counters.polls++;
    buffer.lastUsed = this.now();
    return buffer.take(after);
  }

  /**
   * Waits for a poll's answer: `deliver` is called exactly once, whichever comes first of a frame after
   * `after` or the end of `wait` ms (at once for wait=0), unless the returned cancel (the client
   * left) comes first.
   */
  await(buffer: PollBuffer, after: number, wait: number, deliver: () => void): () => void {
    let answered = false;
    let timer: unknown = null;
    let cancelWait = () => {};
    const settle = () => {
      if (answered) return false;
      answered = true;
      cancelWait();
      if (timer !== null) this.timers.clearTimeout(timer);
      timer = null;
      return true;
    };
    const answer = () => {
      if (settle()) deliver();
    };
    if (wait === 0) {
      answer();
      return () => {};
    }
    timer = this.timers.setTimeout(() => {
      timer = null;
      answer();
    }, wait);
    cancelWait = buffer.wait(after, answer);
    return () => void settle();
  }

  /** Stops and forgets every session. */
  closeAll(): void {
    for (const key of [...this.sessions.keys()]) this.closeSession(key);
  }

  /** Stops and forgets a run's sessions (the mock's POST /api/mock/stop-run); returns how many. */
  closeRun(run: string): number {
    const keys = [...this.sessions.keys()].filter((key) => key.startsWith(`${run}|`));
    for (const key of keys) this.closeSession(key);
    return keys.length;
  }

  private closeSession(key: string): void {
    const session = this.sessions.get(key);
    if (session === undefined) return;
    session.buffer.stop();
    if (session.idle !== null) this.timers.clearTimeout(session.idle);
    this.sessions.delete(key);
    this.counters.pollStreams--;
  }
}
