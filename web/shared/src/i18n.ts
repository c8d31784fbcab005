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
