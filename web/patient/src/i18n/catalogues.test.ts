/** @jest-environment node */
import { checkCatalogues } from '../../../shared/src/test-catalogues.ts';
import { CATALOGUES, i18nFor } from './index.ts';

describe('the catalogues', () => {
  // Only what reads the same in every language (a brand's spelling, a code) may be shared: nothing yet.
  checkCatalogues({ catalogues: CATALOGUES });

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
