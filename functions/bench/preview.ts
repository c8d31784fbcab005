/**
 * How fast the preview of an eligibility change answers on a national data set, read only:
 *
 *   npm run bench:preview -- [path to the national ereg.sqlite] [path of the aggregates file to build]
 *
 * The preview's aggregates that the national file does not hold yet (registrations by birth year,
 * the groups' members, the snapshot's free places of 7 and 14 days) are built once, in one pass over
 * its report_events and slots, into a separate small file; the national file is opened read-only and
 * never written. Then a few typical drafts are previewed: the first run of each cold (the queries
 * run), then warm (their answers kept until the next refresh, as the local reader keeps them).
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import {
  type Clock,
  type EligibilityRule,
  type PreviewDraft,
  previewPolicy,
  SNAPSHOT_DAYS,
  VACCINES,
} from '@ereg/shared';
import { toSqlite } from '../src/reports/dialect.ts';
import { localName } from '../src/reports/local-warehouse.ts';
import { WarehousePreviewData } from '../src/reports/preview-data.ts';
import { readViewFiles } from '../src/reports/view-files.ts';
import type { RunQuery } from '../src/reports/warehouse-reports.ts';

const TZ = 'Europe/Warsaw';
const nationalPath = process.argv[2] ?? '.data/national/ereg.sqlite';
const aggregatesPath = process.argv[3] ?? '/tmp/ereg-preview-aggregates.sqlite';

function build(): void {
  const started = performance.now();
  const building = `${aggregatesPath}.building`;
  if (existsSync(building)) rmSync(building);
  const national = new DatabaseSync(nationalPath, { readOnly: true });
  const out = new DatabaseSync(building);
  const views = new Map(readViewFiles().map((v) => [v.name, v]));
  const copy = (table: string, sql: string) => {
    const statement = national.prepare(sql);
    const columns = statement.columns().map((c) => c.name);
    const rows = statement.all();
    out.exec(`CREATE TABLE ${table} (${columns.join(', ')})`);
    const insert = out.prepare(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `:${c}`).join(', ')})`,
    );
    out.exec('BEGIN');
    for (const row of rows) insert.run(row as Record<string, string | number | null>);
    out.exec('COMMIT');
  };
  const viewSql = (name: string) => toSqlite(views.get(name)?.query ?? '', localName, `${name}.sql`);
  copy('report_registrations_by_birth_year', `SELECT * FROM (${viewSql('registrations_by_birth_year')})`);
  copy('report_group_members', `SELECT * FROM (${viewSql('group_members')})`);
  copy('report_centres', 'SELECT * FROM report_centres');
  copy('report_population', 'SELECT * FROM report_population');
  // The latest snapshot's places again from the slots, with the 7 and 14 days' free places.
  const { day } = national.prepare('SELECT MAX(snapshot_date) AS day FROM report_availability_snapshots').get() as {
    day: string;
  };
  copy(
    'report_availability_snapshots',
    `SELECT '${day}' AS snapshot_date, centre_id, vaccine_id,
       SUM(capacity) AS places_published, SUM(booked) AS places_booked, SUM(capacity - booked) AS places_free,
       SUM(CASE WHEN local_date < date('${day}', '+7 days') THEN capacity - booked ELSE 0 END) AS places_free_7d,
       SUM(CASE WHEN local_date < date('${day}', '+14 days') THEN capacity - booked ELSE 0 END) AS places_free_14d,
       MIN(CASE WHEN booked < capacity THEN local_date END) AS first_free_date,
       '${day}T00:00:00.000Z' AS taken_at
     FROM slots WHERE local_date >= '${day}' AND local_date < date('${day}', '+${SNAPSHOT_DAYS} days')
     GROUP BY centre_id, vaccine_id`,
  );
  national.close();
  out.close();
  renameSync(building, aggregatesPath);
  console.log(`Aggregates built into ${aggregatesPath} in ${Math.round(performance.now() - started)} ms.`);
}

function currentRules(): EligibilityRule[] {
  const national = new DatabaseSync(nationalPath, { readOnly: true });
  const rows = national.prepare('SELECT data FROM eligibility_rules').all() as Array<{ data: string }>;
  national.close();
  return rows.map((r) => JSON.parse(r.data) as EligibilityRule);
}

async function main(): Promise<void> {
  if (!existsSync(aggregatesPath) || process.env.PREVIEW_REBUILD === '1') build();
  const rules = currentRules();
  const db = new DatabaseSync(aggregatesPath, { readOnly: true });
  const answers = new Map<string, Array<Record<string, unknown>>>();
  const run: RunQuery = async (query) => {
    const key = `${query.name}\u0000${JSON.stringify(query.params)}`;
    const known = answers.get(key);
    if (known) return known;
    const params = Object.fromEntries(Object.entries(query.params).map(([k, p]) => [k, p.value]));
    const rows = db.prepare(toSqlite(query.sql, localName, query.name)).all(params) as Array<Record<string, unknown>>;
    answers.set(key, rows);
    return rows;
  };
  const { day } = db.prepare('SELECT MAX(snapshot_date) AS day FROM report_availability_snapshots').get() as {
    day: string;
  };
  const clock = { now: () => new Date(`${day}T12:00:00.000Z`) } satisfies Clock;
  const opensAt = new Date(Date.parse(`${day}T19:00:00.000Z`) + 7 * 86_400_000).toISOString();
  const drafts: Array<[string, PreviewDraft[]]> = [
    ['a birth year', [{ kind: 'birthYear', bornInOrBefore: 1975, opensAt }]],
    ['an age on a date', [{ kind: 'ageOnDate', minAge: 45, onDate: day, opensAt }]],
    ['a group', [{ kind: 'group', group: 'teachers', opensAt }]],
    ['a regional opening', [{ kind: 'birthYear', bornInOrBefore: 1980, opensAt, region: 'mazowieckie' }]],
  ];
  console.log('| draft | cold (ms) | warm (ms) | registered matching | newly eligible | free in 7 days |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const [name, draft] of drafts) {
    answers.clear();
    const data = new WarehousePreviewData(run, async () => null, clock, TZ);
    const time = async () => {
      const started = performance.now();
      const preview = previewPolicy({
        aggregates: await data.aggregates(),
        rules,
        drafts: draft,
        vaccines: VACCINES,
        timeZone: TZ,
      });
      return { ms: performance.now() - started, preview };
    };
    const cold = await time();
    const warm = await time();
    console.log(
      `| ${name} | ${cold.ms.toFixed(0)} | ${warm.ms.toFixed(1)} | ${cold.preview.registered.matching} | ${cold.preview.registered.newlyEligible} | ${cold.preview.totals.free7} |`,
    );
  }
  db.close();
}

await main();
