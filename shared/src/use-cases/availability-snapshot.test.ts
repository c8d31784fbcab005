import { aBirthYearRule, createMemorySystem } from '../testing/index.ts';
import { takeAvailabilitySnapshot } from './availability-snapshot.ts';

// A centre open Monday to Friday 08:00–12:00 and Saturday 09:00–11:00, every 15 minutes, three places
// of Comirnaty and two of Vaxzevria a slot; no public holiday from 12 January to 8 February 2026.
const WEEKDAY_SLOTS = 16;
const SATURDAY_SLOTS = 8;

describe('the daily availability snapshot', () => {
  test('counts each product’s places of the next four weeks, booked and free, and the first day with room', async () => {
    const system = createMemorySystem();
    await system.addRule(aBirthYearRule(1970));
    const centre = await system.addCentre();
    // A course booked on Tuesday at 09:00: its second dose three weeks later, on Tuesday 3 February.
    await system.bookCourse(centre, '2026-01-13', '09:00', 'comirnaty');

    const snapshots = await takeAvailabilitySnapshot(system.deps);

    // It is Monday 08:00: the slot starting now was not published, every later one was.
    const slots = 20 * WEEKDAY_SLOTS + 4 * SATURDAY_SLOTS - 1;
    expect(snapshots).toEqual([
      {
        date: '2026-01-12',
        centreId: centre.id,
        vaccineId: 'comirnaty',
        published: 3 * slots,
        booked: 2,
        free: 3 * slots - 2,
        // This week: Monday (15 slots left) to Friday and Saturday; the booked first dose is on Tuesday.
        free7: 3 * (5 * WEEKDAY_SLOTS + SATURDAY_SLOTS - 1) - 1,
        free14: 3 * (10 * WEEKDAY_SLOTS + 2 * SATURDAY_SLOTS - 1) - 1,
        firstFreeDate: '2026-01-12',
        takenAt: system.clock.now().toISOString(),
      },
      {
        date: '2026-01-12',
        centreId: centre.id,
        vaccineId: 'vaxzevria',
        published: 2 * slots,
        booked: 0,
        free: 2 * slots,
        free7: 2 * (5 * WEEKDAY_SLOTS + SATURDAY_SLOTS - 1),
        free14: 2 * (10 * WEEKDAY_SLOTS + 2 * SATURDAY_SLOTS - 1),
        firstFreeDate: '2026-01-12',
        takenAt: system.clock.now().toISOString(),
      },
    ]);
  });

  test('slots already begun do not count: after Monday’s hours the first room is on Tuesday', async () => {
    const system = createMemorySystem();
    const centre = await system.addCentre();
    system.standAt(centre, '2026-01-12', '12:30');

    const [comirnaty] = await takeAvailabilitySnapshot(system.deps);

    expect(comirnaty).toMatchObject({
      vaccineId: 'comirnaty',
      published: 3 * (19 * WEEKDAY_SLOTS + 4 * SATURDAY_SLOTS),
      firstFreeDate: '2026-01-13',
    });
  });

  test('a centre with no room in four weeks has no first free day', async () => {
    const system = createMemorySystem();
    const centre = await system.addCentre();
    await system.store.runInTransaction(async (tx) => {
      for (const slot of system.store.slotsOfCentre(centre.id)) tx.putSlot({ ...slot, booked: slot.capacity });
    });

    const snapshots = await takeAvailabilitySnapshot(system.deps);

    expect(snapshots.map((s) => [s.vaccineId, s.free, s.firstFreeDate])).toEqual([
      ['comirnaty', 0, null],
      ['vaxzevria', 0, null],
    ]);
  });
});
