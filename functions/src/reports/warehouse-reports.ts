import type {
  EcdcWeek,
  Instant,
  LocalDate,
  NationalDay,
  PowiatNoShowWeek,
  PowiatWaitingDay,
  ReportFilter,
  ReportsReader,
  VoivodeshipCounts,
} from '@ereg/shared';

/** A query parameter's GoogleSQL type (BigQuery needs it to bind a null) and value. */
export type ParamType = 'STRING' | 'DATE' | 'INT64';
export interface QueryParam {
  type: ParamType;
  value: string | number | null;
}

/** One query of the reports: GoogleSQL text naming views as `ereg.<name>`, and its named parameters. */
export interface WarehouseQuery {
  name: string;
  sql: string;
  params: Record<string, QueryParam>;
}

/** Runs a query on a warehouse (BigQuery, or the embedded default's), answering rows by column name. */
export type RunQuery = (query: WarehouseQuery) => Promise<Array<Record<string, unknown>>>;

const FILTERED = `
  (@voivodeship IS NULL OR voivodeship = @voivodeship)
  AND (@age_band IS NULL OR age_band = @age_band)
  AND (@vaccine_id IS NULL OR vaccine_id = @vaccine_id)`;

/** Every text the reports run, written once for both engines. */
export const REPORT_QUERIES = {
  dosesPerDay: `
    SELECT day, vaccine_id, dose, SUM(doses) AS doses
    FROM \`ereg.doses_daily\`
    WHERE day BETWEEN @from AND @to AND ${FILTERED}
    GROUP BY day, vaccine_id, dose
    ORDER BY day, vaccine_id, dose`,
  countsByVoivodeship: `
    SELECT
      voivodeship,
      SUM(IF(dose = 1, doses, 0)) AS people_vaccinated,
      SUM(IF(completes_course = 1, doses, 0)) AS people_fully_vaccinated,
      SUM(doses) AS doses,
      SUM(IF(day BETWEEN @from AND @to, doses, 0)) AS doses_in_period
    FROM \`ereg.doses_daily\`
    WHERE voivodeship IS NOT NULL AND ${FILTERED}
    GROUP BY voivodeship
    ORDER BY voivodeship`,
  population: `
    SELECT voivodeship, SUM(people) AS people
    FROM \`ereg.population\`
    WHERE (@age_band IS NULL OR age_band = @age_band)
    GROUP BY voivodeship
    ORDER BY voivodeship`,
  // The week's days read from the daily outcomes (by their day, which both engines find fast); the
  // same sums as no_shows_weekly's for that week.
  noShows: `
    SELECT
      COALESCE(SUM(completed + no_shows + not_given), 0) AS visits,
      COALESCE(SUM(no_shows), 0) AS no_shows
    FROM \`ereg.visit_outcomes_daily\`
    WHERE day BETWEEN @week AND DATE_ADD(@week, INTERVAL 6 DAY)
      AND (@voivodeship IS NULL OR voivodeship = @voivodeship)`,
  daysToFirstFree: `
    SELECT voivodeship, powiat, MIN(days_to_first_free) AS days
    FROM \`ereg.waiting_times_daily\`
    WHERE day = (SELECT MAX(day) FROM \`ereg.waiting_times_daily\` WHERE day <= @day)
      AND (@voivodeship IS NULL OR voivodeship = @voivodeship)
      AND (@vaccine_id IS NULL OR vaccine_id = @vaccine_id)
    GROUP BY voivodeship, powiat
    ORDER BY voivodeship, powiat`,
  ecdcWeeks: `
    SELECT year_week, voivodeship, age_band, vaccine_id, first_dose, second_dose, dose_additional_1,
      dose_additional_2, unknown_dose, population
    FROM \`ereg.public_ecdc_weekly\`
    ORDER BY year_week, voivodeship, age_band, vaccine_id`,
  nationalDays: `
    SELECT day, doses, total_vaccinations, people_vaccinated, people_fully_vaccinated
    FROM \`ereg.public_owid_daily\`
    ORDER BY day`,
  waitingByPowiat: `
    SELECT day, voivodeship, powiat, centres, days_to_first_free, places_free
    FROM \`ereg.waiting_times_by_powiat\`
    ORDER BY day, voivodeship, powiat`,
  noShowsByPowiat: `
    SELECT week, voivodeship, powiat, visits, no_shows, no_show_rate
    FROM \`ereg.public_no_shows_weekly\`
    ORDER BY week, voivodeship, powiat`,
} as const;

const text = (value: string | null): QueryParam => ({ type: 'STRING', value });
const date = (value: LocalDate): QueryParam => ({ type: 'DATE', value });

/** The filter's parameters, every one given (null when not narrowed) so that each text binds them all. */
function filterParams(filter: ReportFilter): Record<string, QueryParam> {
  return {
    from: date(filter.from),
    to: date(filter.to),
    voivodeship: text(filter.voivodeship),
    age_band: text(filter.ageBand),
    vaccine_id: text(filter.vaccineId),
  };
}

const int = (value: unknown) => Number(value ?? 0);
/** A count or figure a view may withhold or not have: null stays null. */
const maybe = (value: unknown) => (value === null || value === undefined ? null : Number(value));
const maybeText = (value: unknown) => (value === null || value === undefined ? null : String(value));

/**
 * The reports' reader on a warehouse: the views queried with the texts above, through `run` — the
 * BigQuery client in the cloud, the local warehouse on one machine — so both answer the same numbers.
 */
export class WarehouseReports implements ReportsReader {
  private readonly run: RunQuery;
  private readonly freshness: () => Promise<Instant | null>;

  constructor(run: RunQuery, freshness: () => Promise<Instant | null>) {
    this.run = run;
    this.freshness = freshness;
  }

  asOf(): Promise<Instant | null> {
    return this.freshness();
  }

  async dosesPerDay(filter: ReportFilter) {
    const rows = await this.run({ name: 'dosesPerDay', sql: REPORT_QUERIES.dosesPerDay, params: filterParams(filter) });
    return rows.map((r) => ({
      day: String(r.day),
      vaccineId: String(r.vaccine_id),
      dose: int(r.dose),
      doses: int(r.doses),
    }));
  }

  async countsByVoivodeship(filter: ReportFilter): Promise<VoivodeshipCounts[]> {
    const rows = await this.run({
      name: 'countsByVoivodeship',
      sql: REPORT_QUERIES.countsByVoivodeship,
      params: filterParams(filter),
    });
    return rows.map((r) => ({
      voivodeship: String(r.voivodeship),
      peopleVaccinated: int(r.people_vaccinated),
      peopleFullyVaccinated: int(r.people_fully_vaccinated),
      doses: int(r.doses),
      dosesInPeriod: int(r.doses_in_period),
    }));
  }

  async population(filter: ReportFilter) {
    const rows = await this.run({
      name: 'population',
      sql: REPORT_QUERIES.population,
      params: { age_band: text(filter.ageBand) },
    });
    return rows.map((r) => ({ voivodeship: String(r.voivodeship), people: int(r.people) }));
  }

  async noShows(filter: ReportFilter, monday: LocalDate) {
    const [row] = await this.run({
      name: 'noShows',
      sql: REPORT_QUERIES.noShows,
      params: { week: date(monday), voivodeship: text(filter.voivodeship) },
    });
    return { visits: int(row?.visits), noShows: int(row?.no_shows) };
  }

  async daysToFirstFree(filter: ReportFilter, day: LocalDate) {
    const rows = await this.run({
      name: 'daysToFirstFree',
      sql: REPORT_QUERIES.daysToFirstFree,
      params: { day: date(day), voivodeship: text(filter.voivodeship), vaccine_id: text(filter.vaccineId) },
    });
    return rows.map((r) => ({
      powiat: r.powiat === null ? null : String(r.powiat),
      days: r.days === null || r.days === undefined ? null : int(r.days),
    }));
  }
  async ecdcWeeks(): Promise<EcdcWeek[]> {
    const rows = await this.run({ name: 'ecdcWeeks', sql: REPORT_QUERIES.ecdcWeeks, params: {} });
    return rows.map((r) => ({
      yearWeek: String(r.year_week),
      voivodeship: maybeText(r.voivodeship),
      ageBand: String(r.age_band),
      vaccineId: String(r.vaccine_id),
      firstDose: maybe(r.first_dose),
      secondDose: maybe(r.second_dose),
      doseAdditional1: maybe(r.dose_additional_1),
      doseAdditional2: maybe(r.dose_additional_2),
      unknownDose: maybe(r.unknown_dose),
      population: maybe(r.population),
    }));
  }

  async nationalDays(): Promise<NationalDay[]> {
    const rows = await this.run({ name: 'nationalDays', sql: REPORT_QUERIES.nationalDays, params: {} });
    return rows.map((r) => ({
      day: String(r.day),
      doses: maybe(r.doses),
      totalVaccinations: maybe(r.total_vaccinations),
      peopleVaccinated: maybe(r.people_vaccinated),
      peopleFullyVaccinated: maybe(r.people_fully_vaccinated),
    }));
  }

  async waitingByPowiat(): Promise<PowiatWaitingDay[]> {
    const rows = await this.run({ name: 'waitingByPowiat', sql: REPORT_QUERIES.waitingByPowiat, params: {} });
    return rows.map((r) => ({
      day: String(r.day),
      voivodeship: maybeText(r.voivodeship),
      powiat: maybeText(r.powiat),
      centres: int(r.centres),
      daysToFirstFree: maybe(r.days_to_first_free),
      placesFree: int(r.places_free),
    }));
  }

  async noShowsByPowiat(): Promise<PowiatNoShowWeek[]> {
    const rows = await this.run({ name: 'noShowsByPowiat', sql: REPORT_QUERIES.noShowsByPowiat, params: {} });
    return rows.map((r) => ({
      week: String(r.week),
      voivodeship: maybeText(r.voivodeship),
      powiat: maybeText(r.powiat),
      visits: maybe(r.visits),
      noShows: maybe(r.no_shows),
      noShowRate: maybe(r.no_show_rate),
    }));
  }
}
