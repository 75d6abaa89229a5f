/** Messages between the page and the run worker (`run-worker.ts`). Plain data: structured-cloneable. */
import type { TransportKind } from '../../transports/transport.ts';
import type { RunConfig, RunSnapshot } from './run-session.ts';
import type { RunRecording } from '../run-file/run-file-format.ts';

export type RunWorkerRequest =
  | { type: 'start'; session: number; config: RunConfig; origin: string }
  | { type: 'stop'; session: number }
  | { type: 'cancel'; session: number }
  | { type: 'reconnect'; session: number; kind: TransportKind }
  /** Asks for the newest snapshot; answered with the same `id`. */
  | { type: 'snapshot'; session: number; id: number }
  /** Asks for a snapshot and every lane's journal, for "Export"; answered with the same `id`. */
  | { type: 'record'; session: number; id: number }
  | { type: 'dispose'; session: number };

export type RunWorkerReply =
  | { type: 'snapshot'; session: number; id: number; snapshot: RunSnapshot | null }
  | { type: 'record'; session: number; id: number; recording: RunRecording | null };
