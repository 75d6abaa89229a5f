import { useLayoutEffect, useRef } from 'react';
import type { LaneView } from '../run/run-session.ts';
import type { TransportKind } from '../../transports/transport.ts';
import { formatBytes, formatCount, formatMs, formatRate, formatRatio } from '../../app/format.ts';
import { describeClose } from '../../transports/websocket-transport.ts';
import type { MessageKey } from '../../i18n/en.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { richText } from '../../i18n/rich-text.tsx';
import type { Translate } from '../../i18n/translate.ts';
import { showText as textOf } from '../../i18n/local-text.ts';

/** Each lane's name, by key: the dictionaries hold the words (transport names stay as they are). */
export const laneTitleKeys = {
  eventsource: 'lanes.title.eventsource',
  'fetch-sse': 'lanes.title.fetch-sse',
  websocket: 'lanes.title.websocket',
  'short-poll': 'lanes.title.short-poll',
  'long-poll': 'lanes.title.long-poll',
} as const satisfies Record<TransportKind, MessageKey>;

function closeText(t: Translate, lane: LaneView): string | null {
  const reason = lane.closeReason;
  if (!reason) return null;
  if (reason.kind === 'complete') return t('lanes.complete');
  if (reason.kind === 'stopped') return t('lanes.stopped');
  return null;
}

const chatCostHelp = {
  eventsource: 'lanes.chatCost.sse',
  'fetch-sse': 'lanes.chatCost.sse',
  websocket: 'lanes.chatCost.websocket',
  'short-poll': 'lanes.chatCost.polling',
  'long-poll': 'lanes.chatCost.polling',
} as const satisfies Record<TransportKind, MessageKey>;

const cancelHow = {
  eventsource: 'lanes.cancelHow.eventsource',
  'fetch-sse': 'lanes.cancelHow.fetch-sse',
  websocket: 'lanes.cancelHow.websocket',
  'short-poll': 'lanes.cancelHow.polling',
  'long-poll': 'lanes.cancelHow.polling',
} as const satisfies Record<TransportKind, MessageKey>;

export interface LanePanelProps {
  kind: TransportKind;
  lane: LaneView | null;
  showText: boolean;
  showChat: boolean;
  onReconnect(): void;
}

/** What the reconnect machinery is doing right now, in one line. */
export function reconnectLine(t: Translate, lane: LaneView): string | null {
  if (lane.kind === 'websocket' && lane.reconnect) {
    const r = lane.reconnect;
    // A clean 1000 is the normal end and says nothing worth a warning.
    const close =
      r.lastClose && r.lastClose.code !== 1000 ? textOf(t, describeClose(r.lastClose.code, r.lastClose.reason)) : null;
    if (lane.state === 'reconnecting' && r.nextDelayMs !== null) {
      const retry = { attempt: r.attempts, delay: formatMs(r.nextDelayMs), seq: lane.lastSeq };
      return close ? t('lanes.reconnect.wsClose', { ...retry, close }) : t('lanes.reconnect.ws', retry);
    }
    return close ? t('lanes.reconnect.lastClose', { close }) : null;
  }
  if (lane.kind === 'fetch-sse' && lane.state === 'reconnecting') {
    return t('lanes.reconnect.fetch', { retry: lane.retryMs ?? '?', seq: lane.lastSeq, attempt: lane.attempt });
  }
  if (lane.kind === 'eventsource' && lane.state === 'reconnecting') {
    const vars = { attempt: lane.attempt, seq: lane.lastSeq };
    return lane.retryMs !== null
      ? t('lanes.reconnect.esRetry', { ...vars, retry: lane.retryMs })
      : t('lanes.reconnect.es', vars);
  }
  return null;
}

export function LanePanel({ kind, lane, showText, showChat, onReconnect }: LanePanelProps) {
  const { t } = useI18n();
  const title = t(laneTitleKeys[kind]);
  const reconnecting = lane ? reconnectLine(t, lane) : null;
  const closed = lane ? closeText(t, lane) : null;
  const titleId = `lane-${kind}-title`;
  const state = lane?.state ?? 'idle';
  const seq = lane?.sequence;
  const failure = lane?.closeReason?.kind === 'failed' ? textOf(t, lane.closeReason.message) : null;
  const answer = useRef<HTMLDivElement>(null);
  const text = lane?.text ?? '';
  useLayoutEffect(() => {
    // Follow the answer as it grows, like a chat window.
    if (answer.current) answer.current.scrollTop = answer.current.scrollHeight;
  }, [text]);
  return (
    <section className={`lane lane-${kind}`} aria-labelledby={titleId}>
      <header>
        <h2 id={titleId}>
          <span className="swatch" aria-hidden="true" />
          {title}
        </h2>
        <span className={`state state-${state}`} data-testid="lane-state">
          {t(`lanes.state.${state}`)}
        </span>
      </header>
      <p className="lane-subtitle">{t(`lanes.subtitle.${kind}`)}</p>
      {kind === 'fetch-sse' ? (
        <p className="lane-why">
          {richText(t('lanes.why'), { header: <code>Authorization</code> })}
        </p>
      ) : null}

      <dl className="stats">
        <div>
          <dt>{t('lanes.frames')}</dt>
          <dd data-testid="frames">{formatCount(lane?.frames ?? 0)}</dd>
        </div>
        <div>
          <dt title={t('lanes.bytes.title')}>{t('lanes.bytes')}</dt>
          <dd data-testid="bytes" className="live-number">{formatBytes(lane?.bytes ?? 0)}</dd>
        </div>
        <div>
          <dt>{t('lanes.rate')}</dt>
          <dd data-testid="rate" className="live-number">{formatRate(lane?.rate ?? 0)}</dd>
        </div>
        <div className="wide">
          <dt>{t('lanes.latency')}</dt>
          <dd data-testid="latency" className="live-number">
            {formatMs(lane?.latency.p50 ?? null)} / {formatMs(lane?.latency.p95 ?? null)} /{' '}
            {formatMs(lane?.latency.p99 ?? null)}
          </dd>
        </div>
        <div>
          <dt>{t('lanes.reconnects')}</dt>
          <dd data-testid="reconnects">{formatCount(lane?.reconnects ?? 0)}</dd>
        </div>
        <div className="wide">
          <dt title={t('lanes.downtime.title')}>{t('lanes.downtime')}</dt>
          <dd data-testid="downtime" className="live-number">
            {formatMs(lane?.downtime.medianMs ?? null)} / {formatMs(lane?.downtime.lastMs ?? null)} /{' '}
            {formatMs(lane?.downtime.maxMs ?? null)}
          </dd>
        </div>
        <div>
          <dt>{t('lanes.sequence')}</dt>
          <dd data-testid="sequence">
            {formatCount(seq?.missing ?? 0)} / {formatCount(seq?.duplicates ?? 0)} /{' '}
            {formatCount(seq?.reordered ?? 0)}
          </dd>
        </div>
        <div>
          <dt>{t('lanes.errors')}</dt>
          <dd data-testid="errors">{formatCount(lane?.errors ?? 0)}</dd>
        </div>
        {showText ? (
          <>
            <div>
              <dt title={t('lanes.ttft.title')}>{t('lanes.ttft')}</dt>
              <dd data-testid="ttft" className="live-number">{formatMs(lane?.tokens.ttftMs ?? null)}</dd>
            </div>
            <div>
              <dt>{t('lanes.tokensPerSecond')}</dt>
              <dd data-testid="tokens-per-second" className="live-number">
                {formatRate(lane?.tokens.perSecond ?? Number.NaN)}
              </dd>
            </div>
            <div className="wide">
              <dt title={t('lanes.tokenGaps.title')}>{t('lanes.tokenGaps')}</dt>
              <dd data-testid="token-gaps" className="live-number">
                {formatMs(lane?.tokens.gap.p50 ?? null)} / {formatMs(lane?.tokens.gap.p95 ?? null)} /{' '}
                {formatMs(lane?.tokens.gap.max ?? null)}
              </dd>
            </div>
            <div>
              <dt title={t('lanes.total.title')}>{t('lanes.total')}</dt>
              <dd data-testid="total-time" className="live-number">{formatMs(lane?.tokens.totalMs ?? null)}</dd>
            </div>
          </>
        ) : null}
        {showChat ? (
          <>
            <div>
              <dt>{t('lanes.answered')}</dt>
              <dd data-testid="chat-answered">
                {formatCount(lane?.chat.answered ?? 0)} / {formatCount(lane?.chat.sent ?? 0)}
              </dd>
            </div>
            <div className="wide">
              <dt title={t('lanes.chatRtt.title')}>{t('lanes.chatRtt')}</dt>
              <dd data-testid="chat-rtt" className="live-number">
                {formatMs(lane?.chat.rtt.p50 ?? null)} / {formatMs(lane?.chat.rtt.p95 ?? null)} /{' '}
                {formatMs(lane?.chat.rtt.max ?? null)}
              </dd>
            </div>
            <div className="wide">
              <dt title={t(chatCostHelp[kind])}>{t('lanes.chatCost')}</dt>
              <dd data-testid="chat-cost" className="live-number">
                {kind === 'websocket'
                  ? t('lanes.chatCost.socket', { bytes: formatBytes(lane?.chat.requestBytes ?? 0) })
                  : `${1 + (lane?.chat.sideConnections ?? 0)} / ${formatCount(lane?.chat.requests ?? 0)} / ${formatBytes(lane?.chat.requestBytes ?? 0)}`}
              </dd>
            </div>
          </>
        ) : null}
        {lane?.poll ? (
          <>
            <div>
              <dt>{t('lanes.requests')}</dt>
              <dd data-testid="poll-requests">{formatCount(lane.poll.requests)}</dd>
            </div>
            <div>
              <dt title={t('lanes.requestsPerFrame.title')}>{t('lanes.requestsPerFrame')}</dt>
              <dd data-testid="poll-requests-per-frame" className="live-number">
                {formatRatio(lane.poll.requestsPerFrame)}
              </dd>
            </div>
            <div className="wide">
              <dt title={t('lanes.headerBytes.title')}>{t('lanes.headerBytes')}</dt>
              <dd data-testid="poll-header-bytes" className="live-number">
                {formatBytes(Math.round(lane.poll.headerBytesPerFrame))}
              </dd>
            </div>
          </>
        ) : null}
        {kind === 'websocket' ? (
          <div>
            <dt>{t('lanes.pingRtt')}</dt>
            <dd data-testid="rtt" className="live-number">{formatMs(lane?.rttMs ?? null)}</dd>
          </div>
        ) : null}
      </dl>

      {reconnecting ? (
        <p className="lane-reconnect" data-testid="reconnect-line">
          {reconnecting}
        </p>
      ) : null}
      {failure ? (
        <div className="banner error" role="alert" data-testid="lane-failure">
          <p>{failure}</p>
          <button type="button" onClick={onReconnect}>
            {t('lanes.reconnectButton', { lane: title, seq: lane?.lastSeq ?? 0 })}
          </button>
        </div>
      ) : lane?.lastError ? (
        <p className="banner warn" data-testid="lane-error">
          {t('lanes.lastError', { error: textOf(t, lane.lastError) })}
        </p>
      ) : null}
      {closed ? <p className="lane-closed">{closed}</p> : null}
      {lane?.cancel ? (
        <p className="lane-cancel" data-testid="cancel-latency">
          {richText(t('lanes.cancel'), {
            how: t(cancelHow[kind]),
            lastFrame: (
              <strong data-testid="cancel-last-frame" className="live-number">
                +{formatMs(lane.cancel.lastFrameMs)}
              </strong>
            ),
            inFlight: lane.cancel.framesAfter,
            server: (
              <strong data-testid="cancel-server" className="live-number">
                {lane.serverStop ? `+${formatMs(lane.serverStop.ms)}` : '…'}
              </strong>
            ),
            after: lane.serverStop ? t('lanes.cancel.after', { n: lane.serverStop.framesAfterStop }) : '',
          })}
        </p>
      ) : null}

      {showText ? (
        <div ref={answer} className="answer" tabIndex={0} role="log" aria-label={t('lanes.answer', { lane: title })} data-testid="answer">
          {text || <span className="placeholder">{t('lanes.answer.placeholder')}</span>}
        </div>
      ) : null}

      <div className="recent">
        <h3>{t('lanes.recent')}</h3>
        <ol aria-label={t('lanes.recent.list', { lane: title })}>
          {(lane?.recent ?? []).map((f, i) => (
            <li key={`${f.seq}-${i}`}>
              <span className="seq">#{f.seq}</span>
              <span className="latency live-number">{formatMs(f.latencyMs)}</span>
              <code className="preview">{f.preview || '∅'}</code>
            </li>
          ))}
          {lane && lane.recent.length === 0 ? <li className="placeholder">{t('lanes.recent.none')}</li> : null}
          {!lane ? <li className="placeholder">{t('lanes.recent.idle')}</li> : null}
        </ol>
      </div>
    </section>
  );
}
