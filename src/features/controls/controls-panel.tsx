import { useId } from 'react';
import type { ScenarioName, ScenarioSpec } from '../../protocol/scenarios.ts';
import type { TransportKind } from '../../transports/transport.ts';
import { wireFormats, type WireFormat } from '../../protocol/llm-wire.ts';
import { fetchApis, type FetchApi } from '../../protocol/provider-wire.ts';
import { agentVariants, type AgentVariant } from '../../protocol/agent.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { richText } from '../../i18n/rich-text.tsx';
import { scenarioDescription, scenarioLabel } from '../catalogue/catalogue-text.ts';
import { laneKinds as laneOrder, laneTitleKeys } from '../lanes/lane-registry.ts';
import { ParamField, validateParams } from './param-field.tsx';
import type { PageMode } from '../run/use-run.ts';
import { laneRegistry } from '../lanes/lane-registry.ts';
import { EndpointFields, RequestOptions, type EndpointsFormProps } from '../url-mode/endpoints-form.tsx';


export interface ControlsProps {
  mode: PageMode;
  /** URL mode's form (the endpoints instead of a scenario) and how many picked lanes have a URL. */
  url?: EndpointsFormProps & { runnableLanes: number };
  scenarios: readonly ScenarioSpec[];
  scenario: ScenarioName;
  values: Record<string, string>;
  catalogueNote: string | null;
  catalogueError: string | null;
  running: boolean;
  starting: boolean;
  /** The reconnect settings below have an error: Start waits for them too. */
  settingsInvalid: boolean;
  lanes: readonly TransportKind[];
  onLanesChange(lanes: TransportKind[]): void;
  format: WireFormat;
  onFormatChange(format: WireFormat): void;
  /** What the fetch + SSE lane POSTs to (llm only). */
  api: FetchApi;
  onApiChange(api: FetchApi): void;
  /** How the fetch + SSE lane carries agent turns (agent only). */
  agentVariant: AgentVariant;
  onAgentVariantChange(variant: AgentVariant): void;
  onModeChange(mode: PageMode): void;
  onScenarioChange(name: ScenarioName): void;
  onValueChange(name: string, value: string): void;
  onStart(): void;
  onStop(): void;
  onCancel(): void;
}

export function ControlsPanel(props: ControlsProps) {
  const ids = useId();
  const { t } = useI18n();
  const spec = props.scenarios.find((s) => s.name === props.scenario) ?? props.scenarios[0];
  const errors = validateParams(spec.params, props.values, t);
  const url = props.mode === 'url' ? props.url : undefined;
  const invalid = url
    ? Object.keys(url.problems).length > 0 || props.settingsInvalid || url.runnableLanes === 0
    : Object.keys(errors).length > 0 || props.settingsInvalid || props.lanes.length === 0;
  const busy = props.running || props.starting;

  return (
    <form
      className="controls"
      data-scenario={spec.name}
      aria-label={t('controls.form')}
      onSubmit={(event) => {
        event.preventDefault();
        if (!invalid && !busy) props.onStart();
      }}
    >
      <fieldset className="mode-switch">
        <legend>{t('controls.mode')}</legend>
        <div className="mode-options">
        {(['mock', 'live', 'url'] as const).map((mode) => (
          <label key={mode} className={props.mode === mode ? 'selected' : undefined}>
            <input
              type="radio"
              name={`${ids}-mode`}
              value={mode}
              checked={props.mode === mode}
              disabled={busy}
              onChange={() => props.onModeChange(mode)}
            />
            {t(`controls.mode.${mode}`)}
          </label>
        ))}
        </div>
      </fieldset>

      {url ? <EndpointFields {...url} disabled={busy} /> : null}

      {url ? null : (<>
      <div className="field">
        <label htmlFor={`${ids}-scenario`}>{t('controls.scenario')}</label>
        <select
          id={`${ids}-scenario`}
          className="scenario-select"
          value={spec.name}
          disabled={busy}
          onChange={(event) => props.onScenarioChange(event.target.value as ScenarioName)}
        >
          {props.scenarios.map((s) => (
            <option key={s.name} value={s.name}>
              {scenarioLabel(t, s)}
            </option>
          ))}
        </select>
      </div>

      {spec.params.map((p) => (
        <ParamField
          key={p.name}
          id={`${ids}-${p.name}`}
          scope={spec.name}
          spec={p}
          value={props.values[p.name] ?? ''}
          error={errors[p.name]}
          disabled={busy}
          onChange={(value) => props.onValueChange(p.name, value)}
        />
      ))}

      {spec.name === 'llm' ? (
        <div className="field">
          <label htmlFor={`${ids}-format`}>{t('controls.format')}</label>
          <select
            id={`${ids}-format`}
            className="wide-select"
            value={props.format}
            disabled={busy}
            onChange={(event) => props.onFormatChange(event.target.value as WireFormat)}
          >
            {wireFormats.map((f) => (
              <option key={f} value={f}>
                {t(`controls.format.${f}`)}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      </>)}

      {/* What to run above, which lanes and the buttons below. */}
      <div className="row-break" aria-hidden="true" />

      <fieldset className="lane-picker">
        <legend>{t('controls.lanes')}</legend>
        {laneOrder.map((kind) => (
          <label key={kind} title={url && laneRegistry[kind].family === 'polling' ? t('url.pollingOff') : undefined}>
            <input
              type="checkbox"
              checked={props.lanes.includes(kind) && !(url && laneRegistry[kind].family === 'polling')}
              disabled={busy || (url !== undefined && laneRegistry[kind].family === 'polling')}
              onChange={(event) =>
                props.onLanesChange(
                  laneOrder.filter((k) => (k === kind ? event.target.checked : props.lanes.includes(k))),
                )
              }
            />
            {t(laneTitleKeys[kind])}
          </label>
        ))}
        {props.lanes.length === 0 ? <span className="hint error">{t('controls.lanes.none')}</span> : null}
        {url && props.lanes.length > 0 && url.runnableLanes === 0 ? (
          <span className="hint error" data-testid="url-no-lanes">{t('url.lanesNone')}</span>
        ) : null}
      </fieldset>

      {url ? <RequestOptions {...url} disabled={busy} /> : null}

      {spec.name === 'llm' && !url ? (
        <div className="field inline-field">
          <label htmlFor={`${ids}-api`}>{t('controls.api')}</label>
          <select
            id={`${ids}-api`}
            data-testid="fetch-api"
            value={props.api}
            disabled={busy}
            onChange={(event) => props.onApiChange(event.target.value as FetchApi)}
          >
            {fetchApis.map((api) => (
              <option key={api} value={api}>
                {t(`controls.api.${api}`)}
              </option>
            ))}
          </select>
        </div>
      ) : null}

      {spec.name === 'agent' ? (
        <div className="field inline-field">
          <label htmlFor={`${ids}-variant`}>{t('controls.agentVariant')}</label>
          <select
            id={`${ids}-variant`}
            data-testid="agent-variant-select"
            value={props.agentVariant}
            disabled={busy}
            onChange={(event) => props.onAgentVariantChange(event.target.value as AgentVariant)}
          >
            {agentVariants.map((variant) => (
              <option key={variant} value={variant}>
                {t(`controls.agentVariant.${variant}`)}
              </option>
            ))}
          </select>
        </div>
      ) : null}

      <div className="actions">
        <button type="submit" className="primary" disabled={invalid || busy}>
          {t(props.starting ? 'controls.starting' : 'controls.start')}
        </button>
        <button type="button" disabled={!props.running} onClick={props.onStop}>
          {t('controls.stop')}
        </button>
        <button
          type="button"
          disabled={!props.running}
          onClick={props.onCancel}
          title={t('controls.cancel.title')}
        >
          {t('controls.cancel')}
        </button>
      </div>

      <p className="scenario-description">
        {url ? null : scenarioDescription(t, spec)}
        {props.catalogueNote ? <span className="note"> {props.catalogueNote}</span> : null}
      </p>
      {props.catalogueError ? (
        <p className="banner error" role="alert">
          {richText(t('controls.liveUnavailable'), {
            error: props.catalogueError,
            start: <code>npm start</code>,
            dev: <code>npm run dev</code>,
          })}
        </p>
      ) : null}
    </form>
  );
}
