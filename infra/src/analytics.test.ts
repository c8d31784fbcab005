import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import type { AnalyticsArgs } from './analytics.ts';
import type { BigQueryColumn } from './repo-files.ts';

// The warehouse's views from a folder of sample report files, deployed on Pulumi's mocks. Every table
// and view answers its registration a little late, so a view registered before what it reads has
// answered was not made to wait for it.

// biome-ignore lint/suspicious/noExplicitAny: recorded inputs are whatever the program sent
type Inputs = Record<string, any>;
const PROJECT = 'ereg-sample';
const TABLE = 'gcp:bigquery/table:Table';

let step = 0;
const registrations = new Map<string, { started: number; answered: number; inputs: Inputs }>();

const mocked = pulumi.runtime.setMocks(
  {
    async newResource({ type, name, inputs }) {
      const started = ++step;
      if (type === TABLE) await new Promise((resolve) => setTimeout(resolve, 20));
      registrations.set(name, { started, answered: ++step, inputs });
      return { id: `${name}-id`, state: inputs };
    },
    call: ({ inputs }) => inputs,
  },
  'ereg',
  'test',
  false,
);

/** A report file: its description, one column per output and the query. */
function aReport(query: string, header: string[] = []): string {
  return ['-- A sample report', '-- centre_id: the centre', '-- doses: doses given', ...header, query].join('\n');
}

/** Schemas with only what the layouts need: the partition and clustering columns. */
function someSchemas(): AnalyticsArgs['schemas'] {
  const column = (name: string, type: string): BigQueryColumn => ({ name, type, mode: 'REQUIRED', description: name });
  return {
    events: [column('occurred_at', 'TIMESTAMP'), column('type', 'STRING'), column('centre_id', 'STRING')],
    centres: [column('centre_id', 'STRING')],
    vaccines: [column('vaccine_id', 'STRING')],
    population: [column('voivodeship', 'STRING')],
    availability_snapshots: [column('snapshot_date', 'DATE'), column('centre_id', 'STRING')],
  };
}

/** Writes `files` into a new folder and returns its path. */
function aFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ereg-report-sql-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const folders: string[] = [];
afterAll(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

/** Deploys the warehouse with the views of a folder holding `files`. */
async function deployWith(files: Record<string, string>, schemas = someSchemas()) {
  await mocked;
  const { deployAnalytics } = await import('./analytics.ts');
  const { readViewFiles } = await import('@ereg/functions/deployment');
  const dir = aFolder(files);
  folders.push(dir);
  return deployAnalytics(
    { project: PROJECT, location: 'EU', protectData: false, schemas, views: readViewFiles(dir) },
    {},
  );
}

describe('the report views', () => {
  const SAMPLES = {
    // Named so that it sorts before the view it reads.
    'doses_by_voivodeship.sql': aReport(
      'SELECT c.voivodeship, SUM(d.doses) AS doses FROM `ereg.doses_daily` AS d JOIN `ereg.centres` AS c USING (centre_id) GROUP BY 1',
    ),
    'doses_daily.sql': aReport(
      "SELECT centre_id, COUNT(*) AS doses FROM `ereg.events` WHERE type = 'dose.given' AND occurred_at >= TIMESTAMP '2021-01-01' GROUP BY 1",
    ),
    'public_coverage.sql': aReport(
      'SELECT v.voivodeship, v.doses FROM `ereg.doses_by_voivodeship` AS v JOIN `ereg.population` AS p USING (voivodeship) WHERE v.doses >= 10',
      ['-- suppressed below: 10'],
    ),
  };

  beforeAll(async () => {
    await deployWith(SAMPLES);
    await pulumi.runtime.disconnect();
  });

  const registered = (name: string) => {
    const found = registrations.get(name);
    if (!found) throw new Error(`${name} was not registered`);
    return found;
  };

  test('each file is a standard-SQL view of its name in the dataset, described by its first line', () => {
    for (const name of ['doses_by_voivodeship', 'doses_daily', 'public_coverage']) {
      expect(registered(name).inputs).toMatchObject({
        project: PROJECT,
        datasetId: 'ereg',
        tableId: name,
        description: 'A sample report',
        view: { useLegacySql: false },
      });
    }
  });

  test("each view's query reads the tables and views of the stack's project", () => {
    const query: string = registered('doses_by_voivodeship').inputs.view.query;
    expect(query).toContain(`FROM \`${PROJECT}.ereg.doses_daily\` AS d JOIN \`${PROJECT}.ereg.centres\` AS c`);
    expect(query).not.toMatch(/[^.]`ereg\./);
    expect(registered('doses_daily').inputs.view.query).toContain(`FROM \`${PROJECT}.ereg.events\``);
  });

  test('a view is registered only once every table and view it reads has been', () => {
    const reads: Record<string, string[]> = {
      doses_daily: ['events'],
      doses_by_voivodeship: ['doses_daily', 'centres'],
      public_coverage: ['doses_by_voivodeship', 'population'],
    };
    for (const [view, sources] of Object.entries(reads)) {
      for (const source of sources) {
        expect({ view, source, after: registered(view).started > registered(source).answered }).toEqual({
          view,
          source,
          after: true,
        });
      }
    }
  });
});

describe('the deployment is refused, naming the file,', () => {
  test('when a public_ view does not suppress groups below 10', async () => {
    await expect(deployWith({ 'public_doses.sql': aReport('SELECT 1 FROM `ereg.events`') })).rejects.toThrow(
      /public_doses\.sql: a public_ view is for publication and must carry the header line "-- suppressed below: 10"/,
    );
  });

  test('when a view reads a name that is neither a table nor another view', async () => {
    const files = {
      'doses_daily.sql': aReport('SELECT 1 FROM `ereg.events`'),
      'rates.sql': aReport('SELECT * FROM `ereg.doses_dialy`'),
    };
    await expect(deployWith(files)).rejects.toThrow(/rates\.sql: `ereg\.doses_dialy` is neither a table/);
  });

  test('when a view reads the events but never names occurred_at, so BigQuery would refuse every query of it', async () => {
    const files = {
      'doses_daily.sql': aReport(
        "\n-- occurred_at in a comment is no filter\nSELECT 'occurred_at' AS s FROM `ereg.events` WHERE type = 'dose.given'",
      ),
    };
    await expect(deployWith(files)).rejects.toThrow(
      /doses_daily\.sql: reads `ereg\.events`, which BigQuery queries only with a filter on occurred_at/,
    );
  });

  test('when a table is laid out on a column its schema lacks', async () => {
    const schemas = { ...someSchemas(), availability_snapshots: [] };
    await expect(deployWith({}, schemas)).rejects.toThrow(
      /availability-snapshots-schema\.json: the availability_snapshots table is partitioned by day on snapshot_date/,
    );
  });
});
