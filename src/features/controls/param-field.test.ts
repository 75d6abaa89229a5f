import { describe, expect, it } from 'vitest';
import { describeRange as protocolRange, parseParam, scenarios } from '../../protocol/scenarios.ts';
import { translate } from '../../i18n/translate.ts';
import { validateParams } from './param-field.tsx';

const params = scenarios.flatMap((s) => s.params);

describe('validateParams', () => {
  it('in English, refuses a value with the protocol parser’s own message', () => {
    for (const p of params) {
      for (const raw of [String(p.max + 1), String(p.min - 1), '1.5', 'abc']) {
        const parsed = parseParam(p, raw);
        expect(parsed.ok).toBe(false);
        expect(validateParams([p], { [p.name]: raw })[p.name]).toBe(parsed.ok ? undefined : parsed.error);
      }
    }
  });

  it('in English, says an empty value is required with the protocol’s range', () => {
    for (const p of params) {
      expect(validateParams([p], { [p.name]: ' ' })[p.name]).toBe(`${p.name} is required: ${protocolRange(p)}`);
    }
  });

  it('accepts values in range', () => {
    for (const p of params) expect(validateParams([p], { [p.name]: String(p.default) })).toEqual({});
  });

  it('speaks Chinese when asked, units included', () => {
    const rate = params.find((p) => p.name === 'rate' && p.unit === 'msg/s');
    if (!rate) throw new Error('no rate parameter');
    const error = validateParams([rate], { rate: '50000' }, (key, vars) => translate('zh', key, vars)).rate;
    expect(error).toBe(`rate 必须是 ${rate.min} 到 ${rate.max} 之间的整数（条/秒）；当前为 "50000"`);
  });
});
