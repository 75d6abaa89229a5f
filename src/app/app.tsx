import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState, type CSSProperties } from 'react';
import { findScenario, parseScenarioQuery, type ScenarioName } from '../protocol/scenarios.ts';
import { useCatalogue } from '../features/catalogue/use-catalogue.ts';
import { ControlsPanel } from '../features/controls/controls-panel.tsx';
import { validateParams } from '../features/controls/param-field.tsx';
import { FaultsPanel } from '../features/faults/faults-panel.tsx';
import { ConnectionLimitPanel } from '../features/conn-limit/connection-limit-panel.tsx';
import { useConnectionLimit } from '../features/conn-limit/use-connection-limit.ts';
import { InspectorPanel } from '../features/inspector/inspector-panel.tsx';
import { useOriginDemo } from '../features/inspector/use-origin-demo.ts';
import { LlmApisPanel } from '../features/llm-apis/llm-apis-panel.tsx';
import { PROVIDER_PATH } from '../protocol/provider-wire.ts';
import { useNamedEventTrap } from '../features/llm-apis/use-named-event-trap.ts';
import { useMcpDemo } from '../features/mcp/use-mcp-demo.ts';
import { useRunLog } from '../features/inspector/use-run-log.ts';
import { liveOnlyDemos, type DemoId, type RunDemo } from '../features/claims/demo-id.ts';
import { useMemoryProbe } from '../features/claims/use-memory-probe.ts';
import type { StreamRecord } from '../protocol/stream-log.ts';
import { measureParseCost, type ParseCost } from '../features/claims/parse-bench.ts';
import { applyRunDemo, demoSpecs } from './demos.ts';
import { ClaimsPanel } from '../features/claims/claims-panel.tsx';
import { useEvidence, type RunOnScreen } from '../features/claims/use-evidence.ts';
import { mergeEvidence, type Evidence } from '../features/claims/evidence.ts';
import { parseStreamOptions } from '../protocol/stream-options.ts';
import { LaneLabels, LanePanel } from '../features/lanes/lane-panel.tsx';
import { laneRows } from '../features/lanes/lane-rows.tsx';
import { withSenderFigures } from '../features/lanes/sender-backpressure.ts';
import { preciseNow } from '../protocol/frame.ts';
import { LessonTabs } from './lesson-tabs.tsx';
import { useThrottled } from './use-throttled.ts';
import { useRun, type Mode, type PageMode } from '../features/run/use-run.ts';
import { checkEndpoints, runEndpoints, urlModeLanes, type UrlEndpoints } from '../features/url-mode/endpoints.ts';
import { UrlModeOff } from '../features/url-mode/url-mode-off.tsx';
import type { LaneView } from '../features/run/run-session.ts';
import { I18nProvider } from '../i18n/i18n.tsx';
import { richText } from '../i18n/rich-text.tsx';
import { showText as textOf } from '../i18n/local-text.ts';
import { langs, loadLang, translate, type Translate } from '../i18n/translate.ts';
import { readUrlState, settingSpecs, switchScenario, writeUrlState, type LabUrlState, type LessonPanel } from './url-state.ts';
import { TourPanel } from '../features/tour/tour-panel.tsx';
import { DropOverlay, RecordedBanner } from '../features/run-file/recorded-banner.tsx';
import { useRunFiles } from '../features/run-file/use-run-files.ts';
import type { RecordedRun } from '../features/run-file/recorded-run.ts';
import type { RunFile } from '../features/run-file/run-file-format.ts';
import { labApi } from '../lib/mode.ts';
import type { TourStep } from '../features/tour/tour-steps.ts';

/** One empty log for every render before the first answer, so memoised panels see no change. */
const noRecords: readonly StreamRecord[] = [];

/** The charts (and their libraries) load once the page is idle after its first paint, or when a run
 *  starts: the controls and lanes never wait for them. */
const RunCharts = lazy(() => import('../features/charts/run-charts.tsx').then((m) => ({ default: m.RunCharts })));
/** The Runs tab (export, import, side by side) loads when it is first opened or a file is dropped. */
const RunsPanel = lazy(() => import('../features/run-file/runs-panel.tsx').then((m) => ({ default: m.RunsPanel })));
/** The load-test export (Artillery, k6) sits in the Runs tab and loads with it. */
const LoadExportPanel = lazy(() => import('../features/load-export/load-export-panel.tsx').then((m) => ({ default: m.LoadExportPanel })));

/**
 * URL mode: EventSource is open and has nothing while fetch + SSE gets frames from the same URL — the
 * server names its events, and onmessage only sees unnamed ones (the named-event trap).
 */
function namedEventsSuspected(lanes: readonly LaneView[]): boolean {
  const es = lanes.find((l) => l.kind === 'eventsource');
  const fetchLane = lanes.find((l) => l.kind === 'fetch-sse');
  return es !== undefined && fetchLane !== undefined && es.state === 'open' && es.frames === 0 && fetchLane.frames >= 5;
}

/** URL mode: the URL a lane opens, as its subtitle. */
function laneUrl(kind: string, endpoints: UrlEndpoints): string | undefined {
  if (kind === 'websocket') return endpoints.ws.trim() || undefined;
  if (kind === 'eventsource') return endpoints.sse.trim() ? `GET ${endpoints.sse.trim()}` : undefined;
  if (kind === 'fetch-sse') return endpoints.sse.trim() ? `${endpoints.method} ${endpoints.sse.trim()}` : undefined;
  return undefined;
}

/** `servedMode`: the mode when the URL names none (Live on the lab's own server, Mock on a static host). */
export function App({ servedMode = 'mock' }: { servedMode?: Mode }) {
  const [state, setState] = useState<LabUrlState>(() => readUrlState(window.location.search, servedMode));
  // The bearer token the fetch lane sends: kept out of the URL on purpose.
  const [token, setToken] = useState('');
  /** URL mode: the lab's own backend (for the panels that stay) is the one this page is served with. */
  const labMode: Mode = state.mode === 'url' ? servedMode : state.mode;
  const urlMode = state.mode === 'url';
  const catalogue = useCatalogue(labMode, state.lang);
  const run = useRun();
  const [chartsWanted, setChartsWanted] = useState(false);
  useEffect(() => {
    const idle = window.requestIdleCallback ?? ((callback: () => void) => window.setTimeout(callback, 200));
    idle(() => setChartsWanted(true));
  }, []);
  const limit = useConnectionLimit();
  /** The mode the current run was started in (the switch may have moved since). */
  const runModeRef = useRef<PageMode>(state.mode);
  const [runMode, setRunMode] = useState<PageMode>(state.mode);
  // Someone else's server keeps no run log for the lab to read.
  const runLog = useRunLog(labMode, runMode === 'url' ? null : (run.snapshot?.runId ?? null), run.running);
  const origin = useOriginDemo();
  const trap = useNamedEventTrap();
  const mcp = useMcpDemo();
  const autostarted = useRef(false);
  const memory = useMemoryProbe();
  const [parseCost, setParseCost] = useState<ParseCost | null>(null);
  /** The scenario of the run on screen (the URL may have moved on since). */
  const [runScenario, setRunScenario] = useState<RunOnScreen | null>(null);
  /** What earlier runs of this session measured, for the claims table. */
  const [pastEvidence, setPastEvidence] = useState<Evidence>({});
  const snapshotRunId = run.snapshot?.runId ?? null;
  // Run files (src/features/run-file/): the one on the page instead of the current run, if any.
  const [shownFileId, setShownFileId] = useState<string | null>(null);
  const [runsWanted, setRunsWanted] = useState(() => state.panel === 'runs');
  const onFileOpened = useCallback((opened: RecordedRun) => {
    setShownFileId(opened.id);
    setRunsWanted(true);
  }, []);
  const files = useRunFiles(onFileOpened);
  const shownFile = files.runs.find((r) => r.id === shownFileId) ?? null;
  const chartsRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    document.documentElement.lang = state.lang === 'zh' ? 'zh-Hans' : 'en';
  }, [state.lang]);

  useEffect(() => {
    const search = writeUrlState(state);
    if (search !== window.location.search) window.history.replaceState(null, '', search);
  }, [state]);

  // The server's own catalogue in Live mode (its rate cap may be raised with LAB_MAX_RATE).
  const spec = catalogue.scenarios.find((sc) => sc.name === state.scenario) ?? findScenario(state.scenario);
  // This component renders the I18nProvider, so it translates with its own `t` (useI18n is for below).
  const lang = state.lang;
  const t = useCallback<Translate>((key, vars) => translate(lang, key, vars), [lang]);
  const errors = useMemo(() => (spec ? validateParams(spec.params, state.values, t) : {}), [spec, state.values, t]);
  const settingErrors = useMemo(() => validateParams(settingSpecs, state.settings, t), [state.settings, t]);
  const endpointProblems = useMemo(() => checkEndpoints(state.endpoints, window.location.protocol), [state.endpoints]);
  const runnableUrlLanes = useMemo(() => urlModeLanes(state.lanes, state.endpoints), [state.lanes, state.endpoints]);
  const invalid = urlMode
    ? Object.keys(endpointProblems).length > 0 || Object.keys(settingErrors).length > 0 || runnableUrlLanes.length === 0
    : Object.keys(errors).length > 0 || Object.keys(settingErrors).length > 0 || state.lanes.length === 0;

  // The claims table follows a running run once a second (its numbers settle at the end anyway);
  // only the lanes and the charts redraw at every snapshot.
  const evidenceSnapshot = useThrottled(run.snapshot, 1000, !run.running);
  const { evidence, current: currentEvidence } = useEvidence({
    past: pastEvidence,
    run: runScenario,
    snapshot: evidenceSnapshot,
    records: runLog.data ?? noRecords,
    limit: limit.state.result,
    origin: origin.state,
    mcp: mcp.state,
    memory: memory.state,
    parse: parseCost,
  });

  // Stable callbacks of the run (the `run` object itself is new on every render).
  const startRun = run.start;
  const stopRun = run.stop;

  /** The scenario on the page, for the load-test export (null while a parameter is wrong). */
  const loadScenario = parseScenarioQuery({ scenario: state.scenario, ...state.values }, catalogue.scenarios);
  const loadConfig = loadScenario.ok ? loadScenario.value : null;

  /** Starts a run of `s` (the URL state, or the one a demo is about to set). */
  const startWith = useCallback((s: LabUrlState) => {
    const url = s.mode === 'url';
    // URL mode runs no scenario; the run config still carries one (the lab's default) for its shape.
    const scenario = parseScenarioQuery(url ? { scenario: s.scenario } : { scenario: s.scenario, ...s.values }, catalogue.scenarios);
    const options = parseStreamOptions(s.settings);
    if (!scenario.ok || !options.ok) return;
    if (url && Object.keys(checkEndpoints(s.endpoints, window.location.protocol)).length > 0) return;
    // A run needs connections: free the ones the connection-limit demo holds.
    limit.closeAll();
    // The run on screen keeps what it measured in the claims table.
    setPastEvidence((past) => mergeEvidence(past, currentEvidence));
    // Someone else's numbers are no evidence for the lab's claims.
    setRunScenario(url ? null : { scenario: scenario.value, fetchResume: s.fetchResume, replaces: snapshotRunId });
    // A new run goes on the page in place of a run file shown there.
    setShownFileId(null);
    runModeRef.current = s.mode;
    setRunMode(s.mode);
    const n = (name: string) => Number(s.settings[name]);
    startRun(
      {
        scenario: scenario.value,
        options: options.value,
        backoff: { baseMs: n('backoffBase'), capMs: n('backoffCap'), maxAttempts: n('backoffMax') },
        lanes: url ? urlModeLanes(s.lanes, s.endpoints) : s.lanes,
        token: url ? undefined : token.trim() || undefined,
        fetchResume: s.fetchResume,
        format: s.scenario === 'llm' && !url ? s.format : 'lab',
        api: s.scenario === 'llm' && !url ? s.api : 'lab',
        ...(url ? { endpoints: runEndpoints(s.endpoints) } : {}),
        agentVariant: s.agentVariant,
        consumeMs: n('slowMs'),
      },
      s.mode,
    );
  }, [startRun, token, snapshotRunId, currentEvidence, limit, catalogue.scenarios]);
  const start = useCallback(() => startWith(state), [startWith, state]);

  /**
   * A tour step or a claims row runs the demo behind it. `reveal` (the tour): open the lesson tab where
   * its evidence shows and bring it into view. A claims row's "Show me" stays in the claims table,
   * whose row fills with what the demo measured.
   */
  const runDemoAt = useCallback(
    async (id: DemoId, reveal: boolean) => {
      const spec = demoSpecs[id];
      // The connection-limit demo's streams hold the browser's 6 connections to this server: free
      // them before anything else needs one (its result stays on screen).
      if (id !== 'limit') limit.closeAll();
      const section = spec.section;
      const panel = reveal && section !== 'lanes' ? section : state.panel;
      if (reveal) requestAnimationFrame(() => document.getElementById(`section-${section}`)?.scrollIntoView({ block: 'start' }));
      if (spec.kind === 'run') {
        // A demo runs the lab's scenario on the lab's server: URL mode gives way to the served mode.
        const base = state.mode === 'url' ? { ...state, mode: servedMode } : state;
        const next = { ...applyRunDemo(base, spec), panel };
        setState(next);
        startWith(next);
        return;
      }
      setState((s) => ({ ...s, panel }));
      if (liveOnlyDemos.has(id) && labMode !== 'live') return;
      if (id === 'limit') {
        // A run's SSE lanes would hold connections of the same pool and blur the count.
        stopRun();
        await limit.run(8).catch(() => undefined);
      }
      else if (id === 'origin') await origin.run();
      else if (id === 'mcp') await mcp.run(2);
      else if (id === 'memory') await memory.run();
      else if (id === 'parse') {
        // Let the button's state paint before the main thread is busy measuring.
        await new Promise((resolve) => setTimeout(resolve, 50));
        const size = Number(state.values.size);
        setParseCost(measureParseCost(Number.isFinite(size) && size > 0 ? size : 100));
      }
    },
    [state, startWith, limit, origin, memory, mcp, stopRun, servedMode, labMode],
  );
  const runDemo = useCallback<RunDemo>((id) => runDemoAt(id, true), [runDemoAt]);
  const runDemoInPlace = useCallback<RunDemo>((id) => runDemoAt(id, false), [runDemoAt]);

  useEffect(() => {
    // In Live mode, wait for the server's catalogue: it says which values this server accepts.
    if (!state.autostart || autostarted.current || catalogue.loading) return;
    autostarted.current = true;
    // A tour link with autostart=1 runs its step's demo instead (the tour panel does that).
    if (state.tour !== null) return;
    // Starting a run on page load is what this effect is for; it runs once (the ref above).
    // eslint-disable-next-line react-hooks/set-state-in-effect
    if (!invalid) start();
  }, [state.autostart, state.tour, invalid, start, catalogue.loading]);

  // Guided tour: the header button (re)starts it at step 1 and focuses it; leaving it focuses that button again.
  const tourButton = useRef<HTMLButtonElement>(null);
  const [tourSession, setTourSession] = useState(0);
  const closeLimit = limit.closeAll;
  const running = run.running;
  const startTour = () => {
    setTourSession((n) => n + 1);
    setState((s) => ({ ...s, tour: 1 }));
  };
  const exitTour = useCallback(() => {
    setState((s) => ({ ...s, tour: null }));
    tourButton.current?.focus();
  }, []);
  // A step's streams stop when the tour leaves it: the connection-limit step's would hold every
  // connection of the page, and a run still on (chat streams until stopped) would take 2 of the 6.
  const leaveTourStep = useCallback((step: TourStep) => {
    if (step.demo === 'limit') closeLimit();
    else if (step.demo && demoSpecs[step.demo].kind === 'run' && running) stopRun();
  }, [closeLimit, stopRun, running]);



  const snapshot = run.snapshot;
  // The run on the page: a run file shown there, or the current run.
  const onPage = shownFile?.snapshot ?? snapshot;
  const pageScenario = shownFile ? shownFile.file.settings.scenario : state.scenario;
  const lanes = onPage?.lanes ?? [];
  // While a run is on, its own lanes; before the first run, the lanes picked (in URL mode, those with a URL).
  const idleLanes = urlMode ? (runnableUrlLanes.length > 0 ? runnableUrlLanes : state.lanes.filter((k) => k !== 'short-poll' && k !== 'long-poll')) : state.lanes;
  const shownLanes = onPage ? lanes.map((l) => l.kind) : idleLanes;
  // The run on the page was on someone else's endpoints (or will be, before the first run).
  const foreignOnPage = onPage ? lanes.some((l) => l.foreign !== undefined) : urlMode;
  const showAgent = !foreignOnPage && pageScenario === 'agent';
  const showText = !foreignOnPage && (pageScenario === 'llm' || (!showAgent && lanes.some((l) => l.text.length > 0)));
  const showChat = !foreignOnPage && pageScenario === 'chat';
  // The slow consumer (issue 13): its rows, and each lane's sender figures from the run log.
  const showBackpressure = lanes.some((l) => (l.consumer ?? null) !== null);
  const rows = laneRows(shownLanes, showText, showChat, showAgent, showBackpressure, foreignOnPage);
  const esHint = foreignOnPage && namedEventsSuspected(lanes);
  // A run file keeps its run log as it came (not read back as records here): its sender rows show "—".
  const laneRunLog = shownFile ? noRecords : runLog.data;
  const pageLanes = onPage?.lanes;
  const laneViews = useMemo(
    () => (showBackpressure ? withSenderFigures(pageLanes ?? [], laneRunLog ?? noRecords, preciseNow()) : (pageLanes ?? [])),
    [pageLanes, laneRunLog, showBackpressure],
  );
  const setPanel = useCallback((panel: LessonPanel) => {
    if (panel === 'runs') setRunsWanted(true);
    setState((s) => ({ ...s, panel }));
  }, []);
  const recordRun = run.record;
  const runLogData = runLog.data;
  /** The current run as a run file: its journals from the host, where it ran, the server's run log. */
  const exportCurrent = useCallback(async (): Promise<RunFile | null> => {
    const recording = await recordRun();
    if (!recording) return null;
    const [{ buildRunFile }, { currentEnvironment }] = await Promise.all([
      import('../features/run-file/run-file-format.ts'),
      import('../features/run-file/recorded-run.ts'),
    ]);
    const mode = runModeRef.current;
    // Run files (format 1) keep Mock and Live runs; the Runs tab says so in URL mode.
    if (mode === 'url') return null;
    const serverVersion = await labApi(mode)
      .info()
      .then((info) => info.version ?? null)
      .catch(() => null);
    return buildRunFile({
      recording,
      environment: currentEnvironment(mode, serverVersion),
      runLog: (runLogData ?? noRecords).map((record) => ({ ...record })),
      exportedAt: new Date(),
    });
  }, [recordRun, runLogData]);
  const chartsRoot = useCallback(() => chartsRef.current, []);
  const fetchLaneDisabled = run.running || run.starting || !state.lanes.includes('fetch-sse');
  const fetchLane = useMemo(
    () => ({
      token,
      onTokenChange: setToken,
      resume: state.fetchResume,
      onResumeChange: (fetchResume: boolean) => setState((s) => ({ ...s, fetchResume })),
      disabled: fetchLaneDisabled,
    }),
    [token, state.fetchResume, fetchLaneDisabled],
  );
  const setEndpoints = useCallback((endpoints: UrlEndpoints) => setState((s) => ({ ...s, endpoints })), []);
  const setFetchResume = useCallback((fetchResume: boolean) => setState((s) => ({ ...s, fetchResume })), []);
  const urlForm = useMemo(
    () => ({
      endpoints: state.endpoints,
      problems: endpointProblems,
      disabled: run.running || run.starting,
      onChange: setEndpoints,
      fetchResume: state.fetchResume,
      onFetchResumeChange: setFetchResume,
      runnableLanes: runnableUrlLanes.length,
    }),
    [state.endpoints, endpointProblems, run.running, run.starting, setEndpoints, state.fetchResume, setFetchResume, runnableUrlLanes],
  );
  const onSettingChange = useCallback(
    (name: string, value: string) => setState((s) => ({ ...s, settings: { ...s.settings, [name]: value } })),
    [],
  );

  return (
    <I18nProvider lang={state.lang}>
    <div className="app">
      <header className="app-header">
        <div className="app-title-row">
          <h1>{t('app.title')}</h1>
          <button ref={tourButton} type="button" className="tour-start" onClick={startTour}>
            {t('tour.open')}
          </button>
          <div className="lang-switch" role="group" aria-label={t('app.language')}>
            {langs.map((lang) => (
              <button
                key={lang}
                type="button"
                lang={lang === 'zh' ? 'zh-Hans' : 'en'}
                aria-pressed={state.lang === lang}
                onClick={() => void loadLang(lang).then(() => setState((s) => ({ ...s, lang })))}
              >
                {translate(lang, `app.language.${lang}`)}
              </button>
            ))}
          </div>
        </div>
        <p>{t('app.intro')}</p>
      </header>

      <main>
        {state.tour !== null ? (
          <TourPanel
            key={tourSession}
            step={state.tour}
            mode={labMode}
            runDemo={runDemo}
            onStepChange={(tour) => setState((s) => ({ ...s, tour }))}
            onExit={exitTour}
            onSwitchToLive={() => setState((s) => ({ ...s, mode: 'live' }))}
            autorun={state.autostart && tourSession === 0}
            focusOnMount={tourSession > 0}
            onLeave={leaveTourStep}
          />
        ) : null}
        <ControlsPanel
          mode={state.mode}
          url={urlMode ? urlForm : undefined}
          scenarios={catalogue.scenarios}
          scenario={state.scenario}
          values={state.values}
          catalogueNote={
            urlMode
              ? t('app.note.url')
              : state.mode === 'mock'
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
          format={state.format}
          onFormatChange={(format) => setState((s) => ({ ...s, format }))}
          api={state.api}
          onApiChange={(api) => setState((s) => ({ ...s, api }))}
          agentVariant={state.agentVariant}
          onAgentVariantChange={(agentVariant) => setState((s) => ({ ...s, agentVariant }))}
          onModeChange={(mode: PageMode) => setState((s) => ({ ...s, mode }))}
          onScenarioChange={(name: ScenarioName) => setState((s) => switchScenario(s, name))}
          onValueChange={(name, value) => setState((s) => ({ ...s, values: { ...s.values, [name]: value } }))}
          onStart={start}
          onStop={run.stop}
          onCancel={run.cancel}
        />
        {run.startError ? (
          <p className="banner error" role="alert">
            {textOf(t, run.startError)}
          </p>
        ) : null}

        {shownFile ? <RecordedBanner run={shownFile} onBack={() => setShownFileId(null)} /> : null}
        <div
          id="section-lanes"
          className="lanes-compare"
          style={{ '--lane-count': shownLanes.length, '--row-count': rows.length } as CSSProperties}
        >
          <LaneLabels rows={rows} />
          {shownLanes.map((kind) => (
            <LanePanel
              key={kind}
              kind={kind}
              lane={laneViews.find((l) => l.kind === kind) ?? null}
              rows={rows}
              showText={showText}
              onReconnect={() => (shownFile ? undefined : run.reconnect(kind))}
              hint={kind === 'eventsource' && esHint ? t('url.namedEvents') : undefined}
              subtitle={
                foreignOnPage
                  ? laneUrl(kind, state.endpoints)
                  : kind === 'fetch-sse' && state.scenario === 'llm' && state.api !== 'lab'
                    ? t('lanes.subtitle.fetch-sse.provider', { path: PROVIDER_PATH[state.api] })
                    : kind === 'fetch-sse' && pageScenario === 'agent'
                      ? t('lanes.subtitle.fetch-sse.agent')
                    : undefined
              }
            />
          ))}
        </div>

        <div ref={chartsRef}>
        {chartsWanted || onPage ? (
          <Suspense fallback={<div className="charts charts-loading" aria-hidden="true" />}>
            <RunCharts lanes={lanes} elapsedS={onPage?.elapsedS ?? 0} showRtt={showChat} />
          </Suspense>
        ) : (
          <div className="charts charts-loading" aria-hidden="true" />
        )}
        </div>

        <LessonTabs
          panel={state.panel}
          onPanelChange={setPanel}
          panels={{
            faults: urlMode ? (
              <UrlModeOff what={t('faults.title')} />
            ) : (
              <FaultsPanel
                mode={labMode}
                runId={snapshot?.runId ?? null}
                running={run.running}
                settingSpecs={settingSpecs}
                settings={state.settings}
                errors={settingErrors}
                onSettingChange={onSettingChange}
                fetchLane={fetchLane}
              />
            ),
            limit: urlMode ? <UrlModeOff what={t('limit.title')} /> : <ConnectionLimitPanel mode={labMode} limit={limit} />,
            inspector: urlMode ? (
              <UrlModeOff what={t('inspector.title')} />
            ) : (
              <InspectorPanel
                mode={labMode}
                runId={snapshot?.runId ?? null}
                records={runLog.data ?? noRecords}
                loadError={runLog.error ? runLog.error.message : null}
                origin={origin}
              />
            ),
            apis: <LlmApisPanel trap={trap} mcp={mcp} />,
            claims: <ClaimsPanel mode={labMode} evidence={evidence} runDemo={runDemoInPlace} memory={memory.state} />,
            runs:
              runsWanted || files.runs.length > 0 ? (
                <Suspense fallback={null}>
                  {runMode === 'url' ? <UrlModeOff what={t('runs.title')} runs /> : null}
                  <RunsPanel
                    current={runMode === 'url' ? null : snapshot}
                    shown={shownFile}
                    files={files}
                    onShow={setShownFileId}
                    exportCurrent={exportCurrent}
                    chartsRoot={chartsRoot}
                  />
                  <LoadExportPanel config={loadConfig} defaultTarget={labMode === 'live' ? window.location.origin : null} />
                </Suspense>
              ) : null,
          }}
        />
        {files.dragging ? <DropOverlay /> : null}
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
