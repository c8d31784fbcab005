import type { Language } from '@ereg/shared';
import { useEffect, useMemo, useState } from 'react';
import { storedLanguage, storeLanguage } from './languages.ts';

/**
 * The language the person chose (kept on the device, Polish until they choose), the app's translator
 * for it, which also switches it, and the document's `lang` that follows it.
 */
export function useChosenLanguage<I>(
  storage: Storage,
  i18nFor: (language: Language, setLanguage: (language: Language) => void) => I,
): I {
  const [language, setLanguage] = useState<Language>(() => storedLanguage(storage));
  const i18n = useMemo(
    () =>
      i18nFor(language, (next) => {
        storeLanguage(storage, next);
        setLanguage(next);
      }),
    [language, storage, i18nFor],
  );
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  return i18n;
}
