import type { Language } from '@ereg/shared';
import { type I18n, i18nOver, type SiteMessageKey } from './i18n.ts';

/*
 * Words for the tests of the site's components: each of the site's keys worded "<key> (<language>)",
 * so that a test sees which key was said in which language. Only the test files import this.
 */

const SITE_KEYS: readonly SiteMessageKey[] = [
  'app.name',
  'nav.skip',
  'error.title',
  'error.title.input',
  'error.title.login',
  'error.title.notFound',
  'error.title.tooMany',
  'error.unexpected',
  'error.INTERNAL',
  'error.TOO_MANY_REQUESTS',
  'error.TOO_MANY_REQUESTS.wait',
  'error.NETWORK',
  'error.TOKEN_EXPIRED',
  'error.INVALID_TOKEN',
  'error.UNAUTHENTICATED',
  'error.SIGN_IN_FAILED',
];

/** A catalogue of the site's keys in one language, and `extra` messages of the app's own. */
export function siteCatalogue<K extends string>(
  language: Language,
  extra: Record<K, string>,
): Record<SiteMessageKey | K, string> {
  const site = Object.fromEntries(SITE_KEYS.map((key) => [key, `${key} (${language})`])) as Record<
    SiteMessageKey,
    string
  >;
  return { ...site, ...extra };
}

/** An app's i18n over such catalogues (the site's keys only), in `language`. */
export function testI18n(language: Language, setLanguage?: (language: Language) => void): I18n<SiteMessageKey> {
  const catalogues = { pl: siteCatalogue('pl', {}), en: siteCatalogue('en', {}), uk: siteCatalogue('uk', {}) };
  return i18nOver(catalogues, language, setLanguage);
}
