import {
  addBatch,
  bookAppointment,
  checkIn,
  completeVaccination,
  listFreeSlots,
  localToday,
  markNoShow,
  type ReportSummary,
} from '@ereg/shared';
import { polishPopulation } from '../../src/reports/population.ts';
import { aBirthYearRule, aCentre } from '../support/builders.ts';
import { type Call, client } from '../support/http-client.ts';
import { createTestSystem, serve, type TestSystem } from '../support/test-system.ts';

/**
 * The report routes on the embedded default, end to end: visits booked and recorded through the use
 * cases, their events delivered, the warehouse refreshed, and the dashboard's figures as analysts and
 * the public get them.
 */

let system: TestSystem;
let close: () => Promise<void>;
let call: Call;
let analyst: string;
let today: string;
/** A visit booked in the morning and recorded only in the test that watches it appear. */
let later: { visit: string; batch: string };
const warsaw = aCentre({
  id: 'ctr-waw',
  address: {
    street: 'ul. Marszałkowska 1',
    postalCode: '00-950',
    city: 'Warszawa',
    voivodeship: 'mazowieckie',
    teryt: '1465011',
  },
});
const krakow = aCentre({
  id: 'ctr-krk',
  address: {
    street: 'ul. Floriańska 1',
    postalCode: '31-019',
    city: 'Kraków',
    voivodeship: 'malopolskie',
    teryt: '1261011',
  },
  location: { lat: 50.06, lon: 19.94 },
});

const people = (code: string) =>
  polishPopulation()
    .filter((p) => p.voivodeship === code)
    .reduce((n, p) => n + p.people, 0);
const eighty = (code: string) =>
  polishPopulation().find((p) => p.voivodeship === code && p.ageBand === '80+')?.people ?? 0;

/** Books a first dose today at a centre for a new person born in `born`; answers the visit's id. */
async function bookToday(centreId: string, born: number, nth: number): Promise<string> {
  const person = await system.newPatient({ born });
  const free = await listFreeSlots(system.deps, centreId, { vaccineId: 'comirnaty', from: today, to: today });
  const slot = free.slots[nth % free.slots.length];
  if (!slot) throw new Error(`no free slot today at ${centreId}`);
  const booked = await bookAppointment(
    system.deps,
    { role: 'patient', patientId: person.patientId },
    { patientId: person.patientId, slotId: slot.slotId, idempotencyKey: null },
  );
  return booked.appointments[0]?.id as string;
}

async function vaccinate(centreId: string, appointmentId: string, batchId: string) {
  const desk = { role: 'staff', staffId: `desk-${centreId}`, centreId } as const;
  await system.tokenFor(desk);
  await checkIn(system.deps, desk, centreId, appointmentId);
  await completeVaccination(system.deps, desk, centreId, {
    appointmentId,
    vaccineId: 'comirnaty',
    batchId,
    site: 'left_deltoid',
  });
}

async function summary(path: string, token?: string): Promise<{ status: number; body: ReportSummary }> {
  const reply = await call('GET', path, token ? { token } : {});
  return { status: reply.status, body: reply.body as ReportSummary };
}

beforeAll(async () => {
  system = await createTestSystem();
  const served = await serve(system);
  close = served.close;
  call = client(served.url);
  today = localToday(system.clock.now(), 'Europe/Warsaw');
  await system.addRule(aBirthYearRule(1970));
  await system.addCentre(warsaw);
  await system.addCentre(krakow);
  const batches: Record<string, string> = {};
  for (const centre of [warsaw, krakow]) {
    const manager = { role: 'centre-manager', staffId: `manager-${centre.id}`, centreId: centre.id } as const;
    await system.tokenFor(manager);
    const batch = await addBatch(system.deps, manager, centre.id, {
      vaccineId: 'comirnaty',
      number: `FK-${centre.id}`,
      expiry: '2026-06-30',
      doses: 100,
    });
    batches[centre.id] = batch.id;
  }
  // Warsaw: twelve people over 80 vaccinated, two who did not come; Kraków: three vaccinated, one later.
  const missed: string[] = [];
  for (let i = 0; i < 14; i++) {
    const visit = await bookToday(warsaw.id, 1940, i);
    if (i < 12) await vaccinate(warsaw.id, visit, batches[warsaw.id] as string);
    else missed.push(visit);
  }
  for (let i = 0; i < 3; i++) {
    await vaccinate(krakow.id, await bookToday(krakow.id, 1960, i), batches[krakow.id] as string);
  }
  later = { visit: await bookToday(krakow.id, 1960, 5), batch: batches[krakow.id] as string };
  // In the afternoon, once their visits have begun, the two are marked as not having come.
  system.clock.set('2026-01-12T14:30:00.000Z');
  for (const visit of missed) {
    const desk = { role: 'staff', staffId: `desk-${warsaw.id}`, centreId: warsaw.id } as const;
    await markNoShow(system.deps, desk, warsaw.id, visit);
  }
  await system.dispatcher.drain();
  await system.reports.refresh();
  analyst = await system.tokenFor({ role: 'analyst', analystId: 'analyst-1' });
}, 60_000);

afterAll(async () => {
  await close?.();
  await system?.close();
});

describe('the dashboard for analysts', () => {
  test('the tiles count what was done today, everywhere', async () => {
    const { status, body } = await summary('/api/reports/summary', analyst);
    expect(status).toBe(200);
    expect(body.suppressedBelow).toBeNull();
    expect(body.filter).toMatchObject({ to: today, voivodeship: null, ageBand: null, vaccineId: null });
    expect(body.tiles).toMatchObject({
      dosesToday: 15,
      dosesTotal: 15,
      peopleVaccinated: 15,
      peopleFullyVaccinated: 0,
      fullyVaccinatedPer100: 0,
      noShowRateThisWeek: Math.round((1000 * 2) / 17) / 1000,
      // Taken in the afternoon, when the day's hours (08:00–12:00) are over: the first room is tomorrow.
      medianDaysToFirstFree: 1,
    });
    expect(Date.parse(body.asOf)).toBe(system.clock.now().getTime());
  });

  test('each voivodeship in its row, per 100 of its inhabitants; the sixteen all there', async () => {
    const { body } = await summary('/api/reports/summary', analyst);
    expect(body.voivodeships).toHaveLength(16);
    const row = (code: string) => body.voivodeships.find((v) => v.voivodeship === code);
    expect(row('14')).toEqual({
      voivodeship: '14',
      population: people('14'),
      peopleVaccinated: 12,
      peopleFullyVaccinated: 0,
      vaccinatedPer100: Math.round((10_000 * 12) / people('14')) / 100,
      fullyVaccinatedPer100: 0,
      dosesInPeriod: 12,
    });
    expect(row('12')).toMatchObject({ peopleVaccinated: 3, dosesInPeriod: 3 });
    expect(row('02')).toMatchObject({ peopleVaccinated: 0, population: people('02') });
  });

  test('the daily series covers every day of the period, with the 7-day average', async () => {
    const { body } = await summary(`/api/reports/summary?from=2026-01-01&to=${today}`, analyst);
    expect(body.dailyTotals.map((d) => d.day)).toHaveLength(12);
    expect(body.dailyTotals.at(-1)).toEqual({ day: today, doses: 15, average7: Math.round(150 / 7) / 10 });
    expect(body.dailyTotals[0]).toEqual({ day: '2026-01-01', doses: 0, average7: 0 });
    expect(body.dosesPerDay).toEqual([{ day: today, vaccineId: 'comirnaty', dose: 1, doses: 15 }]);
  });

  test('narrowed to a voivodeship, an age band or a product', async () => {
    const krk = await summary('/api/reports/summary?voivodeship=12', analyst);
    expect(krk.body.tiles).toMatchObject({ dosesToday: 3, peopleVaccinated: 3 });
    const old = await summary('/api/reports/summary?ageBand=80%2B', analyst);
    expect(old.body.tiles).toMatchObject({
      dosesToday: 12,
      peopleVaccinated: 12,
      fullyVaccinatedPer100: 0,
    });
    expect(old.body.voivodeships.find((v) => v.voivodeship === '14')?.population).toBe(eighty('14'));
    const other = await summary('/api/reports/summary?vaccineId=spikevax', analyst);
    expect(other.body.tiles).toMatchObject({ dosesToday: 0, dosesTotal: 0 });
  });

  test('a vaccination recorded shows once the warehouse has taken it in', async () => {
    await vaccinate(krakow.id, later.visit, later.batch);
    await system.dispatcher.drain();
    expect((await summary('/api/reports/summary', analyst)).body.tiles.dosesToday).toBe(15);
    system.clock.advanceMinutes(1);
    await system.reports.refresh();
    const after = await summary('/api/reports/summary', analyst);
    expect(after.body.tiles.dosesToday).toBe(16);
    expect(after.body.asOf).toBe(system.clock.now().toISOString());
  });
});

describe('the public summary', () => {
  test('needs no sign-in and withholds every count under 10, and what is made of one', async () => {
    const { status, body } = await summary('/api/reports/public');
    expect(status).toBe(200);
    expect(body.suppressedBelow).toBe(10);
    const row = (code: string) => body.voivodeships.find((v) => v.voivodeship === code);
    expect(row('14')).toMatchObject({ peopleVaccinated: 12, dosesInPeriod: 12 });
    expect(row('12')).toMatchObject({ peopleVaccinated: null, vaccinatedPer100: null, dosesInPeriod: null });
    expect(body.tiles.peopleFullyVaccinated).toBeNull();
    expect(body.tiles.fullyVaccinatedPer100).toBeNull();
    const krk = await summary('/api/reports/public?voivodeship=12');
    expect(krk.body.tiles).toMatchObject({ dosesToday: null, peopleVaccinated: null, noShowRateThisWeek: null });
  });
});

describe('bad input is refused, naming the field', () => {
  test.each([
    ['voivodeship=99', 'voivodeship'],
    ['ageBand=90%2B', 'ageBand'],
    ['from=2026-01-01', 'to'],
    ['from=2026-01-10&to=2026-01-01', 'to'],
    ['from=2024-01-01&to=2026-01-12', 'from'],
    ['from=yesterday&to=2026-01-12', 'from'],
    ['colour=red', 'colour'],
  ])('?%s', async (query, field) => {
    const reply = await call('GET', `/api/reports/summary?${query}`, { token: analyst });
    expect(reply.status).toBe(400);
    expect(reply.body.error.field).toBe(field);
  });
});
