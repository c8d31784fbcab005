import type { AdminLanguage } from '../i18n/index.ts';

/*
 * Dates and times as an administrator types them: the date as the language writes it (20.01.2026 in
 * Polish, 20/01/2026 in English; any of . / - , or a space between, the eight digits alone, or
 * YYYY-MM-DD), the time as HH:MM, both on the country's clock (Europe/Warsaw).
 */

export const COUNTRY_ZONE = 'Europe/Warsaw';

const SEPARATOR: Record<AdminLanguage, string> = { pl: '.', en: '/' };
const DAY_MONTH_YEAR = /^(\d{1,2})\s*[./\-,\s]\s*(\d{1,2})\s*[./\-,\s]\s*(\d{4})(?:\s*r\.?)?$/iu;
const YEAR_MONTH_DAY = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const DIGITS = /^(\d{2})(\d{2})(\d{4})$/;
const TIME = /^(\d{1,2})[:.](\d{2})$/;

const pad = (n: number) => String(n).padStart(2, '0');

/** A calendar date (`YYYY-MM-DD`) as the language writes it in a form. */
export function formatDateField(date: string, language: AdminLanguage): string {
  const [year, month, day] = date.split('-');
  const mark = SEPARATOR[language];
  return `${day}${mark}${month}${mark}${year}`;
}

/** What was typed as `YYYY-MM-DD`, or null when it is no date of the calendar. */
export function parseDateField(text: string): string | null {
  const typed = text.trim();
  const iso = YEAR_MONTH_DAY.exec(typed);
  const found = iso ? [iso[3], iso[2], iso[1]] : (DAY_MONTH_YEAR.exec(typed) ?? DIGITS.exec(typed))?.slice(1, 4);
  if (!found) return null;
  const [day, month, year] = found.map(Number) as [number, number, number];
  const at = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || month > 12 || day < 1 || at.getUTCMonth() !== month - 1 || at.getUTCDate() !== day) return null;
  return `${String(year).padStart(4, '0')}-${pad(month)}-${pad(day)}`;
}

/** What was typed as `HH:MM` (a dot also separates), or null. */
export function parseTimeField(text: string): string | null {
  const found = TIME.exec(text.trim());
  if (!found) return null;
  const hours = Number(found[1]);
  const minutes = Number(found[2]);
  return hours < 24 && minutes < 60 ? `${pad(hours)}:${pad(minutes)}` : null;
}

/** The wall clock of a zone at an instant, as milliseconds of a UTC clock showing the same figures. */
function wallClock(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
}

/** The instant (ISO) at which the zone's clock shows a date and a time. */
export function instantOf(date: string, time: string, timeZone = COUNTRY_ZONE): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  const shown = Date.UTC(year, month - 1, day, hours, minutes);
  let instant = shown - (wallClock(shown, timeZone) - shown);
  // Once more, for a date on the other side of a change of the clocks from the first guess.
  instant = shown - (wallClock(instant, timeZone) - instant);
  return new Date(instant).toISOString();
}

/** The zone's date (`YYYY-MM-DD`) and time (`HH:MM`) at an instant. */
export function localOf(instant: string | Date, timeZone = COUNTRY_ZONE): { date: string; time: string } {
  const shown = new Date(wallClock(new Date(instant).getTime(), timeZone)).toISOString();
  return { date: shown.slice(0, 10), time: shown.slice(11, 16) };
}

/** A date `days` after another (`YYYY-MM-DD`). */
export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}
