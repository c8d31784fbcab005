import { VACCINES } from '@ereg/shared';
import type { SnapshotRow } from '../../src/reports/local-warehouse.ts';
import { polishPopulation } from '../../src/reports/population.ts';
import { REPORT_QUERIES } from '../../src/reports/warehouse-reports.ts';
import { FakeBigQuery } from '../support/google-fakes.ts';
import { WarehouseProcess } from './warehouse-client.ts';

/**
 * The nightly writing of the warehouse in the cloud (after publishDueSlots), through the real client
 * library against a server speaking BigQuery's REST calls: the day's availability snapshot written
 * once per day whatever the runs, the dimensions replaced whole, each by a load job checked against
 * the table's schema file, and what the reports then read from them.
 */

jest.setTimeout(60_000);

const PROJECT = 'demo-ereg';
/** 02:30 in Warsaw, when Cloud Scheduler starts the night's run. */
const NIGHT = '2026-01-12T01:30:00.000Z';
const fake = new FakeBigQuery(PROJECT);
let night: WarehouseProcess;
let warsaw: string;
let krakow: string;

const place = (city: string, voivodeship: string, teryt?: string) => ({
  street: 'ul. Główna 1',
  postalCode: '00-950',
  city,
  voivodeship,
  ...(teryt ? { teryt } : {}),
});
const snapshotsOf = (date: string) =>
  fake.warehouse
    .rows<SnapshotRow>('availability_snapshots', 'snapshot_date = :date', { date })
    .sort((a, b) => `${a.centre_id}${a.vaccine_id}`.localeCompare(`${b.centre_id}${b.vaccine_id}`));
const ofCentre = (rows: SnapshotRow[], centre: string, vaccine = 'comirnaty') =>
  rows.find((r) => r.centre_id === centre && r.vaccine_id === vaccine);

beforeAll(async () => {
  await fake.start();
  // What an earlier night left: a centre since closed, an old catalogue, and the day before's snapshot.
  fake.warehouse.putCentres([
    {
      centre_id: 'ctr-closed',
      name: 'Punkt zamknięty',
      town: 'Radom',
      postal_code: '26-600',
      voivodeship: '14',
      powiat: '1463',
      gmina: '1463011',
      latitude: 51.4,
      longitude: 21.15,
      time_zone: 'Europe/Warsaw',
      updated_at: '2026-01-10T01:30:00.000Z',
    },
  ]);
  fake.warehouse.putVaccines([
    {
      vaccine_id: 'withdrawn',
      name: 'Withdrawn',
      manufacturer: 'Nobody',
      doses: 1,
      min_interval_days: null,
      recommended_interval_days: null,
      max_interval_days: null,
      min_age: 18,
      updated_at: '2026-01-10T01:30:00.000Z',
    },
  ]);
  fake.warehouse.putSnapshots([
    {
      snapshot_date: '2026-01-11',
      centre_id: 'ctr-closed',
      vaccine_id: 'comirnaty',
      places_published: 100,
      places_booked: 40,
      places_free: 60,
      first_free_date: '2026-01-12',
      taken_at: '2026-01-11T01:30:05.000Z',
      places_free_7d: 20,
      places_free_14d: 45,
    },
  ]);
  night = new WarehouseProcess(fake.url, PROJECT, { now: NIGHT });
  warsaw = await night.addCentre({ id: 'ctr-waw', address: place('Warszawa', 'mazowieckie', '1465011') });
  krakow = await night.addCentre({ id: 'ctr-krk', address: place('Kraków', 'malopolskie', '1261011') });
  // A centre whose address names no voivodeship the reports know: in the snapshot, not in the dimension.
  await night.addCentre({ id: 'ctr-unknown', address: place('Gdzieś', 'nieznane') });
});

afterAll(async () => {
  await night?.stop();
  await fake.stop();
});

describe('the nightly writing of the warehouse', () => {
  let first: SnapshotRow[];

  test('writes the dimensions anew and the day’s snapshot, each by one load job', async () => {
    const written = await night.writeNight();
    expect(written).toEqual({
      date: '2026-01-12',
      snapshots: 6,
      centres: 2,
      centresWithoutPlace: 1,
      vaccines: VACCINES.length,
      population: polishPopulation().length,
    });
    expect(
      fake.loadRequests.map(({ configuration: { load } }) => [
        (load.destinationTable as { tableId: string }).tableId,
        load.writeDisposition,
        load.sourceFormat,
      ]),
    ).toEqual([
      ['centres', 'WRITE_TRUNCATE_DATA', 'NEWLINE_DELIMITED_JSON'],
      ['vaccines', 'WRITE_TRUNCATE_DATA', 'NEWLINE_DELIMITED_JSON'],
      ['population', 'WRITE_TRUNCATE_DATA', 'NEWLINE_DELIMITED_JSON'],
      ['availability_snapshots$20260112', 'WRITE_TRUNCATE', 'NEWLINE_DELIMITED_JSON'],
    ]);
    // Every job succeeded: its rows fit the table's schema file.
    expect(
      [...fake.jobs.values()].every((job) => !(job.resource.status as { errorResult?: unknown }).errorResult),
    ).toBe(true);
    first = snapshotsOf('2026-01-12');
    expect(first.map((r) => [r.centre_id, r.vaccine_id])).toEqual([
      ['ctr-krk', 'comirnaty'],
      ['ctr-krk', 'vaxzevria'],
      ['ctr-unknown', 'comirnaty'],
      ['ctr-unknown', 'vaxzevria'],
      ['ctr-waw', 'comirnaty'],
      ['ctr-waw', 'vaxzevria'],
    ]);
    expect(first.every((r) => r.taken_at === NIGHT && r.places_free === r.places_published)).toBe(true);
  });

  test('replaces the dimension tables whole: a centre gone is gone, the catalogue is today’s', () => {
    const centres = fake.warehouse.rows<{ centre_id: string; voivodeship: string; powiat: string | null }>('centres');
    expect(centres.map((c) => [c.centre_id, c.voivodeship, c.powiat]).sort()).toEqual([
      ['ctr-krk', '12', '1261'],
      ['ctr-waw', '14', '1465'],
    ]);
    expect(
      fake.warehouse
        .rows<{ vaccine_id: string }>('vaccines')
        .map((v) => v.vaccine_id)
        .sort(),
    ).toEqual(VACCINES.map((v) => v.id).sort());
    expect(fake.warehouse.rows('population')).toHaveLength(polishPopulation().length);
  });

  test('a second run the same day replaces that day’s snapshot instead of adding to it', async () => {
    await night.bookCourse(warsaw, '2026-01-14', '09:00');
    const later = '2026-01-12T03:00:00.000Z';
    await night.setClock(later);
    await night.writeNight();
    const second = snapshotsOf('2026-01-12');
    expect(second).toHaveLength(first.length);
    expect(second.every((r) => r.taken_at === later)).toBe(true);
    expect(ofCentre(second, warsaw)?.places_booked).toBeGreaterThan(ofCentre(first, warsaw)?.places_booked ?? 0);
    expect(ofCentre(second, krakow)?.places_booked).toBe(ofCentre(first, krakow)?.places_booked);
  });

  test('the next night adds its own day and leaves the earlier days as they were', async () => {
    const before = snapshotsOf('2026-01-12');
    await night.setClock('2026-01-13T01:30:00.000Z');
    await night.writeNight();
    expect(snapshotsOf('2026-01-13')).toHaveLength(6);
    expect(snapshotsOf('2026-01-12')).toEqual(before);
    expect(snapshotsOf('2026-01-11').map((r) => r.centre_id)).toEqual(['ctr-closed']);
  });

  test('the reports read the waiting times from the snapshots written', async () => {
    const rows = await night.run({
      name: 'daysToFirstFree',
      sql: REPORT_QUERIES.daysToFirstFree,
      params: {
        day: { type: 'DATE', value: '2026-01-13' },
        voivodeship: { type: 'STRING', value: null },
        vaccine_id: { type: 'STRING', value: 'comirnaty' },
      },
    });
    // Tuesday 02:30: the first free places are that morning; a centre with no known place counts nowhere.
    expect(rows).toEqual([
      { voivodeship: null, powiat: null, days: 0 },
      { voivodeship: '12', powiat: '1261', days: 0 },
      { voivodeship: '14', powiat: '1465', days: 0 },
    ]);
  });

  test('a load BigQuery refuses fails the run with the table and what BigQuery said', async () => {
    const message = `Access Denied: Table ${PROJECT}:ereg.centres: Permission bigquery.tables.updateData denied`;
    fake.script.push({
      status: 403,
      body: {
        error: { code: 403, message, errors: [{ message, reason: 'accessDenied' }], status: 'PERMISSION_DENIED' },
      },
    });
    const failed = await night.writeNight().then(
      () => 'written',
      (error: Error) => error.message,
    );
    expect(failed).toBe(`Loading 2 rows into ereg.centres failed: HTTP 403 accessDenied: ${message}`);
  });
});
