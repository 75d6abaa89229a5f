import { useId } from 'react';
import { describeRange, parseParam, type ScenarioName, type ScenarioSpec } from '../../protocol/scenarios.ts';
import type { Mode } from '../run/use-run.ts';

export interface ControlsProps {
  mode: Mode;
  scenarios: readonly ScenarioSpec[];
  scenario: ScenarioName;
  values: Record<string, string>;
  catalogueNote: string | null;
  catalogueError: string | null;
  running: boolean;
  starting: boolean;
  onModeChange(mode: Mode): void;
  onScenarioChange(name: ScenarioName): void;
  onValueChange(name: string, value: string): void;
  onStart(): void;
  onStop(): void;
}

/** Errors per parameter for the current inputs; an empty object means the run can start. */
export function validate(spec: ScenarioSpec, values: Record<string, string>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const p of spec.params) {
    const raw = values[p.name] ?? '';
    const parsed = raw.trim() === '' ? { ok: false as const, error: `${p.name} is required: ${describeRange(p)}` } : parseParam(p, raw);
    if (!parsed.ok) errors[p.name] = parsed.error;
  }
  return errors;
}

export function ControlsPanel(props: ControlsProps) {
  const ids = useId();
  const spec = props.scenarios.find((s) => s.name === props.scenario) ?? props.scenarios[0];
  const errors = validate(spec, props.values);
  const invalid = Object.keys(errors).length > 0;
  const busy = props.running || props.starting;

  return (
    <form
      className="controls"
      aria-label="Run controls"
      onSubmit={(event) => {
        event.preventDefault();
        if (!invalid && !busy) props.onStart();
      }}
    >
      <fieldset className="mode-switch">
        <legend>Mode</legend>
        <div className="mode-options">
        {(['mock', 'live'] as const).map((mode) => (
          <label key={mode} className={props.mode === mode ? 'selected' : undefined}>
            <input
              type="radio"
              name={`${ids}-mode`}
              value={mode}
              checked={props.mode === mode}
              disabled={busy}
              onChange={() => props.onModeChange(mode)}
            />
            {mode === 'mock' ? 'Mock' : 'Live'}
          </label>
        ))}
        </div>
      </fieldset>

      <div className="field">
        <label htmlFor={`${ids}-scenario`}>Scenario</label>
        <select
          id={`${ids}-scenario`}
          value={spec.name}
          disabled={busy}
          onChange={(event) => props.onScenarioChange(event.target.value as ScenarioName)}
        >
          {props.scenarios.map((s) => (
            <option key={s.name} value={s.name}>
              {s.label}
            </option>
          ))}
        </select>
      </div>

      {spec.params.map((p) => {
        const id = `${ids}-${p.name}`;
        const error = errors[p.name];
        return (
          <div className="field" key={p.name}>
            <label htmlFor={id}>
              {p.label}
              {p.unit ? <span className="unit"> ({p.unit})</span> : null}
            </label>
            <input
              id={id}
              name={p.name}
              type="number"
              inputMode="numeric"
              min={p.min}
              max={p.max}
              step={1}
              value={props.values[p.name] ?? ''}
              disabled={busy}
              aria-invalid={error ? true : undefined}
              aria-describedby={`${id}-hint`}
              title={p.description}
              onChange={(event) => props.onValueChange(p.name, event.target.value)}
            />
            <span id={`${id}-hint`} className={error ? 'hint error' : 'hint'}>
              {error ?? `${p.min}–${p.max}`}
            </span>
          </div>
        );
      })}

      <div className="actions">
        <button type="submit" className="primary" disabled={invalid || busy}>
          {props.starting ? 'Starting…' : 'Start'}
        </button>
        <button type="button" disabled={!props.running} onClick={props.onStop}>
          Stop
        </button>
      </div>

      <p className="scenario-description">{spec.description}</p>
      {props.catalogueNote ? <p className="note">{props.catalogueNote}</p> : null}
      {props.catalogueError ? (
        <p className="banner error" role="alert">
          Live endpoints unavailable: {props.catalogueError}. Start the lab with <code>npm start</code> (or{' '}
          <code>npm run dev</code>), or switch to Mock.
        </p>
      ) : null}
    </form>
  );
}
