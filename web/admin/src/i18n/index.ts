import { type AppI18n, appLanguages, useChosenAppLanguage } from '../../../shared/src/app-languages.ts';
import { useAppI18n } from '../../../shared/src/i18n.ts';
import { en } from './en.ts';
import { type MessageKey, pl } from './pl.ts';

export { I18nContext } from '../../../shared/src/i18n.ts';
export type { MessageKey };

/** The administration speaks Polish (the reference) and English. */
export const ADMIN_LANGUAGES = ['pl', 'en'] as const;
export type AdminLanguage = (typeof ADMIN_LANGUAGES)[number];

export const CATALOGUES: Record<AdminLanguage, Record<MessageKey, string>> = { pl, en };

/** What the administration's pages read the language through: the site's I18n, in one of its two languages. */
export type AdminI18n = AppI18n<MessageKey, AdminLanguage>;

const languages = appLanguages<MessageKey, AdminLanguage>(ADMIN_LANGUAGES, CATALOGUES);

export const { languageOf: adminLanguageOf, i18nFor } = languages;

/** The chosen language's translator and formatter, for the app's components. */
export const useI18n = (): AdminI18n => useAppI18n(languages.fallback) as AdminI18n;

/** The language chosen on this device, as this app speaks it (its root keeps it). */
export const useChosenAdminLanguage = (storage: Storage): AdminI18n => useChosenAppLanguage(storage, languages);
