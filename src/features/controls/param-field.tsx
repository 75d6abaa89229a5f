import { describeRange, parseParam, type ParamSpec } from '../../protocol/scenarios.ts';

export interface ParamFieldProps {
  id: string;
  spec: ParamSpec;
  value: string;
  error: string | undefined;
  disabled: boolean;
  onChange(value: string): void;
}

/** A labelled integer input with its range as hint, or the reason its value is refused. */
export function ParamField({ id, spec, value, error, disabled, onChange }: ParamFieldProps) {
  return (
    <div className="field">
      <label htmlFor={id}>
        {spec.label}
        {spec.unit ? <span className="unit"> ({spec.unit})</span> : null}
      </label>
      <input
        id={id}
        name={spec.name}
        type="number"
        inputMode="numeric"
        min={spec.min}
        max={spec.max}
        step={1}
        value={value}
        disabled={disabled}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-hint`}
        title={spec.description}
        onChange={(event) => onChange(event.target.value)}
      />
      <span id={`${id}-hint`} className={error ? 'hint error' : 'hint'}>
        {error ?? `${spec.min}–${spec.max}`}
      </span>
    </div>
  );
}

/** Errors per parameter; an empty object means every value is acceptable. */
export function validateParams(specs: readonly ParamSpec[], values: Record<string, string>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const p of specs) {
    const raw = values[p.name] ?? '';
    const parsed =
      raw.trim() === ''
        ? { ok: false as const, error: `${p.name} is required: ${describeRange(p)}` }
        : parseParam(p, raw);
    if (!parsed.ok) errors[p.name] = parsed.error;
  }
  return errors;
}
