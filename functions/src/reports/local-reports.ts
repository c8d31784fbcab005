import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import {
  type AvailabilitySnapshot,
  type Centre,
  type Deps,
  type Instant,
  localToday,
  type ReportsReader,
  TERYT_VOIVODESHIPS,
  takeAvailabilitySnapshot,
  type Vaccine,
  voivodeshipBySlug,
  voivodeshipOfGmina,
} from '@ereg/shared';
import type { SqliteStore } from '../adapters/sqlite/sqlite-store.ts';
import { type CentreRow, LocalWarehouse, type SnapshotRow, type ViewRefresh } from './local-warehouse.ts';
import { POPULATION_SOURCE, polishPopulation } from './population.ts';
import { type RunQuery, WarehouseReports } from './warehouse-reports.ts';

/** A centre's voivodeship code: from its gmina's TERYT code, else from its address's voivodeship (slug or name). */
export function voivodeshipCodeOf(centre: Centre): string | null {
  const { teryt, voivodeship } = centre.address;
  const byGmina = teryt ? voivodeshipOfGmina(teryt) : undefined;
  if (byGmina) return byGmina.teryt;
  const named = voivodeship.trim().toLowerCase();
  return (voivodeshipBySlug(named) ?? TERYT_VOIVODESHIPS.find((v) => v.name === named))?.teryt ?? null;
}

/** A centre as the `centres` dimension holds it; null when no voivodeship can be told from its address. */
export function centreRow(centre: Centre, now: Instant): CentreRow | null {
  const voivodeship = voivodeshipCodeOf(centre);
  if (!voivodeship) return null;
  const gmina = centre.address.teryt ?? null;
  return {
    centre_id: centre.id,
    name: centre.name,
    town: centre.address.city,
    postal_code: centre.address.postalCode,
    voivodeship,
    powiat: gmina ? gmina.slice(0, 4) : null,
    gmina,
    latitude: centre.location.lat,
    longitude: centre.location.lon,
    time_zone: centre.timeZone,
    updated_at: now,
  };
}

/** A snapshot as the `availability_snapshots` table holds it. */
export function snapshotRow(s: AvailabilitySnapshot): SnapshotRow {
  return {
    snapshot_date: s.date,
    centre_id: s.centreId,
    vaccine_id: s.vaccineId,
    places_published: s.published,
    places_booked: s.booked,
    places_free: s.free,
    first_free_date: s.firstFreeDate,
    taken_at: s.takenAt,
  };
}

/** The vaccine catalogue as the `vaccines` dimension holds it. */
export function vaccineRows(vaccines: readonly Vaccine[], now: Instant) {
  return vaccines.map((v) => ({
    vaccine_id: v.id,
    name: v.name,
    manufacturer: v.manufacturer,
    doses: v.doses,
    min_interval_days: v.doses > 1 ? v.minIntervalDays : null,
    recommended_interval_days: null,
    max_interval_days: v.doses > 1 ? v.maxIntervalDays : null,
    min_age: v.minAgeYears,
    updated_at: now,
  }));
}

/**
 * The reports on the embedded default: the local warehouse on the system's SQLite file, its
 * dimensions filled from the store (centres), the catalogue and the population data file, a snapshot of
 * the places of the next four weeks taken on the first refresh of each day, refreshed
 * in the store's exclusive section (so no unit of work interleaves), and the reader the report routes use.
 */
export class LocalReports {
  readonly warehouse: LocalWarehouse;
  readonly reader: ReportsReader;
  private readonly store: SqliteStore;
  private readonly deps: Deps;
  private refreshedAt: Instant | null = null;
  /** The centres dimension as last put (without its times), to tell whether it changed. */
  private centresKnown: string | null = null;

  constructor(db: DatabaseSync, store: SqliteStore, deps: Deps) {
    this.warehouse = new LocalWarehouse(db);
    this.store = store;
    this.deps = deps;
    const run: RunQuery = async (query) => {
      const params: Record<string, SQLInputValue> = {};
      for (const [name, param] of Object.entries(query.params)) params[name] = param.value;
      return this.warehouse.query(query.sql, params);
    };
    this.reader = new WarehouseReports(run, async () => this.refreshedAt);
  }

  /**
   * Brings the dimensions and every view up to date with the events so far; answers what each
   * view recomputed. A centre onboarded or changed since the last refresh rebuilds the views.
   */
  async refresh(): Promise<ViewRefresh[]> {
    const now = this.deps.clock.now().toISOString();
    const centres = await this.store.listCentres();
    // The day's availability snapshot, once a day: the first refresh of a day takes it.
    const today = localToday(new Date(now), this.deps.settings.timeZone);
    const snapshot = this.warehouse.hasSnapshotOf(today) ? null : await takeAvailabilitySnapshot(this.deps);
    return this.store.exclusive(() => {
      if (snapshot) this.warehouse.putSnapshots(snapshot.map(snapshotRow));
      if (this.centresKnown === null) {
        this.warehouse.putVaccines(vaccineRows(this.deps.vaccines, now));
        this.warehouse.putPopulation(
          polishPopulation().map((p) => ({
            voivodeship: p.voivodeship,
            age_band: p.ageBand,
            people: p.people,
            reference_date: POPULATION_SOURCE.referenceDate,
          })),
        );
      }
      const rows = centres.map((c) => centreRow(c, now)).filter((r): r is CentreRow => r !== null);
      const known = JSON.stringify(rows.map(({ updated_at: _, ...rest }) => rest));
      if (known !== this.centresKnown) {
        this.warehouse.putCentres(rows);
        // Rows already made name a centre's place as it was: made again with the new one.
        if (this.centresKnown !== null) this.warehouse.rebuildAtNextRefresh();
        this.centresKnown = known;
      }
      const refreshed = this.warehouse.refresh();
      this.refreshedAt = now;
      return refreshed;
    });
  }
}
