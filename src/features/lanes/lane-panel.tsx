import { useLayoutEffect, useRef, useState } from 'react';
import type { LaneView } from '../run/run-session.ts';
import type { TransportKind } from '../../transports/transport.ts';
import { formatMs } from '../../app/format.ts';
import { laneRowSpecs, liveRows, type LaneRowId } from './lane-rows.tsx';
import { laneRegistry } from './lane-registry.ts';
import { describeClose, type LaneAdvice } from './lane-words.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { richText } from '../../i18n/rich-text.tsx';
import type { Translate } from '../../i18n/translate.ts';
import { showText as textOf } from '../../i18n/local-text.ts';

/** Each lane's name, by key (from the lane registry; kept here for the modules that import it from here). */
export { laneTitleKeys } from './lane-registry.ts';

function closeText(t: Translate, lane: LaneView): string | null {
  const reason = lane.closeReason;
  if (!reason) return null;
  if (reason.kind === 'complete') return t('lanes.complete');
  if (reason.kind === 'stopped') return t('lanes.stopped');
  return null;
}

export interface LanePanelProps {
  kind: TransportKind;
  lane: LaneView | null;
  /** The rows of the comparison, the same for every lane of the run. */
  rows: readonly LaneRowId[];
  showText: boolean;
  onReconnect(): void;
  /** Instead of the lane's usual subtitle (the fetch lane calling a provider path). */
  subtitle?: string;
  /** A note on what the lane is seeing (URL mode: named events EventSource does not hear). */
  hint?: string;
}

/** What the reconnect machinery is doing right now, in one line. */
export function reconnectLine(t: Translate, lane: LaneView): string | null {
  if (lane.foreign) return foreignReconnectLine(t, lane);
  if (lane.reconnect) {
    // The lab's own loop (WebSocket).
    const r = lane.reconnect;
    // A clean 1000 is the normal end and says nothing worth a warning.
    const close = r.lastClose && r.lastClose.code !== 1000 ? textOf(t, describeClose(r.lastClose)) : null;
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

/** URL mode: nothing resumes "after #seq" — EventSource and fetch send the last id: they got, the socket reopens the same URL. */
function foreignReconnectLine(t: Translate, lane: LaneView): string | null {
  if (lane.state !== 'reconnecting') return null;
  const r = lane.reconnect;
  if (r) {
    if (r.nextDelayMs === null) return null;
    const retry = { attempt: r.attempts, delay: formatMs(r.nextDelayMs) };
    return r.lastClose && r.lastClose.code !== 1000
      ? t('lanes.reconnect.url.wsClose', { ...retry, close: textOf(t, describeClose(r.lastClose)) })
      : t('lanes.reconnect.url.ws', retry);
  }
  if (lane.kind === 'fetch-sse') return t('lanes.reconnect.url.fetch', { attempt: lane.attempt });
  if (lane.kind === 'eventsource') return t('lanes.reconnect.url.es', { attempt: lane.attempt });
  return null;
}

export function LanePanel({ kind, lane, rows, showText, onReconnect, subtitle: subtitleText, hint }: LanePanelProps) {
  const { t } = useI18n();
  const spec = laneRegistry[kind];
  const title = t(spec.title);
  const reconnecting = lane ? reconnectLine(t, lane) : null;
  const closed = lane ? closeText(t, lane) : null;
  const titleId = `lane-${kind}-title`;
  const state = lane?.state ?? 'idle';
  const failure = lane?.closeReason?.kind === 'failed' ? textOf(t, lane.closeReason.message) : null;
  const answer = useRef<HTMLDivElement>(null);
  const [recentOpen, setRecentOpen] = useState(false);
  const text = lane?.text ?? '';
  useLayoutEffect(() => {
    // Follow the answer as it grows, like a chat window.
    if (answer.current) answer.current.scrollTop = answer.current.scrollHeight;
  }, [text]);
  return (
    <section className={`lane lane-${kind}`} aria-labelledby={titleId} data-lane={kind}>
      <header>
        <h2 id={titleId}>
          <span className="swatch" aria-hidden="true" />
          <span className="lane-title-text">{title}</span>
        </h2>
        {spec.family === 'websocket' && !lane?.foreign ? (
          // The lab's own ping: only the WebSocket lane has one, so it sits by the lane's name, not in a row.
          <span className="lane-ping" title={t('lanes.pingRtt')}>
            <span className="visually-hidden">{t('lanes.pingRtt')} </span>
            <span aria-hidden="true">⇄ </span>
            <span data-testid="rtt" className="live-number">
              {formatMs(lane?.rttMs ?? null)}
            </span>
          </span>
        ) : null}
        <span className={`state state-${state}`} data-testid="lane-state">
          {t(`lanes.state.${state}`)}
        </span>
      </header>
      <p className="lane-subtitle" title={subtitleText ?? t(spec.subtitle)}>
        {subtitleText ?? t(spec.subtitle)}
      </p>

      <dl className="stats">
        {rows.map((id) => {
          const row = laneRowSpecs[id];
          const value = row.value(lane, kind, t);
          return (
            <div key={id} data-row={id}>
              <dt>{t(row.label)}</dt>
              {value === undefined ? (
                <dd className="not-applicable">—</dd>
              ) : (
                <dd
                  data-testid={id}
                  className={liveRows.has(id) ? 'live-number' : undefined}
                  title={id === 'chat-cost' ? t(spec.chatCostHelp) : undefined}
                >
                  {value}
                </dd>
              )}
            </div>
          );
        })}
      </dl>

      <div className="lane-notes">
        {reconnecting ? (
          <p className="lane-reconnect" data-testid="reconnect-line">
            {reconnecting}
          </p>
        ) : null}
        {failure ? (
          <div className="banner error" role="alert" data-testid="lane-failure">
            <p>{failure}</p>
            {lane?.advice ? <LaneAdviceView advice={lane.advice} /> : null}
            <button type="button" onClick={onReconnect}>
              {lane?.foreign
                ? t('lanes.reconnectButton.url', { lane: title })
                : t('lanes.reconnectButton', { lane: title, seq: lane?.lastSeq ?? 0 })}
            </button>
          </div>
        ) : lane?.lastError ? (
          <p className="banner warn" data-testid="lane-error">
            {t('lanes.lastError', { error: textOf(t, lane.lastError) })}
          </p>
        ) : null}
        {closed ? <p className="lane-closed">{closed}</p> : null}
        {hint ? (
          <p className="banner warn" data-testid="named-events-hint">
            {hint}
          </p>
        ) : null}
        {lane?.cancel ? (
          <p className="lane-cancel" data-testid="cancel-latency">
            {richText(t('lanes.cancel'), {
              how: t(spec.cancelHow),
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

        <details className="recent" onToggle={(event) => setRecentOpen(event.currentTarget.open)}>
          <summary>{t('lanes.recent')}</summary>
          {/* Rendered only while open: a folded list would still be rebuilt at every snapshot. */}
          {recentOpen ? (
          <ol aria-label={t('lanes.recent.list', { lane: title })}>
            {(lane?.recent ?? []).map((f, i) => (
              <li key={`${f.seq}-${i}`}>
                <span className="seq">{f.seq === null ? '#?' : `#${f.seq}`}</span>
                <span className="latency live-number">{formatMs(f.latencyMs)}</span>
                <code className="preview">{f.preview || '∅'}</code>
              </li>
            ))}
            {lane && lane.recent.length === 0 ? <li className="placeholder">{t('lanes.recent.none')}</li> : null}
            {!lane ? <li className="placeholder">{t('lanes.recent.idle')}</li> : null}
          </ol>
          ) : null}
        </details>
        {kind === 'fetch-sse' ? (
          <details className="lane-why">
            <summary>{t('lanes.why.summary')}</summary>
            <p>{richText(t('lanes.why'), { header: <code>Authorization</code> })}</p>
          </details>
        ) : null}
      </div>
    </section>
  );
}

/** URL mode, under a failure: why (as far as the page can tell) and what to try. */
function LaneAdviceView({ advice }: { advice: LaneAdvice | 'pending' }) {
  const { t } = useI18n();
  if (advice === 'pending') return <p className="lane-advice pending">{t('url.advice.pending')}</p>;
  return (
    <div className="lane-advice" data-testid="lane-advice">
      <p data-testid="lane-why">
        <strong>{t('url.advice.why')}:</strong> {textOf(t, advice.what)}
      </p>
      {advice.tries.length > 0 ? (
        <>
          <p className="lane-advice-head">
            <strong>{t('url.advice.try')}:</strong>
          </p>
          <ul data-testid="lane-tries">
            {advice.tries.map((entry, i) => (
              <li key={i}>
                {textOf(t, entry.say)}
                {entry.cmd ? (
                  <code className="lane-cmd" data-testid="lane-cmd">
                    {entry.cmd}
                  </code>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

/** The row names, once, in the first column of the comparison (each lane also names its rows for screen readers). */
export function LaneLabels({ rows }: { rows: readonly LaneRowId[] }) {
  const { t } = useI18n();
  return (
    <div className="lane-labels" aria-hidden="true">
      <span className="lane-labels-head" />
      <span className="lane-labels-head" />
      <div className="stats">
        {rows.map((id) => {
          const spec = laneRowSpecs[id];
          return (
            <div key={id} title={spec.title ? t(spec.title) : undefined}>
              {t(spec.label)}
            </div>
          );
        })}
      </div>
    </div>
  );
}
