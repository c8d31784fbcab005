import type { DatabaseSync } from 'node:sqlite';
import { type AnalyticsRow, analyticsRow, type DomainEvent, type EventConsumer } from '@ereg/shared';

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
    schema_version INTEGER NOT NULL DEFAULT 1
  );
  CREATE INDEX IF NOT EXISTS report_events_by_type_day ON report_events (type, visit_date);
  CREATE INDEX IF NOT EXISTS report_events_by_time ON report_events (occurred_at);
`;

/** A table made before `schema_version` gets the column; its rows are version 1 events. */
function addSchemaVersion(db: DatabaseSync): void {
  const columns = db.prepare('PRAGMA table_info(report_events)').all() as Array<{ name: string }>;
  if (!columns.some((c) => c.name === 'schema_version')) {
    db.exec('ALTER TABLE report_events ADD COLUMN schema_version INTEGER NOT NULL DEFAULT 1');
  }
}

/**
 * The embedded default's analytics sink: every event as a row of `report_events`, queryable in SQL
 * as analysts query BigQuery in the cloud. Keyed by event id, so a redelivery changes nothing.
 */
export class SqliteAnalytics implements EventConsumer {
  readonly name = 'analytics';
  private readonly insert;

  constructor(db: DatabaseSync) {
    db.exec(SCHEMA);
    addSchemaVersion(db);
    const columns: Array<keyof AnalyticsRow> = [
      'event_id',
      'type',
      'occurred_at',
      'subject_id',
      'centre_id',
      'vaccine_id',
      'dose',
      'visit_date',
      'actor_role',
      'data',
      'schema_version',
    ];
    this.insert = db.prepare(
      `INSERT OR IGNORE INTO report_events (${columns.join(', ')}) VALUES (${columns.map((c) => `:${c}`).join(', ')})`,
    );
  }

  async handle(event: DomainEvent): Promise<void> {
    this.insert.run({ ...analyticsRow(event) });
  }
}
