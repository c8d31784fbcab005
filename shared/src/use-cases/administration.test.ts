import type { EligibilityRule } from '../model.ts';
import type { Principal } from '../principal.ts';
import {
  aBirthYearRule,
  aCentre,
  aCitizen,
  aSchedule,
  createMemorySystem,
  type MemorySystem,
} from '../testing/index.ts';
import { grantGroup, onboardCentre } from './administration.ts';
import { bookAppointment } from './book-appointment.ts';
import { login } from './login.ts';

let system: MemorySystem;

// The clock stands on Monday 2026-01-12, 08:00 in Warsaw.
const MONDAY = '2026-01-12';
const TUESDAY = '2026-01-13';

beforeEach(async () => {
  system = createMemorySystem();
  await system.addRule(aBirthYearRule(1970));
});

const admin: Principal = { role: 'admin', adminId: 'admin-1' };
const agent: Principal = { role: 'agent', agentId: 'agent-7' };

describe('referring to a priority group', () => {
  test('a person referred to a group that a rule opens can book, under that rule', async () => {
    const centre = await system.addCentre();
    const { patientId, pesel, principal } = await system.newPatient({ born: 1990 });
    const slotId = (await system.slotAt(centre, TUESDAY, '09:00')).id;
    await expect(
      bookAppointment(system.deps, principal, { patientId, slotId, idempotencyKey: null }),
    ).rejects.toMatchObject({ code: 'NOT_ELIGIBLE' });

    const rule: EligibilityRule = {
      id: 'group-medical',
      kind: 'group',
      group: 'medical',
      from: MONDAY,
      description: 'Priority group: medical',
    };
    await system.addRule(rule);
    const granted = await grantGroup(system.deps, admin, { pesel, group: 'medical', reason: 'hospital staff list' });
    const booked = await bookAppointment(system.deps, principal, { patientId, slotId, idempotencyKey: null });

    expect(granted).toEqual({ group: 'medical', referred: true });
    expect((await system.store.getPatient(patientId))?.groups).toEqual(['medical']);
    expect(booked.appointments.map((a) => a.dose)).toEqual([1, 2]);
    const referral = await system.store.runInTransaction((tx) => tx.getReferral(patientId));
    expect(referral?.ruleId).toBe(rule.id);
    expect((await system.store.listAudit(patientId)).filter((a) => a.action === 'grant-group')).toEqual([
      expect.objectContaining({ actor: { role: 'admin', id: 'admin-1' }, reason: 'hospital staff list' }),
    ]);
  });

  test('tells the warehouse the whole set of groups each time it changes, and only then', async () => {
    const { patientId, pesel } = await system.newPatient({ born: 1990 });

    await grantGroup(system.deps, admin, { pesel, group: 'teachers', reason: 'school list' });
    await grantGroup(system.deps, admin, { pesel, group: 'medical', reason: 'hospital staff list' });
    await grantGroup(system.deps, admin, { pesel, group: 'medical', reason: 'sent twice' });

    expect(system.store.eventsOfType('patient.groups_changed').map((e) => [e.subjectId, e.data])).toEqual([
      [patientId, { patientId, groups: ['teachers'] }],
      [patientId, { patientId, groups: ['medical', 'teachers'] }],
    ]);
  });

  test('answers a PESEL nobody registered with exactly as a registered one, and the person gets the group at first login', async () => {
    const { pesel: registered } = await system.newPatient({ born: 1990 });
    const stranger = aCitizen({ born: 1991 });

    const answers = [
      await grantGroup(system.deps, admin, { pesel: registered, group: 'medical', reason: 'hospital staff list' }),
      await grantGroup(system.deps, admin, { pesel: stranger.pesel, group: 'medical', reason: 'hospital staff list' }),
    ];
    const { patient } = await login(system.deps, JSON.stringify(stranger));

    expect(answers[0]).toEqual(answers[1]);
    expect(patient.groups).toEqual(['medical']);
  });

  test('an agent cannot refer anyone to a priority group', async () => {
    const { patientId, pesel } = await system.newPatient({ born: 1990 });

    await expect(
      grantGroup(system.deps, agent, { pesel, group: 'medical', reason: 'caller says she is a nurse' }),
    ).rejects.toMatchObject({ kind: 'forbidden', code: 'ROLE_NOT_ALLOWED' });
    expect((await system.store.getPatient(patientId))?.groups).toEqual([]);
  });
});

describe('onboarding a centre', () => {
  const input = (overrides: Partial<Parameters<typeof onboardCentre>[2]> = {}) => {
    // What an administrator types in for a centre: the builder's centre without its id.
    const { name, address, location, timeZone, phone } = aCentre();
    return {
      name,
      address,
      location,
      timeZone,
      phone,
      schedule: aSchedule(),
      staff: [{ name: 'Ewa Nowak', email: 'Ewa.Nowak@example.pl', role: 'centre-manager' as const }],
      ...overrides,
    };
  };

  test('adds the centre and its staff with an event and publishes its slots to the horizon', async () => {
    const result = await onboardCentre(system.deps, admin, input());

    const { centre } = result;
    expect(await system.store.getCentre(centre.id)).toEqual(centre);
    expect(await system.store.listStaffOfCentre(centre.id)).toEqual([
      expect.objectContaining({ name: 'Ewa Nowak', email: 'ewa.nowak@example.pl', centreId: centre.id }),
    ]);
    expect(system.store.eventsOfType('centre.onboarded')).toEqual([
      expect.objectContaining({ subjectId: centre.id, data: expect.objectContaining({ staff: 1 }) }),
    ]);
    expect(result.slotsCreated).toBe(system.store.slotsOfCentre(centre.id).length);
    expect(result.slotsCreated).toBeGreaterThan(0);
    expect(await system.store.getPublishedThrough(centre.id)).toBe('2026-03-23');
  });

  test('two staff members with one e-mail are refused naming the second, and nothing is written', async () => {
    const before = system.store.counts();

    await expect(
      onboardCentre(
        system.deps,
        admin,
        input({
          staff: [
            { name: 'Ewa Nowak', email: 'ewa@example.pl' },
            { name: 'Jan Nowak', email: 'EWA@example.pl', role: 'centre-manager' },
          ],
        }),
      ),
    ).rejects.toMatchObject({ kind: 'invalid', code: 'DUPLICATE_EMAIL', field: 'staff.1.email' });

    expect(system.store.counts()).toEqual(before);
  });

  test('keeps the TERC code of the centre’s gmina, for reports by voivodeship, powiat and gmina', async () => {
    const address = { ...input().address, city: 'Warszawa', voivodeship: 'mazowieckie', teryt: '1465011' };

    const { centre } = await onboardCentre(system.deps, admin, input({ address }));

    expect((await system.store.getCentre(centre.id))?.address.teryt).toBe('1465011');
  });

  test.each([
    ['not a gmina code', '1465016', 'INVALID_TERYT'],
    ['of no voivodeship', '0364011', 'INVALID_TERYT'],
    ['of another voivodeship than the address', '0264011', 'TERYT_OUTSIDE_VOIVODESHIP'],
  ])('refuses a gmina code %s, naming the field, and writes nothing', async (_, teryt, code) => {
    const before = system.store.counts();
    const address = { ...input().address, voivodeship: 'mazowieckie', teryt };

    await expect(onboardCentre(system.deps, admin, input({ address }))).rejects.toMatchObject({
      kind: 'invalid',
      code,
      field: 'address.teryt',
    });
    expect(system.store.counts()).toEqual(before);
  });

  it('refuses a centre without a manager, who alone can change its schedule', async () => {
    const before = system.store.counts();
    await expect(
      onboardCentre(system.deps, admin, input({ staff: [{ name: 'Ewa Nowak', email: 'ewa@example.pl' }] })),
    ).rejects.toMatchObject({ kind: 'invalid', code: 'MANAGER_REQUIRED', field: 'staff' });
    expect(system.store.counts()).toEqual(before);
  });
});
