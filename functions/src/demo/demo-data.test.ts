import type { Centre } from '@ereg/shared';
import {
  bookAppointment,
  distanceKm,
  evaluateEligibility,
  isPolishPublicHoliday,
  LOT_NUMBER_PATTERN,
  parsePesel,
  parsePostalCode,
  VACCINES,
  VOIVODESHIPS,
  validateSchedule,
  voivodeshipOfGmina,
} from '@ereg/shared';
import { aBirthYearRule, createMemorySystem } from '@ereg/shared/testing';
import { polishPostalCodes } from '../adapters/geonames/postal-codes.ts';
import {
  buildDemoBatches,
  buildDemoCentres,
  buildDemoCitizens,
  buildDemoStaff,
  createRandom,
  DEMO_ADMIN,
  DEMO_ADMINS,
  DEMO_AGENTS,
  DEMO_CITIZENS_FEATURED,
  demoEligibilityRules,
  generateDemoCitizens,
} from './demo-data.ts';

const NOW = new Date('2026-11-23T10:00:00Z');
const TODAY = '2026-11-23';

const centres = (overrides: Partial<{ seed: number; count: number; now: Date }> = {}): Centre[] =>
  buildDemoCentres({ seed: 42, count: 200, now: NOW, ...overrides });

const citizens = (overrides: Partial<{ seed: number; count: number; today: string }> = {}) =>
  buildDemoCitizens({ seed: 42, count: 10_000, today: TODAY, ...overrides });

/** An independent PESEL checksum, so the test does not only trust the code that made the numbers. */
const checksumOk = (pesel: string): boolean => {
  const weights = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(pesel[i]), 0);
  return (10 - (sum % 10)) % 10 === Number(pesel[10]);
};

const countBy = <T>(items: readonly T[], key: (item: T) => string): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
};

describe('createRandom', () => {
  it('repeats the same sequence for the same seed', () => {
    const a = createRandom(7);
    const b = createRandom(7);
    expect(Array.from({ length: 20 }, a)).toEqual(Array.from({ length: 20 }, b));
  });

  it('gives a different sequence for another seed', () => {
    expect(Array.from({ length: 5 }, createRandom(1))).not.toEqual(Array.from({ length: 5 }, createRandom(2)));
  });

  it('returns numbers in [0, 1) spread over the whole range', () => {
    const random = createRandom(123);
    const values = Array.from({ length: 10_000 }, random);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const buckets = new Array(10).fill(0);
    for (const x of values) buckets[Math.floor(x * 10)]++;
    for (const n of buckets) expect(n).toBeGreaterThan(850);
  });
});

describe('buildDemoCentres', () => {
  it('builds the same centres for the same seed and different ones for another seed', () => {
    expect(centres()).toEqual(centres());
    expect(centres({ seed: 43 })).not.toEqual(centres());
  });

  it('builds exactly the requested number, numbered c-0001, c-0002, …', () => {
    const built = centres({ count: 30 });
    expect(built.map((c) => c.id)).toEqual(Array.from({ length: 30 }, (_, i) => `c-${String(i + 1).padStart(4, '0')}`));
  });

  it('puts exactly one centre in each voivodeship when asked for sixteen', () => {
    const counts = countBy(centres({ count: 16 }), (c) => c.address.voivodeship);
    expect([...counts.keys()].sort()).toEqual(VOIVODESHIPS.map((v) => v.id).sort());
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });

  it('covers all sixteen voivodeships and spreads the rest like the population', () => {
    const counts = countBy(centres({ count: 1000 }), (c) => c.address.voivodeship);
    expect(counts.size).toBe(16);
    const total = VOIVODESHIPS.reduce((sum, v) => sum + v.population, 0);
    for (const v of VOIVODESHIPS) {
      expect(Math.abs((counts.get(v.id) ?? 0) - (1000 * v.population) / total)).toBeLessThanOrEqual(2);
    }
  });

  it('starts in the capital of the most populous voivodeship', () => {
    expect(centres({ count: 5 })[0]?.address).toMatchObject({ city: 'Warszawa', voivodeship: 'mazowieckie' });
  });

  it('gives each centre the TERC code of its town’s gmina, in its own voivodeship', () => {
    const built = centres({ count: 500 });
    for (const centre of built) {
      expect(voivodeshipOfGmina(centre.address.teryt ?? '')?.slug).toBe(centre.address.voivodeship);
    }
    const codeOf = (city: string) => built.find((c) => c.address.city === city)?.address.teryt;
    expect(codeOf('Warszawa')).toBe('1465011');
    expect(codeOf('Kraków')).toBe('1261011');
    expect(codeOf('Wrocław')).toBe('0264011');
  });

  it('gives each centre a real postal code of its town, which the postal-code table places near it', () => {
    const table = polishPostalCodes();
    let atTown = 0;
    const built = centres({ count: 2000 });
    for (const centre of built) {
      expect(parsePostalCode(centre.address.postalCode)).toBe(centre.address.postalCode);
      const place = table.locate(centre.address.postalCode);
      expect(place).not.toBeNull();
      if (place?.precision === 'locality') {
        atTown++;
        // Centres lie up to 3 km from their town's point; GeoNames puts a few towns (Kutno) 8 km off theirs.
        expect(distanceKm(centre.location, place.location)).toBeLessThan(12);
      } else if (place) {
        expect(distanceKm(centre.location, place.location)).toBeLessThan(60);
      }
    }
    expect(atTown / built.length).toBeGreaterThan(0.95);
  });

  it('places centres of one town within a few kilometres of each other', () => {
    const byCity = new Map<string, Centre[]>();
    for (const c of centres({ count: 2000 })) byCity.set(c.address.city, [...(byCity.get(c.address.city) ?? []), c]);
    expect(byCity.size).toBeGreaterThan(100);
    for (const group of byCity.values()) {
      const first = group[0];
      if (!first) continue;
      for (const other of group) expect(distanceKm(first.location, other.location)).toBeLessThanOrEqual(6.01);
    }
  });

  it('names each centre after a facility in its town and gives it a street address and a Polish phone', () => {
    for (const c of centres()) {
      expect(c.name).toMatch(/^Punkt Szczepień — \S.*, (.+)$/);
      expect(c.name.endsWith(`, ${c.address.city}`)).toBe(true);
      expect(c.address.street).toMatch(/^(ul\.|al\.) .+ \d{1,3}[abc]?$/);
      expect(c.phone).toMatch(/^\+48[1-9]\d[2-8]\d{6}$/);
      expect(c.timeZone).toBe('Europe/Warsaw');
      expect(c.createdAt).toBe(NOW.toISOString());
    }
  });

  it('never gives two centres in one town the same name', () => {
    const names = centres({ count: 2000 }).map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('gives schedules the schedule rules accept, open on weekdays and never on Sunday', () => {
    const ids = VACCINES.map((v) => v.id);
    for (const c of centres()) {
      expect(() => validateSchedule(c.schedule, ids)).not.toThrow();
      const { days, slotMinutes, capacity } = c.schedule.weekly;
      const weekday = days.mon;
      expect([[{ from: '08:00', to: '16:00' }], [{ from: '08:00', to: '20:00' }]]).toContainEqual(weekday);
      for (const d of ['tue', 'wed', 'thu', 'fri'] as const) expect(days[d]).toEqual(weekday);
      expect([undefined, [{ from: '09:00', to: '14:00' }]]).toContainEqual(days.sat);
      expect(days.sun).toBeUndefined();
      expect([10, 15, 20]).toContain(slotMinutes);
      const offered = Object.entries(capacity);
      expect(offered.length).toBeGreaterThanOrEqual(1);
      expect(offered.length).toBeLessThanOrEqual(3);
      for (const [id, n] of offered) {
        expect(['comirnaty', 'spikevax', 'vaxzevria', 'jcovden']).toContain(id);
        expect(n).toBeGreaterThanOrEqual(1);
        expect(n).toBeLessThanOrEqual(6);
      }
    }
  });

  it('opens some centres for a few hours on the first public holiday after Christmas and New Year, and closes none', () => {
    const built = centres({ now: new Date('2026-12-04T10:00:00Z') });
    const opened = built.filter((c) => c.schedule.extraHours.length > 0);
    expect(opened.length).toBeGreaterThan(20);
    expect(opened.length).toBeLessThan(built.length - 20);
    for (const c of built) expect(c.schedule.closedDates).toEqual([]);
    for (const c of opened) {
      expect(c.schedule.extraHours).toEqual([{ date: '2027-01-06', from: expect.any(String), to: expect.any(String) }]);
      expect(isPolishPublicHoliday('2027-01-06')).toBe(true);
    }
  });

  it('varies hours, Saturdays, slot lengths and products between centres', () => {
    const built = centres();
    expect(new Set(built.map((c) => c.schedule.weekly.days.mon?.[0]?.to)).size).toBe(2);
    expect(new Set(built.map((c) => c.schedule.weekly.days.sat === undefined)).size).toBe(2);
    expect(new Set(built.map((c) => c.schedule.weekly.slotMinutes)).size).toBe(3);
    expect(new Set(built.flatMap((c) => Object.keys(c.schedule.weekly.capacity))).size).toBe(4);
  });

  it('builds nothing for a count of zero and refuses a negative count', () => {
    expect(centres({ count: 0 })).toEqual([]);
    expect(() => centres({ count: -1 })).toThrow(RangeError);
  });
});

describe('courses booked in the demo before Christmas', () => {
  it('never give a second dose on a public holiday: a first dose on 4 December is followed after the feast', async () => {
    const now = '2026-12-04T06:00:00.000Z';
    // Five weeks of slots reach past New Year, where 28-day courses from 4 December land.
    const system = createMemorySystem({ now, settings: { slotHorizonDays: 35 } });
    await system.addRule(aBirthYearRule(1970));
    const seconds: string[] = [];
    for (const demo of buildDemoCentres({ seed: 42, count: 16, now: new Date(now) })) {
      const centre = await system.addCentre(demo);
      for (const vaccineId of Object.keys(centre.schedule.weekly.capacity)) {
        if (vaccineId === 'jcovden') continue;
        const [slot] = await system.store.findFreeSlots({
          centreId: centre.id,
          vaccineIds: [vaccineId],
          from: now,
          to: null,
          limit: 1,
        });
        expect(slot?.localDate).toBe('2026-12-04');
        const { patientId } = await system.newPatient();
        const booked = await bookAppointment(
          system.deps,
          { role: 'patient', patientId },
          { patientId, slotId: slot!.id, idempotencyKey: null },
        );
        const second = booked.appointments[1]!;
        expect(isPolishPublicHoliday(second.localDate)).toBe(false);
        // Comirnaty's 21 days end on Christmas Day: the first open day after it is Monday 28 December.
        if (vaccineId === 'comirnaty') expect(second.localDate).toBe('2026-12-28');
        seconds.push(second.localDate);
      }
    }
    expect(seconds.length).toBeGreaterThan(16);
    expect(seconds).not.toContain('2026-12-25');
  });
});

describe('buildDemoBatches', () => {
  const now = new Date('2026-01-12T07:00:00.000Z');
  const centres = buildDemoCentres({ seed: 7, count: 40, now });
  let n = 0;
  const batches = buildDemoBatches(centres, { today: '2026-01-12', now, nextId: () => `bat-${++n}` });

  test('every centre has one or two active, unexpired batches of each product it offers, and none of others', () => {
    for (const centre of centres) {
      const offered = Object.keys(centre.schedule.weekly.capacity).sort();
      const held = batches.filter((b) => b.centreId === centre.id);
      expect([...new Set(held.map((b) => b.vaccineId))].sort()).toEqual(offered);
      for (const product of offered) {
        const count = held.filter((b) => b.vaccineId === product).length;
        expect(count === 1 || count === 2).toBe(true);
      }
    }
    expect(batches.every((b) => b.status === 'active' && b.expiry > '2026-01-12' && b.doses >= 10)).toBe(true);
  });

  test('lot numbers have the printed form and are unique per centre and product, ids unique', () => {
    expect(batches.filter((b) => !LOT_NUMBER_PATTERN.test(b.number))).toEqual([]);
    const keys = batches.map((b) => `${b.centreId}/${b.vaccineId}/${b.number}`);
    expect(new Set(keys).size).toBe(batches.length);
    expect(new Set(batches.map((b) => b.id)).size).toBe(batches.length);
  });
});

describe('buildDemoStaff', () => {
  const built = centres({ count: 50 });
  const staff = buildDemoStaff(built);

  it('gives every centre two or three staff members, exactly one of them its manager', () => {
    const perCentre = countBy(staff, (s) => s.centreId);
    const managers = countBy(
      staff.filter((s) => s.role === 'centre-manager'),
      (s) => s.centreId,
    );
    for (const c of built) {
      const n = perCentre.get(c.id) ?? 0;
      expect(n).toBeGreaterThanOrEqual(2);
      expect(n).toBeLessThanOrEqual(3);
      expect(managers.get(c.id)).toBe(1);
    }
    expect(new Set(perCentre.values()).size).toBe(2);
    expect(staff.filter((s) => s.id.endsWith('-1')).every((s) => s.role === 'centre-manager')).toBe(true);
  });

  it('numbers staff within their centre and gives them a demo e-mail address', () => {
    const first = staff.filter((s) => s.centreId === 'c-0001');
    expect(first[0]).toMatchObject({ id: 's-0001-1', email: 's-0001-1@demo.ereg.local' });
    for (const s of staff) {
      expect(s.id).toBe(`s-${s.centreId.slice(2)}-${s.id.slice(-1)}`);
      expect(s.email).toBe(`${s.id}@demo.ereg.local`);
      expect(s.name).toMatch(/^\p{Lu}\p{Ll}+ \p{Lu}\p{Ll}+$/u);
    }
    expect(new Set(staff.map((s) => s.id)).size).toBe(staff.length);
  });

  it('gives a centre the same staff whatever other centres are built with it', () => {
    const alone = buildDemoStaff(built.slice(10, 11));
    expect(alone).toEqual(staff.filter((s) => s.centreId === built[10]?.id));
  });
});

describe('demo agents and administrators', () => {
  it('have distinct ids for the demo log-ins', () => {
    expect(DEMO_AGENTS.length).toBeGreaterThanOrEqual(2);
    expect(DEMO_AGENTS[0]?.id).toBe('agent-1');
    const ids = [...DEMO_AGENTS.map((a) => a.id), ...DEMO_ADMINS.map((a) => a.id)];
    expect(new Set(ids).size).toBe(DEMO_AGENTS.length + DEMO_ADMINS.length);
    expect(DEMO_ADMIN).toEqual({ id: 'admin-1', name: 'Ministry administrator' });
  });

  it('are two administrators, so that one can approve what the other proposes', () => {
    expect(DEMO_ADMINS.map((a) => a.id)).toEqual(['admin-1', 'admin-2']);
  });
});

describe('demoEligibilityRules', () => {
  const rules = demoEligibilityRules(TODAY);

  it('opens the older cohorts and medical workers in the past and the 1981 cohort in ten days', () => {
    expect(rules).toEqual([
      expect.objectContaining({ id: 'born-1961', kind: 'birthYear', bornInOrBefore: 1961, from: '2026-09-24' }),
      expect.objectContaining({ id: 'born-1971', kind: 'birthYear', bornInOrBefore: 1971, from: '2026-11-03' }),
      expect.objectContaining({ id: 'born-1981', kind: 'birthYear', bornInOrBefore: 1981, from: '2026-12-03' }),
      expect.objectContaining({ id: 'group-medical', kind: 'group', group: 'medical', from: '2026-08-25' }),
    ]);
  });

  it('gives every featured citizen the outcome the README describes', () => {
    const outcome = (pesel: string) => {
      const person = DEMO_CITIZENS_FEATURED.find((c) => c.pesel === pesel);
      if (!person) throw new Error(`no featured citizen ${pesel}`);
      const result = evaluateEligibility(person, rules, TODAY);
      return result.eligible ? `eligible by ${result.rule.id}` : `${result.code} from ${result.eligibleFrom}`;
    };
    expect(outcome('46031464864')).toBe('eligible by born-1961');
    expect(outcome('71123113135')).toBe('eligible by born-1971');
    expect(outcome('81051739246')).toBe('NOT_YET_ELIGIBLE from 2026-12-03');
    expect(outcome('96042788372')).toBe('eligible by group-medical');
    expect(outcome('10220872488')).toBe('NOT_ELIGIBLE from null');
  });
});

describe('buildDemoCitizens', () => {
  it('builds the same people for the same seed and different people for another seed', () => {
    expect(citizens({ count: 500 })).toEqual(citizens({ count: 500 }));
    expect(citizens({ count: 500, seed: 1 }).slice(5)).not.toEqual(citizens({ count: 500 }).slice(5));
  });

  it('lists the featured people first whatever the seed', () => {
    for (const seed of [1, 2, 99]) {
      expect(citizens({ seed, count: 50 }).slice(0, DEMO_CITIZENS_FEATURED.length)).toEqual(DEMO_CITIZENS_FEATURED);
    }
    expect(citizens({ count: 2 })).toEqual(DEMO_CITIZENS_FEATURED.slice(0, 2));
  });

  it('hands out copies, so changing one demo person does not change the next build', () => {
    const first = citizens({ count: 5 });
    first[3]?.groups.push('changed');
    expect(citizens({ count: 5 })[3]?.groups).toEqual(['medical']);
  });

  it('gives featured people PESELs that encode their birth date and sex', () => {
    for (const c of DEMO_CITIZENS_FEATURED) {
      expect(checksumOk(c.pesel)).toBe(true);
      expect(parsePesel(c.pesel)).toEqual({ pesel: c.pesel, birthDate: c.birthDate, sex: c.sex });
    }
  });

  it('gives 10,000 people valid, unique PESELs that match their birth date and sex', () => {
    const people = citizens();
    expect(people).toHaveLength(10_000);
    expect(new Set(people.map((p) => p.pesel)).size).toBe(people.length);
    const wrong = people.filter((p) => {
      const decoded = parsePesel(p.pesel);
      return !checksumOk(p.pesel) || decoded.birthDate !== p.birthDate || decoded.sex !== p.sex;
    });
    expect(wrong).toEqual([]);
  });

  it('keeps PESELs unique in a population of 100,000, also against the featured people', () => {
    const people = citizens({ count: 100_000 });
    expect(new Set(people.map((p) => p.pesel)).size).toBe(people.length);
  });

  it('gives people born on a featured date a PESEL other than the featured one', () => {
    // A featured serial is the first one its date and sex would hand out, so any twin would collide without care.
    const people = citizens({ count: 100_000 }).slice(DEMO_CITIZENS_FEATURED.length);
    const twins = people.filter((p) =>
      DEMO_CITIZENS_FEATURED.some((f) => f.birthDate === p.birthDate && f.sex === p.sex),
    );
    expect(twins.length).toBeGreaterThan(0);
    const featured = new Set(DEMO_CITIZENS_FEATURED.map((f) => f.pesel));
    expect(twins.filter((t) => featured.has(t.pesel))).toEqual([]);
  });

  it('moves on to another day when a birth date runs out of serials', () => {
    // Today in 1935 allows births in 1930 only: 365 days × 2 sexes × 1,000 serials, here 96 % used.
    const perDateAndSex = new Map<string, number>();
    const pesels = new Set<string>();
    const stream = generateDemoCitizens({ seed: 3, count: 700_000, today: '1935-06-01' });
    for (const p of stream) {
      pesels.add(p.pesel);
      const key = p.birthDate + p.sex;
      perDateAndSex.set(key, (perDateAndSex.get(key) ?? 0) + 1);
    }
    expect(pesels.size).toBe(700_000);
    expect(Math.max(...perDateAndSex.values())).toBe(1000);
  });

  it('refuses more people than the birth dates have PESELs for', () => {
    const full = DEMO_CITIZENS_FEATURED.length + 365 * 2 * 1000;
    expect(() => citizens({ count: full + 1, today: '1935-06-01' })).toThrow(
      new RangeError('Only 730000 more people fit the birth dates 1930–1930'),
    );
  });

  it('covers all ages from 1930 to five years before today, with fewer of the very old', () => {
    const years = citizens().map((p) => Number(p.birthDate.slice(0, 4)));
    const generated = years.slice(DEMO_CITIZENS_FEATURED.length);
    expect(Math.min(...generated)).toBe(1930);
    expect(Math.max(...generated)).toBe(2021);
    const in1930s = generated.filter((y) => y < 1940).length;
    const in1990s = generated.filter((y) => y >= 1990 && y < 2000).length;
    expect(in1930s).toBeGreaterThan(0);
    expect(in1930s).toBeLessThan(in1990s / 2);
  });

  it('has slightly more women than men, with feminine forms of -ski and -cki names', () => {
    const people = citizens();
    const women = people.filter((p) => p.sex === 'female');
    expect(women.length / people.length).toBeGreaterThan(0.49);
    expect(women.length / people.length).toBeLessThan(0.55);
    expect(women.some((p) => /(ska|cka)$/.test(p.familyName))).toBe(true);
    expect(women.some((p) => /(ski|cki)$/.test(p.familyName))).toBe(false);
    const men = people.filter((p) => p.sex === 'male');
    expect(men.some((p) => /(ski|cki)$/.test(p.familyName))).toBe(true);
    expect(men.some((p) => /(ska|cka)$/.test(p.familyName))).toBe(false);
  });

  it('puts about 5 % in the medical group, all of working age', () => {
    const people = citizens().slice(DEMO_CITIZENS_FEATURED.length);
    const medical = people.filter((p) => p.groups.includes('medical'));
    expect(medical.length / people.length).toBeGreaterThan(0.03);
    expect(medical.length / people.length).toBeLessThan(0.07);
    for (const p of medical) expect(2026 - Number(p.birthDate.slice(0, 4))).toBeGreaterThanOrEqual(22);
    expect(people.every((p) => p.groups.every((g) => g === 'medical'))).toBe(true);
  });

  it('has mostly Polish speakers, and some who prefer English or Ukrainian', () => {
    const share = countBy(citizens(), (p) => p.language);
    expect((share.get('pl') ?? 0) / 10_000).toBeGreaterThan(0.85);
    expect(share.get('en') ?? 0).toBeGreaterThan(100);
    expect(share.get('uk') ?? 0).toBeGreaterThan(100);
  });

  it('gives everyone a Polish mobile number in E.164', () => {
    for (const p of citizens({ count: 2000 })) expect(p.phone).toMatch(/^\+48(45|5|6|7|8)\d{8}$/);
  });

  it('streams people one at a time, the same as the built array', () => {
    const stream = generateDemoCitizens({ seed: 42, count: 300, today: TODAY });
    const first = stream.next();
    expect(first.value).toEqual(DEMO_CITIZENS_FEATURED[0]);
    expect([first.value, ...stream]).toEqual(citizens({ count: 300 }));
  });

  it('refuses a negative count', () => {
    expect(() => citizens({ count: -5 })).toThrow(RangeError);
  });
});
