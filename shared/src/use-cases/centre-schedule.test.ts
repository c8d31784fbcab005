import type { Appointment, Centre, CentreSchedule } from '../model.ts';
import type { Principal } from '../principal.ts';
import { aBirthYearRule, aSchedule, createMemorySystem, type MemorySystem } from '../testing/index.ts';
import { addDays, toInstant } from '../time-zone.ts';
import { bookAppointment } from './book-appointment.ts';
import { checkIn } from './centre-day.ts';
import { cancelCentreDay, changeSchedule, previewScheduleChange } from './centre-schedule.ts';

let system: MemorySystem;
let centre: Centre;
let staff: Principal;

// Monday 2026-01-12 08:00 in Warsaw; the dates below are the days of that week and the next ones.
const TUESDAY = '2026-01-13';
const WEDNESDAY = '2026-01-14';
const MONDAY = '2026-01-12';

beforeEach(async () => {
  system = createMemorySystem();
  await system.addRule(aBirthYearRule(1970));
  centre = await system.addCentre();
  staff = { role: 'centre-manager', staffId: 'staff-1', centreId: centre.id };
});

/** The stored slot of the centre starting at a local date and time. */
const slotAt = (date: string, time: string, vaccineId = 'comirnaty') => system.slotAt(centre, date, time, vaccineId);

/** A new patient books the slot (and the course's next dose); answers the appointments, soonest first. */
async function book(slotId: string): Promise<Appointment[]> {
  const { patientId, principal } = await system.newPatient();
  const result = await bookAppointment(system.deps, principal, { patientId, slotId, idempotencyKey: null });
  return Promise.all(result.appointments.map((a) => stored(a.id)));
}

async function stored(id: string): Promise<Appointment> {
  const appointment = await system.store.getAppointment(id);
  if (!appointment) throw new Error(`appointment ${id} is gone`);
  return appointment;
}

const outboxSize = () => system.store.events().length;
const allSlots = () => system.store.slotsOfCentre(centre.id);
/** Slots whose counter differs from the appointments holding a place in them. */
const countersOutOfStep = () => system.store.countersOutOfStep(centre.id);

function withDay(schedule: CentreSchedule, day: 'mon' | 'tue', hours: Array<{ from: string; to: string }> | null) {
  const days = { ...schedule.weekly.days };
  if (hours === null) delete days[day];
  else days[day] = hours;
  return { ...schedule, weekly: { ...schedule.weekly, days } };
}

/**
 * Previews a change, then makes it confirming every visit the preview named; checks on the way that
 * the change did what the preview said.
 */
async function changeConfirmed(schedule: CentreSchedule) {
  const preview = await previewScheduleChange(system.deps, staff, centre.id, schedule);
  const confirmed = preview.cancellations.map((c) => c.appointmentId);
  const result = await changeSchedule(system.deps, staff, centre.id, schedule, confirmed);
  const { schedule: _, cancelledAppointments, ...done } = result;
  expect(done).toEqual(preview);
  expect(cancelledAppointments).toBe(preview.cancellations.length);
  return result;
}

const countSlots = (vaccineId?: string) =>
  allSlots().filter((s) => vaccineId === undefined || s.vaccineId === vaccineId).length;

describe('changing a centre’s schedule', () => {
  test('raising capacity and opening longer creates and resizes future slots without touching bookings', async () => {
    const slot = await slotAt(TUESDAY, '09:00');
    const booked = await book(slot.id);
    const slotsBefore = countSlots();
    const comirnatySlotsBefore = countSlots('comirnaty');
    const base = aSchedule({ capacity: { comirnaty: 5, vaxzevria: 2 } });

    const result = await changeSchedule(
      system.deps,
      staff,
      centre.id,
      withDay(base, 'tue', [{ from: '08:00', to: '14:00' }]),
    );

    expect(result.cancelledAppointments).toBe(0);
    expect(result.removed).toBe(0);
    expect(result.created).toBeGreaterThan(0);
    expect(result.created).toBe(countSlots() - slotsBefore);
    expect(result.resized).toBe(comirnatySlotsBefore);
    expect(await system.store.getSlot(slot.id)).toMatchObject({ capacity: 5, booked: 1 });
    expect(await slotAt(TUESDAY, '13:45')).toMatchObject({ capacity: 5, booked: 0 });
    expect(await slotAt(TUESDAY, '13:45', 'vaxzevria')).toMatchObject({ capacity: 2, booked: 0 });
    for (const appointment of booked) expect(await stored(appointment.id)).toEqual(appointment);
    expect(system.store.eventsOfType('appointment.cancelled')).toEqual([]);
    expect(countersOutOfStep()).toEqual([]);
  });

  test('lowering capacity below the bookings cancels exactly the excess, the most recent bookings first', async () => {
    const slot = await slotAt(TUESDAY, '09:00');
    const earliest = await book(slot.id);
    system.clock.set('2026-01-12T07:01:00.000Z');
    const middle = await book(slot.id);
    system.clock.set('2026-01-12T07:02:00.000Z');
    const latest = await book(slot.id);
    // All three second doses share the earliest slot of the interval, so that slot shrinks as well.
    expect(new Set([earliest[1]?.slotId, middle[1]?.slotId, latest[1]?.slotId]).size).toBe(1);

    const result = await changeConfirmed(aSchedule({ capacity: { comirnaty: 1, vaxzevria: 2 } }));

    expect(result.cancelledAppointments).toBe(4);
    for (const appointment of earliest) expect((await stored(appointment.id)).status).toBe('booked');
    for (const appointment of [...middle, ...latest]) {
      expect((await stored(appointment.id)).cancellation).toMatchObject({
        reason: 'The centre changed its opening hours.',
        by: { role: 'staff', id: 'staff-1' },
      });
      expect((await stored(appointment.id)).status).toBe('cancelled');
    }
    const cancelled = system.store.eventsOfType('appointment.cancelled');
    expect(cancelled.map((e) => e.subjectId).sort()).toEqual([...middle, ...latest].map((a) => a.id).sort());
    expect(cancelled.every((e) => e.data.reason === 'The centre changed its opening hours.')).toBe(true);
    expect(cancelled.every((e) => e.data.reasonCode === 'capacity_removed')).toBe(true);
    expect(await system.store.getSlot(slot.id)).toMatchObject({ capacity: 1, booked: 1 });
    expect(await system.store.getSlot(earliest[1]?.slotId as string)).toMatchObject({ capacity: 1, booked: 1 });
    expect(countersOutOfStep()).toEqual([]);
  });

  test('removing a weekday cancels its future visits, while slots that have already started stay as they were', async () => {
    const past = await book((await slotAt(MONDAY, '08:15')).id);
    const later = await book((await slotAt(MONDAY, '10:00')).id);
    system.clock.set('2026-01-12T08:00:00.000Z'); // 09:00 in Warsaw: the 08:15 visit has begun
    const startedBefore = allSlots().filter((s) => s.start <= system.clock.now().toISOString());
    expect(startedBefore.length).toBeGreaterThan(0);

    const result = await changeConfirmed(withDay(aSchedule(), 'mon', null));

    expect(allSlots().filter((s) => s.start <= system.clock.now().toISOString())).toEqual(startedBefore);
    expect(await stored(past[0]?.id as string)).toEqual(past[0]);
    expect((await stored(later[0]?.id as string)).status).toBe('cancelled');
    // No Monday slot is left from now on, including the Monday the second doses were booked on.
    const futureMondays = allSlots().filter(
      (s) => s.start > system.clock.now().toISOString() && new Date(s.start).getUTCDay() === 1,
    );
    expect(futureMondays).toEqual([]);
    expect((await stored(past[1]?.id as string)).status).toBe('cancelled');
    expect(result.removed).toBeGreaterThan(0);
    expect(result.created).toBe(0);
    expect(countersOutOfStep()).toEqual([]);
  });

  test('a preview names the visits a change would cancel and writes nothing', async () => {
    const slot = await slotAt(TUESDAY, '09:00');
    const [kept] = await book(slot.id);
    system.clock.set('2026-01-12T07:01:00.000Z');
    const [lost, lostLater] = await book(slot.id);
    const slotsBefore = allSlots();
    const eventsBefore = outboxSize();
    const patient = await system.store.getPatient(lost?.patientId as string);

    const preview = await previewScheduleChange(
      system.deps,
      staff,
      centre.id,
      aSchedule({ capacity: { comirnaty: 1, vaxzevria: 2 } }),
    );

    expect(preview.cancellations).toEqual([
      {
        appointmentId: lost?.id,
        patientId: lost?.patientId,
        patientName: `${patient?.givenName} ${patient?.familyName}`,
        vaccineId: 'comirnaty',
        dose: 1,
        date: TUESDAY,
        time: '09:00',
        reference: lost?.reference,
        laterDose: false,
      },
      expect.objectContaining({ appointmentId: lostLater?.id, dose: 2, laterDose: true }),
    ]);
    expect(preview.cancellations.map((c) => c.appointmentId)).not.toContain(kept?.id);
    expect(preview.days.find((d) => d.date === TUESDAY)).toMatchObject({
      capacityBefore: 16 * 3 + 16 * 2,
      capacityAfter: 16 * 1 + 16 * 2,
      cancelled: [lost?.id, lostLater?.id],
    });
    expect(preview.resized).toBeGreaterThan(0);
    expect(allSlots()).toEqual(slotsBefore);
    expect(outboxSize()).toBe(eventsBefore);
    expect((await system.store.getCentre(centre.id))?.schedule).toEqual(centre.schedule);
    expect((await stored(lost?.id as string)).status).toBe('booked');
  });

  test('a change that would cancel visits nobody confirmed is refused, naming them, and writes nothing', async () => {
    const slot = await slotAt(TUESDAY, '09:00');
    await book(slot.id);
    system.clock.set('2026-01-12T07:01:00.000Z');
    const [lost] = await book(slot.id);
    const slotsBefore = allSlots();
    const eventsBefore = outboxSize();
    const lower = aSchedule({ capacity: { comirnaty: 1, vaxzevria: 2 } });

    const refused = changeSchedule(system.deps, staff, centre.id, lower, [lost?.id as string]);

    await expect(refused).rejects.toMatchObject({
      kind: 'conflict',
      code: 'CANCELLATIONS_NOT_CONFIRMED',
      details: { cancellations: [expect.objectContaining({ dose: 2, laterDose: true })] },
    });
    expect(allSlots()).toEqual(slotsBefore);
    expect(outboxSize()).toBe(eventsBefore);
    expect((await system.store.getCentre(centre.id))?.schedule).toEqual(centre.schedule);
    expect((await stored(lost?.id as string)).status).toBe('booked');
  });

  test('a visit booked after the preview is not cancelled on the strength of it: the change is refused naming it', async () => {
    const slot = await slotAt(TUESDAY, '09:00');
    await book(slot.id);
    system.clock.set('2026-01-12T07:01:00.000Z');
    await book(slot.id);
    const lower = aSchedule({ capacity: { comirnaty: 1, vaxzevria: 2 } });
    const preview = await previewScheduleChange(system.deps, staff, centre.id, lower);
    system.clock.set('2026-01-12T07:02:00.000Z');
    const [latecomer] = await book(slot.id);
    const confirmed = preview.cancellations.map((c) => c.appointmentId);

    await expect(changeSchedule(system.deps, staff, centre.id, lower, confirmed)).rejects.toMatchObject({
      code: 'CANCELLATIONS_NOT_CONFIRMED',
      details: { cancellations: expect.arrayContaining([expect.objectContaining({ appointmentId: latecomer?.id })]) },
    });
    expect((await stored(latecomer?.id as string)).status).toBe('booked');
    expect(countersOutOfStep()).toEqual([]);
  });

  const overlapping = withDay(aSchedule(), 'mon', [
    { from: '08:00', to: '12:00' },
    { from: '11:00', to: '13:00' },
  ]);
  const unknownVaccine = aSchedule({ capacity: { comirnaty: 3, sputnik: 2 } });

  test.each([
    ['overlapping hours', overlapping, 'OVERLAPPING_HOURS', 'schedule.weekly.days.mon[1].from'],
    ['an unknown vaccine', unknownVaccine, 'UNKNOWN_VACCINE', 'schedule.weekly.capacity.sputnik'],
  ])('a schedule with %s is refused with the field named and nothing written', async (_, schedule, code, field) => {
    await book((await slotAt(TUESDAY, '09:00')).id);
    const slotsBefore = allSlots();
    const eventsBefore = outboxSize();

    await expect(changeSchedule(system.deps, staff, centre.id, schedule)).rejects.toMatchObject({
      kind: 'invalid',
      code,
      field,
    });

    expect((await system.store.getCentre(centre.id))?.schedule).toEqual(centre.schedule);
    expect(allSlots()).toEqual(slotsBefore);
    expect(outboxSize()).toBe(eventsBefore);
  });

  test('staff of another centre cannot change this centre’s schedule', async () => {
    const other = await system.addCentre();
    const slotsBefore = allSlots();
    const eventsBefore = outboxSize();
    const outsider: Principal = { role: 'centre-manager', staffId: 'staff-9', centreId: other.id };

    await expect(
      changeSchedule(system.deps, outsider, centre.id, aSchedule({ capacity: { comirnaty: 9 } })),
    ).rejects.toMatchObject({ kind: 'forbidden', code: 'CENTRE_FORBIDDEN' });

    expect((await system.store.getCentre(centre.id))?.schedule).toEqual(centre.schedule);
    expect(allSlots()).toEqual(slotsBefore);
    expect(outboxSize()).toBe(eventsBefore);
  });

  test('a new slot length keeps the bookings of slots whose start survives and cancels the others', async () => {
    const kept = await book((await slotAt(TUESDAY, '09:00')).id);
    const lost = await book((await slotAt(TUESDAY, '09:15')).id);

    const result = await changeConfirmed(aSchedule({ slotMinutes: 30 }));

    expect(await stored(kept[0]?.id as string)).toEqual(kept[0]);
    const retimed = await system.store.getSlot(kept[0]?.slotId as string);
    expect(retimed).toMatchObject({ booked: 1, end: toInstant(TUESDAY, '09:30', centre.timeZone)?.toISOString() });
    for (const appointment of lost) {
      expect((await stored(appointment.id)).status).toBe('cancelled');
    }
    expect(await system.store.getSlot(lost[0]?.slotId as string)).toBeNull();
    expect(result.cancelledAppointments).toBe(2);
    expect(
      (await system.store.listSlotsOfCentreDay(centre.id, TUESDAY)).every((s) => s.start.slice(14, 16) !== '15'),
    ).toBe(true);
    expect(countersOutOfStep()).toEqual([]);
  });
});

describe('cancelling a centre’s day', () => {
  test('every visit of the day is cancelled with the reason and the date becomes a closed date', async () => {
    const first = await book((await slotAt(WEDNESDAY, '09:00')).id);
    const second = await book((await slotAt(WEDNESDAY, '10:00', 'vaxzevria')).id);

    const result = await cancelCentreDay(system.deps, staff, centre.id, WEDNESDAY, 'power cut');

    // The first doses of the day, and the second doses booked with them.
    const everyDose = [...first, ...second].map((a) => a.id).sort();
    expect(result.cancelledAppointments.map((a) => a.id).sort()).toEqual(everyDose);
    for (const appointment of [first[0], second[0]]) {
      expect((await stored(appointment?.id as string)).cancellation).toMatchObject({
        reason: 'power cut',
        by: { role: 'staff', id: 'staff-1' },
      });
    }
    expect((await system.store.getCentre(centre.id))?.schedule.closedDates).toEqual([WEDNESDAY]);
    expect(await system.store.listSlotsOfCentreDay(centre.id, WEDNESDAY)).toEqual([]);
    expect(system.store.eventsOfType('centre.day_cancelled')).toEqual([
      expect.objectContaining({
        subjectId: centre.id,
        actor: { role: 'staff', id: 'staff-1' },
        data: { centreId: centre.id, date: WEDNESDAY, reason: 'power cut' },
      }),
    ]);
    expect(
      system.store
        .eventsOfType('appointment.cancelled')
        .map((e) => e.subjectId)
        .sort(),
    ).toEqual(everyDose);
    expect(system.store.eventsOfType('appointment.cancelled').map((e) => e.data.reasonCode)).toEqual(
      everyDose.map(() => 'day_cancelled'),
    );
    expect(countersOutOfStep()).toEqual([]);
  });

  test('a patient whose first dose falls on a cancelled day loses the later dose too and can book again', async () => {
    const [dose1, dose2] = await book((await slotAt(WEDNESDAY, '09:00')).id);

    await cancelCentreDay(system.deps, staff, centre.id, WEDNESDAY, 'power cut');

    // A second dose needs the first given or booked, so it cannot outlive the cancelled first dose.
    expect((await stored(dose2?.id as string)).status).toBe('cancelled');
    expect((await system.store.getSlot(dose2?.slotId as string))?.booked).toBe(0);
    const patientId = dose1?.patientId as string;
    const rebooked = await bookAppointment(
      system.deps,
      { role: 'patient', patientId },
      { patientId, slotId: (await slotAt(addDays(WEDNESDAY, 1), '09:00')).id, idempotencyKey: null },
    );
    expect(rebooked.appointments.map((a) => a.dose)).toEqual([1, 2]);
    expect(countersOutOfStep()).toEqual([]);
  });

  test('closing the rest of a day cancels the visits from that time on and keeps earlier and checked-in ones', async () => {
    const early = await book((await slotAt(MONDAY, '09:00')).id);
    const late = await book((await slotAt(MONDAY, '10:30')).id);
    const arrived = await book((await slotAt(MONDAY, '11:00')).id);
    await checkIn(system.deps, staff, centre.id, arrived[0]?.id as string);

    const result = await cancelCentreDay(system.deps, staff, centre.id, MONDAY, 'no vaccine left', '10:00');

    expect(result.from).toBe('10:00');
    expect(result.cancelledAppointments.map((a) => a.id).sort()).toEqual(late.map((a) => a.id).sort());
    for (const appointment of [...early, ...arrived]) expect((await stored(appointment.id)).status).toBe('booked');
    const schedule = (await system.store.getCentre(centre.id))?.schedule;
    expect(schedule?.closedDates).toEqual([]);
    expect(schedule?.closedFrom).toEqual([{ date: MONDAY, from: '10:00' }]);
    const left = await system.store.listSlotsOfCentreDay(centre.id, MONDAY);
    const tenLocal = toInstant(MONDAY, '10:00', centre.timeZone)?.toISOString() as string;
    // Only the slot of the patient already checked in outlives the closing, holding just that place.
    expect(left.filter((s) => s.start >= tenLocal)).toEqual([
      expect.objectContaining({ id: arrived[0]?.slotId, capacity: 1, booked: 1 }),
    ]);
    expect(left.filter((s) => s.start < tenLocal).length).toBeGreaterThan(0);
    expect(system.store.eventsOfType('centre.day_cancelled').map((e) => e.data)).toEqual([
      { centreId: centre.id, date: MONDAY, reason: 'no vaccine left', from: '10:00' },
    ]);
    expect(countersOutOfStep()).toEqual([]);
  });

  test('closing a whole day never cancels a patient already checked in', async () => {
    const arrived = await book((await slotAt(MONDAY, '11:00')).id);
    const other = await book((await slotAt(MONDAY, '11:00')).id);
    await checkIn(system.deps, staff, centre.id, arrived[0]?.id as string);

    await cancelCentreDay(system.deps, staff, centre.id, MONDAY, 'power cut');

    expect((await stored(arrived[0]?.id as string)).status).toBe('booked');
    expect((await stored(other[0]?.id as string)).status).toBe('cancelled');
    expect(await system.store.getSlot(arrived[0]?.slotId as string)).toMatchObject({ capacity: 1, booked: 1 });
    expect(countersOutOfStep()).toEqual([]);
  });

  test('a day that is over cannot be cancelled', async () => {
    const eventsBefore = outboxSize();

    await expect(cancelCentreDay(system.deps, staff, centre.id, addDays(MONDAY, -1), 'too late')).rejects.toMatchObject(
      {
        kind: 'conflict',
        code: 'DAY_IN_PAST',
      },
    );

    expect((await system.store.getCentre(centre.id))?.schedule.closedDates).toEqual([]);
    expect(outboxSize()).toBe(eventsBefore);
  });

  test('a day cannot be cancelled without saying why', async () => {
    await expect(cancelCentreDay(system.deps, staff, centre.id, WEDNESDAY, ' ')).rejects.toMatchObject({
      code: 'REASON_REQUIRED',
      field: 'reason',
    });
    expect(await system.store.listSlotsOfCentreDay(centre.id, WEDNESDAY)).not.toEqual([]);
    expect(system.store.eventsOfType('centre.day_cancelled')).toEqual([]);
  });
});
