import { aBirthYearRule, aCitizen, createMemorySystem, type MemorySystem } from '../testing/index.ts';
import { enrolPatient, login, whoAmI } from './login.ts';

let system: MemorySystem;

beforeEach(async () => {
  system = createMemorySystem();
  await system.addRule(aBirthYearRule(1970));
});

describe('logging in', () => {
  test('a first login registers the person from the PESEL and issues a referral, with an event for each', async () => {
    const citizen = aCitizen({ born: 1950, sex: 'female' });

    const result = await login(system.deps, JSON.stringify(citizen));

    expect(result.patient).toMatchObject({ pesel: citizen.pesel, birthDate: citizen.birthDate, sex: 'female' });
    expect(result.eligibility).toMatchObject({ eligible: true });
    expect(result.referral).toMatchObject({ patientId: result.patient.id, ruleId: 'born-1970' });
    expect(system.store.events().map((e) => [e.type, e.subjectId])).toEqual([
      ['patient.registered.v2', result.patient.id],
      ['referral.issued', result.patient.id],
    ]);
    expect(system.store.eventsOfType('patient.registered.v2')[0]?.data).toEqual({
      patientId: result.patient.id,
      birthYear: 1950,
      sex: 'female',
    });
  });

  test('logging in again finds the same person and writes nothing new', async () => {
    const citizen = aCitizen();
    const first = await login(system.deps, JSON.stringify(citizen));
    const before = system.store.counts();

    const again = await login(system.deps, JSON.stringify(citizen));

    expect(again.patient).toEqual(first.patient);
    expect(again.referral).toEqual(first.referral);
    expect(system.store.counts()).toEqual(before);
  });

  test('a later login takes the provider’s names and keeps the phone the record already has', async () => {
    const citizen = aCitizen();
    const first = await login(system.deps, JSON.stringify(citizen));

    const renamed = { ...citizen, familyName: 'Nowak-Testowa', phone: '+48609999999' };
    const again = await login(system.deps, JSON.stringify(renamed));

    expect(again.patient).toEqual({ ...first.patient, familyName: 'Nowak-Testowa' });
    expect(await system.store.getPatient(first.patient.id)).toEqual(again.patient);
    expect(system.store.eventsOfType('patient.contact_changed')).toEqual([]);
  });

  test('a person not yet eligible is registered, told from when, and given no referral', async () => {
    await system.addRule(aBirthYearRule(1990, '2026-02-01'));

    const result = await login(system.deps, JSON.stringify(aCitizen({ born: 1985 })));

    expect(result.eligibility).toMatchObject({ eligible: false, code: 'NOT_YET_ELIGIBLE', eligibleFrom: '2026-02-01' });
    expect(result.referral).toBeNull();
    expect(system.store.eventsOfType('patient.registered.v2')).toHaveLength(1);
    expect(system.store.eventsOfType('referral.issued')).toEqual([]);
  });

  test('a number that cannot take text messages is not kept', async () => {
    const result = await login(system.deps, JSON.stringify({ ...aCitizen(), phone: '+48221234567' }));

    expect(result.patient.phone).toBeNull();
  });

  test('a record without a phone takes the provider’s mobile, written as E.164, and never a landline', async () => {
    const bySms = aCitizen({ born: 1950 });
    const landline = aCitizen({ born: 1951 });
    for (const person of [bySms, landline]) {
      await system.store.runInTransaction((tx) =>
        enrolPatient(system.deps, tx, { pesel: person.pesel, language: 'pl', verified: null }),
      );
    }

    const mobile = await login(system.deps, JSON.stringify({ ...bySms, phone: '600 100 200' }));
    const fixed = await login(system.deps, JSON.stringify({ ...landline, phone: '+48 22 123 45 67' }));

    expect(mobile.patient).toMatchObject({ givenName: bySms.givenName, phone: '+48600100200' });
    expect(fixed.patient).toMatchObject({ givenName: landline.givenName, phone: null });
  });

  test('a missing assertion is refused naming it', async () => {
    await expect(login(system.deps, '')).rejects.toMatchObject({ kind: 'invalid', field: 'assertion' });
    expect(system.store.counts().patients).toBe(0);
  });

  test('an assertion is exchanged once: a replay is refused ASSERTION_USED and writes nothing', async () => {
    const assertion = JSON.stringify({ ...aCitizen(), jti: 'idp-1', expiresAt: '2026-01-12T07:05:00.000Z' });
    await login(system.deps, assertion);
    const before = system.store.counts();

    await expect(login(system.deps, assertion)).rejects.toMatchObject({
      kind: 'unauthenticated',
      code: 'ASSERTION_USED',
    });
    expect(system.store.counts()).toEqual(before);
  });

  test('parallel logins with one assertion give one session', async () => {
    const assertion = JSON.stringify({ ...aCitizen(), jti: 'idp-2' });

    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => login(system.deps, assertion)));

    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(outcomes.flatMap((o) => (o.status === 'rejected' ? [(o.reason as { code: string }).code] : []))).toEqual(
      Array(4).fill('ASSERTION_USED'),
    );
  });

  test('a login that fails leaves its assertion unused, so the person can try it again', async () => {
    const assertion = JSON.stringify({ ...aCitizen(), jti: 'idp-3' });
    const ids = system.deps.ids;
    const failing = {
      ...system.deps,
      ids: {
        ...system.deps.ids,
        next: () => {
          throw new Error('the store went away');
        },
      },
    };

    await expect(login(failing, assertion)).rejects.toThrow('the store went away');

    await expect(login({ ...system.deps, ids }, assertion)).resolves.toMatchObject({ eligibility: { eligible: true } });
  });

  test('who am I answers a patient’s record, eligibility today and referral', async () => {
    const { patientId, principal } = await system.newPatient();

    const me = await whoAmI(system.deps, principal);

    expect(me.patient?.id).toBe(patientId);
    expect(me.eligibility).toMatchObject({ eligible: true });
    expect(me.referral?.patientId).toBe(patientId);
    expect(me.hotlineSession).toBeNull();
  });

  test('who am I tells an agent how long the session lasts unused and when it ends in any case', async () => {
    const principal = {
      role: 'agent' as const,
      agentId: 'agent-1',
      session: { id: 'sgn-1', startedAt: '2026-01-12T07:30:00.000Z' },
    };

    const me = await whoAmI(system.deps, principal);

    expect(me.hotlineSession).toEqual({
      idleMinutes: system.deps.settings.hotlineIdleMinutes,
      endsAt: new Date(
        Date.parse('2026-01-12T07:30:00.000Z') + system.deps.settings.hotlineSessionHours * 3_600_000,
      ).toISOString(),
    });
    expect(await whoAmI(system.deps, { role: 'agent', agentId: 'agent-1' })).toMatchObject({ hotlineSession: null });
  });

  test('who am I answers an analyst and an administrator with who they are, and no one’s record', async () => {
    const analyst = { role: 'analyst' as const, analystId: 'analyst-1' };
    const admin = { role: 'admin' as const, adminId: 'admin-1' };

    for (const principal of [analyst, admin]) {
      expect(await whoAmI(system.deps, principal)).toEqual({
        principal,
        staff: null,
        patient: null,
        eligibility: null,
        referral: null,
        hotlineSession: null,
      });
    }
  });
});
