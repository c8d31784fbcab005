import type { Language } from '@ereg/shared';
import { createContext, useContext } from 'react';
import { createFormatter, createTranslator, type Formatter, type Translator } from '../../../shared/src/i18n.ts';
import { DEFAULT_LANGUAGE, LOCALES } from '../../../shared/src/languages.ts';
import { en } from './en.ts';
import { type MessageKey, pl } from './pl.ts';
import { uk } from './uk.ts';

export {
  DEFAULT_LANGUAGE,
  isLanguage,
  LANGUAGE_NAMES,
  LANGUAGES,
  LOCALES,
  storedLanguage,
  storeLanguage,
} from '../../../shared/src/languages.ts';
export type { MessageKey };

export const CATALOGUES: Record<Language, Record<MessageKey, string>> = { pl, en, uk };

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
