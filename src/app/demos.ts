/**
 * What each demo does to the lab's URL state before it starts a run. Short, finite runs, so a tour
 * step or a "show me" button finishes by itself and leaves its numbers on screen.
 */
import type { DemoId, SectionId } from '../features/claims/demo-id.ts';
import type { ScenarioName } from '../protocol/scenarios.ts';
import type { TransportKind } from '../transports/transport.ts';
import { defaultLanes, settingSpecs, switchScenario, type LabUrlState } from './url-state.ts';

export interface RunDemoSpec {
  kind: 'run';
  scenario: ScenarioName;
  values: Record<string, string>;
  /** Settings that differ from the defaults for this demo; every other setting is reset. */
  settings?: Record<string, string>;
  /** Lanes other than the default ones. */
  lanes?: readonly TransportKind[];
  section: SectionId;
}

export interface ActionDemoSpec {
  kind: 'action';
  section: SectionId;
}

export const demoSpecs: Record<DemoId, RunDemoSpec | ActionDemoSpec> = {
  llm: { kind: 'run', scenario: 'llm', values: { ttft: '600', tokens: '120', tps: '40' }, section: 'lanes' },
  handshake: { kind: 'run', scenario: 'ticker', values: { rate: '50', size: '100', count: '50' }, section: 'inspector' },
  overhead: { kind: 'run', scenario: 'ticker', values: { rate: '100', size: '16', count: '200' }, section: 'inspector' },
  binary: { kind: 'run', scenario: 'binary', values: { rate: '50', size: '1024', count: '100' }, section: 'inspector' },
  reconnect: {
    kind: 'run',
    scenario: 'ticker',
    values: { rate: '50', size: '100', count: '400' },
    settings: { flakyMs: '2000' },
    section: 'lanes',
  },
  chat: { kind: 'run', scenario: 'chat', values: { messages: '10', gap: '200', rate: '20' }, section: 'lanes' },
  limit: { kind: 'action', section: 'limit' },
  origin: { kind: 'action', section: 'inspector' },
  memory: { kind: 'action', section: 'claims' },
  parse: { kind: 'action', section: 'claims' },
  mcp: { kind: 'action', section: 'apis' },
  agent: { kind: 'run', scenario: 'agent', values: { turns: '20' }, section: 'lanes' },
  // A slow page (20 ms per frame) behind 100 frames/s of 64 KiB: WebSocket queues, WebSocketStream pushes back.
  backpressure: {
    kind: 'run',
    scenario: 'ticker',
    values: { rate: '100', size: '65536', count: '1500' },
    settings: { slowMs: '20' },
    lanes: ['websocket', 'websocket-stream'],
    section: 'lanes',
  },
};

/** The URL state a run demo starts from: its scenario and values, default settings and lanes. */
export function applyRunDemo(state: LabUrlState, spec: RunDemoSpec): LabUrlState {
  const switched = switchScenario(state, spec.scenario);
  const settings: Record<string, string> = {};
  for (const p of settingSpecs) settings[p.name] = spec.settings?.[p.name] ?? String(p.default);
  return {
    ...switched,
    values: { ...switched.values, ...spec.values },
    settings,
    lanes: [...(spec.lanes ?? defaultLanes)],
    fetchResume: false,
    format: 'lab',
    autostart: false,
  };
}
