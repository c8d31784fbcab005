import type { DomainError } from '../errors.ts';
import type { Centre } from '../model.ts';
import type { Principal } from '../principal.ts';
import { aBirthYearRule, createMemorySystem, type MemorySystem } from '../testing/index.ts';
import { bookAppointment } from './book-appointment.ts';
import { findPatientByPesel } from './find-patient.ts';
import { cancelAppointment, listAppointments, rescheduleAppointment } from './manage-appointments.ts';

let system: MemorySystem;
let centre: Centre;

// The clock stands on Monday 2026-01-12, 08:00 in Warsaw.
const TUESDAY = '2026-01-13';
const WEDNESDAY = '2026-01-14';

beforeEach(async () => {
  system = createMemorySystem();
  await system.addRule(aBirthYearRule(1970));
  centre = await system.addCentre();
});

/** A new patient books a course at the centre on a day and time; answers the patient and both doses. */
async function bookCourse(date = TUESDAY, time = '09:00') {
  const { patientId, pesel, principal } = await system.newPatient();
  const slotId = (await system.slotAt(centre, date, time)).id;
  const booking = await bookAppointment(system.deps, principal, { patientId, slotId, idempotencyKey: null });
  const [first, second] = booking.appointments;
  if (!first || !second) throw new Error('a course books two doses');
  return { patientId, pesel, principal, first, second };
}

describe('cancelling a visit', () => {
  test('cancelling the first dose cancels the second too, frees both places and says so in two events', async () => {
    const { principal, first, second } = await bookCourse();

    const cancelled = await cancelAppointment(system.deps, principal, { appointmentId: first.id, reason: 'ill' });

    expect(cancelled.map((a) => [a.id, a.status, a.version])).toEqual([
      [first.id, 'cancelled', 2],
      [second.id, 'cancelled', 2],
    ]);
    expect((await system.store.getSlot(first.slotId))?.booked).toBe(0);
    expect((await system.store.getSlot(second.slotId))?.booked).toBe(0);
    expect(
      system.store
        .eventsOfType('appointment.cancelled')
        .map((e) => [e.subjectId, e.data.reason, e.data.reasonCode, e.data.cascade]),
    ).toEqual([
      [first.id, 'ill', 'requested', false],
      [second.id, 'ill', 'requested', true],
    ]);
    expect(system.store.countersOutOfStep(centre.id)).toEqual([]);
  });

  test('a cancelled visit keeps why as a code, and shows the person the cause, never anyone’s typed words', async () => {
    const { principal, patientId, first } = await bookCourse();
    const agent = { role: 'agent', agentId: 'agent-9' } as const;
    await system.store.runInTransaction(async (tx) =>
      tx.putAccessGrant({ agentId: 'agent-9', patientId, until: '2026-01-12T09:00:00.000Z' }),
    );

    const [byAgent] = await cancelAppointment(system.deps, agent, { appointmentId: first.id, reason: 'internal note' });

    expect(byAgent?.cancellation).toMatchObject({
      code: 'requested',
      reason: 'internal note',
      by: { role: 'agent', id: 'agent-9' },
    });
    expect(byAgent?.cancellationCause).toEqual({ code: 'hotline', note: null });
    const [mine] = await listAppointments(system.deps, principal, patientId);
    expect(mine?.cancellationCause).toEqual({ code: 'hotline', note: null });
    expect(JSON.stringify(mine?.cancellationCause)).not.toContain('internal note');
  });

  test('cancelling the second dose keeps the first', async () => {
    const { principal, first, second } = await bookCourse();

    const cancelled = await cancelAppointment(system.deps, principal, { appointmentId: second.id });

    expect(cancelled.map((a) => a.id)).toEqual([second.id]);
    expect((await system.store.getAppointment(first.id))?.status).toBe('booked');
    expect(cancelled[0]?.cancellation?.reason).toBe('cancelled by patient');
  });

  test('a visit already cancelled cannot be cancelled again, and nothing is written', async () => {
    const { principal, first } = await bookCourse();
    await cancelAppointment(system.deps, principal, { appointmentId: first.id });
    const before = system.store.counts();

    await expect(cancelAppointment(system.deps, principal, { appointmentId: first.id })).rejects.toMatchObject({
      kind: 'conflict',
      code: 'NOT_CANCELLABLE',
    });

    expect(system.store.counts()).toEqual(before);
  });

  test('a patient cannot cancel someone else’s visit', async () => {
    const { first } = await bookCourse();
    const { principal: stranger } = await system.newPatient();

    await expect(cancelAppointment(system.deps, stranger, { appointmentId: first.id })).rejects.toMatchObject({
      kind: 'forbidden',
      code: 'NOT_YOUR_DATA',
    });

    expect((await system.store.getAppointment(first.id))?.status).toBe('booked');
  });
});

describe('moving a visit', () => {
  test('to another free slot releases the old place, takes the new one and records the move', async () => {
    const { principal, first, second } = await bookCourse(WEDNESDAY, '10:00');
    // Earlier the same week: the second dose, now more than three weeks later, can stay where it is.
    const target = await system.slotAt(centre, TUESDAY, '11:00');

    const moved = await rescheduleAppointment(system.deps, principal, { appointmentId: first.id, slotId: target.id });

    expect(moved.map((a) => [a.id, a.slotId, a.version])).toEqual([[first.id, target.id, 2]]);
    expect((await system.store.getSlot(first.slotId))?.booked).toBe(0);
    expect((await system.store.getSlot(target.id))?.booked).toBe(1);
    expect((await system.store.getAppointment(second.id))?.slotId).toBe(second.slotId);
    expect(system.store.eventsOfType('appointment.rescheduled')).toEqual([
      expect.objectContaining({
        subjectId: first.id,
        data: expect.objectContaining({
          version: 2,
          from: expect.objectContaining({ slotId: first.slotId, localDate: WEDNESDAY }),
          to: expect.objectContaining({ slotId: target.id, localDate: TUESDAY }),
        }),
      }),
    ]);
  });

  test('a first dose moved so late that the second would come too soon takes the second along', async () => {
    const { principal, first, second } = await bookCourse();
    // A week later: the second dose, three weeks after the first, would now be only two weeks after it.
    const target = await system.slotAt(centre, '2026-01-20', '09:00');

    const moved = await rescheduleAppointment(system.deps, principal, { appointmentId: first.id, slotId: target.id });

    expect(moved.map((a) => [a.id, a.localDate])).toEqual([
      [first.id, '2026-01-20'],
      [second.id, '2026-02-10'],
    ]);
    expect(system.store.eventsOfType('appointment.rescheduled').map((e) => e.subjectId)).toEqual([first.id, second.id]);
    expect(system.store.countersOutOfStep(centre.id)).toEqual([]);
  });

  test('to a slot taken meanwhile is refused with the next free slots of that centre, and nothing moves', async () => {
    const { principal, first } = await bookCourse();
    const target = await system.slotAt(centre, TUESDAY, '10:00');
    await system.store.runInTransaction(async (tx) => {
      tx.putSlot({ ...target, booked: target.capacity });
    });
    const before = system.store.counts();

    const refused = await rescheduleAppointment(system.deps, principal, {
      appointmentId: first.id,
      slotId: target.id,
    }).catch((error: unknown) => error as DomainError);

    expect(refused).toMatchObject({ kind: 'conflict', code: 'SLOT_FULL' });
    const alternatives = (refused as DomainError).details?.alternatives as Array<{ slotId: string; start: string }>;
    expect(alternatives.length).toBeGreaterThan(0);
    expect(alternatives.every((a) => a.slotId !== target.id && a.start >= target.start)).toBe(true);
    expect((await system.store.getAppointment(first.id))?.slotId).toBe(first.slotId);
    expect(system.store.counts()).toEqual(before);
  });
});

describe('listing a patient’s visits', () => {
  test('an agent’s reading is audited with the reason; the patient’s own is not', async () => {
    const { patientId, pesel, principal, first, second } = await bookCourse();
    const agent: Principal = { role: 'agent', agentId: 'agent-7' };
    await findPatientByPesel(system.deps, agent, pesel, 'caller asks when to come');

    const own = await listAppointments(system.deps, principal, patientId);
    const read = await listAppointments(system.deps, agent, patientId, 'caller asks when to come');

    expect(own.map((a) => a.id)).toEqual([first.id, second.id]);
    expect(read).toEqual(own);
    expect((await system.store.listAudit(patientId)).map((a) => [a.action, a.actor.id, a.reason])).toEqual([
      ['find-by-pesel', 'agent-7', 'caller asks when to come'],
      ['list-appointments', 'agent-7', 'caller asks when to come'],
    ]);
  });
});
