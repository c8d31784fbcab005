/** @jest-environment node */
import { buildCalendar, type CalendarVisit, escapeText, foldLine, icsUtc } from './ics.ts';

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const visit = (overrides: Partial<CalendarVisit> = {}): CalendarVisit => ({
  id: 'apt-1',
  start: '2026-03-29T06:30:00.000Z',
  minutes: 15,
  sequence: 2,
  summary: 'Szczepienie — dawka 1 (Comirnaty)',
  location: 'Punkt Szczepień Mokotów, ul. Puławska 10, 02-512 Warszawa',
  description: 'Aby odwołać: https://example.pl/visits; infolinia 989',
  ...overrides,
});

/** Undoes RFC 5545 folding: a line break followed by one space joins the lines. */
const unfold = (text: string) => text.replace(/\r\n /g, '');

describe('calendar file', () => {
  it('escapes backslashes, semicolons, commas and line breaks in text', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf')).toBe('a\\\\b\\;c\\,d\\ne\\nf');
  });

  it('folds long lines at 75 octets without splitting Polish or Ukrainian letters', () => {
    const line = `DESCRIPTION:${'Zażółć gęślą jaźń — щеплення, доза друга 💉. '.repeat(6)}`;
    const folded = foldLine(line);
    const physical = folded.split('\r\n');
    expect(physical.length).toBeGreaterThan(3);
    for (const part of physical) expect(utf8(part)).toBeLessThanOrEqual(75);
    for (const part of physical.slice(1)) expect(part.startsWith(' ')).toBe(true);
    for (const part of physical) expect(part).not.toMatch(LONE_SURROGATE);
    expect(unfold(folded)).toBe(line);
  });

  it('keeps a line of exactly 75 octets whole and folds one of 76', () => {
    expect(foldLine('X'.repeat(75))).toBe('X'.repeat(75));
    expect(foldLine('X'.repeat(76))).toBe(`${'X'.repeat(75)}\r\n X`);
    // "ą" takes two octets: 37 of them plus one letter fill 75 exactly, one more must move on.
    expect(foldLine(`${'ą'.repeat(37)}X`).split('\r\n')).toHaveLength(1);
    expect(foldLine(`${'ą'.repeat(38)}`).split('\r\n')).toEqual(['ą'.repeat(37), ' ą']);
  });

  it('writes times in UTC with a Z', () => {
    expect(icsUtc('2026-03-29T06:30:00.000Z')).toBe('20260329T063000Z');
    expect(icsUtc(new Date('2026-10-25T23:05:09.123Z'))).toBe('20261025T230509Z');
  });

  it('builds one event per visit with its UID, start, 15-minute end, sequence, summary, place and how to cancel', () => {
    const text = buildCalendar([visit(), visit({ id: 'apt-2', start: '2026-04-19T05:00:00.000Z', sequence: 1 })], {
      domain: 'e-rejestracja.example',
      now: new Date('2026-03-01T10:00:00Z'),
    });
    const lines = unfold(text).split('\r\n');
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines).toContain('VERSION:2.0');
    expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(2);
    expect(lines).toContain('UID:apt-1@e-rejestracja.example');
    expect(lines).toContain('UID:apt-2@e-rejestracja.example');
    expect(lines).toContain('DTSTAMP:20260301T100000Z');
    expect(lines).toContain('DTSTART:20260329T063000Z');
    expect(lines).toContain('DTEND:20260329T064500Z');
    expect(lines).toContain('DTSTART:20260419T050000Z');
    expect(lines).toContain('DTEND:20260419T051500Z');
    expect(lines).toContain('SEQUENCE:2');
    expect(lines).toContain('SUMMARY:Szczepienie — dawka 1 (Comirnaty)');
    expect(lines).toContain('LOCATION:Punkt Szczepień Mokotów\\, ul. Puławska 10\\, 02-512 Warszawa');
    expect(lines).toContain('DESCRIPTION:Aby odwołać: https://example.pl/visits\\; infolinia 989');
    expect(lines.at(-2)).toBe('END:VCALENDAR');
  });

  it('ends every line with CRLF and never with a bare line feed', () => {
    const text = buildCalendar([visit({ description: 'line one\nline two' })], {
      domain: 'x.example',
      now: new Date('2026-03-01T10:00:00Z'),
    });
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of text.split('\r\n')) expect(utf8(line)).toBeLessThanOrEqual(75);
  });
});
