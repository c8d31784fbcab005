import { invalid } from './errors.ts';
import type { LocalDate, Sex } from './model.ts';

const WEIGHTS = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3] as const;
/** Century encoded by each block of 20 month codes: 01–12, 21–32, 41–52, 61–72, 81–92. */
const CENTURY_BY_BLOCK = [1900, 2000, 2100, 2200, 1800] as const;
const FIRST_YEAR = 1800;
const LAST_YEAR = 2299;
const ZERO = 48;

const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

const daysInMonth = (year: number, month: number): number =>
  month === 2 ? (isLeapYear(year) ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

const digitAt = (text: string, index: number): number => {
  const digit = text.charCodeAt(index) - ZERO;
  return digit >= 0 && digit <= 9 ? digit : Number.NaN;
};

/** Reads `YYYY-MM-DD` by char codes: makePesel runs a million times, so it avoids slicing and Date objects. */
const readLocalDate = (date: LocalDate): { year: number; month: number; day: number } => {
  const year = digitAt(date, 0) * 1000 + digitAt(date, 1) * 100 + digitAt(date, 2) * 10 + digitAt(date, 3);
  const month = digitAt(date, 5) * 10 + digitAt(date, 6);
  const day = digitAt(date, 8) * 10 + digitAt(date, 9);
  if (
    date.length !== 10 ||
    date.charCodeAt(4) !== 45 ||
    date.charCodeAt(7) !== 45 ||
    Number.isNaN(year + month + day)
  ) {
    throw new RangeError(`Expected a date as YYYY-MM-DD, got "${date}"`);
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new RangeError(`"${date}" is not a calendar date`);
  }
  return { year, month, day };
};

/** The check digit makes any single mistyped digit detectable. */
const checkDigit = (digits: string): number => {
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += (digits.charCodeAt(i) - ZERO) * (WEIGHTS[i] ?? 0);
  return (10 - (sum % 10)) % 10;
};

/** Validates a PESEL and reads the birth date and sex it encodes; throws an `invalid` DomainError naming `field`. */
export function parsePesel(input: string, field = 'pesel'): { pesel: string; birthDate: LocalDate; sex: Sex } {
  const pesel = input.trim();
  if (!/^[0-9]{11}$/.test(pesel)) {
    throw invalid('INVALID_PESEL_FORMAT', 'A PESEL must be exactly 11 digits.', field);
  }
  const monthCode = Number(pesel.slice(2, 4));
  const block = Math.floor(monthCode / 20);
  const month = monthCode % 20;
  const day = Number(pesel.slice(4, 6));
  const century = CENTURY_BY_BLOCK[block];
  if (century === undefined || month < 1 || month > 12) {
    throw invalid(
      'INVALID_PESEL_DATE',
      `The PESEL has month code ${pesel.slice(2, 4)}, which does not encode any month.`,
      field,
    );
  }
  const year = century + Number(pesel.slice(0, 2));
  if (day < 1 || day > daysInMonth(year, month)) {
    throw invalid(
      'INVALID_PESEL_DATE',
      `The PESEL encodes day ${pesel.slice(4, 6)} of month ${pad2(month)} in ${year}, which does not exist.`,
      field,
    );
  }
  if (checkDigit(pesel) !== digitAt(pesel, 10)) {
    throw invalid(
      'INVALID_PESEL_CHECKSUM',
      'The PESEL check digit (the last one) does not match the other digits; one of them is probably mistyped.',
      field,
    );
  }
  return {
    pesel,
    birthDate: `${year}-${pad2(month)}-${pad2(day)}`,
    sex: digitAt(pesel, 9) % 2 === 1 ? 'male' : 'female',
  };
}

/** True when `input` is a well-formed PESEL with a real birth date and a correct check digit. */
export function isValidPesel(input: string): boolean {
  try {
    parsePesel(input);
    return true;
  } catch {
    return false;
  }
}

/**
 * Builds a valid PESEL for demo data. The serial (0..999) fills digits 7–9 and also picks the sex digit,
 * so one birth date and sex yields a thousand distinct numbers.
 */
export function makePesel(birthDate: LocalDate, sex: Sex, serial: number): string {
  const { year, month, day } = readLocalDate(birthDate);
  if (year < FIRST_YEAR || year > LAST_YEAR) {
    throw new RangeError(`A PESEL can only encode birth years ${FIRST_YEAR}–${LAST_YEAR}, got ${year}`);
  }
  if (!Number.isInteger(serial) || serial < 0 || serial > 999) {
    throw new RangeError(`The PESEL serial must be an integer 0..999, got ${serial}`);
  }
  // 1800s sit in the last block (month + 80); later centuries count up from 1900.
  const block = year < 1900 ? 4 : Math.floor((year - 1900) / 100);
  const monthCode = month + block * 20;
  const sexDigit = (serial % 5) * 2 + (sex === 'male' ? 1 : 0);
  const serialText = serial < 10 ? `00${serial}` : serial < 100 ? `0${serial}` : `${serial}`;
  const body = `${pad2(year % 100)}${pad2(monthCode)}${pad2(day)}${serialText}${sexDigit}`;
  return `${body}${checkDigit(body)}`;
}

/**
 * Full years lived on `date`. Someone born on 29 February turns a year older on 28 February in common years,
 * as the Polish Civil Code (art. 112) ends a term on the month's last day. Negative before birth, so age checks fail.
 */
export function ageOn(birthDate: LocalDate, date: LocalDate): number {
  const birth = readLocalDate(birthDate);
  const on = readLocalDate(date);
  const anniversaryDay = Math.min(birth.day, daysInMonth(on.year, birth.month));
  const beforeAnniversary = on.month < birth.month || (on.month === birth.month && on.day < anniversaryDay);
  return on.year - birth.year - (beforeAnniversary ? 1 : 0);
}
