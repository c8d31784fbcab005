import { fhirId } from './fhir/fhir-resources.ts';
import type { PublishedDay } from './scheduling-links.ts';
import {
  changedSince,
  daySlotOf,
  locationOf,
  parseSince,
  publishedDayStatuses,
  SCHEDULING_EXTENSIONS,
  scheduleOf,
} from './scheduling-links.ts';
import { aCentre } from './testing/builders.ts';
import { addDays } from './time-zone.ts';
import { VACCINES } from './vaccines.ts';

const site = { origin: 'https://szczepienia.example' };
const comirnaty = VACCINES.find((v) => v.id === 'comirnaty');
const jcovden = VACCINES.find((v) => v.id === 'jcovden');
const zone = 'Europe/Warsaw';
const FIRST_DAY = '2026-03-02';
const DAY = 86_400_000;
/** 09:00 in Warsaw (08:00 UTC in March) on the day `days` after the first. */
const at = (days: number) => new Date(Date.parse(`${FIRST_DAY}T08:00:00.000Z`) + days * DAY).toISOString();

/** A centre's day of Comirnaty with `free` places, its first free slot at 09:00. */
function aDay(days: number, free = 3, overrides: Partial<PublishedDay> = {}): PublishedDay {
  const start = at(days);
  const slotId = `c-1_comirnaty_${start}`;
  return {
    centreId: 'c-1',
    localDate: addDays(FIRST_DAY, days),
    vaccineId: 'comirnaty',
    free,
    firstFree: free > 0 ? start : null,
    firstSlots: free > 0 ? [{ slotId, start, free }] : [],
    changedAt: null,
    ...overrides,
  };
}
const now = at(-1);
const options = { now, bookable: true, zone };

test('a FHIR id keeps only the characters FHIR allows, one to one', () => {
  expect(fhirId('c-0001_comirnaty_20261207T0700Z')).toBe('c-0001.5fcomirnaty.5f20261207T0700Z');
  expect(fhirId('a.b')).not.toBe(fhirId('a_b'));
  expect(fhirId('c-1|x')).toMatch(/^[A-Za-z0-9\-.]{1,64}$/);
});

test('a day is free for a first dose only when a later day has a free place inside the interval', () => {
  // Comirnaty: the second dose 21 to 42 days after the first.
  const days = [aDay(0), aDay(10), aDay(25)];
  expect(publishedDayStatuses(days, comirnaty, options)).toEqual(['free', 'busy', 'busy']);
  const full = [aDay(0), aDay(25, 0)];
  expect(publishedDayStatuses(full, comirnaty, options)).toEqual(['busy', 'busy']);
});

test('a day cut by the interval counts only when one of its listed free slots lies inside it', () => {
  // Day 21 is the interval's first day: its free slot at 08:00 is before 09:00, the earliest second dose.
  const early = {
    ...aDay(21),
    firstSlots: [{ slotId: 'early', start: new Date(Date.parse(at(21)) - 3_600_000).toISOString(), free: 2 }],
  };
  expect(publishedDayStatuses([aDay(0), early], comirnaty, options)).toEqual(['busy', 'busy']);
  expect(publishedDayStatuses([aDay(0), aDay(21)], comirnaty, options)).toEqual(['free', 'busy']);
});

test('a single-dose product is free whenever the day has a free slot not begun; full or closed centres are busy', () => {
  const days = [aDay(0, 3, { vaccineId: 'jcovden' }), aDay(1, 0, { vaccineId: 'jcovden' })];
  expect(publishedDayStatuses(days, jcovden, options)).toEqual(['free', 'busy']);
  expect(publishedDayStatuses(days, jcovden, { ...options, now: at(0) })).toEqual(['busy', 'busy']);
  expect(publishedDayStatuses(days, jcovden, { ...options, bookable: false })).toEqual(['busy', 'busy']);
});

test('a change feed lists the days changed since, and those whose next dose lies where one changed', () => {
  const since = '2026-03-01T00:00:00.000Z';
  const days = [
    aDay(0),
    // Its next dose would lie between days 26 and 47: nothing changed there.
    aDay(5, 3, { changedAt: '2026-02-01T00:00:00.000Z' }),
    aDay(22, 3, { changedAt: '2026-03-01T10:00:00.000Z' }),
    aDay(60),
  ];
  expect(changedSince(days, comirnaty, since, zone)).toEqual([true, false, true, false]);
});

test('a day Slot spans the local day and carries the link to its first free slot, the phone and the places left', () => {
  const centre = aCentre({ phone: '+48221234567', timeZone: zone });
  const day = aDay(0, 2);
  const free = daySlotOf(day, 'free', centre, site, now);
  expect([free.start, free.end]).toEqual(['2026-03-01T23:00:00.000Z', '2026-03-02T23:00:00.000Z']);
  expect(free.extension).toEqual([
    {
      url: SCHEDULING_EXTENSIONS.bookingDeepLink,
      valueUrl: `${site.origin}/book/${encodeURIComponent(day.firstSlots[0]?.slotId ?? '')}`,
    },
    { url: SCHEDULING_EXTENSIONS.bookingPhone, valueString: '+48221234567' },
    { url: SCHEDULING_EXTENSIONS.slotCapacity, valueInteger: 2 },
  ]);
  const busy = daySlotOf(aDay(0, 0), 'busy', { phone: null, timeZone: zone }, site, now);
  expect(busy.extension).toEqual([{ url: SCHEDULING_EXTENSIONS.slotCapacity, valueInteger: 0 }]);
  expect(busy.id).toBe(fhirId('c-1|comirnaty|2026-03-02'));
});

test('a schedule names its product in CVX and every dose of its course', () => {
  const schedule = scheduleOf({ id: 'c-1' }, comirnaty as (typeof VACCINES)[number]);
  expect(schedule.extension).toEqual([
    {
      url: SCHEDULING_EXTENSIONS.vaccineProduct,
      valueCoding: expect.objectContaining({ system: 'http://hl7.org/fhir/sid/cvx', code: '208' }),
    },
    { url: SCHEDULING_EXTENSIONS.vaccineDose, valueInteger: 1 },
    { url: SCHEDULING_EXTENSIONS.vaccineDose, valueInteger: 2 },
  ]);
  expect(schedule.actor).toEqual([{ reference: 'Location/c-1' }]);
});

test('a location carries the TERYT voivodeship, the postal code and the centre identifier', () => {
  const location = locationOf(aCentre({ id: 'c-9' }), site);
  expect(location.address).toMatchObject({ state: '14', postalCode: '00-950', country: 'PL' });
  expect(location.identifier).toEqual([{ system: `${site.origin}/api/centres`, value: 'c-9' }]);
});

test('_since takes a FHIR instant with a zone and refuses anything else naming _since', () => {
  expect(parseSince('2026-03-01T12:00:00+02:00')).toBe('2026-03-01T10:00:00.000Z');
  for (const bad of ['yesterday', '2026-03-01', '2026-03-01T12:00:00']) {
    expect(() => parseSince(bad)).toThrow(expect.objectContaining({ field: '_since' }));
  }
});
