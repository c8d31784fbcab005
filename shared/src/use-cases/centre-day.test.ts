import type { Appointment, Centre } from '../model.ts';
import type { Principal } from '../principal.ts';
import { aBirthYearRule, createMemorySystem, type MemorySystem } from '../testing/index.ts';
import { toInstant } from '../time-zone.ts';
import { bookAppointment } from './book-appointment.ts';
import { checkIn, completeVaccination, findVisitsByReference, getCentreDay, markNoShow } from './centre-day.ts';
import { cancelAppointment } from './manage-appointments.ts';

let system: MemorySystem;
let centre: Centre;
let staff: Principal;

// The clock stands on Monday 2026-01-12, 08:00 in Warsaw (07:00Z); visits below are on Tuesday.
const TUESDAY = '2026-01-13';

beforeEach(async () => {
  system = createMemorySystem();
  await system.addRule(aBirthYearRule(1970));
  centre = await system.addCentre();
  staff = { role: 'staff', staffId: 'staff-1', centreId: centre.id };
});

/** Moves the clock to a local wall-clock time at the centre. */
function standAt(date: string, time: string): void {
  system.clock.set(toInstant(date, time, centre.timeZone)?.toISOString() as string);
}

async function stored(id: string): Promise<Appointment> {
  const appointment = await system.store.getAppointment(id);
  if (!appointment) throw new Error(`appointment ${id} is gone`);
  return appointment;
}

/** A new patient books a slot; answers both doses as stored. */
async function book(date: string, time: string, vaccineId = 'comirnaty'): Promise<[Appointment, Appointment]> {
  const { patientId, principal } = await system.newPatient();
  const slotId = (await system.slotAt(centre, date, time, vaccineId)).id;
  const result = await bookAppointment(system.deps, principal, { patientId, slotId, idempotencyKey: null });
  const [first, second] = result.appointments;
  return [await stored(first?.id as string), await stored(second?.id as string)];
}

describe('checking a patient in', () => {
  test('a patient cannot be checked in before the day of the visit', async () => {
    const [visit] = await book(TUESDAY, '09:00');

    await expect(checkIn(system.deps, staff, centre.id, visit.id)).rejects.toMatchObject({
      kind: 'conflict',
      code: 'NOT_TODAY',
    });

    expect(await stored(visit.id)).toEqual(visit);
    expect(system.store.eventsOfType('appointment.checked_in')).toEqual([]);
  });

  test('on the day the arrival is recorded once, with an event and an audit record', async () => {
    const [visit] = await book(TUESDAY, '09:00');
    standAt(TUESDAY, '08:50');

    const checkedIn = await checkIn(system.deps, staff, centre.id, visit.id);
    const again = await checkIn(system.deps, staff, centre.id, visit.id);

    expect(checkedIn.checkedInAt).toBe(system.clock.now().toISOString());
    expect(again).toEqual(checkedIn);
    expect(await stored(visit.id)).toMatchObject({ status: 'booked', checkedInAt: checkedIn.checkedInAt });
    expect(system.store.eventsOfType('appointment.checked_in').map((e) => e.subjectId)).toEqual([visit.id]);
    const audit = await system.store.listAudit(visit.patientId);
    expect(audit.filter((a) => a.action === 'check-in')).toEqual([
      expect.objectContaining({ actor: { role: 'staff', id: 'staff-1' }, reason: 'centre visit' }),
    ]);
  });

  test('staff of another centre cannot check the patient in', async () => {
    const [visit] = await book(TUESDAY, '09:00');
    const other = await system.addCentre();
    standAt(TUESDAY, '08:50');

    await expect(
      checkIn(system.deps, { role: 'staff', staffId: 'staff-9', centreId: other.id }, centre.id, visit.id),
    ).rejects.toMatchObject({ code: 'CENTRE_FORBIDDEN' });

    expect((await stored(visit.id)).checkedInAt).toBeNull();
  });
});

describe('recording a completed vaccination', () => {
  test.each(['x', 'AB 12', '-AB12', 'A'.repeat(31)])(
    'a malformed lot number "%s" is refused naming the lot',
    async (lot) => {
      const [visit] = await book(TUESDAY, '09:00');
      standAt(TUESDAY, '09:05');

      await expect(
        completeVaccination(system.deps, staff, centre.id, { appointmentId: visit.id, vaccineId: 'comirnaty', lot }),
      ).rejects.toMatchObject({ kind: 'invalid', code: 'INVALID_LOT', field: 'lot' });

      expect(await stored(visit.id)).toEqual(visit);
      expect(system.store.eventsOfType('appointment.completed')).toEqual([]);
    },
  );

  test('a product other than the one booked is refused naming the vaccine', async () => {
    const [visit] = await book(TUESDAY, '09:00');
    standAt(TUESDAY, '09:05');

    await expect(
      completeVaccination(system.deps, staff, centre.id, {
        appointmentId: visit.id,
        vaccineId: 'spikevax',
        lot: 'FK1234',
      }),
    ).rejects.toMatchObject({ kind: 'invalid', code: 'VACCINE_MISMATCH', field: 'vaccineId' });

    expect(await stored(visit.id)).toEqual(visit);
    expect(system.store.eventsOfType('appointment.completed')).toEqual([]);
  });

  test('a vaccination cannot be recorded before the day of the visit', async () => {
    const [visit] = await book(TUESDAY, '09:00');

    await expect(
      completeVaccination(system.deps, staff, centre.id, {
        appointmentId: visit.id,
        vaccineId: 'comirnaty',
        lot: 'FK1234',
      }),
    ).rejects.toMatchObject({ kind: 'conflict', code: 'NOT_YET_DUE' });

    expect(await stored(visit.id)).toEqual(visit);
    expect(system.store.eventsOfType('appointment.completed')).toEqual([]);
  });

  test('a vaccination cannot be recorded for a patient not checked in', async () => {
    const [visit] = await book(TUESDAY, '09:00');
    standAt(TUESDAY, '09:05');

    await expect(
      completeVaccination(system.deps, staff, centre.id, {
        appointmentId: visit.id,
        vaccineId: 'comirnaty',
        lot: 'FK1234',
      }),
    ).rejects.toMatchObject({ kind: 'conflict', code: 'NOT_CHECKED_IN' });

    expect(await stored(visit.id)).toEqual(visit);
    expect(system.store.eventsOfType('appointment.completed')).toEqual([]);
  });

  test.each([
    ['in 1900', '1900-01-01T00:00:00.000Z', 'BEFORE_CHECK_IN'],
    ['a minute before the check-in', '2026-01-13T07:49:00.000Z', 'BEFORE_CHECK_IN'],
    ['more than a minute from now', '2026-01-13T08:06:01.000Z', 'IN_FUTURE'],
    ['not an instant', 'tuesday', 'INVALID_INSTANT'],
  ])('a time %s is refused naming the time', async (_, at, code) => {
    const [visit] = await book(TUESDAY, '09:00');
    standAt(TUESDAY, '08:50');
    await checkIn(system.deps, staff, centre.id, visit.id);
    standAt(TUESDAY, '09:05');
    const before = await stored(visit.id);

    await expect(
      completeVaccination(system.deps, staff, centre.id, {
        appointmentId: visit.id,
        vaccineId: 'comirnaty',
        lot: 'FK1234',
        at,
      }),
    ).rejects.toMatchObject({ kind: 'invalid', code, field: 'at' });

    expect(await stored(visit.id)).toEqual(before);
    expect(system.store.eventsOfType('appointment.completed')).toEqual([]);
  });

  test.each([
    ['the moment of the check-in', '2026-01-13T07:50:00.000Z'],
    ['a minute ahead of the clock', '2026-01-13T08:06:00.000Z'],
  ])('a time at %s is accepted', async (_, at) => {
    const [visit] = await book(TUESDAY, '09:00');
    standAt(TUESDAY, '08:50');
    await checkIn(system.deps, staff, centre.id, visit.id);
    standAt(TUESDAY, '09:05');

    const completed = await completeVaccination(system.deps, staff, centre.id, {
      appointmentId: visit.id,
      vaccineId: 'comirnaty',
      lot: 'FK1234',
      at,
    });

    expect(completed.completion?.at).toBe(at);
  });

  test('on the day the dose is recorded with its lot, once, and an event carries the lot', async () => {
    const [visit] = await book(TUESDAY, '09:00');
    standAt(TUESDAY, '08:55');
    await checkIn(system.deps, staff, centre.id, visit.id);
    standAt(TUESDAY, '09:05');
    const input = { appointmentId: visit.id, vaccineId: 'comirnaty', lot: 'FK-1234' };

    const completed = await completeVaccination(system.deps, staff, centre.id, input);

    const at = system.clock.now().toISOString();
    expect(completed).toMatchObject({ status: 'completed', version: visit.version + 1 });
    expect(completed.checkedInAt).not.toBeNull();
    expect(await stored(visit.id)).toEqual(completed);
    expect(completed.completion).toEqual({
      vaccineId: 'comirnaty',
      lot: 'FK-1234',
      by: { role: 'staff', id: 'staff-1' },
      at,
    });
    expect(system.store.eventsOfType('appointment.completed')).toEqual([
      expect.objectContaining({
        subjectId: visit.id,
        data: expect.objectContaining({ lot: 'FK-1234', vaccineId: 'comirnaty', dose: 1, at }),
      }),
    ]);
    await expect(completeVaccination(system.deps, staff, centre.id, input)).rejects.toMatchObject({
      code: 'NOT_BOOKED',
    });
    expect(system.store.eventsOfType('appointment.completed')).toHaveLength(1);
  });
});

describe('marking a no-show', () => {
  test('a visit that has not started yet cannot be marked missed', async () => {
    const [visit] = await book(TUESDAY, '09:00');
    standAt(TUESDAY, '08:59');

    await expect(markNoShow(system.deps, staff, centre.id, visit.id)).rejects.toMatchObject({
      kind: 'conflict',
      code: 'NOT_YET_DUE',
    });

    expect(await stored(visit.id)).toEqual(visit);
    expect(system.store.eventsOfType('appointment.no_show')).toEqual([]);
  });

  test('a missed first dose cancels the booked second dose and frees its place', async () => {
    const [first, second] = await book(TUESDAY, '09:00');
    const secondSlotBefore = await system.store.getSlot(second.slotId);
    standAt(TUESDAY, '09:30');

    const missed = await markNoShow(system.deps, staff, centre.id, first.id);

    expect(missed).toMatchObject({ status: 'no_show', version: first.version + 1 });
    expect(await stored(first.id)).toEqual(missed);
    expect(await stored(second.id)).toMatchObject({
      status: 'cancelled',
      cancellation: { reason: 'Dose 1 was missed.', by: { role: 'staff', id: 'staff-1' } },
    });
    expect((await system.store.getSlot(second.slotId))?.booked).toBe((secondSlotBefore?.booked as number) - 1);
    expect(system.store.eventsOfType('appointment.no_show').map((e) => e.subjectId)).toEqual([first.id]);
    expect(system.store.eventsOfType('appointment.cancelled')).toEqual([
      expect.objectContaining({
        subjectId: second.id,
        data: expect.objectContaining({ cascade: true, reasonCode: 'dose_missed' }),
      }),
    ]);
  });
});

describe('the centre’s day list', () => {
  test('lists the day’s expected patients in order and audits the reading once per patient', async () => {
    const [early] = await book(TUESDAY, '09:00');
    const [late] = await book(TUESDAY, '11:00', 'vaxzevria');
    const [gone] = await book(TUESDAY, '10:00');
    await cancelAppointment(system.deps, { role: 'patient', patientId: gone.patientId }, { appointmentId: gone.id });

    const day = await getCentreDay(system.deps, staff, centre.id, TUESDAY);

    expect(day.appointments.map((a) => [a.appointmentId, a.localStart, a.vaccineId])).toEqual([
      [early.id, `${TUESDAY}T09:00`, 'comirnaty'],
      [late.id, `${TUESDAY}T11:00`, 'vaxzevria'],
    ]);
    const patient = await system.store.getPatient(early.patientId);
    expect(day.appointments[0]?.patient).toEqual({
      id: patient?.id,
      pesel: patient?.pesel,
      givenName: patient?.givenName,
      familyName: patient?.familyName,
      birthDate: patient?.birthDate,
      phone: patient?.phone,
    });
    expect(day.slots).toHaveLength((await system.store.listSlotsOfCentreDay(centre.id, TUESDAY)).length);
    expect(day.slots[0]?.localStart).toBe(`${TUESDAY}T08:00`);
    for (const listed of [early, late]) {
      const records = (await system.store.listAudit(listed.patientId)).filter((a) => a.action === 'day-list');
      expect(records).toEqual([
        expect.objectContaining({ actor: { role: 'staff', id: 'staff-1' }, reason: `day list ${TUESDAY}` }),
      ]);
    }
    expect((await system.store.listAudit(gone.patientId)).filter((a) => a.action === 'day-list')).toEqual([]);
  });

  test('staff of another centre cannot read the day and nothing is audited', async () => {
    const [visit] = await book(TUESDAY, '09:00');
    const other = await system.addCentre();

    await expect(
      getCentreDay(system.deps, { role: 'staff', staffId: 'staff-9', centreId: other.id }, centre.id, TUESDAY),
    ).rejects.toMatchObject({ code: 'CENTRE_FORBIDDEN' });

    expect(await system.store.listAudit(visit.patientId)).toEqual([]);
  });
});

describe('what a visit may become', () => {
  type Step = 'checkIn' | 'complete' | 'noShow' | 'cancel';
  const step = (name: Step, visit: Appointment) => {
    const input = { appointmentId: visit.id, vaccineId: 'comirnaty', lot: 'FK1234' };
    if (name === 'checkIn') return checkIn(system.deps, staff, centre.id, visit.id);
    if (name === 'complete') return completeVaccination(system.deps, staff, centre.id, input);
    if (name === 'noShow') return markNoShow(system.deps, staff, centre.id, visit.id);
    return cancelAppointment(system.deps, { role: 'patient', patientId: visit.patientId }, { appointmentId: visit.id });
  };
  const finals: Array<[string, Step[]]> = [
    ['completed', ['checkIn', 'complete']],
    ['no-show', ['noShow']],
    ['cancelled', ['cancel']],
  ];

  test.each(
    finals.flatMap(([state, path]) =>
      (['checkIn', 'complete', 'noShow'] as const).map((next) => [state, next, path] as const),
    ),
  )('a %s visit cannot be changed by %s', async (_, next, path) => {
    const [visit] = await book(TUESDAY, '09:00');
    standAt(TUESDAY, '09:10');
    for (const s of path) await step(s, await stored(visit.id));
    const before = await stored(visit.id);
    const events = system.store.eventsOfType('appointment.checked_in').length;

    await expect(step(next, before)).rejects.toMatchObject({ kind: 'conflict', code: 'NOT_BOOKED' });

    expect(await stored(visit.id)).toEqual(before);
    expect(system.store.eventsOfType('appointment.checked_in')).toHaveLength(events);
  });

  test('a checked-in patient who was not given the dose can be marked no-show', async () => {
    const [visit] = await book(TUESDAY, '09:00');
    standAt(TUESDAY, '08:55');
    await checkIn(system.deps, staff, centre.id, visit.id);
    standAt(TUESDAY, '09:30');

    expect(await markNoShow(system.deps, staff, centre.id, visit.id)).toMatchObject({ status: 'no_show' });
  });
});

describe('finding a visit by its booking reference', () => {
  test('staff find their centre’s visits under a reference typed any way, audited; other centres’ stay hidden', async () => {
    const system = createMemorySystem();
    await system.addRule(aBirthYearRule(1970));
    const here = await system.addCentre();
    const there = await system.addCentre();
    const { patientId, principal } = await system.newPatient();
    const slot = await system.slotAt(here, '2026-01-13', '09:00');
    const { appointments } = await bookAppointment(system.deps, principal, {
      patientId,
      slotId: slot.id,
      idempotencyKey: null,
    });
    const reference = appointments[0]?.reference ?? '';
    const desk = { role: 'staff', staffId: 'staff-1', centreId: here.id } as const;

    const typed = `${reference.slice(0, 4).toLowerCase()}-${reference.slice(4)}`;
    const found = await findVisitsByReference(system.deps, desk, here.id, typed);

    expect(found.reference).toBe(reference);
    expect(found.appointments.map((a) => [a.dose, a.reference, a.patient.id])).toEqual([
      [1, reference, patientId],
      [2, reference, patientId],
    ]);
    expect(await system.store.listAudit(patientId)).toEqual([
      expect.objectContaining({ action: 'find-by-reference', actor: { role: 'staff', id: 'staff-1' } }),
    ]);
    const elsewhere = { role: 'staff', staffId: 'staff-2', centreId: there.id } as const;
    await expect(findVisitsByReference(system.deps, elsewhere, there.id, reference)).rejects.toMatchObject({
      code: 'REFERENCE_NOT_FOUND',
    });
    await expect(findVisitsByReference(system.deps, elsewhere, here.id, reference)).rejects.toMatchObject({
      kind: 'forbidden',
    });
    await expect(findVisitsByReference(system.deps, desk, here.id, 'K7M2QX0P')).rejects.toMatchObject({
      code: 'INVALID_REFERENCE',
      field: 'reference',
    });
  });
});
