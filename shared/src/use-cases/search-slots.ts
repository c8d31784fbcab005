import type { CentreDirectory } from '../centre-directory.ts';
import { invalid } from '../errors.ts';
import { parsePostalCode, postalAreaCentroid } from '../geo.ts';
import type { Centre, GeoPoint, LocalDate } from '../model.ts';
import { addDays, isValidLocalDate, localToday, toInstant, toLocal } from '../time-zone.ts';
import { findVaccine } from '../vaccines.ts';
import type { Deps } from './deps.ts';

export interface SearchQuery {
  postalCode?: string | undefined;
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
  origin: GeoPoint & { postalCode: string | null };
  from: LocalDate;
  to: LocalDate;
  results: CentreOffer[];
}

/** The later of two ISO instants (they compare as text). */
const laterOf = (a: string, b: string) => (a < b ? b : a);

const DEFAULT_RADIUS_KM = 50;
/** Nearby centres whose availability is consulted; the nearest ones are enough to find the soonest. */
const MAX_CANDIDATES = 60;

function originOf(query: SearchQuery, centres: readonly Centre[]): SearchResult['origin'] {
  if (query.postalCode !== undefined) {
    const postalCode = parsePostalCode(query.postalCode);
    const exact = centres.find((c) => c.address.postalCode === postalCode);
    const point = exact?.location ?? postalAreaCentroid(postalCode);
    if (!point)
      throw invalid('UNKNOWN_POSTAL_CODE', `We do not know where postal code ${postalCode} is.`, 'postalCode');
    return { ...point, postalCode };
  }
  if (query.lat === undefined || query.lon === undefined) {
    throw invalid('LOCATION_REQUIRED', 'Give a postal code, or both lat and lon.', 'postalCode');
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
  const origin = originOf(query, await directory.all());
  const vaccineId = vaccineIds?.[0] ?? null;
  const nowIso = now.toISOString();

  // Spatial narrowing, then the read model: each nearby centre's first day with free places.
  const nearby = (await directory.near(origin, radius))
    .filter(({ centre }) => !vaccineId || (centre.schedule.weekly.capacity[vaccineId] ?? 0) > 0)
    .slice(0, MAX_CANDIDATES);
  const ranked: Array<{ centre: Centre; distance: number; first: string; date: LocalDate }> = [];
  for (const { centre, distance } of nearby) {
    const today = localToday(now, centre.timeZone);
    const day = await deps.store.firstAvailability(centre.id, laterOf(from, today), to, vaccineId);
    if (!day?.firstFree) continue;
    ranked.push({ centre, distance, first: laterOf(day.firstFree, nowIso), date: day.localDate });
  }
  ranked.sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : a.distance - b.distance));

  // Only the centres shown read their slots; a summary that is a moment behind is corrected here.
  const results: CentreOffer[] = [];
  for (const { centre, distance, date } of ranked) {
    if (results.length >= limit) break;
    const start = toInstant(date, '00:00', centre.timeZone)?.toISOString() ?? `${date}T00:00:00.000Z`;
    const end = toInstant(addDays(to, 1), '00:00', centre.timeZone)?.toISOString() ?? `${addDays(to, 1)}T00:00:00.000Z`;
    const slots = await deps.store.findFreeSlots({
      centreId: centre.id,
      vaccineIds,
      from: laterOf(start, nowIso),
      to: end,
      limit: perCentre,
    });
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
      slots: slots.map((s) => {
        const local = toLocal(new Date(s.start), centre.timeZone);
        return {
          slotId: s.id,
          start: s.start,
          localStart: `${local.date}T${local.time}`,
          vaccineId: s.vaccineId,
          free: s.capacity - s.booked,
        };
      }),
    });
  }
  return { origin, from, to, results };
}
