import { type AppI18n, appLanguages, useChosenAppLanguage } from '../../../shared/src/app-languages.ts';
import { useAppI18n } from '../../../shared/src/i18n.ts';
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

export const { languageOf: reportsLanguageOf, i18nFor } = languages;

/** The chosen language's translator and formatter, for the app's components. */
export const useI18n = (): ReportsI18n => useAppI18n(languages.fallback) as ReportsI18n;

/** The language chosen on this device, as this app speaks it (its root keeps it). */
export const useChosenReportsLanguage = (storage: Storage): ReportsI18n => useChosenAppLanguage(storage, languages);
