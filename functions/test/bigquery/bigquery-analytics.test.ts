import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { DatabaseSync } from 'node:sqlite';
import type { DomainEvent } from '@ereg/shared';
import { anEvent, TEST_ANALYTICS } from '@ereg/shared/testing';
import { SqliteAnalytics } from '../../src/adapters/sqlite/sqlite-analytics.ts';
import { FakeBigQuery } from '../support/google-fakes.ts';

const PROJECT = 'demo-ereg';
const INSERT_ALL = `/bigquery/v2/projects/${PROJECT}/datasets/ereg/tables/events/insertAll`;

/**
 * The real sink and client library in a child Node process (see sink-process.ts for why not in Jest),
 * pointed at the fake server through the client's `apiEndpoint` option.
 */
class SinkProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: Interface;
  private readonly pending: ((line: string) => void)[] = [];
  private stderr = '';

  constructor(endpoint: string) {
    this.child = spawn(process.execPath, ['--conditions=source', join(__dirname, 'sink-process.ts')], {
      env: { ...process.env, BIGQUERY_TEST_ENDPOINT: endpoint, BIGQUERY_TEST_PROJECT: PROJECT },
    });
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    this.lines = createInterface({ input: this.child.stdout });
    this.lines.on('line', (line) => this.pending.shift()?.(line));
    this.child.on('exit', (code) => {
      for (const waiter of this.pending.splice(0))
        waiter(JSON.stringify({ error: `sink process exited ${code}: ${this.stderr}` }));
    });
  }

  /** Hands the event to the sink's handle(); resolves as it resolves, rejects with its error message. */
  handle(event: DomainEvent): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push((line) => {
        const answer = JSON.parse(line) as { ok?: true; error?: string };
        if (answer.ok) resolve();
        else reject(new Error(answer.error));
      });
      this.child.stdin.write(`${JSON.stringify(event)}\n`);
    });
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin.end();
    await exited;
  }
}

const booked: DomainEvent = anEvent(
  'appointment.booked',
  { centreId: 'c-0001', vaccineId: 'comirnaty', dose: 1, localDate: '2026-03-10', slotId: 's-1' },
  {
    id: 'evt-booked-1',
    occurredAt: '2026-03-02T08:15:00.000Z',
    actor: { role: 'patient', id: 'p-1' },
    subjectId: 'a-1',
  },
);

let fake: FakeBigQuery;
let sink: SinkProcess;

beforeAll(async () => {
  fake = new FakeBigQuery(PROJECT);
  await fake.start();
  sink = new SinkProcess(fake.url);
});

afterAll(async () => {
  await sink?.stop();
  await fake?.stop();
});

beforeEach(() => {
  fake.reset();
});

describe('the BigQuery analytics sink', () => {
  test('streams an event as one insertAll row keyed by the event id, with the report columns', async () => {
    await sink.handle(booked);

    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe(`${INSERT_ALL}?prettyPrint=false`);
    expect(request?.authorization).toBe('Bearer test-token');
    expect(request?.body).toEqual({
      rows: [
        {
          insertId: 'evt-booked-1',
          json: {
            event_id: 'evt-booked-1',
            type: 'appointment.booked',
            occurred_at: '2026-03-02T08:15:00.000Z',
            occurred_on: '2026-03-02',
            subject_id: 'ps(a-1)',
            centre_id: 'c-0001',
            vaccine_id: 'comirnaty',
            dose: 1,
            visit_date: '2026-03-10',
            actor_role: 'patient',
            data: JSON.stringify({
              ...booked.data,
              appointmentId: `ps(${booked.data.appointmentId})`,
              bookingId: `ps(${booked.data.bookingId})`,
              patientId: `ps(${booked.data.patientId})`,
            }),
            schema_version: 1,
            received_at: TEST_ANALYTICS.receivedAt,
            person_id: `ps(${booked.data.patientId})`,
          },
        },
      ],
    });
  });

  test('an event without centre, vaccine or dose streams nulls in those columns, and no free text', async () => {
    const rule = anEvent('eligibility.rule_added', {}, { id: 'evt-rule-1', actor: { role: 'admin', id: 'admin-1' } });
    await sink.handle(rule);
    const { description: _, ...structured } = rule.data;
    expect(fake.rows.get('evt-rule-1')).toMatchObject({
      centre_id: null,
      vaccine_id: null,
      dose: null,
      visit_date: null,
      actor_role: 'admin',
      data: JSON.stringify(structured),
    });
  });

  test('a cancellation streams its reason code, not the words it was cancelled with', async () => {
    const cancelled = anEvent(
      'appointment.cancelled',
      { reason: 'Pan Jan Kowalski prosi o odwołanie', reasonCode: 'requested' },
      { id: 'evt-cancel-1' },
    );
    await sink.handle(cancelled);
    const row = fake.rows.get('evt-cancel-1') as { data: string };
    expect(JSON.parse(row.data)).toMatchObject({
      reasonCode: 'requested',
      appointmentId: `ps(${cancelled.data.appointmentId})`,
    });
    expect(row.data).not.toContain('Kowalski');
  });

  test('a 503 is retried with the same insertId and the event is stored once', async () => {
    fake.script.push({
      status: 503,
      body: { error: { code: 503, message: 'Backend unavailable', status: 'UNAVAILABLE' } },
    });

    await sink.handle(booked);

    expect(fake.requests).toHaveLength(2);
    expect(fake.requests.map((r) => r.body.rows?.[0]?.insertId)).toEqual(['evt-booked-1', 'evt-booked-1']);
    expect([...fake.rows.keys()]).toEqual(['evt-booked-1']);
  });

  test('the same event delivered twice is sent with the same insertId, so BigQuery keeps one row', async () => {
    await sink.handle(booked);
    await sink.handle(booked);

    expect(fake.requests).toHaveLength(2);
    expect(fake.rows.size).toBe(1);
  });

  test('a row BigQuery rejects (insertErrors) makes the consumer throw, naming the event and the reason', async () => {
    fake.script.push({
      status: 200,
      body: {
        kind: 'bigquery#tableDataInsertAllResponse',
        insertErrors: [
          { index: 0, errors: [{ reason: 'invalid', location: 'dose', message: 'Cannot convert value to integer.' }] },
        ],
      },
    });

    await expect(sink.handle(booked)).rejects.toThrow(
      'BigQuery insert of event evt-booked-1 (appointment.booked) into ereg.events failed: row rejected (invalid: Cannot convert value to integer.)',
    );
    expect(fake.requests).toHaveLength(1);
  });

  test('a 400 bad request makes the consumer throw with the status and BigQuery message, without retrying', async () => {
    fake.script.push({
      status: 400,
      body: {
        error: {
          code: 400,
          message: 'Invalid value for insertId',
          errors: [{ reason: 'invalid', message: 'Invalid value for insertId' }],
          status: 'INVALID_ARGUMENT',
        },
      },
    });

    await expect(sink.handle(booked)).rejects.toThrow(
      /^BigQuery insert of event evt-booked-1 \(appointment\.booked\) into ereg\.events failed: HTTP 400 Invalid value for insertId/,
    );
    expect(fake.requests).toHaveLength(1);
    expect(fake.rows.size).toBe(0);
  });

  test('the table schema in the repository has the columns of the local report_events table, in order', () => {
    const schema = JSON.parse(
      readFileSync(new URL('../../src/adapters/bigquery/events-schema.json', `file://${__filename}`), 'utf8'),
    ) as {
      name: string;
      type: string;
    }[];
    const db = new DatabaseSync(':memory:');
    new SqliteAnalytics(db, TEST_ANALYTICS);
    const columns = db.prepare('PRAGMA table_info(report_events)').all() as { name: string }[];
    db.close();

    expect(schema.map((f) => f.name)).toEqual(columns.map((c) => c.name));
    expect(Object.fromEntries(schema.map((f) => [f.name, f.type]))).toEqual({
      event_id: 'STRING',
      type: 'STRING',
      occurred_at: 'TIMESTAMP',
      subject_id: 'STRING',
      centre_id: 'STRING',
      vaccine_id: 'STRING',
      dose: 'INT64',
      visit_date: 'DATE',
      actor_role: 'STRING',
      data: 'JSON',
      schema_version: 'INT64',
      occurred_on: 'DATE',
      received_at: 'TIMESTAMP',
      person_id: 'STRING',
    });
  });
});
