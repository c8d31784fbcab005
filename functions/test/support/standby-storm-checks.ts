import type { StormReport } from '@ereg/shared/testing';

/**
 * What a standby storm must show on any store: each place offered in joining order and held once, a
 * lapsed hold passed to the next person in line, the passed places going on in order, nobody and no
 * phone holding two offers, no place counted beyond its capacity, every offer, lapse and pause texted once.
 */
export function expectStormInOrder(report: StormReport, size: { people: number; places: number }): void {
  const { places } = size;
  const [first, lapsed, passed, lapsedAgain] = report.rounds;
  const offeredInOrder = (
    round: Map<number, number> | undefined,
    count: number,
    personOf: (place: number) => number,
  ) => {
    expect(round?.size).toBe(count);
    for (const [place, person] of round ?? []) expect([place, person]).toEqual([place, personOf(place)]);
  };
  offeredInOrder(first, places, (i) => i);
  offeredInOrder(lapsed, places, (i) => places + i);
  offeredInOrder(passed, places / 2, (i) => 2 * places + i);
  offeredInOrder(lapsedAgain, places / 2, (i) => 2 * places + places / 2 + i);
  expect(report.most).toEqual({ perPerson: 1, perPhone: 1, perPlace: 1 });
  expect(report.overbooked).toBe(0);
  expect(report.events).toMatchObject({
    'standby.offered': 3 * places,
    'standby.expired': places + places / 2,
    'standby.declined': places / 2,
    'standby.taken': places / 2,
    'appointment.booked': places,
  });
  expect(report.events['standby.released'] ?? 0).toBe(0);
  // Every offer, lapse and pause is texted once, though the planner saw each event twice.
  expect(report.sms).toEqual({
    offered: { events: 3 * places, textedOnce: 3 * places },
    lapsed: { events: places, textedOnce: places },
    paused: { events: places / 2, textedOnce: places / 2 },
  });
}
