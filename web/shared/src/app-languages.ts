import type { Language } from '@ereg/shared';
import { useEffect, useMemo, useState } from 'react';
import { createFormatter, createTranslator, type I18n } from './i18n.ts';
import { LOCALES, storedLanguage, storeLanguage } from './languages.ts';

/** What an app's pages read the language through: the site's I18n, in one of the app's languages. */
export type AppI18n<K extends string, L extends Language> = I18n<K> & { language: L };

/**
 * The language machinery of an app that speaks only some of the site's languages (the first given is its
 * reference): its language for one chosen on the site, and its translator and formatter for each.
 */
export function appLanguages<K extends string, L extends Language>(
  languages: readonly [L, ...L[]],
  catalogues: Record<L, Record<K, string>>,
) {
  const reference = languages[0];
  /** The app's language for one chosen on the site: its own, else its reference. */
  const languageOf = (language: Language): L =>
    (languages as readonly string[]).includes(language) ? (language as L) : reference;

  /** The translator and formatter for one of the app's languages. */
  const i18nFor = (language: L, setLanguage: (language: Language) => void = () => {}): AppI18n<K, L> => ({
    language,
    t: createTranslator(catalogues[language], LOCALES[language]),
    fmt: createFormatter(LOCALES[language]),
    setLanguage,
  });

  /** The app's reference language, for components outside any chosen one (tests, the first render). */
  const fallback = i18nFor(reference);

  return { languageOf, i18nFor, fallback };
}

/** What `appLanguages` gives an app. */
export type AppLanguages<K extends string, L extends Language> = ReturnType<typeof appLanguages<K, L>>;

/**
 * The language chosen on this device (the site keeps one for all its apps), as the app speaks it: a
 * language it does not have reads as its reference here, and stays chosen for the other apps until the
 * person picks one of this app's.
 */
export function useChosenAppLanguage<K extends string, L extends Language>(
  storage: Storage,
  app: AppLanguages<K, L>,
): AppI18n<K, L> {
  const [language, setLanguage] = useState<L>(() => app.languageOf(storedLanguage(storage)));
  const i18n = useMemo(
    () =>
      app.i18nFor(language, (next) => {
        const chosen = app.languageOf(next);
        storeLanguage(storage, chosen);
        setLanguage(chosen);
      }),
    [app, language, storage],
  );
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  return i18n;
}
