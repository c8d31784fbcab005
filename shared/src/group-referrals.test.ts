import { DomainError } from './errors.ts';
import { MAX_REFERRAL_ROWS, readReferralFile, splitCsvLine } from './group-referrals.ts';
import { makePesel } from './pesel.ts';

const ANNA = makePesel('1985-04-12', 'female', 1);
const JAN = makePesel('1960-11-03', 'male', 2);
const ZOFIA = makePesel('2003-01-30', 'female', 3);

const refusal = (csv: string): DomainError => {
  try {
    readReferralFile(csv);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('the file was accepted');
};

describe('reading a list of group referrals', () => {
  it('accepts every good row and reports each by its line in the file', () => {
    const file = readReferralFile(`pesel,group\n${ANNA},medical\n${JAN},teachers\n`);
    expect(file.rows).toBe(2);
    expect(file.report).toEqual([
      { line: 2, status: 'accepted' },
      { line: 3, status: 'accepted' },
    ]);
    expect(file.accepted).toEqual([
      { line: 2, pesel: ANNA, group: 'medical' },
      { line: 3, pesel: JAN, group: 'teachers' },
    ]);
    expect(file.groups).toEqual(['medical', 'teachers']);
  });

  it('reads the header in any case and order, with semicolons, a byte-order mark and CRLF line ends', () => {
    const file = readReferralFile(`\uFEFFGroup;PESEL\r\nmedical;${ANNA}\r\n\r\nsocial-care;${JAN}\r\n`);
    expect(file.accepted).toEqual([
      { line: 2, pesel: ANNA, group: 'medical' },
      { line: 4, pesel: JAN, group: 'social-care' },
    ]);
  });

  it('takes quoted cells, with a doubled quote inside and spaces around', () => {
    expect(splitCsvLine('"a ""b""" , c', ',')).toEqual(['a "b"', 'c']);
    expect(splitCsvLine('"x;y";z', ';')).toEqual(['x;y', 'z']);
    const file = readReferralFile(`"pesel","group"\n"${ANNA}" , "medical"\n`);
    expect(file.accepted).toEqual([{ line: 2, pesel: ANNA, group: 'medical' }]);
  });

  it('skips blank lines and lines of empty cells, keeping the others’ line numbers', () => {
    const file = readReferralFile(`\npesel,group\n\n,\n   \n${ANNA},medical`);
    expect(file.rows).toBe(1);
    expect(file.report).toEqual([{ line: 6, status: 'accepted' }]);
  });

  it('rejects each kind of bad row with its code and field, and accepts the rest', () => {
    const csv = [
      'pesel,group',
      `${ANNA},medical`,
      `${ANNA.slice(0, 10)}${(Number(ANNA[10]) + 1) % 10},medical`,
      '85134112345,medical',
      '8504121234,medical',
      `${JAN},Medical`,
      `${JAN},medical,extra`,
      `"${JAN},medical`,
      `"${JAN}"x,medical`,
      `${ANNA},medical`,
      `${ZOFIA},m`,
      `,medical`,
      `${ZOFIA},medical`,
    ].join('\n');
    const { report, accepted } = readReferralFile(csv);
    const codes = report.map((row) => [row.line, row.status, row.field ?? null, row.code ?? null]);
    expect(codes).toEqual([
      [2, 'accepted', null, null],
      [3, 'rejected', 'pesel', 'INVALID_PESEL_CHECKSUM'],
      [4, 'rejected', 'pesel', 'INVALID_PESEL_DATE'],
      [5, 'rejected', 'pesel', 'INVALID_PESEL_FORMAT'],
      [6, 'rejected', 'group', 'INVALID_GROUP'],
      [7, 'rejected', null, 'COLUMN_COUNT'],
      [8, 'rejected', null, 'UNCLOSED_QUOTE'],
      [9, 'rejected', null, 'UNCLOSED_QUOTE'],
      [10, 'rejected', null, 'DUPLICATE_ROW'],
      [11, 'rejected', 'group', 'INVALID_GROUP'],
      [12, 'rejected', 'pesel', 'INVALID_PESEL_FORMAT'],
      [13, 'accepted', null, null],
    ]);
    expect(report.find((row) => row.line === 10)?.message).toBe('The same PESEL and group as line 2.');
    expect(report.find((row) => row.line === 5)?.message).toMatch(/leading zero/);
    expect(report.filter((row) => row.status === 'rejected').every((row) => row.message)).toBe(true);
    expect(accepted.map((row) => row.line)).toEqual([2, 13]);
  });

  it('accepts one PESEL in several groups', () => {
    const file = readReferralFile(`pesel,group\n${ANNA},medical\n${ANNA},teachers\n`);
    expect(file.accepted).toHaveLength(2);
    expect(file.groups).toEqual(['medical', 'teachers']);
  });

  it('refuses, naming the field csv, a file without the header, an empty one, or one with no rows', () => {
    for (const csv of [
      `${ANNA},medical\n`,
      'pesel\n',
      'pesel,group,note\n',
      'pesel,pesel\n',
      '',
      '\r\n  \n',
      'pesel,group\n\n',
    ]) {
      const error = refusal(csv);
      expect(error.field).toBe('csv');
      expect(['INVALID_HEADER', 'EMPTY_FILE']).toContain(error.code);
    }
  });

  it('refuses more than 20,000 rows and more than 1 MB, naming the field csv', () => {
    const row = `${ANNA},medical\n`;
    expect(readReferralFile(`pesel,group\n${row.repeat(MAX_REFERRAL_ROWS)}`).rows).toBe(MAX_REFERRAL_ROWS);
    const many = refusal(`pesel,group\n${row.repeat(MAX_REFERRAL_ROWS + 1)}`);
    expect([many.code, many.field]).toEqual(['TOO_MANY_ROWS', 'csv']);
    const large = refusal(`pesel,group\n${ANNA},${'a'.repeat(1024 * 1024)}\n`);
    expect([large.code, large.field]).toEqual(['FILE_TOO_LARGE', 'csv']);
    // Counted in UTF-8 bytes, not characters: half a million two-byte letters pass the character count.
    const wide = refusal(`pesel,group\n${ANNA},${'ż'.repeat(600_000)}\n`);
    expect(wide.code).toBe('FILE_TOO_LARGE');
  });

  it('gives the same digest to one list however it is saved, and another to a different list', () => {
    const comma = readReferralFile(`pesel,group\n${ANNA},medical\n${JAN},teachers\n`);
    const semicolon = readReferralFile(`\uFEFFpesel;group\r\n"${ANNA}";medical\r\n${JAN};teachers`);
    const other = readReferralFile(`pesel,group\n${ANNA},medical\n${JAN},medical\n`);
    const moved = readReferralFile(`pesel,group\n\n${ANNA},medical\n${JAN},teachers\n`);
    expect(semicolon.digest).toBe(comma.digest);
    expect(other.digest).not.toBe(comma.digest);
    expect(moved.digest).not.toBe(comma.digest);
    expect(comma.digest).toMatch(/^[0-9a-f]{64}$/);
  });
});
