import type {
  EcdcWeek,
  LocalDate,
  NationalDay,
  OpenDataFile,
  PowiatNoShowWeek,
  PowiatWaitingDay,
  ReportsReader,
} from '@ereg/shared';

/**
 * The open data files, as CSV text: the weekly file in the layout of ECDC's COVID-19 vaccine tracker,
 * the country's daily file in Our World in Data's, and two figures no dashboard of 2021 published —
 * the days to the first free place per powiat and day, the no-show rate per powiat and week. Every
 * count comes from a view that withholds those under 10; a withheld value is an empty field.
 */

type Cell = string | number | null;

/** One field as RFC 4180 writes it: quoted when it holds a comma, a quote or a line break; null is empty. */
function field(value: Cell): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A CSV file: the header row, then one line per row, each line ending in CRLF. */
export function csv(header: readonly string[], rows: ReadonlyArray<readonly Cell[]>): string {
  return [header, ...rows].map((row) => `${row.map(field).join(',')}\r\n`).join('');
}

/** The columns of ECDC's vaccine tracker download, in its order. */
export const ECDC_COLUMNS = [
  'YearWeekISO',
  'ReportingCountry',
  'Denominator',
  'NumberDosesReceived',
  'NumberDosesExported',
  'FirstDose',
  'FirstDoseRefused',
  'SecondDose',
  'DoseAdditional1',
  'DoseAdditional2',
  'UnknownDose',
  'Region',
  'TargetGroup',
  'Vaccine',
  'Population',
] as const;

export const REPORTING_COUNTRY = 'PL';

/**
 * Each voivodeship's NUTS region (NUTS 2021). Mazowieckie is two NUTS 2 regions there (PL91
 * Warszawski stołeczny, PL92 Mazowiecki regionalny), which the warehouse does not tell apart: it is
 * its NUTS 1 region, PL9.
 */
export const NUTS_OF_VOIVODESHIP: Readonly<Record<string, string>> = {
  '02': 'PL51',
  '04': 'PL61',
  '06': 'PL81',
  '08': 'PL43',
  '10': 'PL71',
  '12': 'PL21',
  '14': 'PL9',
  '16': 'PL52',
  '18': 'PL82',
  '20': 'PL84',
  '22': 'PL63',
  '24': 'PL22',
  '26': 'PL72',
  '28': 'PL62',
  '30': 'PL41',
  '32': 'PL42',
};

/** ECDC's target group of each report age band. */
export const ECDC_TARGET_GROUP: Readonly<Record<string, string>> = {
  all: 'ALL',
  '0-17': 'Age<18',
  '18-24': 'Age18_24',
  '25-49': 'Age25_49',
  '50-59': 'Age50_59',
  '60-69': 'Age60_69',
  '70-79': 'Age70_79',
  '80+': 'Age80+',
  unknown: 'AgeUNK',
};

/** ECDC's code of each product of the catalogue; another product is UNK. */
export const ECDC_VACCINE: Readonly<Record<string, string>> = {
  comirnaty: 'COM',
  spikevax: 'MOD',
  vaxzevria: 'AZ',
  jcovden: 'JANSS',
};

/**
 * The ECDC file: a row per week, region, target group and product. Region is the voivodeship's NUTS
 * code, or the country's (`PL`) for the whole country; doses at centres with no voivodeship recorded
 * are in the country's rows only. Denominator is the target group's inhabitants in the region,
 * Population all the region's. What the warehouse does not know — doses received and exported, first
 * doses refused — is empty.
 */
export function ecdcCsv(
  weeks: readonly EcdcWeek[],
  inhabitants: ReadonlyArray<{ voivodeship: string; people: number }>,
) {
  const country = inhabitants.reduce((n, p) => n + p.people, 0);
  const of = new Map(inhabitants.map((p) => [p.voivodeship, p.people]));
  const rows: Cell[][] = [];
  for (const w of weeks) {
    const region = w.voivodeship === 'all' ? REPORTING_COUNTRY : NUTS_OF_VOIVODESHIP[w.voivodeship ?? ''];
    if (!region) continue;
    rows.push([
      w.yearWeek,
      REPORTING_COUNTRY,
      w.population,
      null,
      null,
      w.firstDose,
      null,
      w.secondDose,
      w.doseAdditional1,
      w.doseAdditional2,
      w.unknownDose,
      region,
      ECDC_TARGET_GROUP[w.ageBand] ?? 'AgeUNK',
      ECDC_VACCINE[w.vaccineId] ?? 'UNK',
      w.voivodeship === 'all' ? country : (of.get(w.voivodeship ?? '') ?? null),
    ]);
  }
  return csv(ECDC_COLUMNS, rows);
}

/** The columns of Our World in Data's vaccinations file, in its order. */
export const OWID_COLUMNS = [
  'location',
  'iso_code',
  'date',
  'total_vaccinations',
  'people_vaccinated',
  'people_fully_vaccinated',
  'daily_vaccinations_raw',
  'daily_vaccinations',
  'total_vaccinations_per_hundred',
  'people_vaccinated_per_hundred',
  'people_fully_vaccinated_per_hundred',
  'daily_vaccinations_per_million',
] as const;

const DAY_MS = 86_400_000;
const dayBefore = (day: LocalDate, n: number): LocalDate =>
  new Date(Date.parse(`${day}T00:00:00Z`) - n * DAY_MS).toISOString().slice(0, 10);

const per = (count: number | null, unit: number, population: number, places: number): number | null => {
  if (count === null || population <= 0) return null;
  const scale = 10 ** places;
  return Math.round((count * unit * scale) / population) / scale;
};

/**
 * The OWID file: a row per day with doses. daily_vaccinations_raw is the day's doses;
 * daily_vaccinations the mean of the day and the six calendar days before (a day without doses
 * counts 0), rounded, and empty when one of those days is withheld; the per-hundred figures have two
 * decimals, the per-million one none, over `population`, the country's inhabitants.
 */
export function owidCsv(days: readonly NationalDay[], population: number): string {
  const dosesOf = new Map(days.map((d) => [d.day, d.doses]));
  const rows = days.map((d): Cell[] => {
    const week = [0, 1, 2, 3, 4, 5, 6].map((n) => {
      const day = dayBefore(d.day, n);
      return dosesOf.has(day) ? (dosesOf.get(day) ?? null) : 0;
    });
    const mean = week.includes(null) ? null : (week as number[]).reduce((a, b) => a + b, 0) / 7;
    return [
      'Poland',
      'POL',
      d.day,
      d.totalVaccinations,
      d.peopleVaccinated,
      d.peopleFullyVaccinated,
      d.doses,
      mean === null ? null : Math.round(mean),
      per(d.totalVaccinations, 100, population, 2),
      per(d.peopleVaccinated, 100, population, 2),
      per(d.peopleFullyVaccinated, 100, population, 2),
      per(mean, 1_000_000, population, 0),
    ];
  });
  return csv(OWID_COLUMNS, rows);
}

export const WAITING_TIMES_COLUMNS = [
  'date',
  'voivodeship',
  'powiat',
  'centres',
  'days_to_first_free',
  'places_free',
] as const;

/** Days from each day to the first free place in each powiat (empty: none free in the 28 days ahead). */
export function waitingTimesCsv(days: readonly PowiatWaitingDay[]): string {
  return csv(
    WAITING_TIMES_COLUMNS,
    days.map((d) => [d.day, d.voivodeship, d.powiat, d.centres, d.daysToFirstFree, d.placesFree]),
  );
}

export const NO_SHOWS_COLUMNS = ['week', 'voivodeship', 'powiat', 'visits', 'no_shows', 'no_show_rate'] as const;

/** Missed visits per powiat and ISO week (its Monday); a week of fewer than 10 visits is empty. */
export function noShowsCsv(weeks: readonly PowiatNoShowWeek[]): string {
  return csv(
    NO_SHOWS_COLUMNS,
    weeks.map((w) => [w.week, w.voivodeship, w.powiat, w.visits, w.noShows, w.noShowRate]),
  );
}

/** Inhabitants of each voivodeship, all ages. */
async function inhabitants(reader: ReportsReader) {
  return reader.population({ from: '2020-01-01', to: '2020-01-01', voivodeship: null, ageBand: null, vaccineId: null });
}

/** One open data file's text, read from the warehouse. */
export async function openDataFile(reader: ReportsReader, file: OpenDataFile): Promise<string> {
  switch (file) {
    case 'ecdc-weekly.csv':
      return ecdcCsv(await reader.ecdcWeeks(), await inhabitants(reader));
    case 'owid-daily.csv': {
      const people = (await inhabitants(reader)).reduce((n, p) => n + p.people, 0);
      return owidCsv(await reader.nationalDays(), people);
    }
    case 'waiting-times.csv':
      return waitingTimesCsv(await reader.waitingByPowiat());
    case 'no-shows.csv':
      return noShowsCsv(await reader.noShowsByPowiat());
  }
}
