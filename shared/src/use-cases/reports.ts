import { invalid } from '../errors.ts';
import type { LocalDate } from '../model.ts';
import type { DailyTotal, ReportFilter, ReportSummary, ReportsReader, VoivodeshipUptake } from '../reports.ts';
import { TERYT_VOIVODESHIPS } from '../teryt.ts';
import { addDays, daysBetween, weekdayOf } from '../time-zone.ts';

/** The smallest count the public summary shows: a smaller one could point at a person. */
export const PUBLIC_SUPPRESSION = 10;

/** How many days a report may span, and how many it spans when the dates are left out. */
export const REPORT_MAX_DAYS = 366;
export const REPORT_DEFAULT_DAYS = 28;

/** The filter of a report query: its dates checked (both or neither, in order, at most a year) or the last 28 days. */
export function reportFilter(
  query: { from?: string; to?: string; voivodeship?: string; ageBand?: string; vaccineId?: string },
  today: LocalDate,
): ReportFilter {
  if ((query.from === undefined) !== (query.to === undefined)) {
    const missing = query.from === undefined ? 'from' : 'to';
    throw invalid('DATES_TOGETHER', 'Give both dates of the period, or neither.', missing);
  }
  const to = query.to ?? today;
  const from = query.from ?? addDays(to, -(REPORT_DEFAULT_DAYS - 1));
  if (daysBetween(from, to) < 0) throw invalid('DATES_REVERSED', 'The period must end on or after it starts.', 'to');
  if (daysBetween(from, to) >= REPORT_MAX_DAYS) {
    throw invalid('PERIOD_TOO_LONG', `A report spans at most ${REPORT_MAX_DAYS} days.`, 'from');
  }
  return {
    from,
    to,
    voivodeship: query.voivodeship ?? null,
    ageBand: query.ageBand ?? null,
    vaccineId: query.vaccineId ?? null,
  };
}

/** The Monday of a date's ISO week. */
export function mondayOf(date: LocalDate): LocalDate {
  const back = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].indexOf(weekdayOf(date));
  return addDays(date, -back);
}

/** The middle value (the mean of the two middle ones for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** A count per 100 people, to two decimals: early in a campaign the figures are a few hundredths. */
const per100 = (count: number, people: number | null) => (people ? Math.round((10_000 * count) / people) / 100 : null);

/**
 * The dashboard's figures for a filter, as of `today` (the country's date). `suppressBelow`: the
 * public summary's threshold — every count under it is withheld (null), and so is each figure made
 * from one (a share, a rate, an average); null gives every figure to analysts and administrators.
 */
export async function reportSummary(
  reader: ReportsReader,
  filter: ReportFilter,
  today: LocalDate,
  suppressBelow: number | null,
): Promise<ReportSummary> {
  const shown = (n: number) => (suppressBelow !== null && n < suppressBelow ? null : n);
  const everywhere = { ...filter, voivodeship: null };
  const [asOf, perDay, widened, today_, counts, population, noShows, waits] = await Promise.all([
    reader.asOf(),
    reader.dosesPerDay(filter),
    reader.dosesPerDay({ ...filter, from: addDays(filter.from, -6) }),
    reader.dosesPerDay({ ...filter, from: today, to: today }),
    reader.countsByVoivodeship(everywhere),
    reader.population(everywhere),
    reader.noShows(filter, mondayOf(today)),
    reader.daysToFirstFree(filter, today),
  ]);

  const people = new Map(population.map((p) => [p.voivodeship, p.people]));
  const byVoivodeship = new Map(counts.map((c) => [c.voivodeship, c]));
  const voivodeships: VoivodeshipUptake[] = TERYT_VOIVODESHIPS.map(({ teryt }) => {
    const c = byVoivodeship.get(teryt);
    const vaccinated = shown(c?.peopleVaccinated ?? 0);
    const full = shown(c?.peopleFullyVaccinated ?? 0);
    const inhabitants = people.get(teryt) ?? null;
    return {
      voivodeship: teryt,
      population: inhabitants,
      peopleVaccinated: vaccinated,
      peopleFullyVaccinated: full,
      vaccinatedPer100: vaccinated === null ? null : per100(vaccinated, inhabitants),
      fullyVaccinatedPer100: full === null ? null : per100(full, inhabitants),
      dosesInPeriod: shown(c?.dosesInPeriod ?? 0),
    };
  });

  // The tiles count in the filter's voivodeship, or the whole country.
  const inPlace = counts.filter((c) => filter.voivodeship === null || c.voivodeship === filter.voivodeship);
  const sum = (pick: (c: (typeof counts)[number]) => number) => inPlace.reduce((n, c) => n + pick(c), 0);
  const placePeople =
    filter.voivodeship === null
      ? population.reduce((n, p) => n + p.people, 0) || null
      : (people.get(filter.voivodeship) ?? null);
  const fully = shown(sum((c) => c.peopleFullyVaccinated));
  const firstFree = waits.map((w) => w.days).filter((d): d is number => d !== null);

  return {
    asOf: asOf ?? new Date(0).toISOString(),
    filter,
    suppressedBelow: suppressBelow,
    tiles: {
      dosesToday: shown(today_.reduce((n, r) => n + r.doses, 0)),
      dosesTotal: shown(sum((c) => c.doses)),
      peopleVaccinated: shown(sum((c) => c.peopleVaccinated)),
      peopleFullyVaccinated: fully,
      fullyVaccinatedPer100: fully === null ? null : per100(fully, placePeople),
      noShowRateThisWeek:
        shown(noShows.visits) === null || noShows.visits === 0
          ? null
          : Math.round((1000 * noShows.noShows) / noShows.visits) / 1000,
      medianDaysToFirstFree: median(firstFree),
    },
    voivodeships,
    dosesPerDay: perDay.map((r) => ({ ...r, doses: shown(r.doses) })),
    dailyTotals: dailyTotals(widened, filter, shown),
  };
}

function dailyTotals(
  rows: ReadonlyArray<{ day: LocalDate; doses: number }>,
  filter: ReportFilter,
  shown: (n: number) => number | null,
): DailyTotal[] {
  const byDay = new Map<LocalDate, number>();
  for (const row of rows) byDay.set(row.day, (byDay.get(row.day) ?? 0) + row.doses);
  const totals: DailyTotal[] = [];
  for (let day = filter.from; daysBetween(day, filter.to) >= 0; day = addDays(day, 1)) {
    let week = 0;
    for (let back = 0; back < 7; back++) week += byDay.get(addDays(day, -back)) ?? 0;
    totals.push({
      day,
      doses: shown(byDay.get(day) ?? 0),
      average7: shown(week) === null ? null : Math.round((10 * week) / 7) / 10,
    });
  }
  return totals;
}
