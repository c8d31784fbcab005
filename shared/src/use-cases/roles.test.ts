import type { Centre } from '../model.ts';
import type { Principal } from '../principal.ts';
import { aBirthYearRule, createMemorySystem, type MemorySystem } from '../testing/index.ts';
import { bookAppointment } from './book-appointment.ts';
import { getCentreDay } from './centre-day.ts';
import { cancelCentreDay, changeSchedule, getSchedule } from './centre-schedule.ts';
import { findPatientByPesel } from './find-patient.ts';
import { cancelAppointment, getAppointment, listAppointments, rescheduleAppointment } from './manage-appointments.ts';
import { updateContact } from './patient-contact.ts';

let system: MemorySystem;
let centre: Centre;
let otherCentre: Centre;

// The clock stands on Monday 2026-01-12, 08:00 in Warsaw.
const TUESDAY = '2026-01-13';
const agent: Principal = { role: 'agent', agentId: 'agent-7' };
const admin: Principal = { role: 'admin', adminId: 'admin-1' };
const reason = 'caller on the line';

beforeEach(async () => {
  system = createMemorySystem({ settings: { agentAccessMinutes: 30 } });
  await system.addRule(aBirthYearRule(1970));
  centre = await system.addCentre();
  otherCentre = await system.addCentre();
});

async function patientWithVisitAt(at: Centre, time = '09:00') {
  const { patientId, pesel, principal } = await system.newPatient();
  const slotId = (await system.slotAt(at, TUESDAY, time)).id;
  const booking = await bookAppointment(system.deps, principal, { patientId, slotId, idempotencyKey: null });
  const [first] = booking.appointments;
  if (!first) throw new Error('a booking holds a visit');
  return { patientId, pesel, first };
}

describe('an agent acts on a person only after looking them up', () => {
  test('every action on a person not looked up is refused with LOOKUP_REQUIRED and changes nothing', async () => {
    const { patientId, first } = await patientWithVisitAt(centre);
    const slotId = (await system.slotAt(centre, TUESDAY, '10:00')).id;
    const before = system.store.counts();
    const refusal = { kind: 'forbidden', code: 'LOOKUP_REQUIRED' };

    await expect(listAppointments(system.deps, agent, patientId, reason)).rejects.toMatchObject(refusal);
    await expect(getAppointment(system.deps, agent, first.id, reason)).rejects.toMatchObject(refusal);
    await expect(
      bookAppointment(system.deps, agent, { patientId, slotId, idempotencyKey: null, reason }),
    ).rejects.toMatchObject(refusal);
    await expect(updateContact(system.deps, agent, { patientId, language: 'en', reason })).rejects.toMatchObject(
      refusal,
    );
    await expect(cancelAppointment(system.deps, agent, { appointmentId: first.id, reason })).rejects.toMatchObject(
      refusal,
    );
    await expect(
      rescheduleAppointment(system.deps, agent, { appointmentId: first.id, slotId, reason }),
    ).rejects.toMatchObject(refusal);
    expect(system.store.counts()).toEqual(before);
  });

  test('the refusal tells the agent to look the caller up first', async () => {
    const { patientId } = await patientWithVisitAt(centre);

    await expect(listAppointments(system.deps, agent, patientId, reason)).rejects.toThrow(/Look the caller up/);
  });

  test('after a look-up the agent reads and changes the person’s visits, and only that person’s', async () => {
    const { patientId, pesel, first } = await patientWithVisitAt(centre);
    const other = await patientWithVisitAt(centre, '10:00');

    await findPatientByPesel(system.deps, agent, pesel, reason);

    expect((await listAppointments(system.deps, agent, patientId, reason)).map((a) => a.id)).toContain(first.id);
    expect((await getAppointment(system.deps, agent, first.id, reason)).id).toBe(first.id);
    await expect(listAppointments(system.deps, agent, other.patientId, reason)).rejects.toMatchObject({
      code: 'LOOKUP_REQUIRED',
    });
    await expect(getAppointment(system.deps, agent, other.first.id, reason)).rejects.toMatchObject({
      code: 'LOOKUP_REQUIRED',
    });
  });

  test('the leave ends when the configured minutes have passed, and another agent never had it', async () => {
    const { patientId, pesel, first } = await patientWithVisitAt(centre);
    await findPatientByPesel(system.deps, agent, pesel, reason);

    system.clock.advanceMinutes(29);
    await expect(listAppointments(system.deps, agent, patientId, reason)).resolves.toHaveLength(2);
    await expect(
      listAppointments(system.deps, { role: 'agent', agentId: 'agent-8' }, patientId, reason),
    ).rejects.toMatchObject({ code: 'LOOKUP_REQUIRED' });
    system.clock.advanceMinutes(1);
    await expect(cancelAppointment(system.deps, agent, { appointmentId: first.id, reason })).rejects.toMatchObject({
      code: 'LOOKUP_REQUIRED',
    });
  });
});

describe('staff see only their centre', () => {
  test('a staff member listing a person’s visits sees only those at their own centre', async () => {
    const { patientId, first: elsewhere } = await patientWithVisitAt(otherCentre);
    const principal: Principal = { role: 'patient', patientId };
    await cancelAppointment(system.deps, principal, { appointmentId: elsewhere.id });
    const slotId = (await system.slotAt(centre, TUESDAY, '09:00')).id;
    const booked = await bookAppointment(system.deps, principal, { patientId, slotId, idempotencyKey: null });
    const staff: Principal = { role: 'staff', staffId: 'staff-1', centreId: centre.id };

    const seen = await listAppointments(system.deps, staff, patientId);

    expect((await listAppointments(system.deps, principal, patientId)).map((a) => a.centreId)).toContain(
      otherCentre.id,
    );
    expect(seen.map((a) => a.id)).toEqual(booked.appointments.map((a) => a.id));
  });

  test('a staff member is refused a person who has no visit at their centre, with CENTRE_FORBIDDEN', async () => {
    const other = await patientWithVisitAt(otherCentre);
    const staff: Principal = { role: 'staff', staffId: 'staff-1', centreId: centre.id };

    await expect(listAppointments(system.deps, staff, other.patientId)).rejects.toMatchObject({
      kind: 'forbidden',
      code: 'CENTRE_FORBIDDEN',
    });
    expect(await system.store.listAudit(other.patientId)).toEqual([]);
  });

  test('a staff member cannot read, cancel or move a visit at another centre', async () => {
    const other = await patientWithVisitAt(otherCentre);
    const staff: Principal = { role: 'staff', staffId: 'staff-1', centreId: centre.id };
    const slotId = (await system.slotAt(otherCentre, TUESDAY, '11:00')).id;
    const refusal = { kind: 'forbidden', code: 'CENTRE_FORBIDDEN' };

    await expect(getAppointment(system.deps, staff, other.first.id)).rejects.toMatchObject(refusal);
    await expect(cancelAppointment(system.deps, staff, { appointmentId: other.first.id })).rejects.toMatchObject(
      refusal,
    );
    await expect(
      rescheduleAppointment(system.deps, staff, { appointmentId: other.first.id, slotId }),
    ).rejects.toMatchObject(refusal);
  });

  test('staff read their centre’s schedule but only its manager changes it or cancels a day', async () => {
    const staff: Principal = { role: 'staff', staffId: 'staff-1', centreId: centre.id };
    const manager: Principal = { role: 'centre-manager', staffId: 'staff-2', centreId: centre.id };
    const refusal = { kind: 'forbidden', code: 'MANAGER_ONLY' };

    expect(await getSchedule(system.deps, staff, centre.id)).toEqual(centre.schedule);
    await expect(changeSchedule(system.deps, staff, centre.id, centre.schedule)).rejects.toMatchObject(refusal);
    await expect(cancelCentreDay(system.deps, staff, centre.id, TUESDAY, 'flood')).rejects.toMatchObject(refusal);
    expect(system.store.eventsOfType('schedule.changed')).toEqual([]);
    await expect(changeSchedule(system.deps, manager, centre.id, centre.schedule)).resolves.toMatchObject({
      centreId: centre.id,
    });
  });
});

describe('administrators set policy and onboard centres, they do not read a centre’s patients', () => {
  test('an administrator cannot read a centre’s day list, its schedule, change it or cancel a day', async () => {
    const refusal = { kind: 'forbidden', code: 'ROLE_NOT_ALLOWED' };

    await expect(getCentreDay(system.deps, admin, centre.id, TUESDAY)).rejects.toMatchObject(refusal);
    await expect(getSchedule(system.deps, admin, centre.id)).rejects.toMatchObject(refusal);
    await expect(changeSchedule(system.deps, admin, centre.id, centre.schedule)).rejects.toMatchObject(refusal);
    await expect(cancelCentreDay(system.deps, admin, centre.id, TUESDAY, 'flood')).rejects.toMatchObject(refusal);
  });
});
