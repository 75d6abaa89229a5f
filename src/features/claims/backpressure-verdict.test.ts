import { describe, expect, it } from 'vitest';
import {
  backpressureEvidence,
  judgeBackpressure,
  secondHalfSlope,
  type BackpressureEvidence,
  type BackpressureLane,
  type BackpressurePoint,
} from './backpressure-verdict.ts';

/** A latency series over `seconds`, one point every 0.25 s. */
function series(seconds: number, latencyAt: (s: number) => number): BackpressurePoint[] {
  const points: BackpressurePoint[] = [];
  for (let x = 0; x <= seconds; x += 0.25) points.push({ x, y: latencyAt(x) });
  return points;
}

/** The WebSocket lane of a 16 s run at 100 msg/s with a page that handles 50: the queue and latency climb. */
const climbing: BackpressureLane = {
  consumeMs: 20,
  frames: 800,
  maxQueued: 800,
  latencySeries: series(16, (s) => 500 * s),
  senderPausedMs: 0,
};
/** The WebSocketStream lane of the same run: the buffers fill in 3 s, then a sawtooth around 2.2 s. */
const bounded: BackpressureLane = {
  consumeMs: 20,
  frames: 790,
  maxQueued: 1,
  latencySeries: series(16, (s) => (s < 3 ? 700 * s : 2_000 + 400 * ((s * 2) % 1))),
  senderPausedMs: 11_000,
};
const evidence = (over: Partial<BackpressureLane> = {}, wsOver: Partial<BackpressureLane> = {}): BackpressureEvidence => ({
  websocket: { ...climbing, ...wsOver },
  websocketStream: { ...bounded, ...over },
});

describe('secondHalfSlope', () => {
  it('is the latency growth (ms per s) in the second half of the run; NaN with too few points', () => {
    expect(secondHalfSlope(series(16, (s) => 500 * s))).toBeCloseTo(500, 6);
    expect(Math.abs(secondHalfSlope(bounded.latencySeries))).toBeLessThan(50);
    expect(secondHalfSlope([])).toBeNaN();
    expect(secondHalfSlope(series(1, (s) => s))).toBeNaN();
  });
});

describe('judgeBackpressure', () => {
  it('supported: WebSocket queues in the page and its latency climbs; WebSocketStream holds one frame, stays bounded, and its sender paused', () => {
    expect(judgeBackpressure(evidence())).toMatchObject({
      verdict: 'supported',
      why: 'supported',
      values: { wsQueue: 800, wssQueue: 1, senderPausedMs: 11_000 },
    });
  });

  it('unmeasured without both lanes, without a slow consumer, or with too little data', () => {
    expect(judgeBackpressure(null)).toBeNull();
    expect(judgeBackpressure(evidence({ consumeMs: 0 }, { consumeMs: 0 }))).toBeNull();
    expect(judgeBackpressure(evidence({ frames: 10 }))).toBeNull();
    expect(judgeBackpressure(evidence({ latencySeries: series(1, () => 1) }))).toBeNull();
  });

  it('depends when the page kept up: no queue formed, nothing to push back against', () => {
    const keptUp = { maxQueued: 2, latencySeries: series(16, () => 3) };
    expect(judgeBackpressure(evidence({ senderPausedMs: 0 }, keptUp))?.why).toBe('kept-up');
  });

  it('refuted when the WebSocketStream page held a queue of its own', () => {
    expect(judgeBackpressure(evidence({ maxQueued: 40 }))).toMatchObject({ verdict: 'refuted', why: 'wss-queued' });
  });

  it('depends while the buffers between sender and page still fill (its latency still climbs): run longer', () => {
    expect(judgeBackpressure(evidence({ latencySeries: series(16, (s) => 300 * s) }))).toMatchObject({
      verdict: 'depends',
      why: 'buffers-filling',
    });
  });

  it('depends when the WebSocket latency did not climb', () => {
    expect(judgeBackpressure(evidence({}, { latencySeries: series(16, () => 800) }))?.why).toBe('ws-steady');
  });

  it("depends without the sender's log; refuted when the sender never paused", () => {
    expect(judgeBackpressure(evidence({ senderPausedMs: null }))).toMatchObject({ verdict: 'depends', why: 'no-sender-log' });
    expect(judgeBackpressure(evidence({ senderPausedMs: 0 }))).toMatchObject({ verdict: 'refuted', why: 'sender-never-paused' });
  });
});

describe('backpressureEvidence', () => {
  it("reads both lanes off the page's lanes (queue, cost, series, sender), or null when one is missing", () => {
    const lane = (kind: string, pausedMs: number | null) => ({
      kind,
      frames: 100,
      latencySeries: [{ x: 0, y: 1 }],
      consumer: { costMs: 20, maxQueued: 7 },
      sender: pausedMs === null ? null : { pausedMs },
    });
    expect(backpressureEvidence([lane('websocket', 0), lane('websocket-stream', 900)])).toEqual({
      websocket: { consumeMs: 20, frames: 100, maxQueued: 7, latencySeries: [{ x: 0, y: 1 }], senderPausedMs: 0 },
      websocketStream: { consumeMs: 20, frames: 100, maxQueued: 7, latencySeries: [{ x: 0, y: 1 }], senderPausedMs: 900 },
    });
    expect(backpressureEvidence([lane('websocket', 0)])).toBeNull();
  });
});
