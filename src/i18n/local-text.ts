/**
 * Text that is translated where it is shown, not where it is made: a key and its variables. Non-React
 * code (hooks' errors, fault results) returns this so a language switch also changes texts already made.
 */
import type { MessageKey } from './en.ts';
import { translate, type Lang, type Translate, type Vars } from './translate.ts';

/** Variables of a LocalText: a value may itself be a LocalText (a close code's name, a cause). */
export type TextVars = Record<string, string | number | LocalText>;

export interface LocalText {
  key: MessageKey;
  vars?: TextVars;
}

export function localText(key: MessageKey, vars?: TextVars): LocalText {
  return vars ? { key, vars } : { key };
}

/** A string (from a server or a browser: shown as it is) or a LocalText (translated, nested ones too). */
export function showText(t: Translate, text: LocalText | string): string {
  if (typeof text === 'string') return text;
  if (!text.vars) return t(text.key);
  const vars: Vars = {};
  for (const [name, value] of Object.entries(text.vars)) vars[name] = typeof value === 'object' ? showText(t, value) : value;
  return t(text.key, vars);
}

/** The same, outside React: in a given language. */
export function textIn(lang: Lang, text: LocalText | string): string {
  return showText((key, vars) => translate(lang, key, vars), text);
}
