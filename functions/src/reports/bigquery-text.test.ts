import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { TEST_ANALYTICS } from '@ereg/shared/testing';
import sqlParser from 'node-sql-parser';
import { SqliteAnalytics } from '../adapters/sqlite/sqlite-analytics.ts';
import { LocalWarehouse, localName } from './local-warehouse.ts';
import { orderViews, qualifyQuery, readViewFiles, WAREHOUSE_TABLES } from './view-files.ts';
import { REPORT_QUERIES } from './warehouse-reports.ts';

/**
 * What can be checked of the BigQuery texts without BigQuery (docs/testing.md): each view and each
 * report query, as deployed (qualified by a project), is read by a GoogleSQL grammar (node-sql-parser,
 * dialect `bigquery`), outputs the columns its header documents, and reads the tables and views it
 * names; the same text, translated, runs on SQLite over tables with BigQuery's columns.
 */

const parser = new sqlParser.Parser();
const PROJECT = 'ereg-check';
const views = orderViews(readViewFiles(), WAREHOUSE_TABLES);

interface Column {
  as?: string | null;
  expr?: { type?: string; column?: string | { expr?: { value?: string } } };
}

function parse(text: string): { columns: Column[] } {
  const ast = parser.astify(qualifyQuery(text, PROJECT), { database: 'bigquery' });
  return (Array.isArray(ast) ? ast[0] : ast) as unknown as { columns: Column[] };
}

/** The name of an output column as the parser gives it: its alias, else the column it is. */
function outputName(column: Column): string | undefined {
  if (column.as) return column.as;
  const inner = column.expr?.column;
  return typeof inner === 'string' ? inner : inner?.expr?.value;
}

const tablesRead = (text: string) =>
  parser
    .tableList(qualifyQuery(text, PROJECT), { database: 'bigquery' })
    .map((entry) => entry.split('::')[2] ?? '')
    .filter((name) => name.startsWith(`${PROJECT}.`));

describe.each(views.map((v) => [v.name, v] as const))('the view %s', (_, view) => {
  test('is read by a GoogleSQL grammar as deployed, and outputs the columns its header documents', () => {
    expect(parse(view.query).columns.map(outputName)).toEqual(view.columns.map((c) => c.name));
  });

  test('reads the tables and views it names, qualified by the project', () => {
    expect(new Set(tablesRead(view.query))).toEqual(new Set(view.references.map((r) => `${PROJECT}.ereg.${r}`)));
  });
});

describe.each(Object.entries(REPORT_QUERIES))('the report query %s', (_, text) => {
  test('is read by a GoogleSQL grammar as deployed', () => {
    expect(parse(text).columns.length).toBeGreaterThan(0);
  });
});

test('the grammar check can fail: a view with a parenthesis missing is refused', () => {
  const broken = (views.find((v) => v.name === 'doses_daily')?.query ?? '').replace('COUNT(*)', 'COUNT(*');
  expect(() => parse(broken)).toThrow();
});

describe('the same texts on SQLite', () => {
  const db = new DatabaseSync(':memory:');
  new SqliteAnalytics(db, TEST_ANALYTICS);
  const warehouse = new LocalWarehouse(db);
  afterAll(() => db.close());

  test.each(views.map((v) => [v.name, v] as const))('%s outputs the documented columns', (_, view) => {
    const columns = db.prepare(`SELECT * FROM ${localName(view.name)}`).columns();
    expect(columns.map((c) => c.name)).toEqual(view.columns.map((c) => c.name));
  });

  test.each(Object.entries(REPORT_QUERIES))('the report query %s runs', (_, text) => {
    const names = [...new Set([...text.matchAll(/@([a-z_]+)/g)].map((m) => m[1] as string))];
    expect(() => warehouse.query(text, Object.fromEntries(names.map((n) => [n, null])))).not.toThrow();
  });

  test.each(WAREHOUSE_TABLES.map((t) => [t]))('the table %s has the columns of its BigQuery schema', (table) => {
    const file = table === 'events' ? 'events' : table.replaceAll('_', '-');
    const schema = JSON.parse(
      readFileSync(join(import.meta.dirname, '..', 'adapters', 'bigquery', `${file}-schema.json`), 'utf8'),
    ) as Array<{ name: string }>;
    const local = db.prepare(`PRAGMA table_info(${localName(table)})`).all() as Array<{ name: string }>;
    expect(local.map((c) => c.name).sort()).toEqual(schema.map((c) => c.name).sort());
  });
});
