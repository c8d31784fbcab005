import { PLURAL_FORMS } from './i18n.ts';
import { LANGUAGES } from './languages.ts';

/*
 * The checks every app's catalogues pass (Polish is the reference: its keys are the app's): the same
 * keys in English and Ukrainian, no empty message, the same placeholders, every plural form of a
 * counted message, English and Ukrainian translated rather than copied, and words for the error codes
 * and fields the app explains. Only the catalogues' tests import this.
 */

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

export function checkCatalogues(options: {
  catalogues: { pl: Record<string, string>; en: Record<string, string>; uk: Record<string, string> };
  /** Keys that read the same in every language (a pattern of placeholders, a name and an id). */
  sameInEveryLanguage?: readonly string[];
  /** The error codes the app explains in its own sentences (`error.<CODE>`). */
  explainedCodes?: readonly string[];
  /** The fields the app names in a refusal (`field.<name>`). */
  namedFields?: readonly string[];
}): void {
  const { catalogues } = options;
  const reference = Object.keys(catalogues.pl).sort();

  it.each(['en', 'uk'] as const)('%s has every key of the Polish catalogue and no other', (language) => {
    const keys = Object.keys(catalogues[language]).sort();
    expect(reference.filter((key) => !keys.includes(key))).toEqual([]);
    expect(keys.filter((key) => !reference.includes(key))).toEqual([]);
  });

  it.each(LANGUAGES)('%s has no empty message and uses the same placeholders as Polish', (language) => {
    for (const key of reference) {
      const text = catalogues[language][key] ?? '';
      expect({ key, empty: text.trim() === '' }).toEqual({ key, empty: false });
      expect({ key, placeholders: placeholders(text) }).toEqual({
        key,
        placeholders: placeholders(catalogues.pl[key] ?? ''),
      });
    }
  });

  it('spells out every plural form of every counted message', () => {
    const counted = new Set(
      reference
        .filter((key) => PLURAL_FORMS.some((form) => key.endsWith(`.${form}`)))
        .map((k) => k.replace(/\.\w+$/, '')),
    );
    expect(counted.size).toBeGreaterThan(0);
    for (const base of counted) for (const form of PLURAL_FORMS) expect(reference).toContain(`${base}.${form}`);
  });

  it('translates English and Ukrainian rather than copying Polish', () => {
    const same = new Set(options.sameInEveryLanguage ?? []);
    const copied = (language: 'en' | 'uk') =>
      reference.filter((key) => !same.has(key) && catalogues[language][key] === catalogues.pl[key]);
    expect(copied('en')).toEqual([]);
    expect(copied('uk')).toEqual([]);
  });

  if (options.explainedCodes || options.namedFields) {
    it('has a sentence for every error code it explains and a label for every field it names', () => {
      for (const code of options.explainedCodes ?? []) expect(reference).toContain(`error.${code}`);
      for (const field of options.namedFields ?? []) expect(reference).toContain(`field.${field}`);
    });
  }
}
