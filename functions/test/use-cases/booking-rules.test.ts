import {
  addEligibilityRule,
  bookAppointment,
  type Centre,
  type DomainError,
  type DomainEvent,
  type EventType,
  findPatientByPesel,
  grantGroup,
  type Principal,
  parseDomainEvent,
  rescheduleAppointment,
  type Slot,
  toInstant,
} from '@ereg/shared';
import { aBirthYearRule, aSchedule } from '../support/builders.ts';
import { createTestSystem, type TestSystem } from '../support/test-system.ts';

let system: TestSystem;
let centre: Centre;

// The clock stands on Monday 2026-01-12, 08:00 in Warsaw.
const MONDAY = '2026-01-12';
const TUESDAY = '2026-01-13';

beforeEach(async () => {
  system = await createTestSystem();
  await system.addRule(aBirthYearRule(1970));
  centre = await system.addCentre();
});

afterEach(async () => {
  await system.close();
});

async function slotAt(at: Centre, date: string, time: string, vaccineId = 'comirnaty'): Promise<Slot> {
  const start = toInstant(date, time, at.timeZone)?.toISOString();
  const slot = (await system.store.listSlotsOfCentreDay(at.id, date)).find(
    (s) => s.start === start && s.vaccineId === vaccineId,
  );
  if (!slot) throw new Error(`no ${vaccineId} slot at ${date} ${time}`);
  return slot;
}

const asPatient = (patientId: string): Principal => ({ role: 'patient', patientId });
const agent: Principal = { role: 'agent', agentId: 'agent-7' };

const count = (table: string) => (system.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

/** The rows a booking writes, so a refusal can be shown to have written none of them. */
const written = () => ({
  appointments: count('appointments'),
  outbox: count('outbox'),
  audit: count('audit'),
  idempotency: count('idempotency'),
  booked: (system.db.prepare('SELECT sum(booked) AS n FROM slots').get() as { n: number }).n,
});

function events<T extends EventType>(type: T): Array<Extract<DomainEvent, { type: T }>> {
  const rows = system.db.prepare('SELECT data FROM outbox WHERE type = ? ORDER BY seq').all(type) as Array<{
    data: string;
  }>;
  return rows
    .map((row) => parseDomainEvent(JSON.parse(row.data)))
    .filter((event): event is Extract<DomainEvent, { type: T }> => event.type === type);
}

describe('booking rules', () => {
  test('a one-dose vaccine is booked as a single appointment', async () => {
    const oneDose = await system.addCentre({ schedule: aSchedule({ capacity: { jcovden: 2 } }) });
    const { patientId } = await system.newPatient();
    const slot = await slotAt(oneDose, TUESDAY, '09:00', 'jcovden');

    const result = await bookAppointment(system.deps, asPatient(patientId), {
      patientId,
      slotId: slot.id,
      idempotencyKey: null,
    });

    expect(result.appointments).toEqual([expect.objectContaining({ dose: 1, vaccineId: 'jcovden', slotId: slot.id })]);
    expect(await system.store.listAppointmentsOfPatient(patientId)).toHaveLength(1);
    expect((await system.store.getSlot(slot.id))?.booked).toBe(1);
    expect(events('appointment.booked').filter((e) => e.data.patientId === patientId)).toHaveLength(1);
  });

  test('when the centre has no slot inside the interval for the next dose, neither dose is booked', async () => {
    const oneDay = await system.addCentre({
      schedule: { ...aSchedule({ days: {} }), extraHours: [{ date: TUESDAY, from: '08:00', to: '09:00' }] },
    });
    const { patientId } = await system.newPatient();
    const slot = await slotAt(oneDay, TUESDAY, '08:00');
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
        slotId: (await slotAt(centre, TUESDAY, '09:00', 'vaxzevria')).id,
        idempotencyKey: null,
      }),
    ).rejects.toMatchObject({ kind: 'forbidden', code: 'TOO_YOUNG_FOR_VACCINE' });
    expect(written()).toEqual(before);

    const allowed = await bookAppointment(system.deps, asPatient(patientId), {
      patientId,
      slotId: (await slotAt(centre, TUESDAY, '09:00', 'comirnaty')).id,
      idempotencyKey: null,
    });
    expect(allowed.appointments.map((a) => a.vaccineId)).toEqual(['comirnaty', 'comirnaty']);
  });

  test('an agent must give a reason to book for a caller, and the booking is audited with it', async () => {
    const { patientId } = await system.newPatient();
    const slotId = (await slotAt(centre, TUESDAY, '09:00')).id;
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
        slotId: (await slotAt(other, TUESDAY, '09:00')).id,
        idempotencyKey: null,
      }),
    ).rejects.toMatchObject({ kind: 'forbidden', code: 'CENTRE_FORBIDDEN' });
    expect(written()).toEqual(before);

    const result = await bookAppointment(system.deps, staff, {
      patientId,
      slotId: (await slotAt(centre, TUESDAY, '09:00')).id,
      idempotencyKey: null,
    });
    expect(result.appointments.map((a) => a.centreId)).toEqual([centre.id, centre.id]);
    expect((await system.store.listAudit(patientId)).filter((a) => a.action === 'book')).toEqual([
      expect.objectContaining({ actor: { role: 'staff', id: 'staff-1' }, reason: 'centre visit' }),
    ]);
  });

  test('an idempotency key answers the same booking again but is refused for another slot', async () => {
    const { patientId } = await system.newPatient();
    const first = await slotAt(centre, TUESDAY, '09:00');
    const other = await slotAt(centre, TUESDAY, '10:00');
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
    const slot = await slotAt(centre, MONDAY, '08:15');
    system.clock.set(slot.start);
    const before = written();

    await expect(
      bookAppointment(system.deps, asPatient(patientId), { patientId, slotId: slot.id, idempotencyKey: null }),
    ).rejects.toMatchObject({ kind: 'conflict', code: 'SLOT_IN_PAST' });

    expect(written()).toEqual(before);
    expect((await system.store.getSlot(slot.id))?.booked).toBe(0);
  });
});

describe('finding a caller and referring to a priority group', () => {
  test('an agent finds a caller by PESEL only with a reason, and the look-up is audited', async () => {
    const { patientId, pesel } = await system.newPatient();

    await expect(findPatientByPesel(system.deps, agent, pesel, undefined)).rejects.toMatchObject({
      code: 'REASON_REQUIRED',
      field: 'reason',
    });
    expect(await system.store.listAudit(patientId)).toEqual([]);

    const found = await findPatientByPesel(system.deps, agent, pesel, 'caller asks about her visit');

    expect(found).toEqual(await system.store.getPatient(patientId));
    expect(await system.store.listAudit(patientId)).toEqual([
      expect.objectContaining({
        action: 'find-by-pesel',
        actor: { role: 'agent', id: 'agent-7' },
        reason: 'caller asks about her visit',
        at: system.clock.now().toISOString(),
      }),
    ]);
  });

  test('a patient cannot look other people up by PESEL', async () => {
    const { patientId } = await system.newPatient();
    const { pesel, patientId: other } = await system.newPatient();

    await expect(findPatientByPesel(system.deps, asPatient(patientId), pesel, 'curious')).rejects.toMatchObject({
      code: 'ROLE_NOT_ALLOWED',
    });
    expect(await system.store.listAudit(other)).toEqual([]);
  });

  test('a person referred to a group that a rule opens can book, under that rule', async () => {
    const { patientId, pesel } = await system.newPatient({ born: 1990 });
    const slotId = (await slotAt(centre, TUESDAY, '09:00')).id;
    await expect(
      bookAppointment(system.deps, asPatient(patientId), { patientId, slotId, idempotencyKey: null }),
    ).rejects.toMatchObject({ code: 'NOT_ELIGIBLE' });

    const rule = await addEligibilityRule(
      system.deps,
      { role: 'admin', adminId: 'admin-1' },
      {
        kind: 'group',
        group: 'medical',
        from: MONDAY,
      },
    );
    const granted = await grantGroup(system.deps, agent, { pesel, group: 'medical', reason: 'hospital staff list' });
    const booked = await bookAppointment(system.deps, asPatient(patientId), {
      patientId,
      slotId,
      idempotencyKey: null,
    });

    expect(granted.groups).toEqual(['medical']);
    expect((await system.store.getPatient(patientId))?.groups).toEqual(['medical']);
    expect(booked.appointments.map((a) => a.dose)).toEqual([1, 2]);
    const referral = await system.store.runInTransaction((tx) => tx.getReferral(patientId));
    expect(referral?.ruleId).toBe(rule.id);
    expect((await system.store.listAudit(patientId)).filter((a) => a.action === 'grant-group')).toEqual([
      expect.objectContaining({ actor: { role: 'agent', id: 'agent-7' }, reason: 'hospital staff list' }),
    ]);
  });
});

describe('moving a visit', () => {
  test('to a slot taken meanwhile is refused with the next free slots of that centre, and nothing moves', async () => {
    const { patientId } = await system.newPatient();
    const booking = await bookAppointment(system.deps, asPatient(patientId), {
      patientId,
      slotId: (await slotAt(centre, TUESDAY, '09:00')).id,
      idempotencyKey: null,
    });
    const target = await slotAt(centre, TUESDAY, '10:00');
    await system.store.runInTransaction(async (tx) => {
      tx.putSlot({ ...target, booked: target.capacity });
    });
    const first = booking.appointments[0];
    const refused = await rescheduleAppointment(system.deps, asPatient(patientId), {
      appointmentId: first?.id ?? '',
      slotId: target.id,
    }).catch((error: unknown) => error as DomainError);
    expect(refused).toMatchObject({ kind: 'conflict', code: 'SLOT_FULL' });
    const alternatives = (refused as DomainError).details?.alternatives as Array<{ slotId: string; start: string }>;
    expect(alternatives.length).toBeGreaterThan(0);
    expect(alternatives.every((a) => a.slotId !== target.id && a.start >= target.start)).toBe(true);
    expect((await system.store.getAppointment(first?.id ?? ''))?.slotId).toBe(first?.slotId);
  });
});
