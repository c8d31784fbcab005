import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { orderViews, parseViewFile, qualifyQuery, readViewFiles, type ViewFile } from './view-files.ts';

const TABLES = ['events', 'centres', 'population'];

/** A view file's text: its header, then its query. */
function aViewSql(
  options: { description?: string; columns?: string[]; extraHeader?: string[]; query?: string } = {},
): string {
  const {
    description = 'Doses given per centre and day',
    columns = ['centre_id: the centre', 'doses: doses given'],
    extraHeader = [],
    query = 'SELECT centre_id, COUNT(*) AS doses FROM `ereg.events` GROUP BY centre_id',
  } = options;
  return [`-- ${description}`, ...[...columns, ...extraHeader].map((line) => `-- ${line}`), query, ''].join('\n');
}

const aView = (name: string, query: string): ViewFile => parseViewFile(`${name}.sql`, aViewSql({ query }));

describe('a view file', () => {
  test('gives its first comment line as the description and the next ones as its columns', () => {
    const view = parseViewFile('sql/doses_daily.sql', aViewSql());
    expect(view).toMatchObject({
      name: 'doses_daily',
      description: 'Doses given per centre and day',
      columns: [
        { name: 'centre_id', description: 'the centre' },
        { name: 'doses', description: 'doses given' },
      ],
      suppressedBelow: null,
      references: ['events'],
    });
  });

  test('tells where a view kept as a table on one machine takes its days from', () => {
    const daily = {
      columns: ['day: the visit day', 'doses: doses given'],
      extraHeader: ['refreshed by: events.visit_date'],
    };
    const view = parseViewFile('v.sql', aViewSql(daily));
    expect(view.refresh).toEqual({ source: 'events', column: 'visit_date' });
    expect(parseViewFile('w.sql', aViewSql()).refresh).toBeNull();
  });

  test('a view refreshed by a column has the day or that column first, from a table of the warehouse', () => {
    expect(() => parseViewFile('v.sql', aViewSql({ extraHeader: ['refreshed by: events.visit_date'] }))).toThrow(
      'v.sql: a view refreshed by events.visit_date has «day» or «visit_date» as its first column',
    );
    const byPerson = {
      columns: ['subject_id: the person', 'born: the year'],
      extraHeader: ['refreshed by: events.subject_id'],
    };
    expect(parseViewFile('v.sql', aViewSql(byPerson)).refresh).toEqual({ source: 'events', column: 'subject_id' });
    const elsewhere = { columns: ['day: the day'], extraHeader: ['refreshed by: appointments.visit_date'] };
    expect(() => parseViewFile('v.sql', aViewSql(elsewhere))).toThrow('not a table of the warehouse');
  });

  test('keeps the query with its header and drops a trailing semicolon', () => {
    const view = parseViewFile('v.sql', aViewSql({ query: 'SELECT 1 AS one FROM `ereg.events`;\n\n' }));
    expect(view.query.startsWith('-- Doses given per centre and day\n')).toBe(true);
    expect(view.query.endsWith('FROM `ereg.events`')).toBe(true);
  });

  test('reads each table or view once, in order of first mention, and not in comments or strings', () => {
    const query = [
      'SELECT d.*, p.people',
      '-- compared with `ereg.vaccines` some day',
      '/* `ereg.availability_snapshots` too */',
      'FROM `ereg.doses_daily` AS d JOIN `ereg.population` AS p USING (voivodeship) # `ereg.old`',
      'WHERE d.note != \'see `ereg.events`\' AND d.other != "`ereg.centres`"',
      'UNION ALL SELECT * FROM `ereg.doses_daily`',
    ].join('\n');
    expect(aView('v', query).references).toEqual(['doses_daily', 'population']);
  });

  test('with no header, no column described or a header line of no known form is refused, naming the file', () => {
    expect(() => parseViewFile('sql/bare.sql', 'SELECT 1')).toThrow(/sql\/bare\.sql: the file must begin/);
    expect(() => parseViewFile('sql/nocols.sql', aViewSql({ columns: [] }))).toThrow(
      /sql\/nocols\.sql: the header must describe each output column/,
    );
    expect(() => parseViewFile('sql/odd.sql', aViewSql({ extraHeader: ['counts are per day'] }))).toThrow(
      /sql\/odd\.sql: the header line "-- counts are per day"/,
    );
    expect(() => parseViewFile('sql/twice.sql', aViewSql({ columns: ['a: one', 'a: again'] }))).toThrow(
      /twice\.sql: column a is described twice/,
    );
  });

  test('a comment after the header, past a blank line, is the query’s own', () => {
    const view = parseViewFile('v.sql', aViewSql({ query: '\n-- counts are per day\nSELECT 1 AS one' }));
    expect(view.columns.map((c) => c.name)).toEqual(['centre_id', 'doses']);
  });

  test('with only a header is refused', () => {
    expect(() => parseViewFile('sql/empty.sql', aViewSql({ query: '\n/* nothing yet */\n-- nor here' }))).toThrow(
      /empty\.sql: there is no query after the header/,
    );
  });

  test('whose name is not a table name is refused', () => {
    expect(() => parseViewFile('sql/doses-daily.sql', aViewSql())).toThrow(
      /doses-daily\.sql: .*doses-daily is not one/,
    );
  });

  test('a public_ view without "-- suppressed below: 10" is refused, naming the file', () => {
    expect(() => parseViewFile('sql/public_coverage.sql', aViewSql())).toThrow(
      /sql\/public_coverage\.sql: a public_ view .* "-- suppressed below: 10"/,
    );
    expect(() => parseViewFile('sql/public_coverage.sql', aViewSql({ extraHeader: ['suppressed below: 5'] }))).toThrow(
      /public_coverage\.sql: .*it says 5/,
    );
    const view = parseViewFile('sql/public_coverage.sql', aViewSql({ extraHeader: ['suppressed below: 10'] }));
    expect(view.suppressedBelow).toBe(10);
    expect(view.columns.map((c) => c.name)).toEqual(['centre_id', 'doses']);
  });

  test('a table written with a project, without backticks or in two pairs of backticks is refused', () => {
    expect(() => aView('p', 'SELECT * FROM `my-project.ereg.events`')).toThrow(/p\.sql: .*without a project/);
    expect(() => aView('u', 'SELECT * FROM ereg.events')).toThrow(/u\.sql: ereg\.events must be written in backticks/);
    expect(() => aView('t', 'SELECT * FROM `ereg`.`events`')).toThrow(/t\.sql: `ereg` is not how/);
  });
});

describe('the views of a folder', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ereg-views-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('are its .sql files, by name', () => {
    writeFileSync(join(dir, 'b_view.sql'), aViewSql());
    writeFileSync(join(dir, 'a_view.sql'), aViewSql());
    writeFileSync(join(dir, 'README.md'), 'not a view');
    mkdirSync(join(dir, 'drafts'));
    expect(readViewFiles(dir).map((v) => [v.name, v.file])).toEqual([
      ['a_view', join(dir, 'a_view.sql')],
      ['b_view', join(dir, 'b_view.sql')],
    ]);
  });

  test('are none when the folder does not exist', () => {
    expect(readViewFiles(join(dir, 'missing'))).toEqual([]);
  });

  test('come in an order where each follows the views it reads', () => {
    const views = [
      aView('a_top', 'SELECT * FROM `ereg.b_middle` JOIN `ereg.population` USING (voivodeship)'),
      aView('b_middle', 'SELECT * FROM `ereg.c_base`'),
      aView('c_base', 'SELECT * FROM `ereg.events`'),
    ];
    expect(orderViews(views, TABLES).map((v) => v.name)).toEqual(['c_base', 'b_middle', 'a_top']);
  });

  test('reading a name that is neither a table nor a view is refused, naming the file and the name', () => {
    const views = [aView('doses', 'SELECT * FROM `ereg.events`'), aView('rates', 'SELECT * FROM `ereg.dose_daily`')];
    expect(() => orderViews(views, TABLES)).toThrow(
      /rates\.sql: `ereg\.dose_daily` is neither a table of the warehouse \(events, centres, population\) nor another view/,
    );
  });

  test('reading each other in a circle, or taking a table’s name, is refused', () => {
    const circle = [aView('a', 'SELECT * FROM `ereg.b`'), aView('b', 'SELECT * FROM `ereg.a`')];
    expect(() => orderViews(circle, TABLES)).toThrow(/read each other in a circle \(a → b → a\)/);
    expect(() => orderViews([aView('centres', 'SELECT 1 AS one')], TABLES)).toThrow(
      /centres\.sql: ereg\.centres is a table/,
    );
  });
});

describe('a qualified query', () => {
  test('names the project in every table and view it reads, and leaves comments and strings alone', () => {
    const query =
      "-- from `ereg.events`\nSELECT 'ereg.events' AS s FROM `ereg.events` JOIN `ereg.doses_daily` USING (d)";
    expect(qualifyQuery(query, 'ereg-prod')).toBe(
      "-- from `ereg.events`\nSELECT 'ereg.events' AS s FROM `ereg-prod.ereg.events` JOIN `ereg-prod.ereg.doses_daily` USING (d)",
    );
  });
});
