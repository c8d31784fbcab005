import { type AppI18n, appLanguages } from '../../../shared/src/app-languages.ts';
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

export const { languageOf: adminLanguageOf, i18nFor, useI18n, useChosenLanguage: useChosenAdminLanguage } = languages;
