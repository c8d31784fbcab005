import type { Appointment, Centre } from '../model.ts';
import type { Principal } from '../principal.ts';
import { aBirthYearRule, createMemorySystem, type MemorySystem } from '../testing/index.ts';
import { bookAppointment } from './book-appointment.ts';
import { checkIn, findVisitsByReference, getCentreDay } from './centre-day.ts';
import { cancelAppointment } from './manage-appointments.ts';
import { completeVaccination, markNoShow, markNotGiven } from './record-vaccination.ts';

let system: MemorySystem;
let centre: Centre;
let staff: Principal;
let batchId: string;

// The clock stands on Monday 2026-01-12, 08:00 in Warsaw (07:00Z); visits below are on Tuesday.
const TUESDAY = '2026-01-13';

beforeEach(async () => {
  system = createMemorySystem();
  await system.addRule(aBirthYearRule(1970));
  centre = await system.addCentre();
  staff = await system.addStaff(centre, 'staff-1');
  batchId = await system.addBatch(centre, 'comirnaty');
});

const standAt = (date: string, time: string) => system.standAt(centre, date, time);
const stored = (id: string) => system.stored(id);
const book = (date: string, time: string, vaccineId?: string) => system.bookCourse(centre, date, time, vaccineId);

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

  test('a check-in made on a device without a network keeps the time of arrival when it is sent later', async () => {
    const [visit] = await book(TUESDAY, '09:00');
    standAt(TUESDAY, '08:52');
    const arrived = system.clock.now().toISOString();
    standAt(TUESDAY, '10:30');

    const checkedIn = await checkIn(system.deps, staff, centre.id, visit.id, { asked: 'check-in', at: arrived });

    expect(checkedIn.checkedInAt).toBe(arrived);
    await expect(
      checkIn(system.deps, staff, centre.id, visit.id, { asked: 'check-in', at: '2026-01-13T09:40:00.000Z' }),
    ).rejects.toMatchObject({ code: 'IN_FUTURE', field: 'at' });
    const [other] = await book('2026-01-14', '09:00');
    await expect(
      checkIn(system.deps, staff, centre.id, other.id, { asked: 'check-in', at: arrived }),
    ).rejects.toMatchObject({ code: 'NOT_TODAY' });
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

  test('asked since its last answer, the list sends only what changed — a booking, a check-in, a cancellation — and audits only those', async () => {
    const [quiet] = await book(TUESDAY, '09:00');
    const [arriving] = await book(TUESDAY, '09:30');
    const [leaving] = await book(TUESDAY, '10:00');
    standAt(TUESDAY, '08:00');
    const first = await getCentreDay(system.deps, staff, centre.id, TUESDAY);
    expect(first).toMatchObject({ complete: true, asOf: system.clock.now().toISOString() });
    const auditsOfQuiet = (await system.store.listAudit(quiet.patientId)).length;

    standAt(TUESDAY, '08:05');
    const idle = await getCentreDay(system.deps, staff, centre.id, TUESDAY, first.asOf);
    expect(idle).toMatchObject({ complete: false, appointments: [] });

    standAt(TUESDAY, '08:10');
    await checkIn(system.deps, staff, centre.id, arriving.id);
    await cancelAppointment(
      system.deps,
      { role: 'patient', patientId: leaving.patientId },
      { appointmentId: leaving.id },
    );
    const [walkedIn] = await book(TUESDAY, '11:00');
    standAt(TUESDAY, '08:15');
    const changes = await getCentreDay(system.deps, staff, centre.id, TUESDAY, idle.asOf);

    expect(changes.appointments.map((a) => [a.appointmentId, a.status, a.checkedInAt !== null])).toEqual([
      [arriving.id, 'booked', true],
      [leaving.id, 'cancelled', false],
      [walkedIn.id, 'booked', false],
    ]);
    expect(await system.store.listAudit(quiet.patientId)).toHaveLength(auditsOfQuiet);
    await expect(getCentreDay(system.deps, staff, centre.id, TUESDAY, 'yesterday')).rejects.toMatchObject({
      code: 'INVALID_INSTANT',
      field: 'since',
    });
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
  type Step = 'checkIn' | 'complete' | 'notGiven' | 'noShow' | 'cancel';
  const step = (name: Step, visit: Appointment) => {
    const input = { appointmentId: visit.id, vaccineId: 'comirnaty', batchId, site: 'left_deltoid' as const };
    if (name === 'checkIn') return checkIn(system.deps, staff, centre.id, visit.id);
    if (name === 'complete') return completeVaccination(system.deps, staff, centre.id, input);
    if (name === 'notGiven')
      return markNotGiven(system.deps, staff, centre.id, { appointmentId: visit.id, reason: 'declined' });
    if (name === 'noShow') return markNoShow(system.deps, staff, centre.id, visit.id);
    return cancelAppointment(system.deps, { role: 'patient', patientId: visit.patientId }, { appointmentId: visit.id });
  };
  const finals: Array<[string, Step[]]> = [
    ['completed', ['checkIn', 'complete']],
    ['not-given', ['checkIn', 'notGiven']],
    ['no-show', ['noShow']],
    ['cancelled', ['cancel']],
  ];

  test.each(
    finals.flatMap(([state, path]) =>
      (['checkIn', 'complete', 'notGiven', 'noShow'] as const).map((next) => [state, next, path] as const),
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
