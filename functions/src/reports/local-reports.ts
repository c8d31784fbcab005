import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import {
  type Deps,
  type Instant,
  localToday,
  type PreviewData,
  type ReportsReader,
  takeAvailabilitySnapshot,
} from '@ereg/shared';
import type { SqliteStore } from '../adapters/sqlite/sqlite-store.ts';
import { LocalWarehouse, type ViewRefresh } from './local-warehouse.ts';
import { WarehousePreviewData } from './preview-data.ts';
import { type RunQuery, WarehouseReports } from './warehouse-reports.ts';
import { centreRows, populationRows, snapshotRow, vaccineRows } from './warehouse-rows.ts';

/** The reports' reader on a local warehouse: the same query texts as BigQuery's, run on SQLite. */
/**
 * The reports' reader on the local warehouse. Its answers change only when the views are refreshed
 * (`refreshes` counts the refreshes so far), so each query's answer is kept until the next refresh (at most `CACHED_ANSWERS` of them): a busy
 * dashboard, or the public summary asked by many, reads the tables once per refresh.
 */
export function localReader(
  warehouse: LocalWarehouse,
  freshness: () => Promise<Instant | null>,
  refreshes: () => number = () => 0,
): ReportsReader {
  return new WarehouseReports(localRun(warehouse, refreshes), freshness);
}

/** Runs the reports' query texts on the local warehouse, each answer kept until the next refresh. */
export function localRun(warehouse: LocalWarehouse, refreshes: () => number = () => 0): RunQuery {
  const answers = new Map<string, Array<Record<string, unknown>>>();
  let answered = -1;
  const run: RunQuery = async (query) => {
    if (refreshes() !== answered) {
      answers.clear();
      answered = refreshes();
    }
    const key = `${query.name}\u0000${JSON.stringify(query.params)}`;
    const known = answers.get(key);
    if (known) return known;
    const params: Record<string, SQLInputValue> = {};
    for (const [name, param] of Object.entries(query.params)) params[name] = param.value;
    const rows = warehouse.query(query.sql, params);
    if (answers.size >= CACHED_ANSWERS) answers.delete(answers.keys().next().value as string);
    answers.set(key, rows);
    return rows;
  };
  return run;
}

/**
 * After a refresh, the local system waits at least this many times as long as it took before the next:
 * under load, when a refresh slows, it still takes no more than a tenth of the server's time.
 */
export const REFRESH_REST_TIMES = 9;

/** How many answers the local reader keeps until the next refresh. */
export const CACHED_ANSWERS = 2000;

/**
 * The reports on the embedded default: the local warehouse on the system's SQLite file, its
 * dimensions filled from the store (centres), the catalogue and the population data file, a snapshot of
 * the places of the next four weeks taken on the first refresh of each day, each view refreshed in its
 * own exclusive section of the store (no unit of work interleaves with one view's refresh, and units
 * queued meanwhile run before the next view's), and the reader the report routes use.
 */
export class LocalReports {
  readonly warehouse: LocalWarehouse;
  readonly reader: ReportsReader;
  /** The preview of an eligibility change reads the same tables, its answers kept until the next refresh. */
  readonly preview: PreviewData;
  private readonly store: SqliteStore;
  private readonly deps: Deps;
  private refreshedAt: Instant | null = null;
  private refreshes = 0;
  private running: Promise<ViewRefresh[]> | null = null;
  /** The centres dimension as last put (without its times), to tell whether it changed. */
  private centresKnown: string | null = null;

  constructor(db: DatabaseSync, store: SqliteStore, deps: Deps) {
    this.warehouse = new LocalWarehouse(db);
    this.store = store;
    this.deps = deps;
    const run = localRun(this.warehouse, () => this.refreshes);
    const freshness = async () => this.refreshedAt;
    this.reader = new WarehouseReports(run, freshness);
    this.preview = new WarehousePreviewData(run, freshness, deps.clock, deps.settings.timeZone);
  }

  /**
   * Brings the dimensions and every view up to date with the events so far; answers what each
   * view recomputed. A centre onboarded or changed since the last refresh rebuilds the views.
   */
  async refresh(): Promise<ViewRefresh[]> {
    // One at a time: a refresh asked for while one runs (the first, at start) gets that one's answer.
    this.running ??= this.refreshOnce().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async refreshOnce(): Promise<ViewRefresh[]> {
    const now = this.deps.clock.now().toISOString();
    const centres = await this.store.listCentres();
    // The day's availability snapshot, once a day: the first refresh of a day takes it.
    const today = localToday(new Date(now), this.deps.settings.timeZone);
    const snapshot = this.warehouse.hasSnapshotOf(today) ? null : await takeAvailabilitySnapshot(this.deps);
    await this.store.exclusive(() => {
      if (snapshot) this.warehouse.putSnapshots(snapshot.map(snapshotRow));
      if (this.centresKnown === null) {
        this.warehouse.putVaccines(vaccineRows(this.deps.vaccines, now));
        this.warehouse.putPopulation(populationRows());
      }
      const rows = centreRows(centres, now);
      const known = JSON.stringify(rows.map(({ updated_at: _, ...rest }) => rest));
      if (known !== this.centresKnown) {
        this.warehouse.putCentres(rows);
        // Rows already made name a centre's place as it was: made again with the new one.
        if (this.centresKnown !== null) this.warehouse.rebuildAtNextRefresh();
        this.centresKnown = known;
      }
    });
    // Each view in its own exclusive section: bookings are answered between two views' refreshes.
    const refreshed = await this.warehouse.refreshInTurns((work) => this.store.exclusive(work));
    this.refreshedAt = now;
    this.refreshes++;
    return refreshed;
  }
}
