import { parsePostalCode } from '../geo.ts';
import type { Language } from '../model.ts';

/** What a person meant by a text message sent to the booking number. */
export type InboundSms =
  | { kind: 'start'; pesel: string; postalCode: string; language: Language }
  | { kind: 'start_incomplete'; missing: 'pesel' | 'postal_code'; language: Language }
  | { kind: 'yes'; language: Language | null }
  | { kind: 'no'; language: Language | null }
  | { kind: 'help'; language: Language | null }
  // The standby list
  | { kind: 'standby'; pesel: string; postalCode: string; km: number | null; language: Language }
  | { kind: 'standby_incomplete'; missing: 'pesel' | 'postal_code'; language: Language }
  | { kind: 'unknown' };

// Keys are folded (upper case, no diacritics), as fold() leaves what people type. A single letter names
// no language: T and N are as Polish as Y and N are English.
const KEYWORDS: Readonly<Record<string, Language>> = {
  SZCZEPIENIE: 'pl',
  SZCZEPIENIA: 'pl',
  SZCZEP: 'pl',
  VACCINE: 'en',
  VACCINATION: 'en',
  ЩЕПЛЕННЯ: 'uk',
  ВАКЦИНА: 'uk',
};
const YES: Readonly<Record<string, Language | null>> = { TAK: 'pl', T: null, YES: 'en', Y: null, ТАК: 'uk' };
// НИ is НІ typed on a Russian layout, which has no І.
const NO: Readonly<Record<string, Language | null>> = { NIE: 'pl', N: null, NO: 'en', НІ: 'uk', НИ: 'uk' };
// The standby list: РЕЗЕРВ is the same word in Ukrainian.
const STANDBY_KEYWORDS: Readonly<Record<string, Language>> = {
  REZERWA: 'pl',
  REZERWOWA: 'pl',
  STANDBY: 'en',
  РЕЗЕРВ: 'uk',
};
const HELP: Readonly<Record<string, Language | null>> = { POMOC: 'pl', HELP: 'en', ДОПОМОГА: 'uk' };

const PESEL = /^\d{11}$/;
const POSTAL_CODE = /^\d{2}-?\d{3}$/;
/** How far a person joining the standby list would travel: `30` or `30KM`. */
const KM = /^(\d{1,3})(KM)?$/;

/** Upper case without diacritics, so that `szczepienię`, `Szczepienie` and `SZCZEPIENIE` are one word. */
const fold = (text: string): string => text.normalize('NFD').replace(/\p{M}/gu, '').toUpperCase();

/**
 * Reads a text message: a keyword with a PESEL and a postal code (in either order) starts a booking in the
 * keyword's language; a standby keyword (`REZERWA`, `STANDBY`, `РЕЗЕРВ`) with the same, and optionally a
 * distance in km, joins the standby list; YES/NO answers a proposal or a standby offer; HELP or `?` asks
 * how. The PESEL is not checked here.
 */
export function parseInboundSms(text: string): InboundSms {
  const tokens = fold(text)
    // Phones autocorrect dashes, and people glue the keyword to the number.
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/(\p{L})(\d)/gu, '$1 $2')
    .split(/[\s,;]+/)
    .map((token) => (/^\?+$/.test(token) ? token : token.replace(/[.!?:]+$/, '')))
    .filter((token) => token !== '');
  const [first, ...rest] = tokens;
  if (first === undefined) return { kind: 'unknown' };
  if (rest.length === 0) {
    if (/^\?+$/.test(first)) return { kind: 'help', language: null };
    if (Object.hasOwn(YES, first)) return { kind: 'yes', language: YES[first] ?? null };
    if (Object.hasOwn(NO, first)) return { kind: 'no', language: NO[first] ?? null };
    if (Object.hasOwn(HELP, first)) return { kind: 'help', language: HELP[first] ?? null };
  }
  const pesel = rest.find((token) => PESEL.test(token));
  const postalCode = rest.find((token) => POSTAL_CODE.test(token));
  const standby = STANDBY_KEYWORDS[first];
  if (standby !== undefined) {
    if (pesel === undefined) return { kind: 'standby_incomplete', missing: 'pesel', language: standby };
    if (postalCode === undefined) return { kind: 'standby_incomplete', missing: 'postal_code', language: standby };
    const km = rest.map((token) => KM.exec(token)?.[1]).find((digits) => digits !== undefined);
    return {
      kind: 'standby',
      pesel,
      postalCode: parsePostalCode(postalCode),
      km: km === undefined ? null : Number(km),
      language: standby,
    };
  }
  const language = KEYWORDS[first];
  if (language === undefined) return { kind: 'unknown' };
  if (pesel === undefined) return { kind: 'start_incomplete', missing: 'pesel', language };
  if (postalCode === undefined) return { kind: 'start_incomplete', missing: 'postal_code', language };
  return { kind: 'start', pesel, postalCode: parsePostalCode(postalCode), language };
}
