/** The country's zone, in which "today" and the dates of instants without a place are read. */
export const COUNTRY_ZONE = 'Europe/Warsaw';

/** The calendar date (`YYYY-MM-DD`) of an instant in a zone. */
export function localDateOf(instant: string | Date, timeZone: string = COUNTRY_ZONE): string {
  if (typeof instant === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(instant)) return instant;
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(typeof instant === 'string' ? new Date(instant) : instant)
    .reduce<Record<string, string>>((acc, part) => {
      acc[part.type] = part.value;
      return acc;
    }, {});
  return `${parts.year}-${parts.month}-${parts.day}`;
}
