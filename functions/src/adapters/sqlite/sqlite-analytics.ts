import type { DatabaseSync } from 'node:sqlite';
import {
  type AnalyticsContext,
  type AnalyticsRow,
  analyticsRow,
  type Clock,
  type DomainEvent,
  type EventConsumer,
  localToday,
} from '@ereg/shared';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS report_events (
    event_id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    centre_id TEXT,
    vaccine_id TEXT,
    dose INTEGER,
    visit_date TEXT,
    actor_role TEXT NOT NULL,
    data TEXT NOT NULL,
    schema_version INTEGER NOT NULL DEFAULT 1,
    occurred_on TEXT,
    received_at TEXT,
    person_id TEXT
  );
  CREATE INDEX IF NOT EXISTS report_events_by_type_day ON report_events (type, visit_date);
  CREATE INDEX IF NOT EXISTS report_events_by_time ON report_events (occurred_at);
`;

/** Indexes on columns a table made before them gets by `addLaterColumns`. */
const LATER_INDEXES = `
  CREATE INDEX IF NOT EXISTS report_events_by_type_occurred_on ON report_events (type, occurred_on);
  CREATE INDEX IF NOT EXISTS report_events_by_subject ON report_events (subject_id, type);
  CREATE INDEX IF NOT EXISTS report_events_by_person ON report_events (person_id);
`;

/**
 * A table made before a column gets it: `schema_version` (its rows are version 1 events),
 * `occurred_on` (filled from `occurred_at` in the country's zone), `received_at` (unknown, null) and
 * `person_id` (from the payload).
 */
function addLaterColumns(db: DatabaseSync, timeZone: string): void {
  const columns = new Set(
    (db.prepare('PRAGMA table_info(report_events)').all() as Array<{ name: string }>).map((c) => c.name),
  );
  if (!columns.has('schema_version')) {
    db.exec('ALTER TABLE report_events ADD COLUMN schema_version INTEGER NOT NULL DEFAULT 1');
  }
  if (!columns.has('received_at')) db.exec('ALTER TABLE report_events ADD COLUMN received_at TEXT');
  // Rows written before pseudonyms name the person as their payload does.
  if (!columns.has('person_id')) {
    db.exec('ALTER TABLE report_events ADD COLUMN person_id TEXT');
    db.exec("UPDATE report_events SET person_id = json_extract(data, '$.patientId')");
  }
  if (!columns.has('occurred_on')) {
    db.exec('ALTER TABLE report_events ADD COLUMN occurred_on TEXT');
    const rows = db.prepare('SELECT event_id, occurred_at FROM report_events').all() as Array<{
      event_id: string;
      occurred_at: string;
    }>;
    const set = db.prepare('UPDATE report_events SET occurred_on = ? WHERE event_id = ?');
    db.exec('BEGIN');
    for (const row of rows) set.run(localToday(new Date(row.occurred_at), timeZone), row.event_id);
    db.exec('COMMIT');
  }
  db.exec(LATER_INDEXES);
}

/** How the local sink makes rows: the country's zone, the pseudonyms' function, the clock for `received_at`. */
export interface SqliteAnalyticsOptions {
  timeZone: string;
  pseudonym: AnalyticsContext['pseudonym'];
  clock: Clock;
}

/**
 * The embedded default's analytics sink: every event as a row of `report_events`, queryable in SQL
 * as analysts query BigQuery in the cloud. Keyed by event id, so a redelivery changes nothing.
 */
export class SqliteAnalytics implements EventConsumer {
  readonly name = 'analytics';
  private readonly insert;
  private readonly options: SqliteAnalyticsOptions;

  constructor(db: DatabaseSync, options: SqliteAnalyticsOptions) {
    this.options = options;
    db.exec(SCHEMA);
    addLaterColumns(db, options.timeZone);
    const columns: Array<keyof AnalyticsRow> = [
      'event_id',
      'type',
      'occurred_at',
      'occurred_on',
      'subject_id',
      'centre_id',
      'vaccine_id',
      'dose',
      'visit_date',
      'actor_role',
      'data',
      'schema_version',
      'received_at',
      'person_id',
    ];
    this.insert = db.prepare(
      `INSERT OR IGNORE INTO report_events (${columns.join(', ')}) VALUES (${columns.map((c) => `:${c}`).join(', ')})`,
    );
  }

  async handle(event: DomainEvent): Promise<void> {
    this.write(event);
  }

  /** Writes the event's row at once (a bulk load in its own transaction). */
  write(event: DomainEvent): void {
    const { timeZone, pseudonym, clock } = this.options;
    this.insert.run({ ...analyticsRow(event, { timeZone, pseudonym, receivedAt: clock.now().toISOString() }) });
  }
}
