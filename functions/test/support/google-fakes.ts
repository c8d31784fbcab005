import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { TEST_ANALYTICS } from '@ereg/shared/testing';
import { SqliteAnalytics } from '../../src/adapters/sqlite/sqlite-analytics.ts';
import { toSqlite } from '../../src/reports/dialect.ts';
import { LocalWarehouse, localName } from '../../src/reports/local-warehouse.ts';
import { codeOf, DATASET_ID, WAREHOUSE_TABLES, type WarehouseTable } from '../../src/reports/view-files.ts';

/*
 * Small stand-ins for the Google services that have no local emulator, speaking the REST calls the
 * real client libraries make, recording every request so that tests assert on what went over the wire.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  headers: IncomingMessage['headers'];
  // biome-ignore lint/suspicious/noExplicitAny: a decoded JSON body, asserted on by the tests
  body: any;
}

type Reply = (status: number, payload: unknown, headers?: Record<string, string>) => void;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** A loopback HTTP server that records requests and hands each to `route`. */
abstract class RecordingServer {
  readonly requests: RecordedRequest[] = [];
  private server: Server | undefined;
  /** `127.0.0.1:PORT` once started. */
  host = '';

  protected abstract route(request: RecordedRequest, reply: Reply): void;

  get url(): string {
    return `http://${this.host}`;
  }

  async start(): Promise<void> {
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      void readBody(req).then((raw) => {
        let body: unknown = {};
        try {
          body = raw ? JSON.parse(raw) : {};
        } catch {
          body = raw;
        }
        const recorded = {
          method: req.method ?? '',
          path: req.url ?? '',
          authorization: req.headers.authorization,
          headers: req.headers,
          body,
        };
        this.requests.push(recorded);
        this.route(recorded, (status, payload, headers = {}) => {
          const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
          res.writeHead(status, {
            'content-type': typeof payload === 'string' ? 'text/plain' : 'application/json',
            ...headers,
          });
          res.end(text);
        });
      });
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve, reject) => this.server?.close((e) => (e ? reject(e) : resolve())));
  }
}

/** A failure answered as BigQuery's REST API answers it: HTTP status, `reason` and message. */
class BigQueryFailure extends Error {
  readonly status: number;
  readonly reason: string;
  constructor(status: number, reason: string, message: string) {
    super(message);
    this.status = status;
    this.reason = reason;
  }

  get body() {
    const status = { 400: 'INVALID_ARGUMENT', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND' }[this.status] ?? 'UNKNOWN';
    return {
      error: {
        code: this.status,
        message: this.message,
        errors: [{ message: this.message, reason: this.reason }],
        status,
      },
    };
  }
}

/** A column of a warehouse table as its schema file declares it. */
interface SchemaColumn {
  name: string;
  type: string;
  mode?: string;
}

/** A result column's type, as BigQuery names it in a query's schema. */
type ResultType = 'INTEGER' | 'FLOAT' | 'STRING' | 'DATE' | 'TIMESTAMP' | 'BYTES';

/** A job this server ran: a query (its answer kept for getQueryResults) or a load. */
interface FakeJob {
  resource: Record<string, unknown>;
  answer?: { schema: { fields: Array<{ name: string; type: ResultType; mode: 'NULLABLE' }> }; rows: unknown[] };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** The column by which a partitioned warehouse table is split into days. */
const PARTITION_COLUMN: Partial<Record<WarehouseTable, string>> = {
  events: 'occurred_at',
  availability_snapshots: 'snapshot_date',
};

/** A query parameter's value as SQLite binds it, checked as BigQuery checks it. */
function parameterValue(name: string, type: string, raw: unknown): SQLInputValue {
  if (raw === null || raw === undefined) return null;
  const text = String(raw);
  const refuse = () => {
    throw new BigQueryFailure(400, 'invalidQuery', `Invalid ${type} value for query parameter ${name}: ${text}`);
  };
  switch (type) {
    case 'STRING':
      return text;
    case 'INT64':
      if (!/^-?\d+$/.test(text)) refuse();
      return Number(text);
    case 'FLOAT64':
      if (Number.isNaN(Number(text))) refuse();
      return Number(text);
    case 'BOOL':
      if (text !== 'true' && text !== 'false') refuse();
      return text === 'true' ? 1 : 0;
    case 'DATE':
      if (!DATE.test(text)) refuse();
      return text;
    case 'TIMESTAMP':
      if (Number.isNaN(Date.parse(text))) refuse();
      return new Date(text).toISOString();
    default:
      throw new BigQueryFailure(400, 'invalidQuery', `This server binds no ${type} parameter (${name})`);
  }
}

/** A result column's type, told from its values (SQLite keeps none for an expression). */
function resultType(values: unknown[], declared: string | null): ResultType {
  const given = values.filter((v) => v !== null && v !== undefined);
  if (given.length === 0) {
    if (declared?.toUpperCase().includes('INT')) return 'INTEGER';
    if (declared?.toUpperCase() === 'REAL') return 'FLOAT';
    return 'STRING';
  }
  if (given.every((v) => typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v)))) return 'INTEGER';
  if (given.every((v) => typeof v === 'number' || typeof v === 'bigint')) return 'FLOAT';
  if (given.every((v) => v instanceof Uint8Array)) return 'BYTES';
  if (given.every((v) => typeof v === 'string' && DATE.test(v))) return 'DATE';
  if (given.every((v) => typeof v === 'string' && INSTANT.test(v))) return 'TIMESTAMP';
  return 'STRING';
}

/** A value as BigQuery's REST API writes it in a row (`{ f: [{ v }] }`): text, a TIMESTAMP in microseconds. */
function cell(value: unknown, type: ResultType, isoTimestamps: boolean): unknown {
  if (value === null || value === undefined) return null;
  if (type === 'BYTES') return Buffer.from(value as Uint8Array).toString('base64');
  if (type === 'TIMESTAMP' && !isoTimestamps) return String(BigInt(Date.parse(String(value))) * 1000n);
  return String(value);
}

/** The parts of a `multipart/related` body: each part's text after its headers. */
function multipartParts(body: string, contentType: string | undefined): string[] {
  const boundary = /boundary=([^;]+)/.exec(contentType ?? '')?.[1]?.replace(/^"|"$/g, '');
  if (!boundary) throw new BigQueryFailure(400, 'invalid', 'A media upload must be multipart/related with a boundary');
  return body
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((part) => part.slice(part.indexOf('\r\n\r\n') + 4).replace(/\r\n$/, ''));
}

/**
 * BigQuery's REST API as the Node client uses it, over a warehouse in SQLite (the embedded default's
 * LocalWarehouse: the same tables and view files). `tabledata.insertAll` into the events table keeps
 * rows by insertId (as BigQuery de-duplicates, best effort) and adds them to the warehouse's events;
 * `jobs.query` (and `getQueryResults` when told to answer late) runs the GoogleSQL it receives through
 * the views' translation (dialect.ts) with its typed named parameters, and answers the schema and rows
 * in BigQuery's `{ f: [{ v }] }` form; a multipart load job of newline-delimited JSON replaces a table,
 * a partition (`table$YYYYMMDD`) or appends, checking each row against the table's schema file.
 * Names must be qualified as `project.dataset.name` of this project and dataset, or `dataset.name`.
 * It serves paths with the `/bigquery/v2` prefix (a client given `apiEndpoint`) and without it
 * (`BIGQUERY_EMULATOR_HOST`); `script` answers the next requests as told.
 *
 * It proves what the client sends and how answers are read back, not how BigQuery executes a text:
 * the SQL runs on SQLite. A key kept unique by SQLite (a snapshot's day, centre and product) refuses
 * an appended duplicate, where BigQuery would hold both rows.
 */
export class FakeBigQuery extends RecordingServer {
  readonly rows = new Map<string, Record<string, unknown>>();
  /** Answers to give before behaving normally: status and body. */
  readonly script: { status: number; body: unknown }[] = [];
  /** The warehouse the queries run on and the loads write to. */
  readonly warehouse: LocalWarehouse;
  readonly jobs = new Map<string, FakeJob>();
  /** When set, `jobs.query` answers "not complete yet" and the results come from `getQueryResults`. */
  answerLate = false;
  readonly location = 'europe-central2';
  private readonly db: DatabaseSync;
  private readonly project: string;
  private readonly dataset: string;
  private readonly insertAll: string;
  private jobCount = 0;

  constructor(project: string, dataset = DATASET_ID, table = 'events') {
    super();
    this.project = project;
    this.dataset = dataset;
    this.insertAll = `/projects/${project}/datasets/${dataset}/tables/${table}/insertAll`;
    this.db = new DatabaseSync(':memory:');
    new SqliteAnalytics(this.db, TEST_ANALYTICS);
    this.warehouse = new LocalWarehouse(this.db);
  }

  /** The `jobs.query` requests received: one per query job the client started. */
  get queryRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.method === 'POST' && /\/projects\/[^/]+\/queries(\?|$)/.test(r.path));
  }

  /** The load jobs received, each with its configuration and the rows it carried. */
  get loadRequests(): Array<{ configuration: { load: Record<string, unknown> }; rows: Record<string, unknown>[] }> {
    return this.requests
      .filter((r) => r.path.startsWith('/upload/'))
      .map((r) => {
        const [metadata = '{}', data = ''] = multipartParts(String(r.body), r.headers['content-type']);
        return {
          configuration: JSON.parse(metadata).configuration,
          rows: data
            .split('\n')
            .filter((line) => line.trim())
            .map((line) => JSON.parse(line)),
        };
      });
  }

  protected route(request: RecordedRequest, reply: Reply): void {
    const scripted = this.script.shift();
    if (scripted) {
      reply(scripted.status, scripted.body);
      return;
    }
    const rawPath = request.path.split('?')[0] ?? '';
    const upload = rawPath.startsWith('/upload/');
    const path = rawPath.replace(/^\/upload/, '').replace(/^\/bigquery\/v2/, '');
    const base = `/projects/${this.project}`;
    try {
      if (request.method === 'POST' && path === this.insertAll) {
        reply(200, this.insert(request.body.rows ?? []));
      } else if (request.method === 'POST' && path === `${base}/queries`) {
        reply(200, this.query(request.body));
      } else if (request.method === 'GET' && path.startsWith(`${base}/queries/`)) {
        reply(200, this.results(path.slice(`${base}/queries/`.length)));
      } else if (request.method === 'POST' && upload && path === `${base}/jobs`) {
        reply(200, this.load(String(request.body), request.headers['content-type']));
      } else if (request.method === 'GET' && path.startsWith(`${base}/jobs/`)) {
        reply(200, this.job(path.slice(`${base}/jobs/`.length)).resource);
      } else {
        throw new BigQueryFailure(404, 'notFound', `Not found: ${request.method} ${request.path}`);
      }
    } catch (error) {
      if (!(error instanceof BigQueryFailure)) throw error;
      reply(error.status, error.body);
    }
  }

  /** Everything received and held forgotten: requests, scripted answers, jobs and the warehouse's rows. */
  reset(): void {
    this.requests.length = 0;
    this.rows.clear();
    this.script.length = 0;
    this.jobs.clear();
    this.answerLate = false;
    for (const table of WAREHOUSE_TABLES) this.db.exec(`DELETE FROM ${localName(table)}`);
    this.warehouse.rebuildAtNextRefresh();
  }

  /** Rows put in the events table as insertAll puts them (each keyed by its event_id). */
  addEventRows(rows: ReadonlyArray<Record<string, unknown>>): void {
    const failed = this.insert(rows.map((json) => ({ insertId: String(json.event_id), json }))).insertErrors;
    if (failed) throw new Error(`Rows refused: ${JSON.stringify(failed)}`);
  }

  private insert(rows: Array<{ insertId?: string; json: Record<string, unknown> }>) {
    const insertErrors: unknown[] = [];
    for (const [index, row] of rows.entries()) {
      this.rows.set(row.insertId ?? `no-id-${this.rows.size}`, row.json);
      const columns = Object.keys(row.json);
      try {
        this.db
          .prepare(
            `INSERT OR IGNORE INTO report_events (${columns.join(', ')}) VALUES (${columns.map((c) => `:${c}`).join(', ')})`,
          )
          .run(row.json as Record<string, SQLInputValue>);
      } catch (error) {
        insertErrors.push({ index, errors: [{ reason: 'invalid', message: (error as Error).message }] });
      }
    }
    return { kind: 'bigquery#tableDataInsertAllResponse', ...(insertErrors.length ? { insertErrors } : {}) };
  }

  private nextJob(): { projectId: string; jobId: string; location: string } {
    this.jobCount += 1;
    return { projectId: this.project, jobId: `job_${String(this.jobCount).padStart(4, '0')}`, location: this.location };
  }

  private job(id: string): FakeJob {
    const job = this.jobs.get(id);
    if (!job) throw new BigQueryFailure(404, 'notFound', `Not found: Job ${this.project}:${this.location}.${id}`);
    return job;
  }

  /** The warehouse name (`ereg.<name>`) a qualified name stands for; refuses another project's or an unknown one. */
  private unqualify(sql: string): string {
    const known = new Set<string>([...WAREHOUSE_TABLES, ...this.warehouse.views.map((v) => v.name)]);
    return sql.replace(/`([^`]+)`/g, (quoted, name: string) => {
      const parts = name.split('.');
      if (parts.length < 2) return quoted;
      const [project, dataset, table] = parts.length === 3 ? parts : [this.project, ...parts];
      if (project !== this.project || dataset !== this.dataset) {
        throw new BigQueryFailure(
          404,
          'notFound',
          `Not found: Dataset ${project}:${dataset} was not found in location ${this.location}`,
        );
      }
      if (!table || !known.has(table)) {
        throw new BigQueryFailure(
          404,
          'notFound',
          `Not found: Table ${project}:${dataset}.${table} was not found in location ${this.location}`,
        );
      }
      return `\`${DATASET_ID}.${table}\``;
    });
  }

  /** Runs a query job's text on the warehouse: every parameter the text names must be given, with its type. */
  private run(body: {
    query?: string;
    useLegacySql?: boolean;
    queryParameters?: Array<{ name?: string; parameterType?: { type?: string }; parameterValue?: { value?: unknown } }>;
    formatOptions?: { timestampOutputFormat?: string };
  }): NonNullable<FakeJob['answer']> {
    if (!body.query) throw new BigQueryFailure(400, 'invalid', 'Required parameter is missing: query');
    if (body.useLegacySql !== false) {
      throw new BigQueryFailure(400, 'invalidQuery', 'This server runs GoogleSQL only: send useLegacySql false');
    }
    const given = new Map<string, SQLInputValue>();
    for (const parameter of body.queryParameters ?? []) {
      const type = parameter.parameterType?.type;
      if (!parameter.name) throw new BigQueryFailure(400, 'invalidQuery', 'Positional parameters are not served here');
      if (!type) throw new BigQueryFailure(400, 'invalid', `Query parameter ${parameter.name} has no type`);
      given.set(parameter.name, parameterValue(parameter.name, type, parameter.parameterValue?.value));
    }
    const googleSql = this.unqualify(body.query);
    const params: Record<string, SQLInputValue> = {};
    for (const [, name = ''] of codeOf(googleSql).matchAll(/@([A-Za-z_][A-Za-z0-9_]*)/g)) {
      if (!given.has(name)) throw new BigQueryFailure(400, 'invalidQuery', `Query parameter '${name}' not found`);
      params[name] = given.get(name) ?? null;
    }
    let statement: StatementSync;
    try {
      // As BigQuery reads its views live, the views kept as tables here are brought up to date first.
      this.warehouse.refresh();
      statement = this.db.prepare(toSqlite(googleSql, localName, 'query'));
    } catch (error) {
      throw new BigQueryFailure(400, 'invalidQuery', (error as Error).message);
    }
    const columns = statement.columns();
    const rows = statement.all(params) as Array<Record<string, unknown>>;
    const types = columns.map((c) =>
      resultType(
        rows.map((r) => r[c.name]),
        c.type,
      ),
    );
    const iso = body.formatOptions?.timestampOutputFormat === 'ISO8601_STRING';
    return {
      schema: { fields: columns.map((c, i) => ({ name: c.name, type: types[i] as ResultType, mode: 'NULLABLE' })) },
      rows: rows.map((row) => ({
        f: columns.map((c, i) => ({ v: cell(row[c.name], types[i] as ResultType, iso) })),
      })),
    };
  }

  /** `jobs.query`: the answer at once, or (told to answer late) only the job's reference. */
  private query(body: Parameters<FakeBigQuery['run']>[0] & { location?: string }) {
    const answer = this.run(body);
    const jobReference = { ...this.nextJob(), location: body.location ?? this.location };
    const resource = {
      kind: 'bigquery#job',
      jobReference,
      configuration: { query: { query: body.query } },
      status: { state: 'DONE' },
    };
    this.jobs.set(jobReference.jobId, { resource, answer });
    if (this.answerLate) return { kind: 'bigquery#queryResponse', jobReference, jobComplete: false };
    return this.answerOf(jobReference, answer);
  }

  /** `jobs.getQueryResults`. */
  private results(jobId: string) {
    const job = this.job(jobId);
    if (!job.answer) throw new BigQueryFailure(400, 'invalid', `Job ${jobId} is not a query`);
    return this.answerOf(job.resource.jobReference as Record<string, string>, job.answer);
  }

  private answerOf(jobReference: Record<string, string>, answer: NonNullable<FakeJob['answer']>) {
    return {
      kind: 'bigquery#queryResponse',
      jobReference,
      jobComplete: true,
      schema: answer.schema,
      totalRows: String(answer.rows.length),
      // BigQuery leaves `rows` out of an empty answer.
      ...(answer.rows.length > 0 ? { rows: answer.rows } : {}),
      totalBytesProcessed: '0',
      cacheHit: false,
    };
  }

  /** A multipart load job: its configuration, then newline-delimited JSON rows; answered DONE, failed or not. */
  private load(body: string, contentType: string | undefined) {
    const [metadata, data = ''] = multipartParts(body, contentType);
    const job = JSON.parse(metadata ?? '{}') as {
      configuration?: { load?: Record<string, unknown> };
      jobReference?: { jobId?: string; location?: string };
    };
    const load = job.configuration?.load;
    if (!load) throw new BigQueryFailure(400, 'invalid', 'This server takes load jobs only by upload');
    const jobReference = {
      ...this.nextJob(),
      ...(job.jobReference?.jobId ? { jobId: job.jobReference.jobId } : {}),
      location: job.jobReference?.location ?? this.location,
    };
    let outputRows = 0;
    let errorResult: { reason: string; message: string } | null = null;
    try {
      outputRows = this.applyLoad(load, data);
    } catch (error) {
      if (!(error instanceof BigQueryFailure)) throw error;
      errorResult = { reason: error.reason, message: error.message };
    }
    const resource = {
      kind: 'bigquery#job',
      id: `${this.project}:${jobReference.location}.${jobReference.jobId}`,
      jobReference,
      configuration: job.configuration,
      status: errorResult ? { state: 'DONE', errorResult, errors: [errorResult] } : { state: 'DONE' },
      statistics: { load: { outputRows: String(outputRows) } },
    };
    this.jobs.set(jobReference.jobId, { resource });
    return resource;
  }

  /** Writes a load job's rows in one transaction; throws a BigQueryFailure (the job's error) when it cannot. */
  private applyLoad(load: Record<string, unknown>, data: string): number {
    const destination = load.destinationTable as { projectId?: string; datasetId?: string; tableId?: string };
    const [table = '', partition] = String(destination?.tableId).split('$');
    if (destination?.projectId !== this.project || destination?.datasetId !== this.dataset) {
      throw new BigQueryFailure(
        404,
        'notFound',
        `Not found: Dataset ${destination?.projectId}:${destination?.datasetId}`,
      );
    }
    if (!(WAREHOUSE_TABLES as readonly string[]).includes(table)) {
      throw new BigQueryFailure(404, 'notFound', `Not found: Table ${this.project}:${this.dataset}.${table}`);
    }
    if (load.sourceFormat !== 'NEWLINE_DELIMITED_JSON') {
      throw new BigQueryFailure(
        400,
        'invalid',
        `This server loads NEWLINE_DELIMITED_JSON only, not ${load.sourceFormat}`,
      );
    }
    const partitionColumn = PARTITION_COLUMN[table as WarehouseTable];
    if (partition !== undefined && (!partitionColumn || !/^\d{8}$/.test(partition))) {
      throw new BigQueryFailure(400, 'invalid', `Invalid partition decorator ${destination.tableId}`);
    }
    const day = partition && `${partition.slice(0, 4)}-${partition.slice(4, 6)}-${partition.slice(6)}`;
    const schema = JSON.parse(
      readFileSync(join(BIGQUERY_SCHEMAS, `${table.replaceAll('_', '-')}-schema.json`), 'utf8'),
    ) as SchemaColumn[];
    const rows = data
      .split('\n')
      .filter((line) => line.trim())
      .map((line, i) => checkedRow(JSON.parse(line), schema, i + 1));
    if (day && partitionColumn) {
      const stray = rows.find((row) => String(row[partitionColumn]).slice(0, 10) !== day);
      if (stray) {
        throw new BigQueryFailure(
          400,
          'invalid',
          `The partition decorator ${destination.tableId} does not match ${partitionColumn} ${stray[partitionColumn]}`,
        );
      }
    }
    const target = localName(table);
    const inPartition = day && partitionColumn ? ` WHERE substr(${partitionColumn}, 1, 10) = '${day}'` : '';
    const disposition = String(load.writeDisposition ?? 'WRITE_APPEND');
    this.db.exec('BEGIN');
    try {
      if (disposition === 'WRITE_TRUNCATE' || disposition === 'WRITE_TRUNCATE_DATA') {
        this.db.exec(`DELETE FROM ${target}${inPartition}`);
      } else if (disposition === 'WRITE_EMPTY') {
        if (this.db.prepare(`SELECT 1 FROM ${target}${inPartition} LIMIT 1`).get()) {
          throw new BigQueryFailure(400, 'duplicate', `Already Exists: Table ${this.project}:${this.dataset}.${table}`);
        }
      } else if (disposition !== 'WRITE_APPEND') {
        throw new BigQueryFailure(400, 'invalid', `Unknown write disposition ${disposition}`);
      }
      for (const row of rows) {
        const columns = Object.keys(row);
        try {
          this.db
            .prepare(`INSERT INTO ${target} (${columns.join(', ')}) VALUES (${columns.map((c) => `:${c}`).join(', ')})`)
            .run(row as Record<string, SQLInputValue>);
        } catch (error) {
          throw new BigQueryFailure(400, 'invalid', `A row could not be kept: ${(error as Error).message}`);
        }
      }
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
    // Views kept as tables here read the dimensions as they were: made again, as BigQuery's views would read them.
    this.warehouse.rebuildAtNextRefresh();
    return rows.length;
  }
}

/** Where the warehouse tables' schema files are (functions/src/adapters/bigquery/<table>-schema.json). */
const BIGQUERY_SCHEMAS = join(import.meta.dirname, '..', '..', 'src', 'adapters', 'bigquery');

/** A loaded row checked against its table's schema file as BigQuery checks it; line numbers count from 1. */
function checkedRow(row: Record<string, unknown>, schema: readonly SchemaColumn[], line: number) {
  const refuse = (message: string) => {
    throw new BigQueryFailure(
      400,
      'invalid',
      `Error while reading data, error message: JSON table encountered too many errors, giving up. Rows: ${line}; ${message}`,
    );
  };
  for (const name of Object.keys(row)) {
    if (!schema.some((c) => c.name === name)) refuse(`No such field: ${name}.`);
  }
  const checked: Record<string, SQLInputValue> = {};
  for (const column of schema) {
    const value = row[column.name];
    if (value === null || value === undefined) {
      if (column.mode === 'REQUIRED') refuse(`Missing required field: ${column.name}.`);
      if (column.name in row) checked[column.name] = null;
      continue;
    }
    const text = String(value);
    const fits =
      column.type === 'STRING'
        ? typeof value === 'string'
        : column.type === 'INT64' || column.type === 'INTEGER'
          ? /^-?\d+$/.test(text)
          : column.type === 'FLOAT64' || column.type === 'FLOAT'
            ? !Number.isNaN(Number(text))
            : column.type === 'DATE'
              ? DATE.test(text)
              : column.type === 'TIMESTAMP'
                ? !Number.isNaN(Date.parse(text))
                : true;
    if (!fits) refuse(`Could not convert value to ${column.type.toLowerCase()}. Field: ${column.name}; Value: ${text}`);
    checked[column.name] = typeof value === 'number' || typeof value === 'string' ? value : JSON.stringify(value);
  }
  return checked;
}

/**
 * The Auth REST calls firebase-admin makes in emulator mode (`FIREBASE_AUTH_EMULATOR_HOST`):
 * `accounts:lookup` (every ID-token check looks the user up), `accounts:update` (custom claims, a staff
 * account's profile) and `accounts` (a staff account created).
 */
export class FakeAuthEmulator extends RecordingServer {
  readonly users = new Set<string>();
  /** When each user's tokens were last revoked (`validSince`, seconds), as `revokeRefreshTokens` sets it. */
  readonly validSince = new Map<string, string>();
  private readonly project: string;

  constructor(project: string) {
    super();
    this.project = project;
  }

  protected route(request: RecordedRequest, reply: Reply): void {
    const base = `/identitytoolkit.googleapis.com/v1/projects/${this.project}`;
    if (request.path === `${base}/accounts:lookup`) {
      const ids = (request.body.localId ?? []) as string[];
      const users = ids
        .filter((id) => this.users.has(id))
        .map((localId) => {
          const validSince = this.validSince.get(localId);
          return validSince === undefined ? { localId } : { localId, validSince };
        });
      reply(200, users.length ? { kind: 'identitytoolkit#GetAccountInfoResponse', users } : {});
      return;
    }
    // createUser (a centre's staff account): the user exists from now on.
    if (request.path === `${base}/accounts`) {
      const localId = String(request.body.localId);
      this.users.add(localId);
      reply(200, { kind: 'identitytoolkit#SignupNewUserResponse', localId });
      return;
    }
    if (request.path === `${base}/accounts:update`) {
      const { localId, validSince } = request.body as { localId?: string; validSince?: unknown };
      if (typeof localId === 'string' && validSince !== undefined) this.validSince.set(localId, String(validSince));
      reply(200, { localId: request.body.localId });
      return;
    }
    reply(404, { error: { code: 404, message: `NOT_FOUND ${request.path}` } });
  }

  /** An ID token as the Auth emulator issues it: unsigned (`alg: none`), with Firebase's claims. */
  idToken(claims: Record<string, unknown>, nowSeconds = Math.floor(Date.now() / 1000)): string {
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const payload = {
      iss: `https://securetoken.google.com/${this.project}`,
      aud: this.project,
      auth_time: nowSeconds,
      iat: nowSeconds,
      exp: nowSeconds + 3600,
      ...claims,
    };
    return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`;
  }
}

/**
 * The Compute metadata server a Cloud Function reads its project and credentials from
 * (`GCE_METADATA_HOST`): project id, the default service account's e-mail and access token.
 */
export class FakeMetadataServer extends RecordingServer {
  readonly token = `local-access-token-${Math.random().toString(36).slice(2)}`;
  private readonly project: string;
  private readonly serviceAccount: string;

  constructor(project: string, serviceAccount = `functions@${project}.iam.gserviceaccount.com`) {
    super();
    this.project = project;
    this.serviceAccount = serviceAccount;
  }

  protected route(request: RecordedRequest, reply: Reply): void {
    const flavor = { 'metadata-flavor': 'Google' };
    if (request.headers['metadata-flavor'] !== 'Google') {
      reply(403, 'Missing Metadata-Flavor: Google', flavor);
      return;
    }
    const path = request.path.split('?')[0];
    const v1 = '/computeMetadata/v1';
    if (path === v1 || path === `${v1}/` || path === `${v1}/instance`) {
      reply(200, 'ok', flavor);
      return;
    }
    if (path === `${v1}/project/project-id`) {
      reply(200, this.project, flavor);
      return;
    }
    if (path === `${v1}/universe/universe-domain`) {
      reply(200, 'googleapis.com', flavor);
      return;
    }
    if (path === `${v1}/instance/service-accounts/default/email`) {
      reply(200, this.serviceAccount, flavor);
      return;
    }
    if (path === `${v1}/instance/service-accounts/default/token`) {
      reply(200, { access_token: this.token, expires_in: 3599, token_type: 'Bearer' }, flavor);
      return;
    }
    reply(404, `Not found: ${request.path}`, flavor);
  }
}
