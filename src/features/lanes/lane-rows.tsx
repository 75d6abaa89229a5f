/**
 * The lanes' numbers as rows of one comparison: every lane renders the same rows in the same order,
 * so a row reads across the lanes. Each value keeps its `data-testid` (a public hook for other teams'
 * Playwright suites, listed in the README); a row that does not apply to a lane shows "—" without it.
 */
import type { ReactNode } from 'react';
import type { LaneView } from '../run/run-session.ts';
import type { TransportKind } from '../../transports/transport.ts';
import { formatBytes, formatCount, formatMs, formatRate, formatRatio } from '../../app/format.ts';
import type { MessageKey } from '../../i18n/en.ts';
import type { Translate } from '../../i18n/translate.ts';
import { laneRegistry } from './lane-registry.ts';

export type LaneRowId =
  | 'frames'
  | 'bytes'
  | 'rate'
  | 'inter-arrival'
  | 'latency'
  | 'reconnects'
  | 'downtime'
  | 'sequence'
  | 'errors'
  | 'ttft'
  | 'tokens-per-second'
  | 'token-gaps'
  | 'total-time'
  | 'chat-answered'
  | 'chat-rtt'
  | 'chat-cost'
  | 'poll-requests'
  | 'poll-requests-per-frame'
  | 'poll-header-bytes';

interface RowSpec {
  label: MessageKey;
  title?: MessageKey;
  /** The value for a lane (null: idle, before the first snapshot), or undefined when the row does not apply. */
  value(lane: LaneView | null, kind: TransportKind, t: Translate): ReactNode | undefined;
}

/** Three numbers of one summary, each with a hook of its own inside the row's hook. */
function triple(id: string, names: readonly [string, string, string], values: readonly [string, string, string]): ReactNode {
  return (
    <>
      <span data-testid={`${id}-${names[0]}`}>{values[0]}</span> / <span data-testid={`${id}-${names[1]}`}>{values[1]}</span> /{' '}
      <span data-testid={`${id}-${names[2]}`}>{values[2]}</span>
    </>
  );
}

const isPolling = (kind: TransportKind) => laneRegistry[kind].family === 'polling';

/**
 * URL mode: a number the lane's frames cannot give (no `t`, no `seq`) says so in words, with its own
 * hook (`<row>-not-measurable`); one measured over only some frames says over how many.
 */
function notMeasurable(id: 'latency' | 'sequence', t: Translate): ReactNode {
  return (
    <span className="not-measurable" data-testid={`${id}-not-measurable`}>
      {t(id === 'latency' ? 'lanes.notMeasurable.latency' : 'lanes.notMeasurable.sequence')}
    </span>
  );
}

function partial(lane: LaneView | null, id: 'latency' | 'sequence', t: Translate, value: ReactNode): ReactNode {
  const f = lane?.foreign;
  if (!lane || !f) return value;
  const n = id === 'latency' ? f.withT : f.withSeq;
  if (n === lane.frames) return value;
  return <span title={t('lanes.partial', { n: formatCount(n), total: formatCount(lane.frames) })}>{value} *</span>;
}

export const laneRowSpecs: Record<LaneRowId, RowSpec> = {
  frames: { label: 'lanes.frames', value: (l) => formatCount(l?.frames ?? 0) },
  bytes: { label: 'lanes.bytes', title: 'lanes.bytes.title', value: (l) => formatBytes(l?.bytes ?? 0) },
  rate: { label: 'lanes.rate', value: (l) => formatRate(l?.rate ?? 0) },
  'inter-arrival': {
    label: 'lanes.interArrival',
    title: 'lanes.interArrival.title',
    value: (l) =>
      triple('inter-arrival', ['p50', 'p95', 'max'], [
        formatMs(l?.foreign?.interArrival.p50 ?? null),
        formatMs(l?.foreign?.interArrival.p95 ?? null),
        formatMs(l?.foreign?.interArrival.max ?? null),
      ]),
  },
  latency: {
    label: 'lanes.latency',
    value: (l, _kind, t) =>
      l?.foreign?.latency === 'not-measurable'
        ? notMeasurable('latency', t)
        : partial(
            l,
            'latency',
            t,
            triple('latency', ['p50', 'p95', 'p99'], [
              formatMs(l?.latency.p50 ?? null),
              formatMs(l?.latency.p95 ?? null),
              formatMs(l?.latency.p99 ?? null),
            ]),
          ),
  },
  reconnects: { label: 'lanes.reconnects', value: (l) => formatCount(l?.reconnects ?? 0) },
  downtime: {
    label: 'lanes.downtime',
    title: 'lanes.downtime.title',
    value: (l) =>
      `${formatMs(l?.downtime.medianMs ?? null)} / ${formatMs(l?.downtime.lastMs ?? null)} / ${formatMs(l?.downtime.maxMs ?? null)}`,
  },
  sequence: {
    label: 'lanes.sequence',
    value: (l, _kind, t) =>
      l?.foreign?.sequence === 'not-measurable'
        ? notMeasurable('sequence', t)
        : l?.foreign?.sequence === 'waiting'
          ? triple('sequence', ['lost', 'duplicated', 'reordered'], ['—', '—', '—'])
          : partial(
            l,
            'sequence',
            t,
            triple('sequence', ['lost', 'duplicated', 'reordered'], [
              formatCount(l?.sequence.missing ?? 0),
              formatCount(l?.sequence.duplicates ?? 0),
              formatCount(l?.sequence.reordered ?? 0),
            ]),
          ),
  },
  errors: { label: 'lanes.errors', value: (l) => formatCount(l?.errors ?? 0) },
  ttft: { label: 'lanes.ttft', title: 'lanes.ttft.title', value: (l) => formatMs(l?.tokens.ttftMs ?? null) },
  'tokens-per-second': { label: 'lanes.tokensPerSecond', value: (l) => formatRate(l?.tokens.perSecond ?? Number.NaN) },
  'token-gaps': {
    label: 'lanes.tokenGaps',
    title: 'lanes.tokenGaps.title',
    value: (l) =>
      `${formatMs(l?.tokens.gap.p50 ?? null)} / ${formatMs(l?.tokens.gap.p95 ?? null)} / ${formatMs(l?.tokens.gap.max ?? null)}`,
  },
  'total-time': { label: 'lanes.total', title: 'lanes.total.title', value: (l) => formatMs(l?.tokens.totalMs ?? null) },
  'chat-answered': {
    label: 'lanes.answered',
    value: (l) => `${formatCount(l?.chat.answered ?? 0)} / ${formatCount(l?.chat.sent ?? 0)}`,
  },
  'chat-rtt': {
    label: 'lanes.chatRtt',
    title: 'lanes.chatRtt.title',
    value: (l) => `${formatMs(l?.chat.rtt.p50 ?? null)} / ${formatMs(l?.chat.rtt.p95 ?? null)} / ${formatMs(l?.chat.rtt.max ?? null)}`,
  },
  'chat-cost': {
    label: 'lanes.chatCost',
    value: (l, kind, t) =>
      laneRegistry[kind].family === 'websocket'
        ? t('lanes.chatCost.socket', { bytes: formatBytes(l?.chat.requestBytes ?? 0) })
        : `${1 + (l?.chat.sideConnections ?? 0)} / ${formatCount(l?.chat.requests ?? 0)} / ${formatBytes(l?.chat.requestBytes ?? 0)}`,
  },
  'poll-requests': {
    label: 'lanes.requests',
    value: (l, kind) => (isPolling(kind) ? formatCount(l?.poll?.requests ?? 0) : undefined),
  },
  'poll-requests-per-frame': {
    label: 'lanes.requestsPerFrame',
    title: 'lanes.requestsPerFrame.title',
    value: (l, kind) => (isPolling(kind) ? formatRatio(l?.poll?.requestsPerFrame ?? Number.NaN) : undefined),
  },
  'poll-header-bytes': {
    label: 'lanes.headerBytes',
    title: 'lanes.headerBytes.title',
    value: (l, kind) =>
      isPolling(kind) ? formatBytes(Math.round(l?.poll?.headerBytesPerFrame ?? Number.NaN)) : undefined,
  },
};

/**
 * The rows a run shows: the same for every lane of it. `foreign` (URL mode) adds the inter-arrival
 * time, which any stream has, after the rate.
 */
export function laneRows(kinds: readonly TransportKind[], showText: boolean, showChat: boolean, foreign = false): LaneRowId[] {
  const rows: LaneRowId[] = foreign
    ? ['frames', 'bytes', 'rate', 'inter-arrival', 'latency', 'reconnects', 'downtime', 'sequence', 'errors']
    : ['frames', 'bytes', 'rate', 'latency', 'reconnects', 'downtime', 'sequence', 'errors'];
  if (showText) rows.push('ttft', 'tokens-per-second', 'token-gaps', 'total-time');
  if (showChat) rows.push('chat-answered', 'chat-rtt', 'chat-cost');
  if (kinds.some(isPolling)) rows.push('poll-requests', 'poll-requests-per-frame', 'poll-header-bytes');
  return rows;
}

/** Numbers that change with every snapshot: masked in the visual baselines. */
export const liveRows: ReadonlySet<LaneRowId> = new Set([
  'bytes',
  'rate',
  'inter-arrival',
  'latency',
  'downtime',
  'ttft',
  'tokens-per-second',
  'token-gaps',
  'total-time',
  'chat-rtt',
  'chat-cost',
  'poll-requests-per-frame',
  'poll-header-bytes',
]);
