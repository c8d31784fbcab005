import { DatabaseSync } from 'node:sqlite';
import {
  type AnalyticsContext,
  analyticsRow,
  type ReportFilter,
  type ReportSummary,
  reportFilter,
  reportSummary,
  VACCINES,
} from '@ereg/shared';
import { REPORT_CACHE_MS } from '../../src/adapters/bigquery/bigquery-reports.ts';
import { SqliteAnalytics } from '../../src/adapters/sqlite/sqlite-analytics.ts';
import { LocalWarehouse } from '../../src/reports/local-warehouse.ts';
import { REPORT_QUERIES, type RunQuery, WarehouseReports } from '../../src/reports/warehouse-reports.ts';
import { simulateMonth } from '../reports/simulated-month.ts';
import { FakeBigQuery, type RecordedRequest } from '../support/google-fakes.ts';
import { WarehouseProcess } from './warehouse-client.ts';

/**
 * The reports on BigQuery, through the real client library against a server speaking BigQuery's REST
 * calls (the queries run on the embedded default's warehouse in SQLite): the same month of events,
 * centres, population and snapshots in both warehouses gives the same summary from both readers; and
 * what goes over the wire — qualified names, typed parameters — how answers are kept, and how
 * BigQuery's refusals read.
 */

jest.setTimeout(60_000);

const PROJECT = 'demo-ereg';
const { events, ledger } = simulateMonth();
/** The country's date the dashboards are asked on, and the instant the reader's clock stands at. */
const TODAY = '2021-03-30';
const NOW = '2021-03-30T19:00:00.000Z';
/** Each event reached the warehouse a few seconds after it happened. */
const receivedAt = (occurredAt: string) => new Date(Date.parse(occurredAt) + 7_000).toISOString();
const context = (occurredAt: string): AnalyticsContext => ({
  timeZone: 'Europe/Warsaw',
  pseudonym: (id) => `ps(${id})`,
  receivedAt: receivedAt(occurredAt),
});

const fake = new FakeBigQuery(PROJECT);
let bigquery: WarehouseProcess;
let local: LocalWarehouse;
let localDb: DatabaseSync;

/** The local warehouse's reader, answering the same freshness as BigQuery's latest arrival. */
function localReader(): WarehouseReports {
  const run: RunQuery = async (query) =>
    local.query(query.sql, Object.fromEntries(Object.entries(query.params).map(([k, p]) => [k, p.value])));
  return new WarehouseReports(run, async () => null);
}

const filterOf = (query: Parameters<typeof reportFilter>[0] = {}) => reportFilter(query, TODAY);
const withoutAsOf = ({ asOf: _, ...rest }: ReportSummary) => rest;
const jobsSince = (count: number) => fake.queryRequests.slice(count);
const labelsOf = (requests: RecordedRequest[]) => requests.map((r) => r.body.labels?.report_query as string).sort();

beforeAll(async () => {
  await fake.start();
  // The same rows in both warehouses: the analytics row of every event, the dimensions, the snapshots.
  localDb = new DatabaseSync(':memory:');
  new SqliteAnalytics(localDb, { timeZone: 'Europe/Warsaw', pseudonym: (id) => id, clock: { now: () => new Date() } });
  local = new LocalWarehouse(localDb);
  const rows = events.map((e) => analyticsRow(e, context(e.occurredAt)));
  const insert = localDb.prepare(
    `INSERT INTO report_events (${Object.keys(rows[0] ?? {}).join(', ')}) VALUES (${Object.keys(rows[0] ?? {})
      .map((c) => `:${c}`)
      .join(', ')})`,
  );
  for (const row of rows) insert.run({ ...row });
  fake.addEventRows(rows as unknown as Record<string, unknown>[]);
  for (const warehouse of [local, fake.warehouse]) {
    warehouse.putCentres(ledger.centres);
    warehouse.putVaccines(ledger.vaccines);
    warehouse.putPopulation(ledger.population);
    warehouse.putSnapshots(ledger.snapshots);
  }
  local.refresh();
  bigquery = new WarehouseProcess(fake.url, PROJECT, { now: NOW });
});

afterAll(async () => {
  await bigquery?.stop();
  await fake.stop();
  localDb?.close();
});

beforeEach(async () => {
  fake.requests.length = 0;
  fake.script.length = 0;
  fake.answerLate = false;
  await bigquery.setClock(NOW);
  await bigquery.open({});
});

describe('the reports read from BigQuery', () => {
  const filters: Array<[string, ReportFilter]> = [
    ['the last four weeks, everywhere', filterOf()],
    ['the whole month', filterOf({ from: '2021-03-01', to: TODAY })],
    ['one voivodeship', filterOf({ voivodeship: '12' })],
    ['one age band', filterOf({ ageBand: '80+' })],
    ['one product', filterOf({ vaccineId: VACCINES[0]?.id as string })],
    ['a voivodeship and a product', filterOf({ voivodeship: '14', vaccineId: VACCINES[1]?.id as string })],
  ];

  test.each(filters)('give the summary the local warehouse gives: %s', async (_, filter) => {
    const fromBigQuery = await bigquery.summary(filter, TODAY);
    const fromLocal = await reportSummary(localReader(), filter, TODAY, null);
    expect(withoutAsOf(fromBigQuery)).toEqual(withoutAsOf(fromLocal));
  });

  test('the month is one whose summary has every figure: doses, people, no-shows and waiting times', async () => {
    const summary = await bigquery.summary(filterOf({ from: '2021-03-01', to: TODAY }), TODAY);
    expect(summary.tiles.dosesTotal).toBeGreaterThan(50);
    expect(summary.tiles.peopleFullyVaccinated).toBeGreaterThan(0);
    expect(summary.tiles.noShowRateThisWeek).not.toBeNull();
    expect(summary.tiles.medianDaysToFirstFree).not.toBeNull();
    expect(summary.dosesPerDay.length).toBeGreaterThan(10);
    expect(summary.dosesPerDay.every((d) => /^\d{4}-\d{2}-\d{2}$/.test(d.day))).toBe(true);
    expect(summary.voivodeships.filter((v) => (v.peopleVaccinated ?? 0) > 0).map((v) => v.voivodeship)).toEqual([
      '02',
      '12',
      '14',
    ]);
  });

  test('the public summary withholds the same small counts', async () => {
    const fromBigQuery = await bigquery.summary(filterOf(), TODAY, 10);
    const fromLocal = await reportSummary(localReader(), filterOf(), TODAY, 10);
    expect(withoutAsOf(fromBigQuery)).toEqual(withoutAsOf(fromLocal));
    expect(fromBigQuery.voivodeships.some((v) => v.peopleVaccinated === null)).toBe(true);
  });

  test('the figures are as fresh as the latest event to arrive', async () => {
    const latest = events.map((e) => receivedAt(e.occurredAt)).sort();
    expect(await bigquery.asOf()).toBe(latest.at(-1));
    // Asked before any event of the recent days had come, there is nothing to tell.
    await bigquery.open({});
    await bigquery.setClock('2021-06-30T12:00:00.000Z');
    expect(await bigquery.asOf()).toBeNull();
    const [window] = jobsSince(1);
    expect(window?.body.queryParameters).toEqual([
      { name: 'since', parameterType: { type: 'TIMESTAMP' }, parameterValue: { value: '2021-06-28T00:00:00.000Z' } },
    ]);
  });

  test('each query names the views with the project, and binds every parameter with its type', async () => {
    await bigquery.summary(filterOf({ ageBand: '80+' }), TODAY);
    const jobs = fake.queryRequests;
    expect(labelsOf(jobs)).toEqual(
      [
        'as_of',
        'counts_by_voivodeship',
        'days_to_first_free',
        'doses_per_day',
        'doses_per_day',
        'doses_per_day',
        'no_shows',
        'population',
      ].sort(),
    );
    for (const job of jobs) {
      const names = [...String(job.body.query).matchAll(/`([^`]+)`/g)].map((m) => m[1]);
      expect(names.length).toBeGreaterThan(0);
      expect(names.every((name) => name?.startsWith(`${PROJECT}.ereg.`))).toBe(true);
      expect(job.body.useLegacySql).toBe(false);
    }
    const perDay = jobs.find((j) => j.body.query.includes('doses_daily') && j.body.query.includes('GROUP BY day'));
    const parameter = (name: string) =>
      ((perDay?.body.queryParameters ?? []) as Array<{ name: string }>).find((p) => p.name === name);
    expect(parameter('from')).toEqual({
      name: 'from',
      parameterType: { type: 'DATE' },
      parameterValue: { value: expect.stringMatching(/^2021-03-\d\d$/) },
    });
    // Not narrowed: a null, which BigQuery binds only with its type.
    expect(parameter('voivodeship')).toEqual({
      name: 'voivodeship',
      parameterType: { type: 'STRING' },
      parameterValue: { value: null },
    });
    expect(parameter('age_band')).toEqual({
      name: 'age_band',
      parameterType: { type: 'STRING' },
      parameterValue: { value: '80+' },
    });
  });

  test('a null parameter leaves its filter open, a given one narrows it', async () => {
    const everyone = await bigquery.dosesPerDay(filterOf());
    const oneBand = await bigquery.dosesPerDay(filterOf({ ageBand: '80+' }));
    const total = (rows: Array<{ doses: number }>) => rows.reduce((n, r) => n + r.doses, 0);
    expect(total(everyone)).toBeGreaterThan(total(oneBand));
    expect(total(oneBand)).toBeGreaterThan(0);
    expect(everyone).toEqual(await localReader().dosesPerDay(filterOf()));
  });

  test('an INT64 parameter is bound as a number', async () => {
    const rows = await bigquery.run({
      name: 'dosesOfNumber',
      sql: 'SELECT SUM(doses) AS doses FROM `ereg.doses_daily` WHERE dose = @dose AND day <= @to',
      params: { dose: { type: 'INT64', value: 2 }, to: { type: 'DATE', value: TODAY } },
    });
    const second = local.query<{ doses: number }>('SELECT SUM(doses) AS doses FROM `ereg.doses_daily` WHERE dose = 2');
    expect(rows).toEqual([{ doses: second[0]?.doses }]);
    expect(rows[0]?.doses).toBeGreaterThan(0);
    expect(fake.queryRequests[0]?.body.queryParameters[0]).toEqual({
      name: 'dose',
      parameterType: { type: 'INT64' },
      parameterValue: { value: '2' },
    });
  });

  test('answers that BigQuery gives only when asked again later read the same', async () => {
    fake.answerLate = true;
    const late = await bigquery.summary(filterOf(), TODAY);
    expect(withoutAsOf(late)).toEqual(withoutAsOf(await reportSummary(localReader(), filterOf(), TODAY, null)));
    expect(fake.requests.filter((r) => r.method === 'GET' && r.path.includes('/queries/'))).toHaveLength(8);
  });

  test('another dataset is named when configured', async () => {
    const other = new FakeBigQuery(PROJECT, 'ereg_reports');
    await other.start();
    other.warehouse.putPopulation(ledger.population);
    const reader = new WarehouseProcess(other.url, PROJECT, { dataset: 'ereg_reports', now: NOW });
    try {
      const rows = await reader.run({
        name: 'population',
        sql: REPORT_QUERIES.population,
        params: { age_band: { type: 'STRING', value: null } },
      });
      expect(rows.length).toBe(3);
      expect(other.queryRequests[0]?.body.query).toContain(`\`${PROJECT}.ereg_reports.population\``);
    } finally {
      await reader.stop();
      await other.stop();
    }
  });
});

describe('answers kept for a short time', () => {
  test('the same summary asked again within the cache time runs no new job', async () => {
    await bigquery.summary(filterOf(), TODAY);
    const first = fake.queryRequests.length;
    expect(first).toBe(8);
    await bigquery.setClock(new Date(Date.parse(NOW) + REPORT_CACHE_MS - 1_000).toISOString());
    await bigquery.summary(filterOf(), TODAY);
    expect(fake.queryRequests).toHaveLength(first);
  });

  test('after the cache time the summary runs its queries again', async () => {
    await bigquery.summary(filterOf(), TODAY);
    await bigquery.setClock(new Date(Date.parse(NOW) + REPORT_CACHE_MS + 1_000).toISOString());
    await bigquery.summary(filterOf(), TODAY);
    expect(fake.queryRequests).toHaveLength(16);
  });

  test('another filter runs only the queries it changes', async () => {
    await bigquery.summary(filterOf(), TODAY);
    const before = fake.queryRequests.length;
    await bigquery.summary(filterOf({ voivodeship: '14' }), TODAY);
    const again = labelsOf(jobsSince(before));
    expect(again.length).toBeGreaterThan(0);
    // The table per voivodeship and the population are always of the whole country: kept.
    expect(again).not.toContain('counts_by_voivodeship');
    expect(again).not.toContain('population');
    expect(again).not.toContain('as_of');
  });

  test('dashboards asking at the same moment share one job per query', async () => {
    await Promise.all([bigquery.summary(filterOf(), TODAY), bigquery.summary(filterOf(), TODAY)]);
    expect(fake.queryRequests).toHaveLength(8);
  });

  test('at most the configured number of answers is kept, the oldest going first', async () => {
    await bigquery.open({ cacheEntries: 2 });
    const bands = ['18-24', '25-49', '50-59'];
    const ask = (band: string) =>
      bigquery.run({
        name: 'population',
        sql: REPORT_QUERIES.population,
        params: { age_band: { type: 'STRING', value: band } },
      });
    for (const band of bands) await ask(band);
    expect(fake.queryRequests).toHaveLength(3);
    await ask('50-59');
    await ask('25-49');
    expect(fake.queryRequests).toHaveLength(3);
    await ask('18-24');
    expect(fake.queryRequests).toHaveLength(4);
  });
});

describe('BigQuery refusing a query', () => {
  test('a refusal (403) becomes an error naming the query and what BigQuery said; it is not kept', async () => {
    const message = `Access Denied: Table ${PROJECT}:ereg.doses_daily: User does not have permission to query table`;
    fake.script.push({
      status: 403,
      body: {
        error: { code: 403, message, errors: [{ message, reason: 'accessDenied' }], status: 'PERMISSION_DENIED' },
      },
    });
    const refused = await bigquery.dosesPerDay(filterOf()).then(
      () => 'answered',
      (error: Error) => error.message,
    );
    expect(refused).toBe(`The report query dosesPerDay failed in BigQuery: HTTP 403 accessDenied: ${message}`);
    // Asked again, it runs again (and is answered).
    expect((await bigquery.dosesPerDay(filterOf())).length).toBeGreaterThan(0);
    expect(fake.queryRequests).toHaveLength(2);
  });

  test('a query BigQuery cannot run (400) names the query and the reason', async () => {
    const refused = await bigquery
      .run({
        name: 'dosesOfDay',
        sql: 'SELECT SUM(doses) AS doses FROM `ereg.doses_daily` WHERE day = @day',
        params: {},
      })
      .then(
        () => 'answered',
        (error: Error) => error.message,
      );
    expect(refused).toBe(
      "The report query dosesOfDay failed in BigQuery: HTTP 400 invalidQuery: Query parameter 'day' not found",
    );
  });

  test('a view that is not deployed (404) names the query and the table', async () => {
    const refused = await bigquery
      .run({ name: 'uptakeByGmina', sql: 'SELECT gmina FROM `ereg.uptake_by_gmina`', params: {} })
      .then(
        () => 'answered',
        (error: Error) => error.message,
      );
    expect(refused).toMatch(
      /^The report query uptakeByGmina failed in BigQuery: HTTP 404 notFound: Not found: Table demo-ereg:ereg\.uptake_by_gmina/,
    );
  });
});
