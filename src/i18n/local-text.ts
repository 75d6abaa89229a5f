/**
 * Text that is translated where it is shown, not where it is made: a key and its variables. Non-React
 * code (hooks' errors, fault results) returns this so a language switch also changes texts already made.
 */
import type { MessageKey } from './en.ts';
import type { Translate, Vars } from './translate.ts';

export interface LocalText {
  key: MessageKey;
  vars?: Vars;
}

export function localText(key: MessageKey, vars?: Vars): LocalText {
  return vars ? { key, vars } : { key };
}

/** A string (from a server: shown as it is) or a LocalText (translated). */
export function showText(t: Translate, text: LocalText | string): string {
  return typeof text === 'string' ? text : t(text.key, text.vars);
}
