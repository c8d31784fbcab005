import { type AppI18n, appLanguages } from '../../../shared/src/app-languages.ts';
import { en } from './en.ts';
import { type MessageKey, pl } from './pl.ts';

export { I18nContext } from '../../../shared/src/i18n.ts';
export type { MessageKey };

/** The dashboard speaks Polish (the reference) and English. */
export const REPORTS_LANGUAGES = ['pl', 'en'] as const;
export type ReportsLanguage = (typeof REPORTS_LANGUAGES)[number];

export const CATALOGUES: Record<ReportsLanguage, Record<MessageKey, string>> = { pl, en };

/** What the dashboard's pages read the language through: the site's I18n, in one of its two languages. */
export type ReportsI18n = AppI18n<MessageKey, ReportsLanguage>;

const languages = appLanguages<MessageKey, ReportsLanguage>(REPORTS_LANGUAGES, CATALOGUES);

export const {
  languageOf: reportsLanguageOf,
  i18nFor,
  useI18n,
  useChosenLanguage: useChosenReportsLanguage,
} = languages;
