import type { Slot } from './model.ts';
import {
  changedSince,
  fhirId,
  locationOf,
  parseSince,
  publishedStatuses,
  SCHEDULING_EXTENSIONS,
  scheduleOf,
  slotOf,
} from './scheduling-links.ts';
import { aCentre } from './testing/builders.ts';
import { VACCINES } from './vaccines.ts';

const site = { origin: 'https://szczepienia.example' };
const comirnaty = VACCINES.find((v) => v.id === 'comirnaty');
const jcovden = VACCINES.find((v) => v.id === 'jcovden');
const DAY = 86_400_000;
const at = (days: number) => new Date(Date.parse('2026-03-02T08:00:00.000Z') + days * DAY).toISOString();

function aSlot(days: number, overrides: Partial<Slot> = {}): Slot {
  const start = at(days);
  return {
    id: `c-1_comirnaty_${start}`,
    centreId: 'c-1',
    vaccineId: 'comirnaty',
    start,
    end: new Date(Date.parse(start) + 900_000).toISOString(),
    localDate: start.slice(0, 10),
    capacity: 3,
    booked: 0,
    ...overrides,
  };
}
const now = at(-1);

test('a FHIR id keeps only the characters FHIR allows, one to one', () => {
  expect(fhirId('c-0001_comirnaty_20261207T0700Z')).toBe('c-0001.5fcomirnaty.5f20261207T0700Z');
  expect(fhirId('a.b')).not.toBe(fhirId('a_b'));
  expect(fhirId('c-1|x')).toMatch(/^[A-Za-z0-9\-.]{1,64}$/);
});

test('a first dose is free only when its second dose finds a free slot inside the interval', () => {
  const slots = [aSlot(0), aSlot(10), aSlot(25)];
  expect(publishedStatuses(slots, comirnaty, { now, bookable: true })).toEqual(['free', 'busy', 'busy']);
  const full = [aSlot(0), aSlot(25, { booked: 3 })];
  expect(publishedStatuses(full, comirnaty, { now, bookable: true })).toEqual(['busy', 'busy']);
});

test('a single-dose product is free whenever the slot has room; begun, full or closed centres are busy', () => {
  const slots = [aSlot(0, { vaccineId: 'jcovden' }), aSlot(1, { vaccineId: 'jcovden', booked: 3 })];
  expect(publishedStatuses(slots, jcovden, { now, bookable: true })).toEqual(['free', 'busy']);
  expect(publishedStatuses(slots, jcovden, { now: at(0), bookable: true })).toEqual(['busy', 'busy']);
  expect(publishedStatuses(slots, jcovden, { now, bookable: false })).toEqual(['busy', 'busy']);
});

test('a change feed lists the slots written since, and those whose next dose lies where one was written', () => {
  const since = '2026-03-01T00:00:00.000Z';
  const slots = [
    { ...aSlot(0), changedAt: null },
    // Its next dose would lie between days 26 and 47: nothing changed there.
    { ...aSlot(5), changedAt: '2026-02-01T00:00:00.000Z' },
    { ...aSlot(22), changedAt: '2026-03-01T10:00:00.000Z' },
    { ...aSlot(60), changedAt: null },
  ];
  expect(changedSince(slots, comirnaty, since)).toEqual([true, false, true, false]);
});

test('a slot carries its deep link when free, its phone and its capacity', () => {
  const centre = aCentre({ phone: '+48221234567' });
  const free = slotOf(aSlot(0, { booked: 1 }), 'free', centre, site);
  expect(free.extension).toEqual([
    { url: SCHEDULING_EXTENSIONS.bookingDeepLink, valueUrl: `${site.origin}/book/${encodeURIComponent(aSlot(0).id)}` },
    { url: SCHEDULING_EXTENSIONS.bookingPhone, valueString: '+48221234567' },
    { url: SCHEDULING_EXTENSIONS.slotCapacity, valueInteger: 2 },
  ]);
  const busy = slotOf(aSlot(0, { booked: 3 }), 'busy', { phone: null }, site);
  expect(busy.extension).toEqual([{ url: SCHEDULING_EXTENSIONS.slotCapacity, valueInteger: 3 }]);
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
