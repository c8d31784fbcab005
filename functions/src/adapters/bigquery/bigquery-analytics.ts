import { type AnalyticsContext, analyticsRow, type Clock, type DomainEvent, type EventConsumer } from '@ereg/shared';
import { BigQuery, type Table } from '@google-cloud/bigquery';

export const ANALYTICS_DATASET = 'ereg';
export const ANALYTICS_TABLE = 'events';

/** How the cloud sink makes rows: the country's zone, the pseudonyms' function, the clock for `received_at`. */
export interface BigQueryAnalyticsOptions {
  timeZone: string;
  pseudonym: AnalyticsContext['pseudonym'];
  clock: Clock;
}

/**
 * The cloud analytics sink: each event streamed into `ereg.events` with `tabledata.insertAll`, the
 * event id as `insertId`, so a redelivered event within BigQuery's de-duplication window (about a
 * minute, best effort) is stored once; reports that must be exact count DISTINCT event_id.
 *
 * Why streaming insert and not a Pub/Sub → BigQuery subscription: the row is derived in code
 * (centre, vaccine, dose and visit date lifted out of `data` by `analyticsRow`, the mapping the local
 * `report_events` uses too), whereas a BigQuery subscription writes each message as it is, so it would need the
 * relay to publish table-shaped messages. docs/capacity.md §8 plans that subscription for the ×10
 * peak (Storage Write API, no code); until the relay publishes rows shaped like this table, this
 * consumer is the path, and it runs as a Pub/Sub-triggered function behind eventConsumerFunction.
 *
 * Transient failures (5xx, 429) are retried by the client library with the same insertId; a row
 * BigQuery rejects (insertErrors) or a bad request throws, so the Pub/Sub delivery fails and is
 * redelivered (then dead-lettered) instead of being lost silently.
 */
export class BigQueryAnalytics implements EventConsumer {
  readonly name = 'analytics';
  private readonly table: Table;
  private readonly options: BigQueryAnalyticsOptions;

  constructor(table: Table, options: BigQueryAnalyticsOptions) {
    this.table = table;
    this.options = options;
  }

  /** The sink on `ereg.events` of a BigQuery client (pass `apiEndpoint`, `projectId` in options). */
  static open(options: BigQueryAnalyticsOptions, bigquery = new BigQuery()): BigQueryAnalytics {
    return new BigQueryAnalytics(bigquery.dataset(ANALYTICS_DATASET).table(ANALYTICS_TABLE), options);
  }

  async handle(event: DomainEvent): Promise<void> {
    const { timeZone, pseudonym, clock } = this.options;
    const json = analyticsRow(event, { timeZone, pseudonym, receivedAt: clock.now().toISOString() });
    const row = { insertId: event.id, json };
    try {
      // raw: the row is sent as given (our insertId, no client-made one); partialRetries 0: a row
      // BigQuery rejected as invalid will not become valid by sending it again at once.
      await this.table.insert([row], { raw: true, partialRetries: 0 });
    } catch (error) {
      throw new Error(
        `BigQuery insert of event ${event.id} (${event.type}) into ${this.tableName()} failed: ${describe(error)}`,
        {
          cause: error,
        },
      );
    }
  }

  private tableName(): string {
    return `${this.table.dataset.id}.${this.table.id}`;
  }
}

function describe(error: unknown): string {
  const e = error as { name?: string; code?: number; message?: string; errors?: unknown[] };
  if (e?.name === 'PartialFailureError' && Array.isArray(e.errors)) {
    const reasons = e.errors.flatMap((failure) =>
      ((failure as { errors?: { reason?: string; message?: string }[] }).errors ?? []).map(
        (inner) => `${inner.reason ?? 'error'}: ${inner.message ?? ''}`,
      ),
    );
    return `row rejected (${reasons.join('; ')})`;
  }
  return `${e?.code ? `HTTP ${e.code} ` : ''}${e?.message ?? String(error)}`;
}
