import { createInterface } from 'node:readline';
import { type Centre, type ReportFilter, reportSummary } from '@ereg/shared';
import { createMemorySystem } from '@ereg/shared/testing';
import { BigQuery } from '@google-cloud/bigquery';
import { OAuth2Client } from 'google-auth-library';
import { BigQueryReports, type BigQueryReportsOptions } from '../../src/adapters/bigquery/bigquery-reports.ts';
import { BigQueryWarehouseTables, writeWarehouseNight } from '../../src/adapters/bigquery/bigquery-warehouse-tables.ts';
import type { WarehouseQuery } from '../../src/reports/warehouse-reports.ts';

// The BigQuery reports reader and the nightly warehouse writer with the real client library, in a plain
// Node process (the client's HTTP layer cannot run in Jest's sandbox: see sink-process.ts), on a system
// in memory whose clock the test sets. One JSON command per input line, answered by one line
// `{"id":…,"value":…}` or `{"id":…,"error":"…"}`; commands run concurrently, as requests do.
const endpoint = process.env.BIGQUERY_TEST_ENDPOINT;
const projectId = process.env.BIGQUERY_TEST_PROJECT;
if (!endpoint || !projectId) throw new Error('BIGQUERY_TEST_ENDPOINT and BIGQUERY_TEST_PROJECT are required');

const authClient = new OAuth2Client();
authClient.setCredentials({ access_token: 'test-token', expiry_date: Date.now() + 3_600_000 });
const bigquery = new BigQuery({
  projectId,
  apiEndpoint: endpoint,
  authClient,
  retryOptions: { retryDelayMultiplier: 1.1, maxRetryDelay: 1, totalTimeout: 30 },
});

const system = createMemorySystem({ now: process.env.BIGQUERY_TEST_NOW ?? '2026-01-12T01:30:00.000Z' });
type Options = Omit<BigQueryReportsOptions, 'projectId' | 'clock'>;
const open = (options: Options) => new BigQueryReports(bigquery, { projectId, clock: system.clock, ...options });
let dataset = process.env.BIGQUERY_TEST_DATASET ?? 'ereg';
let reports = open({ dataset });

type Command =
  | { op: 'open'; options: Options }
  | { op: 'setClock'; now: string }
  | { op: 'summary'; filter: ReportFilter; today: string; suppressBelow: number | null }
  | { op: 'read'; method: 'dosesPerDay' | 'countsByVoivodeship' | 'population'; filter: ReportFilter }
  | { op: 'run'; query: WarehouseQuery }
  | { op: 'asOf' }
  | { op: 'addCentre'; centre: Partial<Centre> }
  | { op: 'bookCourse'; centreId: string; date: string; time: string }
  | { op: 'writeNight' };

async function perform(command: Command): Promise<unknown> {
  switch (command.op) {
    case 'open':
      dataset = command.options.dataset ?? dataset;
      reports = open({ dataset, ...command.options });
      return null;
    case 'setClock':
      system.clock.set(command.now);
      return null;
    case 'summary':
      return reportSummary(reports.reader, command.filter, command.today, command.suppressBelow);
    case 'read':
      return reports.reader[command.method](command.filter);
    case 'run':
      return reports.run(command.query);
    case 'asOf':
      return reports.asOf();
    case 'addCentre':
      return (await system.addCentre(command.centre)).id;
    case 'bookCourse': {
      const centre = await system.deps.store.getCentre(command.centreId);
      if (!centre) throw new Error(`no centre ${command.centreId}`);
      await system.addRule();
      return (await system.bookCourse(centre, command.date, command.time)).map((a) => a.id);
    }
    case 'writeNight':
      return writeWarehouseNight(system.deps, new BigQueryWarehouseTables(bigquery.dataset(dataset)));
  }
}

for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const { id, ...command } = JSON.parse(line) as Command & { id: number };
  perform(command as Command).then(
    (value) => process.stdout.write(`${JSON.stringify({ id, value: value ?? null })}\n`),
    (error: Error) => process.stdout.write(`${JSON.stringify({ id, error: error.message })}\n`),
  );
}
