import { type Clock, DEFAULT_SETTINGS, type Instant, type PreviewData, type ReportsReader } from '@ereg/shared';
import { BigQuery } from '@google-cloud/bigquery';
import { WarehousePreviewData } from '../../reports/preview-data.ts';
import { DATASET_ID, qualifyQuery } from '../../reports/view-files.ts';
import { type ParamType, type RunQuery, WarehouseReports } from '../../reports/warehouse-reports.ts';

/** How long an answer is given again without a new job: a dashboard refreshing every few seconds runs few. */
export const REPORT_CACHE_MS = 30_000;

/** How many answers an instance keeps: a dashboard's summary is eight queries, and filters vary. */
export const REPORT_CACHE_ENTRIES = 400;

/**
 * The reports' freshness reads the events of this many whole days back (and today): the events table
 * is partitioned by day and refuses a query that names none, and a recent window is all it needs.
 */
export const FRESHNESS_DAYS = 2;

/** When the warehouse last took in events: the latest arrival among the events of the recent days. */
export const FRESHNESS_QUERY = `
  SELECT MAX(received_at) AS received_at
  FROM \`ereg.events\`
  WHERE occurred_at >= @since`;

type Row = Record<string, unknown>;

/** A parameter as bound here: the reports' types, and TIMESTAMP for the freshness window. */
interface BoundParam {
  type: ParamType | 'TIMESTAMP';
  value: string | number | null;
}

export interface BigQueryReportsOptions {
  /** The project the views live in; the query texts name them `ereg.<name>`, and this qualifies them. */
  projectId: string;
  /** The dataset the views live in (BIGQUERY_DATASET); DATASET_ID unless configured otherwise. */
  dataset?: string;
  clock: Clock;
  /** The country's zone, whose date the latest availability snapshot is looked for from. */
  timeZone?: string;
  cacheMs?: number;
  cacheEntries?: number;
}

/**
 * Answers kept for a short time, keyed by query text and parameters. A query running now is shared
 * by whoever asks for the same answer meanwhile; a failed one is forgotten at once, so the next ask
 * runs it again. The oldest answer goes first when the cache is full.
 */
class AnswerCache {
  private readonly entries = new Map<string, { until: number; rows: Promise<Row[]> }>();
  private readonly ms: number;
  private readonly max: number;
  private readonly clock: Clock;

  constructor(ms: number, max: number, clock: Clock) {
    this.ms = ms;
    this.max = max;
    this.clock = clock;
  }

  answer(key: string, run: () => Promise<Row[]>): Promise<Row[]> {
    const now = this.clock.now().getTime();
    const kept = this.entries.get(key);
    if (kept && kept.until > now) return kept.rows;
    this.entries.delete(key);
    const rows = run();
    const entry = { until: now + this.ms, rows };
    this.entries.set(key, entry);
    rows.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.max) break;
      this.entries.delete(oldest);
    }
    return rows;
  }
}

/** The query text with every `ereg.<name>` read as `<project>.<dataset>.<name>`. */
export function qualifyForDataset(sql: string, projectId: string, dataset: string): string {
  const qualified = qualifyQuery(sql, projectId);
  return dataset === DATASET_ID
    ? qualified
    : qualified.replaceAll(`\`${projectId}.${DATASET_ID}.`, `\`${projectId}.${dataset}.`);
}

/**
 * The parameters as the client binds them: each with its type (a null binds only with one), a DATE
 * or TIMESTAMP wrapped as the client sends it, an INT64 as its decimal text (exact at any size).
 */
function bind(params: Record<string, BoundParam>): { params: Row; types: Record<string, string> } {
  const values: Row = {};
  const types: Record<string, string> = {};
  for (const [name, { type, value }] of Object.entries(params)) {
    types[name] = type;
    if (value === null) values[name] = null;
    else if (type === 'DATE') values[name] = BigQuery.date(String(value));
    else if (type === 'TIMESTAMP') values[name] = BigQuery.timestamp(String(value));
    else if (type === 'INT64') values[name] = String(value);
    else values[name] = value;
  }
  return { params: values, types };
}

/**
 * A value of a result row as the embedded default gives it: a DATE as 'YYYY-MM-DD', a TIMESTAMP as
 * its ISO text, INT64 and FLOAT64 as numbers (the client gives numbers, and wrapped values for dates,
 * times and NUMERIC).
 */
function plain(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object' || Array.isArray(value) || Buffer.isBuffer(value)) return value;
  if ('value' in value) return (value as { value: unknown }).value;
  // NUMERIC and BIGNUMERIC come as Big numbers.
  if (typeof (value as { toFixed?: unknown }).toFixed === 'function') return Number(String(value));
  return value;
}

/** What BigQuery said, for a message: the status, the reason and its own message. */
function describe(error: unknown): string {
  const e = error as { code?: number; message?: string; errors?: Array<{ reason?: string }> };
  const reason = e?.errors?.find((r) => r.reason)?.reason;
  return `${e?.code ? `HTTP ${e.code} ` : ''}${reason ? `${reason}: ` : ''}${e?.message ?? String(error)}`;
}

/** A label value BigQuery takes (lowercase letters, digits, `_`, `-`; at most 63): `dosesPerDay` is `doses_per_day`. */
const labelOf = (name: string) =>
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '_')
    .slice(0, 63);

/**
 * The reports on BigQuery: each query text of the reports (REPORT_QUERIES) run as a parameterised
 * GoogleSQL query on the deployed views, its `ereg.<name>` qualified with the project and dataset,
 * and each answer kept `cacheMs` (30 s), so a dashboard refreshed by many analysts runs few jobs.
 * Built once per instance, so its answers are shared by the instance's requests.
 */
export class BigQueryReports {
  readonly reader: ReportsReader;
  readonly run: RunQuery;
  /** The preview of an eligibility change, from the same views and the same kept answers. */
  readonly preview: PreviewData;
  private readonly bigquery: BigQuery;
  private readonly options: Required<BigQueryReportsOptions>;
  private readonly cache: AnswerCache;

  constructor(bigquery: BigQuery, options: BigQueryReportsOptions) {
    this.bigquery = bigquery;
    this.options = {
      projectId: options.projectId,
      dataset: options.dataset ?? DATASET_ID,
      clock: options.clock,
      timeZone: options.timeZone ?? DEFAULT_SETTINGS.timeZone,
      cacheMs: options.cacheMs ?? REPORT_CACHE_MS,
      cacheEntries: options.cacheEntries ?? REPORT_CACHE_ENTRIES,
    };
    this.cache = new AnswerCache(this.options.cacheMs, this.options.cacheEntries, options.clock);
    this.run = (query) => this.query(query.name, query.sql, query.params);
    this.reader = new WarehouseReports(this.run, () => this.asOf());
    this.preview = new WarehousePreviewData(this.run, () => this.asOf(), options.clock, this.options.timeZone);
  }

  /**
   * The latest arrival of an event that happened in the last FRESHNESS_DAYS whole days (the window
   * starts at midnight UTC, so its answer is kept like any other); null when none arrived.
   */
  async asOf(): Promise<Instant | null> {
    const midnight = new Date(this.options.clock.now());
    midnight.setUTCHours(0, 0, 0, 0);
    const since = new Date(midnight.getTime() - FRESHNESS_DAYS * 86_400_000).toISOString();
    const [row] = await this.query('asOf', FRESHNESS_QUERY, { since: { type: 'TIMESTAMP', value: since } });
    const latest = row?.received_at;
    return latest === null || latest === undefined ? null : new Date(String(latest)).toISOString();
  }

  private query(name: string, sql: string, params: Record<string, BoundParam>): Promise<Row[]> {
    const key = JSON.stringify([sql, Object.entries(params).sort(([a], [b]) => a.localeCompare(b))]);
    return this.cache.answer(key, () => this.runJob(name, sql, params));
  }

  private async runJob(name: string, sql: string, params: Record<string, BoundParam>): Promise<Row[]> {
    const { projectId, dataset } = this.options;
    try {
      // No location: BigQuery runs the job where the dataset it reads is.
      const [rows] = await this.bigquery.query({
        query: qualifyForDataset(sql, projectId, dataset),
        ...bind(params),
        labels: { report_query: labelOf(name) },
      });
      return (rows as Row[]).map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, plain(v)])));
    } catch (error) {
      throw new Error(`The report query ${name} failed in BigQuery: ${describe(error)}`, { cause: error });
    }
  }
}
