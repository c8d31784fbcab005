import { parsePhoneNumberFromString as parseAnyNumber } from 'libphonenumber-js/max';
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

/**
 * A phone number as a notice may show it to someone else: the country code and the last three digits,
 * the rest starred in groups of three (`+48 *** *** 567`) — enough to recognise a relative's number.
 */
export function maskPhone(e164: string): string {
  const number = parsePhoneNumberFromString(e164);
  const code = number ? `+${number.countryCallingCode}` : '';
  const national = number ? String(number.nationalNumber) : e164.replace(/\D/g, '');
  const shown = national.slice(-3);
  const hidden = '*'.repeat(Math.max(0, national.length - shown.length));
  const groups: string[] = [];
  for (let end = hidden.length; end > 0; end -= 3) groups.unshift(hidden.slice(Math.max(0, end - 3), end));
  return [code, ...groups, shown].filter((part) => part !== '').join(' ');
}

/**
 * A number a caller gives the hotline: a mobile (texted) or a landline (noted, never texted), in E.164;
 * Polish when it has no `+` prefix. Anything else is refused, naming the field.
 */
export function normalizePhone(input: string, field = 'phone'): { number: string; kind: 'mobile' | 'landline' } {
  try {
    return { number: normalizeMobile(input, field), kind: 'mobile' };
  } catch {
    const text = input.trim().replace(/^\(\s*(\+\d+)\s*\)/, '$1');
    const number =
      text.length <= MAX_INPUT_LENGTH && PHONE_CHARACTERS.test(text) ? parseAnyNumber(text, 'PL') : undefined;
    const type = number?.isValid() ? number.getType() : undefined;
    if (number && (type === 'FIXED_LINE' || type === 'FIXED_LINE_OR_MOBILE' || type === 'VOIP')) {
      return { number: number.number, kind: 'landline' };
    }
    throw invalid(
      'INVALID_PHONE',
      'This is not a phone number. Write it like +48 600 100 200 or +48 22 123 45 67 (a Polish number may leave out +48).',
      field,
    );
  }
}

/**
 * A landline a caller gives the hotline, in E.164 (noted to call them back, never texted); Polish when it
 * has no `+` prefix. A mobile number is refused (`NOT_A_LANDLINE`), since it should be given as the
 * mobile to get text messages; anything else that is no phone number is `INVALID_PHONE`; both name the field.
 */
export function normalizeLandline(input: string, field = 'landline'): string {
  const contact = normalizePhone(input, field);
  if (contact.kind === 'mobile') {
    throw invalid(
      'NOT_A_LANDLINE',
      'This is a mobile number: give it as the mobile, so that the person gets text messages.',
      field,
    );
  }
  return contact.number;
}

/**
 * A person is reached at one number, a mobile or a landline: a request giving both is refused
 * (`MOBILE_OR_LANDLINE`, naming `landline`), so that no confirmation goes to a number they left.
 */
export function requireOneNumber(phone: string | null | undefined, landline: string | null | undefined): void {
  if (phone && landline) {
    throw invalid(
      'MOBILE_OR_LANDLINE',
      'Give a mobile or a landline, not both: a person is reached at one number.',
      'landline',
    );
  }
}
