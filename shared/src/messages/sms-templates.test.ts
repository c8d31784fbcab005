import type { Language } from '../model.ts';
import { parseInboundSms } from './sms-commands.ts';
import { smsEncoding, smsSegments } from './sms-encoding.ts';
import {
  fitField,
  renderSms,
  SMS_FIELD_LIMITS,
  SMS_KINDS,
  SMS_MAX_SEGMENTS_SEVERAL_PLACES,
  type SmsCentre,
  type SmsContact,
  type SmsKind,
  type SmsReason,
  type SmsTemplateInput,
  type SmsVisit,
} from './sms-templates.ts';

const LANGUAGES: readonly Language[] = ['pl', 'en', 'uk'];
const VISIT_KINDS: readonly SmsKind[] = ['booked', 'later_dose', 'moved', 'cancelled', 'reminder'];

const aCentre = (overrides: Partial<SmsCentre> = {}): SmsCentre => ({
  name: 'Przychodnia Zdrowie',
  street: 'ul. Marszałkowska 10',
  city: 'Warszawa',
  ...overrides,
});
const aContact = (overrides: Partial<SmsContact> = {}): SmsContact => ({
  hotline: '989',
  web: 'pacjent.gov.pl',
  ...overrides,
});
const aVisit = (overrides: Partial<SmsVisit> = {}): SmsVisit => ({
  dose: 1,
  date: '2026-05-12',
  time: '09:30',
  centre: aCentre(),
  ...overrides,
});
const aCourse = (doses: number, centre = aCentre()): SmsVisit[] =>
  [
    aVisit({ centre }),
    aVisit({ dose: 2, date: '2026-06-09', time: '14:15', centre }),
    aVisit({ dose: 3, date: '2026-07-07', time: '08:05', centre }),
  ].slice(0, doses);
const REFERENCE = 'K7M2QX9P';
/** A centre's words on why it cancelled, quoted as written. */
const aNote = (note: string): SmsReason => ({ code: 'day_closed', note });

/** A message of each kind, with the given centre, contact and reason and the most visits it can tell. */
const anInput = (
  kind: SmsKind,
  { centre = aCentre(), contact = aContact(), reason = aNote('Choroba personelu') } = {},
): SmsTemplateInput => {
  switch (kind) {
    case 'booked':
    case 'moved':
      return { kind, visits: aCourse(2, centre), reference: REFERENCE, contact };
    case 'later_dose':
      return { kind, visits: [aVisit({ dose: 2, centre })], reference: REFERENCE, contact };
    case 'cancelled':
      return { kind, visit: aVisit({ centre }), reason, laterDosesToo: true, contact };
    case 'reminder':
      return { kind, visit: aVisit({ centre }), reference: REFERENCE, contact };
    case 'offer':
    case 'taken_offer':
      return { kind, date: '2026-05-12', time: '09:30', centre, contact };
    case 'already_booked':
      return { kind, date: '2026-05-12', time: '09:30', contact };
    case 'not_eligible':
      return { kind, eligibleFrom: '2026-06-01', contact };
    case 'phone_limit':
      return { kind, people: 5, contact };
    case 'booked_by_text':
      return { kind, bookedBy: '+380 ** *** 567', contact };
    case 'visit_exists':
    case 'booked_reply':
    case 'no_slots':
    case 'invalid_pesel':
    case 'invalid_postal_code':
    case 'no_offer':
    case 'help':
    case 'failed':
      return { kind, contact };
    // The waiting room
    case 'queue_turn':
      return { kind, minutes: 10, contact };
    // The standby list
    case 'standby_offer':
      return { kind, date: '2026-05-12', time: '09:30', centre, until: '08:45', contact };
    case 'standby_taken':
      return { kind, date: '2026-05-12', time: '09:30', centre, contact };
    case 'standby_joined':
      return { kind, from: '2026-05-12', to: '2026-06-30', maxKm: 25, contact };
    case 'standby_paused':
      return { kind, offers: 2, contact };
    case 'standby_passed':
    case 'standby_expired':
    case 'standby_closed':
    case 'standby_how':
      return { kind, contact };
  }
};

// Far over every budget, with Polish letters (transliterated in pl/en) and an extension character (2 septets).
const farTooLong = (words: string) => Array.from({ length: 30 }, () => words).join(' ');
const maximal = (kind: SmsKind): SmsTemplateInput =>
  anInput(kind, {
    centre: {
      name: farTooLong('Samodzielny Publiczny Zakład Opieki Zdrowotnej [SPZOZ]'),
      street: farTooLong('ul. Generała Władysława Andersa 12/14'),
      city: farTooLong('Kędzierzyn-Koźle'),
    },
    contact: { hotline: '+48 22 62 62', web: 'https://szczepienia.gov.pl/zap' },
    reason: aNote(farTooLong('Choroba personelu, punkt zamknięty {do odwołania}')),
  });

const EXPECTED_ENCODING: Record<Language, string> = { pl: 'GSM-7', en: 'GSM-7', uk: 'UCS-2' };

describe('renderSms within the length budget', () => {
  const cases = SMS_KINDS.flatMap((kind) => LANGUAGES.map((language) => [kind, language] as const));

  test.each(cases)('%s in %s fits two segments even with every field at its longest', (kind, language) => {
    const text = renderSms(maximal(kind), language);
    const { encoding, segments } = smsSegments(text);
    expect(segments).toBeLessThanOrEqual(2);
    expect(encoding).toBe(EXPECTED_ENCODING[language]);
  });

  const WEB_KINDS: readonly SmsKind[] = [...VISIT_KINDS, 'already_booked', 'visit_exists'];
  test.each(WEB_KINDS.flatMap((kind) => (['pl', 'en'] as const).map((language) => [kind, language] as const)))(
    '%s in %s keeps a 30-character web address with every field at its budget',
    (kind, language) => {
      expect(renderSms(maximal(kind), language)).toContain('https://szczepienia.gov.pl/zap');
    },
  );

  test('in Ukrainian the web address goes before anything else when the message would be too long', () => {
    const input = anInput('booked');
    const text = renderSms(input, 'uk');
    expect(text).not.toContain('pacjent.gov.pl');
    expect(text).toContain('989');
    expect(text).toContain('Przychodnia Zdrowie, ul. Marszałkowska 10, Warszawa');
  });

  test('in Ukrainian the web address stays when there is room for it', () => {
    const text = renderSms(anInput('reminder'), 'uk');
    expect(text).toContain('989 або pacjent.gov.pl');
  });

  test('a long street keeps its house number when shortened', () => {
    const centre = aCentre({
      name: 'Szpital Wojewódzki im. Jana Pawła II',
      street: 'ul. Generała Władysława Andersa 12',
      city: 'Kędzierzyn-Koźle',
    });
    const text = renderSms(anInput('booked', { centre }), 'uk');
    expect(smsSegments(text).segments).toBeLessThanOrEqual(2);
    expect(text).toMatch(/ul\. Gen[^,]*… Andersa 12, Kędzierzyn-Koźle/);
  });

  test('foreign characters in free text keep a Polish or English message GSM-7', () => {
    const centre = aCentre({ name: 'Punkt Szczepień Čapek 😷 Київ' });
    for (const language of ['pl', 'en'] as const) {
      const text = renderSms(anInput('reminder', { centre }), language);
      expect(smsEncoding(text)).toBe('GSM-7');
      expect(text).toContain('Punkt Szczepien Capek ? ????');
    }
  });
});

describe('renderSms content', () => {
  test.each(VISIT_KINDS.flatMap((kind) => LANGUAGES.map((language) => [kind, language] as const)))(
    '%s in %s names the centre, its address, the date, the time and the hotline',
    (kind, language) => {
      const text = renderSms(anInput(kind), language);
      for (const part of language === 'uk'
        ? ['Przychodnia Zdrowie', 'ul. Marszałkowska 10']
        : ['ul. Marszalkowska 10']) {
        expect(text).toContain(part);
      }
      expect(text).toContain('Przychodnia Zdrowie');
      expect(text).toContain('Warszawa');
      expect(text).toContain('12.05');
      expect(text).toContain('09:30');
      expect(text).toContain('989');
    },
  );

  test.each(
    (['offer', 'taken_offer'] as const).flatMap((kind) => LANGUAGES.map((language) => [kind, language] as const)),
  )('%s in %s names the centre, its address, the date and the time', (kind, language) => {
    const text = renderSms(anInput(kind), language);
    for (const part of ['Przychodnia Zdrowie', 'Warszawa', '12.05', '09:30']) expect(text).toContain(part);
    expect(text).toContain(language === 'uk' ? 'ul. Marszałkowska 10' : 'ul. Marszalkowska 10');
  });

  test.each(LANGUAGES)('a booked course in %s lists every visit', (language) => {
    const text = renderSms({ kind: 'booked', visits: aCourse(3), reference: REFERENCE, contact: aContact() }, language);
    for (const part of ['12.05', '09:30', '09.06', '14:15', '07.07', '08:05']) expect(text).toContain(part);
    if (language !== 'uk') expect(text).toMatch(/1:[\s\S]*2:[\s\S]*3:/);
  });

  test('Polish letters in a centre name are transliterated in Polish and English and kept in Ukrainian', () => {
    const centre = aCentre({ name: 'Przychodnia Łódź-Śródmieście', street: 'ul. Piotrkowska 1', city: 'Łódź' });
    expect(renderSms(anInput('reminder', { centre }), 'pl')).toContain(
      'Przychodnia Lodz-Srodmiescie, ul. Piotrkowska 1, Lodz',
    );
    expect(renderSms(anInput('reminder', { centre }), 'en')).toContain(
      'Przychodnia Lodz-Srodmiescie, ul. Piotrkowska 1, Lodz',
    );
    expect(renderSms(anInput('reminder', { centre }), 'uk')).toContain(
      'Przychodnia Łódź-Śródmieście, ul. Piotrkowska 1, Łódź',
    );
  });

  test('Polish messages are written so that they stay GSM-7', () => {
    for (const kind of SMS_KINDS) expect(smsEncoding(renderSms(anInput(kind), 'pl'))).toBe('GSM-7');
  });

  test.each(LANGUAGES)('a cancellation in %s gives the reason', (language) => {
    const input = anInput('cancelled', { reason: aNote('Brak dostawy szczepionek') });
    const text = renderSms({ ...input, laterDosesToo: false } as SmsTemplateInput, language);
    expect(text).toContain('Brak dostawy szczepionek');
  });

  test.each(LANGUAGES)('a long reason in %s is shortened at a word and marked as cut', (language) => {
    const reason = farTooLong('Punkt zamknięty z powodu awarii');
    const text = renderSms(anInput('cancelled', { reason: aNote(reason) }), language);
    const shown = language === 'uk' ? /Причина: «(Punkt zamknięty[^\n]*)…»/ : /: "(Punkt zamkniety[^\n]*)\.\.\."/;
    const match = shown.exec(text);
    expect(match).not.toBeNull();
    expect(reason.replaceAll('ę', language === 'uk' ? 'ę' : 'e').startsWith(match?.[1] ?? '-')).toBe(true);
  });

  test.each(LANGUAGES)('a cancellation in %s says whether later doses are cancelled too', (language) => {
    const both = renderSms(anInput('cancelled'), language);
    const single = renderSms(
      { ...(anInput('cancelled') as Extract<SmsTemplateInput, { kind: 'cancelled' }>), laterDosesToo: false },
      language,
    );
    const later = { pl: 'kolejne dawki', en: 'Later doses', uk: 'наступні дози' }[language];
    expect(both).toContain(later);
    expect(single).not.toContain(later);
  });

  test('a proposal asks for TAK/NIE in Polish, YES/NO in English and ТАК/НІ in Ukrainian', () => {
    expect(renderSms(anInput('offer'), 'pl')).toMatch(/TAK lub NIE\.?$/);
    expect(renderSms(anInput('offer'), 'en')).toMatch(/YES or NO\.?$/);
    expect(renderSms(anInput('offer'), 'uk')).toMatch(/ТАК або НІ$/);
    expect(renderSms(anInput('taken_offer'), 'uk')).toMatch(/ТАК або НІ$/);
  });

  test.each(LANGUAGES)('the answers a proposal asks for in %s are understood in that language', (language) => {
    const text = renderSms(anInput('offer'), language);
    const [yes, no] = /(\S+) (?:lub|or|або) (\S+?)\.?$/.exec(text)?.slice(1) ?? [];
    expect(parseInboundSms(yes ?? '')).toEqual({ kind: 'yes', language });
    expect(parseInboundSms(no ?? '')).toEqual({ kind: 'no', language });
  });

  test.each(LANGUAGES)('the example in the help of %s starts a booking in that language', (language) => {
    for (const kind of ['help', 'no_offer', 'invalid_pesel'] as const) {
      const example = /(\S+ \d{11} \d{2}-\d{3})/.exec(renderSms(anInput(kind), language))?.[1] ?? '';
      expect(parseInboundSms(example)).toEqual({
        kind: 'start',
        pesel: '44051401359',
        postalCode: '00-950',
        language,
      });
    }
  });

  test.each(LANGUAGES)('not_eligible in %s gives the date from which one may book, or none', (language) => {
    expect(renderSms({ kind: 'not_eligible', eligibleFrom: '2026-06-01', contact: aContact() }, language)).toContain(
      '01.06.2026',
    );
    expect(renderSms({ kind: 'not_eligible', eligibleFrom: null, contact: aContact() }, language)).not.toMatch(
      /\d\d\.\d\d/,
    );
  });

  test.each(LANGUAGES)('not_eligible in %s gives the time of an opening at a time of day', (language) => {
    const text = renderSms(
      { kind: 'not_eligible', eligibleFrom: '2026-06-01', openingTime: '20:00', contact: aContact() },
      language,
    );
    expect(text).toContain('01.06.2026');
    expect(text).toContain('20:00');
  });

  test.each(LANGUAGES)('no_slots and failed in %s point to the hotline', (language) => {
    expect(renderSms(anInput('no_slots'), language)).toContain('989');
    expect(renderSms(anInput('failed'), language)).toContain('989');
  });

  test.each(LANGUAGES)('already_booked in %s gives the visit date and time', (language) => {
    const text = renderSms(
      { kind: 'already_booked', date: '2026-11-03', time: '16:45', contact: aContact() },
      language,
    );
    expect(text).toContain('03.11');
    expect(text).toContain('16:45');
  });

  test.each(LANGUAGES)('visit_exists in %s points to the hotline and tells no date or time', (language) => {
    const text = renderSms(anInput('visit_exists'), language);
    expect(text).toContain('989');
    expect(text).not.toMatch(/\d\d\.\d\d|\d\d:\d\d/);
  });

  test.each(LANGUAGES)('phone_limit in %s gives the limit and the hotline', (language) => {
    const text = renderSms({ kind: 'phone_limit', people: 5, contact: aContact() }, language);
    expect(text).toContain('5');
    expect(text).toContain('989');
  });

  test('phone_limit counts people in Polish grammar', () => {
    const said = (people: number) => renderSms({ kind: 'phone_limit', people, contact: aContact() }, 'pl');
    expect(said(1)).toContain('1 osobe:');
    expect(said(3)).toContain('3 osoby:');
    expect(said(5)).toContain('5 osob:');
    expect(said(12)).toContain('12 osob:');
    expect(said(22)).toContain('22 osoby:');
  });

  test.each(LANGUAGES)('booked_by_text in %s names the masked number and the hotline', (language) => {
    const text = renderSms({ kind: 'booked_by_text', bookedBy: '+48 *** *** 567', contact: aContact() }, language);
    expect(text).toContain('+48 *** *** 567');
    expect(text).toContain('989');
  });

  test('a message without a web address names the hotline alone', () => {
    const text = renderSms(anInput('reminder', { contact: aContact({ web: null }) }), 'en');
    expect(text).toMatch(/To cancel, call 989$/);
  });

  test('free text on several lines is put on one', () => {
    const text = renderSms(anInput('cancelled', { reason: aNote('Awaria\n\nprądu') }), 'en');
    expect(text).toContain('Reason: centre closed that day: "Awaria pradu"\n');
  });

  test('no visit, or more than three, is refused', () => {
    expect(() => renderSms({ kind: 'booked', visits: [], reference: REFERENCE, contact: aContact() }, 'pl')).toThrow(
      'one to three visits',
    );
    expect(() =>
      renderSms(
        { kind: 'moved', visits: [...aCourse(3), aVisit({ dose: 4 })], reference: REFERENCE, contact: aContact() },
        'uk',
      ),
    ).toThrow('one to three visits');
  });

  test('a date or time not in the local form is refused', () => {
    expect(() =>
      renderSms({ kind: 'already_booked', date: '2026-05-12T08:00:00Z', time: '09:30', contact: aContact() }, 'en'),
    ).toThrow('YYYY-MM-DD');
    expect(() =>
      renderSms({ kind: 'already_booked', date: '2026-05-12', time: '9:30', contact: aContact() }, 'en'),
    ).toThrow('HH:MM');
  });

  test('SMS_KINDS lists every kind once', () => {
    expect(new Set(SMS_KINDS).size).toBe(SMS_KINDS.length);
    expect(SMS_KINDS).toHaveLength(28);
    for (const kind of SMS_KINDS) expect(anInput(kind).kind).toBe(kind);
  });
});

// The waiting room
describe('the turn in the waiting room', () => {
  test.each(LANGUAGES)('in %s says how many minutes there are to book, where, and the hotline', (language) => {
    const text = renderSms({ kind: 'queue_turn', minutes: 10, contact: aContact() }, language);
    expect(text).toContain('10');
    expect(text).toContain('pacjent.gov.pl');
    expect(text).toContain('989');
  });
});

describe('visits at two centres', () => {
  const MOKOTOW = aCentre({ name: 'Punkt Szczepień Mokotów', street: 'ul. Puławska 10', city: 'Warszawa' });
  const PRAGA = aCentre({ name: 'Przychodnia Praga', street: 'ul. Targowa 15', city: 'Warszawa' });
  const split = (kind: 'booked' | 'later_dose' | 'moved'): SmsTemplateInput => ({
    kind,
    visits: [aVisit({ centre: PRAGA }), aVisit({ dose: 2, date: '2026-06-09', time: '14:15', centre: MOKOTOW })],
    reference: REFERENCE,
    contact: aContact(),
  });
  const plain = (text: string, language: Language) =>
    language === 'uk' ? text : text.replace('ń', 'n').replace('ó', 'o').replace('ł', 'l');

  test.each(
    (['booked', 'later_dose', 'moved'] as const).flatMap((kind) =>
      LANGUAGES.map((language) => [kind, language] as const),
    ),
  )('%s in %s puts each visit with its own centre and address', (kind, language) => {
    const lines = renderSms(split(kind), language).split('\n');
    const first = lines.findIndex((line) => line.includes('12.05'));
    const second = lines.findIndex((line) => line.includes('09.06'));
    expect(lines[first + 1]).toBe(plain('Przychodnia Praga, ul. Targowa 15, Warszawa', language));
    expect(lines[second + 1]).toBe(plain('Punkt Szczepień Mokotów, ul. Puławska 10, Warszawa', language));
    expect(lines.join('\n')).toContain(REFERENCE);
  });

  test.each(LANGUAGES)('visits at one centre in %s name it once, after the visits', (language) => {
    const text = renderSms(anInput('booked', { centre: PRAGA }), language);
    expect(text.split('Przychodnia Praga')).toHaveLength(2);
    expect(text.indexOf('Przychodnia Praga')).toBeGreaterThan(text.indexOf('09.06'));
  });

  test.each(
    (['reminder', 'cancelled'] as const).flatMap((kind) => LANGUAGES.map((language) => [kind, language] as const)),
  )('%s in %s names the visit’s own centre', (kind, language) => {
    const input = anInput(kind, { centre: PRAGA });
    expect(renderSms(input, language)).toContain('Przychodnia Praga, ul. Targowa 15, Warszawa');
  });

  test.each((['booked', 'moved'] as const).flatMap((kind) => LANGUAGES.map((language) => [kind, language] as const)))(
    '%s in %s at two centres with every field at its longest fits three segments',
    (kind, language) => {
      const far = (name: string) => ({
        name: farTooLong(name),
        street: farTooLong('ul. Generała Władysława Andersa 12/14'),
        city: farTooLong('Kędzierzyn-Koźle'),
      });
      const input: SmsTemplateInput = {
        kind,
        visits: [aVisit({ centre: far('Szpital A') }), aVisit({ dose: 2, centre: far('Szpital B') })],
        reference: REFERENCE,
        contact: { hotline: '+48 22 62 62', web: 'https://szczepienia.gov.pl/zap' },
      };
      const text = renderSms(input, language);
      expect(smsSegments(text).segments).toBeLessThanOrEqual(SMS_MAX_SEGMENTS_SEVERAL_PLACES);
      expect(text).toContain(REFERENCE);
      expect(text).toMatch(/Szpital A/);
      expect(text).toMatch(/Szpital B/);
    },
  );
});

test.each(LANGUAGES)('a centre whose name ends with its town does not name the town twice in %s', (language) => {
  const centre = aCentre({
    name: 'Punkt Szczepień — Przychodnia Nr 2, Warszawa',
    street: 'ul. Chopina 3',
    city: 'Warszawa',
  });
  const text = renderSms(anInput('reminder', { centre }), language);
  expect(text.split('Warszawa')).toHaveLength(2);
  expect(text).toMatch(/Przychodnia[^\n]*, ul\. Chopina 3, Warszawa/);
});

describe('why a visit was cancelled', () => {
  const WORDS: Record<Language, Record<SmsReason['code'], string>> = {
    pl: {
      patient: 'Powod: na Twoja prosbe',
      hotline: 'Powod: na Twoja prosbe przez infolinie',
      centre: 'Powod: odwolane przez punkt szczepien',
      day_closed: 'Powod: punkt nieczynny tego dnia',
      hours_changed: 'Powod: punkt zmienil godziny pracy',
      dose_missed: 'Powod: nie przyjeto poprzedniej dawki',
    },
    en: {
      patient: 'Reason: at your request',
      hotline: 'Reason: at your request, by phone',
      centre: 'Reason: by the vaccination centre',
      day_closed: 'Reason: centre closed that day',
      hours_changed: 'Reason: centre opening hours changed',
      dose_missed: 'Reason: the previous dose was not given',
    },
    uk: {
      patient: 'Причина: на ваше прохання',
      hotline: 'Причина: на ваше прохання телефоном',
      centre: 'Причина: пункт щеплення',
      day_closed: 'Причина: пункт зачинено',
      hours_changed: 'Причина: пункт змінив години роботи',
      dose_missed: 'Причина: попередню дозу не введено',
    },
  };
  const cancelled = (reason: SmsReason) => anInput('cancelled', { reason });

  test.each(LANGUAGES)('each reason is told in words of %s, never as a code', (language) => {
    for (const code of Object.keys(WORDS[language]) as Array<SmsReason['code']>) {
      const text = renderSms(cancelled({ code, note: null }), language);
      expect(text.split('\n')).toContain(WORDS[language][code]);
      expect(text).not.toMatch(/cancelled by|_/);
    }
  });

  test('a centre’s own words are quoted as written', () => {
    const reason: SmsReason = { code: 'centre', note: 'Awaria prądu' };
    expect(renderSms(cancelled(reason), 'pl')).toContain('Powod: odwolane przez punkt szczepien: "Awaria pradu"');
    expect(renderSms(cancelled(reason), 'en')).toContain('Reason: by the vaccination centre: "Awaria pradu"');
    expect(renderSms(cancelled(reason), 'uk')).toContain('Причина: «Awaria prądu»');
  });
});

describe('fitField', () => {
  test('a text within its budget is kept, on one line', () => {
    expect(fitField('  Przychodnia   Zdrowie ', 40)).toBe('Przychodnia Zdrowie');
    expect(fitField('Awaria\nprądu', 40)).toBe('Awaria prądu');
    expect(fitField('abc', 3)).toBe('abc');
  });

  test('a longer text is cut at a word boundary and ends with an ellipsis', () => {
    expect(fitField('Samodzielny Publiczny Zakład Opieki Zdrowotnej', 24)).toBe('Samodzielny Publiczny…');
  });

  test('punctuation left at the cut is dropped', () => {
    expect(fitField('Choroba personelu, punkt zamknięty', 20)).toBe('Choroba personelu…');
  });

  test('a long word is cut inside when no boundary is near the end', () => {
    expect(fitField('Konstantynopolitańczykowianeczka', 10)).toBe('Konstanty…');
  });

  test('never exceeds its budget', () => {
    const text = 'Szpital Wojewódzki im. Jana Pawła II w Kędzierzynie-Koźlu, oddział 3';
    for (let max = 0; max <= text.length + 1; max++) expect(fitField(text, max).length).toBeLessThanOrEqual(max);
  });

  test('does not split an emoji in two', () => {
    expect(fitField('abc😷def', 5)).toBe('abc…');
  });

  test('the budgets give each language room for a usual centre', () => {
    for (const language of LANGUAGES) {
      const limits = SMS_FIELD_LIMITS[language];
      expect(limits.centreName).toBeGreaterThanOrEqual('Przychodnia Zdrowie'.length);
      expect(limits.street).toBeGreaterThanOrEqual('ul. Marszałkowska 10'.length);
      expect(limits.city).toBeGreaterThanOrEqual('Kędzierzyn-Koźle'.length);
    }
  });
});

describe('a cancellation offering other times', () => {
  const LINK = 'https://szczepienia.gov.pl/zap/book/c-warszawa-0042_comirnaty_20260515T0715Z';
  const elsewhere = aCentre({ name: 'Szpital Praski', street: 'al. Solidarności 67' });
  const withRebook = (
    rebook: Extract<SmsTemplateInput, { kind: 'cancelled' }>['rebook'],
    base = maximal('cancelled'),
  ) => ({ ...(base as Extract<SmsTemplateInput, { kind: 'cancelled' }>), rebook }) as SmsTemplateInput;
  const twoSlots = [
    { date: '2026-05-15', time: '09:15', centre: aCentre() },
    { date: '2026-05-15', time: '09:15', centre: elsewhere },
  ];

  test.each(LANGUAGES)(
    'in %s it fits three segments with every field at its longest and keeps the whole link',
    (language) => {
      const text = renderSms(withRebook({ kind: 'link', slots: twoSlots, link: LINK }), language);

      expect(smsSegments(text).segments).toBeLessThanOrEqual(SMS_MAX_SEGMENTS_SEVERAL_PLACES);
      expect(text).toContain(LINK);
    },
  );

  test.each([
    [
      'pl',
      'Zamiast tego wolne terminy dawki 1:\n- 15.05 o 09:15 w tym samym punkcie\n- 15.05 o 09:15 w innym punkcie: Szpital Praski, al. Solidarnosci 67, Warszawa\nZarezerwuj pierwszy: ',
    ],
    [
      'en',
      'Instead, free slots for dose 1:\n- 15.05 at 09:15, same centre\n- 15.05 at 09:15, other centre: Szpital Praski, al. Solidarnosci 67, Warszawa\nBook the first: ',
    ],
  ] as const)('in %s each time says where it is, the same centre or another named on its line', (language, part) => {
    const text = renderSms(withRebook({ kind: 'link', slots: twoSlots, link: LINK }, anInput('cancelled')), language);

    expect(text).toContain(`${part}${LINK}`);
    // No time stands on a line of its own, where it could be read as the cancelled visit's or the next place's.
    expect(text.split('\n').filter((line) => /^(- )?\d\d\.\d\d (o|at) \d\d:\d\d$/.test(line))).toEqual([]);
  });

  test.each([
    ['pl', 'Zamiast tego wolne terminy dawki 2: 15.05 o 09:15 lub 15.05 o 09:30 w innym punkcie: Szpital Praski'],
    ['en', 'Instead, free slots for dose 2: 15.05 at 09:15 or 15.05 at 09:30, other centre: Szpital Praski'],
  ] as const)(
    'in %s two times at one other centre share a line that names it once, with the dose they are for',
    (language, part) => {
      const base = anInput('cancelled') as Extract<SmsTemplateInput, { kind: 'cancelled' }>;
      const slots = [
        { date: '2026-05-15', time: '09:15', centre: elsewhere },
        { date: '2026-05-15', time: '09:30', centre: elsewhere },
      ];
      const text = renderSms(
        { ...base, visit: { ...base.visit, dose: 2 }, rebook: { kind: 'link', slots, link: LINK } },
        language,
      );

      expect(text).toContain(part);
      expect(text.split('Szpital Praski')).toHaveLength(2);
    },
  );

  test('in uk a time at the same centre says so, and one elsewhere names its place, however short the room', () => {
    const same = renderSms(
      withRebook({ kind: 'link', slots: twoSlots.slice(0, 1), link: LINK }, anInput('cancelled')),
      'uk',
    );
    const other = renderSms(
      withRebook({ kind: 'link', slots: twoSlots.slice(1), link: LINK }, anInput('cancelled')),
      'uk',
    );

    expect(same).toContain(`Натомість вільно: 15.05 09:15, там само\nЗапис: ${LINK}`);
    expect(other).toContain(
      `Натомість вільно: 15.05 09:15, Szpital Praski, al. Solidarności 67, Warszawa\nЗапис: ${LINK}`,
    );
    for (const text of [same, other])
      expect(smsSegments(text).segments).toBeLessThanOrEqual(SMS_MAX_SEGMENTS_SEVERAL_PLACES);
  });

  test('in uk, when there is room, the cancelled visit keeps its place and the centre its own words', () => {
    const text = renderSms(
      withRebook({ kind: 'link', slots: twoSlots.slice(0, 1), link: 'https://e.pl/b/1' }, anInput('cancelled')),
      'uk',
    );

    expect(text).toBe(
      [
        'Скасовано: 12.05 09:30 і наступні дози',
        'Przychodnia Zdrowie, ul. Marszałkowska 10, Warszawa',
        'Причина: «Choroba personelu»',
        'Натомість вільно: 15.05 09:15, там само',
        'Запис: https://e.pl/b/1',
      ].join('\n'),
    );
  });

  test.each([
    ['pl', 'Zamiast tego wolny termin dawki 1: 15.05 o 09:15 w tym samym punkcie\nRezerwujemy? Odpowiedz TAK lub NIE.'],
    ['en', 'Instead, a free slot for dose 1: 15.05 at 09:15, same centre\nBook it? Reply YES or NO.'],
    ['uk', 'Натомість вільно: 15.05 09:15, там само\nЗаписати? ТАК або НІ'],
  ] as const)(
    'in %s a phone that booked by text is asked to answer YES or NO, in words the dialogue reads',
    (language, part) => {
      const text = renderSms(
        withRebook({ kind: 'reply', slot: twoSlots[0] as (typeof twoSlots)[number] }, anInput('cancelled')),
        language,
      );

      expect(text).toContain(part);
      expect(text).not.toContain('pacjent.gov.pl');
      const answer = language === 'en' ? 'YES' : 'TAK';
      expect(parseInboundSms(answer).kind).toBe('yes');
    },
  );

  test('with no web address set, the hotline is how to book one of the times', () => {
    const text = renderSms(
      withRebook({ kind: 'link', slots: twoSlots.slice(0, 1), link: null }, anInput('cancelled')),
      'pl',
    );

    expect(text).toContain('Zamiast tego wolny termin dawki 1: 15.05 o 09:15 w tym samym punkcie\nRezerwacja: 989');
  });
});
