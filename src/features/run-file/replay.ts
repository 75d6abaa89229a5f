/**
 * Replays a lane's journal through the same pure recorder the run used (`LaneRecorder`), call by call
 * in the recorded order, so the numbers and chart points come out exactly as the run showed them.
 */
import { LaneRecorder, type LaneSnapshot } from '../../metrics/lane-recorder.ts';
import type { TransportIssue } from '../../transports/transport.ts';
import type { JournalEvent, JournalFrame } from './recording-recorder.ts';

/** The snapshot the last recorded `snapshot` call produced, or null when the journal has none. */
export function replayLane(
  startedAt: number,
  frames: readonly JournalFrame[],
  events: readonly JournalEvent[],
): LaneSnapshot<TransportIssue> | null {
  const recorder = new LaneRecorder<TransportIssue>(startedAt);
  let last: LaneSnapshot<TransportIssue> | null = null;
  let next = 0;
  // Only the last snapshot is kept; the ones before it only add their point to the frames series
  // (`tick`), which is all a snapshot changes in the recorder, without the percentiles and LTTB.
  let lastSnapshot = -1;
  events.forEach((event, i) => {
    if (event.op === 'snapshot') lastSnapshot = i;
  });
  const feedTo = (count: number) => {
    for (; next < count && next < frames.length; next++) {
      const f = frames[next];
      const seq = Number.isNaN(f.seq) ? null : f.seq;
      const t = Number.isNaN(f.sentAt) ? null : f.sentAt;
      recorder.recordFrame(f.receivedAt, { seq, t, kind: f.kind, data: f.data ?? '' }, f.bytes);
    }
  };
  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    feedTo(event.after);
    switch (event.op) {
      case 'snapshot':
        if (i === lastSnapshot) last = recorder.snapshot(event.now);
        else recorder.tick(event.now);
        break;
      case 'poll':
        recorder.recordPoll(event.requestHeadBytes, event.responseHeadBytes);
        break;
      case 'chat-sent':
        recorder.recordChatSent(event.bytes, event.connection === null ? undefined : { connection: event.connection });
        break;
      case 'reply':
        recorder.recordReply(event.at, event.sentAt);
        break;
      case 'cancel':
        recorder.recordCancel(event.at);
        break;
      case 'disconnect':
        recorder.recordDisconnect(event.at);
        break;
      case 'reconnect':
        recorder.recordReconnect(event.at);
        break;
      case 'error':
        recorder.recordError(event.issue);
        break;
    }
  }
  return last;
}

/**
 * Where two values first differ (deep; NaN equals NaN; key order ignored), as a path such as
 * `latency.p95`, or null when they are the same.
 */
export function firstDifference(a: unknown, b: unknown, path = ''): string | null {
  if (Object.is(a, b)) return null;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return path || '(value)';
  if (Array.isArray(a) !== Array.isArray(b)) return path || '(value)';
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path}.length`;
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  for (const key of keys) {
    const d = firstDifference(ra[key], rb[key], path ? `${path}.${key}` : key);
    if (d) return d;
  }
  return null;
}
