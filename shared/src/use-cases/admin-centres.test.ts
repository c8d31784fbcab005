import { CentreDirectory } from '../centre-directory.ts';
import { PostalCodes } from '../postal-codes.ts';
import type { Principal } from '../principal.ts';
import { aBirthYearRule, aCentre, aSchedule, createMemorySystem, type MemorySystem } from '../testing/index.ts';
import { addDays } from '../time-zone.ts';
import { adminCentre, closeCentre, inviteStaff, resumeCentre, searchCentres, suspendCentre } from './admin-centres.ts';
import { onboardCentre } from './administration.ts';
import { bookAppointment } from './book-appointment.ts';
import { changeSchedule } from './centre-schedule.ts';
import { publishDueSlots } from './publish-slots.ts';
import { searchSlots } from './search-slots.ts';

let system: MemorySystem;

// The clock stands on Monday 2026-01-12, 08:00 in Warsaw.
const TUESDAY = '2026-01-13';
const admin: Principal = { role: 'admin', adminId: 'admin-1' };

beforeEach(async () => {
  system = createMemorySystem();
  await system.addRule(aBirthYearRule(1970));
});

const searchFrom = (postalCode = '00-950') =>
  searchSlots(system.deps, new CentreDirectory(system.store, system.clock, PostalCodes.areasOnly(), 0, 0), {
    postalCode,
    vaccineId: 'comirnaty',
  });

describe('finding centres', () => {
  test('by part of the name or town, whatever the case and the Polish letters, by voivodeship and by status', async () => {
    const lodz = await system.addCentre({
      name: 'Punkt Szczepień Bałuty',
      address: { street: 'ul. Zgierska 1', postalCode: '91-001', city: 'Łódź', voivodeship: 'lodzkie' },
    });
    const warsaw = await system.addCentre({ name: 'Szpital Żoliborz' });
    await suspendCentre(system.deps, admin, warsaw.id, { reason: 'cold chain inspection' });

    const ids = async (query: Parameters<typeof searchCentres>[2]) =>
      (await searchCentres(system.deps, admin, query)).centres.map((c) => c.id);
    expect(await ids({ q: 'LODZ' })).toEqual([lodz.id]);
    expect(await ids({ q: 'baluty' })).toEqual([lodz.id]);
    expect(await ids({ q: 'zoliborz' })).toEqual([warsaw.id]);
    expect(await ids({ voivodeship: 'lodzkie' })).toEqual([lodz.id]);
    expect(await ids({ status: 'suspended' })).toEqual([warsaw.id]);
    expect(await ids({ status: 'active', q: 'szpital' })).toEqual([]);
    expect((await searchCentres(system.deps, admin, { q: 'łódź' })).centres[0]?.status).toBe('active');
  });

  test('refuses an unknown voivodeship naming the field, and anyone but an administrator', async () => {
    await expect(searchCentres(system.deps, admin, { voivodeship: 'mazovia' })).rejects.toMatchObject({
      kind: 'invalid',
      field: 'voivodeship',
    });
    await expect(searchCentres(system.deps, { role: 'agent', agentId: 'agent-1' }, {})).rejects.toMatchObject({
      kind: 'forbidden',
    });
  });
});

describe('onboarding with products and a contact', () => {
  const input = (overrides: Partial<Parameters<typeof onboardCentre>[2]> = {}) => {
    const { name, address, location, timeZone, phone } = aCentre();
    return {
      name,
      address,
      location,
      timeZone,
      phone,
      schedule: aSchedule({ capacity: { comirnaty: 3 } }),
      staff: [{ name: 'Ewa Nowak', email: 'ewa@example.pl', role: 'centre-manager' as const }],
      ...overrides,
    };
  };

  test('keeps the products, the e-mail and the active status', async () => {
    const { centre } = await onboardCentre(
      system.deps,
      admin,
      input({ vaccineIds: ['spikevax', 'comirnaty'], email: 'Punkt@Example.pl' }),
    );

    expect(await system.store.getCentre(centre.id)).toMatchObject({
      vaccineIds: ['comirnaty', 'spikevax'],
      email: 'punkt@example.pl',
      status: 'active',
    });
  });

  test('refuses a schedule offering a product the centre may not give, naming it', async () => {
    await expect(onboardCentre(system.deps, admin, input({ vaccineIds: ['spikevax'] }))).rejects.toMatchObject({
      kind: 'invalid',
      code: 'PRODUCT_NOT_GIVEN_HERE',
      field: 'schedule.weekly.capacity.comirnaty',
    });
    await expect(onboardCentre(system.deps, admin, input({ vaccineIds: ['nope'] }))).rejects.toMatchObject({
      field: 'vaccineIds.0',
    });
    await expect(onboardCentre(system.deps, admin, input({ email: 'not an e-mail' }))).rejects.toMatchObject({
      field: 'email',
    });
  });

  test('its manager cannot later schedule a product the centre may not give', async () => {
    const { centre, staff } = await onboardCentre(system.deps, admin, input({ vaccineIds: ['comirnaty'] }));
    const manager: Principal = { role: 'centre-manager', staffId: staff[0]?.id ?? '', centreId: centre.id };

    await expect(
      changeSchedule(system.deps, manager, centre.id, aSchedule({ capacity: { comirnaty: 2, vaxzevria: 1 } })),
    ).rejects.toMatchObject({ kind: 'invalid', field: 'schedule.weekly.capacity.vaxzevria' });
  });
});

describe('suspending and resuming a centre', () => {
  test('a suspended centre is not searched, refuses bookings and keeps its visits; resumed, it is back', async () => {
    const centre = await system.addCentre();
    const [visit] = await system.bookCourse(centre, TUESDAY, '09:00');
    expect((await searchFrom()).results.map((r) => r.centre.id)).toEqual([centre.id]);

    await suspendCentre(system.deps, admin, centre.id, { reason: 'cold chain inspection' });

    expect((await searchFrom()).results).toEqual([]);
    const { patientId, principal } = await system.newPatient();
    const slotId = (await system.slotAt(centre, TUESDAY, '10:00')).id;
    await expect(
      bookAppointment(system.deps, principal, { patientId, slotId, idempotencyKey: null }),
    ).rejects.toMatchObject({ kind: 'conflict', code: 'CENTRE_SUSPENDED' });
    expect((await system.stored(visit.id)).status).toBe('booked');
    expect(system.store.eventsOfType('centre.suspended')).toEqual([
      expect.objectContaining({ subjectId: centre.id, data: { centreId: centre.id, reason: 'cold chain inspection' } }),
    ]);

    const resumed = await resumeCentre(system.deps, admin, centre.id);

    expect(resumed.centre.status).toBe('active');
    expect((await searchFrom()).results.map((r) => r.centre.id)).toEqual([centre.id]);
    const booked = await bookAppointment(system.deps, principal, { patientId, slotId, idempotencyKey: null });
    expect(booked.appointments).toHaveLength(2);
    expect(system.store.eventsOfType('centre.resumed')).toHaveLength(1);
    const actions = (await system.store.queryAudit({ limit: 10 })).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['suspend-centre', 'resume-centre']));
  });

  test('publishing pauses while suspended and catches up on resuming', async () => {
    const centre = await system.addCentre();
    await suspendCentre(system.deps, admin, centre.id, { reason: 'cold chain inspection' });
    const through = await system.store.getPublishedThrough(centre.id);
    system.clock.set('2026-01-20T07:00:00.000Z');

    await publishDueSlots(system.deps);
    expect(await system.store.getPublishedThrough(centre.id)).toBe(through);

    await resumeCentre(system.deps, admin, centre.id);
    expect(await system.store.getPublishedThrough(centre.id)).toBe(addDays('2026-01-20', 70));
  });

  test('suspending twice writes one event; a closed centre can be neither suspended nor resumed', async () => {
    const centre = await system.addCentre();
    await suspendCentre(system.deps, admin, centre.id, { reason: 'inspection' });
    await suspendCentre(system.deps, admin, centre.id, { reason: 'inspection' });
    expect(system.store.eventsOfType('centre.suspended')).toHaveLength(1);

    await closeCentre(system.deps, admin, centre.id, { reason: 'lease ended', from: TUESDAY });
    await expect(resumeCentre(system.deps, admin, centre.id)).rejects.toMatchObject({ code: 'CENTRE_CLOSED' });
    await expect(suspendCentre(system.deps, admin, centre.id, { reason: 'again' })).rejects.toMatchObject({
      code: 'CENTRE_CLOSED',
    });
  });
});

describe('closing a centre', () => {
  test('cancels every visit from the date as a cancelled day, keeps those before, and answers how many', async () => {
    const centre = await system.addCentre();
    const [early, earlySecond] = await system.bookCourse(centre, TUESDAY, '09:00');
    const [late, lateSecond] = await system.bookCourse(centre, '2026-01-20', '09:00');

    const closed = await closeCentre(system.deps, admin, centre.id, { reason: 'lease ended', from: '2026-01-20' });

    expect(closed.centre).toMatchObject({ status: 'closed', closedFrom: '2026-01-20' });
    expect((await system.stored(early.id)).status).toBe('booked');
    // Each second dose falls after the closing date: cancelled with the rest.
    for (const id of [earlySecond.id, late.id, lateSecond.id]) {
      expect((await system.stored(id)).cancellation).toMatchObject({ code: 'day_cancelled', reason: 'lease ended' });
    }
    expect(closed.cancelled).toBe(3);
    expect(
      system.store.slotsOfCentre(centre.id).every((s) => s.localDate < '2026-01-20' || s.booked === s.capacity),
    ).toBe(true);
    expect(system.store.eventsOfType('centre.closed')).toEqual([
      expect.objectContaining({
        data: { centreId: centre.id, from: '2026-01-20', reason: 'lease ended', cancelled: 3 },
      }),
    ]);
    expect((await searchFrom()).results).toEqual([]);
  });

  test('closing again cancels nothing more and writes no second event; nothing is published after it', async () => {
    const centre = await system.addCentre();
    await system.bookCourse(centre, TUESDAY, '09:00');
    await closeCentre(system.deps, admin, centre.id, { reason: 'lease ended', from: TUESDAY });

    const again = await closeCentre(system.deps, admin, centre.id, { reason: 'lease ended', from: TUESDAY });
    system.clock.set('2026-01-20T07:00:00.000Z');
    await publishDueSlots(system.deps);

    expect(again.cancelled).toBe(0);
    expect(system.store.eventsOfType('centre.closed')).toHaveLength(1);
    expect(system.store.slotsOfCentre(centre.id).filter((s) => s.localDate >= TUESDAY)).toEqual([]);
  });

  test('refuses a date in the past naming the field', async () => {
    const centre = await system.addCentre();
    await expect(
      closeCentre(system.deps, admin, centre.id, { reason: 'lease ended', from: '2026-01-11' }),
    ).rejects.toMatchObject({ kind: 'invalid', field: 'from' });
    expect((await system.store.getCentre(centre.id))?.status).toBeUndefined();
  });
});

describe('the ministry and a centre’s staff', () => {
  test('an administrator invites a manager with a sign-in, seen in the centre’s detail, audited', async () => {
    const centre = await system.addCentre();

    const { member } = await inviteStaff(system.deps, admin, centre.id, {
      name: 'Anna Kierownik',
      email: 'Anna@Example.pl',
      role: 'centre-manager',
    });

    const detail = await adminCentre(system.deps, admin, centre.id);
    expect(detail.staff).toEqual([expect.objectContaining({ id: member.id, email: 'anna@example.pl' })]);
    expect(detail.centre.status).toBe('active');
    expect(system.store.eventsOfType('staff.added')).toEqual([
      expect.objectContaining({
        actor: { role: 'admin', id: 'admin-1' },
        data: expect.objectContaining({ role: 'centre-manager' }),
      }),
    ]);
    expect((await system.store.queryAudit({ limit: 5, action: 'invite-staff' })).length).toBe(1);
    // The sign-in works: a session of the new member is accepted.
    const token = await system.deps.identity.issueSession({
      role: 'centre-manager',
      staffId: member.id,
      centreId: centre.id,
    });
    await expect(system.deps.identity.verifySession(token.token)).resolves.toMatchObject({ staffId: member.id });
  });

  test('a centre manager cannot use the ministry’s invitation', async () => {
    const centre = await system.addCentre();
    const manager: Principal = { role: 'centre-manager', staffId: 'm-1', centreId: centre.id };
    await expect(
      inviteStaff(system.deps, manager, centre.id, { name: 'Jan Nowy', email: 'jan@example.pl', role: 'staff' }),
    ).rejects.toMatchObject({ kind: 'forbidden' });
  });
});
