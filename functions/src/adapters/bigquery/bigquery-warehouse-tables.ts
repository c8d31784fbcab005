import { type Deps, type LocalDate, localToday, takeAvailabilitySnapshot } from '@ereg/shared';
import type { Dataset } from '@google-cloud/bigquery';
import type { SnapshotRow } from '../../reports/local-warehouse.ts';
import { centreRows, populationRows, snapshotRow, vaccineRows } from '../../reports/warehouse-rows.ts';

/** The dimension tables, each replaced whole from its source (the store, the catalogue, the population file). */
export type DimensionTable = 'centres' | 'vaccines' | 'population';

export const SNAPSHOTS_TABLE = 'availability_snapshots';

/** The partition of a DATE-partitioned table holding one day: `availability_snapshots$20260112`. */
export const partitionOf = (table: string, date: LocalDate) => `${table}$${date.replaceAll('-', '')}`;

/** What BigQuery said, for a message: the status, the reason and its own message. */
function describe(error: unknown): string {
  const e = error as { code?: number; message?: string; errors?: Array<{ reason?: string }> };
  const reason = e?.errors?.find((r) => r.reason)?.reason;
  return `${e?.code ? `HTTP ${e.code} ` : ''}${reason ? `${reason}: ` : ''}${e?.message ?? String(error)}`;
}

/**
 * Writes the warehouse's tables that are not events, each by a load job of newline-delimited JSON
 * that replaces what it covers in one step: a dimension table whole (WRITE_TRUNCATE_DATA, which keeps
 * the schema and descriptions the deployment gave it), a day of snapshots as its partition
 * (`availability_snapshots$YYYYMMDD`, WRITE_TRUNCATE) — so a day written twice holds the second
 * writing only. Load jobs cost no query bytes, take any number of rows (query parameters are limited
 * to a request's size) and never meet the streaming buffer, which DML cannot change.
 */
export class BigQueryWarehouseTables {
  private readonly dataset: Dataset;

  constructor(dataset: Dataset) {
    this.dataset = dataset;
  }

  /** Puts `rows` in place of every row of a dimension table. */
  replaceDimension(table: DimensionTable, rows: readonly object[]): Promise<void> {
    return this.load(table, rows, 'WRITE_TRUNCATE_DATA');
  }

  /** Puts `rows` in place of the day's snapshots; every row must be of that day. */
  replaceSnapshotsOf(date: LocalDate, rows: readonly SnapshotRow[]): Promise<void> {
    const stray = rows.find((r) => r.snapshot_date !== date);
    if (stray) throw new Error(`A snapshot of ${stray.snapshot_date} cannot be written as one of ${date}.`);
    return this.load(partitionOf(SNAPSHOTS_TABLE, date), rows, 'WRITE_TRUNCATE');
  }

  private async load(tableId: string, rows: readonly object[], writeDisposition: string): Promise<void> {
    const stream = this.dataset.table(tableId).createWriteStream({
      sourceFormat: 'NEWLINE_DELIMITED_JSON',
      writeDisposition,
    });
    try {
      await new Promise<void>((resolve, reject) => {
        stream.on('complete', () => resolve());
        stream.on('error', reject);
        stream.end(rows.map((row) => `${JSON.stringify(row)}\n`).join(''));
      });
    } catch (error) {
      throw new Error(`Loading ${rows.length} rows into ${this.dataset.id}.${tableId} failed: ${describe(error)}`, {
        cause: error,
      });
    }
  }
}

/** What one night wrote to the warehouse. */
export interface WarehouseNight {
  /** The country's date of the snapshot. */
  date: LocalDate;
  snapshots: number;
  centres: number;
  /** Centres left out of the dimension: no voivodeship can be told from their address. */
  centresWithoutPlace: number;
  vaccines: number;
  population: number;
}

/**
 * The warehouse's nightly writing, after the night's slots are published: the dimensions made anew
 * from the store, the catalogue and the population file, then the day's availability snapshot (the
 * places of the next four weeks) in place of any taken earlier that day. A run again the same day
 * replaces what the first wrote. A table with nothing to hold (no centre yet) is left as it is
 * rather than emptied.
 */
export async function writeWarehouseNight(deps: Deps, tables: BigQueryWarehouseTables): Promise<WarehouseNight> {
  const now = deps.clock.now();
  const date = localToday(now, deps.settings.timeZone);
  const centres = await deps.store.listCentres();
  const centresRows = centreRows(centres, now.toISOString());
  const vaccines = vaccineRows(deps.vaccines, now.toISOString());
  const population = populationRows();
  if (centresRows.length > 0) await tables.replaceDimension('centres', centresRows);
  if (vaccines.length > 0) await tables.replaceDimension('vaccines', vaccines);
  if (population.length > 0) await tables.replaceDimension('population', population);
  const snapshots = (await takeAvailabilitySnapshot(deps)).map(snapshotRow);
  if (snapshots.length > 0) await tables.replaceSnapshotsOf(date, snapshots);
  return {
    date,
    snapshots: snapshots.length,
    centres: centresRows.length,
    centresWithoutPlace: centres.length - centresRows.length,
    vaccines: vaccines.length,
    population: population.length,
  };
}
