import type { Instant, LocalDate } from '../model.ts';
import { addDays, localToday } from '../time-zone.ts';
import type { Deps } from './deps.ts';

/** How far ahead a snapshot looks: the places of the next four weeks, as a person searching sees them. */
export const SNAPSHOT_DAYS = 28;

/** A centre's places for one product in the `SNAPSHOT_DAYS` from a day, as they stood when taken. */
export interface AvailabilitySnapshot {
  /** The country's date the snapshot is of (its first day). */
  date: LocalDate;
  centreId: string;
  vaccineId: string;
  published: number;
  booked: number;
  /** Free in all the `SNAPSHOT_DAYS` (28). */
  free: number;
  /** Of `free`, those in the first 7 days (the snapshot's day and the 6 after it): room for a person booking this week. */
  free7: number;
  /** Of `free`, those in the first 14 days. */
  free14: number;
  /** The centre's local date of the first slot with room; null when none in the window. */
  firstFreeDate: LocalDate | null;
  takenAt: Instant;
}

/**
 * The day's availability snapshot: for every centre and every product it publishes, the places of
 * the next four weeks (slots not yet begun), how many are booked and free, and the first day with
 * room (and the free places of the first one and two weeks). Taken once a day (after the night's publication), it is what the waiting-time reports read:
 * on the day of a snapshot, how long a person booking would have waited.
 */
export async function takeAvailabilitySnapshot(deps: Deps): Promise<AvailabilitySnapshot[]> {
  const now = deps.clock.now();
  const takenAt = now.toISOString();
  const date = localToday(now, deps.settings.timeZone);
  const snapshots: AvailabilitySnapshot[] = [];
  for (const centre of await deps.store.listCentres()) {
    const first = localToday(now, centre.timeZone);
    const byProduct = new Map<string, AvailabilitySnapshot>();
    for (let day = 0; day < SNAPSHOT_DAYS; day++) {
      const localDate = addDays(first, day);
      for (const slot of await deps.store.listSlotsOfCentreDay(centre.id, localDate)) {
        if (Date.parse(slot.start) < now.getTime()) continue;
        const snapshot = byProduct.get(slot.vaccineId) ?? {
          date,
          centreId: centre.id,
          vaccineId: slot.vaccineId,
          published: 0,
          booked: 0,
          free: 0,
          free7: 0,
          free14: 0,
          firstFreeDate: null,
          takenAt,
        };
        const free = Math.max(0, slot.capacity - slot.booked);
        snapshot.published += slot.capacity;
        snapshot.booked += Math.min(slot.booked, slot.capacity);
        snapshot.free += free;
        if (day < 7) snapshot.free7 += free;
        if (day < 14) snapshot.free14 += free;
        if (free > 0 && (snapshot.firstFreeDate === null || localDate < snapshot.firstFreeDate)) {
          snapshot.firstFreeDate = localDate;
        }
        byProduct.set(slot.vaccineId, snapshot);
      }
    }
    snapshots.push(...[...byProduct.values()].sort((a, b) => a.vaccineId.localeCompare(b.vaccineId)));
  }
  return snapshots;
}
