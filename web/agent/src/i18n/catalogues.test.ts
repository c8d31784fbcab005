/** @jest-environment node */
import { PLURAL_FORMS } from '../../../shared/src/i18n.ts';
import { LANGUAGES } from '../../../shared/src/languages.ts';
import { EXPLAINED_CODES, NAMED_FIELDS } from '../lib/error-messages.ts';
import { CATALOGUES } from './index.ts';
import { pl } from './pl.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
type Key = keyof typeof pl;

describe('the hotline console’s catalogues', () => {
  const reference = Object.keys(pl).sort();

  it.each(['en', 'uk'] as const)('%s has every key of the Polish catalogue and no other', (language) => {
    const keys = Object.keys(CATALOGUES[language]).sort();
    expect(reference.filter((key) => !keys.includes(key))).toEqual([]);
    expect(keys.filter((key) => !reference.includes(key))).toEqual([]);
  });

  it.each(LANGUAGES)('%s has no empty message and uses the same placeholders as Polish', (language) => {
    for (const key of reference) {
      const text = CATALOGUES[language][key as Key];
      expect({ key, empty: text.trim() === '' }).toEqual({ key, empty: false });
      expect({ key, placeholders: placeholders(text) }).toEqual({ key, placeholders: placeholders(pl[key as Key]) });
    }
  });

  it('spells out every plural form of every counted message', () => {
    const counted = new Set(
      reference
        .filter((key) => PLURAL_FORMS.some((form) => key.endsWith(`.${form}`)))
        .map((k) => k.replace(/\.\w+$/, '')),
    );
    for (const base of counted) for (const form of PLURAL_FORMS) expect(reference).toContain(`${base}.${form}`);
  });

  it('explains the session’s and the network’s codes, and reads the rest from the catalogue', () => {
    expect(EXPLAINED_CODES).toEqual(expect.arrayContaining(['NETWORK', 'TOKEN_EXPIRED', 'UNAUTHENTICATED']));
    for (const code of EXPLAINED_CODES) expect(reference).toContain(`error.${code}`);
    for (const field of NAMED_FIELDS) expect(reference).toContain(`field.${field}`);
  });

  it('translates English and Ukrainian rather than copying Polish', () => {
    const shared = new Set(['field.named', 'header.person']);
    const copied = (language: 'en' | 'uk') =>
      reference.filter((key) => !shared.has(key) && CATALOGUES[language][key as Key] === pl[key as Key]);
    expect(copied('en')).toEqual([]);
    expect(copied('uk')).toEqual([]);
  });
});
