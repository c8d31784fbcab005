import type { Language } from '@ereg/shared';

/** The languages the developer pages are written in, as the patients' app offers them. */
export const PAGE_LANGUAGES: readonly Language[] = ['pl', 'en', 'uk'];

/** Polish, as in the app: the language of the country the system serves. */
export const DEFAULT_PAGE_LANGUAGE: Language = 'pl';

/** A supported language for a BCP 47 tag, by its primary subtag (`uk-UA` → `uk`), or null. */
function languageOf(tag: string): Language | null {
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
  return PAGE_LANGUAGES.find((language) => language === primary) ?? null;
}

/** The tags of an Accept-Language header, most preferred first; `q=0` means "not this one". */
function acceptedTags(header: string): string[] {
  return header
    .split(',')
    .map((part, position) => {
      const [tag = '', ...params] = part.split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q === undefined ? 1 : Number(q.slice(2));
      return { tag: tag.trim(), weight: Number.isFinite(weight) ? weight : 0, position };
    })
    .filter((entry) => entry.tag !== '' && entry.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.position - b.position)
    .map((entry) => entry.tag);
}

/**
 * The language a developer page is shown in: the one the app asked for (`ui_locales`, the OpenID
 * Connect parameter: tags separated by spaces, most preferred first), else the browser's
 * (Accept-Language), else Polish. Tags the page cannot honour are passed over, never refused, as
 * OpenID Connect asks of a provider.
 */
export function pageLanguage(request: {
  uiLocales?: string | undefined;
  acceptLanguage?: string | undefined;
}): Language {
  const asked = (request.uiLocales ?? '').split(/\s+/).filter(Boolean);
  for (const tag of [...asked, ...acceptedTags(request.acceptLanguage ?? '')]) {
    const language = languageOf(tag);
    if (language) return language;
  }
  return DEFAULT_PAGE_LANGUAGE;
}
