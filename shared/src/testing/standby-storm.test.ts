import { InMemoryStore } from './in-memory-store.ts';
import { runStandbyStorm } from './standby-storm.ts';

const PLACES = 1_000;
const PEOPLE = 10_000;

test('a storm of 1,000 freed places for 10,000 people: each place offered in joining order, held once, passed on in order', async () => {
  const report = await runStandbyStorm(async () => ({ store: new InMemoryStore(), close: async () => {} }), {
    people: PEOPLE,
    places: PLACES,
  });
  const [first, lapsed, passed, lapsedAgain] = report.rounds;
  const expect1 = (round: Map<number, number> | undefined, count: number, personOf: (place: number) => number) => {
    expect(round?.size).toBe(count);
    for (const [place, person] of round ?? []) expect([place, person]).toEqual([place, personOf(place)]);
  };
  expect1(first, PLACES, (i) => i);
  expect1(lapsed, PLACES, (i) => PLACES + i);
  // The first half passed: their places went to the next people waiting, in joining order.
  expect1(passed, PLACES / 2, (i) => 2 * PLACES + i);
  expect1(lapsedAgain, PLACES / 2, (i) => 2 * PLACES + PLACES / 2 + i);
  expect(report.most).toEqual({ perPerson: 1, perPhone: 1, perPlace: 1 });
  expect(report.overbooked).toBe(0);
  expect(report.events).toMatchObject({
    'standby.offered': 3 * PLACES,
    'standby.expired': PLACES + PLACES / 2,
    'standby.declined': PLACES / 2,
    'standby.taken': PLACES / 2,
    'appointment.booked': PLACES,
  });
  expect(report.events['standby.released'] ?? 0).toBe(0);
  // Round 1's first half had let one offer lapse before: this lapse paused them.
  expect(report.events['standby.paused']).toBe(PLACES / 2);
  // Every offer, lapse and pause is texted once, though the planner saw each event twice.
  expect(report.sms).toEqual({
    offered: { events: 3 * PLACES, textedOnce: 3 * PLACES },
    lapsed: { events: PLACES, textedOnce: PLACES },
    paused: { events: PLACES / 2, textedOnce: PLACES / 2 },
  });
}, 120_000);
