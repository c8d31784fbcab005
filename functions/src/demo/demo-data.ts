import type {
  Batch,
  Centre,
  CentreSchedule,
  EligibilityRule,
  Language,
  LocalDate,
  Patient,
  Sex,
  StaffMember,
  TimeRange,
  WeeklyTemplate,
} from '@ereg/shared';
import { addDays, localToday, makePesel, polishPublicHolidays, VOIVODESHIPS } from '@ereg/shared';
import { polishPostalCodes } from '../adapters/geonames/postal-codes.ts';
import names from './data/names.json' with { type: 'json' };
import places from './data/places.json' with { type: 'json' };
import towns from './data/towns.json' with { type: 'json' };

// Hot loops call these millions of times; inside a vm sandbox (the test runner) every global lookup is slow.
const { floor, imul } = Math;

/**
 * mulberry32: one 32-bit state, a handful of integer operations per number, and good enough spread for demo
 * data. The same seed always gives the same sequence, so every run of the demo shows the same people.
 */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;

const pick = <T>(random: Random, items: readonly T[]): T => items[floor(random() * items.length)] as T;

const intBetween = (random: Random, min: number, max: number): number => min + floor(random() * (max - min + 1));

const pad = (n: number, width: number): string => `${n}`.padStart(width, '0');

/**
 * A town of data/towns.json: name, lat, lon, postal code digits ('|' separates alternatives; missing
 * digits are drawn at random), telephone area code, residents in thousands (weights where centres go), and
 * the TERC code of its gmina (scripts/town-teryt.mjs). The voivodeship's capital is first.
 */
type TownRow = readonly [string, number, number, string, string, number, string];

const isTownRow = (row: readonly unknown[]): row is TownRow =>
  row.length === 7 &&
  typeof row[0] === 'string' &&
  typeof row[1] === 'number' &&
  typeof row[2] === 'number' &&
  typeof row[3] === 'string' &&
  typeof row[4] === 'string' &&
  typeof row[5] === 'number' &&
  typeof row[6] === 'string' &&
  /^\d{7}$/.test(row[6]);

/** The town table, checked row by row as it is read: a malformed row names itself. */
const TOWNS: Readonly<Record<string, readonly TownRow[]>> = Object.fromEntries(
  Object.entries(towns).map(([voivodeship, rows]) => [
    voivodeship,
    rows.map((row) => {
      if (!isTownRow(row)) throw new Error(`data/towns.json: malformed row in ${voivodeship}: ${JSON.stringify(row)}`);
      return row;
    }),
  ]),
);

const STREETS = places.streets;
const PATRONS = places.patrons;
/** Leading digits of Polish mobile numbers; other leading digits are landline area codes. */
const MOBILE_PREFIXES = places.mobilePrefixes;

const FEMALE_NAMES = names.given.pl.female;
const MALE_NAMES = names.given.pl.male;
/** Masculine forms; -ski, -cki and -dzki take -a for women, the rest do not change. */
const FAMILY_NAMES = names.family.pl;
// Ukrainian names as Polish registers spell them; -enko and -uk names do not change with sex.
const UK_FEMALE_NAMES = names.given.uk.female;
const UK_MALE_NAMES = names.given.uk.male;
const UK_FAMILY_NAMES = names.family.uk;
const EN_FEMALE_NAMES = names.given.en.female;
const EN_MALE_NAMES = names.given.en.male;
const EN_FAMILY_NAMES = names.family.en;

/** Voivodeships most populous first, so that `c-0001` is in Warsaw and a small demo still covers the big cities. */
const VOIVODESHIPS_BY_POPULATION = [...VOIVODESHIPS].sort(
  (a, b) => b.population - a.population || (a.id < b.id ? -1 : 1),
);

/**
 * Centres per voivodeship: one each, the rest in proportion to population (largest remainder, so the counts
 * add up exactly). With fewer than 16 centres, the most populous voivodeships get one each.
 */
const centresPerVoivodeship = (count: number): number[] => {
  const shares: number[] = VOIVODESHIPS_BY_POPULATION.map((_, i) => (i < count ? 1 : 0));
  const extra = count - VOIVODESHIPS_BY_POPULATION.length;
  if (extra <= 0) return shares;
  const total = VOIVODESHIPS_BY_POPULATION.reduce((sum, v) => sum + v.population, 0);
  const exact = VOIVODESHIPS_BY_POPULATION.map((v) => (extra * v.population) / total);
  let given = 0;
  exact.forEach((e, i) => {
    shares[i] = (shares[i] ?? 0) + Math.floor(e);
    given += Math.floor(e);
  });
  const byRemainder = exact
    .map((e, i) => ({ i, rest: e - Math.floor(e) }))
    .sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (let k = 0; k < extra - given; k++) {
    const target = byRemainder[k]?.i ?? 0;
    shares[target] = (shares[target] ?? 0) + 1;
  }
  return shares;
};

/** Draws an index with probability proportional to its weight; `cumulative` is the running sum of weights. */
const pickWeighted = (random: Random, cumulative: readonly number[]): number => {
  const target = random() * (cumulative[cumulative.length - 1] ?? 0);
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cumulative[mid] ?? 0) > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
};

const cumulate = (weights: readonly number[]): number[] => {
  let sum = 0;
  return weights.map((w) => {
    sum += w;
    return sum;
  });
};

const VACCINE_WEIGHTS: ReadonlyArray<readonly [string, number]> = [
  ['comirnaty', 5],
  ['spikevax', 2],
  ['vaxzevria', 2],
  ['jcovden', 1],
];

/**
 * The first public holiday after `today` outside Christmas and New Year (24 December – 1 January), when some
 * centres hold a vaccination day; null when none comes within a year.
 */
const holidayToOpenOn = (today: LocalDate): LocalDate | null => {
  const year = Number(today.slice(0, 4));
  const festive = (date: LocalDate) => date.slice(5) >= '12-24' || date.slice(5) === '01-01';
  return (
    [...polishPublicHolidays(year), ...polishPublicHolidays(year + 1)].find((d) => d > today && !festive(d)) ?? null
  );
};

const HOLIDAY_HOURS: readonly TimeRange[] = [
  { from: '09:00', to: '13:00' },
  { from: '10:00', to: '14:00' },
];

/** Weekly hours and products; centres are closed on public holidays, and some open on one (`openOn`) for a few hours. */
const buildSchedule = (random: Random, openOn: LocalDate | null): CentreSchedule => {
  const weekdayHours: TimeRange = random() < 0.4 ? { from: '08:00', to: '20:00' } : { from: '08:00', to: '16:00' };
  const days: WeeklyTemplate['days'] = {
    mon: [{ ...weekdayHours }],
    tue: [{ ...weekdayHours }],
    wed: [{ ...weekdayHours }],
    thu: [{ ...weekdayHours }],
    fri: [{ ...weekdayHours }],
  };
  if (random() < 0.35) days.sat = [{ from: '09:00', to: '14:00' }];

  const products = intBetween(random, 1, 3);
  const remaining = [...VACCINE_WEIGHTS];
  const capacity: Record<string, number> = {};
  for (let n = 0; n < products; n++) {
    const [id] = remaining.splice(pickWeighted(random, cumulate(remaining.map(([, w]) => w))), 1)[0] ?? ['comirnaty'];
    capacity[id] = intBetween(random, 1, 6);
  }

  const extraHours = openOn !== null && random() < 0.3 ? [{ date: openOn, ...pick(random, HOLIDAY_HOURS) }] : [];
  return { weekly: { days, slotMinutes: pick(random, [10, 15, 20]), capacity }, closedDates: [], extraHours };
};

/** Up to ~3 km in a random direction, uniform over the disc, rounded to about a metre. */
const jitter = (random: Random, lat: number, lon: number): { lat: number; lon: number } => {
  const distance = 3 * Math.sqrt(random());
  const bearing = 2 * Math.PI * random();
  const dLat = (distance * Math.cos(bearing)) / 111.195;
  const dLon = (distance * Math.sin(bearing)) / (111.195 * Math.cos((lat * Math.PI) / 180));
  return { lat: Math.round((lat + dLat) * 1e5) / 1e5, lon: Math.round((lon + dLon) * 1e5) / 1e5 };
};

let codesByPlace: Map<string, number[]> | null = null;
/** The real codes of a town row (name and stems), worked out once. */
const realCodes = new Map<string, number[]>();

/** The five digits of every postal code the table places at a locality, by the locality's name. */
const postalCodesByPlace = (): Map<string, number[]> => {
  if (codesByPlace) return codesByPlace;
  const table = polishPostalCodes();
  codesByPlace = new Map();
  for (let code = 0; code < 100_000; code++) {
    const place = table.locate(pad(code, 5));
    if (place?.precision !== 'locality') continue;
    const codes = codesByPlace.get(place.place) ?? [];
    codes.push(code);
    codesByPlace.set(place.place, codes);
  }
  return codesByPlace;
};

/**
 * A postal code of the town: digits drawn after the town's stem, then the town's real code nearest to them,
 * so that a search from a centre's own code starts at its town. A town the table lacks keeps the drawn code.
 */
const postalCodeFor = (random: Random, digits: string, city: string): string => {
  const stems = digits.split('|');
  let code = pick(random, stems);
  while (code.length < 5) code += String(Math.floor(random() * 10));
  const drawn = Number(code);
  const key = `${city}|${digits}`;
  let real = realCodes.get(key);
  if (real === undefined) {
    real = (postalCodesByPlace().get(city) ?? []).filter((c) => stems.some((stem) => pad(c, 5).startsWith(stem)));
    realCodes.set(key, real);
  }
  if (real.length > 0) {
    const nearest = real.reduce((best, c) => (Math.abs(c - drawn) < Math.abs(best - drawn) ? c : best));
    code = pad(nearest, 5);
  }
  return `${code.slice(0, 2)}-${code.slice(2)}`;
};

/** A landline: area code plus seven digits, the first of which is never 0 or 1. */
const landline = (random: Random, areaCode: string): string =>
  `+48${areaCode}${intBetween(random, 2, 8)}${pad(Math.floor(random() * 1e6), 6)}`;

/**
 * Vaccination centres in real towns of all 16 voivodeships, spread like the population. The same seed, count
 * and `now` always give the same centres, so ids like `c-0001` can be quoted in docs and tests.
 */
export function buildDemoCentres(options: { seed: number; count: number; now: Date }): Centre[] {
  const { seed, count, now } = options;
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a whole number ≥ 0, got ${count}`);
  const random = createRandom(seed);
  const createdAt = now.toISOString();
  const openOn = holidayToOpenOn(localToday(now, 'Europe/Warsaw'));
  const shares = centresPerVoivodeship(count);
  const centres: Centre[] = [];

  VOIVODESHIPS_BY_POPULATION.forEach((voivodeship, v) => {
    const towns = TOWNS[voivodeship.id] ?? [];
    // Damped weights: the table lists towns only, and the countryside around the smaller ones needs centres too.
    const cumulative = cumulate(towns.map((t) => t[5] ** 0.7));
    const namesUsed = new Map<string, Set<string>>();
    for (let k = 0; k < (shares[v] ?? 0); k++) {
      const town = towns[k === 0 ? 0 : pickWeighted(random, cumulative)];
      if (!town) continue;
      const [city, lat, lon, postal, areaCode, , teryt] = town;
      const used = namesUsed.get(city) ?? new Set<string>();
      namesUsed.set(city, used);
      let facility = pick(random, [
        `Przychodnia Nr ${used.size + 1}`,
        `Przychodnia Nr ${used.size + 1}`,
        `Centrum Medyczne „${pick(random, PATRONS)}”`,
        `Przychodnia Rodzinna „${pick(random, PATRONS)}”`,
        'Szpital Miejski',
        `Ośrodek Zdrowia Nr ${used.size + 1}`,
      ]);
      if (used.has(facility)) facility = `Przychodnia Nr ${used.size + 1}`;
      used.add(facility);
      const number = intBetween(random, 1, 120);
      const street = `${pick(random, STREETS)} ${number}${random() < 0.15 ? pick(random, ['a', 'b', 'c']) : ''}`;
      centres.push({
        id: `c-${pad(centres.length + 1, 4)}`,
        name: `Punkt Szczepień — ${facility}, ${city}`,
        address: {
          street,
          postalCode: postalCodeFor(random, postal, city),
          city,
          voivodeship: voivodeship.id,
          teryt,
        },
        location: jitter(random, lat, lon),
        timeZone: 'Europe/Warsaw',
        phone: landline(random, areaCode),
        schedule: buildSchedule(random, openOn),
        createdAt,
      });
    }
  });
  return centres;
}

const feminine = (family: string): string => (/(sk|ck|dzk)i$/.test(family) ? `${family.slice(0, -1)}a` : family);

const FEMALE_FAMILY_NAMES = FAMILY_NAMES.map(feminine);

/** A person of the demo population; the local runtime turns them into patients. */
export interface DemoCitizen {
  pesel: string;
  givenName: string;
  familyName: string;
  birthDate: LocalDate;
  sex: Sex;
  /** E.164 Polish mobile number. */
  phone: string;
  language: Language;
  groups: string[];
}

/**
 * People with fixed PESELs for the README, manual testing and tests; they come first in every demo population
 * whatever the seed. Comments give the outcome under `demoEligibilityRules` and their age in 2026.
 */
export const DEMO_CITIZENS_FEATURED: readonly DemoCitizen[] = [
  // 80, eligible by rule born-1961.
  {
    pesel: '46031464864',
    givenName: 'Janina',
    familyName: 'Kowalska',
    birthDate: '1946-03-14',
    sex: 'female',
    phone: '+48601200300',
    language: 'pl',
    groups: [],
  },
  // 54, eligible by rule born-1971: born on the last day that rule covers.
  {
    pesel: '71123113135',
    givenName: 'Andrzej',
    familyName: 'Nowak',
    birthDate: '1971-12-31',
    sex: 'male',
    phone: '+48602300400',
    language: 'pl',
    groups: [],
  },
  // 45, not yet eligible: rule born-1981 opens 10 days from today. Speaks Ukrainian.
  {
    pesel: '81051739246',
    givenName: 'Olena',
    familyName: 'Kowalenko',
    birthDate: '1981-05-17',
    sex: 'female',
    phone: '+48603400500',
    language: 'uk',
    groups: [],
  },
  // 30, too young for any age rule but eligible as a medical worker (rule group-medical). Prefers English.
  {
    pesel: '96042788372',
    givenName: 'Tomasz',
    familyName: 'Wójcik',
    birthDate: '1996-04-27',
    sex: 'male',
    phone: '+48604500600',
    language: 'en',
    groups: ['medical'],
  },
  // 16, no rule covers her: not eligible, with no date announced.
  {
    pesel: '10220872488',
    givenName: 'Zuzanna',
    familyName: 'Kamińska',
    birthDate: '2010-02-08',
    sex: 'female',
    phone: '+48605600700',
    language: 'pl',
    groups: [],
  },
];

const FIRST_BIRTH_YEAR = 1930;
const SERIALS_PER_DAY = 1000;

/**
 * The n-th serial of a (birth date, sex) slot. Multiplying by a number coprime to 1000 visits every serial
 * exactly once, and the offset makes numbers look issued at random rather than all starting at 000.
 */
const serialAt = (slot: number, n: number): number => (n * 637 + slot * 389) % SERIALS_PER_DAY;

const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Every birth date the generator may use, as text, and where each year starts: no Date objects per person. */
const birthCalendar = (lastYear: number): { dates: string[]; yearStart: number[] } => {
  const dates: string[] = [];
  const yearStart: number[] = [];
  for (let year = FIRST_BIRTH_YEAR; year <= lastYear; year++) {
    yearStart.push(dates.length);
    for (let month = 1; month <= 12; month++) {
      const days = month === 2 && isLeapYear(year) ? 29 : (MONTH_DAYS[month - 1] ?? 30);
      const prefix = `${year}-${pad(month, 2)}-`;
      for (let day = 1; day <= days; day++) dates.push(prefix + pad(day, 2));
    }
  }
  yearStart.push(dates.length);
  return { dates, yearStart };
};

/**
 * Generates the demo population one person at a time, so a national-size run can stream into storage.
 * PESELs are unique: each birth date and sex hands out serials 0..999 in turn, moving to the next day when full.
 */
export function* generateDemoCitizens(options: {
  seed: number;
  count: number;
  today: LocalDate;
}): Generator<DemoCitizen> {
  const { seed, count, today } = options;
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a whole number ≥ 0, got ${count}`);
  for (const citizen of DEMO_CITIZENS_FEATURED.slice(0, count)) yield { ...citizen, groups: [...citizen.groups] };
  if (count <= DEMO_CITIZENS_FEATURED.length) return;

  const todayYear = Number(today.slice(0, 4));
  const lastYear = todayYear - 5;
  const { dates, yearStart } = birthCalendar(lastYear);
  // Serials handed out so far per (birth date, sex): slot = day index * 2 + (male ? 1 : 0).
  const nextSerial = new Uint16Array(dates.length * 2);
  const reserved = new Map<number, number>();
  // The featured people keep their numbers: their serial (PESEL digits 7–9) is skipped on their date and sex.
  for (const { pesel, birthDate, sex } of DEMO_CITIZENS_FEATURED) {
    const year = Number(birthDate.slice(0, 4));
    const index = year <= lastYear ? dates.indexOf(birthDate, yearStart[year - FIRST_BIRTH_YEAR] ?? 0) : -1;
    if (index >= 0) reserved.set(index * 2 + (sex === 'male' ? 1 : 0), Number(pesel.slice(6, 9)));
  }
  const capacity = nextSerial.length * SERIALS_PER_DAY - reserved.size;
  if (count - DEMO_CITIZENS_FEATURED.length > capacity) {
    throw new RangeError(`Only ${capacity} more people fit the birth dates ${FIRST_BIRTH_YEAR}–${lastYear}`);
  }

  // Fewer of the oldest: the weight of a birth year rises from 0.15 in 1930 to 1 in 1955.
  const yearWeights: number[] = [];
  for (let year = FIRST_BIRTH_YEAR; year <= lastYear; year++) {
    yearWeights.push(year >= 1955 ? 1 : 0.15 + (0.85 * (year - FIRST_BIRTH_YEAR)) / (1955 - FIRST_BIRTH_YEAR));
  }
  const yearCumulative = cumulate(yearWeights);

  const random = createRandom(seed);
  for (let n = DEMO_CITIZENS_FEATURED.length; n < count; n++) {
    const male = random() >= 0.52 ? 1 : 0;
    const y = pickWeighted(random, yearCumulative);
    const start = yearStart[y] ?? 0;
    const end = yearStart[y + 1] ?? dates.length;
    let slot = (start + floor(random() * (end - start))) * 2 + male;
    let taken = 0;
    for (let walked = 1; ; walked++) {
      taken = nextSerial[slot] ?? 0;
      if (taken < SERIALS_PER_DAY && reserved.get(slot) === serialAt(slot, taken)) taken++;
      if (taken < SERIALS_PER_DAY) break;
      // A full date passes the person on to the next day, and to the other sex once every day of theirs is full.
      slot = (slot + (walked < dates.length ? 2 : 1)) % nextSerial.length;
    }
    nextSerial[slot] = taken + 1;
    const serial = serialAt(slot, taken);
    const sex: Sex = slot % 2 === 1 ? 'male' : 'female';
    const day = slot >> 1;
    const birthDate = dates[day] ?? '';

    const roll = random();
    const language: Language = roll < 0.05 ? 'uk' : roll < 0.08 ? 'en' : 'pl';
    const female = sex === 'female';
    let givenName: string;
    let familyName: string;
    if (language === 'uk') {
      givenName = pick(random, female ? UK_FEMALE_NAMES : UK_MALE_NAMES);
      familyName = pick(random, UK_FAMILY_NAMES);
    } else if (language === 'en') {
      givenName = pick(random, female ? EN_FEMALE_NAMES : EN_MALE_NAMES);
      familyName = pick(random, EN_FAMILY_NAMES);
    } else {
      givenName = pick(random, female ? FEMALE_NAMES : MALE_NAMES);
      familyName = pick(random, female ? FEMALE_FAMILY_NAMES : FAMILY_NAMES);
    }

    // Medical staff are working age; 9 % of those make about 5 % of everyone.
    const age = todayYear - Number(birthDate.slice(0, 4));
    const medical = age >= 22 && age <= 67 && random() < 0.09;
    const phone = `+48${pick(random, MOBILE_PREFIXES)}${pad(floor(random() * 1e7), 7)}`;

    yield {
      pesel: makePesel(birthDate, sex, serial),
      givenName,
      familyName,
      birthDate,
      sex,
      phone,
      language,
      groups: medical ? ['medical'] : [],
    };
  }
}

/** The demo population as an array: the featured people first, then `count` minus those, generated from `seed`. */
export function buildDemoCitizens(options: { seed: number; count: number; today: LocalDate }): DemoCitizen[] {
  return Array.from(generateDemoCitizens(options));
}

// Staff, agents, administrator, rules

/**
 * Two or three staff per centre, the first its manager, derived from the centre id alone so the same
 * centre always has the same staff.
 */
export function buildDemoStaff(centres: readonly Centre[]): StaffMember[] {
  const staff: StaffMember[] = [];
  for (const centre of centres) {
    let hash = 2166136261;
    for (let i = 0; i < centre.id.length; i++) hash = Math.imul(hash ^ centre.id.charCodeAt(i), 16777619);
    const random = createRandom(hash);
    const suffix = centre.id.startsWith('c-') ? centre.id.slice(2) : centre.id;
    const size = random() < 0.5 ? 2 : 3;
    for (let k = 1; k <= size; k++) {
      const female = random() < 0.7;
      const id = `s-${suffix}-${k}`;
      staff.push({
        id,
        name: `${pick(random, female ? FEMALE_NAMES : MALE_NAMES)} ${pick(random, female ? FEMALE_FAMILY_NAMES : FAMILY_NAMES)}`,
        email: `${id}@demo.ereg.local`,
        centreId: centre.id,
        role: k === 1 ? 'centre-manager' : 'staff',
      });
    }
  }
  return staff;
}

/**
 * One or two active batches per product each centre offers, so that the centre app has stock to
 * show: a day's worth of places or so each, the second (when there is one) lasting longer. The same
 * centres always get the same lot numbers; ids come from the caller.
 */
export function buildDemoBatches(
  centres: readonly Centre[],
  options: { today: LocalDate; now: Date; nextId: () => string },
): Batch[] {
  const batches: Batch[] = [];
  for (const centre of centres) {
    let hash = 2166136261;
    for (let i = 0; i < centre.id.length; i++) hash = Math.imul(hash ^ centre.id.charCodeAt(i), 16777619);
    const random = createRandom(hash ^ 0x5eed);
    const suffix = centre.id.startsWith('c-') ? centre.id.slice(2) : centre.id;
    const manager = `s-${suffix}-1`;
    for (const [vaccineId, perSlot] of Object.entries(centre.schedule.weekly.capacity).sort()) {
      const count = random() < 0.5 ? 1 : 2;
      for (let k = 0; k < count; k++) {
        batches.push({
          id: options.nextId(),
          centreId: centre.id,
          vaccineId,
          number: `${vaccineId.slice(0, 2).toUpperCase()}${pad(floor(random() * 1e6), 6)}-${k + 1}`,
          expiry: addDays(options.today, k === 0 ? intBetween(random, 10, 40) : intBetween(random, 60, 150)),
          doses: Math.max(10, perSlot * intBetween(random, 20, 60)),
          status: 'active',
          createdAt: options.now.toISOString(),
          createdBy: { role: 'staff', id: manager },
        });
      }
    }
  }
  return batches;
}

/** Hotline agents who book on a caller's behalf in the demo. */
export const DEMO_AGENTS: { id: string; name: string }[] = [
  { id: 'agent-1', name: 'Magdalena Sikora (infolinia)' },
  { id: 'agent-2', name: 'Paweł Baran (infolinia)' },
  { id: 'agent-3', name: 'Iryna Melnyk (infolinia)' },
];

/** The hotline's supervisors (privacy officers), who review the agents' look-ups. */
export const DEMO_SUPERVISORS: { id: string; name: string }[] = [
  { id: 'supervisor-1', name: 'Ewa Zielińska (inspektor ochrony danych)' },
  { id: 'supervisor-2', name: 'Tomasz Wrona (inspektor ochrony danych)' },
];

/** The ministry administrator of the demo who signs in first. */
export const DEMO_ADMIN = { id: 'admin-1', name: 'Ministry administrator' } as const;

/**
 * The demo's administrators: two, since a change of the eligibility policy proposed by one takes effect
 * only when the other approves it.
 */
export const DEMO_ADMINS: readonly { id: string; name: string }[] = [
  DEMO_ADMIN,
  { id: 'admin-2', name: 'Second administrator (Katarzyna Wójcik)' },
];

/** The ministry's analysts of the demo: they read the reports. */
export const DEMO_ANALYSTS: { id: string; name: string }[] = [{ id: 'analyst-1', name: 'Joanna Kamińska' }];

/** The public-health registries' systems that fetch the FHIR export (docs/fhir.md). */
export const DEMO_REGISTRIES: { id: string; name: string }[] = [{ id: 'registry-p1', name: 'Rejestr szczepień P1' }];

/**
 * Rules as the 2021 roll-out opened them, placed around `today` so that the demo shows people already eligible,
 * one group opening in ten days (NOT_YET_ELIGIBLE with a date), and everyone younger not eligible at all.
 */
export function demoEligibilityRules(today: LocalDate): EligibilityRule[] {
  return [
    {
      id: 'born-1961',
      kind: 'birthYear',
      bornInOrBefore: 1961,
      from: addDays(today, -60),
      description: 'people born in 1961 or earlier',
    },
    {
      id: 'born-1971',
      kind: 'birthYear',
      bornInOrBefore: 1971,
      from: addDays(today, -20),
      description: 'people born in 1971 or earlier',
    },
    {
      id: 'born-1981',
      kind: 'birthYear',
      bornInOrBefore: 1981,
      from: addDays(today, 10),
      description: 'people born in 1981 or earlier',
    },
    {
      id: 'group-medical',
      kind: 'group',
      group: 'medical',
      from: addDays(today, -90),
      description: 'medical workers',
    },
  ];
}

/** The patient record of a demo citizen who has registered (logged in once). */
export function patientOf(citizen: DemoCitizen, id: string, registeredAt: string): Patient {
  return {
    id,
    pesel: citizen.pesel,
    givenName: citizen.givenName,
    familyName: citizen.familyName,
    birthDate: citizen.birthDate,
    sex: citizen.sex,
    phone: citizen.phone,
    language: citizen.language,
    groups: [...citizen.groups],
    createdAt: registeredAt,
  };
}
