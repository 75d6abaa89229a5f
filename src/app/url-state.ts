/**
 * The lab's state lives in the URL, so a link reproduces a run:
 *   ?mode=live&scenario=ticker&rate=200&size=100&count=0&seed=42&autostart=1
 * URL mode names the user's endpoints instead of a scenario (src/features/url-mode/endpoints.ts):
 *   ?mode=url&sse=https://example.com/events&ws=wss://example.com/socket&seqPath=data.id&autostart=1
 * Parameter values are kept as typed (strings) so the inputs can show what is wrong with them.
 */
import { defaultParams, findScenario, scenarios, type ParamSpec, type ScenarioName } from '../protocol/scenarios.ts';
import { streamOptionSpecs } from '../protocol/stream-options.ts';
import { backoffParamSpecs } from '../transports/backoff.ts';
import { slowConsumerParamSpecs } from '../transports/slow-consumer.ts';
import { wireFormats, type WireFormat } from '../protocol/llm-wire.ts';
import { fetchApis, type FetchApi } from '../protocol/provider-wire.ts';
import { parseAgentVariant, type AgentVariant } from '../protocol/agent.ts';
import type { Mode, PageMode } from '../lib/mode.ts';
import { emptyEndpoints, readEndpoints, writeEndpoints, type UrlEndpoints } from '../features/url-mode/endpoints.ts';
import type { TransportKind } from '../transports/transport.ts';
import { defaultLanes, laneCodes } from '../features/lanes/lane-registry.ts';
import { parseLang, type Lang } from '../i18n/translate.ts';
import { clampTourStep, parseTourParam } from '../features/tour/tour-steps.ts';

/** Short names for the `lanes` URL parameter (in display order) and the lanes shown when the URL names none. */
export { defaultLanes, laneCodes };

/** Reconnect and fault settings that travel with a run: server-side options and the WS backoff. */
export const settingSpecs: readonly ParamSpec[] = [...streamOptionSpecs, ...backoffParamSpecs, ...slowConsumerParamSpecs];

/** The lesson panels under the charts, one open at a time (`panel=…`; the first is the default). */
export const lessonPanels = ['faults', 'limit', 'inspector', 'apis', 'claims', 'runs'] as const;
export type LessonPanel = (typeof lessonPanels)[number];

export interface LabUrlState {
  mode: PageMode;
  /** URL mode: the user's endpoints (kept while another mode is on, written to the link only in URL mode). */
  endpoints: UrlEndpoints;
  /** Which lesson panel is open. */
  panel: LessonPanel;
  scenario: ScenarioName;
  /** Raw input per parameter name. */
  values: Record<string, string>;
  /** Raw input per setting name (settingSpecs). */
  settings: Record<string, string>;
  /** Lanes to run, in display order. */
  lanes: TransportKind[];
  /** fetch + SSE reconnects by itself with Last-Event-ID. */
  fetchResume: boolean;
  /** SSE wire format of token streams. */
  format: WireFormat;
  /** What the fetch + SSE lane POSTs to (`api=chat|responses|messages`; llm only). */
  api: FetchApi;
  /** How the fetch + SSE lane carries agent turns (`variant=stateless|previous`; agent only). */
  agentVariant: AgentVariant;
  autostart: boolean;
  /** UI language (`lang=zh`); English when absent. */
  lang: Lang;
  /** Guided tour step, 1-based (`tour=3`); null when the tour is closed. */
  tour: number | null;
}

/**
 * `servedMode`: the mode when the URL names none: Live where the lab's own server answers, Mock on a
 * static host (see served-mode.ts). An explicit `mode=` always wins.
 */
export function readUrlState(search: string, servedMode: Mode = 'mock'): LabUrlState {
  const q = new URLSearchParams(search);
  const named = q.get('mode');
  const mode: PageMode = named === 'live' || named === 'mock' || named === 'url' ? named : servedMode;
  const panelName = q.get('panel');
  const panel = lessonPanels.find((p) => p === panelName) ?? lessonPanels[0];
  const spec = findScenario(q.get('scenario') ?? '') ?? scenarios[0];
  const defaults = defaultParams(spec);
  const values: Record<string, string> = {};
  for (const p of spec.params) values[p.name] = q.get(p.name) ?? String(defaults[p.name]);
  const settings: Record<string, string> = {};
  for (const p of settingSpecs) settings[p.name] = q.get(p.name) ?? String(p.default);
  const namedLanes = (q.get('lanes') ?? '').split(',');
  const lanes = laneCodes.filter(([code]) => namedLanes.includes(code)).map(([, kind]) => kind);
  return {
    mode,
    endpoints: mode === 'url' ? readEndpoints(q) : { ...emptyEndpoints, mapping: { ...emptyEndpoints.mapping } },
    panel,
    scenario: spec.name,
    values,
    settings,
    lanes: lanes.length > 0 ? lanes : [...defaultLanes],
    fetchResume: q.get('fetchResume') === '1',
    format: wireFormats.includes(q.get('format') as WireFormat) ? (q.get('format') as WireFormat) : 'lab',
    api: fetchApis.includes(q.get('api') as FetchApi) ? (q.get('api') as FetchApi) : 'lab',
    agentVariant: parseAgentVariant(q.get('variant')) ?? 'stateless',
    autostart: q.get('autostart') === '1',
    lang: parseLang(q.get('lang')),
    tour: parseTourParam(q.get('tour')),
  };
}

export function writeUrlState(state: LabUrlState): string {
  const url = state.mode === 'url';
  const q = new URLSearchParams({ mode: state.mode });
  // URL mode runs no scenario: the link names the endpoints instead.
  if (url) writeEndpoints(q, state.endpoints);
  else {
    q.set('scenario', state.scenario);
    for (const [name, value] of Object.entries(state.values)) q.set(name, value);
  }
  // Settings only when they differ from the defaults, to keep links short.
  for (const p of settingSpecs) {
    const value = state.settings[p.name];
    if (value !== undefined && value !== String(p.default)) q.set(p.name, value);
  }
  const isDefault =
    state.lanes.length === defaultLanes.length && defaultLanes.every((kind) => state.lanes.includes(kind));
  if (state.lanes.length > 0 && !isDefault) {
    q.set('lanes', laneCodes.filter(([, kind]) => state.lanes.includes(kind)).map(([code]) => code).join(','));
  }
  if (state.fetchResume) q.set('fetchResume', '1');
  if (state.format !== 'lab' && state.scenario === 'llm' && !url) q.set('format', state.format);
  if (state.api !== 'lab' && state.scenario === 'llm' && !url) q.set('api', state.api);
  if (state.agentVariant !== 'stateless' && state.scenario === 'agent' && !url) q.set('variant', state.agentVariant);
  if (state.autostart) q.set('autostart', '1');
  if (state.lang !== 'en') q.set('lang', state.lang);
  if (state.tour !== null) q.set('tour', String(clampTourStep(state.tour)));
  if (state.panel !== lessonPanels[0]) q.set('panel', state.panel);
  return `?${q}`;
}

/** Values for another scenario: shared parameter names keep what the user typed. */
export function switchScenario(state: LabUrlState, name: ScenarioName): LabUrlState {
  const spec = findScenario(name) ?? scenarios[0];
  const defaults = defaultParams(spec);
  const values: Record<string, string> = {};
  for (const p of spec.params) values[p.name] = state.values[p.name] ?? String(defaults[p.name]);
  return { ...state, scenario: spec.name, values };
}
