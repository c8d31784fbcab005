import type { Language } from '@ereg/shared';
import { useEffect, useMemo, useState } from 'react';
import { createFormatter, createTranslator, type I18n, useAppI18n } from '../../../shared/src/i18n.ts';
import { LOCALES, storedLanguage, storeLanguage } from '../../../shared/src/languages.ts';
import { en } from './en.ts';
import { type MessageKey, pl } from './pl.ts';

export { I18nContext } from '../../../shared/src/i18n.ts';
export type { MessageKey };

/** The administration speaks Polish (the reference) and English. */
export const ADMIN_LANGUAGES = ['pl', 'en'] as const;
export type AdminLanguage = (typeof ADMIN_LANGUAGES)[number];

export const CATALOGUES: Record<AdminLanguage, Record<MessageKey, string>> = { pl, en };

/** The administration's language for one chosen on the site: its own, else Polish. */
export const adminLanguageOf = (language: Language): AdminLanguage =>
  (ADMIN_LANGUAGES as readonly string[]).includes(language) ? (language as AdminLanguage) : 'pl';

/** What the administration's pages read the language through: the site's I18n, in one of its two languages. */
export type AdminI18n = I18n<MessageKey> & { language: AdminLanguage };

/** The administration's translator and formatter for a language. */
export function i18nFor(language: AdminLanguage, setLanguage: (language: Language) => void = () => {}): AdminI18n {
  return {
    language,
    t: createTranslator(CATALOGUES[language], LOCALES[language]),
    fmt: createFormatter(LOCALES[language]),
    setLanguage,
  };
}

const POLISH = i18nFor('pl');

/** The chosen language's translator and formatter, for the administration's components. */
export const useI18n = (): AdminI18n => useAppI18n(POLISH) as AdminI18n;

/**
 * The language chosen on this device (the site keeps one for all its apps), as the administration speaks
 * it: a language it does not have reads as Polish here, and stays chosen for the other apps until the
 * person picks one of the administration's.
 */
export function useChosenAdminLanguage(storage: Storage): AdminI18n {
  const [language, setLanguage] = useState<AdminLanguage>(() => adminLanguageOf(storedLanguage(storage)));
  const i18n = useMemo(
    () =>
      i18nFor(language, (next) => {
        const chosen = adminLanguageOf(next);
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
