/** @jest-environment node */
import { TERYT_VOIVODESHIPS } from '../../../../shared/src/teryt.ts';
import { EXPLAINED_CODES } from '../lib/error-messages.ts';
import { VOIVODESHIPS } from '../lib/voivodeships.ts';
import { CATALOGUES } from './index.ts';

/*
 * The administration's catalogues, Polish the reference and English: the same keys and placeholders,
 * English translated rather than copied; and its table of voivodeships agreeing with shared/'s.
 */

const { pl, en } = CATALOGUES;
const reference = Object.keys(pl).sort();
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const SAME_IN_BOTH = ['field.named', 'onboard.teryt', 'centre.teryt', 'field.email', 'onboard.email', 'none'];

describe('the administration’s catalogues', () => {
  it('English has every key of the Polish catalogue and no other', () => {
    expect(Object.keys(en).sort()).toEqual(reference);
  });

  it.each(['pl', 'en'] as const)('%s has no empty message and uses the same placeholders as Polish', (language) => {
    for (const key of reference) {
      const text = CATALOGUES[language][key as keyof typeof pl];
      expect({ key, empty: text.trim() === '' }).toEqual({ key, empty: false });
      expect({ key, placeholders: placeholders(text) }).toEqual({
        key,
        placeholders: placeholders(pl[key as keyof typeof pl]),
      });
    }
  });

  it('translates English rather than copying Polish', () => {
    const copied = reference.filter(
      (key) => !SAME_IN_BOTH.includes(key) && en[key as keyof typeof pl] === pl[key as keyof typeof pl],
    );
    expect(copied).toEqual([]);
  });

  it('words the codes of the two-person rule and of the vaccines’ impact', () => {
    expect(EXPLAINED_CODES).toEqual(expect.arrayContaining(['SAME_ADMIN', 'IMPACT_NOT_ACKNOWLEDGED', 'NETWORK']));
  });

  it('names the voivodeships as shared/ does', () => {
    expect(VOIVODESHIPS.map((v) => [v.teryt, v.slug, v.pl, v.en])).toEqual(
      TERYT_VOIVODESHIPS.map((v) => [v.teryt, v.slug, v.name, v.nameEn]),
    );
  });
});
