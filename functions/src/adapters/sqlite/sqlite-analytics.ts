import type { DatabaseSync } from 'node:sqlite';
import type { DomainEvent, EventConsumer } from '@ereg/shared';

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
    data TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS report_events_by_type_day ON report_events (type, visit_date);
`;

const text = (value: unknown) => (typeof value === 'string' ? value : null);

/**
 * The embedded default's analytics sink: every event as a row of `report_events`, queryable in SQL
 * as analysts query BigQuery in the cloud. Keyed by event id, so a redelivery changes nothing.
 */
export class SqliteAnalytics implements EventConsumer {
  readonly name = 'analytics';
  private readonly insert;

  constructor(db: DatabaseSync) {
    db.exec(SCHEMA);
    this.insert = db.prepare(
      `INSERT OR IGNORE INTO report_events
       (event_id, type, occurred_at, subject_id, centre_id, vaccine_id, dose, visit_date, actor_role, data)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  async handle(event: DomainEvent): Promise<void> {
    const d = event.data;
    this.insert.run(
      event.id,
      event.type,
      event.occurredAt,
      event.subjectId,
      text(d.centreId),
      text(d.vaccineId),
      typeof d.dose === 'number' ? d.dose : null,
      text(d.localDate) ?? text(d.date),
      event.actor.role,
      JSON.stringify(d),
    );
  }
}
