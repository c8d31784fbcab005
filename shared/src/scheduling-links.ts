import { invalid } from './errors.ts';
import { fhirId } from './fhir/fhir-resources.ts';
import type { Centre, Instant, LocalDate, Vaccine } from './model.ts';
import type { Availability } from './ports.ts';
import { TERYT_VOIVODESHIPS, voivodeshipBySlug } from './teryt.ts';
import { instantsOfDay, toLocal } from './time-zone.ts';
import { followUpRange } from './vaccines.ts';

/**
 * The availability published as SMART Scheduling Links (HL7 FHIR R4 `Location`, `Schedule` and `Slot`
 * as NDJSON behind a `$bulk-publish` manifest): pure mapping from centres and their days' places to
 * resources, one coarse-grained Slot per centre, product and day.
 * docs/scheduling-links.md says what each field carries and why.
 */

const SMART = 'http://fhir-registry.smarthealthit.org';
export const SCHEDULING_EXTENSIONS = {
  bookingDeepLink: `${SMART}/StructureDefinition/booking-deep-link`,
  bookingPhone: `${SMART}/StructureDefinition/booking-phone`,
  slotCapacity: `${SMART}/StructureDefinition/slot-capacity`,
  vaccineProduct: `${SMART}/StructureDefinition/vaccine-product`,
  vaccineDose: `${SMART}/StructureDefinition/vaccine-dose`,
} as const;

export const CVX_SYSTEM = 'http://hl7.org/fhir/sid/cvx';
/** Products of the catalogue that have no CVX code are coded in this system by their catalogue id. */
export const PRODUCT_SYSTEM = 'urn:ereg:vaccine-product';

/** The CVX codes (CDC) of the catalogue's products; a product added later without one keeps its own code. */
export const CVX_CODES: Readonly<Record<string, { code: string; display: string }>> = {
  comirnaty: { code: '208', display: 'COVID-19, mRNA, LNP-S, PF, 30 mcg/0.3 mL dose' },
  spikevax: { code: '207', display: 'COVID-19, mRNA, LNP-S, PF, 100 mcg/0.5 mL dose or 50 mcg/0.25 mL dose' },
  vaxzevria: { code: '210', display: 'COVID-19 vaccine, vector-nr, rS-ChAdOx1, PF, 0.5 mL' },
  jcovden: { code: '212', display: 'COVID-19 vaccine, vector-nr, rS-Ad26, PF, 0.5 mL' },
};

const SERVICE_TYPE = [
  {
    coding: [
      { system: 'http://terminology.hl7.org/CodeSystem/service-type', code: '57', display: 'Immunization' },
      {
        system: `${SMART}/CodeSystem/service-type`,
        code: 'covid19-immunization',
        display: 'COVID-19 Immunization Appointment',
      },
    ],
  },
];

export type ScheduleResourceType = 'Location' | 'Schedule' | 'Slot';
/** The files of each voivodeship, in the order the manifest lists them. */
export const SCHEDULING_FILES = {
  'locations.ndjson': 'Location',
  'schedules.ndjson': 'Schedule',
  'slots.ndjson': 'Slot',
} as const satisfies Record<string, ScheduleResourceType>;
export type SchedulingFile = keyof typeof SCHEDULING_FILES;

/** The two-digit TERYT codes that split the files, as the manifest's `state` tags them. */
export const SCHEDULING_REGIONS: readonly string[] = TERYT_VOIVODESHIPS.map((v) => v.teryt);

/** Where the published resources point to: the site's origin and the paths of its pages and API. */
export interface PublishingSite {
  /** `https://host` with no trailing slash. */
  origin: string;
}

/** The id of a centre's schedule for one product. */
export function scheduleIdOf(centreId: string, vaccineId: string): string {
  return fhirId(`${centreId}|${vaccineId}`);
}

/** The voivodeship (two-digit TERYT code) of a centre, or null when its address names none known. */
export function regionOf(centre: Pick<Centre, 'address'>): string | null {
  return voivodeshipBySlug(centre.address.voivodeship)?.teryt ?? null;
}

/** The page on the site that identifies a centre: the system of its identifiers. */
export const centreIdentifierSystem = (site: PublishingSite) => `${site.origin}/api/centres`;

/** A centre as a FHIR `Location`. */
export function locationOf(centre: Centre, site: PublishingSite) {
  const telecom: Array<{ system: 'phone' | 'url' | 'email'; value: string }> = [];
  if (centre.phone) telecom.push({ system: 'phone', value: centre.phone });
  if (centre.email) telecom.push({ system: 'email', value: centre.email });
  telecom.push({ system: 'url', value: `${site.origin}/` });
  return {
    resourceType: 'Location' as const,
    id: fhirId(centre.id),
    identifier: [{ system: centreIdentifierSystem(site), value: centre.id }],
    name: centre.name,
    telecom,
    address: {
      line: [centre.address.street],
      city: centre.address.city,
      state: regionOf(centre) ?? centre.address.voivodeship,
      postalCode: centre.address.postalCode,
      country: 'PL',
    },
    position: { latitude: centre.location.lat, longitude: centre.location.lon },
  };
}

/** The products a centre's schedule offers places for. */
export function productsOf(centre: Centre): string[] {
  return Object.entries(centre.schedule.weekly.capacity)
    .filter(([, places]) => (places ?? 0) > 0)
    .map(([vaccineId]) => vaccineId)
    .sort();
}

/** How a product is coded: CVX where it has a code, else its catalogue id in the platform's own system. */
export function productCoding(vaccine: Pick<Vaccine, 'id' | 'name'>) {
  const cvx = CVX_CODES[vaccine.id];
  return cvx
    ? { system: CVX_SYSTEM, code: cvx.code, display: cvx.display }
    : { system: PRODUCT_SYSTEM, code: vaccine.id, display: vaccine.name };
}

/** A centre's schedule of one product as a FHIR `Schedule`: the product, and every dose of its course. */
export function scheduleOf(centre: Pick<Centre, 'id'>, vaccine: Vaccine) {
  const doses = Array.from({ length: Math.max(1, vaccine.doses) }, (_, i) => ({
    url: SCHEDULING_EXTENSIONS.vaccineDose,
    valueInteger: i + 1,
  }));
  return {
    resourceType: 'Schedule' as const,
    id: scheduleIdOf(centre.id, vaccine.id),
    serviceType: SERVICE_TYPE,
    actor: [{ reference: `Location/${fhirId(centre.id)}` }],
    extension: [{ url: SCHEDULING_EXTENSIONS.vaccineProduct, valueCoding: productCoding(vaccine) }, ...doses],
  };
}

/** The patients' app's page that books a slot (it asks for a login first and comes back to it). */
export function bookingLinkOf(site: PublishingSite, slotId: string): string {
  return `${site.origin}/book/${encodeURIComponent(slotId)}`;
}

export type PublishedStatus = 'free' | 'busy';

/** A day's places of one product at one centre, as search keeps them, with when they last changed. */
export type PublishedDay = Availability & { changedAt: Instant | null };

/** The id of the Slot that stands for one centre's day of one product. */
export function daySlotIdOf(day: Pick<Availability, 'centreId' | 'vaccineId' | 'localDate'>): string {
  // A local date (digits and `-`) needs no escaping: the id is the schedule's, `|` (`.7c`) and the date.
  return `${scheduleIdOf(day.centreId, day.vaccineId)}.7c${day.localDate}`;
}

/** Bounds the memos below: the published days of a few zones repeat across every centre. */
const MEMO_LIMIT = 50_000;
function memo<T>(cache: Map<string, T>, key: string, make: () => T): T {
  const known = cache.get(key);
  if (known !== undefined) return known;
  const made = make();
  if (cache.size >= MEMO_LIMIT) cache.clear();
  cache.set(key, made);
  return made;
}

const spans = new Map<string, { start: Instant; end: Instant }>();
/** A local day of a zone as the instants it begins and ends at (memoised: every centre shares its days). */
function daySpanOf(date: LocalDate, zone: string): { start: Instant; end: Instant } {
  return memo(spans, `${zone} ${date}`, () => {
    const instantOf = instantsOfDay(date, zone);
    return { start: (instantOf(0) as Date).toISOString(), end: (instantOf(24 * 60) as Date).toISOString() };
  });
}

/** The slot a day's deep link books: the day's first slot with room that has not begun (null: none). */
export function linkedSlotOf(day: Pick<Availability, 'firstSlots'>, now: Instant): string | null {
  return day.firstSlots.find((slot) => slot.free > 0 && slot.start > now)?.slotId ?? null;
}

/**
 * A centre's day of one product as one coarse-grained FHIR `Slot` (the whole local day; its capacity the
 * places left that day). Free: the link that books the day's first free slot; the centre's phone, when it
 * has one, books by voice either way.
 */
export function daySlotOf(
  day: Availability,
  status: PublishedStatus,
  centre: Pick<Centre, 'phone' | 'timeZone'>,
  site: PublishingSite,
  now: Instant,
) {
  const extension: Array<{ url: string; valueUrl?: string; valueString?: string; valueInteger?: number }> = [];
  const linked = status === 'free' ? linkedSlotOf(day, now) : null;
  if (linked) extension.push({ url: SCHEDULING_EXTENSIONS.bookingDeepLink, valueUrl: bookingLinkOf(site, linked) });
  if (centre.phone) extension.push({ url: SCHEDULING_EXTENSIONS.bookingPhone, valueString: centre.phone });
  extension.push({ url: SCHEDULING_EXTENSIONS.slotCapacity, valueInteger: Math.max(0, day.free) });
  const span = daySpanOf(day.localDate, centre.timeZone);
  const schedule = scheduleIdOf(day.centreId, day.vaccineId);
  return {
    resourceType: 'Slot' as const,
    id: `${schedule}.7c${day.localDate}`,
    schedule: { reference: `Schedule/${schedule}` },
    status,
    start: span.start,
    end: span.end,
    extension,
  };
}

const followUps = new Map<string, ReturnType<typeof followUpOf>>();
/** Where the next dose of a course begun at `start` is looked for, and the local dates that touches. */
function followUpOf(vaccine: Vaccine, start: Instant, zone: string) {
  // A course of several doses always has an earliest next dose, so the slot's end is never used.
  const range = followUpRange(vaccine, { start, end: start });
  return { range, dates: datesOf(range, zone) };
}
const memoFollowUpOf = (vaccine: Vaccine, start: Instant, zone: string) =>
  memo(followUps, `${vaccine.id} ${vaccine.minIntervalDays} ${vaccine.maxIntervalDays} ${zone} ${start}`, () =>
    followUpOf(vaccine, start, zone),
  );

/** The local dates a follow-up range touches, first and last included (last null: no bound). */
function datesOf(range: { from: Instant; to: Instant | null }, zone: string) {
  return {
    first: toLocal(new Date(range.from), zone).date,
    last: range.to === null ? null : toLocal(new Date(Date.parse(range.to) - 1), zone).date,
  };
}

/** The index of the first day on or after `date` (days sorted by date). */
function firstOnOrAfter(days: readonly Availability[], date: LocalDate): number {
  let low = 0;
  let high = days.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((days[mid] as Availability).localDate < date) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * Whether a day surely has a free slot starting in the range: one of its listed free slots does, or the
 * whole day lies inside the range and has free places. A day cut by the range whose listed slots all fall
 * outside it is not counted, so the answer errs towards "no".
 */
function hasFreeIn(
  day: Availability,
  range: { from: Instant; to: Instant | null },
  dates: { first: string; last: string | null },
) {
  if (day.free <= 0) return false;
  if (day.localDate > dates.first && (dates.last === null || day.localDate < dates.last)) return true;
  return day.firstSlots.some(
    (slot) => slot.free > 0 && slot.start >= range.from && (range.to === null || slot.start < range.to),
  );
}

/**
 * Free or busy, for each day of one centre and product (sorted by date), as the patients' booking would
 * decide for the slot the day's deep link books: free when the centre takes bookings, the day has a free
 * slot not yet begun, and — for a product of more than one dose — the course's next dose finds a free
 * slot where booking looks for it (`followUpRange`), so no first dose is advertised that could not be
 * completed. A day bookable only as a later dose is published busy.
 */
export function publishedDayStatuses(
  days: readonly Availability[],
  vaccine: Vaccine | undefined,
  options: { now: Instant; bookable: boolean; zone: string },
): PublishedStatus[] {
  return days.map((day) => {
    const linked = day.firstSlots.find((slot) => slot.free > 0 && slot.start > options.now);
    if (!vaccine || !options.bookable || day.free <= 0 || !linked) return 'busy';
    if (vaccine.doses <= 1) return 'free';
    const { range, dates } = memoFollowUpOf(vaccine, linked.start, options.zone);
    for (let i = firstOnOrAfter(days, dates.first); i < days.length; i++) {
      const candidate = days[i] as Availability;
      if (dates.last !== null && candidate.localDate > dates.last) break;
      if (hasFreeIn(candidate, range, dates)) return 'free';
    }
    return 'busy';
  });
}

/**
 * Which days of one centre and product (sorted by date) to publish for a change feed since `since`: those
 * that changed since, and those whose status may have turned with them (a changed day lies where their
 * next dose is looked for). `changedAt` null: changed before changes were stamped, so not since.
 */
export function changedSince(
  days: readonly PublishedDay[],
  vaccine: Vaccine | undefined,
  since: Instant,
  zone: string,
): boolean[] {
  const isChanged = (day: PublishedDay) => day.changedAt !== null && day.changedAt >= since;
  const changed = days.filter(isChanged);
  return days.map((day) => {
    if (isChanged(day)) return true;
    if (changed.length === 0 || !vaccine || vaccine.doses <= 1) return false;
    const span = daySpanOf(day.localDate, zone);
    const first = memoFollowUpOf(vaccine, span.start, zone).dates.first;
    const last = memoFollowUpOf(vaccine, span.end, zone).dates.last;
    return changed.some((other) => other.localDate >= first && (last === null || other.localDate <= last));
  });
}

/** FHIR's `instant`: to the second at least, with a zone. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** A `_since` parameter as an ISO instant in UTC; anything but a FHIR instant is refused naming `_since`. */
export function parseSince(text: string): Instant {
  const at = INSTANT.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(at)) {
    throw invalid(
      'INVALID_SINCE',
      '_since must be an instant with a time zone, e.g. 2021-04-21T10:45:00.000Z or 2021-04-21T12:45:00+02:00.',
      '_since',
    );
  }
  return new Date(at).toISOString();
}

/** The `$bulk-publish` manifest: one file per voivodeship and resource type, tagged with its TERYT code. */
export function manifestOf(
  site: PublishingSite,
  paths: { manifest: string; file: (region: string, file: SchedulingFile) => string },
  transactionTime: Instant,
  since: Instant | null,
) {
  const query = since === null ? '' : `?_since=${encodeURIComponent(since)}`;
  const output: Array<{ type: ScheduleResourceType; url: string; extension: { state: string[] } }> = [];
  for (const [file, type] of Object.entries(SCHEDULING_FILES) as Array<[SchedulingFile, ScheduleResourceType]>) {
    for (const region of SCHEDULING_REGIONS) {
      output.push({ type, url: `${site.origin}${paths.file(region, file)}${query}`, extension: { state: [region] } });
    }
  }
  return {
    transactionTime,
    request: `${site.origin}${paths.manifest}${query}`,
    output,
    error: [] as unknown[],
  };
}
