import { isBookingReference } from '../booking-reference.ts';
import type { Centre } from '../model.ts';
import type { Principal } from '../principal.ts';
import { aBirthYearRule, aSchedule, createMemorySystem, type MemorySystem } from '../testing/index.ts';
import { bookAppointment, previewBooking } from './book-appointment.ts';
import { findPatientByPesel } from './find-patient.ts';
import { listFreeSlots } from './search-slots.ts';

let system: MemorySystem;
let centre: Centre;

// The clock stands on Monday 2026-01-12, 08:00 in Warsaw.
const MONDAY = '2026-01-12';
const TUESDAY = '2026-01-13';

beforeEach(async () => {
  system = createMemorySystem();
  await system.addRule(aBirthYearRule(1970));
  centre = await system.addCentre();
});

const asPatient = (patientId: string): Principal => ({ role: 'patient', patientId });
const agent: Principal = { role: 'agent', agentId: 'agent-7' };

/** Every kind of record a booking writes, so a refusal can be shown to have written none of them. */
const written = () => system.store.counts();

describe('booking references', () => {
  test('the visits booked together share one reference, which leads back to them', async () => {
    const { patientId } = await system.newPatient();
    const slot = await system.slotAt(centre, TUESDAY, '09:00');
    const result = await bookAppointment(system.deps, asPatient(patientId), {
      patientId,
      slotId: slot.id,
      idempotencyKey: null,
    });

    const [first, second] = result.appointments;
    expect(isBookingReference(first?.reference ?? '')).toBe(true);
    expect(second?.reference).toBe(first?.reference);
    expect((await system.store.listAppointmentsByReference(first?.reference ?? '')).map((a) => a.id)).toEqual([
      first?.id,
      second?.id,
    ]);
  });

  test('a reference already taken is never given again: the booking draws another', async () => {
    const one = await system.newPatient();
    const two = await system.newPatient();
    const draws = ['TAKENREF', 'TAKENREF', 'TAKENREF', 'FRESHREF'];
    const deps = { ...system.deps, ids: { ...system.deps.ids, reference: () => draws.shift() ?? 'EMPTYREF' } };
    const book = async (patientId: string, time: string) =>
      bookAppointment(deps, asPatient(patientId), {
        patientId,
        slotId: (await system.slotAt(centre, TUESDAY, time)).id,
        idempotencyKey: null,
      });

    const first = await book(one.patientId, '09:00');
    const second = await book(two.patientId, '09:15');

    expect(first.appointments[0]?.reference).toBe('TAKENREF');
    expect(second.appointments[0]?.reference).toBe('FRESHREF');
  });

  test('a reference source that keeps repeating itself fails the booking rather than sharing a reference', async () => {
    const one = await system.newPatient();
    const two = await system.newPatient();
    const deps = { ...system.deps, ids: { ...system.deps.ids, reference: () => 'SAMEREF2' } };
    const slot = await system.slotAt(centre, TUESDAY, '09:00');
    await bookAppointment(deps, asPatient(one.patientId), {
      patientId: one.patientId,
      slotId: slot.id,
      idempotencyKey: null,
    });

    await expect(
      bookAppointment(deps, asPatient(two.patientId), {
        patientId: two.patientId,
        slotId: slot.id,
        idempotencyKey: null,
      }),
    ).rejects.toThrow('No free booking reference');
    expect(await system.store.listAppointmentsOfPatient(two.patientId)).toEqual([]);
  });
});

describe('booking rules', () => {
  test('a one-dose vaccine is booked as a single appointment', async () => {
    const oneDose = await system.addCentre({ schedule: aSchedule({ capacity: { jcovden: 2 } }) });
    const { patientId } = await system.newPatient();
    const slot = await system.slotAt(oneDose, TUESDAY, '09:00', 'jcovden');

    const result = await bookAppointment(system.deps, asPatient(patientId), {
      patientId,
      slotId: slot.id,
      idempotencyKey: null,
    });

    expect(result.appointments).toEqual([expect.objectContaining({ dose: 1, vaccineId: 'jcovden', slotId: slot.id })]);
    expect(await system.store.listAppointmentsOfPatient(patientId)).toHaveLength(1);
    expect((await system.store.getSlot(slot.id))?.booked).toBe(1);
    expect(system.store.eventsOfType('appointment.booked').filter((e) => e.data.patientId === patientId)).toHaveLength(
      1,
    );
  });

  test('a course is booked as both doses, the second at the earliest free slot inside the interval, with one event each', async () => {
    const { patientId } = await system.newPatient();
    const slot = await system.slotAt(centre, TUESDAY, '09:00');

    const result = await bookAppointment(system.deps, asPatient(patientId), {
      patientId,
      slotId: slot.id,
      idempotencyKey: null,
    });

    const [first, second] = result.appointments;
    expect(result.appointments.map((a) => [a.dose, a.vaccineId, a.status, a.bookingId])).toEqual([
      [1, 'comirnaty', 'booked', result.bookingId],
      [2, 'comirnaty', 'booked', result.bookingId],
    ]);
    // Comirnaty's second dose comes 21 days after the first at the earliest: the same hour three weeks on.
    expect(second?.localStart).toBe('2026-02-03T09:00');
    expect(first?.localStart).toBe(`${TUESDAY}T09:00`);
    const booked = system.store.eventsOfType('appointment.booked');
    expect(booked.map((e) => [e.subjectId, e.data.dose, e.data.autoBooked])).toEqual([
      [first?.id, 1, false],
      [second?.id, 2, true],
    ]);
    expect(booked.every((e) => e.actor.role === 'patient' && e.actor.id === patientId)).toBe(true);
    expect(system.store.countersOutOfStep(centre.id)).toEqual([]);
  });

  test('when the centre has no slot inside the interval for the next dose, neither dose is booked', async () => {
    const oneDay = await system.addCentre({
      schedule: { ...aSchedule({ days: {} }), extraHours: [{ date: TUESDAY, from: '08:00', to: '09:00' }] },
    });
    const { patientId } = await system.newPatient();
    const slot = await system.slotAt(oneDay, TUESDAY, '08:00');
    const before = written();

    await expect(
      bookAppointment(system.deps, asPatient(patientId), { patientId, slotId: slot.id, idempotencyKey: 'once' }),
    ).rejects.toMatchObject({ kind: 'conflict', code: 'NEXT_DOSE_UNAVAILABLE' });

    expect(written()).toEqual(before);
    expect(await system.store.listAppointmentsOfPatient(patientId)).toEqual([]);
    expect((await system.store.getSlot(slot.id))?.booked).toBe(0);
  });

  test('a person below the product’s minimum age is refused that product but not another', async () => {
    await system.addRule(aBirthYearRule(2012));
    const { patientId } = await system.newPatient({ born: 2009 });
    const before = written();

    await expect(
      bookAppointment(system.deps, asPatient(patientId), {
        patientId,
        slotId: (await system.slotAt(centre, TUESDAY, '09:00', 'vaxzevria')).id,
        idempotencyKey: null,
      }),
    ).rejects.toMatchObject({ kind: 'forbidden', code: 'TOO_YOUNG_FOR_VACCINE' });
    expect(written()).toEqual(before);

    const allowed = await bookAppointment(system.deps, asPatient(patientId), {
      patientId,
      slotId: (await system.slotAt(centre, TUESDAY, '09:00', 'comirnaty')).id,
      idempotencyKey: null,
    });
    expect(allowed.appointments.map((a) => a.vaccineId)).toEqual(['comirnaty', 'comirnaty']);
  });

  test('an agent must give a reason to book for a caller, and the booking is audited with it', async () => {
    const { patientId, pesel } = await system.newPatient();
    const slotId = (await system.slotAt(centre, TUESDAY, '09:00')).id;
    await findPatientByPesel(system.deps, agent, pesel, 'caller on the hotline');
    const before = written();

    await expect(
      bookAppointment(system.deps, agent, { patientId, slotId, idempotencyKey: null, reason: ' ' }),
    ).rejects.toMatchObject({ kind: 'invalid', code: 'REASON_REQUIRED', field: 'reason' });
    expect(written()).toEqual(before);

    const result = await bookAppointment(system.deps, agent, {
      patientId,
      slotId,
      idempotencyKey: null,
      reason: 'caller on the hotline',
    });

    expect(result.appointments.every((a) => a.bookedBy.role === 'agent' && a.bookedBy.id === 'agent-7')).toBe(true);
    expect((await system.store.listAudit(patientId)).filter((a) => a.action === 'book')).toEqual([
      expect.objectContaining({ actor: { role: 'agent', id: 'agent-7' }, reason: 'caller on the hotline' }),
    ]);
  });

  test('staff book only at their own centre', async () => {
    const other = await system.addCentre();
    const staff: Principal = { role: 'staff', staffId: 'staff-1', centreId: centre.id };
    const { patientId } = await system.newPatient();
    const before = written();

    await expect(
      bookAppointment(system.deps, staff, {
        patientId,
        slotId: (await system.slotAt(other, TUESDAY, '09:00')).id,
        idempotencyKey: null,
      }),
    ).rejects.toMatchObject({ kind: 'forbidden', code: 'CENTRE_FORBIDDEN' });
    expect(written()).toEqual(before);

    const result = await bookAppointment(system.deps, staff, {
      patientId,
      slotId: (await system.slotAt(centre, TUESDAY, '09:00')).id,
      idempotencyKey: null,
    });
    expect(result.appointments.map((a) => a.centreId)).toEqual([centre.id, centre.id]);
    expect((await system.store.listAudit(patientId)).filter((a) => a.action === 'book')).toEqual([
      expect.objectContaining({ actor: { role: 'staff', id: 'staff-1' }, reason: 'centre visit' }),
    ]);
  });

  test('an idempotency key answers the same booking again but is refused for another slot', async () => {
    const { patientId } = await system.newPatient();
    const first = await system.slotAt(centre, TUESDAY, '09:00');
    const other = await system.slotAt(centre, TUESDAY, '10:00');
    const booked = await bookAppointment(system.deps, asPatient(patientId), {
      patientId,
      slotId: first.id,
      idempotencyKey: 'booking-1',
    });
    const afterFirst = written();

    const repeated = await bookAppointment(system.deps, asPatient(patientId), {
      patientId,
      slotId: first.id,
      idempotencyKey: 'booking-1',
    });
    expect(repeated).toEqual(booked);

    await expect(
      bookAppointment(system.deps, asPatient(patientId), { patientId, slotId: other.id, idempotencyKey: 'booking-1' }),
    ).rejects.toMatchObject({ kind: 'conflict', code: 'IDEMPOTENCY_KEY_REUSED' });

    expect(written()).toEqual(afterFirst);
    expect((await system.store.getSlot(other.id))?.booked).toBe(0);
    expect(await system.store.listAppointmentsOfPatient(patientId)).toHaveLength(2);
  });

  test('a slot that has started, even at this very minute, cannot be booked', async () => {
    const { patientId } = await system.newPatient();
    const slot = await system.slotAt(centre, MONDAY, '08:15');
    system.clock.set(slot.start);
    const before = written();

    await expect(
      bookAppointment(system.deps, asPatient(patientId), { patientId, slotId: slot.id, idempotencyKey: null }),
    ).rejects.toMatchObject({ kind: 'conflict', code: 'SLOT_IN_PAST' });

    expect(written()).toEqual(before);
    expect((await system.store.getSlot(slot.id))?.booked).toBe(0);
  });

  test('a second booking for the same dose is refused and writes no event', async () => {
    const { patientId } = await system.newPatient();
    const slot = await system.slotAt(centre, TUESDAY, '09:00');
    await bookAppointment(system.deps, asPatient(patientId), { patientId, slotId: slot.id, idempotencyKey: null });
    const before = system.store.events();

    await expect(
      bookAppointment(system.deps, asPatient(patientId), { patientId, slotId: slot.id, idempotencyKey: null }),
    ).rejects.toMatchObject({ code: 'ALREADY_BOOKED' });

    expect(system.store.events()).toEqual(before);
  });
});

describe('public holidays', () => {
  // Friday 4 December 2026, 07:00 in Warsaw: Comirnaty's 21 days lead to Christmas Day.
  const FRIDAY_4_DECEMBER = '2026-12-04T06:00:00.000Z';

  test('the second dose goes to the first open day after Christmas, not to 25 December', async () => {
    system = createMemorySystem({ now: FRIDAY_4_DECEMBER });
    await system.addRule(aBirthYearRule(1970));
    const usual = await system.addCentre();
    const { patientId } = await system.newPatient();
    const slot = await system.slotAt(usual, '2026-12-04', '09:00');

    const { appointments } = await bookAppointment(system.deps, asPatient(patientId), {
      patientId,
      slotId: slot.id,
      idempotencyKey: null,
    });

    // 25 and 26 December are holidays (26 a Saturday too), 27 a Sunday: Monday 28 is the first open day.
    expect(appointments[1]).toMatchObject({ dose: 2, localDate: '2026-12-28', localStart: '2026-12-28T08:00' });
  });

  test('a centre that opens on Christmas Day gives the second dose then', async () => {
    system = createMemorySystem({ now: FRIDAY_4_DECEMBER });
    await system.addRule(aBirthYearRule(1970));
    const opened = await system.addCentre({
      schedule: { ...aSchedule(), extraHours: [{ date: '2026-12-25', from: '10:00', to: '12:00' }] },
    });
    const { patientId } = await system.newPatient();
    const slot = await system.slotAt(opened, '2026-12-04', '09:00');

    const { appointments } = await bookAppointment(system.deps, asPatient(patientId), {
      patientId,
      slotId: slot.id,
      idempotencyKey: null,
    });

    expect(appointments[1]).toMatchObject({ dose: 2, localDate: '2026-12-25', localStart: '2026-12-25T10:00' });
  });
});

describe('the next dose, shown before and chosen by the person', () => {
  test('a preview tells the dose, the next dose’s interval and the slot proposed for it, and books nothing', async () => {
    const { patientId } = await system.newPatient();
    const slot = await system.slotAt(centre, TUESDAY, '09:00');
    const before = written();

    const preview = await previewBooking(system.deps, asPatient(patientId), { patientId, slotId: slot.id });

    expect(preview).toEqual({
      dose: 1,
      vaccineId: 'comirnaty',
      centreId: centre.id,
      slot: { slotId: slot.id, start: slot.start, localStart: `${TUESDAY}T09:00`, free: slot.capacity },
      followUp: {
        dose: 2,
        earliest: '2026-02-03T08:00:00.000Z',
        latest: '2026-02-24T08:00:00.000Z',
        proposed: expect.objectContaining({ localStart: '2026-02-03T09:00' }),
      },
    });
    expect(written()).toEqual(before);
    const booked = await bookAppointment(system.deps, asPatient(patientId), {
      patientId,
      slotId: slot.id,
      idempotencyKey: null,
    });
    expect(booked.appointments[1]?.slotId).toBe(preview.followUp?.proposed.slotId);
  });

  test('a preview answers what the booking would: a person not yet eligible hears it before choosing', async () => {
    const { patientId } = await system.newPatient({ born: 1990 });
    const slot = await system.slotAt(centre, TUESDAY, '09:00');

    await expect(
      previewBooking(system.deps, asPatient(patientId), { patientId, slotId: slot.id }),
    ).rejects.toMatchObject({
      code: 'NOT_ELIGIBLE',
    });
  });

  test('the person’s own choice of a later time inside the interval is booked for the next dose', async () => {
    const { patientId } = await system.newPatient();
    const slot = await system.slotAt(centre, TUESDAY, '09:00');
    const chosen = await system.slotAt(centre, '2026-02-10', '11:30');

    const { appointments } = await bookAppointment(system.deps, asPatient(patientId), {
      patientId,
      slotId: slot.id,
      nextSlotId: chosen.id,
      idempotencyKey: null,
    });

    expect(appointments.map((a) => [a.dose, a.slotId])).toEqual([
      [1, slot.id],
      [2, chosen.id],
    ]);
    expect((await system.store.getSlot(chosen.id))?.booked).toBe(1);
  });

  test('a chosen time outside the interval, elsewhere, full or for a last dose is refused, naming the field', async () => {
    const { patientId } = await system.newPatient();
    const other = await system.addCentre();
    const slot = await system.slotAt(centre, TUESDAY, '09:00');
    const book = (nextSlotId: string, slotId = slot.id) =>
      bookAppointment(system.deps, asPatient(patientId), { patientId, slotId, nextSlotId, idempotencyKey: null });
    const tooSoon = await system.slotAt(centre, '2026-01-20', '09:00');
    const elsewhere = await system.slotAt(other, '2026-02-10', '09:00');
    const full = await system.slotAt(centre, '2026-02-10', '10:00');
    await system.store.runInTransaction(async (tx) => tx.putSlot({ ...full, booked: full.capacity }));

    await expect(book(tooSoon.id)).rejects.toMatchObject({ code: 'OUTSIDE_DOSE_INTERVAL' });
    await expect(book(elsewhere.id)).rejects.toMatchObject({ code: 'NEXT_DOSE_ELSEWHERE', field: 'nextSlotId' });
    await expect(book(full.id)).rejects.toMatchObject({ code: 'NEXT_DOSE_SLOT_FULL' });
    await expect(book('no-such-slot')).rejects.toMatchObject({ code: 'SLOT_NOT_FOUND', field: 'nextSlotId' });
    const oneDose = await system.addCentre({ schedule: aSchedule({ capacity: { jcovden: 2 } }) });
    const single = await system.slotAt(oneDose, TUESDAY, '09:00', 'jcovden');
    await expect(book(full.id, single.id)).rejects.toMatchObject({ code: 'NO_NEXT_DOSE', field: 'nextSlotId' });
    expect(await system.store.listAppointmentsOfPatient(patientId)).toEqual([]);
  });
});

describe('a centre’s free slots', () => {
  test('one product’s free slots between two dates, soonest first, none already begun or full', async () => {
    const first = await system.slotAt(centre, MONDAY, '09:00');
    await system.store.runInTransaction(async (tx) => tx.putSlot({ ...first, booked: first.capacity }));

    const answer = await listFreeSlots(system.deps, centre.id, { vaccineId: 'comirnaty', from: MONDAY, to: TUESDAY });

    const starts = answer.slots.map((s) => s.localStart);
    expect(starts[0]).toBe(`${MONDAY}T08:15`); // the clock stands at 08:00: that slot has begun
    expect(starts).not.toContain(`${MONDAY}T09:00`); // full
    expect(starts.at(-1)?.startsWith(TUESDAY)).toBe(true);
    expect([...starts].sort()).toEqual(starts);
    expect(answer.slots.every((s) => s.free > 0)).toBe(true);
  });

  test('bad dates, a long range, an unknown product or centre are refused, naming the field', async () => {
    const ask = (centreId: string, vaccineId: string, from: string, to: string) =>
      listFreeSlots(system.deps, centreId, { vaccineId, from, to });
    await expect(ask(centre.id, 'comirnaty', '2026-02-30', TUESDAY)).rejects.toMatchObject({ field: 'from' });
    await expect(ask(centre.id, 'comirnaty', TUESDAY, MONDAY)).rejects.toMatchObject({
      code: 'INVALID_RANGE',
      field: 'to',
    });
    await expect(ask(centre.id, 'comirnaty', MONDAY, '2026-02-23')).rejects.toMatchObject({ code: 'RANGE_TOO_LONG' });
    await expect(ask(centre.id, 'nope', MONDAY, TUESDAY)).rejects.toMatchObject({ field: 'vaccineId' });
    await expect(ask('no-centre', 'comirnaty', MONDAY, TUESDAY)).rejects.toMatchObject({ code: 'CENTRE_NOT_FOUND' });
  });
});
