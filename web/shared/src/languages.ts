import type { Language } from '@ereg/shared';

/** The languages every web app speaks; Polish first, the default and the reference catalogue. */
export const LANGUAGES: readonly Language[] = ['pl', 'en', 'uk'];
export const DEFAULT_LANGUAGE: Language = 'pl';

/** The locale used for dates and numbers in each language. */
export const LOCALES: Record<Language, string> = { pl: 'pl-PL', en: 'en-GB', uk: 'uk-UA' };

/** Each language's name in itself, for the switch. */
export const LANGUAGE_NAMES: Record<Language, string> = { pl: 'Polski', en: 'English', uk: 'Українська' };

/** One key for every app of this site: a person who chose English in one app finds it in the next. */
const STORAGE_KEY = 'ereg.language';

export const isLanguage = (value: unknown): value is Language => LANGUAGES.includes(value as Language);

/** The language chosen earlier in this browser, or Polish. */
export function storedLanguage(storage: Pick<Storage, 'getItem'>): Language {
  try {
    const value = storage.getItem(STORAGE_KEY);
    return isLanguage(value) ? value : DEFAULT_LANGUAGE;
  } catch {
    return DEFAULT_LANGUAGE;
  }
}

export function storeLanguage(storage: Pick<Storage, 'setItem'>, language: Language): void {
  try {
    storage.setItem(STORAGE_KEY, language);
  } catch {
    // A browser that refuses storage keeps the choice for this page only.
  }
}
