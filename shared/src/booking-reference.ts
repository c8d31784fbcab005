import { invalid } from './errors.ts';

/**
 * The characters of a booking reference: capital letters and digits without 0, O, 1 and I, which
 * are mistaken for one another when read aloud, copied from a screen or typed from paper.
 */
export const REFERENCE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** Characters in a booking reference: 32⁸ ≈ 1.1 × 10¹² of them, so a guessed one is almost never a booking. */
export const REFERENCE_LENGTH = 8;

const PATTERN = new RegExp(`^[${REFERENCE_ALPHABET}]{${REFERENCE_LENGTH}}$`);

/** Whether a text is a booking reference as written by this system. */
export function isBookingReference(text: string): boolean {
  return PATTERN.test(text);
}

/**
 * A booking reference from 8 numbers (each taken modulo 32): the ids port turns its random bytes, or
 * a test's counter, into one.
 */
export function referenceFrom(numbers: ArrayLike<number>): string {
  if (numbers.length < REFERENCE_LENGTH) throw new Error(`A reference needs ${REFERENCE_LENGTH} numbers.`);
  let out = '';
  for (let i = 0; i < REFERENCE_LENGTH; i++) out += REFERENCE_ALPHABET[(numbers[i] ?? 0) & 31];
  return out;
}

/**
 * A booking reference as a person typed or read it: any case, spaces and dashes between groups left
 * out. Answers the reference, or throws a `validation` error on `field` saying what is wrong.
 */
export function parseBookingReference(text: string, field = 'reference'): string {
  const compact = text.replace(/[\s-]/g, '').toUpperCase();
  if (compact.length !== REFERENCE_LENGTH) {
    throw invalid(
      'INVALID_REFERENCE',
      `A booking reference has ${REFERENCE_LENGTH} characters; "${text.trim()}" has ${compact.length}.`,
      field,
    );
  }
  const wrong = [...compact].find((c) => !REFERENCE_ALPHABET.includes(c));
  if (wrong !== undefined) {
    const hint = '0O1I'.includes(wrong) ? ' (references never use 0, O, 1 or I)' : '';
    throw invalid('INVALID_REFERENCE', `A booking reference has no "${wrong}"${hint}.`, field);
  }
  return compact;
}
