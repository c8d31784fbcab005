import type { z } from 'zod';
import { aSchedule } from '../testing/index.ts';
import { BookRequest, CompleteRequest, OnboardRequest, PolicyChangeRequest, SearchQuery, text } from './schemas.ts';

const NAME = text({ min: 2, max: 20 });
const OPENS = '2026-01-15T19:00:00Z';

describe('a free-text field', () => {
  test.each([
    ['a NUL character', 'Ann\u0000a'],
    ['a newline', 'Anna\nKowalska'],
    ['a tab', 'Anna\tKowalska'],
    ['an escape', 'Anna\u001b[31m'],
    ['DEL', 'Anna\u007f'],
    ['a C1 control character', 'Anna\u0085'],
    ['a line separator', 'Anna\u2028K'],
    ['a lone high surrogate', 'Anna\ud83d'],
    ['a lone low surrogate', '\ude00Anna'],
    ['surrogates in the wrong order', 'An\ude00\ud83dna'],
    ['nothing but spaces', '     '],
    ['too many characters', 'A'.repeat(21)],
  ])('refuses %s', (_, input) => {
    expect(NAME.safeParse(input).success).toBe(false);
  });

  test.each([
    ['trims the ends', '  Anna  ', 'Anna'],
    ['keeps a pair of surrogates', 'Anna 😀', 'Anna 😀'],
    ['composes to NFC', 'Zo\u0301sia', 'Zósia'],
    ['keeps letters of any script', 'Олена Ковальчук', 'Олена Ковальчук'],
  ])('%s', (_, input, expected) => {
    const parsed = NAME.parse(input);

    expect(parsed).toBe(expected);
    expect(parsed).toBe(parsed.normalize('NFC'));
  });

  test('counts the length after composing', () => {
    expect(text({ max: 1 }).parse('o\u0301')).toBe('ó');
  });
});

function firstIssue(schema: z.ZodType, input: unknown): { path: string; message: string } | undefined {
  const result = schema.safeParse(input);
  const issue = result.success ? undefined : result.error.issues[0];
  return issue && { path: issue.path.join('.'), message: issue.message };
}

const centre = {
  name: 'Punkt Szczepień',
  address: { street: 'ul. Długa 1', postalCode: '00-001', city: 'Warszawa', voivodeship: 'mazowieckie' },
  location: { lat: 52.2, lon: 21 },
  schedule: aSchedule(),
  staff: [{ name: 'Anna Nowak', email: 'anna@example.org', role: 'centre-manager' }],
};

describe('every free-text field of the API refuses a control character or a broken character, naming the field', () => {
  test.each<[string, z.ZodType, unknown, string]>([
    ['a centre name', OnboardRequest, { ...centre, name: 'Punkt\u0000' }, 'name'],
    [
      'a street',
      OnboardRequest,
      { ...centre, address: { ...centre.address, street: 'Długa\ud800' } },
      'address.street',
    ],
    ['a city', OnboardRequest, { ...centre, address: { ...centre.address, city: 'War\nszawa' } }, 'address.city'],
    [
      'a postal code',
      OnboardRequest,
      { ...centre, address: { ...centre.address, postalCode: '00\u0000001' } },
      'address.postalCode',
    ],
    ['a centre phone', OnboardRequest, { ...centre, phone: '+48\u0000' }, 'phone'],
    [
      'a staff name',
      OnboardRequest,
      { ...centre, staff: [{ name: 'Anna\u0085', email: 'a@example.org' }] },
      'staff.0.name',
    ],
    ['a reason', BookRequest, { slotId: 's-1', reason: 'calls\u0007back' }, 'reason'],
    ['a slot id', BookRequest, { slotId: 's-\u00001' }, 'slotId'],
    ['a batch id', CompleteRequest, { vaccineId: 'comirnaty', batchId: 'bat\u00001', site: 'left_deltoid' }, 'batchId'],
    [
      'a rule description',
      PolicyChangeRequest,
      { action: 'open', rules: [{ kind: 'group', group: 'medical', opensAt: OPENS, description: 'x\udfff' }] },
      'rules.0.description',
    ],
    [
      'a group',
      PolicyChangeRequest,
      { action: 'open', rules: [{ kind: 'group', group: 'medical\u0000', opensAt: OPENS }] },
      'rules.0.group',
    ],
    [
      'an opening',
      PolicyChangeRequest,
      { action: 'open', rules: [{ kind: 'group', group: 'medical', opensAt: '2026-01-12 19:00' }] },
      'rules.0.opensAt',
    ],
    ['a change note', PolicyChangeRequest, { action: 'cancel', ruleId: 'born-1950', note: 'a\u0000' }, 'note'],
    ['a searched postal code', SearchQuery, { postalCode: '00-\u0000' }, 'postalCode'],
  ])('%s', (_, schema, input, field) => {
    expect(schema.safeParse(input).success).toBe(false);
    expect(firstIssue(schema, input)?.path).toBe(field);
  });

  test('a centre address takes the seven-digit TERC code of its gmina, and refuses anything else naming the field', () => {
    const withCode = (teryt: unknown) => ({ ...centre, address: { ...centre.address, teryt } });

    expect(OnboardRequest.parse(withCode('1465011')).address.teryt).toBe('1465011');
    expect(OnboardRequest.parse(centre).address.teryt).toBeUndefined();
    for (const bad of ['146501', '14650111', '14-65-011', 'Warszawa', 1465011]) {
      expect(firstIssue(OnboardRequest, withCode(bad))?.path).toBe('address.teryt');
    }
  });

  test('a well-formed centre passes, its names composed', () => {
    const parsed = OnboardRequest.parse({ ...centre, name: '  Punkt Szczepien\u0301 ' });

    expect(parsed.name).toBe('Punkt Szczepień');
  });
});
