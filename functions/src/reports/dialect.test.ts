import { DatabaseSync } from 'node:sqlite';
import { DialectError, toSqlite } from './dialect.ts';

/**
 * Each construct the views may use, translated and run on SQLite, against the answer BigQuery's
 * reference documents for it (GoogleSQL functions: SAFE_DIVIDE, DIV, DATE_DIFF, DATE_TRUNC with
 * ISOWEEK, FORMAT_DATE's %G and %V, EXTRACT(ISOWEEK), JSON_VALUE's string results).
 */
const db = new DatabaseSync(':memory:');
db.exec(`CREATE TABLE report_t (n INTEGER, d TEXT, j TEXT);
  INSERT INTO report_t VALUES (1, '2021-01-03', '{"on":true,"off":false,"two":2,"half":0.5,"text":"x","obj":{"a":1},"list":[1]}'),
                              (2, '2021-03-01', '{}'), (3, NULL, '{}');`);

const one = (googleSql: string): unknown => {
  const sql = toSqlite(`SELECT ${googleSql} AS v FROM \`ereg.t\` WHERE n = 1`, (name) => `report_${name}`, 'test');
  return (db.prepare(sql).get() as { v: unknown }).v;
};

describe('the GoogleSQL the views use, on SQLite', () => {
  test.each([
    ['SAFE_DIVIDE(1, 4)', 0.25],
    ['SAFE_DIVIDE(1, 0)', null],
    ['SAFE_DIVIDE(3, 2)', 1.5],
    ['DIV(7, 2)', 3],
    ['DIV(-7, 2)', -3],
    ["IF(n = 1, 'yes', 'no')", 'yes'],
    ["IF(NULL, 'yes', 'no')", 'no'],
    ["DATE_DIFF(DATE '2021-03-01', DATE '2021-02-01', DAY)", 28],
    ["DATE_DIFF(DATE '2021-02-01', DATE '2021-03-01', DAY)", -28],
    ["DATE_ADD(DATE '2021-02-27', INTERVAL 2 DAY)", '2021-03-01'],
    ["DATE_SUB(DATE '2021-03-01', INTERVAL 1 DAY)", '2021-02-28'],
    ['DATE_ADD(d, INTERVAL n + 1 DAY)', '2021-01-05'],
    // 3 January 2021 is a Sunday of ISO week 53 of 2020, which began on Monday 28 December.
    ['DATE_TRUNC(d, ISOWEEK)', '2020-12-28'],
    ["DATE_TRUNC(DATE '2021-01-04', ISOWEEK)", '2021-01-04'],
    ["DATE_TRUNC(DATE '2021-03-17', MONTH)", '2021-03-01'],
    ["FORMAT_DATE('%G-W%V', d)", '2020-W53'],
    ["FORMAT_DATE('%Y-%m-%d', d)", '2021-01-03'],
    ['EXTRACT(YEAR FROM d)', 2021],
    ['EXTRACT(ISOWEEK FROM d)', 53],
    ["CAST('12' AS INT64)", 12],
    ['CAST(n AS STRING)', '1'],
    ['CAST(n AS FLOAT64)', 1],
    ["JSON_VALUE(j, '$.on')", 'true'],
    ["JSON_VALUE(j, '$.off')", 'false'],
    ["JSON_VALUE(j, '$.two')", '2'],
    ["JSON_VALUE(j, '$.half')", '0.5'],
    ["JSON_VALUE(j, '$.text')", 'x'],
    ["JSON_VALUE(j, '$.obj')", null],
    ["JSON_VALUE(j, '$.list')", null],
    ["JSON_VALUE(j, '$.missing')", null],
    ["TO_JSON_STRING(JSON_QUERY(j, '$.list'))", '[1]'],
    ["TO_JSON_STRING(JSON_QUERY(j, '$.obj'))", '{"a":1}'],
    ['GREATEST(1, n, 3)', 3],
    ['LEAST(4, n, 3)', 1],
    ['GREATEST(1, NULL)', null],
    ["TIMESTAMP '2021-01-01' < '2021-01-02T00:00:00.000Z'", 1],
  ])('%s is %p', (expression, expected) => {
    expect(one(expression)).toBe(expected);
  });

  test('COUNTIF counts the rows where the condition holds, 0 when none does', () => {
    const run = (where: string) =>
      db.prepare(toSqlite(`SELECT COUNTIF(${where}) AS v FROM \`ereg.t\``, (n) => `report_${n}`, 'test')).get();
    expect(run('n > 1')).toEqual({ v: 2 });
    expect(run('n > 5')).toEqual({ v: 0 });
  });

  test('UNION DISTINCT keeps one of equal rows, UNION ALL every one', () => {
    const run = (kind: string) =>
      db
        .prepare(
          toSqlite(
            `SELECT 1 AS v FROM \`ereg.t\` UNION ${kind} SELECT 1 AS v FROM \`ereg.t\``,
            (n) => `report_${n}`,
            'test',
          ),
        )
        .all().length;
    expect(run('DISTINCT')).toBe(1);
    expect(run('ALL')).toBe(6);
  });

  test('names are read through the resolver: a table, or rows put in its place', () => {
    const sql = toSqlite('SELECT COUNT(*) AS v FROM `ereg.t`', () => '(SELECT * FROM report_t WHERE n < 3)', 'test');
    expect(db.prepare(sql).get()).toEqual({ v: 2 });
  });
});

describe('what both engines would not read alike is refused, naming the file', () => {
  test.each([
    ['SELECT n / 2 FROM `ereg.t`', 'the division operator `/`'],
    ['SELECT STRING_AGG(d) FROM `ereg.t`', 'STRING_AGG() is not one of the functions both engines share'],
    ['SELECT DATE(d) FROM `ereg.t`', 'DATE() is not one of the functions'],
    ['SELECT n FROM `ereg.t` QUALIFY n = 1', 'QUALIFY is known only inside'],
    ['SELECT n FROM `ereg.t` UNION SELECT n FROM `ereg.t`', 'say UNION DISTINCT or UNION ALL'],
    ['SELECT DATE_DIFF(d, d, WEEK) FROM `ereg.t`', 'DATE_DIFF counts in DAY only'],
    ['SELECT DATE_TRUNC(d, YEAR) FROM `ereg.t`', 'DATE_TRUNC takes ISOWEEK or MONTH'],
    ["SELECT FORMAT_DATE('%d.%m.%Y', d) FROM `ereg.t`", 'FORMAT_DATE takes one of'],
    ['SELECT CAST(d AS DATE) FROM `ereg.t`', 'CAST takes AS INT64, FLOAT64, STRING (not DATE)'],
    ['SELECT n FROM `project.ereg.t`', '`project.ereg.t`: name tables and views as `ereg.<name>`'],
    ['SELECT IF(n, 1) FROM `ereg.t`', 'IF takes 3 arguments, not 2'],
    ['SELECT COUNT(n FROM `ereg.t`', 'a parenthesis is not closed'],
    [
      'SELECT TO_JSON_STRING(n) FROM `ereg.t`',
      'TO_JSON_STRING is known only as TO_JSON_STRING(JSON_QUERY(json, path))',
    ],
    ["SELECT JSON_QUERY(j, '$.list') FROM `ereg.t`", 'JSON_QUERY() is not one of the functions both engines share'],
  ])('%s', (sql, message) => {
    expect(() => toSqlite(sql, (n) => `report_${n}`, 'v.sql')).toThrow(DialectError);
    expect(() => toSqlite(sql, (n) => `report_${n}`, 'v.sql')).toThrow(`v.sql: ${message}`);
  });
});
