import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { findScenario, parseScenarioQuery, type ScenarioName } from '../protocol/scenarios.ts';
import { useCatalogue } from '../features/catalogue/use-catalogue.ts';
import { RunCharts } from '../features/charts/run-charts.tsx';
import { useInView } from '../features/charts/use-in-view.ts';
import { ControlsPanel } from '../features/controls/controls-panel.tsx';
import { validateParams } from '../features/controls/param-field.tsx';
import { FaultsPanel } from '../features/faults/faults-panel.tsx';
import { ConnectionLimitPanel } from '../features/conn-limit/connection-limit-panel.tsx';
import { useConnectionLimit } from '../features/conn-limit/use-connection-limit.ts';
import { InspectorPanel } from '../features/inspector/inspector-panel.tsx';
import { useOriginDemo } from '../features/inspector/use-origin-demo.ts';
import { useRunLog } from '../features/inspector/use-run-log.ts';
import { parseStreamOptions } from '../protocol/stream-options.ts';
import { LanePanel } from '../features/lanes/lane-panel.tsx';
import { useRun, type Mode } from '../features/run/use-run.ts';
import { I18nProvider } from '../i18n/i18n.tsx';
import { richText } from '../i18n/rich-text.tsx';
import { langs, translate, type Translate } from '../i18n/translate.ts';
import { readUrlState, settingSpecs, switchScenario, writeUrlState, type LabUrlState } from './url-state.ts';

export function App() {
  const [state, setState] = useState<LabUrlState>(() => readUrlState(window.location.search));
  // The bearer token the fetch lane sends: kept out of the URL on purpose.
  const [token, setToken] = useState('');
  const catalogue = useCatalogue(state.mode, state.lang);
  // Off-screen charts keep their last picture while a run is on: an SVG redraw nobody sees would
  // still block the main thread, and so delay every lane's receive stamps.
  const [chartsRef, chartsInView] = useInView<HTMLDivElement>();
  const run = useRun(chartsInView);
  const limit = useConnectionLimit();
  const runLog = useRunLog(state.mode, run.snapshot?.runId ?? null, run.running);
  const origin = useOriginDemo();
  const autostarted = useRef(false);

  useEffect(() => {
    document.documentElement.lang = state.lang === 'zh' ? 'zh-Hans' : 'en';
  }, [state.lang]);

  useEffect(() => {
    const search = writeUrlState(state);
    if (search !== window.location.search) window.history.replaceState(null, '', search);
  }, [state]);

  const spec = findScenario(state.scenario);
  // This component renders the I18nProvider, so it translates with its own `t` (useI18n is for below).
  const lang = state.lang;
  const t = useCallback<Translate>((key, vars) => translate(lang, key, vars), [lang]);
  const errors = useMemo(() => (spec ? validateParams(spec.params, state.values, t) : {}), [spec, state.values, t]);
  const settingErrors = useMemo(() => validateParams(settingSpecs, state.settings, t), [state.settings, t]);
  const invalid =
    Object.keys(errors).length > 0 || Object.keys(settingErrors).length > 0 || state.lanes.length === 0;

  const start = useCallback(() => {
    const scenario = parseScenarioQuery({ scenario: state.scenario, ...state.values });
    const options = parseStreamOptions(state.settings);
    if (!scenario.ok || !options.ok) return;
    const n = (name: string) => Number(state.settings[name]);
    run.start(
      {
        scenario: scenario.value,
        options: options.value,
        backoff: { baseMs: n('backoffBase'), capMs: n('backoffCap'), maxAttempts: n('backoffMax') },
        lanes: state.lanes,
        token: token.trim() || undefined,
        fetchResume: state.fetchResume,
        format: state.scenario === 'llm' ? state.format : 'lab',
        lang: state.lang,
      },
      state.mode,
    );
  }, [run, state, token]);

  useEffect(() => {
    if (!state.autostart || autostarted.current) return;
    autostarted.current = true;
    if (!invalid) start();
  }, [state.autostart, invalid, start]);

  const lanes = run.snapshot?.lanes ?? [];
  const chartSnapshot = run.chartSnapshot;
  // While a run is on, its own lanes; before the first run, the lanes picked.
  const shownLanes = run.snapshot ? lanes.map((l) => l.kind) : state.lanes;
  const showText = state.scenario === 'llm' || lanes.some((l) => l.text.length > 0);

  return (
    <I18nProvider lang={state.lang}>
    <div className="app">
      <header className="app-header">
        <div className="app-title-row">
          <h1>{t('app.title')}</h1>
          <div className="lang-switch" role="group" aria-label={t('app.language')}>
            {langs.map((lang) => (
              <button
                key={lang}
                type="button"
                lang={lang === 'zh' ? 'zh-Hans' : 'en'}
                aria-pressed={state.lang === lang}
                onClick={() => setState((s) => ({ ...s, lang }))}
              >
                {translate(lang, `app.language.${lang}`)}
              </button>
            ))}
          </div>
        </div>
        <p>{t('app.intro')}</p>
      </header>

      <main>
        <ControlsPanel
          mode={state.mode}
          scenarios={catalogue.scenarios}
          scenario={state.scenario}
          values={state.values}
          catalogueNote={
            state.mode === 'mock'
              ? t('app.note.mock')
              : catalogue.source === 'server'
                ? t('app.note.live')
                : catalogue.loading
                  ? t('app.note.liveLoading')
                  : null
          }
          catalogueError={catalogue.error}
          running={run.running}
          starting={run.starting}
          settingsInvalid={Object.keys(settingErrors).length > 0}
          lanes={state.lanes}
          onLanesChange={(next) => setState((s) => ({ ...s, lanes: next }))}
          token={token}
          onTokenChange={setToken}
          fetchResume={state.fetchResume}
          format={state.format}
          onFormatChange={(format) => setState((s) => ({ ...s, format }))}
          onFetchResumeChange={(fetchResume) => setState((s) => ({ ...s, fetchResume }))}
          onModeChange={(mode: Mode) => setState((s) => ({ ...s, mode }))}
          onScenarioChange={(name: ScenarioName) => setState((s) => switchScenario(s, name))}
          onValueChange={(name, value) => setState((s) => ({ ...s, values: { ...s.values, [name]: value } }))}
          onStart={start}
          onStop={run.stop}
          onCancel={run.cancel}
        />
        {run.startError ? (
          <p className="banner error" role="alert">
            {t(run.startError.key, run.startError.vars)}
          </p>
        ) : null}

        <div className={`lanes lanes-${shownLanes.length}`}>
          {shownLanes.map((kind) => (
            <LanePanel
              key={kind}
              kind={kind}
              lane={lanes.find((l) => l.kind === kind) ?? null}
              showText={showText}
              showChat={state.scenario === 'chat'}
              onReconnect={() => run.reconnect(kind)}
            />
          ))}
        </div>

        <div ref={chartsRef}>
          <RunCharts
            lanes={chartSnapshot?.lanes ?? []}
            elapsedS={chartSnapshot?.elapsedS ?? 0}
            showRtt={state.scenario === 'chat'}
          />
        </div>

        <FaultsPanel
          mode={state.mode}
          runId={run.snapshot?.runId ?? null}
          running={run.running}
          settingSpecs={settingSpecs}
          settings={state.settings}
          errors={settingErrors}
          onSettingChange={(name, value) => setState((s) => ({ ...s, settings: { ...s.settings, [name]: value } }))}
        />
        <ConnectionLimitPanel mode={state.mode} limit={limit} />
        <InspectorPanel
          mode={state.mode}
          runId={run.snapshot?.runId ?? null}
          records={runLog.data ?? []}
          loadError={runLog.error ? runLog.error.message : null}
          origin={origin}
        />
      </main>

      <footer className="app-footer">
        <span>v{__LAB_VERSION__}</span>
        <span>
          {richText(t('app.footer.latency'), { clock: <code>performance.timeOrigin + performance.now()</code> })}
        </span>
      </footer>
    </div>
    </I18nProvider>
  );
}
