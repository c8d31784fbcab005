/** How a text message is encoded: GSM-7 packs 160 characters in one SMS, UCS-2 only 70. */
export type SmsEncoding = 'GSM-7' | 'UCS-2';

/** The GSM 03.38 default alphabet (without ESC, which only introduces the extension table). */
const GSM7_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
    '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);

/** Characters of the extension table: each is sent as ESC plus a code, so it costs two septets. */
const GSM7_EXTENSION = new Set('^{}\\[~]|€\f');

const SINGLE_GSM7 = 160;
const MULTIPART_GSM7 = 153;
const SINGLE_UCS2 = 70;
const MULTIPART_UCS2 = 67;

/** Whether a single character (code point) can be sent in GSM-7. */
export const isGsm7Char = (char: string): boolean => GSM7_BASIC.has(char) || GSM7_EXTENSION.has(char);

/** GSM-7 when every character is in the GSM 03.38 alphabet or its extension table, else UCS-2. */
export function smsEncoding(text: string): SmsEncoding {
  for (const char of text) if (!isGsm7Char(char)) return 'UCS-2';
  return 'GSM-7';
}

/**
 * How many SMS a text takes. A message over one SMS carries a 6-byte header in each part, which is why
 * the parts hold 153 septets or 67 UTF-16 code units instead of 160 or 70.
 */
export function smsSegments(text: string): { encoding: SmsEncoding; units: number; segments: number } {
  const encoding = smsEncoding(text);
  let units = text.length;
  if (encoding === 'GSM-7') {
    units = 0;
    for (const char of text) units += GSM7_EXTENSION.has(char) ? 2 : 1;
  }
  const [single, part] = encoding === 'GSM-7' ? [SINGLE_GSM7, MULTIPART_GSM7] : [SINGLE_UCS2, MULTIPART_UCS2];
  return { encoding, units, segments: units <= single ? 1 : Math.ceil(units / part) };
}

const TRANSLITERATION: Readonly<Record<string, string>> = {
  ą: 'a',
  ć: 'c',
  ę: 'e',
  ł: 'l',
  ń: 'n',
  ó: 'o',
  ś: 's',
  ź: 'z',
  ż: 'z',
  Ą: 'A',
  Ć: 'C',
  Ę: 'E',
  Ł: 'L',
  Ń: 'N',
  Ó: 'O',
  Ś: 'S',
  Ź: 'Z',
  Ż: 'Z',
  '\u2018': "'",
  '\u2019': "'",
  '\u201A': "'",
  '\u201C': '"',
  '\u201D': '"',
  '\u201E': '"',
  '\u2013': '-',
  '\u2014': '-',
  '\u2026': '...',
  '\u00A0': ' ',
  '\u202F': ' ',
};

const TRANSLITERATED = new RegExp(`[${Object.keys(TRANSLITERATION).join('')}]`, 'g');

/**
 * Replaces Polish letters and typographic punctuation (curly quotes, Polish „low” quotes, dashes, ellipsis,
 * non-breaking spaces) with GSM-7 look-alikes, so that one stray „ą” does not halve what an SMS holds.
 * Any other character outside GSM-7 is kept: the text is then UCS-2, as smsSegments reports.
 */
export function toGsm7Text(text: string): string {
  return text.replace(TRANSLITERATED, (char) => TRANSLITERATION[char] ?? char);
}
