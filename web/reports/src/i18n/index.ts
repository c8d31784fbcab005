import type { Language } from '@ereg/shared';
import { useEffect, useMemo, useState } from 'react';
import { createFormatter, createTranslator, type I18n, useAppI18n } from '../../../shared/src/i18n.ts';
import { LOCALES, storedLanguage, storeLanguage } from '../../../shared/src/languages.ts';
import { en } from './en.ts';
import { type MessageKey, pl } from './pl.ts';

export { I18nContext } from '../../../shared/src/i18n.ts';
export type { MessageKey };

/** The dashboard speaks Polish (the reference) and English. */
export const REPORTS_LANGUAGES = ['pl', 'en'] as const;
export type ReportsLanguage = (typeof REPORTS_LANGUAGES)[number];

export const CATALOGUES: Record<ReportsLanguage, Record<MessageKey, string>> = { pl, en };

/** The dashboard's language for one chosen on the site: its own, else Polish. */
export const reportsLanguageOf = (language: Language): ReportsLanguage =>
  (REPORTS_LANGUAGES as readonly string[]).includes(language) ? (language as ReportsLanguage) : 'pl';

/** What the dashboard's pages read the language through: the site's I18n, in one of its two languages. */
export type ReportsI18n = I18n<MessageKey> & { language: ReportsLanguage };

/** The dashboard's translator and formatter for a language. */
export function i18nFor(language: ReportsLanguage, setLanguage: (language: Language) => void = () => {}): ReportsI18n {
  return {
    language,
    t: createTranslator(CATALOGUES[language], LOCALES[language]),
    fmt: createFormatter(LOCALES[language]),
    setLanguage,
  };
}

const POLISH = i18nFor('pl');

/** The chosen language's translator and formatter, for the dashboard's components. */
export const useI18n = (): ReportsI18n => useAppI18n(POLISH) as ReportsI18n;

/**
 * The language chosen on this device (the site keeps one for all its apps), as the dashboard speaks
 * it: a language it does not have reads as Polish here, and stays chosen for the other apps until the
 * person picks one of the dashboard's.
 */
export function useChosenReportsLanguage(storage: Storage): ReportsI18n {
  const [language, setLanguage] = useState<ReportsLanguage>(() => reportsLanguageOf(storedLanguage(storage)));
  const i18n = useMemo(
    () =>
      i18nFor(language, (next) => {
        const chosen = reportsLanguageOf(next);
        storeLanguage(storage, chosen);
        setLanguage(chosen);
      }),
    [language, storage],
  );
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  return i18n;
}
