import { describe, expect, it } from 'vitest';
import { en } from '../../i18n/en.ts';
import { zh } from '../../i18n/zh.ts';
import { translate, type Lang } from '../../i18n/translate.ts';
import { scenarios } from '../../protocol/scenarios.ts';
import { settingSpecs } from '../../app/url-state.ts';
import { isMessageKey, paramKeys, paramText, scenarioDescription, scenarioKeys, scenarioLabel, unitKey } from './catalogue-text.ts';

const t = (lang: Lang) => (key: Parameters<typeof translate>[1], vars?: Parameters<typeof translate>[2]) =>
  translate(lang, key, vars);

describe('catalogue texts', () => {
  it('every scenario has a label and a description in the dictionaries, the English one as in the protocol', () => {
    for (const spec of scenarios) {
      const keys = scenarioKeys(spec.name);
      expect(isMessageKey(keys.label), keys.label).toBe(true);
      expect(isMessageKey(keys.description), keys.description).toBe(true);
      expect(scenarioLabel(t('en'), spec)).toBe(spec.label);
      expect(scenarioDescription(t('en'), spec)).toBe(spec.description);
      expect(scenarioLabel(t('zh'), spec)).not.toBe(spec.label);
    }
  });

  it('every scenario parameter and every run setting has its texts, units included, English as in the spec', () => {
    const all = [
      ...scenarios.flatMap((s) => s.params.map((p) => ({ scope: s.name, spec: p }))),
      ...settingSpecs.map((p) => ({ scope: 'setting' as const, spec: p })),
    ];
    for (const { scope, spec } of all) {
      const where = `${scope}.${spec.name}`;
      for (const field of ['label', 'description'] as const) {
        expect(paramKeys(scope, spec.name, field).some(isMessageKey), `${where} ${field}`).toBe(true);
      }
      if (spec.unit) expect(isMessageKey(unitKey(spec.unit)), `${where} unit ${spec.unit}`).toBe(true);
      expect(paramText(t('en'), scope, spec), where).toEqual({
        label: spec.label,
        description: spec.description,
        unit: spec.unit,
      });
      const chinese = paramText(t('zh'), scope, spec);
      expect(chinese.description, where).not.toBe(spec.description);
    }
  });

  it('a parameter one scenario words differently has its own text there, the shared one elsewhere', () => {
    const ticker = scenarios.find((s) => s.name === 'ticker')?.params.find((p) => p.name === 'rate');
    const chat = scenarios.find((s) => s.name === 'chat')?.params.find((p) => p.name === 'rate');
    expect(ticker && paramText(t('zh'), 'ticker', ticker).label).toBe(zh['param.rate.label']);
    expect(chat && paramText(t('zh'), 'chat', chat).label).toBe(zh['param.chat.rate.label']);
  });

  it('a scenario without keys (say, from a newer server) shows its catalogue text', () => {
    const spec = { name: 'future', label: 'Future', description: 'Not yet translated.' };
    expect(scenarioLabel(t('zh'), spec)).toBe('Future');
    expect(scenarioDescription(t('zh'), spec)).toBe('Not yet translated.');
  });

  it('no catalogue key is left without a scenario or spec using it', () => {
    const used = new Set<string>();
    for (const s of scenarios) {
      used.add(scenarioKeys(s.name).label);
      used.add(scenarioKeys(s.name).description);
      for (const p of s.params) {
        for (const field of ['label', 'description'] as const) for (const k of paramKeys(s.name, p.name, field)) used.add(k);
        if (p.unit) used.add(unitKey(p.unit));
      }
    }
    for (const p of settingSpecs) {
      for (const field of ['label', 'description'] as const) for (const k of paramKeys('setting', p.name, field)) used.add(k);
      if (p.unit) used.add(unitKey(p.unit));
    }
    const catalogueKeys = Object.keys(en).filter((k) => /^(scenario|param|setting|unit)\./.test(k));
    expect(catalogueKeys.filter((k) => !used.has(k))).toEqual([]);
  });
});
