/**
 * Pure lookup and interpolation, so non-React code (and tests) can translate too. English is always
 * here; Chinese is loaded on demand (`loadLang`, before the first render when the URL says `lang=zh`,
 * and when the language switch asks), so the first load carries one dictionary. Until it is loaded a
 * Chinese lookup answers in English.
 */
import { en, type MessageKey, type Messages } from './en.ts';

export type Lang = 'en' | 'zh';
export const langs: readonly Lang[] = ['en', 'zh'];

const dictionaries: Partial<Record<Lang, Messages>> = { en };

/** Makes a language's dictionary available (tests register it directly; the page uses loadLang). */
export function registerLang(lang: Lang, messages: Messages): void {
  dictionaries[lang] = messages;
}

export function hasLang(lang: Lang): boolean {
  return dictionaries[lang] !== undefined;
}

/** Loads a language's dictionary once (a separate chunk for Chinese). */
export async function loadLang(lang: Lang): Promise<void> {
  if (hasLang(lang)) return;
  if (lang === 'zh') registerLang('zh', (await import('./zh.ts')).zh);
}

export type Vars = Record<string, string | number>;

export function parseLang(raw: string | null | undefined): Lang {
  return raw === 'zh' ? 'zh' : 'en';
}

/** `{name}` in the message is replaced by `vars.name`; an unknown placeholder is left as written. */
export function translate(lang: Lang, key: MessageKey, vars?: Vars): string {
  const text = (dictionaries[lang] ?? en)[key];
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** The placeholder names a message uses, sorted, for the same-keys test. */
export function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
}

export type Translate = (key: MessageKey, vars?: Vars) => string;
