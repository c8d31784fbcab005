import { createHash } from 'node:crypto';
import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import { type Additive, additiveOf } from './additive-views.ts';
import { toSqlite } from './dialect.ts';
import {
  codeOf,
  orderViews,
  readViewFiles,
  type ViewFile,
  WAREHOUSE_TABLES,
  type WarehouseTable,
} from './view-files.ts';

/** The local name of a warehouse table or view: `ereg.events` is `report_events`. */
export const localName = (name: string) => `report_${name}`;

/**
 * The warehouse's tables on one machine, as in BigQuery (the schemas beside the events table's in
 * functions/src/adapters/bigquery/); `report_events` is the analytics sink's (SqliteAnalytics).
 */
const TABLES = `
  CREATE TABLE IF NOT EXISTS report_centres (
    centre_id TEXT PRIMARY KEY,
    name TEXT,
    town TEXT,
    postal_code TEXT,
    voivodeship TEXT NOT NULL,
    powiat TEXT,
    gmina TEXT,
    latitude REAL,
    longitude REAL,
    time_zone TEXT,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS report_vaccines (
    vaccine_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    manufacturer TEXT,
    doses INTEGER NOT NULL,
    min_interval_days INTEGER,
    recommended_interval_days INTEGER,
    max_interval_days INTEGER,
    min_age INTEGER,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS report_population (
    voivodeship TEXT NOT NULL,
    age_band TEXT NOT NULL,
    people INTEGER NOT NULL,
    reference_date TEXT NOT NULL,
    PRIMARY KEY (voivodeship, age_band)
  );
  CREATE TABLE IF NOT EXISTS report_availability_snapshots (
    snapshot_date TEXT NOT NULL,
    centre_id TEXT NOT NULL,
    vaccine_id TEXT NOT NULL,
    places_published INTEGER NOT NULL,
    places_booked INTEGER NOT NULL,
    places_free INTEGER NOT NULL,
    first_free_date TEXT,
    taken_at TEXT NOT NULL,
    places_free_7d INTEGER,
    places_free_14d INTEGER,
    PRIMARY KEY (snapshot_date, centre_id, vaccine_id)
  );
  CREATE TABLE IF NOT EXISTS report_refreshes (
    view TEXT PRIMARY KEY,
    definition TEXT NOT NULL,
    source_rowid INTEGER NOT NULL
  );
`;

/** A row of `centres`: a centre with its TERYT codes. */
export interface CentreRow {
  centre_id: string;
  name: string;
  town: string;
  postal_code: string;
  voivodeship: string;
  powiat: string | null;
  gmina: string | null;
  latitude: number;
  longitude: number;
  time_zone: string;
  updated_at: string;
}

/** A row of `vaccines`: a product of the catalogue. */
export interface VaccineRow {
  vaccine_id: string;
  name: string;
  manufacturer: string;
  doses: number;
  min_interval_days: number | null;
  recommended_interval_days: number | null;
  max_interval_days: number | null;
  min_age: number | null;
  updated_at: string;
}

/** A row of `population`: inhabitants of a voivodeship in an age band. */
export interface PopulationRow {
  voivodeship: string;
  age_band: string;
  people: number;
  reference_date: string;
}

/** A row of `availability_snapshots`: a centre's places for a product in the 28 days from a day. */
export interface SnapshotRow {
  snapshot_date: string;
  centre_id: string;
  vaccine_id: string;
  places_published: number;
  places_booked: number;
  places_free: number;
  first_free_date: string | null;
  taken_at: string;
  /** Of places_free, those in the first 7 and 14 days; null in snapshots taken before they were counted. */
  places_free_7d: number | null;
  places_free_14d: number | null;
}

/** What one refresh did to one view kept as a table. */
export interface ViewRefresh {
  view: string;
  /** Every key rebuilt (the view's text changed, or it was new), or how many keys (days) new source rows touched. */
  rebuilt: 'all' | number;
  ms: number;
}

const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

/**
 * The warehouse on the embedded default: the same views as BigQuery's, from the same GoogleSQL files
 * (translated by dialect.ts), on the SQLite file the system runs on. A view with `refreshed by` in
 * its header is kept as a table and brought up to date by `refresh()`, which recomputes only the days
 * new source rows touch — so a report reads aggregates already made, never the events; the other views
 * are SQLite views over those tables and the dimensions.
 */
export class LocalWarehouse {
  readonly views: readonly ViewFile[];
  private readonly db: DatabaseSync;
  private readonly byName: Map<string, ViewFile>;
  /** The views kept as tables whose days add up (see additiveOf). */
  private readonly additive: Map<string, Additive>;

  constructor(db: DatabaseSync, views: readonly ViewFile[] = orderViews(readViewFiles(), WAREHOUSE_TABLES)) {
    this.db = db;
    this.views = views;
    this.byName = new Map(views.map((v) => [v.name, v]));
    this.additive = new Map(
      views.flatMap((v) => {
        const additive = additiveOf(v);
        return additive ? [[v.name, additive] as const] : [];
      }),
    );
    if (!hasTable(db, 'report_events')) {
      throw new Error(
        'The warehouse reads report_events, which the analytics sink (SqliteAnalytics) makes: start it first.',
      );
    }
    // One transaction holding the write lock: two processes starting on one file at once take turns
    // (the connection's busy timeout), and the second finds the views made.
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(TABLES);
      addMissingColumns(db);
      this.defineViews();
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
    this.informPlanner();
  }

  /** How many event rows there were when SQLite last sampled report_events' indexes (-1: never here). */
  private analysedRows = -1;

  /**
   * Lets SQLite's planner know how the events spread over their indexes (`ANALYZE` on a sample of each
   * index, about a second on the national data set), again whenever the table has doubled. Without it
   * the planner took the time index for the views' `occurred_at >= '2020-01-01'` (every row) over the
   * index on (type, day), and making one day of the visits' outcomes again read all 14 M events: 5 s
   * instead of 1 ms, with the server's one event loop held all that time.
   */
  private informPlanner(): void {
    const { rows } = this.db.prepare('SELECT COALESCE(MAX(rowid), 0) AS rows FROM report_events').get() as {
      rows: number;
    };
    if (this.analysedRows >= 0 && rows < this.analysedRows * 2 + 10_000) return;
    this.db.exec('PRAGMA analysis_limit = 1000');
    this.db.exec('ANALYZE report_events');
    this.analysedRows = rows;
  }

  /** The view's SQLite text, reading `sources` in place of the named tables where given. */
  sqliteText(view: ViewFile, sources: Partial<Record<string, string>> = {}): string {
    return toSqlite(view.query, (name) => sources[name] ?? localName(name), `${view.name}.sql`);
  }

  /**
   * Brings every view kept as a table up to date: a view whose text changed is rebuilt whole, the
   * others recompute the days of the source rows added since their last refresh.
   */
  refresh(): ViewRefresh[] {
    return this.keptAsTables.map((v) => this.refreshView(v));
  }

  /** The views kept as tables, in an order to refresh them in (each after every view it reads). */
  get keptAsTables(): ViewFile[] {
    return this.views.filter((v) => v.refresh);
  }

  /**
   * As `refresh()`, one view at a time, each inside `section` (the store's exclusive section), the
   * event loop free between two: requests that came during one view's refresh are answered before
   * the next begins, so the longest stall is one view's, not all of them.
   */
  async refreshInTurns(section: (work: () => ViewRefresh) => Promise<ViewRefresh>): Promise<ViewRefresh[]> {
    const refreshed: ViewRefresh[] = [];
    for (const view of this.keptAsTables) {
      refreshed.push(await section(() => this.refreshView(view)));
      await new Promise((resolve) => setImmediate(resolve));
    }
    return refreshed;
  }

  /** Puts the centres dimension's rows in place of those it had (a centre's row replaced by its id). */
  putCentres(rows: readonly CentreRow[]): void {
    this.put('centres', rows, false);
  }

  putVaccines(rows: readonly VaccineRow[]): void {
    this.put('vaccines', rows, true);
  }

  putPopulation(rows: readonly PopulationRow[]): void {
    this.put('population', rows, true);
  }

  /**
   * Adds a day's snapshots (a snapshot taken again replaces the one of the same day, centre and
   * product); `inTransaction`: within the caller's open transaction.
   */
  putSnapshots(rows: readonly SnapshotRow[], options: { inTransaction?: boolean } = {}): void {
    this.put('availability_snapshots', rows, false, options.inTransaction ?? false);
  }

  /** Whether a snapshot of a day's availability has been taken. */
  hasSnapshotOf(date: string): boolean {
    return (
      this.db.prepare('SELECT 1 FROM report_availability_snapshots WHERE snapshot_date = ? LIMIT 1').get(date) !==
      undefined
    );
  }

  /**
   * Every day of every view kept as a table is made again at the next refresh: after a dimension
   * changed (a centre given its powiat), which rows already made do not follow by themselves.
   */
  rebuildAtNextRefresh(): void {
    this.db.exec('UPDATE report_refreshes SET source_rowid = -1');
  }

  private put(table: WarehouseTable, rows: readonly object[], replaceAll: boolean, inTransaction = false): void {
    const first = rows[0];
    if (!inTransaction) this.db.exec('BEGIN IMMEDIATE');
    try {
      if (replaceAll) this.db.exec(`DELETE FROM ${localName(table)}`);
      if (first) {
        const columns = Object.keys(first);
        const insert = this.db.prepare(
          `INSERT OR REPLACE INTO ${localName(table)} (${columns.join(', ')}) VALUES (${columns.map((c) => `:${c}`).join(', ')})`,
        );
        for (const row of rows) insert.run(row as Record<string, SQLInputValue>);
      }
      if (!inTransaction) this.db.exec('COMMIT');
    } catch (error) {
      if (!inTransaction) this.db.exec('ROLLBACK');
      throw error;
    }
  }

  /** Rows of a view or table (`ereg.<name>`), with an optional SQL condition on its columns and parameters. */
  rows<T = Record<string, unknown>>(name: string, where = '', params: Record<string, SQLInputValue> = {}): T[] {
    if (!this.byName.has(name) && !(WAREHOUSE_TABLES as readonly string[]).includes(name)) {
      throw new Error(`No view or table ereg.${name}`);
    }
    const sql = `SELECT * FROM ${localName(name)}${where ? ` WHERE ${where}` : ''}`;
    return this.db
      .prepare(sql)
      .all(params)
      .map((row) => ({ ...row }) as T);
  }

  /** Runs an analyst's GoogleSQL query (tables and views named `ereg.<name>`) on the local warehouse. */
  query<T = Record<string, unknown>>(googleSql: string, params: Record<string, SQLInputValue> = {}): T[] {
    const sql = toSqlite(googleSql, localName, 'query');
    // A parameter the text does not use is left out: SQLite refuses one it is given.
    const used = new Set([...googleSql.matchAll(/@([A-Za-z_]\w*)/g)].map((m) => m[1]));
    const bound = Object.fromEntries(Object.entries(params).filter(([name]) => used.has(name)));
    return this.db
      .prepare(sql)
      .all(bound)
      .map((row) => ({ ...row }) as T);
  }

  private defineViews(): void {
    const known = new Map(
      (
        this.db.prepare('SELECT view, definition FROM report_refreshes').all() as Array<{
          view: string;
          definition: string;
        }>
      ).map((r) => [r.view, r.definition]),
    );
    for (const view of this.views) {
      const table = localName(view.name);
      if (view.refresh) {
        const definition = hash(view.query);
        if (known.get(view.name) === definition && hasTable(this.db, table)) continue;
        this.drop(table);
        this.db.exec(`CREATE TABLE ${table} AS SELECT * FROM (${this.sqliteText(view)}) WHERE 0`);
        this.db.exec(`CREATE INDEX ${table}_by_${keyOf(view)} ON ${table} (${keyOf(view)})`);
        this.db
          .prepare('INSERT OR REPLACE INTO report_refreshes (view, definition, source_rowid) VALUES (?, ?, -1)')
          .run(view.name, definition);
      } else {
        const sql = `CREATE VIEW ${table} AS ${this.sqliteText(view)}`;
        const existing = this.db.prepare("SELECT sql FROM sqlite_master WHERE type = 'view' AND name = ?").get(table) as
          | { sql: string }
          | undefined;
        if (existing?.sql === sql) continue;
        this.drop(table);
        this.db.exec(sql);
      }
    }
  }

  /**
   * Makes again the keys (days) of a view that the new source rows (`temp.refresh_new`) give rows of
   * in the view of them alone — a row the view does not read (a booking, for the visits' outcomes)
   * makes nothing again — or, for a view that could drop a group or a row by what other rows hold
   * (HAVING, an inner join, withheld small counts), every key the new rows have. Answers how many.
   */
  private remakeKeysOfNewRows(view: ViewFile, since: number, last: number): number {
    const { source, column } = view.refresh as NonNullable<ViewFile['refresh']>;
    const keysOfNew = readsRowByRow(view)
      ? `SELECT ${keyOf(view)} AS key FROM (${this.sqliteText(view, { [source]: 'temp.refresh_new' })})`
      : `SELECT ${column} AS key FROM temp.refresh_new`;
    // `people` is the one dimension made of events: a person registered late (their visits
    // delivered before their registration) has the days of their events made again.
    const ofPeople =
      source === 'events' && view.references.includes('people')
        ? `UNION SELECT ${column} AS key FROM report_events WHERE ${column} IS NOT NULL AND person_id IN (
             SELECT subject_id FROM report_events
             WHERE rowid > @since AND rowid <= @last AND type IN ('patient.registered', 'patient.registered.v2'))`
        : '';
    const { keys } = this.db
      .prepare(
        `SELECT json_group_array(key) AS keys FROM (SELECT DISTINCT key FROM (${keysOfNew} ${ofPeople}) WHERE key IS NOT NULL)`,
      )
      .get(ofPeople ? { since, last } : {}) as { keys: string };
    const statements = this.keyStatements(view);
    this.db.prepare(statements.remove).run({ keys });
    this.db.prepare(statements.insert).run({ keys });
    return (JSON.parse(keys) as unknown[]).length;
  }

  /**
   * Brings an additive view's days up to date with the new source rows (`temp.refresh_new`): the view
   * of those rows alone, added to the rows it has of their days, group by group. The cost is the new
   * rows' and the days' groups', not the days' source rows'. Answers how many days it touched.
   */
  private addNewRows(view: ViewFile, { keys, sums }: Additive): number {
    const { source } = view.refresh as NonNullable<ViewFile['refresh']>;
    const table = localName(view.name);
    const key = keyOf(view);
    const columns = [...keys, ...sums].join(', ');
    const fresh = this.sqliteText(view, { [source]: 'temp.refresh_new' });
    try {
      this.db.exec(
        `CREATE TEMP TABLE refresh_merged AS
         SELECT ${keys.join(', ')}, ${sums.map((s) => `SUM(${s}) AS ${s}`).join(', ')}
         FROM (
           SELECT ${columns} FROM ${table} WHERE ${key} IN (SELECT ${key} FROM (${fresh}))
           UNION ALL
           SELECT ${columns} FROM (${fresh})
         )
         GROUP BY ${keys.join(', ')}`,
      );
      this.db.exec(`DELETE FROM ${table} WHERE ${key} IN (SELECT ${key} FROM temp.refresh_merged)`);
      this.db.exec(`INSERT INTO ${table} (${columns}) SELECT ${columns} FROM temp.refresh_merged`);
      const { days } = this.db.prepare(`SELECT COUNT(DISTINCT ${key}) AS days FROM temp.refresh_merged`).get() as {
        days: number;
      };
      return days;
    } finally {
      this.db.exec('DROP TABLE IF EXISTS temp.refresh_merged');
    }
  }

  /** How far each view kept as a table that `view` reads has been refreshed (none: nothing to wait for). */
  private marksOfKeptViewsRead(view: ViewFile): number[] {
    const read = view.references.filter((name) => this.byName.get(name)?.refresh);
    return read.map((name) => {
      const { source_rowid: mark } = this.db
        .prepare('SELECT source_rowid FROM report_refreshes WHERE view = ?')
        .get(name) as { source_rowid: number };
      return mark < 0 ? Number.POSITIVE_INFINITY : mark;
    });
  }

  /** Drops a table or view of that name, whichever it is (a view's kind can change between versions). */
  private drop(name: string): void {
    const found = this.db
      .prepare("SELECT type FROM sqlite_master WHERE name = ? AND type IN ('table', 'view')")
      .get(name) as { type: 'table' | 'view' } | undefined;
    if (found) this.db.exec(`DROP ${found.type === 'view' ? 'VIEW' : 'TABLE'} ${name}`);
  }

  /**
   * The statements that make a view's rows of some keys (`@keys`, a JSON array of days, or of the
   * values of its first column) again: the removal of their rows, and the insertion of rows made from
   * the source rows with those keys.
   */
  keyStatements(view: ViewFile): { remove: string; insert: string } {
    const { source, column } = view.refresh as NonNullable<ViewFile['refresh']>;
    const table = localName(view.name);
    const ofKeys = `(SELECT * FROM ${localName(source)} WHERE ${column} IN (SELECT value FROM json_each(@keys)))`;
    return {
      remove: `DELETE FROM ${table} WHERE ${keyOf(view)} IN (SELECT value FROM json_each(@keys))`,
      insert: `INSERT INTO ${table} SELECT * FROM (${this.sqliteText(view, { [source]: ofKeys })})`,
    };
  }

  /** Brings one view kept as a table up to date, in its own transaction. */
  refreshView(view: ViewFile): ViewRefresh {
    const started = performance.now();
    this.informPlanner();
    const { source } = view.refresh as NonNullable<ViewFile['refresh']>;
    const table = localName(view.name);
    const sourceTable = localName(source satisfies WarehouseTable);
    const { source_rowid: since } = this.db
      .prepare('SELECT source_rowid FROM report_refreshes WHERE view = ?')
      .get(view.name) as { source_rowid: number };
    const { newest } = this.db.prepare(`SELECT COALESCE(MAX(rowid), 0) AS newest FROM ${sourceTable}`).get() as {
      newest: number;
    };
    // A view reading another kept as a table goes no further than that one has: what it reads of the
    // rows after is made again at its next refresh (`people` refreshed in its own turn, events between).
    const last = Math.min(newest, ...this.marksOfKeptViewsRead(view));
    const done = (rebuilt: ViewRefresh['rebuilt']) => ({
      view: view.name,
      rebuilt,
      ms: Math.round(performance.now() - started),
    });
    if (last <= since) return done(0);
    this.db.exec('BEGIN IMMEDIATE');
    try {
      let rebuilt: ViewRefresh['rebuilt'];
      if (since < 0) {
        this.db.exec(`DELETE FROM ${table}`);
        this.db.exec(`INSERT INTO ${table} SELECT * FROM (${this.sqliteText(view)})`);
        rebuilt = 'all';
      } else {
        // The new source rows, apart: what follows reads them, not the source's index on their days.
        this.db
          .prepare(`CREATE TEMP TABLE refresh_new AS SELECT * FROM ${sourceTable} WHERE rowid > ? AND rowid <= ?`)
          .run(since, last);
        try {
          const additive = this.additive.get(view.name);
          rebuilt = additive ? this.addNewRows(view, additive) : this.remakeKeysOfNewRows(view, since, last);
        } finally {
          this.db.exec('DROP TABLE temp.refresh_new');
        }
      }
      this.db.prepare('UPDATE report_refreshes SET source_rowid = ? WHERE view = ?').run(last, view.name);
      this.db.exec('COMMIT');
      return done(rebuilt);
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }
}

/** Columns added to a table after files were made with it: added to such a file, empty in its old rows. */
const ADDED_COLUMNS: ReadonlyArray<{ table: string; column: string; type: string }> = [
  { table: 'report_availability_snapshots', column: 'places_free_7d', type: 'INTEGER' },
  { table: 'report_availability_snapshots', column: 'places_free_14d', type: 'INTEGER' },
];

function addMissingColumns(db: DatabaseSync): void {
  for (const { table, column, type } of ADDED_COLUMNS) {
    const columns = db.prepare(`SELECT name FROM pragma_table_info('${table}')`).all() as Array<{ name: string }>;
    if (!columns.some((c) => c.name === column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
  }
}

/**
 * Whether every source row a view reads gives, in the view of any set of rows holding it, a row of
 * its own key: so only the keys of new rows the view reads need making again. Not so where a group
 * can be dropped by a count (HAVING, a withheld small count) or a row by a missing partner (an inner join).
 */
function readsRowByRow(view: ViewFile): boolean {
  const code = codeOf(view.query);
  const innerJoin = [...code.matchAll(/\b(\w+)\s+JOIN\b/gi)].some((m) => m[1]?.toUpperCase() !== 'LEFT');
  return view.suppressedBelow === null && !/\bHAVING\b/i.test(code) && !innerJoin;
}

/** The column a view kept as a table is refreshed by: its first (`day`, or the source column's own). */
function keyOf(view: ViewFile): string {
  return view.columns[0]?.name ?? 'day';
}

function hasTable(db: DatabaseSync, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?").get(name) !== undefined;
}
