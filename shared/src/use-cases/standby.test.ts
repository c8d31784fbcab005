import { CentreDirectory } from '../centre-directory.ts';
import type { Centre } from '../model.ts';
import { PostalCodes } from '../postal-codes.ts';
import { createMemorySystem, type MemorySystem } from '../testing/index.ts';
import { bookAppointment } from './book-appointment.ts';
import { cancelAppointment } from './manage-appointments.ts';
import {
  joinStandby,
  leaveStandby,
  noteWouldBeWasted,
  passStandbyOffer,
  type StandbyInput,
  StandbyNotes,
  standbyState,
  standbyTick,
  takeStandbyOffer,
} from './standby.ts';

/*
 * The standby list's use cases on the in-memory system: what people do with their place on the list and
 * with the offers, and what a centre says of the doses it would otherwise waste.
 */

let system: MemorySystem;
let centres: CentreDirectory;
let centre: Centre;
let noted = 0;

beforeEach(async () => {
  system = createMemorySystem();
  centres = new CentreDirectory(system.store, system.clock, PostalCodes.fromRows([]), 0, 0);
  await system.addRule();
  centre = await system.addCentre();
  // The hours published before anyone joined are not freed places.
  noted = system.store.events().length;
});

const wishes = (overrides: Partial<StandbyInput> = {}): StandbyInput => ({
  from: '2026-01-12',
  to: '2026-03-31',
  postalCode: '00-950',
  maxKm: 20,
  ...overrides,
});

/** A second person, with a phone of their own (one phone holds one offer at a time). */
async function another() {
  const person = await system.newPatient({ born: 1951 });
  await system.store.runInTransaction(async (tx) => {
    const patient = await tx.getPatient(person.patientId);
    if (patient) tx.putPatient({ ...patient, phone: '+48600999888' });
  });
  return person;
}

/**
 * Someone cancels their second dose, in a full slot, on 2026-02-03 at 10:00: the place is noted from the
 * events, then one run of the list offers it.
 */
async function freeAPlace(): Promise<void> {
  const [, second] = await system.bookCourse(centre, '2026-01-13', '10:00');
  await system.store.runInTransaction(async (tx) => {
    const slot = await tx.getSlot(second.slotId);
    if (slot) tx.putSlot({ ...slot, capacity: slot.booked });
  });
  await cancelAppointment(system.deps, { role: 'patient', patientId: second.patientId }, { appointmentId: second.id });
  const notes = new StandbyNotes(system.deps);
  const events = system.store.events();
  for (const event of events.slice(noted)) await notes.handle(event);
  noted = events.length;
  await standbyTick(system.deps);
}

describe('joining, looking and leaving', () => {
  test('a person joins, sees their place in line, and leaves', async () => {
    const ahead = await system.newPatient();
    const me = await system.newPatient();
    await joinStandby(system.deps, centres, ahead.principal, ahead.patientId, wishes());

    const joined = await joinStandby(system.deps, centres, me.principal, me.patientId, wishes({ maxKm: 30 }));
    expect(joined.entry).toMatchObject({ status: 'waiting', channel: 'web', dose: 1, texted: true });
    expect(joined.entry?.wishes).toMatchObject({ maxKm: 30, postalCode: '00-950' });
    expect(joined.ahead).toBe(1);
    expect((await standbyState(system.deps, me.principal, me.patientId)).ahead).toBe(1);

    const left = await leaveStandby(system.deps, me.principal, me.patientId);
    expect(left.entry?.status).toBe('left');
    expect(left.ahead).toBeNull();
    expect(system.store.eventsOfType('standby.left').map((e) => e.data.patientId)).toEqual([me.patientId]);
  });

  test('changing the wishes keeps the place in line', async () => {
    const me = await system.newPatient();
    await joinStandby(system.deps, centres, me.principal, me.patientId, wishes());
    const other = await system.newPatient();
    await joinStandby(system.deps, centres, other.principal, other.patientId, wishes());
    await joinStandby(system.deps, centres, me.principal, me.patientId, wishes({ maxKm: 5 }));
    expect((await standbyState(system.deps, other.principal, other.patientId)).ahead).toBe(1);
    expect(system.store.eventsOfType('standby.changed')).toHaveLength(1);
  });

  test('another patient may neither join nor see someone else', async () => {
    const me = await system.newPatient();
    const other = await system.newPatient();
    await expect(joinStandby(system.deps, centres, other.principal, me.patientId, wishes())).rejects.toMatchObject({
      kind: 'forbidden',
    });
    await expect(standbyState(system.deps, other.principal, me.patientId)).rejects.toMatchObject({ kind: 'forbidden' });
  });

  test.each([
    ['to', wishes({ from: '2026-02-10', to: '2026-02-01' })],
    ['to', wishes({ from: '2026-01-12', to: '2026-06-30' })],
    ['maxKm', wishes({ maxKm: 1000 })],
    ['vaccineIds', wishes({ vaccineIds: ['no-such-vaccine'] })],
    ['postalCode', wishes({ postalCode: '00/950' })],
  ])('a bad %s is a 400 naming the field', async (field, input) => {
    const me = await system.newPatient();
    await expect(joinStandby(system.deps, centres, me.principal, me.patientId, input)).rejects.toMatchObject({
      kind: 'invalid',
      field,
    });
    expect(await system.store.getStandbyEntry(me.patientId)).toBeNull();
  });
});

describe('offers', () => {
  test('taking a place brings the visit forward, and the second dose with it when it would fall out of interval', async () => {
    const me = await system.newPatient();
    const slot = await system.slotAt(centre, '2026-03-02', '10:00');
    const booked = await bookAppointment(system.deps, me.principal, {
      patientId: me.patientId,
      slotId: slot.id,
      idempotencyKey: null,
    });
    const [, secondBefore] = booked.appointments;
    await joinStandby(system.deps, centres, me.principal, me.patientId, wishes());

    await freeAPlace();
    const offer = (await standbyState(system.deps, me.principal, me.patientId)).offer;
    expect(offer).toMatchObject({ localStart: '2026-02-03T10:00', dose: 1, status: 'open' });

    await takeStandbyOffer(system.deps, me.principal, { patientId: me.patientId, offerId: offer?.id ?? '' });

    const visits = (await system.store.listAppointmentsOfPatient(me.patientId)).filter((a) => a.status === 'booked');
    const [first, second] = visits.sort((a, b) => a.dose - b.dose);
    expect(first?.start.slice(0, 10)).toBe('2026-02-03');
    // 42 days at most after the first: the second dose moved from 2026-03-23 into the interval.
    expect(second?.id).toBe(secondBefore?.id);
    expect(second?.start).not.toBe(secondBefore?.start);
    expect(Date.parse(second?.start ?? '') - Date.parse(first?.start ?? '')).toBeLessThanOrEqual(42 * 86_400_000);
    expect((await standbyState(system.deps, me.principal, me.patientId)).entry?.status).toBe('placed');
    expect(system.store.eventsOfType('standby.taken')).toHaveLength(1);
  });

  test('passing an offer hands the place to the next person; the first stays in line', async () => {
    const first = await system.newPatient();
    const second = await another();
    await joinStandby(system.deps, centres, first.principal, first.patientId, wishes());
    await joinStandby(system.deps, centres, second.principal, second.patientId, wishes());
    await freeAPlace();
    const offer = (await standbyState(system.deps, first.principal, first.patientId)).offer;

    const passed = await passStandbyOffer(system.deps, first.principal, {
      patientId: first.patientId,
      offerId: offer?.id ?? '',
    });

    expect(passed.standby.entry?.status).toBe('waiting');
    const handed = (await standbyState(system.deps, second.principal, second.patientId)).offer;
    expect(handed?.slotId).toBe(offer?.slotId);
    expect(system.store.eventsOfType('standby.offered').at(-1)?.data.handedOverFrom).toBe(offer?.id);
  });

  test('leaving while holding an offer passes it on', async () => {
    const first = await system.newPatient();
    const second = await another();
    await joinStandby(system.deps, centres, first.principal, first.patientId, wishes());
    await joinStandby(system.deps, centres, second.principal, second.patientId, wishes());
    await freeAPlace();

    const left = await leaveStandby(system.deps, first.principal, first.patientId);

    expect(left.entry?.status).toBe('left');
    expect(left.offers[0]?.status).toBe('declined');
    expect((await standbyState(system.deps, second.principal, second.patientId)).offer?.status).toBe('open');
  });

  test('an offer lapses after its hold and goes to the next person', async () => {
    const first = await system.newPatient();
    const second = await another();
    await joinStandby(system.deps, centres, first.principal, first.patientId, wishes());
    await joinStandby(system.deps, centres, second.principal, second.patientId, wishes());
    await freeAPlace();
    system.clock.advanceMinutes(system.deps.settings.standby.holdMinutes);

    const run = await standbyTick(system.deps);

    expect(run.expired).toBe(1);
    const lapsed = await standbyState(system.deps, first.principal, first.patientId);
    expect(lapsed.entry).toMatchObject({ status: 'waiting', silentOffers: 1 });
    expect((await standbyState(system.deps, second.principal, second.patientId)).offer?.status).toBe('open');
  });
});

describe('doses that would be wasted', () => {
  const input = { vaccineId: 'comirnaty', doses: 3, until: '15:00' };

  test('the centre’s staff note today’s places, and they go first to people near the centre', async () => {
    const staff = await system.addStaff(centre, 'st-1');
    const far = await system.newPatient();
    const near = await system.newPatient({ born: 1951 });
    await joinStandby(system.deps, centres, far.principal, far.patientId, wishes({ postalCode: '00-950', maxKm: 50 }));
    await system.store.runInTransaction(async (tx) => {
      const entry = await tx.getStandbyEntry(far.patientId);
      // About 40 km from the centre: within the person's reach, beyond the centre's.
      if (entry)
        tx.putStandbyEntry({ ...entry, position: { lat: centre.location.lat + 0.36, lon: centre.location.lon } });
    });
    await joinStandby(system.deps, centres, near.principal, near.patientId, wishes());

    const result = await noteWouldBeWasted(system.deps, staff, centre.id, input);
    expect(result.slots.reduce((n, s) => n + s.free, 0)).toBe(3);
    await standbyTick(system.deps);

    const first = system.store.eventsOfType('standby.offered')[0];
    expect(first?.data).toMatchObject({ patientId: near.patientId, placeReason: 'would_be_wasted' });
  });

  test('as many places are offered as there are doses, the soonest first, however many are free that day', async () => {
    const staff = await system.addStaff(centre, 'st-1');
    for (let i = 0; i < 5; i++) {
      const person = await system.newPatient({ born: 1950 + i });
      // Each with a phone of their own: one phone holds one offer at a time.
      await system.store.runInTransaction(async (tx) => {
        const patient = await tx.getPatient(person.patientId);
        if (patient) tx.putPatient({ ...patient, phone: `+4860099900${i}` });
      });
      await joinStandby(system.deps, centres, person.principal, person.patientId, wishes());
    }
    const result = await noteWouldBeWasted(system.deps, staff, centre.id, input);
    const starts = result.slots.map((s) => s.start);
    expect(starts).toEqual([...starts].sort());
    await standbyTick(system.deps);
    await standbyTick(system.deps);
    const offered = system.store.eventsOfType('standby.offered');
    expect(offered).toHaveLength(3);
    expect(new Set(offered.map((e) => e.data.slotId))).toEqual(new Set(result.slots.map((s) => s.slotId)));
  });

  test('only that centre’s staff may say so', async () => {
    const other = await system.addCentre();
    const elsewhere = await system.addStaff(other, 'st-2');
    const patient = await system.newPatient();
    await expect(noteWouldBeWasted(system.deps, elsewhere, centre.id, input)).rejects.toMatchObject({
      kind: 'forbidden',
    });
    await expect(noteWouldBeWasted(system.deps, patient.principal, centre.id, input)).rejects.toMatchObject({
      kind: 'forbidden',
    });
  });

  test('a time already past is a 400 naming the field', async () => {
    const staff = await system.addStaff(centre, 'st-1');
    await expect(noteWouldBeWasted(system.deps, staff, centre.id, { ...input, until: '07:00' })).rejects.toMatchObject({
      kind: 'invalid',
      field: 'until',
    });
  });
});
