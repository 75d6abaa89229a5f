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
  | 'poll-header-bytes'
  | 'agent-turns'
  | 'agent-turn-time'
  | 'agent-growth'
  | 'agent-requests'
  | 'agent-bytes'
  | 'page-queue'
  | 'sender-paused'
  | 'sender-buffered';

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

/** The agent loop's rows (scenario `agent`): see src/metrics/agent-turns.ts. */
const agentRowSpecs: Record<'agent-turns' | 'agent-turn-time' | 'agent-growth' | 'agent-requests' | 'agent-bytes', RowSpec> = {
  'agent-turns': {
    label: 'lanes.agentTurns',
    title: 'lanes.agentTurns.title',
    value: (l, kind, t) => {
      const a = l?.agent;
      return (
        <>
          <span data-testid="agent-turns-done">{formatCount(a?.turnsDone ?? 0)}</span> / {formatCount(a?.turns ?? 0)}
          {kind === 'fetch-sse' && a?.variant ? <span data-testid="agent-variant"> ({t(`lanes.agentVariant.${a.variant}`)})</span> : null}
          {' · '}
          <span data-testid="agent-total" className="live-number">{formatMs(a?.totalMs ?? null)}</span>
        </>
      );
    },
  },
  'agent-turn-time': {
    label: 'lanes.agentTurnTime',
    title: 'lanes.agentTurnTime.title',
    value: (l, _kind, t) => {
      const a = l?.agent;
      return (
        <>
          <span data-testid="agent-turn-p50">{formatMs(a?.turnP50Ms ?? null)}</span> / <span data-testid="agent-turn-max">{formatMs(a?.turnMaxMs ?? null)}</span>
          {a && a.modelledMs > 0 ? (
            <span className="agent-modelled" data-testid="agent-modelled">
              {' '}
              ({t('lanes.agentModelled', { ms: formatMs(a.modelledMs) })})
            </span>
          ) : null}
        </>
      );
    },
  },
  'agent-growth': {
    label: 'lanes.agentGrowth',
    title: 'lanes.agentGrowth.title',
    value: (l) => {
      const a = l?.agent;
      const times = a?.turnMs ?? [];
      // Index 0 of bytesUp is fetch's first request (the task); turn k's result is index k.
      const up = a?.bytesUp ?? [];
      return (
        <>
          <span data-testid="agent-turn-growth">
            {formatMs(times[0] ?? null)} → {formatMs(times.length > 1 ? (times.at(-1) ?? null) : null)}
          </span>
          {' · '}
          <span data-testid="agent-bytes-up-first">{formatBytes(up[1] ?? Number.NaN)}</span> →{' '}
          <span data-testid="agent-bytes-up-last">{formatBytes(up.length > 2 ? (up.at(-1) ?? Number.NaN) : Number.NaN)}</span>
        </>
      );
    },
  },
  'agent-requests': {
    label: 'lanes.agentRequests',
    title: 'lanes.agentRequests.title',
    value: (l) => {
      const a = l?.agent;
      return (
        <>
          <span data-testid="agent-requests-page">{formatCount(a?.requests ?? 0)}</span> (
          <span data-testid="agent-server-requests">{formatCount(a?.serverRequests ?? 0)}</span>) /{' '}
          <span data-testid="agent-connections">{formatCount(a?.connections ?? 0)}</span>
        </>
      );
    },
  },
  'agent-bytes': {
    label: 'lanes.agentBytes',
    title: 'lanes.agentBytes.title',
    value: (l) => {
      const a = l?.agent;
      const results = (a?.bytesUp ?? []).slice(1);
      const up = results.length > 0 ? results.reduce((x, y) => x + y, 0) / results.length : Number.NaN;
      const down = a?.bytesDown ?? [];
      const downMean = down.length > 0 ? down.reduce((x, y) => x + y, 0) / down.length : Number.NaN;
      return (
        <>
          <span data-testid="agent-bytes-up">{formatBytes(Math.round(up))}</span> /{' '}
          <span data-testid="agent-bytes-down">{formatBytes(Math.round(downMean))}</span>
        </>
      );
    },
  },
};

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
  ...agentRowSpecs,
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
  // Backpressure (the slow consumer): the queue the page holds, and the sender's side from its run log.
  'page-queue': {
    label: 'lanes.pageQueue',
    title: 'lanes.pageQueue.title',
    value: (l) => (
      <>
        <span data-testid="page-queue-now">{formatCount(l?.consumer?.queued ?? 0)}</span> /{' '}
        <span data-testid="page-queue-max">{formatCount(l?.consumer?.maxQueued ?? 0)}</span>
      </>
    ),
  },
  'sender-paused': {
    label: 'lanes.senderPaused',
    title: 'lanes.senderPaused.title',
    value: (l, kind, t) =>
      laneRegistry[kind].server === null
        ? undefined
        : t('lanes.senderPaused.value', { ms: formatMs(l?.sender?.pausedMs ?? null), n: formatCount(l?.sender?.pauses ?? 0) }),
  },
  'sender-buffered': {
    label: 'lanes.senderBuffered',
    title: 'lanes.senderBuffered.title',
    value: (l, kind) =>
      laneRegistry[kind].server === null
        ? undefined
        : l?.sender?.maxBufferedBytes != null
          ? formatBytes(l.sender.maxBufferedBytes)
          : '—',
  },
};

/**
 * The rows a run shows: the same for every lane of it. `foreign` (URL mode) adds the inter-arrival
 * time, which any stream has, after the rate; the agent loop keeps the screen for its own rows.
 */
export function laneRows(
  kinds: readonly TransportKind[],
  showText: boolean,
  showChat: boolean,
  showAgent = false,
  showBackpressure = false,
  foreign = false,
): LaneRowId[] {
  const rows: LaneRowId[] = foreign
    ? ['frames', 'bytes', 'rate', 'inter-arrival', 'latency', 'reconnects', 'downtime', 'sequence', 'errors']
    : showAgent
    ? ['frames', 'bytes', 'latency', 'reconnects', 'sequence', 'errors']
    : ['frames', 'bytes', 'rate', 'latency', 'reconnects', 'downtime', 'sequence', 'errors'];
  if (showText) rows.push('ttft', 'tokens-per-second', 'token-gaps', 'total-time');
  if (showChat) rows.push('chat-answered', 'chat-rtt', 'chat-cost');
  if (showAgent) rows.push('agent-turns', 'agent-turn-time', 'agent-growth', 'agent-requests', 'agent-bytes');
  if (kinds.some(isPolling)) rows.push('poll-requests', 'poll-requests-per-frame', 'poll-header-bytes');
  if (showBackpressure) rows.push('page-queue', 'sender-paused', 'sender-buffered');
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
  'agent-turn-time',
  'agent-growth',
  'agent-bytes',
  'page-queue',
  'sender-paused',
  'sender-buffered',
]);
