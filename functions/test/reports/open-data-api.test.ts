import {
  addBatch,
  bookAppointment,
  checkIn,
  completeVaccination,
  listFreeSlots,
  localToday,
  markNoShow,
} from '@ereg/shared';
import { polishPopulation } from '../../src/reports/population.ts';
import { aBirthYearRule, aCentre } from '../support/builders.ts';
import { createTestSystem, serve, type TestSystem } from '../support/test-system.ts';

/**
 * The open data files on the embedded default, end to end: visits booked and recorded through the
 * use cases, their events delivered, the warehouse refreshed, each file downloaded without signing in.
 */

let system: TestSystem;
let close: () => Promise<void>;
let url: string;
let today: string;

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

const inhabitants = (code: string | null, band: string | null) =>
  polishPopulation()
    .filter((p) => (code === null || p.voivodeship === code) && (band === null || p.ageBand === band))
    .reduce((n, p) => n + p.people, 0);

/** A date's ISO week as YYYY-Www, worked out here from the rule: the week's Thursday gives the year. */
function isoWeek(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  const thursday = new Date(d.getTime() + (3 - ((d.getUTCDay() + 6) % 7)) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000));
  return `${year}-W${String(week).padStart(2, '0')}`;
}

async function download(file: string) {
  const response = await fetch(`${url}/api/reports/open-data/${file}`);
  return { status: response.status, headers: response.headers, text: await response.text() };
}

beforeAll(async () => {
  system = await createTestSystem();
  const served = await serve(system);
  close = served.close;
  url = served.url;
  today = localToday(system.clock.now(), 'Europe/Warsaw');
  await system.addRule(aBirthYearRule(1970));
  await system.addCentre(warsaw);
  const manager = { role: 'centre-manager', staffId: 'manager-waw', centreId: warsaw.id } as const;
  await system.tokenFor(manager);
  const batch = await addBatch(system.deps, manager, warsaw.id, {
    vaccineId: 'comirnaty',
    number: 'FK-1',
    expiry: '2026-06-30',
    doses: 100,
  });
  const desk = { role: 'staff', staffId: 'desk-waw', centreId: warsaw.id } as const;
  await system.tokenFor(desk);
  // Twelve people over 80 vaccinated, two more who did not come.
  const free = await listFreeSlots(system.deps, warsaw.id, { vaccineId: 'comirnaty', from: today, to: today });
  const missed: string[] = [];
  for (let i = 0; i < 14; i++) {
    const person = await system.newPatient({ born: 1940 });
    const slot = free.slots[i % free.slots.length];
    if (!slot) throw new Error('no free slot today');
    const booked = await bookAppointment(
      system.deps,
      { role: 'patient', patientId: person.patientId },
      { patientId: person.patientId, slotId: slot.slotId, idempotencyKey: null },
    );
    const visit = booked.appointments[0]?.id as string;
    if (i >= 12) {
      missed.push(visit);
      continue;
    }
    await checkIn(system.deps, desk, warsaw.id, visit);
    await completeVaccination(system.deps, desk, warsaw.id, {
      appointmentId: visit,
      vaccineId: 'comirnaty',
      batchId: batch.id,
      site: 'left_deltoid',
    });
  }
  system.clock.set('2026-01-12T14:30:00.000Z');
  for (const visit of missed) await markNoShow(system.deps, desk, warsaw.id, visit);
  await system.dispatcher.drain();
  await system.reports.refresh();
}, 60_000);

afterAll(async () => {
  await close?.();
  await system?.close();
});

describe('the open data files', () => {
  test.each(['ecdc-weekly.csv', 'owid-daily.csv', 'waiting-times.csv', 'no-shows.csv'])(
    '%s downloads without signing in, as a CSV file a cache may keep a short while',
    async (file) => {
      const { status, headers, text } = await download(file);
      expect(status).toBe(200);
      expect(headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(headers.get('content-disposition')).toBe(`attachment; filename="${file}"`);
      expect(headers.get('cache-control')).toBe('public, max-age=300');
      expect(text.split('\r\n').length).toBeGreaterThan(2);
    },
  );

  test('the ECDC file counts Warsaw’s doses in Mazowieckie, its 80+ and the country; fewer than 10 left empty', async () => {
    const rows = (await download('ecdc-weekly.csv')).text.split('\r\n');
    const week = isoWeek(today);
    const band = inhabitants('14', '80+');
    const all = inhabitants(null, null);
    expect(rows).toContain(`${week},PL,${band},,,12,,,,,,PL9,Age80+,COM,${inhabitants('14', null)}`);
    expect(rows).toContain(`${week},PL,${all},,,12,,,,,,PL,ALL,COM,${all}`);
  });

  test('the OWID file gives the day’s doses, the totals and the shares of the country', async () => {
    const rows = (await download('owid-daily.csv')).text.split('\r\n');
    const all = inhabitants(null, null);
    const per100 = Math.round((12 * 100 * 100) / all) / 100;
    expect(rows).toContain(
      `Poland,POL,${today},12,12,,12,2,${per100},${per100},,${Math.round(((12 / 7) * 1_000_000) / all)}`,
    );
  });

  test('the no-shows file withholds a powiat’s week of fewer than 10 missed visits', async () => {
    const rows = (await download('no-shows.csv')).text.split('\r\n');
    expect(rows).toContain('2026-01-12,14,1465,14,,0.143');
  });

  test('the waiting times give the powiat’s first free place', async () => {
    const rows = (await download('waiting-times.csv')).text.split('\r\n');
    expect(rows.find((r) => r.startsWith(`${today},14,1465,1,`))).toMatch(/^[\d-]+,14,1465,1,1,\d+$/);
  });

  test('a file that is not one of the four is refused, naming the field', async () => {
    const response = await fetch(`${url}/api/reports/open-data/uptake.csv`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { field: string } }).error.field).toBe('file');
  });
});
