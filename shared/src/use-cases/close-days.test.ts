import type { Centre } from '../model.ts';
import type { Principal } from '../principal.ts';
import { aBirthYearRule, createMemorySystem, type MemorySystem } from '../testing/index.ts';
import { checkIn } from './centre-day.ts';
import { closeDueDays } from './close-days.ts';
import { completeVaccination } from './record-vaccination.ts';

let system: MemorySystem;
let centre: Centre;
let staff: Principal;

// The clock stands on Monday 2026-01-12, 08:00 in Warsaw; the builder's centre is open 08:00–12:00 on weekdays.
const TUESDAY = '2026-01-13';

beforeEach(async () => {
  system = createMemorySystem();
  await system.addRule(aBirthYearRule(1970));
  centre = await system.addCentre();
  staff = await system.addStaff(centre, 'staff-1');
});

const standAt = (date: string, time: string) => system.standAt(centre, date, time);
const stored = (id: string) => system.stored(id);
const book = (date: string, time: string, vaccineId?: string) => system.bookCourse(centre, date, time, vaccineId);

describe('closing a centre’s day', () => {
  test('once the day is over, visits nobody came to are missed, their later doses cancelled, with one event', async () => {
    const [missed, missedNext] = await book(TUESDAY, '09:00');
    const [given] = await book(TUESDAY, '10:00');
    const [waiting] = await book(TUESDAY, '11:00');
    standAt(TUESDAY, '09:55');
    await checkIn(system.deps, staff, centre.id, given.id);
    await checkIn(system.deps, staff, centre.id, waiting.id);
    await completeVaccination(system.deps, staff, centre.id, {
      appointmentId: given.id,
      vaccineId: 'comirnaty',
      batchId: await system.addBatch(centre, 'comirnaty'),
      site: 'left_deltoid',
    });

    // Monday, before, had no visits: closing it marks no one.
    standAt(TUESDAY, '12:59');
    expect(await closeDueDays(system.deps)).toMatchObject({ days: 1, noShows: 0 });
    expect((await stored(missed.id)).status).toBe('booked');

    standAt(TUESDAY, '13:01');
    const summary = await closeDueDays(system.deps);

    expect(summary).toMatchObject({ days: 1, noShows: 1 });
    expect(await stored(missed.id)).toMatchObject({ status: 'no_show' });
    expect(await stored(missedNext.id)).toMatchObject({ status: 'cancelled', cancellation: { code: 'dose_missed' } });
    expect((await stored(given.id)).status).toBe('completed');
    expect(await stored(waiting.id)).toMatchObject({ status: 'booked' });
    expect(system.store.eventsOfType('appointment.no_show')).toEqual([
      expect.objectContaining({
        subjectId: missed.id,
        actor: { role: 'system', id: 'day-closer' },
        data: expect.objectContaining({ automatic: true }),
      }),
    ]);
    expect(system.store.eventsOfType('centre.day_closed').filter((e) => e.data.date === TUESDAY)).toEqual([
      expect.objectContaining({
        subjectId: centre.id,
        data: { centreId: centre.id, date: TUESDAY, noShows: 1, checkedInNotRecorded: 1 },
      }),
    ]);
  });

  test('a day is closed once, however often the job runs, also the next morning', async () => {
    await book(TUESDAY, '09:00');
    standAt(TUESDAY, '13:30');
    await closeDueDays(system.deps);

    expect(await closeDueDays(system.deps)).toMatchObject({ days: 0, noShows: 0 });
    standAt('2026-01-14', '07:00');
    expect(await closeDueDays(system.deps)).toMatchObject({ days: 0 });
    expect(system.store.eventsOfType('centre.day_closed').map((e) => e.data.date)).toEqual(['2026-01-12', TUESDAY]);
  });

  test('a day missed by the job (the server was down) is closed the next day', async () => {
    const [visit] = await book(TUESDAY, '09:00');
    standAt('2026-01-14', '07:00');

    expect(await closeDueDays(system.deps)).toMatchObject({ noShows: 1 });
    expect((await stored(visit.id)).status).toBe('no_show');
    expect(system.store.eventsOfType('centre.day_closed').map((e) => e.data.date)).toContain(TUESDAY);
  });
});
