import type { Centre } from '../model.ts';
import type { Principal } from '../principal.ts';
import { aBirthYearRule, aSchedule, createMemorySystem, type MemorySystem } from '../testing/index.ts';
import { addDays, localToday } from '../time-zone.ts';
import { bookAppointment } from './book-appointment.ts';
import { changeSchedule } from './centre-schedule.ts';
import { publishDueSlots, publishSlots, publishSlotsForDay } from './publish-slots.ts';

let system: MemorySystem;
let centre: Centre;
let staff: Principal;

// Monday 2026-01-12 08:00 in Warsaw.
const MONDAY = '2026-01-12';
const TUESDAY = '2026-01-13';

beforeEach(async () => {
  system = createMemorySystem();
  await system.addRule(aBirthYearRule(1970));
  centre = await system.addCentre();
  staff = { role: 'centre-manager', staffId: 'staff-1', centreId: centre.id };
});

const outboxSize = () => system.store.events().length;
const allSlotsOf = (centreId: string) => system.store.slotsOfCentre(centreId);
const allSlots = () => allSlotsOf(centre.id);

describe('publishing slots', () => {
  test('each day with opening hours is published once, with one event, and the last day is remembered', async () => {
    const horizon = system.deps.settings.slotHorizonDays;
    const published = system.store.eventsOfType('slots.published').filter((e) => e.subjectId === centre.id);

    // Monday to Saturday open, Sunday closed: every day of the horizon but the Sundays has slots.
    const days = new Set(allSlots().map((s) => s.localDate));
    expect(published.map((e) => e.data.date)).toEqual([...days].sort());
    expect(days.has('2026-01-18')).toBe(false);
    expect(days.has(MONDAY)).toBe(true);
    expect(await system.store.getPublishedThrough(centre.id)).toBe(addDays(MONDAY, horizon));
  });

  test('slots of today that have already begun are not published', async () => {
    system.clock.set('2026-01-12T09:00:00.000Z'); // 10:00 in Warsaw
    const late = await system.addCentre();

    const today = allSlotsOf(late.id).filter((s) => s.localDate === MONDAY);

    expect(today.length).toBeGreaterThan(0);
    expect(today.every((s) => s.start > system.clock.now().toISOString())).toBe(true);
  });

  test('the daily run publishes only the days that came within the horizon since', async () => {
    const before = allSlots().length;
    const tuesdaySlots = (await system.store.listSlotsOfCentreDay(centre.id, TUESDAY)).length;

    system.clock.advanceDays(1);
    const first = await publishDueSlots(system.deps);
    const again = await publishDueSlots(system.deps);

    // The one new day is a Tuesday ten weeks on, with as many slots as this Tuesday.
    expect(first).toEqual({ centres: 1, created: tuesdaySlots });
    expect(again).toEqual({ centres: 1, created: 0 });
    expect(allSlots().length).toBe(before + tuesdaySlots);
    expect(await system.store.getPublishedThrough(centre.id)).toBe(
      addDays(TUESDAY, system.deps.settings.slotHorizonDays),
    );
  });

  test('a closed date gets no slots', async () => {
    const closed = await system.addCentre({ schedule: { ...aSchedule(), closedDates: [TUESDAY] } });

    expect(await system.store.listSlotsOfCentreDay(closed.id, TUESDAY)).toEqual([]);
    expect(await system.store.listSlotsOfCentreDay(closed.id, MONDAY)).not.toEqual([]);
  });

  test('publishing again after a schedule change changes nothing', async () => {
    const { patientId, principal } = await system.newPatient();
    const slotId = (await system.slotAt(centre, TUESDAY, '09:00')).id;
    await bookAppointment(system.deps, principal, { patientId, slotId, idempotencyKey: null });
    await changeSchedule(system.deps, staff, centre.id, aSchedule({ capacity: { comirnaty: 1, vaxzevria: 4 } }));
    const slotsBefore = allSlots();
    const eventsBefore = outboxSize();
    const today = localToday(system.clock.now(), centre.timeZone);

    const again = await publishSlots(
      system.deps,
      centre,
      today,
      addDays(today, system.deps.settings.slotHorizonDays),
      { role: 'system', id: 'test' },
      'again',
    );

    expect(again).toEqual({ created: 0, resized: 0, removed: 0, cancelled: [], cascaded: [], days: [] });
    expect(allSlots()).toEqual(slotsBefore);
    expect(outboxSize()).toBe(eventsBefore);
  });

  test('a publication told which visits it may cancel keeps every other one and the room it needs', async () => {
    const { patientId, principal } = await system.newPatient();
    const slotId = (await system.slotAt(centre, TUESDAY, '09:00')).id;
    const booked = await bookAppointment(system.deps, principal, { patientId, slotId, idempotencyKey: null });
    await system.store.runInTransaction(async (tx) => {
      const stored = await tx.getCentre(centre.id);
      if (stored) tx.putCentre({ ...stored, schedule: { ...stored.schedule, closedDates: [TUESDAY] } });
    });

    const summary = await publishSlotsForDay(
      system.deps,
      centre.id,
      TUESDAY,
      { role: 'system', id: 'test' },
      'closed',
      'capacity_removed',
      new Set<string>(),
    );

    expect(summary.cancelled).toEqual([]);
    expect(await system.store.listSlotsOfCentreDay(centre.id, TUESDAY)).toEqual([
      expect.objectContaining({ id: slotId, capacity: 1, booked: 1 }),
    ]);
    expect((await system.store.getAppointment(booked.appointments[0]?.id as string))?.status).toBe('booked');
  });
});
