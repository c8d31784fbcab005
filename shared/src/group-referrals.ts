import { DomainError, invalid } from './errors.ts';
import { parsePesel } from './pesel.ts';
import { sha256Hex } from './sha256.ts';

/** The largest list accepted: 1 MiB of UTF-8, and this many rows besides the header. */
export const MAX_REFERRAL_FILE_BYTES = 1024 * 1024;
export const MAX_REFERRAL_ROWS = 20_000;

/** A priority group's name, as eligibility rules name it: `medical`, `teachers`, `social-care`. */
export const GROUP_NAME = /^[a-z][a-z0-9-]{1,39}$/;

/** What became of one row of the file; `line` counts the file's lines, the header being line 1. */
export interface ReferralRowReport {
  line: number;
  status: 'accepted' | 'rejected';
  field?: 'pesel' | 'group';
  code?: ReferralRowCode;
  message?: string;
  /** With `DUPLICATE_ROW`: the line the same PESEL and group first appeared on. */
  sameAs?: number;
}

/**
 * Why a row was refused: its cells (`COLUMN_COUNT`, `UNCLOSED_QUOTE`), its PESEL (the codes of
 * `parsePesel`), its group (`INVALID_GROUP`), or the same PESEL and group on an earlier line
 * (`DUPLICATE_ROW`).
 */
export type ReferralRowCode =
  | 'COLUMN_COUNT'
  | 'UNCLOSED_QUOTE'
  | 'INVALID_PESEL_FORMAT'
  | 'INVALID_PESEL_DATE'
  | 'INVALID_PESEL_CHECKSUM'
  | 'INVALID_GROUP'
  | 'DUPLICATE_ROW';

/** One accepted row: a PESEL referred to a group. */
export interface AcceptedReferral {
  line: number;
  pesel: string;
  group: string;
}

/** A list of referrals as read: every row's fate, the accepted ones, and the digest that names the file. */
export interface ReferralFile {
  /** Rows besides the header and blank lines. */
  rows: number;
  report: ReferralRowReport[];
  accepted: AcceptedReferral[];
  /** The groups of the accepted rows, sorted, each once. */
  groups: string[];
  /**
   * SHA-256 of the rows as read (line numbers and trimmed cells): the same list saved with another
   * separator, quoting, byte-order mark or line ends has the same digest, so its upload is recognised.
   */
  digest: string;
}

/** The header's columns, in the order the file gives them. */
type Columns = { pesel: number; group: number };

const BLANK = /^\s*$/;

/**
 * The cells of one line, split at `separator`; a cell may be quoted (`"…"`, a quote inside written
 * twice), and spaces around a quoted cell are ignored. Null when a quote is left open: a cell never
 * spans lines, so that every row keeps its own line number.
 */
export function splitCsvLine(line: string, separator: ',' | ';'): string[] | null {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    let cell = '';
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) return null;
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            cell += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        cell += line[i];
        i++;
      }
      while (line[i] === ' ' || line[i] === '\t') i++;
      // Text after a closing quote belongs to no cell: the quote was not closed where the writer meant.
      if (i < line.length && line[i] !== separator) return null;
    } else {
      const end = line.indexOf(separator, i);
      cell = end === -1 ? line.slice(i) : line.slice(i, end);
      i = end === -1 ? line.length : end;
    }
    cells.push(cell.trim());
    if (i >= line.length) return cells;
    i++; // past the separator
  }
}

/** The header's separator: a semicolon when the header holds one and no comma (as spreadsheets in Poland save). */
function separatorOf(header: string): ',' | ';' {
  return header.includes(';') && !header.includes(',') ? ';' : ',';
}

function columnsOf(header: string, separator: ',' | ';'): Columns {
  const names = splitCsvLine(header, separator)?.map((cell) => cell.toLowerCase());
  const pesel = names?.indexOf('pesel') ?? -1;
  const group = names?.indexOf('group') ?? -1;
  if (names?.length !== 2 || pesel === -1 || group === -1) {
    throw invalid(
      'INVALID_HEADER',
      'The first line must be the header naming the two columns, pesel and group (in either order), e.g. pesel,group.',
      'csv',
    );
  }
  return { pesel, group };
}

/** A PESEL cell's problem, worded for someone who saved the list from a spreadsheet. */
function peselProblem(cell: string): { code: ReferralRowCode; message: string } | null {
  try {
    parsePesel(cell);
    return null;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const message =
      /^[0-9]{10}$/.test(cell) && error.code === 'INVALID_PESEL_FORMAT'
        ? 'A PESEL must be exactly 11 digits; this one has 10 (a spreadsheet may have dropped a leading zero: save the column as text).'
        : error.message;
    return { code: error.code as ReferralRowCode, message };
  }
}

/**
 * Reads a list of priority-group referrals (CSV with the header `pesel,group`): checks its size, then
 * each row — a PESEL with a real date and check digit, a group name, no PESEL and group twice — and
 * reports every row. A file that is too large or has no proper header is refused as a whole, naming
 * the field `csv`; a bad row is only reported.
 */
export function readReferralFile(csv: string): ReferralFile {
  if (new TextEncoder().encode(csv).length > MAX_REFERRAL_FILE_BYTES) {
    throw invalid('FILE_TOO_LARGE', `The file must be at most ${MAX_REFERRAL_FILE_BYTES} bytes (1 MB).`, 'csv');
  }
  const lines = csv.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const headerIndex = lines.findIndex((line) => !BLANK.test(line));
  if (headerIndex === -1) throw invalid('EMPTY_FILE', 'The file is empty.', 'csv');
  const header = lines[headerIndex] as string;
  const separator = separatorOf(header);
  const columns = columnsOf(header, separator);

  const report: ReferralRowReport[] = [];
  const accepted: AcceptedReferral[] = [];
  const normalised: string[] = [];
  const seen = new Map<string, number>();
  for (let index = headerIndex + 1; index < lines.length; index++) {
    const text = lines[index] as string;
    if (BLANK.test(text)) continue;
    const line = index + 1;
    const cells = splitCsvLine(text, separator);
    if (cells?.every((cell) => cell === '')) continue;
    if (report.length === MAX_REFERRAL_ROWS) {
      throw invalid('TOO_MANY_ROWS', `The file must hold at most ${MAX_REFERRAL_ROWS} rows besides its header.`, 'csv');
    }
    normalised.push(`${line}\t${cells ? cells.join('\t') : text}`);
    if (!cells) {
      report.push({
        line,
        status: 'rejected',
        code: 'UNCLOSED_QUOTE',
        message: 'A quote opened on this line is not closed.',
      });
      continue;
    }
    if (cells.length !== 2) {
      report.push({
        line,
        status: 'rejected',
        code: 'COLUMN_COUNT',
        message: `The row must hold two values, a PESEL and a group; it holds ${cells.length}.`,
      });
      continue;
    }
    const pesel = cells[columns.pesel] as string;
    const group = cells[columns.group] as string;
    const problem = peselProblem(pesel);
    if (problem) {
      report.push({ line, status: 'rejected', field: 'pesel', ...problem });
      continue;
    }
    if (!GROUP_NAME.test(group)) {
      report.push({
        line,
        status: 'rejected',
        field: 'group',
        code: 'INVALID_GROUP',
        message: 'A group is 2–40 lower-case letters, digits or dashes, beginning with a letter (e.g. medical).',
      });
      continue;
    }
    const key = `${pesel} ${group}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      report.push({
        line,
        status: 'rejected',
        code: 'DUPLICATE_ROW',
        message: `The same PESEL and group as line ${earlier}.`,
        sameAs: earlier,
      });
      continue;
    }
    seen.set(key, line);
    report.push({ line, status: 'accepted' });
    accepted.push({ line, pesel, group });
  }
  if (report.length === 0) throw invalid('EMPTY_FILE', 'The file holds a header but no rows.', 'csv');
  return {
    rows: report.length,
    report,
    accepted,
    groups: [...new Set(accepted.map((row) => row.group))].sort(),
    digest: sha256Hex(`group-referrals v1\n${normalised.join('\n')}`),
  };
}
