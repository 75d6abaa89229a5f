/**
 * Scenario, parameter and setting texts in the page's language. The catalogue (src/protocol, or the
 * server's /api/info) is English and stays the canonical source; the dictionaries carry the same texts
 * by key (`scenario.<name>.label`, `param.<name>.label`, `param.<scenario>.<name>.label` where one
 * scenario words a parameter differently, `setting.<name>.label`, `unit.<unit>`). A text without a key
 * (a scenario only a newer server knows) is shown as the catalogue has it.
 */
import { en, type MessageKey } from '../../i18n/en.ts';
import type { Translate } from '../../i18n/translate.ts';
import type { ParamSpec, ScenarioName, ScenarioSpec } from '../../protocol/scenarios.ts';

/** Whose parameter: a scenario's, or one of the run settings (reconnect and fault options). */
export type ParamScope = ScenarioName | 'setting';

export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(en, key);
}

function lookup(t: Translate, keys: readonly string[], fallback: string): string {
  const key = keys.find(isMessageKey);
  return key ? t(key) : fallback;
}

export function scenarioKeys(name: string): { label: string; description: string } {
  return { label: `scenario.${name}.label`, description: `scenario.${name}.description` };
}

/** The keys tried for one field of a parameter, the most specific first. */
export function paramKeys(scope: ParamScope, name: string, field: 'label' | 'description'): string[] {
  return scope === 'setting' ? [`setting.${name}.${field}`] : [`param.${scope}.${name}.${field}`, `param.${name}.${field}`];
}

export function unitKey(unit: string): string {
  return `unit.${unit}`;
}

/** What a scenario's texts are looked up by: its name may be one only a newer server knows. */
type ScenarioTexts = Pick<ScenarioSpec, 'label' | 'description'> & { name: string };

export function scenarioLabel(t: Translate, spec: ScenarioTexts): string {
  return lookup(t, [scenarioKeys(spec.name).label], spec.label);
}

export function scenarioDescription(t: Translate, spec: ScenarioTexts): string {
  return lookup(t, [scenarioKeys(spec.name).description], spec.description);
}

export function unitText(t: Translate, unit: string): string {
  return unit ? lookup(t, [unitKey(unit)], unit) : '';
}

export interface ParamText {
  label: string;
  description: string;
  unit: string;
}

export function paramText(t: Translate, scope: ParamScope, spec: ParamSpec): ParamText {
  return {
    label: lookup(t, paramKeys(scope, spec.name, 'label'), spec.label),
    description: lookup(t, paramKeys(scope, spec.name, 'description'), spec.description),
    unit: unitText(t, spec.unit),
  };
}
