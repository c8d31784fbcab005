/** @jest-environment node */
import { PLURAL_FORMS } from '../../../shared/src/i18n.ts';
import { CATALOGUES, i18nFor, LANGUAGES } from './index.ts';
import { pl } from './pl.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the catalogues', () => {
  const reference = Object.keys(pl).sort();

  it.each(['en', 'uk'] as const)('%s has every key of the Polish catalogue and no other', (language) => {
    const keys = Object.keys(CATALOGUES[language]).sort();
    expect(reference.filter((key) => !keys.includes(key))).toEqual([]);
    expect(keys.filter((key) => !reference.includes(key))).toEqual([]);
  });

  it.each(LANGUAGES)('%s has no empty message and uses the same placeholders as Polish', (language) => {
    const catalogue = CATALOGUES[language];
    for (const key of reference) {
      const text = catalogue[key as keyof typeof pl];
      expect({ key, empty: text.trim() === '' }).toEqual({ key, empty: false });
      expect({ key, placeholders: placeholders(text) }).toEqual({
        key,
        placeholders: placeholders(pl[key as keyof typeof pl]),
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
    const copied = (language: 'en' | 'uk') =>
      reference.filter((key) => CATALOGUES[language][key as keyof typeof pl] === pl[key as keyof typeof pl]);
    // Only what reads the same in every language (a brand's spelling, a code) may be shared.
    expect(copied('en')).toEqual([]);
    expect(copied('uk')).toEqual([]);
  });

  it('picks the plural form each language uses for a count', () => {
    const free = (language: 'pl' | 'en' | 'uk', n: number) => i18nFor(language).t.plural('results.free', n);
    expect([1, 2, 5, 22, 25].map((n) => free('pl', n))).toEqual([
      '1 wolne miejsce',
      '2 wolne miejsca',
      '5 wolnych miejsc',
      '22 wolne miejsca',
      '25 wolnych miejsc',
    ]);
    expect([1, 2, 5].map((n) => free('en', n))).toEqual(['1 place free', '2 places free', '5 places free']);
    expect([1, 3, 11, 21].map((n) => free('uk', n))).toEqual([
      '1 вільне місце',
      '3 вільні місця',
      '11 вільних місць',
      '21 вільне місце',
    ]);
  });
});
