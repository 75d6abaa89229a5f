/**
 * The connection-limit demo (Live mode): N EventSources and N WebSockets to this server, then a
 * same-origin fetch probe, each connection's state in a grid, and what the page's protocol explains.
 */
import { memo, useEffect, useId, useState } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import type { Translate } from '../../i18n/translate.ts';
import type { Mode } from '../run/use-run.ts';
import {
  DEFAULT_STREAMS,
  MAX_STREAMS,
  MIN_STREAMS,
  checkStreamCount,
  countCells,
  type ConnCell,
  type ConnectionLimitState,
} from './connection-limit-controller.ts';
import type { ConnectionLimit } from './use-connection-limit.ts';

export interface ConnectionLimitPanelProps {
  mode: Mode;
  limit: ConnectionLimit;
}

/** 4 ms, 850 ms, 3.2 s. */
export function formatDuration(ms: number): string {
  return ms < 1_000 ? `${Math.round(ms)} ms` : `${(ms / 1_000).toFixed(1)} s`;
}

/** Repaints a waiting probe's clock a few times a second, and only while it waits. */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    if (!active) return;
    const timer = window.setInterval(() => setNow(performance.now()), 100);
    return () => window.clearInterval(timer);
  }, [active]);
  return now;
}

function probeText(t: Translate, state: ConnectionLimitState, now: number): string {
  const { probe } = state;
  switch (probe.state) {
    case 'idle':
      return t(state.phase === 'opening' ? 'limit.probe.waiting' : 'limit.probe.idle');
    case 'pending':
      return t('limit.probe.pending', { time: formatDuration(Math.max(0, now - (probe.startedAt ?? now))) });
    case 'answered':
      return t('limit.probe.answered', { time: formatDuration(probe.ms ?? 0) });
    case 'failed':
      return t('limit.probe.failed', { time: formatDuration(probe.ms ?? 0) });
  }
}

function countsText(t: Translate, cells: readonly ConnCell[]): string {
  const c = countCells(cells);
  return c.error > 0
    ? t('limit.counts.errors', { open: c.open, pending: c.pending, errors: c.error })
    : t('limit.counts', { open: c.open, pending: c.pending });
}

function explainKey(protocol: string): MessageKey {
  if (protocol === 'http/1.1') return 'limit.explain.h1';
  if (protocol === 'h2') return 'limit.explain.h2';
  return 'limit.explain.other';
}

function Cells({ kind, cells, label }: { kind: 'sse' | 'ws'; cells: readonly ConnCell[]; label: string }) {
  const { t } = useI18n();
  const name = t(kind === 'sse' ? 'limit.sse' : 'limit.ws');
  return (
    <ol className="limit-cells" aria-label={label} data-testid={`limit-cells-${kind}`}>
      {cells.map((cell, i) => {
        const state = t(`limit.state.${cell.state}`);
        const description =
          cell.state === 'open' && cell.openMs !== null
            ? t('limit.cell.opened', { kind: name, n: i + 1, time: formatDuration(cell.openMs) })
            : t('limit.cell', { kind: name, n: i + 1, state });
        return (
          <li key={i} className={`limit-cell limit-${cell.state}`} title={description} aria-label={description}>
            <span className="limit-cell-n">{i + 1}</span>
            <span className="limit-cell-state">{state}</span>
            <span className="limit-cell-ms">{cell.openMs !== null ? formatDuration(cell.openMs) : '—'}</span>
          </li>
        );
      })}
    </ol>
  );
}

/** Memoised: the App re-renders at the snapshot rate; this panel changes with its own connections. */
export const ConnectionLimitPanel = memo(function ConnectionLimitPanel({ mode, limit }: ConnectionLimitPanelProps) {
  const { t } = useI18n();
  const ids = useId();
  const [raw, setRaw] = useState(String(DEFAULT_STREAMS));
  const [error, setError] = useState<string | null>(null);
  const { state, run, closeAll } = limit;
  const checked = checkStreamCount(raw);
  const live = mode === 'live';
  const busy = state.phase === 'opening' || state.phase === 'probing';
  const hasConnections = busy || state.phase === 'settled';
  const now = useNow(state.probe.state === 'pending');

  // Leaving Live mode closes the demo's connections: the mock worker must not inherit them.
  useEffect(() => {
    if (mode !== 'live') closeAll();
  }, [mode, closeAll]);

  const open = () => {
    if (!checked.ok) return;
    setError(null);
    run(checked.value).catch((e: unknown) => {
      if (e instanceof RangeError) setError(e.message);
    });
  };

  const protocol = state.protocol;
  const [tryBefore, tryAfter = ''] = t('limit.tryH2').split('{command}');
  const result = state.result;
  let status: string | null = null;
  if (state.phase === 'opening') status = t('limit.phase.opening', { n: state.requested });
  else if (state.phase === 'probing') status = t('limit.phase.probing');
  else if (state.phase === 'closed') status = t('limit.phase.closed');
  else if (result) {
    status = t('limit.phase.settled', {
      n: result.requested,
      sseOpen: result.sseOpen,
      ssePending: result.ssePending,
      wsOpen: result.wsOpen,
      probe:
        result.fetchProbe.state === 'pending'
          ? t('limit.probe.stillPending', { time: formatDuration(result.fetchProbe.ms ?? 0) })
          : t(`limit.probe.${result.fetchProbe.state}`, { time: formatDuration(result.fetchProbe.ms ?? 0) }),
    });
  }

  return (
    <section className="conn-limit" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>{t('limit.title')}</h2>
      <p className="note">{t('limit.intro')}</p>
      {!live ? (
        <p className="banner warn" data-testid="limit-needs-live">
          {t('limit.needsLive')}
        </p>
      ) : null}

      <div className="limit-controls">
        <div className="field">
          <label htmlFor={`${ids}-count`}>{t('limit.count')}</label>
          <input
            id={`${ids}-count`}
            type="number"
            inputMode="numeric"
            min={MIN_STREAMS}
            max={MAX_STREAMS}
            step={1}
            value={raw}
            aria-invalid={checked.ok ? undefined : true}
            aria-describedby={checked.ok ? undefined : `${ids}-count-error`}
            onChange={(event) => setRaw(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && live && !busy) open();
            }}
          />
          {!checked.ok ? (
            <span id={`${ids}-count-error`} className="hint error" role="alert">
              {t('limit.count.error', { min: MIN_STREAMS, max: MAX_STREAMS })}
            </span>
          ) : null}
        </div>
        <div className="limit-actions">
          <button type="button" className="primary" disabled={!live || !checked.ok || busy} onClick={open}>
            {t('limit.open')}
          </button>
          <button type="button" disabled={!hasConnections} onClick={closeAll}>
            {t('limit.closeAll')}
          </button>
        </div>
      </div>
      {error ? (
        <p className="banner error" role="alert">
          {t('limit.error', { error })}
        </p>
      ) : null}

      <dl className="limit-facts">
        <div>
          <dt>{t('limit.protocol')}</dt>
          <dd data-testid="limit-protocol">
            <code>{protocol || t('limit.protocol.unknown')}</code>
          </dd>
        </div>
        <div>
          <dt>{t('limit.sse')}</dt>
          <dd data-testid="limit-sse-counts">{countsText(t, state.sse)}</dd>
        </div>
        <div>
          <dt>{t('limit.ws')}</dt>
          <dd data-testid="limit-ws-counts">{countsText(t, state.ws)}</dd>
        </div>
        <div>
          <dt>{t('limit.probe')}</dt>
          <dd data-testid="limit-probe" data-state={state.probe.state}>
            {probeText(t, state, now)}
          </dd>
        </div>
      </dl>

      {state.requested > 0 ? (
        <div className="limit-grid">
          <span className="limit-row-label limit-row-sse" aria-hidden="true">
            {t('limit.sse')}
          </span>
          <Cells kind="sse" cells={state.sse} label={t('limit.cells.sse')} />
          <span className="limit-row-label limit-row-ws" aria-hidden="true">
            {t('limit.ws')}
          </span>
          <Cells kind="ws" cells={state.ws} label={t('limit.cells.ws')} />
        </div>
      ) : null}

      <p className="limit-status" role="status" data-testid="limit-status">
        {status}
      </p>
      <p className="note">{t(explainKey(protocol), { protocol })}</p>
      {protocol !== 'h2' ? (
        <p className="note">
          {tryBefore}
          <code>npm run start:h2</code>
          {tryAfter}
        </p>
      ) : null}
    </section>
  );
});
