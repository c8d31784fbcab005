import type { Table } from './report-tables.ts';

/** A field as RFC 4180 writes it: quoted when it holds a comma, a quote or a line break. */
function field(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A table as CSV: a header of the columns' names, then a line per row with the values as data (numbers
 * with a full stop, dates `YYYY-MM-DD`, a withheld figure empty), lines ended by CRLF. It begins with a
 * byte order mark, so that a spreadsheet opens the Polish letters as such.
 */
export function toCsv(table: Table): string {
  const lines = [
    table.columns.map((c) => field(c.label)),
    ...table.rows.map((row) => row.cells.map((c) => field(c.value))),
  ];
  return `\ufeff${lines.map((line) => line.join(',')).join('\r\n')}\r\n`;
}

/** The file's name: what it is of and the dates it covers (`szczepienia-wojewodztwa-2026-01-01-2026-01-28.csv`). */
export const csvFileName = (stem: string, from: string, to: string): string => `${stem}-${from}-${to}.csv`;
