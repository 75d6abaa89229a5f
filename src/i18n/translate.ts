/** Pure lookup and interpolation, so non-React code (and tests) can translate too. */
import { en, type MessageKey, type Messages } from './en.ts';
import { zh } from './zh.ts';

export type Lang = 'en' | 'zh';
export const langs: readonly Lang[] = ['en', 'zh'];

export const dictionaries: Record<Lang, Messages> = { en, zh };

export type Vars = Record<string, string | number>;

export function parseLang(raw: string | null | undefined): Lang {
  return raw === 'zh' ? 'zh' : 'en';
}

/** `{name}` in the message is replaced by `vars.name`; an unknown placeholder is left as written. */
export function translate(lang: Lang, key: MessageKey, vars?: Vars): string {
  const text = dictionaries[lang][key];
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** The placeholder names a message uses, sorted, for the same-keys test. */
export function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
}

export type Translate = (key: MessageKey, vars?: Vars) => string;
