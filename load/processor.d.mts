/** Types of processor.mjs for the lab's own tests (Artillery loads the .mjs as it is). */

/** What Artillery hands a processor function to report metrics and errors. */
export interface MetricEvents {
  emit(type: 'counter' | 'histogram' | 'error', name: string, value?: number): unknown;
}

/** The part of an Artillery context these functions read and write. */
export interface ProcessorContext {
  vars: Record<string, unknown>;
  /** The ws engine's socket (a `ws` WebSocket), for wsStream. */
  ws?: unknown;
}

export function sseStream(context: ProcessorContext, events: MetricEvents): Promise<void>;
export function wsConnect(wsArgs: { target?: string }, context: ProcessorContext, done: (err?: unknown) => void): void;
export function wsStream(context: ProcessorContext, events: MetricEvents): Promise<void>;

export class SeqTracker {
  highest: number;
  delivered: number;
  duplicated: number;
  reordered: number;
  record(seq: number): void;
  lost(total: number | null): number;
}

export type ReadMessage = { type: 'frame'; seq: number; t: number } | { type: 'done'; total: number } | { type: string };
export function readMessage(data: string | Uint8Array): ReadMessage;
