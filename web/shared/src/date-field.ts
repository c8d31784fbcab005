import type { Language } from '@ereg/shared';

/**
 * A date as people write it in each language: day, month, year, with the language's mark between
 * (20.01.2026 in Polish and Ukrainian, 20/01/2026 in British English). The browser's own date field
 * follows the browser's locale instead, whatever language the app is in.
 */
const SEPARATOR: Record<Language, string> = { pl: '.', en: '/', uk: '.' };

const DAY_MONTH_YEAR = /^(\d{1,2})\s*[./\-,\s]\s*(\d{1,2})\s*[./\-,\s]\s*(\d{4})(?:\s*(?:р|r)\.?)?$/iu;
const YEAR_MONTH_DAY = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
/** What a phone's number pad allows: the eight digits alone (20012026). */
const DIGITS = /^(\d{2})(\d{2})(\d{4})$/;

/** Why a typed date is refused: it is not written as one, or the calendar has no such day. */
export type DateFieldProblem = 'format' | 'noSuchDay';

const pad = (n: number) => String(n).padStart(2, '0');

/** A calendar date (`YYYY-MM-DD`) as the language writes it in a form. */
export function formatDateField(date: string, language: Language): string {
  const [year, month, day] = date.split('-');
  const mark = SEPARATOR[language];
  return `${day}${mark}${month}${mark}${year}`;
}

/**
 * What a person typed, as `YYYY-MM-DD`: day, month and year in that order, separated by a dot, slash,
 * dash, comma or space, or the eight digits alone; `YYYY-MM-DD` itself too (copied from an address).
 */
export function parseDateField(text: string): { date: string } | { problem: DateFieldProblem } {
  const typed = text.trim();
  const iso = YEAR_MONTH_DAY.exec(typed);
  const parts = iso
    ? { year: iso[1], month: iso[2], day: iso[3] }
    : (() => {
        const found = DAY_MONTH_YEAR.exec(typed) ?? DIGITS.exec(typed);
        return found ? { day: found[1], month: found[2], year: found[3] } : null;
      })();
  if (!parts) return { problem: 'format' };
  const year = Number(parts.year);
  const month = Number(parts.month);
  const day = Number(parts.day);
  const at = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || month > 12 || day < 1 || at.getUTCMonth() !== month - 1 || at.getUTCDate() !== day) {
    return { problem: 'noSuchDay' };
  }
  return { date: `${String(year).padStart(4, '0')}-${pad(month)}-${pad(day)}` };
}
