import { bookAppointment, cancelAppointment, DomainError, searchSlots } from '@ereg/shared';
import { AvailabilityProjector } from '../../src/adapters/sqlite/availability-projector.ts';
import { aBirthYearRule, aSchedule } from '../support/builders.ts';
import { createTestSystem, type TestSystem } from '../support/test-system.ts';

let system: TestSystem;

beforeEach(async () => {
  system = await createTestSystem();
  await system.addRule(aBirthYearRule(1970));
});
afterEach(async () => system.close());

const freeOn = (centreId: string, date: string) =>
  (
    system.db
      .prepare('SELECT free FROM availability WHERE centre_id = ? AND local_date = ? AND vaccine_id = ?')
      .get(centreId, date, 'comirnaty') as { free: number } | undefined
  )?.free;

describe('the availability read model', () => {
  test('follows bookings and cancellations once their events are delivered', async () => {
    const centre = await system.addCentre({ schedule: aSchedule({ capacity: { comirnaty: 2 } }) });
    const before = freeOn(centre.id, '2026-01-13') as number;
    expect(before).toBeGreaterThan(0);
    const [slot] = await system.store.listSlotsOfCentreDay(centre.id, '2026-01-13');
    const patient = await system.newPatient();
    const principal = { role: 'patient', patientId: patient.patientId } as const;
    const booking = await bookAppointment(system.deps, principal, {
      patientId: patient.patientId,
      slotId: slot?.id as string,
      idempotencyKey: null,
    });
    expect(freeOn(centre.id, '2026-01-13')).toBe(before);
    await system.dispatcher.drain();
    expect(freeOn(centre.id, '2026-01-13')).toBe(before - 1);
    await cancelAppointment(system.deps, principal, { appointmentId: booking.appointments[0]?.id as string });
    await system.dispatcher.drain();
    expect(freeOn(centre.id, '2026-01-13')).toBe(before);
  });

  test('search skips a centre whose days are all full and offers the next nearest', async () => {
    const near = await system.addCentre();
    const far = await system.addCentre({ location: { lat: 52.4, lon: 21.2 } });
    system.db.prepare('UPDATE slots SET booked = capacity WHERE centre_id = ?').run(near.id);
    system.db.prepare('UPDATE availability SET free = 0, first_free = NULL WHERE centre_id = ?').run(near.id);
    const found = await searchSlots(system.deps, system.centres, { postalCode: '00-950' });
    expect(found.results.map((r) => r.centre.id)).toEqual([far.id]);
  });

  test('search answers from the read model; a slot shown that has just filled is refused at booking with the next free ones', async () => {
    const centre = await system.addCentre();
    // The slots fill up but the summary has not caught up yet.
    system.db
      .prepare('UPDATE slots SET booked = capacity WHERE centre_id = ? AND local_date = ?')
      .run(centre.id, '2026-01-12');
    const found = await searchSlots(system.deps, system.centres, { postalCode: '00-950', vaccineId: 'comirnaty' });
    const shown = found.results[0]?.slots[0];
    expect(shown?.start.slice(0, 10)).toBe('2026-01-12');
    const patient = await system.newPatient();
    const refusal = await bookAppointment(
      system.deps,
      { role: 'patient', patientId: patient.patientId },
      { patientId: patient.patientId, slotId: shown?.slotId as string, idempotencyKey: null },
    ).catch((error: unknown) => error as DomainError);
    expect(refusal).toBeInstanceOf(DomainError);
    expect((refusal as DomainError).code).toBe('SLOT_FULL');
    const alternatives = (refusal as DomainError).details?.alternatives as Array<{ start: string }>;
    expect(alternatives[0]?.start.slice(0, 10)).toBe('2026-01-13');
  });

  test('slots listed in the read model that have already begun are not offered', async () => {
    await system.addCentre();
    system.clock.set('2026-01-12T09:40:00.000Z');
    const found = await searchSlots(system.deps, system.centres, { postalCode: '00-950', slotsPerCentre: 5 });
    const starts = found.results.flatMap((r) => r.slots.map((slot) => slot.start));
    expect(starts.length).toBeGreaterThan(0);
    expect(starts.every((start) => start > '2026-01-12T09:40:00.000Z')).toBe(true);
  });

  test('the soonest centre comes first, then the nearer one', async () => {
    const near = await system.addCentre();
    const later = await system.addCentre({ location: { lat: 52.3, lon: 21.1 } });
    system.db
      .prepare("UPDATE slots SET booked = capacity WHERE centre_id = ? AND local_date < '2026-01-14'")
      .run(near.id);
    const projector = new AvailabilityProjector(system.db);
    projector.refresh(near.id, '2026-01-12');
    projector.refresh(near.id, '2026-01-13');
    const found = await searchSlots(system.deps, system.centres, { postalCode: '00-950' });
    expect(found.results.map((r) => r.centre.id)).toEqual([later.id, near.id]);
  });
});

describe('search remembers what it read for a short while', () => {
  test('the same search within a second is answered from memory, and afresh after it', async () => {
    const remembering = await createTestSystem({ searchCacheMs: 1000 });
    try {
      await remembering.addRule(aBirthYearRule(1970));
      const centre = await remembering.addCentre();
      const first = await searchSlots(remembering.deps, remembering.centres, { postalCode: '00-950' });
      remembering.db.prepare('DELETE FROM availability WHERE centre_id = ?').run(centre.id);
      const again = await searchSlots(remembering.deps, remembering.centres, { postalCode: '00-950' });
      expect(again.results).toEqual(first.results);
      remembering.clock.set('2026-01-12T07:00:01.000Z');
      const later = await searchSlots(remembering.deps, remembering.centres, { postalCode: '00-950' });
      expect(later.results).toEqual([]);
    } finally {
      await remembering.close();
    }
  });
});
