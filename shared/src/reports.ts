import type { Instant, LocalDate } from './model.ts';

/**
 * The ministry's reports as the API answers them: the dashboard's tiles, its table per voivodeship
 * and its daily series, all from the warehouse's views (functions/src/reports/sql). Analysts and
 * administrators get every figure; the public summary withholds each count under `suppressedBelow`
 * (null in its place), as the views meant for publication do.
 */

/** What a report is narrowed to; every part optional but the dates. */
export interface ReportFilter {
  /** First and last local date of the daily series and of "doses in the period". */
  from: LocalDate;
  to: LocalDate;
  /** A voivodeship's TERYT code (2 digits). */
  voivodeship: string | null;
  /** One of the report age bands (0-17, 18-24, 25-49, 50-59, 60-69, 70-79, 80+). */
  ageBand: string | null;
  vaccineId: string | null;
}

export interface ReportTiles {
  /** Doses given today (the country's date of `asOf`). */
  dosesToday: number | null;
  /** Doses given since the start, within the filter's place, band and product. */
  dosesTotal: number | null;
  peopleVaccinated: number | null;
  peopleFullyVaccinated: number | null;
  /** People fully vaccinated per 100 inhabitants of the filter's place and band (two decimals). */
  fullyVaccinatedPer100: number | null;
  /** Missed visits ÷ visits that came to an end, this ISO week so far (0 to 1). */
  noShowRateThisWeek: number | null;
  /** The median over powiats of the days from today to the first free place (latest snapshot). */
  medianDaysToFirstFree: number | null;
}

export interface VoivodeshipUptake {
  /** TERYT code. */
  voivodeship: string;
  population: number | null;
  peopleVaccinated: number | null;
  peopleFullyVaccinated: number | null;
  vaccinatedPer100: number | null;
  fullyVaccinatedPer100: number | null;
  /** Doses given in the filter's dates. */
  dosesInPeriod: number | null;
}

export interface DosesOfDay {
  day: LocalDate;
  vaccineId: string;
  dose: number;
  doses: number | null;
}

export interface DailyTotal {
  day: LocalDate;
  doses: number | null;
  /** The mean of the doses of this day and the six before (calendar days, a day without doses counting 0). */
  average7: number | null;
}

export interface ReportSummary {
  /** How fresh the figures are: when the warehouse last took in events. */
  asOf: Instant;
  filter: ReportFilter;
  /** Null for analysts and administrators; for the public, the smallest count shown. */
  suppressedBelow: number | null;
  tiles: ReportTiles;
  /** One row per voivodeship (all 16), whatever the filter's voivodeship. */
  voivodeships: VoivodeshipUptake[];
  /** Doses per day by product and dose number, within the filter. */
  dosesPerDay: DosesOfDay[];
  /** Doses per day, all products, with the 7-day average, every day of the filter's dates. */
  dailyTotals: DailyTotal[];
}

/**
 * The open data files anyone may download (functions/src/reports/open-data.ts): the ECDC vaccine
 * tracker's weekly format, Our World in Data's national daily format, the days to the first free
 * place per powiat and the no-show rate per powiat.
 */
export const OPEN_DATA_FILES = ['ecdc-weekly.csv', 'owid-daily.csv', 'waiting-times.csv', 'no-shows.csv'] as const;
export type OpenDataFile = (typeof OPEN_DATA_FILES)[number];

/** A product's doses in an ISO week, a place and an age band, as ECDC's tracker counts them; under 10 withheld (null). */
export interface EcdcWeek {
  /** The ISO week, `2021-W09`. */
  yearWeek: string;
  /** A voivodeship's TERYT code; `all` for the whole country; null for centres with no voivodeship recorded. */
  voivodeship: string | null;
  /** A report age band, `unknown`, or `all` for every age. */
  ageBand: string;
  vaccineId: string;
  firstDose: number | null;
  secondDose: number | null;
  /** Doses beyond the product's primary course: its doses + 1, its doses + 2. */
  doseAdditional1: number | null;
  doseAdditional2: number | null;
  unknownDose: number | null;
  /** Inhabitants of the place in the band; null for the unknown band. */
  population: number | null;
}

/** The country's doses of a day with the running totals; each under 10 withheld (null). */
export interface NationalDay {
  day: LocalDate;
  doses: number | null;
  totalVaccinations: number | null;
  peopleVaccinated: number | null;
  peopleFullyVaccinated: number | null;
}

/** Days from a day to the first free place anywhere in a powiat. */
export interface PowiatWaitingDay {
  day: LocalDate;
  voivodeship: string | null;
  /** TERYT code; null for centres with none recorded. */
  powiat: string | null;
  centres: number;
  /** Null when none was free in the 28 days ahead. */
  daysToFirstFree: number | null;
  placesFree: number;
}

/** Missed visits in a powiat in an ISO week; a week of fewer than 10 visits withheld (null). */
export interface PowiatNoShowWeek {
  /** The Monday of the ISO week. */
  week: LocalDate;
  voivodeship: string | null;
  powiat: string | null;
  visits: number | null;
  noShows: number | null;
  /** 0 to 1, three decimals. */
  noShowRate: number | null;
}

/** Counts a voivodeship's people and doses since the start, within the filter's band and product. */
export interface VoivodeshipCounts {
  voivodeship: string;
  /** People given a first dose. */
  peopleVaccinated: number;
  /** People given the last dose of their product's primary course. */
  peopleFullyVaccinated: number;
  /** Doses of every number. */
  doses: number;
  /** Doses given in the filter's dates. */
  dosesInPeriod: number;
}

/**
 * The warehouse as the reports read it: each method one query of its views, the same text on
 * BigQuery and on the embedded default (functions/src/reports/warehouse-reports.ts). The dashboard's
 * counts are whole (never suppressed): the use case withholds what the public must not see; the open
 * data's come from the `public_…` views, withheld already.
 */
export interface ReportsReader {
  /** When the warehouse last took in events; null before it has any. */
  asOf(): Promise<Instant | null>;
  /** Doses per day, product and dose number, in the filter's place, band and product, from `from` to `to`. */
  dosesPerDay(filter: ReportFilter): Promise<Array<{ day: LocalDate; vaccineId: string; dose: number; doses: number }>>;
  /** Each voivodeship's counts (only those with doses), in the filter's band and product. */
  countsByVoivodeship(filter: ReportFilter): Promise<VoivodeshipCounts[]>;
  /** Inhabitants of each voivodeship in the filter's band (all bands when none). */
  population(filter: ReportFilter): Promise<Array<{ voivodeship: string; people: number }>>;
  /** Visits that came to an end in the ISO week starting `monday`, and those missed, in the filter's place. */
  noShows(filter: ReportFilter, monday: LocalDate): Promise<{ visits: number; noShows: number }>;
  /**
   * Days to each powiat's first free place (the filter's product, else any), from the latest snapshot
   * on or before `day`; a powiat with none free in the 28 days ahead gives null.
   */
  daysToFirstFree(filter: ReportFilter, day: LocalDate): Promise<Array<{ powiat: string | null; days: number | null }>>;
  /** The open data, read from the views meant for publication: their counts under 10 come withheld (null). */
  ecdcWeeks(): Promise<EcdcWeek[]>;
  nationalDays(): Promise<NationalDay[]>;
  waitingByPowiat(): Promise<PowiatWaitingDay[]>;
  noShowsByPowiat(): Promise<PowiatNoShowWeek[]>;
}
