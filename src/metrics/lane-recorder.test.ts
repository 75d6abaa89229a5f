import { describe, expect, it } from 'vitest';
import { LaneRecorder } from './lane-recorder.ts';

const T0 = 1_700_000_000_000;

function frame(seq: number, t: number, kind = 'tick', data = `f${seq}`) {
  return { seq, t, kind, data };
}

describe('LaneRecorder', () => {
  it('starts empty', () => {
    const r = new LaneRecorder(T0);
    const s = r.snapshot(T0);
    expect(s).toMatchObject({
      frames: 0,
      bytes: 0,
      rate: 0,
      reconnects: 0,
      errors: 0,
      lastError: null,
      recent: [],
      text: '',
      latencySeries: [],
      reconnectMarks: [],
      sequence: { highest: 0, delivered: 0, missing: 0, duplicates: 0, reordered: 0 },
    });
    expect(s.latency.count).toBe(0);
    expect(s.latency.p50).toBeNaN();
    expect(r.frames).toBe(0);
    expect(r.lastContiguousSeq).toBe(0);
  });

  it('counts frames and bytes', () => {
    const r = new LaneRecorder(T0);
    r.recordFrame(T0 + 10, frame(1, T0 + 5), 120);
    r.recordFrame(T0 + 20, frame(2, T0 + 15), 80);
    r.recordFrame(T0 + 30, frame(3, T0 + 25), 1);
    const s = r.snapshot(T0 + 40);
    expect(s.frames).toBe(3);
    expect(s.bytes).toBe(201);
    expect(r.frames).toBe(3);
  });

  it('measures latency as receivedAt - t', () => {
    const r = new LaneRecorder(T0);
    const latencies = [4, 1, 9, 2, 7];
    latencies.forEach((ms, i) => r.recordFrame(T0 + 100 * (i + 1), frame(i + 1, T0 + 100 * (i + 1) - ms), 10));
    const s = r.snapshot(T0 + 1_000);
    expect(s.latency.count).toBe(5);
    expect(s.latency.p50).toBe(4);
    expect(s.latency.max).toBe(9);
    expect(s.recent.map((f) => f.latencyMs)).toEqual([7, 2, 9, 1, 4]);
    // The chart: x in seconds since the start, y the latency.
    expect(s.latencySeries).toEqual([
      { x: 0.1, y: 4 },
      { x: 0.2, y: 1 },
      { x: 0.3, y: 9 },
      { x: 0.4, y: 2 },
      { x: 0.5, y: 7 },
    ]);
  });

  it('keeps latency percentiles over the newest latencyWindow frames only', () => {
    const r = new LaneRecorder(T0, { latencyWindow: 3 });
    [100, 100, 1, 2, 3].forEach((ms, i) => r.recordFrame(T0 + 1_000, frame(i + 1, T0 + 1_000 - ms), 1));
    const s = r.snapshot(T0 + 2_000);
    expect(s.latency.count).toBe(3);
    expect(s.latency.max).toBe(3);
    expect(s.frames).toBe(5);
  });

  it('downsamples the latency series to chartPoints', () => {
    const r = new LaneRecorder(T0, { chartPoints: 50 });
    for (let i = 1; i <= 1_000; i++) r.recordFrame(T0 + i, frame(i, T0 + i - (i % 10)), 1);
    const s = r.snapshot(T0 + 1_001);
    expect(s.latencySeries).toHaveLength(50);
    expect(s.latencySeries[0]).toEqual({ x: 0.001, y: 1 });
    expect(s.latencySeries[49]).toEqual({ x: 1, y: 0 });
  });

  it('joins token frames into the answer text, ignoring other kinds', () => {
    const r = new LaneRecorder(T0);
    r.recordFrame(T0 + 1, frame(1, T0, 'token', 'Short answer:'), 1);
    r.recordFrame(T0 + 2, frame(2, T0, 'token', ' the'), 1);
    r.recordFrame(T0 + 3, frame(3, T0, 'token', ' server'), 1);
    r.recordFrame(T0 + 4, frame(4, T0, 'token', '.'), 1);
    r.recordFrame(T0 + 5, frame(5, T0, 'end', ''), 1);
    r.recordFrame(T0 + 6, frame(6, T0, 'tick', 'XYZ'), 1);
    expect(r.snapshot(T0 + 10).text).toBe('Short answer: the server.');
  });

  it('stops growing the text at maxTextTokens', () => {
    const r = new LaneRecorder(T0, { maxTextTokens: 2 });
    ['a', 'b', 'c'].forEach((d, i) => r.recordFrame(T0, frame(i + 1, T0, 'token', d), 1));
    expect(r.snapshot(T0).text).toBe('ab');
  });

  it('lists recent frames newest first, capped at recentCount, previews cut at 48 characters', () => {
    const r = new LaneRecorder(T0, { recentCount: 3 });
    const long = 'x'.repeat(60);
    for (let seq = 1; seq <= 5; seq++) r.recordFrame(T0 + seq, frame(seq, T0, 'tick', seq === 5 ? long : `p${seq}`), 1);
    const { recent } = r.snapshot(T0 + 10);
    expect(recent.map((f) => f.seq)).toEqual([5, 4, 3]);
    expect(recent[0].preview).toBe(`${'x'.repeat(48)}…`);
    expect(recent[1]).toEqual({ seq: 4, latencyMs: 4, preview: 'p4' });
  });

  it('keeps 8 recent frames by default', () => {
    const r = new LaneRecorder(T0);
    for (let seq = 1; seq <= 20; seq++) r.recordFrame(T0, frame(seq, T0), 1);
    expect(r.snapshot(T0).recent.map((f) => f.seq)).toEqual([20, 19, 18, 17, 16, 15, 14, 13]);
  });

  it('tracks the sequence: gaps, duplicates, reordering and the resume point', () => {
    const r = new LaneRecorder(T0);
    for (const seq of [1, 2, 5, 3, 5]) r.recordFrame(T0, frame(seq, T0), 1);
    expect(r.snapshot(T0).sequence).toEqual({ highest: 5, delivered: 4, missing: 1, duplicates: 1, reordered: 1 });
    expect(r.lastContiguousSeq).toBe(3);
  });

  it('computes the rate from snapshots at least a second apart', () => {
    const r = new LaneRecorder(T0);
    expect(r.snapshot(T0).rate).toBe(0);
    for (let seq = 1; seq <= 50; seq++) r.recordFrame(T0 + seq, frame(seq, T0), 1);
    // Less than a second of history: the oldest snapshot is used.
    expect(r.snapshot(T0 + 500).rate).toBeCloseTo(100, 9);
    for (let seq = 51; seq <= 100; seq++) r.recordFrame(T0 + 500 + seq, frame(seq, T0), 1);
    // Newest snapshot vs the newest one a second or more older.
    expect(r.snapshot(T0 + 1_000).rate).toBeCloseTo(100, 9);
    for (let seq = 101; seq <= 400; seq++) r.recordFrame(T0 + 1_000 + seq, frame(seq, T0), 1);
    expect(r.snapshot(T0 + 1_500).rate).toBeCloseTo(350 / 1, 9);
    for (let seq = 401; seq <= 500; seq++) r.recordFrame(T0 + 1_600, frame(seq, T0), 1);
    // Snapshots at 0, 0.5, 1, 1.5 and now 2.2 s: the newest at least a second older is at 1 s (100 frames).
    expect(r.snapshot(T0 + 2_200).rate).toBeCloseTo((500 - 100) / 1.2, 9);
    // Nothing for a while: the rate drops to 0.
    expect(r.snapshot(T0 + 5_000).rate).toBe(0);
  });

  it('charts frames received over time from its snapshots', () => {
    const r = new LaneRecorder(T0);
    r.snapshot(T0);
    r.recordFrame(T0 + 100, frame(1, T0), 1);
    r.snapshot(T0 + 250);
    r.recordFrame(T0 + 300, frame(2, T0), 1);
    r.recordFrame(T0 + 400, frame(3, T0), 1);
    expect(r.snapshot(T0 + 500).framesSeries).toEqual([
      { x: 0, y: 0 },
      { x: 0.25, y: 1 },
      { x: 0.5, y: 3 },
    ]);
  });

  it('records reconnects as seconds since the start', () => {
    const r = new LaneRecorder(T0);
    r.recordReconnect(T0 + 2_500);
    r.recordReconnect(T0 + 10_000);
    const s = r.snapshot(T0 + 11_000);
    expect(s.reconnects).toBe(2);
    expect(s.reconnectMarks).toEqual([2.5, 10]);
    // A copy: changing it does not change the recorder.
    s.reconnectMarks.push(99);
    expect(r.snapshot(T0 + 12_000).reconnectMarks).toEqual([2.5, 10]);
  });

  it('counts errors and keeps the last message', () => {
    const r = new LaneRecorder(T0);
    r.recordError('connection refused');
    r.recordError('stream ended early');
    expect(r.snapshot(T0)).toMatchObject({ errors: 2, lastError: 'stream ended early' });
  });
});

describe('LaneRecorder token metrics', () => {
  const token = (seq: number, data: string) => ({ seq, t: 0, kind: 'token', data });

  it('measures TTFT from the run start, tokens/s between first and last token, gaps and total time', () => {
    const start = 1_000;
    const r = new LaneRecorder(start);
    // First token 500 ms after Start, then tokens 100, 50 and 150 ms apart, end marker 20 ms later.
    const times = [1_500, 1_600, 1_650, 1_800];
    times.forEach((at, i) => r.recordFrame(at, token(i + 1, ` w${i}`), 3));
    r.recordFrame(1_820, { seq: 5, t: 0, kind: 'end', data: '' }, 2);
    const { tokens } = r.snapshot(2_000);
    expect(tokens.count).toBe(4);
    expect(tokens.ttftMs).toBe(500);
    expect(tokens.perSecond).toBeCloseTo(3 / 0.3, 6);
    expect(tokens.gap.count).toBe(3);
    expect(tokens.gap.p50).toBe(100);
    expect(tokens.gap.max).toBe(150);
    expect(tokens.totalMs).toBe(820);
  });

  it('leaves token metrics unknown (NaN) for a stream without tokens', () => {
    const r = new LaneRecorder(0);
    r.recordFrame(10, { seq: 1, t: 0, kind: 'tick', data: 'x' }, 1);
    const { tokens } = r.snapshot(20);
    expect(tokens.count).toBe(0);
    expect(Number.isNaN(tokens.ttftMs)).toBe(true);
    expect(Number.isNaN(tokens.perSecond)).toBe(true);
    expect(Number.isNaN(tokens.totalMs)).toBe(true);
  });
});

describe('LaneRecorder for someone else’s stream (foreign)', () => {
  const bare = (data = 'x') => ({ seq: null, t: null, kind: 'message', data });

  it('is waiting before any frame, and has no foreign measures for the lab’s own streams', () => {
    expect(new LaneRecorder(T0).snapshot(T0).foreign).toBeUndefined();
    const f = new LaneRecorder(T0, { foreign: true }).snapshot(T0).foreign;
    expect(f).toMatchObject({ latency: 'waiting', sequence: 'waiting', withSeq: 0, withT: 0 });
    expect(f?.interArrival.count).toBe(0);
  });

  it('frames without seq and t count, give inter-arrival time and rate, and say latency and loss are not measurable', () => {
    const r = new LaneRecorder(T0, { foreign: true });
    for (let i = 0; i < 11; i++) r.recordFrame(T0 + 100 + i * 50, bare(`m${i}`), 10);
    const s = r.snapshot(T0 + 700);
    expect(s.frames).toBe(11);
    expect(s.bytes).toBe(110);
    expect(s.foreign).toMatchObject({ latency: 'not-measurable', sequence: 'not-measurable', withSeq: 0, withT: 0 });
    expect(s.foreign?.interArrival).toMatchObject({ count: 10, p50: 50, max: 50 });
    expect(s.foreign?.interArrivalSeries).toHaveLength(10);
    // Nothing pretends to be a measurement: no latency samples, no sequence counted.
    expect(s.latency.count).toBe(0);
    expect(s.latencySeries).toEqual([]);
    expect(s.sequence.delivered).toBe(0);
    expect(s.recent[0]).toEqual({ seq: null, latencyMs: null, preview: 'm10' });
  });

  it('mapped seq and t measure as the lab’s do; sequence numbers count from the first one', () => {
    const r = new LaneRecorder(T0, { foreign: true });
    r.recordFrame(T0 + 10, { seq: 0, t: T0 + 8, kind: 'message', data: 'a' }, 5);
    r.recordFrame(T0 + 20, { seq: 1, t: T0 + 17, kind: 'message', data: 'b' }, 5);
    r.recordFrame(T0 + 30, { seq: 3, t: T0 + 26, kind: 'message', data: 'c' }, 5);
    r.recordFrame(T0 + 40, bare(), 5);
    const s = r.snapshot(T0 + 50);
    expect(s.foreign).toMatchObject({ latency: 'measured', sequence: 'measured', withSeq: 3, withT: 3 });
    expect(s.latency).toMatchObject({ count: 3, p50: 3, max: 4 });
    expect(s.sequence).toMatchObject({ delivered: 3, missing: 1, duplicates: 0 });
    expect(s.frames).toBe(4);
  });
});
