/**
 * The "Runs" lesson tab: export the run on the page (a run file, CSV per lane, the charts as PNG or
 * SVG), open run files (a file input; dropping a file anywhere on the page does the same), choose
 * which run the page shows, and put two runs side by side.
 *
 * Test hooks (README, "Keep a run"): `runs-export-json`, `runs-export-csv-<lane kind>`,
 * `runs-export-png`, `runs-export-svg`, `runs-import` (the file input), `run-file-status`,
 * `run-file-error`, `open-run` (one per open file, `data-file`), `runs-compare-left` /
 * `runs-compare-right` (the pickers) and `compare-left` / `compare-right` (the two columns).
 */
import { lazy, Suspense, useId, useState } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import { showText } from '../../i18n/local-text.ts';
import { laneTitleKeys } from '../lanes/lane-registry.ts';
import { laneRowSpecs, laneRows } from '../lanes/lane-rows.tsx';
import type { RunSnapshot } from '../run/run-session.ts';
import { chartsPng, chartsSvg } from './chart-export.ts';
import { laneCsv } from './lane-csv.ts';
import { recordedMeta } from './recorded-banner.tsx';
import type { RecordedRun } from './recorded-run.ts';
import { saveBlob } from '../../lib/save-blob.ts';
import { runFileName, runFileText, type RunFile } from './run-file-format.ts';
import type { RunFiles } from './use-run-files.ts';
import './run-file.css';

const RunCharts = lazy(() => import('../charts/run-charts.tsx'));

export interface RunsPanelProps {
  /** The current (not imported) run's newest snapshot, if there is one. */
  current: RunSnapshot | null;
  /** The run file on the page, or null when the page shows the current run. */
  shown: RecordedRun | null;
  files: RunFiles;
  onShow(id: string | null): void;
  /** The current run as a run file (its snapshot becomes the page's); null when there is none. */
  exportCurrent(): Promise<RunFile | null>;
  /** The page's own charts (for the PNG). */
  chartsRoot(): ParentNode | null;
}

const CURRENT = 'current';

export function RunsPanel({ current, shown, files, onShow, exportCurrent, chartsRoot }: RunsPanelProps) {
  const { t, lang } = useI18n();
  const ids = useId();
  const [message, setMessage] = useState<string | null>(null);
  const [left, setLeft] = useState<string>(CURRENT);
  const [right, setRight] = useState<string>(CURRENT);
  const onPage = shown ? shown.snapshot : current;
  const locale = lang === 'zh' ? 'zh-CN' : 'en-GB';
  const runName = (id: string) =>
    id === CURRENT ? t(current ? 'runs.current' : 'runs.current.none') : (files.runs.find((r) => r.id === id)?.name ?? '?');

  /** The run on the page as a file: the opened file itself, or the current run exported now. */
  const fileOnPage = async (): Promise<RunFile | null> => (shown ? shown.file : exportCurrent());

  const act = async (what: (file: RunFile) => Promise<string> | string) => {
    try {
      const file = await fileOnPage();
      if (!file) return;
      setMessage(t('runs.export.saved', { file: await what(file) }));
    } catch (error) {
      setMessage(t('runs.export.failed', { error: error instanceof Error ? error.message : String(error) }));
    }
  };

  const caption = (file: RunFile) =>
    `${shown ? shown.name : t('runs.current')} · ${file.settings.scenario} · ${file.exportedAt}`;

  const exportJson = () =>
    act((file) => {
      const name = runFileName(file);
      saveBlob(name, new Blob([runFileText(file)], { type: 'application/json' }));
      return name;
    });
  const exportCsv = (kind: string) =>
    act((file) => {
      const lane = file.lanes.find((l) => l.kind === kind);
      if (!lane) throw new Error(kind);
      const name = runFileName(file, 'csv', `-${kind}`);
      saveBlob(name, new Blob([laneCsv(lane, file.run.startedAt)], { type: 'text/csv' }));
      return name;
    });
  const exportPng = () =>
    act(async (file) => {
      const root = chartsRoot();
      if (!root) throw new Error('no charts on the page');
      const name = runFileName(file, 'png', '-charts');
      saveBlob(name, await chartsPng(root, caption(file)));
      return name;
    });
  const exportSvg = () =>
    act((file) => {
      const name = runFileName(file, 'svg', '-charts');
      const svg = chartsSvg(
        file.lanes.map((l) => l.view),
        file.run.elapsedS,
        {
          latencyTitle: t('charts.latency.title'),
          framesTitle: t('charts.frames.title'),
          framesAxis: t('charts.frames.axis'),
          laneTitle: (kind) => t(laneTitleKeys[kind]),
          caption: caption(file),
        },
      );
      saveBlob(name, new Blob([svg], { type: 'image/svg+xml' }));
      return name;
    });

  const status = files.status;
  const options = [CURRENT, ...files.runs.map((r) => r.id)];
  const pick = (id: string) => (options.includes(id) ? id : CURRENT);
  const side = (id: string): { name: string; snapshot: RunSnapshot | null; scenario: string | null } => {
    const run = files.runs.find((r) => r.id === id);
    return run
      ? { name: run.name, snapshot: run.snapshot, scenario: run.file.settings.scenario }
      : { name: runName(CURRENT), snapshot: current, scenario: null };
  };
  const comparing = files.runs.length > 0;

  return (
    <div className="runs-panel">
      <h2>{t('runs.title')}</h2>
      <p className="note">{t('runs.intro')}</p>
      <div className="runs-actions">
        <fieldset>
          <legend>{t('runs.export.heading')}</legend>
          <p className="runs-what">
            {onPage ? t('runs.export.of', { run: shown ? shown.name : t('runs.current') }) : t('runs.export.none')}
          </p>
          <div className="runs-buttons">
            <button type="button" data-testid="runs-export-json" disabled={!onPage} onClick={() => void exportJson()}>
              {t('runs.export.json')}
            </button>
            {(onPage?.lanes ?? []).map((lane) => (
              <button
                key={lane.kind}
                type="button"
                data-testid={`runs-export-csv-${lane.kind}`}
                onClick={() => void exportCsv(lane.kind)}
              >
                {t('runs.export.csv', { lane: t(laneTitleKeys[lane.kind]) })}
              </button>
            ))}
            <button type="button" data-testid="runs-export-png" disabled={!onPage} onClick={() => void exportPng()}>
              {t('runs.export.png')}
            </button>
            <button type="button" data-testid="runs-export-svg" disabled={!onPage} onClick={() => void exportSvg()}>
              {t('runs.export.svg')}
            </button>
          </div>
          <p className="runs-message" role="status">
            {message}
          </p>
        </fieldset>
        <fieldset>
          <legend>{t('runs.import.heading')}</legend>
          <label className="runs-import" htmlFor={`${ids}-import`}>
            {t('runs.import.label')}
          </label>
          <input
            id={`${ids}-import`}
            type="file"
            accept=".json,application/json"
            data-testid="runs-import"
            aria-describedby={`${ids}-drop`}
            onChange={(event) => {
              const input = event.currentTarget;
              const file = input.files?.[0];
              if (file) void files.open(file).finally(() => (input.value = ''));
            }}
          />
          <p id={`${ids}-drop`} className="note">
            {t('runs.import.drop')}
          </p>
          {status.kind === 'refused' ? (
            <p className="banner error" role="alert" data-testid="run-file-error">
              {t('runs.import.refused', { file: status.name, reason: showText(t, status.reason) })}
            </p>
          ) : (
            <p role="status" data-testid="run-file-status" className="runs-message">
              {status.kind === 'opened' ? t('runs.import.opened', { file: status.name }) : null}
            </p>
          )}
        </fieldset>
        <fieldset>
          <legend>{t('runs.open.heading')}</legend>
          {files.runs.length === 0 ? <p className="note">{t('runs.open.none')}</p> : null}
          <ul className="runs-open">
            {files.runs.map((run) => (
              <li key={run.id} data-testid="open-run" data-file={run.name}>
                <strong>{run.name}</strong>
                <span className="recorded-meta">{recordedMeta(t, run, locale)}</span>
                <span className="runs-buttons">
                  <button type="button" aria-pressed={shown?.id === run.id} onClick={() => onShow(shown?.id === run.id ? null : run.id)}>
                    {t(shown?.id === run.id ? 'runs.open.shown' : 'runs.open.show')}
                  </button>
                  <button
                    type="button"
                    aria-label={t('runs.open.closeLabel', { file: run.name })}
                    onClick={() => {
                      if (shown?.id === run.id) onShow(null);
                      files.close(run.id);
                    }}
                  >
                    {t('runs.open.close')}
                  </button>
                </span>
              </li>
            ))}
          </ul>
        </fieldset>
      </div>

      <section className="runs-compare-section" aria-labelledby={`${ids}-compare`}>
        <h3 id={`${ids}-compare`}>{t('runs.compare.heading')}</h3>
        {!comparing ? (
          <p className="note">{t('runs.compare.empty')}</p>
        ) : (
          <>
            <div className="runs-pickers">
              {(['left', 'right'] as const).map((which) => (
                <label key={which}>
                  {t(which === 'left' ? 'runs.compare.left' : 'runs.compare.right')}{' '}
                  <select
                    data-testid={`runs-compare-${which}`}
                    value={pick(which === 'left' ? left : right)}
                    onChange={(event) => (which === 'left' ? setLeft : setRight)(event.currentTarget.value)}
                  >
                    {options.map((id) => (
                      <option key={id} value={id}>
                        {runName(id)}
                      </option>
                    ))}
                  </select>
                </label>
              ))}
            </div>
            <div className="run-compare">
              {(['left', 'right'] as const).map((which) => {
                const chosen = side(pick(which === 'left' ? left : right));
                return <CompareColumn key={which} testId={`compare-${which}`} {...chosen} />;
              })}
            </div>
          </>
        )}
      </section>
    </div>
  );
}

/** One run of the comparison: its numbers (the lanes' rows, as the lanes word them) and its charts. */
function CompareColumn({
  testId,
  name,
  snapshot,
  scenario,
}: {
  testId: string;
  name: string;
  snapshot: RunSnapshot | null;
  scenario: string | null;
}) {
  const { t } = useI18n();
  const lanes = snapshot?.lanes ?? [];
  const kinds = lanes.map((l) => l.kind);
  const showText = scenario === 'llm' || lanes.some((l) => l.text.length > 0);
  const showChat = scenario === 'chat' || lanes.some((l) => l.chat.sent > 0);
  const rows = laneRows(kinds, showText, showChat);
  return (
    <div className="compare-column" data-testid={testId} data-run={name}>
      <table className="compare-table">
        <caption>{t('runs.compare.numbers', { run: name })}</caption>
        <thead>
          <tr>
            <td />
            {lanes.map((lane) => (
              <th key={lane.kind} scope="col" className={`legend-item legend-${lane.kind}`}>
                {t(laneTitleKeys[lane.kind])}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((id) => (
            <tr key={id} data-row={id}>
              <th scope="row">{t(laneRowSpecs[id].label)}</th>
              {lanes.map((lane) => (
                <td key={lane.kind} data-lane-kind={lane.kind}>
                  {laneRowSpecs[id].value(lane, lane.kind, t) ?? '—'}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {snapshot ? (
        <Suspense fallback={null}>
          <RunCharts lanes={lanes} elapsedS={snapshot.elapsedS} showRtt={false} />
        </Suspense>
      ) : null}
    </div>
  );
}
