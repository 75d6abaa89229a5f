/**
 * The connection-limit demo without React: opens N EventSources and N WebSockets to long-lived Live
 * streams, then a same-origin fetch probe, and watches each one's state. Over HTTP/1.1 a browser keeps
 * at most 6 connections per origin, and EventSource and fetch share them (WebSocket has its own pool),
 * so the 7th EventSource and the probe wait; over HTTP/2 they all share one multiplexed connection.
 *
 * Event-driven: state changes only on open / error / close and on the settle timer, never per message
 * (nothing here listens to messages at all). The browser APIs come in through `LimitDeps`, so the
 * settling and counting run in Node tests with fakes.
 */

export const MIN_STREAMS = 1;
export const MAX_STREAMS = 12;
export const DEFAULT_STREAMS = 8;
/** How long nothing may change before the counts are final (and before the fetch probe is sent). */
export const SETTLE_MS = 1_500;

export type ConnState = 'pending' | 'open' | 'error' | 'closed';

export interface ConnCell {
  state: ConnState;
  /** ms from the start of the run to the first `open`; null until then. */
  openMs: number | null;
}

export type ProbeState = 'idle' | 'pending' | 'answered' | 'failed';

export interface ProbeStatus {
  state: ProbeState;
  /** `deps.now()` when the probe was sent. */
  startedAt: number | null;
  /** answered / failed: how long it took; null before that (the panel counts a pending probe itself). */
  ms: number | null;
}

/** What a run found, frozen when it settled. */
export interface ConnectionLimitResult {
  /** The page's `nextHopProtocol`: 'http/1.1', 'h2', 'h3'… ('' when the browser does not say). */
  protocol: string;
  requested: number;
  sseOpen: number;
  ssePending: number;
  wsOpen: number;
  wsPending: number;
  /** `ms`: answered / failed in that long, or pending for that long when the run settled. */
  fetchProbe: { state: 'pending' | 'answered' | 'failed'; ms: number | null };
  /** Wall clock (ms since the epoch) when the run settled. */
  finishedAt: number;
}

export type LimitPhase = 'idle' | 'opening' | 'probing' | 'settled' | 'closed';

export interface ConnectionLimitState {
  /** opening: connections going up; probing: they were stable, the fetch probe is out; settled: result is final. */
  phase: LimitPhase;
  protocol: string;
  requested: number;
  sse: readonly ConnCell[];
  ws: readonly ConnCell[];
  probe: ProbeStatus;
  /** `deps.now()` at the start of the run. */
  startedAt: number | null;
  result: ConnectionLimitResult | null;
}

export interface LimitSocket {
  close(): void;
}

export interface EventSourceHandlers {
  open(): void;
  /** `closedForGood`: readyState CLOSED (the browser gave up); otherwise it is reconnecting. */
  error(closedForGood: boolean): void;
}

export interface WebSocketHandlers {
  open(): void;
  error(): void;
  close(): void;
}

export interface LimitDeps {
  /** A monotonic clock in ms (performance.now()). */
  now(): number;
  /** The wall clock in ms since the epoch. */
  epochNow(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
  /** The page's protocol to its origin. */
  protocol(): string;
  openEventSource(url: string, on: EventSourceHandlers): LimitSocket;
  openWebSocket(url: string, on: WebSocketHandlers): LimitSocket;
  /** Resolves true when the server answered 2xx, false for another status; rejects on a network error or abort. */
  probe(url: string, signal: AbortSignal): Promise<boolean>;
  /** Runs before any connection opens (the page stops its mock worker here). */
  beforeRun?(): Promise<void>;
}

export type StreamCountCheck = { ok: true; value: number } | { ok: false; value: string };

/** Whether `raw` is a whole number of streams from MIN_STREAMS to MAX_STREAMS. */
export function checkStreamCount(raw: string | number): StreamCountCheck {
  const text = String(raw).trim();
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < MIN_STREAMS || value > MAX_STREAMS) return { ok: false, value: text };
  return { ok: true, value };
}

export interface CellCounts {
  pending: number;
  open: number;
  error: number;
  closed: number;
}

export function countCells(cells: readonly ConnCell[]): CellCounts {
  const counts: CellCounts = { pending: 0, open: 0, error: 0, closed: 0 };
  for (const cell of cells) counts[cell.state]++;
  return counts;
}

/** The frozen result of a run in `state` at `epoch`; a pending probe reports how long it has waited. */
export function buildResult(state: ConnectionLimitState, now: number, epoch: number): ConnectionLimitResult {
  const sse = countCells(state.sse);
  const ws = countCells(state.ws);
  const probe = state.probe;
  const fetchProbe: ConnectionLimitResult['fetchProbe'] =
    probe.state === 'answered' || probe.state === 'failed'
      ? { state: probe.state, ms: probe.ms }
      : { state: 'pending', ms: probe.startedAt === null ? null : Math.max(0, now - probe.startedAt) };
  return {
    protocol: state.protocol,
    requested: state.requested,
    sseOpen: sse.open,
    ssePending: sse.pending,
    wsOpen: ws.open,
    wsPending: ws.pending,
    fetchProbe,
    finishedAt: epoch,
  };
}

export function idleState(protocol: string): ConnectionLimitState {
  return {
    phase: 'idle',
    protocol,
    requested: 0,
    sse: [],
    ws: [],
    probe: { state: 'idle', startedAt: null, ms: null },
    startedAt: null,
    result: null,
  };
}

function wsOrigin(origin: string): string {
  return origin.replace(/^http/, 'ws');
}

/** The long-lived Live streams: headers at once, then one small frame a second until closed. */
export function limitUrls(origin: string, runId: string, index: number): { sse: string; ws: string } {
  const query = `scenario=ticker&rate=1&size=16&count=0&run=${runId}&conn=${index + 1}`;
  return { sse: `${origin}/api/sse?${query}`, ws: `${wsOrigin(origin)}/api/ws?${query}` };
}

interface ActiveRun {
  id: string;
  sockets: LimitSocket[];
  abort: AbortController;
  timer: unknown;
  resolve(result: ConnectionLimitResult): void;
}

let runCounter = 0;

export class ConnectionLimitController {
  private state: ConnectionLimitState;
  private readonly listeners = new Set<() => void>();
  private active: ActiveRun | null = null;
  /** The run whose probe the state shows: the active one, or the last one after Close all. */
  private probeOwner: ActiveRun | null = null;
  private generation = 0;

  constructor(
    private readonly deps: LimitDeps,
    private readonly origin: string,
    private readonly settleMs = SETTLE_MS,
  ) {
    this.state = idleState(deps.protocol());
  }

  readonly getState = (): ConnectionLimitState => this.state;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /**
   * Opens `n` EventSources and `n` WebSockets (closing a previous run first) and resolves with the
   * result once it settles. Throws a RangeError when `n` is not a whole number from 1 to 12.
   */
  async run(n: number): Promise<ConnectionLimitResult> {
    const checked = checkStreamCount(n);
    if (!checked.ok) {
      throw new RangeError(`streams of each kind must be a whole number from ${MIN_STREAMS} to ${MAX_STREAMS}; got ${String(n)}`);
    }
    this.stop(true);
    const generation = ++this.generation;
    await this.deps.beforeRun?.();
    if (generation !== this.generation) throw new Error('the run was closed before it started');

    const count = checked.value;
    const id = `limit-${Date.now().toString(36)}-${++runCounter}`;
    const pending = (): ConnCell[] => Array.from({ length: count }, () => ({ state: 'pending', openMs: null }));
    const startedAt = this.deps.now();
    this.set({
      phase: 'opening',
      protocol: this.deps.protocol(),
      requested: count,
      sse: pending(),
      ws: pending(),
      probe: { state: 'idle', startedAt: null, ms: null },
      startedAt,
      result: null,
    });

    return new Promise<ConnectionLimitResult>((resolve) => {
      const active: ActiveRun = { id, sockets: [], abort: new AbortController(), timer: null, resolve };
      this.active = active;
      const live = () => this.active === active;
      const sinceStart = () => Math.round((this.deps.now() - startedAt) * 10) / 10;

      for (let i = 0; i < count; i++) {
        const urls = limitUrls(this.origin, id, i);
        active.sockets.push(
          this.deps.openEventSource(urls.sse, {
            open: () => {
              if (live()) this.updateCell('sse', i, (c) => ({ state: 'open', openMs: c.openMs ?? sinceStart() }));
            },
            error: (closedForGood) => {
              if (!live()) return;
              this.updateCell('sse', i, (c) => ({ ...c, state: closedForGood ? 'error' : 'pending' }));
            },
          }),
        );
      }
      for (let i = 0; i < count; i++) {
        const urls = limitUrls(this.origin, id, i);
        active.sockets.push(
          this.deps.openWebSocket(urls.ws, {
            open: () => {
              if (live()) this.updateCell('ws', i, (c) => ({ state: 'open', openMs: c.openMs ?? sinceStart() }));
            },
            error: () => {
              if (live()) this.updateCell('ws', i, (c) => ({ ...c, state: 'error' }));
            },
            close: () => {
              if (live()) this.updateCell('ws', i, (c) => ({ ...c, state: c.state === 'open' ? 'closed' : 'error' }));
            },
          }),
        );
      }
      this.evaluate();
    });
  }

  /** Closes every EventSource and WebSocket of the run; a probe still waiting is left to answer. */
  closeAll(): void {
    this.stop(false);
  }

  /** closeAll, and the probe too (unmount). The controller can run again afterwards. */
  dispose(): void {
    this.stop(true);
  }

  private stop(abortProbe: boolean): void {
    this.generation++;
    if (abortProbe && this.probeOwner) {
      this.probeOwner.abort.abort();
      this.probeOwner = null;
    }
    const active = this.active;
    if (!active) return;
    if (this.state.phase === 'opening' || this.state.phase === 'probing') this.settle();
    this.active = null;
    this.deps.clearTimer(active.timer);
    for (const socket of active.sockets) socket.close();
    const close = (cells: readonly ConnCell[]) =>
      cells.map((c): ConnCell => (c.state === 'error' ? c : { ...c, state: 'closed' }));
    this.set({ ...this.state, phase: 'closed', sse: close(this.state.sse), ws: close(this.state.ws) });
  }

  /** Decides what comes next after any change: send the probe, settle, or wait SETTLE_MS more. */
  private evaluate(): void {
    const active = this.active;
    if (!active) return;
    const { phase } = this.state;
    if (phase !== 'opening' && phase !== 'probing') return;
    this.deps.clearTimer(active.timer);
    active.timer = null;
    if (phase === 'opening') {
      const anyPending = countCells(this.state.sse).pending + countCells(this.state.ws).pending > 0;
      if (!anyPending) this.startProbe(active);
      else active.timer = this.deps.setTimer(() => this.startProbe(active), this.settleMs);
      return;
    }
    if (this.state.probe.state !== 'pending') this.settle();
    else active.timer = this.deps.setTimer(() => this.settle(), this.settleMs);
  }

  private startProbe(active: ActiveRun): void {
    if (this.active !== active || this.state.phase !== 'opening') return;
    active.timer = null;
    const startedAt = this.deps.now();
    this.set({ ...this.state, phase: 'probing', probe: { state: 'pending', startedAt, ms: null } });
    this.sendProbe(active, startedAt);
    this.evaluate();
  }

  private sendProbe(active: ActiveRun, startedAt: number): void {
    this.probeOwner = active;
    const finish = (state: 'answered' | 'failed') => {
      // After Close all the probe still answers (the point of the demo), until the next run.
      if (this.probeOwner !== active) return;
      const ms = Math.round((this.deps.now() - startedAt) * 10) / 10;
      this.set({ ...this.state, probe: { state, startedAt, ms } });
      if (this.active === active) this.evaluate();
    };
    this.deps
      .probe(`${this.origin}/api/info?probe=${active.id}`, active.abort.signal)
      .then((ok) => finish(ok ? 'answered' : 'failed'))
      .catch(() => {
        if (!active.abort.signal.aborted) finish('failed');
      });
  }

  private settle(): void {
    const active = this.active;
    if (!active) return;
    this.deps.clearTimer(active.timer);
    active.timer = null;
    const result = buildResult(this.state, this.deps.now(), this.deps.epochNow());
    this.set({ ...this.state, phase: 'settled', result });
    active.resolve(result);
  }

  private updateCell(kind: 'sse' | 'ws', index: number, next: (cell: ConnCell) => ConnCell): void {
    const cells = this.state[kind];
    const cell = cells[index];
    if (!cell || cell.state === 'closed') return;
    const updated = next(cell);
    if (updated.state === cell.state && updated.openMs === cell.openMs) return;
    const copy = cells.slice();
    copy[index] = updated;
    this.set({ ...this.state, [kind]: copy });
    this.evaluate();
  }

  private set(state: ConnectionLimitState): void {
    this.state = state;
    for (const listener of this.listeners) listener();
  }
}
