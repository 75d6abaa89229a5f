/**
 * One line above the lanes while a run file is on the page: which file, when and where it was
 * recorded, and the way back to the current run. Also the overlay shown while a file is dragged over
 * the page.
 */
import { useI18n } from '../../i18n/i18n.tsx';
import type { Translate } from '../../i18n/translate.ts';
import { browserName, truncation, type RecordedRun } from './recorded-run.ts';
import { MAX_RECORDED_FRAMES_PER_LANE } from './run-file-limits.ts';
import './run-file.css';

/** "recorded 2025-06-01 12:00 · ticker · Mock · Chrome 131 · lab 0.1.0 · http/1.1". */
export function recordedMeta(t: Translate, run: RecordedRun, locale: string): string {
  const { file } = run;
  const date = new Date(file.exportedAt);
  return t('runs.recorded.meta', {
    date: Number.isNaN(date.getTime()) ? file.exportedAt : date.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' }),
    scenario: file.settings.scenario,
    mode: t(file.environment.mode === 'live' ? 'controls.mode.live' : 'controls.mode.mock'),
    browser: browserName(file.environment.browser),
    version: file.environment.labVersion,
    protocol: file.environment.server.protocol ?? '—',
  });
}

export function RecordedBanner({ run, onBack }: { run: RecordedRun; onBack(): void }) {
  const { t, lang } = useI18n();
  const cut = truncation(run.file);
  return (
    <div className="recorded-banner" data-testid="recorded-run" data-file={run.name} role="note">
      <strong>{t('runs.recorded.label', { file: run.name })}</strong>
      <span className="recorded-meta">{recordedMeta(t, run, lang === 'zh' ? 'zh-CN' : 'en-GB')}</span>
      {cut ? (
        <span className="recorded-partial">
          {t('runs.recorded.partial', { kept: cut.kept, seen: cut.seen, max: MAX_RECORDED_FRAMES_PER_LANE })}
        </span>
      ) : null}
      <button type="button" data-testid="recorded-run-back" onClick={onBack}>
        {t('runs.recorded.back')}
      </button>
    </div>
  );
}

export function DropOverlay() {
  const { t } = useI18n();
  return (
    <div className="run-drop-overlay" aria-hidden="true">
      <p>{t('runs.drop.overlay')}</p>
    </div>
  );
}
