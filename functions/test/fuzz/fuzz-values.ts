import fc from 'fast-check';

/** The subset of JSON Schema that the OpenAPI document's zod schemas produce. */
export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

/** Values worth sending for fields of a given name: real ids of the fuzzed system and near misses. */
export type Hints = Record<string, readonly unknown[]>;

/** Characters that break naive text handling: controls, bidi overrides, lone surrogates, emoji, combining marks. */
const NASTY_UNITS = [
  '\u0000',
  '\u0001',
  '\u0008',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u00a0',
  '\u200b',
  '\u200e',
  '\u200f',
  '\u202a',
  '\u202e',
  '\u2066',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\ufffd',
  '\uffff',
  '\ud800',
  '\udbff',
  '\udc00',
  '\udfff',
  '\ud83d\ude00',
  '👍🏽',
  '👨‍👩‍👧',
  '🇵🇱',
  'e\u0301',
  '\u0301',
  'ą',
  'ż',
  'ї',
  'ﷺ',
  'İ',
  'ß',
  'ي',
  '\\',
  '"',
  "'",
  '<',
  '&',
  '%',
  '+',
  '/',
  '?',
  '#',
  '=',
  '\t',
  '\n',
  '\r',
  ' ',
  'a',
  '7',
];

const nastyUnit = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_UNITS) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
);

const SPECIAL_STRINGS = [
  '',
  ' ',
  '   ',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '0x10',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  '{}',
  '[]',
  '../../etc/passwd',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template injection probe, sent as text.
  '${7*7}',
  '%00',
  '%ZZ',
  '%E0%A4%A',
  '\u202egnp.exe',
  'ي'.repeat(30),
  '🙂'.repeat(100),
  'a\u0000b',
  '\ud800\ud800',
];

/** Short strings of nasty characters, and well-known troublemakers. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: nastyUnit, maxLength: 24 }) },
  { weight: 1, arbitrary: fc.constantFrom(...SPECIAL_STRINGS) },
);

/** Strings of 1 KiB up to past the 256 KiB body limit, of one repeated (sometimes multi-byte or broken) unit. */
export const hugeString: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom(1_000, 16_384, 70_000, 200_000, 262_000, 262_144, 300_000),
    fc.constantFrom('a', 'ą', '🙂', '\u0000', '\ud800', ' ', '%'),
  )
  .map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length)));

export const WRONG_TYPES: fc.Arbitrary<unknown> = fc.oneof(
  nastyString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
  fc.dictionary(nastyString, fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
);

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Dates around `today`: real ones, and ones that match YYYY-MM-DD but name no day or an absurd one. */
export function dates(today: string): fc.Arbitrary<string> {
  const base = Date.parse(`${today}T00:00:00Z`);
  const real = fc
    .integer({ min: -40, max: 120 })
    .map((days) => new Date(base + days * 86_400_000).toISOString().slice(0, 10));
  const broken = fc.constantFrom(
    '2026-02-30',
    '2026-02-29',
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-01-00',
    '2026-01-32',
    '0000-00-00',
    '0000-01-01',
    '9999-99-99',
    '9999-12-31',
    '1900-02-29',
    '1582-10-10',
    '2026-03-29',
    '2026-10-25',
    '2026-1-1',
    '26-01-13',
    '2026/01/13',
    '2026-01-13T00:00:00Z',
    '+275760-09-13',
    '-0001-01-01',
    '２０２６-０１-１３',
    '2026-01-13\n',
  );
  const shaped = fc
    .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }))
    .map(([y, m, d]) => `${pad(y, 4)}-${pad(m)}-${pad(d)}`);
  return fc.oneof({ weight: 4, arbitrary: real }, { weight: 2, arbitrary: broken }, { weight: 1, arbitrary: shaped });
}

/** Times of day, in and out of range. */
export const times: fc.Arbitrary<string> = fc
  .oneof(
    { weight: 4, arbitrary: fc.tuple(fc.integer({ min: 6, max: 20 }), fc.constantFrom(0, 15, 30, 45)) },
    { weight: 2, arbitrary: fc.tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 })) },
  )
  .map(([h, m]) => `${pad(h)}:${pad(m)}`);

/** Numbers at and past the edges of a range, and ones JSON turns into something else. */
function numbers(schema: JsonSchema, strict: boolean): fc.Arbitrary<number> {
  const min = Math.max(schema.minimum ?? -1e6, -1e6);
  const max = Math.min(schema.maximum ?? 1e6, 1e6);
  const integer = schema.type === 'integer';
  const inside = integer
    ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) })
    : fc.double({ min, max, noNaN: true });
  if (strict) return fc.oneof({ weight: 6, arbitrary: inside }, { weight: 1, arbitrary: fc.constantFrom(min, max) });
  const edges = fc.constantFrom(
    min,
    max,
    min - 1,
    max + 1,
    0,
    -0,
    -1,
    0.5,
    1e21,
    -1e21,
    Number.MAX_SAFE_INTEGER + 2,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
  );
  return fc.oneof({ weight: 4, arbitrary: inside }, { weight: 1, arbitrary: edges });
}

function strings(schema: JsonSchema, today: string, strict: boolean): fc.Arbitrary<string> {
  if (schema.pattern?.includes('\\d{4}-\\d{2}-\\d{2}')) return dates(today);
  if (schema.pattern?.includes('\\d{2}:\\d{2}')) return times;
  if (schema.format === 'email') {
    return fc.oneof(
      fc.emailAddress(),
      fc.constantFrom('a@b', '@', 'a@@b.pl', 'ania@przychodnia.pl', `${'x'.repeat(300)}@x.pl`),
    );
  }
  const max = Math.min(schema.maxLength ?? 40, 60);
  const min = Math.min(schema.minLength ?? 0, max);
  if (strict) return fc.string({ unit: 'grapheme-ascii', minLength: Math.max(min, 1), maxLength: max });
  return fc.oneof(
    { weight: 4, arbitrary: fc.string({ minLength: min, maxLength: max }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: min, maxLength: max }) },
    { weight: 1, arbitrary: fc.constant('x'.repeat((schema.maxLength ?? 40) + 1)) },
  );
}

export interface ValueOptions {
  hints: Hints;
  today: string;
  /** Weight of a value of the wrong kind at each field (0: none). */
  wrongness: number;
}

/** A value for a schema: mostly plausible (hints first), sometimes of the wrong type, sometimes nasty. */
export function valuesFor(schema: JsonSchema, name: string | null, options: ValueOptions): fc.Arbitrary<unknown> {
  const plausible = plausibleValueOf(schema, name, options);
  if (options.wrongness === 0) return plausible;
  return fc.oneof(
    { weight: 20, arbitrary: plausible },
    { weight: options.wrongness, arbitrary: WRONG_TYPES },
    { weight: options.wrongness, arbitrary: nastyString },
  );
}

function plausibleValueOf(schema: JsonSchema, name: string | null, options: ValueOptions): fc.Arbitrary<unknown> {
  const hinted = name !== null ? options.hints[name] : undefined;
  const own = ownValueOf(schema, options);
  if (hinted && hinted.length > 0) {
    const weight = options.wrongness === 0 ? 12 : 5;
    return fc.oneof({ weight, arbitrary: fc.constantFrom(...hinted) }, { weight: 1, arbitrary: own });
  }
  return own;
}

function ownValueOf(schema: JsonSchema, options: ValueOptions): fc.Arbitrary<unknown> {
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) return fc.oneof(...branches.map((branch) => valuesFor(branch, null, options)));
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...schema.enum) }, nastyString);
  switch (schema.type) {
    case 'string':
      return strings(schema, options.today, options.wrongness === 0);
    case 'integer':
    case 'number':
      return numbers(schema, options.wrongness === 0);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const items = schema.items ?? {};
      const maxLength = Math.min(schema.maxItems ?? 4, 4);
      return fc.array(valuesFor(items, null, options), {
        minLength: Math.min(schema.minItems ?? 0, maxLength),
        maxLength,
      });
    }
    case 'object':
      return objectOf(schema, options);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function objectOf(schema: JsonSchema, options: ValueOptions): fc.Arbitrary<unknown> {
  if (schema.properties) {
    const record: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [key, property] of Object.entries(schema.properties)) record[key] = valuesFor(property, key, options);
    return fc.record(record, { requiredKeys: schema.required ?? [] });
  }
  // A dictionary (a week's days, capacity per vaccine): keys from the allowed names or the hints.
  const valueSchema = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : {};
  const names = schema.propertyNames?.enum as string[] | undefined;
  const key = names
    ? fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...names) }, { weight: 1, arbitrary: nastyString })
    : fc.oneof(
        { weight: 8, arbitrary: fc.constantFrom(...((options.hints.vaccineId as string[] | undefined) ?? ['x'])) },
        { weight: 1, arbitrary: nastyString },
      );
  return fc.dictionary(key, valuesFor(valueSchema, null, options), { maxKeys: 4 });
}

/** Encodes text for a URL component; a lone surrogate becomes its three WTF-8 bytes (which no decoder accepts). */
export function encodeComponent(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    if (code >= 0xd800 && code <= 0xdfff) {
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    } else out += encodeURIComponent(char);
  }
  return out;
}

/** Percent-encodings that no decoder accepts: truncated, not hex, overlong, a lone surrogate. */
export const brokenEncoding: fc.Arbitrary<string> = fc.constantFrom(
  '%',
  '%%',
  '%2',
  '%G0',
  '%ZZ',
  '%E0%A4%A',
  '%C0%AF',
  '%ED%A0%80',
  '%FF',
  '%C3%28',
  'a%',
  '%u0041',
);
