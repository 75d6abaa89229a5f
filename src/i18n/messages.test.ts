import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { zh } from './zh.ts';
import { placeholders, translate } from './translate.ts';

describe('messages', () => {
  it('English and Chinese have the same keys', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
  });

  it('no message is empty in either language', () => {
    for (const dict of [en, zh]) {
      for (const [key, text] of Object.entries(dict)) expect(text.trim(), key).not.toBe('');
    }
  });

  it('each Chinese message uses the same placeholders as its English one', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(placeholders(zh[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it('looks a key up in the language asked for', () => {
    expect(translate('en', 'app.title')).toBe('SSE vs WebSocket Lab');
    expect(translate('zh', 'app.title')).toBe('SSE 与 WebSocket 实验室');
  });

  it('finds placeholders by name', () => {
    expect(placeholders('{b} of {a}, {b}')).toEqual(['a', 'b', 'b']);
  });
});
