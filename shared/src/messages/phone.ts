import { parsePhoneNumberFromString } from 'libphonenumber-js/mobile';
import { invalid } from '../errors.ts';

// Digits with the separators people type; anything else (letters, a second number) is refused before
// parsing, because the parser would otherwise dig a number out of any text.
const PHONE_CHARACTERS = /^\+?[\d\s().-]+$/;
const MAX_INPUT_LENGTH = 30;

/**
 * Normalises a mobile number to E.164 (`+48600100200`); Polish when it has no `+` prefix. The mobile
 * metadata of libphonenumber-js accepts mobile numbers only, since a landline cannot receive an SMS.
 */
export function normalizeMobile(input: string, field = 'phone'): string {
  // `(+48) 600…` is a common spelling; unwrapping the prefix lets the `+` stay first for the check below.
  const text = input.trim().replace(/^\(\s*(\+\d+)\s*\)/, '$1');
  const number =
    text.length <= MAX_INPUT_LENGTH && PHONE_CHARACTERS.test(text) ? parsePhoneNumberFromString(text, 'PL') : undefined;
  if (number === undefined || !number.isValid()) {
    throw invalid(
      'INVALID_PHONE',
      'This is not a mobile phone number that can receive text messages. Write it like +48 600 100 200 ' +
        '(a Polish number may leave out +48).',
      field,
    );
  }
  return number.number;
}
