import { codeOf, DATASET_ID, orderViews, qualifyQuery, type ViewFile } from '@ereg/functions/deployment';
import { RETENTION_DAYS } from '@ereg/shared';
import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import type { BigQueryColumn } from './repo-files.ts';

/**
 * How long a day's rows are kept: BigQuery drops a partition this long after its day. The rows are
 * pseudonymous reports, not the medical record (that is the visits in Firestore), so they are kept
 * for what analysts need — a campaign, the next season to compare it with, and its review — and the
 * local report table keeps them as long (RETENTION_DAYS.analytics).
 */
export const PARTITION_EXPIRATION_MS = RETENTION_DAYS.analytics * 86_400_000;

/** How one table of the warehouse is laid out; its columns are its schema file's. */
export interface TableLayout {
  description: string;
  /** Partitioned by day on this DATE or TIMESTAMP column; a partition expires PARTITION_EXPIRATION_MS after its day. */
  partitionedBy?: string;
  /** Queries must filter on the partition column in a way that skips partitions, or BigQuery refuses them. */
  requirePartitionFilter?: boolean;
  /** Within a partition, rows are sorted by these columns, so a filter on them reads fewer blocks. */
  clusteredBy?: string[];
}

/**
 * The tables of the `ereg` dataset (docs/deployment.md, "The warehouse", says why each is laid out so).
 * events grows with every booking, so it is partitioned by the day things happened and every query
 * must name its days; reports filter it by `type` and then by centre. The snapshots grow by a row per
 * centre and vaccine a day. The dimensions are a few thousand rows at most: read whole, unpartitioned.
 * They never expire: they hold no personal data, and every kept event row is read joined with them
 * (an expired centre would drop its visits out of every report).
 */
export const WAREHOUSE_TABLES = {
  events: {
    description: 'One row per domain event, inserted by the recordAnalytics function (insertId = event id)',
    partitionedBy: 'occurred_at',
    requirePartitionFilter: true,
    clusteredBy: ['type', 'centre_id'],
  },
  centres: {
    description: 'The vaccination centres, one row per centre, with the TERYT codes of where each is',
  },
  vaccines: {
    description: 'The vaccine catalogue, one row per product: its primary course, intervals and minimum age',
  },
  population: {
    description: 'Residents per voivodeship (TERYT) and age band on a reference date, for coverage rates',
  },
  availability_snapshots: {
    description:
      'Each day, per centre and vaccine: places published, booked and free over the next 28 days, and the first free day',
    partitionedBy: 'snapshot_date',
    clusteredBy: ['centre_id'],
  },
} as const satisfies Record<string, TableLayout>;

export type WarehouseTable = keyof typeof WAREHOUSE_TABLES;
export const WAREHOUSE_TABLE_NAMES = Object.keys(WAREHOUSE_TABLES) as WarehouseTable[];

const PARTITIONABLE_TYPES = ['TIMESTAMP', 'DATE', 'DATETIME'];
/** Clustering takes top-level columns of these types only. */
const CLUSTERABLE_TYPES = [
  'STRING',
  'INT64',
  'INTEGER',
  'NUMERIC',
  'BIGNUMERIC',
  'BOOL',
  'BOOLEAN',
  'DATE',
  'DATETIME',
  'TIMESTAMP',
  'GEOGRAPHY',
  'RANGE',
];

export interface AnalyticsArgs {
  project: string;
  location: string;
  protectData: boolean;
  /** Each table's columns (functions/src/adapters/bigquery/<table>-schema.json). */
  schemas: Record<WarehouseTable, BigQueryColumn[]>;
  /** The report views (functions/src/reports/sql/, readViewFiles). */
  views: ViewFile[];
}

export interface DeployedView {
  view: gcp.bigquery.Table;
  /** The tables and views it reads: it is created after them. */
  reads: gcp.bigquery.Table[];
}

export interface Analytics {
  dataset: gcp.bigquery.Dataset;
  tables: Record<WarehouseTable, gcp.bigquery.Table>;
  views: Record<string, DeployedView>;
}

/** Refuses a layout whose partition or clustering columns the schema lacks or cannot serve. */
function checkLayout(table: WarehouseTable, layout: TableLayout, schema: BigQueryColumn[]): void {
  const file = `${table.replaceAll('_', '-')}-schema.json`;
  const typeOf = (name: string) => schema.find((c) => c.name === name && c.mode !== 'REPEATED')?.type ?? 'none';
  if (layout.partitionedBy && !PARTITIONABLE_TYPES.includes(typeOf(layout.partitionedBy))) {
    throw new Error(
      `${file}: the ${table} table is partitioned by day on ${layout.partitionedBy}, which must be a ` +
        `${PARTITIONABLE_TYPES.join(', ')} column (found ${typeOf(layout.partitionedBy)})`,
    );
  }
  for (const column of layout.clusteredBy ?? []) {
    if (!CLUSTERABLE_TYPES.includes(typeOf(column))) {
      throw new Error(
        `${file}: the ${table} table is clustered by ${column}, which must be a top-level column of a type ` +
          `clustering takes (found ${typeOf(column)})`,
      );
    }
  }
}

/**
 * Refuses a view that reads a table requiring a partition filter but never names its partition
 * column: BigQuery would refuse every query of the view. Naming it does not prove the filter skips
 * partitions (a constant bound does; a subquery does not), but its absence proves it does not.
 */
function checkPartitionFilters(views: readonly ViewFile[]): void {
  for (const view of views) {
    for (const reference of view.references) {
      const layout: TableLayout | undefined = WAREHOUSE_TABLES[reference as WarehouseTable];
      const column = layout?.requirePartitionFilter ? layout.partitionedBy : undefined;
      if (column && !new RegExp(`\\b${column}\\b`).test(codeOf(view.query))) {
        throw new Error(
          `${view.file}: reads \`${DATASET_ID}.${reference}\`, which BigQuery queries only with a filter on ${column} ` +
            `that skips partitions (e.g. ${column} >= TIMESTAMP '2021-01-01'), and the query never names ${column}`,
        );
      }
    }
  }
}

/** The explicit dependencies of `opts` and `more`. */
function dependingOn(opts: pulumi.CustomResourceOptions, more: pulumi.Resource[]): pulumi.CustomResourceOptions {
  const base = opts.dependsOn;
  if (base === undefined) return { ...opts, dependsOn: more };
  if (Array.isArray(base)) return { ...opts, dependsOn: [...base, ...more] };
  if (pulumi.Resource.isInstance(base)) return { ...opts, dependsOn: [base, ...more] };
  throw new Error('The views are declared after a list of resources or one resource, not a promise of them');
}

/**
 * The `ereg` dataset; its tables (WAREHOUSE_TABLES, with the columns of their schema files), which
 * recordAnalytics streams the events into and the reports' jobs fill; and a view per report SQL file,
 * reading the tables and views of this project, each created after what it reads. Throws before
 * declaring anything when a layout does not fit its schema or a view reads what does not exist.
 */
export function deployAnalytics(args: AnalyticsArgs, opts: pulumi.CustomResourceOptions): Analytics {
  for (const table of WAREHOUSE_TABLE_NAMES) {
    checkLayout(table, WAREHOUSE_TABLES[table], args.schemas[table]);
  }
  const views = orderViews(args.views, WAREHOUSE_TABLE_NAMES);
  checkPartitionFilters(views);

  const protect = { ...opts, protect: args.protectData };
  const dataset = new gcp.bigquery.Dataset(
    DATASET_ID,
    {
      project: args.project,
      datasetId: DATASET_ID,
      location: args.location,
      description: 'e-Registration domain events, the centres, vaccines and population they are read with, and reports',
      deleteContentsOnDestroy: !args.protectData,
    },
    protect,
  );
  const tables = Object.fromEntries(
    WAREHOUSE_TABLE_NAMES.map((table) => {
      const layout: TableLayout = WAREHOUSE_TABLES[table];
      const resource = new gcp.bigquery.Table(
        table,
        {
          project: args.project,
          datasetId: dataset.datasetId,
          tableId: table,
          description: layout.description,
          schema: JSON.stringify(args.schemas[table]),
          timePartitioning: layout.partitionedBy
            ? { type: 'DAY', field: layout.partitionedBy, expirationMs: PARTITION_EXPIRATION_MS }
            : undefined,
          requirePartitionFilter: layout.requirePartitionFilter,
          clusterings: layout.clusteredBy ? [...layout.clusteredBy] : undefined,
          deletionProtection: args.protectData,
        },
        protect,
      );
      return [table, resource];
    }),
  ) as Record<WarehouseTable, gcp.bigquery.Table>;

  const deployed: Record<string, DeployedView> = {};
  const resourceOf = (name: string): gcp.bigquery.Table => {
    const found = name in tables ? tables[name as WarehouseTable] : deployed[name]?.view;
    if (!found) throw new Error(`${DATASET_ID}.${name} is read before it is declared`);
    return found;
  };
  for (const file of views) {
    const reads = file.references.map(resourceOf);
    const view = new gcp.bigquery.Table(
      file.name,
      {
        project: args.project,
        datasetId: dataset.datasetId,
        tableId: file.name,
        description: file.description,
        view: { query: qualifyQuery(file.query, args.project), useLegacySql: false },
        // A view holds no data: replacing or dropping it with its file loses nothing.
        deletionProtection: false,
      },
      dependingOn(opts, reads),
    );
    deployed[file.name] = { view, reads };
  }
  return { dataset, tables, views: deployed };
}
