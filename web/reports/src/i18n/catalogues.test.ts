/** @jest-environment node */
import { AGE_BANDS } from '../../../../shared/src/age-bands.ts';
import { TERYT_VOIVODESHIPS } from '../../../../shared/src/teryt.ts';
import { PLURAL_FORMS } from '../../../shared/src/i18n.ts';
import { AGE_BAND_KEYS } from '../lib/age-bands.ts';
import { EXPLAINED_CODES, NAMED_FIELDS } from '../lib/error-messages.ts';
import { VOIVODESHIP_CODES, VOIVODESHIP_GRID } from '../lib/voivodeships.ts';
import { CATALOGUES } from './index.ts';

/*
 * The dashboard's catalogues, Polish the reference and English: the same keys, placeholders and plural
 * forms, English translated rather than copied; and the names of the voivodeships and the age bands,
 * which the app keeps itself (the web apps load no table of shared/), agreeing with shared/'s tables.
 */

const { pl, en } = CATALOGUES;
const reference = Object.keys(pl).sort();
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** Keys that read the same in both languages: patterns of placeholders, a word that is one. */
const SAME_IN_BOTH = ['field.named', 'header.person', 'header.role.admin'];

describe('the dashboard’s catalogues', () => {
  it('English has every key of the Polish catalogue and no other', () => {
    const keys = Object.keys(en).sort();
    expect(reference.filter((key) => !keys.includes(key))).toEqual([]);
    expect(keys.filter((key) => !reference.includes(key))).toEqual([]);
  });

  it.each(['pl', 'en'] as const)('%s has no empty message and uses the same placeholders as Polish', (language) => {
    for (const key of reference) {
      const text = CATALOGUES[language][key as keyof typeof pl] ?? '';
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
    expect([...counted]).toEqual(['days']);
    for (const base of counted) for (const form of PLURAL_FORMS) expect(reference).toContain(`${base}.${form}`);
  });

  it('translates English rather than copying Polish', () => {
    const copied = reference.filter(
      (key) => !SAME_IN_BOTH.includes(key) && en[key as keyof typeof pl] === pl[key as keyof typeof pl],
    );
    expect(copied).toEqual([]);
  });

  it('has a sentence for every error code it explains and a label for every field of the filter', () => {
    expect(EXPLAINED_CODES).toEqual(
      expect.arrayContaining(['NETWORK', 'TOKEN_EXPIRED', 'UNAUTHENTICATED', 'INTERNAL']),
    );
    expect([...NAMED_FIELDS].sort()).toEqual(['ageBand', 'from', 'to', 'vaccineId', 'voivodeship']);
  });

  it('names every voivodeship of the TERYT register, as shared/src/teryt.ts does in each language', () => {
    const codes = TERYT_VOIVODESHIPS.map((v) => v.teryt);
    const named = reference
      .filter((key) => key.startsWith('voivodeship.'))
      .map((key) => key.slice('voivodeship.'.length));
    expect(named.sort()).toEqual([...codes].sort());
    for (const v of TERYT_VOIVODESHIPS) {
      const key = `voivodeship.${v.teryt}` as keyof typeof pl;
      expect([v.teryt, pl[key], en[key]]).toEqual([v.teryt, v.name, v.nameEn]);
    }
  });

  it('places every voivodeship once on the cartogram’s grid, each square taken once', () => {
    expect([...VOIVODESHIP_CODES]).toEqual(TERYT_VOIVODESHIPS.map((v) => v.teryt));
    const squares = new Set(VOIVODESHIP_GRID.map((v) => `${v.row},${v.column}`));
    expect(squares.size).toBe(16);
    for (const v of VOIVODESHIP_GRID) {
      expect(v.row).toBeGreaterThanOrEqual(1);
      expect(v.row).toBeLessThanOrEqual(4);
      expect(v.column).toBeGreaterThanOrEqual(1);
      expect(v.column).toBeLessThanOrEqual(4);
    }
  });

  it('names the report age bands of shared/src/age-bands.ts, in their order', () => {
    expect(AGE_BAND_KEYS.map((b) => b.band)).toEqual([...AGE_BANDS]);
    expect(reference.filter((key) => key.startsWith('ageBand.'))).toEqual(
      expect.arrayContaining(AGE_BAND_KEYS.map((b) => b.key)),
    );
    expect(reference.filter((key) => key.startsWith('ageBand.'))).toHaveLength(AGE_BANDS.length);
  });
});
