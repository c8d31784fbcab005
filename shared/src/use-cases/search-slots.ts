import type { CentreDirectory } from '../centre-directory.ts';
import { centreStatus } from '../centre-status.ts';
import { invalid, notFound } from '../errors.ts';
import { parsePostalCode } from '../geo.ts';
import type { Centre, GeoPoint, LocalDate } from '../model.ts';
import { type Availability, LISTED_FIRST_SLOTS } from '../ports.ts';
import { addDays, isValidLocalDate, localToday, toInstant, toLocalStart } from '../time-zone.ts';
import { findVaccine } from '../vaccines.ts';
import type { Deps } from './deps.ts';

export interface SearchQuery {
  postalCode?: string | undefined;
  /** A town or village by name (the hotline asks a caller where they live), instead of a postal code. */
  town?: string | undefined;
  lat?: number | undefined;
  lon?: number | undefined;
  vaccineId?: string | undefined;
  from?: LocalDate | undefined;
  to?: LocalDate | undefined;
  /** Centres to return. */
  limit?: number | undefined;
  slotsPerCentre?: number | undefined;
  radiusKm?: number | undefined;
}

export interface SlotOffer {
  slotId: string;
  start: string;
  localStart: string;
  vaccineId: string;
  free: number;
}

export interface CentreOffer {
  centre: Pick<Centre, 'id' | 'name' | 'address' | 'location' | 'timeZone' | 'phone'>;
  distanceKm: number;
  slots: SlotOffer[];
}

export interface SearchResult {
  /** Where the search started; `place`: the town's name as the table writes it, for a search by town. */
  origin: GeoPoint & { postalCode: string | null; place?: string };
  from: LocalDate;
  to: LocalDate;
  results: CentreOffer[];
}

/** The later of two ISO instants (they compare as text). */
const laterOf = (a: string, b: string) => (a < b ? b : a);

const dayStarts = new Map<string, string>();
const localStarts = new Map<string, string>();

/** A slot's start on the centre's wall clock, remembered: slot starts fall on a few grid times. */
function localStartOf(start: string, zone: string): string {
  const key = `${zone}|${start}`;
  let local = localStarts.get(key);
  if (local === undefined) {
    local = toLocalStart(start, zone);
    if (localStarts.size > 100_000) localStarts.clear();
    localStarts.set(key, local);
  }
  return local;
}

/** The instant a local day starts in a zone, remembered: every search asks for the same few days. */
function startOfDay(date: LocalDate, zone: string): string {
  const key = `${zone}|${date}`;
  let start = dayStarts.get(key);
  if (start === undefined) {
    start = toInstant(date, '00:00', zone)?.toISOString() ?? `${date}T00:00:00.000Z`;
    if (dayStarts.size > 10_000) dayStarts.clear();
    dayStarts.set(key, start);
  }
  return start;
}

const DEFAULT_RADIUS_KM = 50;
/** Extra slots read so that those already begun today can be dropped. */
const SPARE = 2;
/** Nearby centres whose availability is consulted; the nearest ones are enough to find the soonest. */
const MAX_CANDIDATES = 30;

async function originOf(query: SearchQuery, directory: CentreDirectory): Promise<SearchResult['origin']> {
  if (query.postalCode !== undefined) {
    const postalCode = parsePostalCode(query.postalCode);
    const place = await directory.locate(postalCode);
    if (!place) {
      throw invalid(
        'UNKNOWN_POSTAL_CODE',
        `Postal code ${postalCode} is not known: no Polish postal code starts with ${postalCode.slice(0, 2)}.`,
        'postalCode',
      );
    }
    return { lat: place.location.lat, lon: place.location.lon, postalCode };
  }
  if (query.town !== undefined) {
    const place = await directory.locateTown(query.town);
    if (!place) throw invalid('UNKNOWN_TOWN', `No town or village called “${query.town.trim()}” is known.`, 'town');
    return { lat: place.location.lat, lon: place.location.lon, postalCode: null, place: place.place };
  }
  if (query.lat === undefined || query.lon === undefined) {
    throw invalid('LOCATION_REQUIRED', 'Give a postal code, a town, or both lat and lon.', 'postalCode');
  }
  return { lat: query.lat, lon: query.lon, postalCode: null };
}

/**
 * Finds the soonest free slots near a place: centres within the radius that offer the vaccine,
 * nearest first as candidates, answered soonest first with their earliest slots and distance.
 */
export async function searchSlots(deps: Deps, directory: CentreDirectory, query: SearchQuery): Promise<SearchResult> {
  const now = deps.clock.now();
  const today = localToday(now, deps.settings.timeZone);
  const from = query.from ?? today;
  const to = query.to ?? addDays(from, deps.settings.searchWindowDays);
  if (!isValidLocalDate(from)) throw invalid('INVALID_DATE', 'from must be a date (YYYY-MM-DD).', 'from');
  if (!isValidLocalDate(to)) throw invalid('INVALID_DATE', 'to must be a date (YYYY-MM-DD).', 'to');
  if (to < from) throw invalid('INVALID_RANGE', 'to must not be before from.', 'to');
  const vaccineIds = query.vaccineId ? [findVaccine(deps.vaccines, query.vaccineId).id] : null;
  const limit = query.limit ?? 10;
  const perCentre = query.slotsPerCentre ?? 3;
  const radius = query.radiusKm ?? DEFAULT_RADIUS_KM;
  const origin = await originOf(query, directory);
  const key = [
    origin.lat,
    origin.lon,
    origin.postalCode,
    origin.place,
    vaccineIds?.[0],
    from,
    to,
    limit,
    perCentre,
    radius,
  ].join('|');
  const answer = await directory.rememberAnswer(key, () =>
    findSoonest(deps, directory, { origin, vaccineIds, from, to, limit, perCentre, radius }),
  );
  // A remembered answer may be a moment old: drop any slot that has begun since.
  const nowIso = now.toISOString();
  return {
    ...answer,
    results: answer.results
      .map((offer) => ({ ...offer, slots: offer.slots.filter((slot) => slot.start > nowIso) }))
      .filter((offer) => offer.slots.length > 0),
  };
}

async function findSoonest(
  deps: Deps,
  directory: CentreDirectory,
  q: {
    origin: SearchResult['origin'];
    vaccineIds: string[] | null;
    from: LocalDate;
    to: LocalDate;
    limit: number;
    perCentre: number;
    radius: number;
  },
): Promise<SearchResult> {
  const { origin, vaccineIds, from, to, limit, perCentre, radius } = q;
  const now = deps.clock.now();
  const vaccineId = vaccineIds?.[0] ?? null;
  const nowIso = now.toISOString();
  const minuteStart = new Date(Math.floor(now.getTime() / 60_000) * 60_000).toISOString();

  // Spatial narrowing, then the read model: each nearby centre's first day with free places.
  // A city has hundreds of centres within the radius; only the nearest few that offer the product count.
  const wanted = Math.max(MAX_CANDIDATES, limit * 3);
  const nearby: Array<{ centre: Centre; distance: number }> = [];
  for (const candidate of await directory.near(origin, radius)) {
    // A suspended or closed centre takes no bookings: search does not offer it.
    if (centreStatus(candidate.centre) !== 'active') continue;
    if (vaccineId && !((candidate.centre.schedule.weekly.capacity[vaccineId] ?? 0) > 0)) continue;
    nearby.push(candidate);
    if (nearby.length >= wanted) break;
  }
  const ranked: Array<{ centre: Centre; distance: number; first: string; day: Availability[]; today: LocalDate }> = [];
  const todays = new Map<string, LocalDate>();
  for (const { centre, distance } of nearby) {
    let today = todays.get(centre.timeZone);
    if (today === undefined) {
      today = localToday(now, centre.timeZone);
      todays.set(centre.timeZone, today);
    }
    const day = await directory.firstAvailableDay(centre.id, laterOf(from, today), to, vaccineId);
    let firstFree: string | null = null;
    for (const product of day) {
      if (product.firstFree && (firstFree === null || product.firstFree < firstFree)) firstFree = product.firstFree;
    }
    if (firstFree === null) continue;
    ranked.push({ centre, distance, first: laterOf(firstFree, nowIso), day, today });
  }
  ranked.sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : a.distance - b.distance));

  // The read model lists each day's first free slots, so most answers read no slot at all; slots are
  // read only when those listed have already begun today or more are wanted than it lists.
  const results: CentreOffer[] = [];
  for (const { centre, distance, day, today } of ranked) {
    if (results.length >= limit) break;
    const listed = day
      .flatMap((product) => product.firstSlots.map((slot) => ({ ...slot, vaccineId: product.vaccineId })))
      .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    let offered = listed.filter((slot) => slot.start > nowIso).slice(0, perCentre);
    const truncated = day.some((product) => product.firstSlots.length >= LISTED_FIRST_SLOTS);
    const date = (day[0] as Availability).localDate;
    if (offered.length < perCentre && (truncated || date === today)) {
      const start = startOfDay(date, centre.timeZone);
      const end = startOfDay(addDays(to, 1), centre.timeZone);
      // Read from the current minute (a stable key for the short-lived memo), then drop what has begun.
      const read = await directory.freeSlotsFrom(
        centre.id,
        laterOf(start, minuteStart),
        end,
        vaccineIds,
        perCentre + SPARE,
      );
      offered = read
        .filter((slot) => slot.start > nowIso)
        .slice(0, perCentre)
        .map((slot) => ({
          slotId: slot.id,
          start: slot.start,
          free: slot.capacity - slot.booked,
          vaccineId: slot.vaccineId,
        }));
    }
    const slots = offered;
    if (slots.length === 0) continue;
    results.push({
      centre: {
        id: centre.id,
        name: centre.name,
        address: centre.address,
        location: centre.location,
        timeZone: centre.timeZone,
        phone: centre.phone,
      },
      distanceKm: Math.round(distance * 10) / 10,
      slots: slots.map((s) => ({
        slotId: s.slotId,
        start: s.start,
        localStart: localStartOf(s.start, centre.timeZone),
        vaccineId: s.vaccineId,
        free: s.free,
      })),
    });
  }
  return { origin, from, to, results };
}

/** How many days of a centre's free slots one request may ask for: a dose interval fits in it. */
export const FREE_SLOTS_MAX_DAYS = 42;
/** The most slots one answer lists. */
const FREE_SLOTS_LIMIT = 500;

export interface FreeSlotsQuery {
  vaccineId: string;
  from: LocalDate;
  to: LocalDate;
}

export interface CentreFreeSlots {
  centreId: string;
  vaccineId: string;
  from: LocalDate;
  to: LocalDate;
  /** Free slots from the first day to the last (both included), soonest first; none already begun. */
  slots: Array<{ slotId: string; start: string; localStart: string; free: number }>;
}

/**
 * A centre's free slots of one product between two local dates: what a person picks another time
 * from (the next dose's day and hour, a moved visit). Public, like the search.
 */
export async function listFreeSlots(deps: Deps, centreId: string, query: FreeSlotsQuery): Promise<CentreFreeSlots> {
  if (!isValidLocalDate(query.from)) throw invalid('INVALID_DATE', 'from must be a date (YYYY-MM-DD).', 'from');
  if (!isValidLocalDate(query.to)) throw invalid('INVALID_DATE', 'to must be a date (YYYY-MM-DD).', 'to');
  if (query.to < query.from) throw invalid('INVALID_RANGE', 'to must not be before from.', 'to');
  if (addDays(query.from, FREE_SLOTS_MAX_DAYS - 1) < query.to) {
    throw invalid('RANGE_TOO_LONG', `Ask for at most ${FREE_SLOTS_MAX_DAYS} days at a time.`, 'to');
  }
  const vaccine = findVaccine(deps.vaccines, query.vaccineId, 'vaccineId');
  const centre = await deps.store.getCentre(centreId);
  if (!centre) throw notFound('CENTRE_NOT_FOUND', 'There is no such centre.', 'centreId');
  const now = deps.clock.now().toISOString();
  // A suspended or closed centre offers no time to pick.
  const slots =
    centreStatus(centre) !== 'active'
      ? []
      : await deps.store.findFreeSlots({
          centreId,
          vaccineIds: [vaccine.id],
          from: laterOf(startOfDay(query.from, centre.timeZone), now),
          to: startOfDay(addDays(query.to, 1), centre.timeZone),
          limit: FREE_SLOTS_LIMIT,
        });
  return {
    centreId,
    vaccineId: vaccine.id,
    from: query.from,
    to: query.to,
    slots: slots
      .filter((slot) => slot.start > now)
      .map((slot) => ({
        slotId: slot.id,
        start: slot.start,
        localStart: localStartOf(slot.start, centre.timeZone),
        free: slot.capacity - slot.booked,
      })),
  };
}
