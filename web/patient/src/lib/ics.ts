/** One visit as a calendar event. */
export interface CalendarVisit {
  /** Unique and stable per visit, so that a calendar replaces an imported visit rather than duplicating it. */
  id: string;
  /** UTC instant, ISO 8601. */
  start: string;
  minutes: number;
  /** Grows with every change of the visit; a calendar keeps the highest. */
  sequence: number;
  summary: string;
  location: string;
  description: string;
}

/** A slot lasts this long unless a centre says otherwise (the visit does not carry its slot's end). */
export const VISIT_MINUTES = 15;

const CRLF = '\r\n';
const MAX_OCTETS = 75;

/** Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks. */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

function utf8Length(codePoint: number): number {
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  if (codePoint < 0x10000) return 3;
  return 4;
}

/**
 * Folds a content line so that no physical line exceeds 75 octets of UTF-8 (RFC 5545 §3.1), breaking
 * between characters, never inside one; each continuation starts with a space, which counts.
 */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = utf8Length(char.codePointAt(0) as number);
    if (octets + size > MAX_OCTETS) {
      parts.push(current);
      current = ' ';
      octets = 1;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join(CRLF);
}

/** `20260512T061500Z`. */
export function icsUtc(instant: string | Date): string {
  const iso = (typeof instant === 'string' ? new Date(instant) : instant).toISOString();
  return `${iso.slice(0, 19).replace(/[-:]/g, '')}Z`;
}

/** A VCALENDAR with one VEVENT per visit, CRLF line ends, escaped and folded, times in UTC. */
export function buildCalendar(visits: readonly CalendarVisit[], options: { domain: string; now: Date }): string {
  const stamp = icsUtc(options.now);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//e-Rejestracja//Patient app//PL',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
  ];
  for (const visit of visits) {
    const end = new Date(Date.parse(visit.start) + visit.minutes * 60_000);
    lines.push(
      'BEGIN:VEVENT',
      `UID:${visit.id}@${options.domain}`,
      `DTSTAMP:${stamp}`,
      `DTSTART:${icsUtc(visit.start)}`,
      `DTEND:${icsUtc(end)}`,
      `SEQUENCE:${visit.sequence}`,
      `SUMMARY:${escapeText(visit.summary)}`,
      `LOCATION:${escapeText(visit.location)}`,
      `DESCRIPTION:${escapeText(visit.description)}`,
      'STATUS:CONFIRMED',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join(CRLF) + CRLF;
}
