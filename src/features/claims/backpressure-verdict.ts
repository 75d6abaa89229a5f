/**
 * The verdict for the claim "backpressure: WebSocket queues in the page, WebSocketStream pushes back",
 * from one run with the slow consumer on and both lanes in it. Pure: lanes and numbers in, a verdict
 * and the values behind it out (codes, not words: the claims table words them).
 *
 * What counts, per lane:
 * - the queue the page held (frames received, not yet handled): a push API's grows, a pull API holds
 *   at most what one read gave it;
 * - how latency moves in the second half of the run (least-squares slope, ms per s): a page that falls
 *   behind a push API sees it climb by (1 − handled/arrived) every second; behind a pull API it stops
 *   growing once the buffers between the sender and the page are full (its sawtooth averages out);
 * - from the server's run log, the time the sender spent paused: the queue moved to the sender.
 *
 * Rules, in order: nothing to judge (no slow consumer, too few frames or points) → unmeasured; the
 * WebSocket page queue stayed short → depends ('kept-up': the page kept up, nothing to push back);
 * the WebSocketStream page held a queue → refuted ('wss-queued'); WebSocketStream latency still
 * climbing → depends ('buffers-filling': the buffers on the way were still filling, run longer);
 * WebSocket latency not climbing → depends ('ws-steady'); no sender log → depends ('no-sender-log');
 * sender never paused → refuted ('sender-never-paused'); otherwise supported.
 */
import type { Verdict } from './claims.ts';

export interface BackpressurePoint {
  /** Seconds since the run started. */
  x: number;
  /** Latency, ms. */
  y: number;
}

export interface BackpressureLane {
  /** The slow consumer's cost per frame (0: none). */
  consumeMs: number;
  frames: number;
  /** The most frames the page held received but not yet handled. */
  maxQueued: number;
  /** Latency over time (the lane's chart series). */
  latencySeries: readonly BackpressurePoint[];
  /** From the server's run log; null when the log has no figure for the lane. */
  senderPausedMs: number | null;
}

export interface BackpressureEvidence {
  websocket: BackpressureLane;
  websocketStream: BackpressureLane;
}

/** Frames each lane needs before anything is judged. */
export const MIN_FRAMES = 50;
/** Latency points (in the second half of the run) a slope needs. */
export const MIN_POINTS = 6;
/** A page queue shorter than this is a page that kept up. */
export const QUEUE_FORMED = 10;
/** A pull reader holds one read's worth: more than this is a queue in the page. */
export const PULL_QUEUE_MAX = 2;
/** Latency climbing at least this fast (ms per s of run: 10 % of the time) is a page falling behind. */
export const CLIMB_MS_PER_S = 100;

export type BackpressureWhy =
  | 'supported'
  | 'kept-up'
  | 'wss-queued'
  | 'buffers-filling'
  | 'ws-steady'
  | 'no-sender-log'
  | 'sender-never-paused';

export interface BackpressureJudgement {
  verdict: Verdict;
  why: BackpressureWhy;
  values: {
    wsQueue: number;
    wssQueue: number;
    /** Latency slope in the second half of the run, ms per s. */
    wsSlope: number;
    wssSlope: number;
    senderPausedMs: number | null;
  };
}

/** Least-squares slope (y per x) of the points in the second half of the series' x range; NaN if too few. */
export function secondHalfSlope(series: readonly BackpressurePoint[]): number {
  if (series.length === 0) return Number.NaN;
  const first = series[0].x;
  const last = series[series.length - 1].x;
  const from = first + (last - first) / 2;
  const points = series.filter((p) => p.x >= from && Number.isFinite(p.y));
  if (points.length < MIN_POINTS) return Number.NaN;
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const p of points) {
    sxy += (p.x - mx) * (p.y - my);
    sxx += (p.x - mx) ** 2;
  }
  return sxx === 0 ? Number.NaN : sxy / sxx;
}

/** Null while there is nothing to judge. */
export function judgeBackpressure(evidence: BackpressureEvidence | null): BackpressureJudgement | null {
  if (!evidence) return null;
  const { websocket: ws, websocketStream: wss } = evidence;
  if (ws.consumeMs <= 0 || wss.consumeMs <= 0) return null;
  if (ws.frames < MIN_FRAMES || wss.frames < MIN_FRAMES) return null;
  const wsSlope = secondHalfSlope(ws.latencySeries);
  const wssSlope = secondHalfSlope(wss.latencySeries);
  if (!Number.isFinite(wsSlope) || !Number.isFinite(wssSlope)) return null;
  const values = { wsQueue: ws.maxQueued, wssQueue: wss.maxQueued, wsSlope, wssSlope, senderPausedMs: wss.senderPausedMs };
  const judged = (verdict: Verdict, why: BackpressureWhy): BackpressureJudgement => ({ verdict, why, values });

  if (ws.maxQueued < QUEUE_FORMED) return judged('depends', 'kept-up');
  if (wss.maxQueued > PULL_QUEUE_MAX) return judged('refuted', 'wss-queued');
  if (wssSlope >= CLIMB_MS_PER_S) return judged('depends', 'buffers-filling');
  if (wsSlope < CLIMB_MS_PER_S) return judged('depends', 'ws-steady');
  if (wss.senderPausedMs === null) return judged('depends', 'no-sender-log');
  if (wss.senderPausedMs <= 0) return judged('refuted', 'sender-never-paused');
  return judged('supported', 'supported');
}

/** The evidence from a run's lanes as the page shows them (with their sender figures), or null. */
export function backpressureEvidence(
  lanes: readonly {
    kind: string;
    frames: number;
    latencySeries: readonly BackpressurePoint[];
    consumer: { costMs: number; maxQueued: number } | null;
    sender?: { pausedMs: number } | null;
  }[],
): BackpressureEvidence | null {
  const lane = (kind: string): BackpressureLane | null => {
    const l = lanes.find((x) => x.kind === kind);
    if (!l) return null;
    return {
      consumeMs: l.consumer?.costMs ?? 0,
      frames: l.frames,
      maxQueued: l.consumer?.maxQueued ?? 0,
      latencySeries: l.latencySeries,
      senderPausedMs: l.sender ? l.sender.pausedMs : null,
    };
  };
  const websocket = lane('websocket');
  const websocketStream = lane('websocket-stream');
  return websocket && websocketStream ? { websocket, websocketStream } : null;
}
