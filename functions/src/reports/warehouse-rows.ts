import {
  type AvailabilitySnapshot,
  type Centre,
  type Instant,
  TERYT_VOIVODESHIPS,
  type Vaccine,
  voivodeshipBySlug,
  voivodeshipOfGmina,
} from '@ereg/shared';
import type { CentreRow, PopulationRow, SnapshotRow, VaccineRow } from './local-warehouse.ts';
import { POPULATION_SOURCE, polishPopulation } from './population.ts';

/*
 * The rows of the warehouse's dimension tables and snapshots, made alike for the embedded default's
 * SQLite tables and for BigQuery's, so that both warehouses answer the same reports.
 */

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

/** The centres the `centres` dimension holds: those whose voivodeship can be told from their address. */
export function centreRows(centres: readonly Centre[], now: Instant): CentreRow[] {
  return centres.map((c) => centreRow(c, now)).filter((r): r is CentreRow => r !== null);
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
    places_free_7d: s.free7,
    places_free_14d: s.free14,
    first_free_date: s.firstFreeDate,
    taken_at: s.takenAt,
  };
}

/** The vaccine catalogue as the `vaccines` dimension holds it. */
export function vaccineRows(vaccines: readonly Vaccine[], now: Instant): VaccineRow[] {
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

/** The population data file as the `population` dimension holds it. */
export function populationRows(): PopulationRow[] {
  return polishPopulation().map((p) => ({
    voivodeship: p.voivodeship,
    age_band: p.ageBand,
    people: p.people,
    reference_date: POPULATION_SOURCE.referenceDate,
  }));
}
