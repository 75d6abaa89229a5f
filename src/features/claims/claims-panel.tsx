/**
 * Claims vs measured: every claim of the usual answer, what this session measured, and the verdict
 * worked out from it (claims.ts), with a "Show me" button that runs the demo behind the row.
 */
import { memo, useId, useState } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import type { Mode } from '../run/use-run.ts';
import { evaluateClaims, type ClaimRow } from './claims.ts';
import { liveOnlyDemos, type DemoId, type RunDemo } from './demo-id.ts';
import type { Evidence } from './evidence.ts';
import type { MemoryProbeState } from './use-memory-probe.ts';

export interface ClaimsPanelProps {
  mode: Mode;
  evidence: Evidence;
  runDemo: RunDemo;
  memory: MemoryProbeState;
}

function Row({ row, mode, busy, onShow }: { row: ClaimRow; mode: Mode; busy: boolean; onShow: (demo: DemoId) => void }) {
  const { t } = useI18n();
  const needsLive = liveOnlyDemos.has(row.demo) && mode !== 'live';
  const claim = t(row.claim);
  return (
    <tr data-claim={row.id} data-verdict={row.verdict ?? 'none'}>
      <th scope="row">{claim}</th>
      <td className="claim-measured" data-testid={`measured-${row.id}`}>
        {row.measured ? t(row.measured.key, row.measured.vars) : <span className="muted">{t('claims.notYet')}</span>}
      </td>
      <td className="claim-verdict">
        {row.verdict ? <span className={`verdict verdict-${row.verdict}`}>{t(`claims.verdict.${row.verdict}`)}</span> : '—'}
      </td>
      <td className="claim-why">{row.why ? t(row.why.key, row.why.vars) : null}</td>
      <td className="claim-show">
        <button type="button" aria-label={t('claims.showMeNamed', { claim })} disabled={needsLive || busy} onClick={() => onShow(row.demo)}>
          {t('claims.showMe')}
        </button>
        {needsLive ? <span className="hint">{t('claims.needsLive')}</span> : null}
      </td>
    </tr>
  );
}

/** Memoised: the App re-renders at the snapshot rate; this table only changes with the evidence. */
export const ClaimsPanel = memo(function ClaimsPanel({ mode, evidence, runDemo, memory }: ClaimsPanelProps) {
  const { t } = useI18n();
  const ids = useId();
  const rows = evaluateClaims(evidence);
  const [busy, setBusy] = useState<DemoId | null>(null);
  const onShow = (demo: DemoId) => {
    setBusy(demo);
    void runDemo(demo).finally(() => setBusy(null));
  };
  const groups = [
    ['table', 'claims.group.table'],
    ['llm', 'claims.group.llm'],
  ] as const;
  return (
    <section className="claims" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>{t('claims.title')}</h2>
      <p className="note">{t('claims.note')}</p>
      {busy ? (
        <p className="hint" role="status">
          {t('claims.probe.running')}
        </p>
      ) : null}
      {memory.phase === 'error' ? (
        <p className="hint error" role="alert">
          {t('claims.probe.memoryError', { error: memory.message })}
        </p>
      ) : null}
      {groups.map(([group, title]) => (
        <table key={group} className="claims-table">
          <caption>{t(title)}</caption>
          <thead>
            <tr>
              <th scope="col">{t('claims.head.claim')}</th>
              <th scope="col">{t('claims.head.measured')}</th>
              <th scope="col">{t('claims.head.verdict')}</th>
              <th scope="col">{t('claims.head.why')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('claims.showMe')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows
              .filter((r) => r.group === group)
              .map((row) => (
                <Row key={row.id} row={row} mode={mode} busy={busy !== null} onShow={onShow} />
              ))}
          </tbody>
        </table>
      ))}
    </section>
  );
});
