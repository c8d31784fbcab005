import type { Centre, Patient } from '../model.ts';
import type { Principal } from '../principal.ts';
import { aBirthYearRule, aCitizen, createMemorySystem, type MemorySystem } from '../testing/index.ts';
import { toInstant } from '../time-zone.ts';
import { bookAppointment } from './book-appointment.ts';
import { bookWalkIn } from './walk-in.ts';

let system: MemorySystem;
let centre: Centre;
let staff: Principal;

// Monday 2026-01-12; the builder's centre is open 08:00–12:00 with 15-minute slots.
const MONDAY = '2026-01-12';

beforeEach(async () => {
  system = createMemorySystem();
  await system.addRule(aBirthYearRule(1970));
  centre = await system.addCentre();
  staff = await system.addStaff(centre, 'staff-1');
});

function standAt(time: string): void {
  system.clock.set(toInstant(MONDAY, time, centre.timeZone)?.toISOString() as string);
}

const walkIn = (pesel: string, more: Record<string, unknown> = {}) => ({
  pesel,
  givenName: 'Zofia',
  familyName: 'Wójcik',
  vaccineId: 'comirnaty',
  ...more,
});

describe('a walk-in', () => {
  test('someone never seen is registered from the document, booked into the running slot and checked in', async () => {
    const person = aCitizen({ born: 1950 });
    standAt('09:20');

    const result = await bookWalkIn(system.deps, staff, centre.id, walkIn(person.pesel));

    const slot = await system.slotAt(centre, MONDAY, '09:15');
    expect(result.patient).toMatchObject({ pesel: person.pesel, givenName: 'Zofia', familyName: 'Wójcik' });
    expect(result.appointment).toMatchObject({ slotId: slot.id, status: 'booked', dose: 1 });
    expect(result.appointment.checkedInAt).toBe(system.clock.now().toISOString());
    expect(result.booking.appointments).toHaveLength(2);
    expect((await system.store.getSlot(slot.id))?.booked).toBe(1);
    expect(system.store.eventsOfType('appointment.checked_in').map((e) => e.subjectId)).toEqual([
      result.appointment.id,
    ]);
    expect((await system.store.listAudit(result.patient.id)).map((a) => a.action)).toEqual(
      expect.arrayContaining(['walk-in', 'book', 'check-in']),
    );
  });

  test('a person known from a login keeps the names the identity provider gave', async () => {
    const { patientId, pesel } = await system.newPatient({ born: 1950 });
    const known = await system.store.getPatient(patientId);
    standAt('10:05');

    const result = await bookWalkIn(system.deps, staff, centre.id, walkIn(pesel, { givenName: 'Other' }));

    expect(result.patient).toMatchObject({ id: patientId, givenName: known?.givenName });
  });

  test('a mobile given at the desk is kept for someone new, and never replaces one a record has', async () => {
    const person = aCitizen({ born: 1950 });
    const { patientId, pesel } = await system.newPatient({ born: 1951 });
    const known = await system.store.getPatient(patientId);
    await system.store.runInTransaction(async (tx) => tx.putPatient({ ...(known as Patient), phone: '+48600100200' }));
    standAt('09:20');

    const fresh = await bookWalkIn(system.deps, staff, centre.id, walkIn(person.pesel, { phone: '600 700 800' }));
    await bookWalkIn(system.deps, staff, centre.id, walkIn(pesel, { phone: '600 700 801' }));

    expect((await system.store.getPatient(fresh.patient.id))?.phone).toBe('+48600700800');
    expect((await system.store.getPatient(patientId))?.phone).toBe('+48600100200');
  });

  test('sent again with the same key it answers the same booking, and books once', async () => {
    const person = aCitizen({ born: 1950 });
    standAt('09:20');
    const input = walkIn(person.pesel, { idempotencyKey: 'desk-2:walk-0001' });

    const first = await bookWalkIn(system.deps, staff, centre.id, input);
    const again = await bookWalkIn(system.deps, staff, centre.id, input);

    expect(again.appointment.id).toBe(first.appointment.id);
    expect(system.store.eventsOfType('appointment.booked')).toHaveLength(2);
    expect(system.store.eventsOfType('appointment.checked_in')).toHaveLength(1);
  });

  test('outside opening hours there is no running slot to book into', async () => {
    standAt('13:00');

    await expect(
      bookWalkIn(system.deps, staff, centre.id, walkIn(aCitizen({ born: 1950 }).pesel)),
    ).rejects.toMatchObject({ kind: 'conflict', code: 'NO_CURRENT_SLOT' });
  });

  test('a running slot that is full is refused with the next free ones offered', async () => {
    standAt('09:00');
    const slot = await system.slotAt(centre, MONDAY, '09:15');
    for (let i = 0; i < slot.capacity; i++) {
      const { patientId, principal } = await system.newPatient({ born: 1940 + i });
      await bookAppointment(system.deps, principal, { patientId, slotId: slot.id, idempotencyKey: null });
    }
    standAt('09:20');

    await expect(
      bookWalkIn(system.deps, staff, centre.id, walkIn(aCitizen({ born: 1950 }).pesel)),
    ).rejects.toMatchObject({ code: 'SLOT_FULL', details: { alternatives: expect.any(Array) } });
  });

  test.each([
    ['a bad PESEL', { pesel: '123' }, 'pesel'],
    ['a name with digits', { givenName: 'Z0fia' }, 'givenName'],
    ['no family name', { familyName: ' ' }, 'familyName'],
    ['an unknown product', { vaccineId: 'aspirin' }, 'vaccineId'],
    ['a landline', { phone: '22 628 00 00' }, 'phone'],
  ])('%s is refused naming the field', async (_, more, field) => {
    standAt('09:20');
    await expect(
      bookWalkIn(system.deps, staff, centre.id, walkIn(aCitizen({ born: 1950 }).pesel, more)),
    ).rejects.toMatchObject({ kind: 'invalid', field });
    expect(system.store.eventsOfType('appointment.booked')).toEqual([]);
  });

  test('staff of another centre cannot book a walk-in here', async () => {
    const other = await system.addCentre();
    const elsewhere = await system.addStaff(other, 'staff-9');
    standAt('09:20');

    await expect(
      bookWalkIn(system.deps, elsewhere, centre.id, walkIn(aCitizen({ born: 1950 }).pesel)),
    ).rejects.toMatchObject({ code: 'CENTRE_FORBIDDEN' });
  });
});
