/**
 * Where a run's transports and lane recorders live, behind one small interface:
 *
 * - `WorkerRunHost` (Live mode): a dedicated Worker owns the RunSession, so every receive stamp and
 *   every per-frame step happens on a thread that React and the charts never block. The page pulls a
 *   snapshot when it wants to draw; frames never cross the thread boundary.
 * - `InlineRunHost` (Mock mode): the RunSession runs on the page. MSW's WebSocket mock (`ws.link`)
 *   patches only the page's own `WebSocket`, and the mocked "server" plays its frames on the page's
 *   main thread anyway, so a worker could not hear it, and would measure nothing truer if it could.
 *
 * Contract: `start` once per host; `snapshot()` resolves with the newest snapshot (null before the
 * session exists); commands after `dispose` are ignored.
 */
import type { TransportKind } from '../../transports/transport.ts';
import type { RunConfig, RunHooks, RunSession, RunSnapshot } from './run-session.ts';
import type { RunWorkerReply, RunWorkerRequest } from './run-worker-protocol.ts';
import type { RunRecording } from '../run-file/run-file-format.ts';

export interface RunHost {
  start(config: RunConfig): void;
  stop(): void;
  cancel(): void;
  reconnect(kind: TransportKind): void;
  snapshot(): Promise<RunSnapshot | null>;
  /** A snapshot and every lane's journal, for a run file (null before the session exists). */
  record(): Promise<RunRecording | null>;
  dispose(): void;
}

export class InlineRunHost implements RunHost {
  private session: RunSession | null = null;

  /** `Session`: the RunSession class, imported when Mock mode first runs (it stays out of the first load). */
  constructor(
    private readonly Session: typeof RunSession,
    private readonly origin: string,
    private readonly hooks: RunHooks,
  ) {}

  start(config: RunConfig): void {
    this.session = new this.Session(config, this.origin, this.hooks);
    this.session.start();
  }

  stop(): void {
    this.session?.stop();
  }

  cancel(): void {
    this.session?.cancel();
  }

  reconnect(kind: TransportKind): void {
    this.session?.reconnect(kind);
  }

  snapshot(): Promise<RunSnapshot | null> {
    return Promise.resolve(this.session?.snapshot() ?? null);
  }

  record(): Promise<RunRecording | null> {
    return Promise.resolve(this.session?.recording() ?? null);
  }

  dispose(): void {
    this.session?.dispose();
    this.session = null;
  }
}

/** One worker per page, started on the first Live run and reused by every later one. */
let sharedWorker: Worker | null = null;
/** Every host on the shared worker gets its own session number; replies for older ones are dropped. */
let sessionCounter = 0;

function runWorker(): Worker {
  sharedWorker ??= new Worker(new URL('./run-worker.ts', import.meta.url), { type: 'module', name: 'lab-run' });
  return sharedWorker;
}

export class WorkerRunHost implements RunHost {
  private readonly worker = runWorker();
  private readonly pending = new Map<number, (reply: RunWorkerReply | null) => void>();
  private nextId = 1;
  private disposed = false;
  private readonly session = ++sessionCounter;

  constructor(private readonly origin: string) {
    this.worker.addEventListener('message', this.onMessage);
  }

  private readonly onMessage = (event: MessageEvent<RunWorkerReply>) => {
    const reply = event.data;
    if (reply.session !== this.session) return;
    const resolve = this.pending.get(reply.id);
    if (!resolve) return;
    this.pending.delete(reply.id);
    resolve(reply);
  };

  private send(request: RunWorkerRequest): void {
    if (!this.disposed) this.worker.postMessage(request);
  }

  start(config: RunConfig): void {
    this.send({ type: 'start', session: this.session, config, origin: this.origin });
  }

  stop(): void {
    this.send({ type: 'stop', session: this.session });
  }

  cancel(): void {
    this.send({ type: 'cancel', session: this.session });
  }

  reconnect(kind: TransportKind): void {
    this.send({ type: 'reconnect', session: this.session, kind });
  }

  /** Sends a request that the worker answers with the same id; null once disposed. */
  private ask(type: 'snapshot' | 'record'): Promise<RunWorkerReply | null> {
    if (this.disposed) return Promise.resolve(null);
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.send({ type, session: this.session, id });
    });
  }

  async snapshot(): Promise<RunSnapshot | null> {
    const reply = await this.ask('snapshot');
    return reply?.type === 'snapshot' ? reply.snapshot : null;
  }

  async record(): Promise<RunRecording | null> {
    const reply = await this.ask('record');
    return reply?.type === 'record' ? reply.recording : null;
  }

  dispose(): void {
    if (this.disposed) return;
    this.send({ type: 'dispose', session: this.session });
    this.disposed = true;
    this.worker.removeEventListener('message', this.onMessage);
    for (const resolve of this.pending.values()) resolve(null);
    this.pending.clear();
  }
}
