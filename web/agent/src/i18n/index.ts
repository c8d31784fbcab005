import type { Language } from '@ereg/shared';
import { type Catalogues, i18nOver, useAppI18n } from '../../../shared/src/i18n.ts';
import { DEFAULT_LANGUAGE } from '../../../shared/src/languages.ts';
import { en } from './en.ts';
import { type MessageKey, pl } from './pl.ts';
import { uk } from './uk.ts';

export { I18nContext } from '../../../shared/src/i18n.ts';
export type { MessageKey };

export const CATALOGUES: Catalogues<MessageKey> = { pl, en, uk };

/** The hotline console's translator and formatter for a language. */
export const i18nFor = (language: Language, setLanguage?: (language: Language) => void) =>
  i18nOver(CATALOGUES, language, setLanguage);

const POLISH = i18nFor(DEFAULT_LANGUAGE);

/** The chosen language's translator and formatter, for the console's components. */
export const useI18n = () => useAppI18n(POLISH);
