/** @jest-environment node */
import { checkCatalogues } from '../../../shared/src/test-catalogues.ts';
import { EXPLAINED_CODES, NAMED_FIELDS } from '../lib/error-messages.ts';
import { CATALOGUES, i18nFor } from './index.ts';

describe('the centres’ app catalogues', () => {
  checkCatalogues({
    catalogues: CATALOGUES,
    // Only what reads the same in every language may be shared: the "field: message" pattern.
    sameInEveryLanguage: ['field.named'],
    explainedCodes: EXPLAINED_CODES,
    namedFields: NAMED_FIELDS,
  });

  it('counts the visits found in each language’s plural', () => {
    const found = (language: 'pl' | 'en' | 'uk', n: number) => i18nFor(language).t.plural('reference.found', n);
    expect([1, 2, 5].map((n) => found('pl', n))).toEqual([
      'Znaleziono 1 wizytę',
      'Znaleziono 2 wizyty',
      'Znaleziono 5 wizyt',
    ]);
    expect([1, 2].map((n) => found('en', n))).toEqual(['1 visit found', '2 visits found']);
    expect([1, 3, 11].map((n) => found('uk', n))).toEqual([
      'Знайдено 1 візит',
      'Знайдено 3 візити',
      'Знайдено 11 візитів',
    ]);
  });
});
