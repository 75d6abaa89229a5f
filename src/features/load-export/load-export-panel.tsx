/**
 * The page's load-test export (Runs tab): the scenario and settings on the page as an Artillery
 * script and a k6 script (load-script.ts), and the `npm run load` command that runs the same plan with
 * real Artillery. The Artillery script names `processor.mjs` (the SSE reader and the metrics), which
 * `npm run load -- --write DIR` writes beside it; the k6 script needs a k6 built with xk6-sse.
 */
import { useId, useState } from 'react';
import './load-export.css';
import { useI18n } from '../../i18n/i18n.tsx';
import type { ScenarioConfig } from '../../protocol/scenarios.ts';
import { DEFAULT_LOAD_TARGET, exportLoad } from './load-script.ts';
import { saveBlob } from '../../lib/save-blob.ts';

export interface LoadExportPanelProps {
  /** The scenario the page would run (null while its parameters have errors). */
  config: ScenarioConfig | null;
  /** The lab to load: the page's own server in Live mode. */
  defaultTarget: string | null;
}

function save(name: string, text: string, type: string): void {
  saveBlob(name, new Blob([text], { type }));
}

/** The same plan on the command line: `npm run load -- --scenario ticker --rate 10 …`. */
export function loadCommand(config: ScenarioConfig, clients: number, durationS: number, target: string): string {
  const params = Object.entries(config.params).map(([name, value]) => `--${name} ${value}`);
  return ['npm run load --', `--clients ${clients}`, `--duration ${durationS}`, `--target ${target}`, `--scenario ${config.scenario}`, ...params].join(' ');
}

export function LoadExportPanel({ config, defaultTarget }: LoadExportPanelProps) {
  const { t } = useI18n();
  const ids = useId();
  const [clients, setClients] = useState('100');
  const [duration, setDuration] = useState('60');
  const [target, setTarget] = useState(defaultTarget ?? DEFAULT_LOAD_TARGET);
  const exported = config
    ? exportLoad({ config, target: target.trim(), clients: Number(clients), durationS: Number(duration) })
    : { ok: false as const, error: t('load.noScenario') };
  return (
    <fieldset className="load-export" data-testid="load-export">
      <legend>{t('load.heading')}</legend>
      <p className="note">{t('load.explain')}</p>
      <div className="load-fields">
        <label htmlFor={`${ids}-clients`}>{t('load.clients')}</label>
        <input id={`${ids}-clients`} inputMode="numeric" value={clients} onChange={(e) => setClients(e.target.value)} />
        <label htmlFor={`${ids}-duration`}>{t('load.duration')}</label>
        <input id={`${ids}-duration`} inputMode="numeric" value={duration} onChange={(e) => setDuration(e.target.value)} />
        <label htmlFor={`${ids}-target`}>{t('load.target')}</label>
        <input id={`${ids}-target`} className="load-target" value={target} onChange={(e) => setTarget(e.target.value)} />
      </div>
      {exported.ok ? (
        <>
          <div className="runs-buttons">
            <button type="button" data-testid="load-export-artillery" onClick={() => save('lab-load.artillery.json', exported.value.artillery, 'application/json')}>
              {t('load.artillery')}
            </button>
            <button type="button" data-testid="load-export-k6" onClick={() => save('lab-load.k6.js', exported.value.k6, 'text/javascript')}>
              {t('load.k6')}
            </button>
          </div>
          <pre className="http-head" data-testid="load-command">
            {config ? loadCommand(config, Number(clients), Number(duration), exported.value.plan.target) : ''}
          </pre>
        </>
      ) : (
        <p className="hint error" role="alert" data-testid="load-export-error">
          {exported.error}
        </p>
      )}
    </fieldset>
  );
}
