import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type { MessageKey } from './en.ts';
import { translate, type Lang, type Translate, type Vars } from './translate.ts';

interface I18n {
  lang: Lang;
  t: Translate;
}

const I18nContext = createContext<I18n>({ lang: 'en', t: (key, vars) => translate('en', key, vars) });

export function I18nProvider({ lang, children }: { lang: Lang; children: ReactNode }) {
  const value = useMemo<I18n>(
    () => ({ lang, t: (key: MessageKey, vars?: Vars) => translate(lang, key, vars) }),
    [lang],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/** `const { t, lang } = useI18n();` then `t('lane.frames')` or `t('limit.open', { n: 6 })`. */
export function useI18n(): I18n {
  return useContext(I18nContext);
}
