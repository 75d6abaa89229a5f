import { parseParam, type ParamSpec } from '../../protocol/scenarios.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { translate, type Translate } from '../../i18n/translate.ts';
import { paramText, unitText, type ParamScope } from '../catalogue/catalogue-text.ts';

export interface ParamFieldProps {
  id: string;
  /** Whose parameter (a scenario's, or a run setting): picks its texts in the dictionaries. */
  scope: ParamScope;
  spec: ParamSpec;
  value: string;
  error: string | undefined;
  disabled: boolean;
  onChange(value: string): void;
}

/** A labelled integer input with its range as hint, or the reason its value is refused. */
export function ParamField({ id, scope, spec, value, error, disabled, onChange }: ParamFieldProps) {
  const { t } = useI18n();
  const text = paramText(t, scope, spec);
  return (
    <div className="field param">
      <label htmlFor={id}>
        {text.label}
        {text.unit ? <span className="unit"> ({text.unit})</span> : null}
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
        title={text.description}
        onChange={(event) => onChange(event.target.value)}
      />
      <span id={`${id}-hint`} className={error ? 'hint error' : 'hint'}>
        {error ?? `${spec.min}–${spec.max}`}
      </span>
    </div>
  );
}

const english: Translate = (key, vars) => translate('en', key, vars);

/** "an integer from 1 to 20000 (msg/s)", in the page's language (the protocol's own wording in English). */
export function describeRange(t: Translate, p: ParamSpec): string {
  const unit = unitText(t, p.unit);
  return unit
    ? t('controls.param.rangeUnit', { min: p.min, max: p.max, unit })
    : t('controls.param.range', { min: p.min, max: p.max });
}

/** Errors per parameter, in the language of `t`; an empty object means every value is acceptable. */
export function validateParams(
  specs: readonly ParamSpec[],
  values: Record<string, string>,
  t: Translate = english,
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const p of specs) {
    const raw = values[p.name] ?? '';
    if (raw.trim() === '') {
      errors[p.name] = t('controls.param.required', { name: p.name, range: describeRange(t, p) });
    } else if (!parseParam(p, raw).ok) {
      // Same check and, in English, the same words as the protocol's parser (param-field.test.ts).
      errors[p.name] = t('controls.param.invalid', { name: p.name, range: describeRange(t, p), got: JSON.stringify(raw) });
    }
  }
  return errors;
}
