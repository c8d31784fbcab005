import type { Call } from '../app-context.ts';

/** A booking reference in groups of four, as it is read out: `K7M2QX9A` → `K7M2-QX9A`. */
export function referenceGroups(reference: string): string {
  return (reference.match(/.{1,4}/g) ?? [reference]).join('-');
}

/**
 * The reference spelled for the phone: each letter with the word of the language's spelling alphabet
 * (`alphabet`: 26 words, A to Z, comma-separated), each digit as it is; one entry per group of four.
 */
export function spellReference(
  reference: string,
  alphabet: string,
  letterAs: (letter: string, word: string) => string,
): string[][] {
  const words = alphabet.split(',').map((w) => w.trim());
  return referenceGroups(reference)
    .split('-')
    .map((group) =>
      [...group].map((c) => {
        const word = /[A-Z]/.test(c) ? words[c.charCodeAt(0) - 65] : undefined;
        return word ? letterAs(c, word) : c;
      }),
    );
}

/** What the audit records as the reason of an agent's action in this call: the reason's code, or the agent's words for `other`. */
export function callReasonText(reason: Call['reason']): string | null {
  if (!reason) return null;
  if (reason.code === 'other') return reason.note?.trim() || null;
  return reason.code;
}

/** How old a person born on `birthDate` is on `date` (both `YYYY-MM-DD`), in whole years. */
export function ageOn(birthDate: string, date: string): number {
  const years = Number(date.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return date.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

/** What the caller typed to search from: a postal code (`NN-NNN`), a town, or a mistake. */
export type PlaceQuery = { postalCode: string } | { town: string } | { problem: 'required' | 'invalidCode' };

/**
 * Reads the one search field: five digits (with or without the dash) are a postal code; a name with no
 * digit is a town; anything else with digits is a postal code written wrong.
 */
export function readPlace(input: string): PlaceQuery {
  const text = input.trim().replace(/\s+/g, ' ');
  if (text.length < 2) return { problem: 'required' };
  const code = /^(\d{2})[-\s]?(\d{3})$/.exec(text);
  if (code) return { postalCode: `${code[1]}-${code[2]}` };
  if (/\d/.test(text)) return { problem: 'invalidCode' };
  return { town: text };
}

/** The calendar date of an instant in a zone (`YYYY-MM-DD`). */
export function dateIn(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    instant,
  );
}
