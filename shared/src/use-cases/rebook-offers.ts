import type { CentreDirectory } from '../centre-directory.ts';
import { DomainError } from '../errors.ts';
import type { Appointment, Centre, LocalDate } from '../model.ts';
import { addDays, localToday, toInstant, toLocalStart } from '../time-zone.ts';
import { type NextDose, planNextDose } from '../vaccines.ts';
import type { Deps } from './deps.ts';
import { type CentreOffer, type SlotOffer, searchSlots } from './search-slots.ts';

/** A free slot offered in place of a cancelled visit, with its centre. */
export interface RebookSlot extends SlotOffer {
  centre: CentreOffer['centre'];
}

// Local dates compare as text.
const laterDate = (a: LocalDate, b: LocalDate): LocalDate => (a.localeCompare(b) >= 0 ? a : b);
const earlierDate = (a: LocalDate, b: LocalDate): LocalDate => (a.localeCompare(b) <= 0 ? a : b);

/** How many nearby centres the search for other times looks through. */
const NEARBY_CENTRES = 5;

/**
 * The soonest free slots for the dose a cancelled visit was for, at its centre or nearby: the same
 * product when the course allows it, and only inside the dose's interval (after the earlier dose, before
 * the course's latest day). None when the person has nothing left to book for it: the dose was booked
 * again meanwhile, or the course no longer needs it.
 */
export async function soonestSlotsInstead(
  deps: Deps,
  directory: CentreDirectory,
  cancelled: Pick<Appointment, 'patientId' | 'vaccineId' | 'dose'>,
  centre: Pick<Centre, 'location'>,
  count: number,
): Promise<RebookSlot[]> {
  const history = await deps.store.listAppointmentsOfPatient(cancelled.patientId);
  let next: NextDose;
  try {
    next = planNextDose(history, deps.vaccines);
  } catch (error) {
    if (error instanceof DomainError) return [];
    throw error;
  }
  if (next.dose !== cancelled.dose) return [];
  const vaccineId = next.vaccineIds.includes(cancelled.vaccineId)
    ? cancelled.vaccineId
    : next.vaccineIds.length === 1
      ? next.vaccineIds[0]
      : undefined;
  const now = deps.clock.now();
  const zone = deps.settings.timeZone;
  const today = localToday(now, zone);
  const earliest = next.earliest ? localToday(new Date(next.earliest), zone) : today;
  const from = laterDate(earliest, today);
  const window = addDays(from, deps.settings.searchWindowDays);
  const latest = next.latest ? localToday(new Date(next.latest), zone) : window;
  if (latest < from) return [];
  const to = earlierDate(latest, window);
  const found = await searchSlots(deps, directory, {
    lat: centre.location.lat,
    lon: centre.location.lon,
    vaccineId,
    from,
    to,
    limit: NEARBY_CENTRES,
    slotsPerCentre: count,
  });
  const nowIso = now.toISOString();
  // The search lists each centre's first slots of a day; when the dose's interval opens in the middle
  // of that day they may all come before it, so each centre found is read again from that very instant.
  const products = vaccineId === undefined ? next.vaccineIds : [vaccineId];
  const begin = next.earliest !== null && next.earliest > nowIso ? next.earliest : nowIso;
  const end = toInstant(addDays(to, 1), '00:00', zone)?.toISOString() ?? `${addDays(to, 1)}T00:00:00.000Z`;
  const reads = await Promise.all(
    found.results.map(async (offer) =>
      (await directory.freeSlotsFrom(offer.centre.id, begin, end, products, count)).map(
        (slot): RebookSlot => ({
          slotId: slot.id,
          start: slot.start,
          localStart: toLocalStart(slot.start, offer.centre.timeZone),
          vaccineId: slot.vaccineId,
          free: slot.capacity - slot.booked,
          centre: offer.centre,
        }),
      ),
    ),
  );
  return reads
    .flat()
    .filter((slot) => slot.start > nowIso && slot.start >= begin && slot.free > 0)
    .filter((slot) => next.latest === null || slot.start <= next.latest)
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0))
    .slice(0, count);
}
