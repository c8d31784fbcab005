import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { DatabaseSync } from 'node:sqlite';
import { type DomainEvent, makeEvent } from '@ereg/shared';
import { eventRow } from '../../src/adapters/bigquery/bigquery-analytics.ts';
import { SqliteAnalytics } from '../../src/adapters/sqlite/sqlite-analytics.ts';

const PROJECT = 'demo-ereg';
const INSERT_ALL = `/bigquery/v2/projects/${PROJECT}/datasets/ereg/tables/events/insertAll`;

interface Recorded {
  method: string;
  path: string;
  authorization: string | undefined;
  body: { rows?: { insertId?: string; json: Record<string, unknown> }[]; [key: string]: unknown };
}

/**
 * A small stand-in for the BigQuery REST API: it answers tabledata.insertAll, keeps the rows by
 * insertId (as BigQuery de-duplicates, best effort) and can be told how to answer the next requests.
 */
class FakeBigQuery {
  readonly requests: Recorded[] = [];
  readonly rows = new Map<string, Record<string, unknown>>();
  /** Answers to give before behaving normally: status and body. */
  readonly script: { status: number; body: unknown }[] = [];
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      void readBody(req).then((raw) => {
        const body = raw ? JSON.parse(raw) : {};
        this.requests.push({
          method: req.method ?? '',
          path: req.url ?? '',
          authorization: req.headers.authorization,
          body,
        });
        const reply = (status: number, payload: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(payload));
        };
        const scripted = this.script.shift();
        if (scripted) return reply(scripted.status, scripted.body);
        if (req.method !== 'POST' || req.url?.split('?')[0] !== INSERT_ALL) {
          return reply(404, { error: { code: 404, message: `Not found: ${req.url}`, status: 'NOT_FOUND' } });
        }
        for (const row of body.rows ?? []) this.rows.set(row.insertId ?? `no-id-${this.rows.size}`, row.json);
        reply(200, { kind: 'bigquery#tableDataInsertAllResponse' });
      });
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  reset(): void {
    this.requests.length = 0;
    this.rows.clear();
    this.script.length = 0;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve, reject) => this.server?.close((e) => (e ? reject(e) : resolve())));
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

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

const booked: DomainEvent = makeEvent(
  'evt-booked-1',
  'appointment.booked',
  new Date('2026-03-02T08:15:00.000Z'),
  { role: 'patient', id: 'p-1' },
  'a-1',
  { centreId: 'c-0001', vaccineId: 'comirnaty', dose: 1, localDate: '2026-03-10', slotId: 's-1' },
);

let fake: FakeBigQuery;
let sink: SinkProcess;

beforeAll(async () => {
  fake = new FakeBigQuery();
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
            subject_id: 'a-1',
            centre_id: 'c-0001',
            vaccine_id: 'comirnaty',
            dose: 1,
            visit_date: '2026-03-10',
            actor_role: 'patient',
            data: JSON.stringify(booked.data),
          },
        },
      ],
    });
  });

  test('an event without centre, vaccine or dose streams nulls in those columns', async () => {
    const rule = makeEvent(
      'evt-rule-1',
      'eligibility.rule_added',
      new Date('2026-03-01T00:00:00Z'),
      { role: 'admin', id: 'admin-1' },
      'rule-1',
      {
        bornOnOrBefore: 1970,
      },
    );
    await sink.handle(rule);
    expect(fake.rows.get('evt-rule-1')).toMatchObject({
      centre_id: null,
      vaccine_id: null,
      dose: null,
      visit_date: null,
      actor_role: 'admin',
      data: '{"bornOnOrBefore":1970}',
    });
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

  test('a row maps the event as the local report_events row does', () => {
    expect(eventRow({ ...booked, data: { date: '2026-03-11', dose: 'two' } })).toMatchObject({
      visit_date: '2026-03-11',
      dose: null,
    });
  });

  test('the table schema in the repository has the columns of the local report_events table, in order', () => {
    const schema = JSON.parse(
      readFileSync(new URL('../../src/adapters/bigquery/events-schema.json', `file://${__filename}`), 'utf8'),
    ) as {
      name: string;
      type: string;
    }[];
    const db = new DatabaseSync(':memory:');
    new SqliteAnalytics(db);
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
    });
  });
});
