import { readFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { type AnalyticsRow, analyticsRow } from '@ereg/shared';
import { anEvent, anEventOfEveryType, TEST_ANALYTICS } from '@ereg/shared/testing';
import { SqliteAnalytics } from '../../src/adapters/sqlite/sqlite-analytics.ts';

interface Column {
  name: string;
  type: string;
  mode: 'REQUIRED' | 'NULLABLE';
}

const schema = JSON.parse(
  readFileSync(new URL('../../src/adapters/bigquery/events-schema.json', `file://${__filename}`), 'utf8'),
) as Column[];

/** Whether BigQuery takes the value for a column of this type in a streaming insert. */
const accepts: Record<string, (value: unknown) => boolean> = {
  STRING: (value) => typeof value === 'string',
  INT64: (value) => Number.isInteger(value),
  TIMESTAMP: (value) => typeof value === 'string' && !Number.isNaN(Date.parse(value)) && value.endsWith('Z'),
  DATE: (value) => typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value),
  JSON: (value) => typeof value === 'string' && JSON.parse(value) !== undefined,
};

const rows = anEventOfEveryType().map((event) => analyticsRow(event, TEST_ANALYTICS));

describe('events-schema.json and the analytics row', () => {
  test('every key the mapping gives is a column of the schema, and every column is given', () => {
    for (const row of rows) expect(Object.keys(row).sort()).toEqual(schema.map((c) => c.name).sort());
  });

  test('every value fits its column’s type, and a REQUIRED column is never null', () => {
    for (const row of rows) {
      for (const column of schema) {
        const value = row[column.name as keyof AnalyticsRow];
        const check = accepts[column.type];
        expect({ column: column.name, known: check !== undefined }).toEqual({ column: column.name, known: true });
        if (value === null)
          expect({ column: column.name, mode: column.mode }).toEqual({ column: column.name, mode: 'NULLABLE' });
        else
          expect({ column: column.name, value, fits: check?.(value) }).toEqual({
            column: column.name,
            value,
            fits: true,
          });
      }
    }
  });

  test('every NULLABLE column is filled by some event type, so none is dead', () => {
    for (const column of schema.filter((c) => c.mode === 'NULLABLE')) {
      expect({
        column: column.name,
        filled: rows.some((row) => row[column.name as keyof AnalyticsRow] !== null),
      }).toEqual({
        column: column.name,
        filled: true,
      });
    }
  });
});

describe('the local report_events table', () => {
  test('stores for every event type the row analyticsRow gives', async () => {
    const db = new DatabaseSync(':memory:');
    const sink = new SqliteAnalytics(db, TEST_ANALYTICS);
    for (const event of anEventOfEveryType()) await sink.handle(event);
    const stored = db.prepare('SELECT * FROM report_events ORDER BY rowid').all();
    db.close();

    expect(stored.map((row) => ({ ...row }))).toEqual(rows);
  });

  test('a table made before the later columns gets them: version 1, the day in Warsaw, no arrival time', async () => {
    const db = new DatabaseSync(':memory:');
    db.exec(`CREATE TABLE report_events (
      event_id TEXT PRIMARY KEY, type TEXT NOT NULL, occurred_at TEXT NOT NULL, subject_id TEXT NOT NULL,
      centre_id TEXT, vaccine_id TEXT, dose INTEGER, visit_date TEXT, actor_role TEXT NOT NULL, data TEXT NOT NULL
    )`);
    db.prepare(
      `INSERT INTO report_events (event_id, type, occurred_at, subject_id, actor_role, data)
       VALUES ('evt-old', 'patient.registered', '2025-12-31T23:30:00.000Z', 'pat-0', 'system', '{"patientId":"pat-0"}')`,
    ).run();

    const sink = new SqliteAnalytics(db, TEST_ANALYTICS);
    new SqliteAnalytics(db, TEST_ANALYTICS);
    await sink.handle(anEvent('appointment.booked', {}, { id: 'evt-new' }));
    const versions = db
      .prepare(
        'SELECT event_id, schema_version, occurred_on, received_at, person_id FROM report_events ORDER BY event_id',
      )
      .all();
    db.close();

    expect(versions.map((row) => ({ ...row }))).toEqual([
      {
        event_id: 'evt-new',
        schema_version: 1,
        occurred_on: '2026-03-02',
        received_at: TEST_ANALYTICS.receivedAt,
        person_id: 'ps(pat-1)',
      },
      { event_id: 'evt-old', schema_version: 1, occurred_on: '2026-01-01', received_at: null, person_id: 'pat-0' },
    ]);
  });
});
