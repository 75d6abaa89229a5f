/**
 * Plays a served stream's schedule onto its connection: every frame is counted and logged (its seq,
 * its bytes), flaky frames cut the connection after the N-th, and the stream is logged complete when
 * the schedule ends. The adapter (Live, Mock; SSE, WebSocket) says only how a payload is written.
 */
import { preciseNow, type Frame } from '../protocol/frame.ts';
import type { FrameBudget } from '../protocol/frame-budget.ts';
import { play, type Player, type Timers } from '../protocol/player.ts';
import { stepFrames } from '../protocol/agent.ts';
import { createSchedule, delayedBy, untilSeq, type Schedule } from '../protocol/schedule.ts';
import { StreamLog } from '../protocol/stream-log.ts';
import type { EncodedFrame } from './frame-writers.ts';
import type { ServedStream } from './served-streams.ts';
import type { StreamRequest } from './stream-request.ts';

export interface ServedPlay<P> {
  served: ServedStream;
  /** What to play: the scenario, from after which seq. */
  request: Pick<StreamRequest, 'config' | 'after' | 'stopAfter' | 'delayMs'>;
  timers: Timers;
  budget: FrameBudget;
  /** The stream's frame writer (sseFrameWriter, wsFrameMessage). */
  encode(frame: Frame): EncodedFrame<P>;
  /** Hands a frame's payload to the connection; false pauses the player until the adapter resumes it. */
  write(payload: P): boolean;
  /**
   * Writes the last frame this connection may carry (flaky frames) and calls `drop` once it has left.
   * Without it: `write`, then drop at once (the connection keeps what it was handed).
   */
  writeLast?(payload: P, drop: () => void): void;
  /** Bytes the socket has sent so far, where they can be measured (Live, HTTP/1.1). */
  socketBytes?: (() => number) | null;
  /** Bytes the connection holds in the server now, where that can be measured (Live). */
  buffered?: (() => number) | null;
  /** After a frame was written (and counted): e.g. remember the run's resume position. */
  afterWrite?(seq: number): void;
  /** The schedule has ended, logged complete: write the end of the stream. */
  onDone(lastSeq: number): void;
}

/**
 * The frames a request asks for: from after `after`; a POST /api/agent turn only up to its step's
 * tool call, and later by the modelled cost.
 */
function requestSchedule(request: ServedPlay<unknown>['request']): Schedule {
  let schedule: Schedule = createSchedule(request.config, request.after);
  if (request.stopAfter !== undefined) schedule = untilSeq(schedule, request.stopAfter);
  if (request.delayMs !== undefined && request.delayMs > 0) schedule = delayedBy(schedule, request.delayMs);
  return schedule;
}

export function playServed<P>(spec: ServedPlay<P>): Player {
  const { served, encode, write, writeLast, socketBytes, afterWrite, buffered } = spec;
  const record = served.record;
  const { config, stopAfter } = spec.request;
  // An agent loop on one stream (WebSocket, EventSource) holds at each tool call for its result.
  const holds = config.scenario === 'agent' && stopAfter === undefined;
  const player = play({
    schedule: requestSchedule(spec.request),
    holdAfter: holds ? (frame) => frame.kind === 'tool' : undefined,
    timers: spec.timers,
    budget: spec.budget,
    send(frame) {
      served.wrote(frame.seq);
      const { payload, payloadBytes, messageBytes } = encode(frame);
      const socketBefore = socketBytes?.() ?? 0;
      const last = served.flakyCutDue();
      let ok = false;
      if (!last) ok = write(payload);
      else if (writeLast) {
        // The drop comes later: nothing more may be played meanwhile (a resume must not restart it).
        player.stop();
        writeLast(payload, () => served.drop());
      } else write(payload);
      // Only what reached the connection: a write after the stream ended is counted apart.
      if (!served.ended) {
        const socket = socketBytes ? socketBytes() - socketBefore : null;
        StreamLog.wroteBytes(record, payloadBytes, messageBytes, socket);
        if (buffered) StreamLog.buffered(record, buffered());
        // Paused until the adapter resumes it, when the connection has drained.
        if (!ok && !last) StreamLog.paused(record, preciseNow());
      }
      afterWrite?.(frame.seq);
      if (last && !writeLast) served.drop();
      return ok;
    },
    onDone(lastSeq) {
      StreamLog.stop(record, preciseNow(), 'complete');
      spec.onDone(lastSeq);
    },
  });
  if (holds) served.holdWith(player, stepFrames(config.params), config.params.sessionLoadMs);
  return {
    stop: () => player.stop(),
    resume() {
      StreamLog.resumed(record, preciseNow());
      player.resume();
    },
    release: (delayMs) => player.release(delayMs),
    get held() {
      return player.held;
    },
    get lastSeq() {
      return player.lastSeq;
    },
    get stopped() {
      return player.stopped;
    },
  };
}
