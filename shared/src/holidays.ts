import type { LocalDate } from './model.ts';
import { addDays } from './time-zone.ts';

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * Easter Sunday of a year of the Gregorian calendar, by the anonymous Gregorian algorithm (Meeus, "Astronomical
 * Algorithms"): the movable Polish holidays are counted from it.
 */
export function easterSunday(year: number): LocalDate {
  if (!Number.isInteger(year) || year < 1583)
    throw new RangeError(`Easter is computed for Gregorian years, got ${year}`);
  const golden = year % 19;
  const century = Math.floor(year / 100);
  const yearOfCentury = year % 100;
  const leapCenturies = Math.floor(century / 4);
  const centuryRest = century % 4;
  const moonCorrection = Math.floor((century + 8) / 25);
  const moonShift = Math.floor((century - moonCorrection + 1) / 3);
  // Days from the spring equinox (21 March) to the Paschal full moon, less a correction below.
  const epact = (19 * golden + century - leapCenturies - moonShift + 15) % 30;
  const leapYears = Math.floor(yearOfCentury / 4);
  const yearRest = yearOfCentury % 4;
  // Days from the Paschal full moon to the following Sunday.
  const toSunday = (32 + 2 * centuryRest + 2 * leapYears - epact - yearRest) % 7;
  const late = Math.floor((golden + 11 * epact + 22 * toSunday) / 451);
  const marchDays = epact + toSunday - 7 * late + 114;
  return `${year}-${pad2(Math.floor(marchDays / 31))}-${pad2((marchDays % 31) + 1)}`;
}

// Month-day of the fixed holidays, with the first year each one counts (the law has added days).
const FIXED: ReadonlyArray<readonly [monthDay: string, since: number]> = [
  ['01-01', 0], // New Year's Day
  ['01-06', 2011], // Epiphany
  ['05-01', 0], // Labour Day
  ['05-03', 0], // Constitution Day
  ['08-15', 0], // Assumption
  ['11-01', 0], // All Saints' Day
  ['11-11', 0], // Independence Day
  ['12-24', 2025], // Christmas Eve
  ['12-25', 0], // Christmas Day
  ['12-26', 0], // Second Day of Christmas
];

// Days after Easter Sunday of the movable ones: Easter Sunday and Monday, Pentecost Sunday, Corpus Christi.
const AFTER_EASTER = [0, 1, 49, 60];

const byYear = new Map<number, ReadonlySet<LocalDate>>();

const holidaysOf = (year: number): ReadonlySet<LocalDate> => {
  let known = byYear.get(year);
  if (known === undefined) {
    const easter = easterSunday(year);
    known = new Set([
      ...FIXED.filter(([, since]) => year >= since).map(([monthDay]) => `${year}-${monthDay}`),
      ...AFTER_EASTER.map((days) => addDays(easter, days)),
    ]);
    byYear.set(year, known);
  }
  return known;
};

/** The statutory public holidays (days free from work) of Poland in a year, in calendar order. */
export function polishPublicHolidays(year: number): LocalDate[] {
  return [...holidaysOf(year)].sort();
}

/** Whether a local date is a Polish public holiday, on which centres are closed unless they open explicitly. */
export function isPolishPublicHoliday(date: LocalDate): boolean {
  return holidaysOf(Number(date.slice(0, 4))).has(date);
}
