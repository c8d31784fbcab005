import type { Language } from '@ereg/shared';
import { createContext, useContext } from 'react';
import { createFormatter, createTranslator, type Formatter, type Translator } from '../../../shared/src/i18n.ts';
import { en } from './en.ts';
import { type MessageKey, pl } from './pl.ts';
import { uk } from './uk.ts';

export type { MessageKey };

export const LANGUAGES: readonly Language[] = ['pl', 'en', 'uk'];
export const DEFAULT_LANGUAGE: Language = 'pl';

export const CATALOGUES: Record<Language, Record<MessageKey, string>> = { pl, en, uk };

/** The locale used for dates and numbers in each language. */
export const LOCALES: Record<Language, string> = { pl: 'pl-PL', en: 'en-GB', uk: 'uk-UA' };

/** Each language's name in itself, for the switch. */
export const LANGUAGE_NAMES: Record<Language, string> = { pl: 'Polski', en: 'English', uk: 'Українська' };

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

export interface I18n {
  language: Language;
  t: Translator<MessageKey>;
  fmt: Formatter;
  setLanguage: (language: Language) => void;
}

/** Translator and formatter for one language. */
export function i18nFor(language: Language, setLanguage: (language: Language) => void = () => {}): I18n {
  return {
    language,
    t: createTranslator(CATALOGUES[language], LOCALES[language]),
    fmt: createFormatter(LOCALES[language]),
    setLanguage,
  };
}

export const I18nContext = createContext<I18n>(i18nFor(DEFAULT_LANGUAGE));

export const useI18n = () => useContext(I18nContext);
