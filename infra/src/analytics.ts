import { RETENTION_DAYS } from '@ereg/shared';
import * as gcp from '@pulumi/gcp';
import type * as pulumi from '@pulumi/pulumi';
import type { BigQueryColumn } from './repo-files.ts';

/** The column the events table is partitioned on, by day: reports filter on when things happened. */
export const PARTITION_COLUMN = 'occurred_at';

const PARTITIONABLE_TYPES = ['TIMESTAMP', 'DATE', 'DATETIME'];

/**
 * How long a day's rows are kept: BigQuery drops a partition this long after its day. The rows are
 * pseudonymous reports, not the medical record (that is the visits in Firestore), so they are kept
 * for what analysts need — a campaign, the next season to compare it with, and its review — and the
 * local report table keeps them as long (RETENTION_DAYS.analytics).
 */
export const PARTITION_EXPIRATION_MS = RETENTION_DAYS.analytics * 86_400_000;

export interface AnalyticsArgs {
  project: string;
  location: string;
  protectData: boolean;
  schema: BigQueryColumn[];
}

export interface Analytics {
  dataset: gcp.bigquery.Dataset;
  table: gcp.bigquery.Table;
}

/**
 * The `ereg` dataset and its `events` table, which recordAnalytics streams every domain event into,
 * with the schema the sink writes (events-schema.json).
 */
export function deployAnalytics(args: AnalyticsArgs, opts: pulumi.CustomResourceOptions): Analytics {
  const column = args.schema.find((c) => c.name === PARTITION_COLUMN);
  if (!column || !PARTITIONABLE_TYPES.includes(column.type)) {
    throw new Error(
      `events-schema.json: the events table is partitioned by day on ${PARTITION_COLUMN}, which must be a ` +
        `${PARTITIONABLE_TYPES.join(', ')} column (found ${column ? column.type : 'none'})`,
    );
  }
  const dataset = new gcp.bigquery.Dataset(
    'ereg',
    {
      project: args.project,
      datasetId: 'ereg',
      location: args.location,
      description: 'e-Registration domain events, for analysts',
      deleteContentsOnDestroy: !args.protectData,
    },
    { ...opts, protect: args.protectData },
  );
  const table = new gcp.bigquery.Table(
    'events',
    {
      project: args.project,
      datasetId: dataset.datasetId,
      tableId: 'events',
      description: 'One row per domain event, inserted by the recordAnalytics function (insertId = event id)',
      schema: JSON.stringify(args.schema),
      timePartitioning: { type: 'DAY', field: PARTITION_COLUMN, expirationMs: PARTITION_EXPIRATION_MS },
      clusterings: ['type'],
      deletionProtection: args.protectData,
    },
    { ...opts, protect: args.protectData },
  );
  return { dataset, table };
}
