import type { Language } from '@ereg/shared';
import { createContext, useContext } from 'react';
import { LOCALES } from './languages.ts';

/** Values put into a message's `{name}` placeholders. */
export type MessageParams = Record<string, string | number>;

/** The plural categories a catalogue spells out for a counted message (`key.one`, `key.few`, …). */
export const PLURAL_FORMS = ['one', 'few', 'many', 'other'] as const;

/**
 * Fills `{name}` placeholders; an unknown placeholder is left as written so that the gap shows. A value
 * that ends in a full stop (the Ukrainian "2026 р.") takes the place of the sentence's own.
 */
export function interpolate(template: string, params: MessageParams = {}): string {
  return template.replace(/\{(\w+)\}(\.?)/g, (whole, name: string, stop: string) => {
    if (!Object.hasOwn(params, name)) return whole;
    const value = String(params[name]);
    return stop && value.endsWith('.') ? value : value + stop;
  });
}

export interface Translator<K extends string> {
  /** The message for a key, placeholders filled. */
  (key: K, params?: MessageParams): string;
  /** The message for a count (`{count}` filled), in the plural form the language uses for it. */
  plural(base: string, count: number, params?: MessageParams): string;
  locale: string;
}

/**
 * A translator over one catalogue. A key missing from it falls back to the key itself (the catalogue
 * test makes sure none is missing), so a gap shows rather than breaking the page.
 */
export function createTranslator<K extends string>(catalogue: Record<K, string>, locale: string): Translator<K> {
  const rules = new Intl.PluralRules(locale);
  const translate = ((key: K, params?: MessageParams) => interpolate(catalogue[key] ?? key, params)) as Translator<K>;
  translate.plural = (base, count, params = {}) => {
    const form = rules.select(count);
    const key = (
      PLURAL_FORMS.includes(form as (typeof PLURAL_FORMS)[number]) ? `${base}.${form}` : `${base}.other`
    ) as K;
    return translate(key, { count: new Intl.NumberFormat(locale).format(count), ...params });
  };
  translate.locale = locale;
  return translate;
}

/** Formats dates, times and numbers for one locale. Instants are shown in the zone of the place they happen. */
export function createFormatter(locale: string) {
  const cache = new Map<string, Intl.DateTimeFormat>();
  const dateTime = (options: Intl.DateTimeFormatOptions) => {
    const id = JSON.stringify(options);
    let format = cache.get(id);
    if (!format) {
      format = new Intl.DateTimeFormat(locale, options);
      cache.set(id, format);
    }
    return format;
  };
  return {
    /** "poniedziałek, 12 maja 2026, 08:15" — an instant on the wall clock of `timeZone`. */
    dateTime: (instant: string, timeZone: string) =>
      dateTime({ dateStyle: 'full', timeStyle: 'short', timeZone }).format(new Date(instant)),
    /** "pon., 12 maja" — the day part of an instant, short. */
    shortDay: (instant: string, timeZone: string) =>
      dateTime({ weekday: 'short', day: 'numeric', month: 'long', timeZone }).format(new Date(instant)),
    /** "08:15". */
    time: (instant: string, timeZone: string) =>
      dateTime({ hour: '2-digit', minute: '2-digit', timeZone }).format(new Date(instant)),
    /** "12 maja 2026" — a calendar date `YYYY-MM-DD`, whatever the reader's zone. */
    date: (localDate: string) =>
      dateTime({ day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
        new Date(`${localDate}T12:00:00Z`),
      ),
    /** "2,3 km" ("2,3 км" in Ukrainian): the unit as the language writes it. */
    km: (value: number) =>
      new Intl.NumberFormat(locale, { style: 'unit', unit: 'kilometer', maximumFractionDigits: 1 }).format(value),
    /** "in 3 minutes" ("za 3 minuty", "через 3 хвилини"): a wait in seconds, whole minutes from one minute on. */
    inAWhile: (seconds: number) => {
      const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'always' });
      const wait = Math.max(1, Math.ceil(seconds));
      return wait < 60 ? relative.format(wait, 'second') : relative.format(Math.ceil(wait / 60), 'minute');
    },
  };
}

export type Formatter = ReturnType<typeof createFormatter>;

/** The messages of one app in every language; Polish is the reference. */
export type Catalogues<K extends string> = Record<Language, Record<K, string>>;

/** What a page reads the chosen language through: the translator, the formatter and the switch. */
export interface I18n<K extends string = string> {
  language: Language;
  t: Translator<K>;
  fmt: Formatter;
  setLanguage: (language: Language) => void;
}

/**
 * The keys the site's own components (web/shared/src/components) say their words with: every app's
 * catalogues have them, which the type of `I18nContext` makes sure of.
 */
export type SiteMessageKey = 'app.name' | 'nav.skip' | CommonErrorKey;

/** The keys of web/shared/src/error-messages.ts: the titles and sentences of the errors every app meets. */
export type CommonErrorKey =
  | 'error.title'
  | 'error.title.input'
  | 'error.title.login'
  | 'error.title.notFound'
  | 'error.title.tooMany'
  | 'error.unexpected'
  | 'error.INTERNAL'
  | 'error.TOO_MANY_REQUESTS'
  | 'error.TOO_MANY_REQUESTS.wait'
  | 'error.NETWORK'
  | 'error.TOKEN_EXPIRED'
  | 'error.INVALID_TOKEN'
  | 'error.UNAUTHENTICATED'
  | 'error.SIGN_IN_FAILED';

/**
 * The language of the app, one context for every app so that the site's components and the app's
 * pages read the same one. An app's value must translate at least the site's keys.
 */
export const I18nContext = createContext<I18n<SiteMessageKey> | null>(null);

/**
 * The translator and formatter of one language over an app's catalogues, which must word the site's
 * keys too.
 */
export function i18nOver<K extends string>(
  catalogues: Catalogues<K | SiteMessageKey>,
  language: Language,
  setLanguage: (language: Language) => void = () => {},
): I18n<K | SiteMessageKey> {
  return {
    language,
    t: createTranslator(catalogues[language], LOCALES[language]),
    fmt: createFormatter(LOCALES[language]),
    setLanguage,
  };
}

/**
 * The language an app's root provides, typed by the app's own keys (its `useI18n` calls this);
 * `fallback` outside a provider, as when a component is rendered on its own.
 */
export function useAppI18n<K extends string>(fallback: I18n<K>): I18n<K> {
  // The app's root provides its own value; the context's type only knows the site's keys.
  return (useContext(I18nContext) as I18n<K> | null) ?? fallback;
}

/** The language for the site's own components; they are rendered inside an app, under its provider. */
export function useSiteI18n(): I18n<SiteMessageKey> {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('The site’s components need an I18nContext provider (the app’s root gives one).');
  return i18n;
}
