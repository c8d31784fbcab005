import type { Vaccine } from '../model.ts';
import type { Principal } from '../principal.ts';
import { aBirthYearRule, createMemorySystem, type MemorySystem } from '../testing/index.ts';
import { VaccineCatalogue } from '../vaccine-catalogue.ts';
import { VACCINES } from '../vaccines.ts';
import { adminVaccines, saveVaccine, vaccineImpact } from './admin-vaccines.ts';
import { bookAppointment } from './book-appointment.ts';

let system: MemorySystem;

// The clock stands on Monday 2026-01-12, 08:00 in Warsaw.
const TUESDAY = '2026-01-13';
const admin: Principal = { role: 'admin', adminId: 'admin-1' };

beforeEach(async () => {
  system = createMemorySystem();
  await system.addRule(aBirthYearRule(1970));
});

const comirnaty = (overrides: Partial<Vaccine> = {}): Vaccine => ({
  ...(VACCINES.find((v) => v.id === 'comirnaty') as Vaccine),
  ...overrides,
});

describe('the stored catalogue', () => {
  test('is seeded from the built-in list on first use, once', async () => {
    expect(await system.store.listVaccines()).toEqual([]);

    const { vaccines } = await adminVaccines(system.deps, admin);
    await adminVaccines(system.deps, admin);

    expect(vaccines.map((v) => v.id).sort()).toEqual(VACCINES.map((v) => v.id).sort());
    expect(await system.store.listVaccines()).toHaveLength(VACCINES.length);
  });

  test('a save changes the catalogue in force in this process at once, and in another on its refresh', async () => {
    const elsewhere = new VaccineCatalogue(system.store, VACCINES, 0);

    await saveVaccine(system.deps, admin, 'comirnaty', {
      vaccine: comirnaty({ minAgeYears: 16 }),
      acknowledgedAffected: 0,
    });

    expect(system.deps.vaccines.find((v) => v.id === 'comirnaty')?.minAgeYears).toBe(16);
    expect(elsewhere.vaccines.find((v) => v.id === 'comirnaty')?.minAgeYears).toBe(12);
    await elsewhere.refresh();
    expect(elsewhere.vaccines.find((v) => v.id === 'comirnaty')?.minAgeYears).toBe(16);
  });
});

describe('the impact of a change', () => {
  test('a shortened maximum interval lists exactly the second doses it puts out of reach', async () => {
    const centre = await system.addCentre();
    // Booked with the soonest second dose: 21 days after the first.
    const [, soon] = await system.bookCourse(centre, TUESDAY, '09:00');
    // Moved as late as the interval allowed: 42 days after.
    const { patientId, principal } = await system.newPatient();
    const first = await system.slotAt(centre, TUESDAY, '10:00');
    const late = await system.slotAt(centre, '2026-02-24', '10:00');
    const booked = await bookAppointment(system.deps, principal, {
      patientId,
      slotId: first.id,
      nextSlotId: late.id,
      idempotencyKey: null,
    });
    const lateDose = booked.appointments.find((a) => a.dose === 2);

    const impact = await vaccineImpact(
      system.deps,
      admin,
      comirnaty({ maxIntervalDays: 30, recommendedIntervalDays: 21 }),
    );

    expect(impact).toEqual({
      total: 1,
      affected: [
        {
          appointmentId: lateDose?.id,
          bookingReference: lateDose?.reference,
          centreId: centre.id,
          centreName: centre.name,
          start: late.start,
          dose: 2,
          problem: 'interval',
        },
      ],
    });
    expect(impact.affected.map((a) => a.appointmentId)).not.toContain(soon.id);
  });

  test('a withdrawn product lists its booked first doses, not the second doses of courses begun', async () => {
    const centre = await system.addCentre();
    const [first, second] = await system.bookCourse(centre, TUESDAY, '09:00');

    const impact = await vaccineImpact(system.deps, admin, comirnaty({ withdrawn: true }));

    expect(impact.affected.map((a) => [a.appointmentId, a.problem])).toEqual([[first.id, 'withdrawn']]);
    expect(impact.affected.map((a) => a.appointmentId)).not.toContain(second.id);
  });

  test('a raised minimum age lists the visits of people younger than it on the day', async () => {
    const centre = await system.addCentre();
    await system.addRule(aBirthYearRule(2026));
    const [older] = await system.bookCourse(centre, TUESDAY, '09:00');
    const { patientId, principal } = await system.newPatient({ born: 2010 });
    const slotId = (await system.slotAt(centre, TUESDAY, '10:00')).id;
    const young = await bookAppointment(system.deps, principal, { patientId, slotId, idempotencyKey: null });

    const impact = await vaccineImpact(system.deps, admin, comirnaty({ minAgeYears: 18 }));

    expect(
      impact.affected
        .filter((a) => a.problem === 'age')
        .map((a) => a.appointmentId)
        .sort(),
    ).toEqual(young.appointments.map((a) => a.id).sort());
    expect(impact.affected.map((a) => a.appointmentId)).not.toContain(older.id);
  });

  test('refuses a definition out of range, naming the field', async () => {
    for (const [vaccine, field] of [
      [comirnaty({ doses: 4 }), 'vaccine.doses'],
      [comirnaty({ maxIntervalDays: 400 }), 'vaccine.maxIntervalDays'],
      [comirnaty({ recommendedIntervalDays: 10 }), 'vaccine.recommendedIntervalDays'],
      [comirnaty({ recommendedIntervalDays: 50 }), 'vaccine.maxIntervalDays'],
      [comirnaty({ minAgeYears: 121 }), 'vaccine.minAgeYears'],
      [comirnaty({ mayFollow: ['nope'] }), 'vaccine.mayFollow.0'],
    ] as const) {
      await expect(vaccineImpact(system.deps, admin, vaccine)).rejects.toMatchObject({ kind: 'invalid', field });
    }
  });
});

describe('saving a product', () => {
  test('is refused with the impact until its count is acknowledged, and then leaves the visits as booked', async () => {
    const centre = await system.addCentre();
    const [first] = await system.bookCourse(centre, TUESDAY, '09:00');
    const before = await system.stored(first.id);
    const withdrawn = comirnaty({ withdrawn: true });

    await expect(
      saveVaccine(system.deps, admin, 'comirnaty', { vaccine: withdrawn, acknowledgedAffected: 0 }),
    ).rejects.toMatchObject({
      kind: 'conflict',
      code: 'IMPACT_NOT_ACKNOWLEDGED',
      details: { total: 1, affected: [expect.objectContaining({ appointmentId: first.id, problem: 'withdrawn' })] },
    });
    expect(system.store.eventsOfType('vaccine.changed')).toEqual([]);

    const saved = await saveVaccine(system.deps, admin, 'comirnaty', { vaccine: withdrawn, acknowledgedAffected: 1 });

    expect(saved).toMatchObject({ affected: 1, vaccine: { id: 'comirnaty', withdrawn: true } });
    expect(await system.stored(first.id)).toEqual(before);
    expect(system.store.eventsOfType('vaccine.changed')).toEqual([
      expect.objectContaining({
        data: { vaccineId: 'comirnaty', added: false, withdrawn: true, affected: 1 },
      }),
    ]);
    expect((await system.store.queryAudit({ limit: 5, action: 'change-vaccine' })).length).toBe(1);
    // No new first dose of it from now on.
    const { patientId, principal } = await system.newPatient();
    const slotId = (await system.slotAt(centre, TUESDAY, '11:00')).id;
    await expect(
      bookAppointment(system.deps, principal, { patientId, slotId, idempotencyKey: null }),
    ).rejects.toMatchObject({ code: 'WRONG_VACCINE_FOR_DOSE' });
  });

  test('adds an unknown product, fully checked', async () => {
    const novel: Vaccine = {
      id: 'nuvaxovid',
      name: 'Nuvaxovid',
      manufacturer: 'Novavax',
      platform: 'vector',
      doses: 2,
      minIntervalDays: 21,
      recommendedIntervalDays: 21,
      maxIntervalDays: 42,
      minAgeYears: 18,
      usableAsBooster: true,
      mayFollow: ['comirnaty', 'nuvaxovid'],
    };

    const saved = await saveVaccine(system.deps, admin, 'nuvaxovid', { vaccine: novel, acknowledgedAffected: 0 });

    expect(saved.vaccine).toEqual(novel);
    expect((await system.store.listVaccines()).map((v) => v.id)).toContain('nuvaxovid');
    expect(system.deps.vaccines.map((v) => v.id)).toContain('nuvaxovid');
    expect(system.store.eventsOfType('vaccine.changed')[0]?.data.added).toBe(true);
  });

  test('refuses a body whose id is not the one in the address', async () => {
    await expect(
      saveVaccine(system.deps, admin, 'spikevax', { vaccine: comirnaty(), acknowledgedAffected: 0 }),
    ).rejects.toMatchObject({ kind: 'invalid', field: 'vaccine.id' });
  });
});
