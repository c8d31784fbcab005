import type { Appointment } from './model.ts';
import {
  afterPassing,
  compareRanks,
  DEFAULT_STANDBY_SETTINGS,
  isOnStandby,
  matchesPlace,
  offerRank,
  type StandbyEntry,
  type StandbyPlace,
  visitToBringForward,
} from './standby.ts';
import { aCentre } from './testing/builders.ts';

const centre = aCentre({ id: 'c-warsaw' });
/** About 10 km north of the centre, and about 40 km. */
const NEAR = { lat: centre.location.lat + 0.09, lon: centre.location.lon };
const FAR = { lat: centre.location.lat + 0.36, lon: centre.location.lon };

function anEntry(overrides: Partial<StandbyEntry> = {}): StandbyEntry {
  return {
    patientId: 'pat-1',
    sequence: 1,
    joinedAt: '2026-01-12T07:00:00.000Z',
    channel: 'web',
    wishes: { from: '2026-01-12', to: '2026-01-31', postalCode: '00-950', maxKm: 25, vaccineIds: null },
    position: centre.location,
    dose: 1,
    appointmentId: null,
    phone: '+48600100200',
    language: 'pl',
    status: 'waiting',
    offerId: null,
    silentOffers: 0,
    updatedAt: '2026-01-12T07:00:00.000Z',
    ...overrides,
  };
}

function aPlace(
  overrides: { localDate?: string; start?: string; vaccineId?: string; reason?: StandbyPlace['reason'] } = {},
): StandbyPlace {
  return {
    slot: {
      id: 'slot-1',
      centreId: centre.id,
      vaccineId: overrides.vaccineId ?? 'comirnaty',
      start: overrides.start ?? '2026-01-15T09:00:00.000Z',
      localDate: overrides.localDate ?? '2026-01-15',
    },
    centre,
    reason: overrides.reason ?? 'freed',
  };
}

describe('matchesPlace', () => {
  test('a place within the dates, the distance and the products matches a waiting entry', () => {
    expect(matchesPlace(anEntry(), aPlace(), null)).toBe(true);
  });

  test('the first and last dates are both included; a day outside them is not', () => {
    const wishes = { ...anEntry().wishes, from: '2026-01-15', to: '2026-01-20' };
    expect(matchesPlace(anEntry({ wishes }), aPlace({ localDate: '2026-01-15' }), null)).toBe(true);
    expect(matchesPlace(anEntry({ wishes }), aPlace({ localDate: '2026-01-20' }), null)).toBe(true);
    expect(matchesPlace(anEntry({ wishes }), aPlace({ localDate: '2026-01-14' }), null)).toBe(false);
    expect(matchesPlace(anEntry({ wishes }), aPlace({ localDate: '2026-01-21' }), null)).toBe(false);
  });

  test('a centre farther than the person would travel does not match', () => {
    expect(matchesPlace(anEntry({ position: NEAR }), aPlace(), null)).toBe(true);
    expect(matchesPlace(anEntry({ position: FAR }), aPlace(), null)).toBe(false);
    const willing = { ...anEntry().wishes, maxKm: 50 };
    expect(matchesPlace(anEntry({ position: FAR, wishes: willing }), aPlace(), null)).toBe(true);
  });

  test('only the products named match; none named means any', () => {
    const named = { ...anEntry().wishes, vaccineIds: ['spikevax'] };
    expect(matchesPlace(anEntry({ wishes: named }), aPlace({ vaccineId: 'comirnaty' }), null)).toBe(false);
    expect(matchesPlace(anEntry({ wishes: named }), aPlace({ vaccineId: 'spikevax' }), null)).toBe(true);
    expect(matchesPlace(anEntry(), aPlace({ vaccineId: 'spikevax' }), null)).toBe(true);
  });

  test('a place no earlier than the visit booked does not match', () => {
    const place = aPlace({ start: '2026-01-15T09:00:00.000Z' });
    expect(matchesPlace(anEntry(), place, '2026-01-20T09:00:00.000Z')).toBe(true);
    expect(matchesPlace(anEntry(), place, '2026-01-15T09:00:00.000Z')).toBe(false);
    expect(matchesPlace(anEntry(), place, '2026-01-14T09:00:00.000Z')).toBe(false);
  });

  test('only a waiting entry matches: one holding an offer, paused, placed or gone does not', () => {
    for (const status of ['offered', 'paused', 'placed', 'left'] as const) {
      expect(matchesPlace(anEntry({ status }), aPlace(), null)).toBe(false);
    }
  });
});

describe('offerRank', () => {
  const reach = DEFAULT_STANDBY_SETTINGS.wouldBeWastedReachKm;
  const order = (place: StandbyPlace, entries: StandbyEntry[]) =>
    [...entries]
      .sort((a, b) => compareRanks(offerRank(a, place, reach), offerRank(b, place, reach)))
      .map((e) => e.patientId);
  const first = anEntry({ patientId: 'far-first', sequence: 1, position: FAR });
  const second = anEntry({ patientId: 'near-second', sequence: 2, position: NEAR });
  const third = anEntry({ patientId: 'far-third', sequence: 3, position: FAR });
  const fourth = anEntry({ patientId: 'near-fourth', sequence: 4, position: centre.location });

  test('a freed place goes in joining order, however far people are', () => {
    expect(order(aPlace(), [fourth, third, second, first])).toEqual([
      'far-first',
      'near-second',
      'far-third',
      'near-fourth',
    ]);
  });

  test('a place that would be wasted goes to people within reach first, each group in joining order', () => {
    expect(order(aPlace({ reason: 'would_be_wasted' }), [fourth, third, second, first])).toEqual([
      'near-second',
      'near-fourth',
      'far-first',
      'far-third',
    ]);
  });
});

describe('afterPassing', () => {
  const limit = 2;
  const at = '2026-01-12T08:00:00.000Z';

  test('a NO leaves the person waiting and forgets earlier silence', () => {
    const after = afterPassing(anEntry({ status: 'offered', offerId: 'o', silentOffers: 1 }), 'declined', limit, at);
    expect(after).toMatchObject({ status: 'waiting', offerId: null, silentOffers: 0, updatedAt: at });
  });

  test('silence counts, and the limit-th silent offer in a row pauses the entry', () => {
    const once = afterPassing(anEntry({ status: 'offered', offerId: 'o1' }), 'expired', limit, at);
    expect(once).toMatchObject({ status: 'waiting', silentOffers: 1 });
    const twice = afterPassing({ ...once, status: 'offered', offerId: 'o2' }, 'expired', limit, at);
    expect(twice).toMatchObject({ status: 'paused', offerId: null, silentOffers: 2 });
  });

  test('a NO between silences starts the count again', () => {
    const silent = afterPassing(anEntry({ status: 'offered' }), 'expired', limit, at);
    const declined = afterPassing({ ...silent, status: 'offered' }, 'declined', limit, at);
    const silentAgain = afterPassing({ ...declined, status: 'offered' }, 'expired', limit, at);
    expect(silentAgain).toMatchObject({ status: 'waiting', silentOffers: 1 });
  });
});

describe('visitToBringForward and isOnStandby', () => {
  const visit = (dose: number, status: Appointment['status']) => ({ id: `apt-${dose}`, dose, status }) as Appointment;

  test('the soonest booked dose is the one brought forward; none booked, none', () => {
    expect(visitToBringForward([visit(2, 'booked'), visit(1, 'completed')])?.id).toBe('apt-2');
    expect(visitToBringForward([visit(2, 'booked'), visit(1, 'booked')])?.id).toBe('apt-1');
    expect(visitToBringForward([visit(1, 'cancelled'), visit(1, 'completed')])).toBeNull();
  });

  test('a person stands on the list while waiting or holding an offer', () => {
    expect(
      ['waiting', 'offered', 'paused', 'placed', 'left'].map((status) =>
        isOnStandby(anEntry({ status: status as StandbyEntry['status'] })),
      ),
    ).toEqual([true, true, false, false, false]);
    expect(isOnStandby(null)).toBe(false);
  });
});
