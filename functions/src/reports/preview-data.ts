import {
  AGE_BANDS,
  type AgeBand,
  addDays,
  type Clock,
  type Instant,
  type LocalDate,
  localToday,
  type PreviewAggregates,
  type PreviewData,
} from '@ereg/shared';
import type { RunQuery } from './warehouse-reports.ts';

/** How far back the latest availability snapshot is looked for (the snapshots are partitioned by day). */
export const SNAPSHOT_LOOKBACK_DAYS = 7;

/** The preview's query texts, written once for BigQuery and the local warehouse. */
export const PREVIEW_QUERIES = {
  registrations: `
    SELECT birth_year, SUM(people) AS people
    FROM \`ereg.registrations_by_birth_year\`
    WHERE birth_year IS NOT NULL
    GROUP BY birth_year`,
  groupMembers: `
    SELECT birth_year, groups, people
    FROM \`ereg.group_members\``,
  population: `
    SELECT voivodeship, age_band, people, reference_date
    FROM \`ereg.population\``,
  places: `
    SELECT
      c.voivodeship,
      s.centre_id,
      s.vaccine_id,
      COALESCE(s.places_free_7d, 0) AS free7,
      COALESCE(s.places_free_14d, 0) AS free14,
      s.places_free AS free28,
      s.first_free_date,
      s.snapshot_date
    FROM \`ereg.availability_snapshots\` AS s
    JOIN \`ereg.centres\` AS c ON c.centre_id = s.centre_id
    WHERE s.snapshot_date >= @since
      AND s.snapshot_date = (
        SELECT MAX(snapshot_date) FROM \`ereg.availability_snapshots\` WHERE snapshot_date >= @since
      )`,
} as const;

const int = (value: unknown) => Number(value ?? 0);
const text = (value: unknown) => (value === null || value === undefined ? null : String(value));
const isAgeBand = (band: string): band is AgeBand => AGE_BANDS.some((b) => b === band);

/** A group set as the view gives it (a JSON array), sorted and each group once. */
function groupsOf(value: unknown): string[] {
  const parsed: unknown = JSON.parse(String(value ?? '[]'));
  return Array.isArray(parsed) ? [...new Set(parsed.map(String))].sort() : [];
}

/**
 * The preview's aggregates from a warehouse: registrations by birth year, the groups' members, the
 * population and the latest availability snapshot, each one query on views kept up to date.
 */
export class WarehousePreviewData implements PreviewData {
  private readonly run: RunQuery;
  private readonly freshness: () => Promise<Instant | null>;
  private readonly clock: Clock;
  private readonly timeZone: string;

  constructor(run: RunQuery, freshness: () => Promise<Instant | null>, clock: Clock, timeZone: string) {
    this.run = run;
    this.freshness = freshness;
    this.clock = clock;
    this.timeZone = timeZone;
  }

  async aggregates(): Promise<PreviewAggregates> {
    const since = addDays(localToday(this.clock.now(), this.timeZone), -SNAPSHOT_LOOKBACK_DAYS);
    const [registrations, members, population, places, asOf] = await Promise.all([
      this.run({ name: 'previewRegistrations', sql: PREVIEW_QUERIES.registrations, params: {} }),
      this.run({ name: 'previewGroupMembers', sql: PREVIEW_QUERIES.groupMembers, params: {} }),
      this.run({ name: 'previewPopulation', sql: PREVIEW_QUERIES.population, params: {} }),
      this.run({
        name: 'previewPlaces',
        sql: PREVIEW_QUERIES.places,
        params: { since: { type: 'DATE', value: since } },
      }),
      this.freshness(),
    ]);
    return {
      registrations: registrations.map((r) => ({ birthYear: int(r.birth_year), people: int(r.people) })),
      groupMembers: members.map((r) => ({
        birthYear: r.birth_year === null || r.birth_year === undefined ? null : int(r.birth_year),
        groups: groupsOf(r.groups),
        people: int(r.people),
      })),
      population: population.flatMap((r) => {
        const ageBand = String(r.age_band);
        return isAgeBand(ageBand) ? [{ voivodeship: String(r.voivodeship), ageBand, people: int(r.people) }] : [];
      }),
      populationDate: text(population[0]?.reference_date) as LocalDate | null,
      places: places.map((r) => ({
        voivodeship: String(r.voivodeship),
        centreId: String(r.centre_id),
        vaccineId: String(r.vaccine_id),
        free7: int(r.free7),
        free14: int(r.free14),
        free28: int(r.free28),
        firstFreeDate: text(r.first_free_date),
      })),
      asOf: { registrations: asOf, places: text(places[0]?.snapshot_date) },
    };
  }
}
