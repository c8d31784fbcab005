import { centreStatus, isClosedOn } from '../centre-status.ts';
import { type CancellationCode, makeEvent } from '../events.ts';
import type { Actor, Appointment, Centre, LocalDate, Slot } from '../model.ts';
import { generateSlots, planSlotChanges } from '../schedule.ts';
import { addDays, localToday } from '../time-zone.ts';
import type { Deps } from './deps.ts';
import { cancelOne } from './manage-appointments.ts';

/** What publishing one centre-day changed; only days with a change are listed in a summary. */
export interface DayChange {
  date: LocalDate;
  created: number;
  resized: number;
  removed: number;
  /** Places in the day's future slots before and after. */
  capacityBefore: number;
  capacityAfter: number;
  /** Ids of the visits cancelled, later doses cancelled with them included. */
  cancelled: string[];
}

export interface PublishSummary {
  created: number;
  resized: number;
  removed: number;
  cancelled: Appointment[];
  /** Ids of the later doses among `cancelled`, cancelled because an earlier dose was. */
  cascaded: string[];
  days: DayChange[];
}

const emptySummary = (): PublishSummary => ({
  created: 0,
  resized: 0,
  removed: 0,
  cancelled: [],
  cascaded: [],
  days: [],
});

/**
 * Which visits a publication may cancel: any it must (`all`), or only those named (a manager confirmed
 * them); a visit booked since is kept, its slot holding at least its bookings.
 */
export type Cancellable = 'all' | ReadonlySet<string>;

/**
 * A visit that can give way to a schedule change: still to come and not yet begun at the desk. A
 * patient already checked in (or vaccinated) keeps the place whatever the schedule says.
 */
const canGiveWay = (appointment: Appointment, cancellable: Cancellable): boolean =>
  appointment.status === 'booked' &&
  appointment.checkedInAt === null &&
  (cancellable === 'all' || cancellable.has(appointment.id));

/**
 * Brings one centre-day's future slots in line with the centre's schedule, in one transaction.
 * Capacity that holds bookings is only removed by cancelling those bookings with a reason, never by
 * leaving orphans. Running it twice changes nothing the second time.
 */
export async function publishSlotsForDay(
  deps: Deps,
  centreId: string,
  date: LocalDate,
  actor: Actor,
  reason: string,
  code: CancellationCode = 'capacity_removed',
  cancellable: Cancellable = 'all',
): Promise<PublishSummary> {
  return deps.store.runInTransaction(async (tx) => {
    const now = deps.clock.now();
    const nowIso = now.toISOString();
    const centre = await tx.getCentre(centreId);
    if (!centre) return emptySummary();
    const existing = (await tx.listSlotsOfCentreDay(centreId, date)).filter((s) => s.start > nowIso);
    // A closed centre plans nothing from its closing date: what it still holds there is cancelled.
    const planned = isClosedOn(centre, date) ? [] : generateSlots(centre, date, date).filter((s) => s.start > nowIso);
    const changes = planSlotChanges(existing, planned);
    const slots = new Map<string, Slot>(existing.map((s) => [s.id, s]));
    const toCancel: Appointment[] = [];
    for (const { slotId, excess } of changes.overbooked) {
      const holders = (await tx.listActiveAppointmentsOfSlot(slotId)).filter((a) => canGiveWay(a, cancellable));
      // The most recent bookings give way first: the earliest bookers keep their places.
      holders.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
      toCancel.push(...holders.slice(0, excess));
    }
    // A later dose needs the earlier one given or booked, so it is cancelled with it (as on a patient's
    // own cancellation); otherwise it would block the patient from booking the earlier dose again.
    const cancelling = new Set(toCancel.map((a) => a.id));
    const later: Appointment[] = [];
    for (const appointment of toCancel) {
      for (const other of await tx.listAppointmentsOfPatient(appointment.patientId)) {
        if (other.status !== 'booked' || other.dose <= appointment.dose || cancelling.has(other.id)) continue;
        cancelling.add(other.id);
        later.push(other);
      }
    }
    const otherSlots = new Map<string, Slot>();
    for (const appointment of later) {
      if (slots.has(appointment.slotId) || otherSlots.has(appointment.slotId)) continue;
      const slot = await tx.getSlot(appointment.slotId);
      if (slot) otherSlots.set(slot.id, slot);
    }
    const summary: PublishSummary = {
      created: changes.create.length,
      resized: changes.resize.length,
      removed: changes.remove.length,
      cancelled: [],
      cascaded: later.map((a) => a.id),
      days: [],
    };
    if (changes.create.length + changes.resize.length + changes.retime.length + changes.remove.length === 0) {
      return summary;
    }

    for (const appointment of toCancel) {
      summary.cancelled.push(cancelOne(deps, tx, appointment, slots, reason, actor, now, false, code));
    }
    for (const appointment of later) {
      const map = slots.has(appointment.slotId) ? slots : otherSlots;
      summary.cancelled.push(cancelOne(deps, tx, appointment, map, reason, actor, now, true, code));
    }
    summary.days.push({
      date,
      created: summary.created,
      resized: summary.resized,
      removed: summary.removed,
      capacityBefore: existing.reduce((sum, s) => sum + s.capacity, 0),
      capacityAfter: planned.reduce((sum, s) => sum + s.capacity, 0),
      cancelled: summary.cancelled.map((a) => a.id),
    });
    for (const slot of otherSlots.values()) tx.putSlot(slot);
    for (const plan of changes.create) tx.putSlot({ ...plan, booked: 0 });
    const adjusted = new Map<string, Slot>();
    for (const { slotId, capacity } of changes.resize) {
      adjusted.set(slotId, { ...(adjusted.get(slotId) ?? (slots.get(slotId) as Slot)), capacity });
    }
    // A new slot length keeps a slot that starts at the same moment (and its bookings); only its end moves.
    for (const { slotId, end } of changes.retime) {
      adjusted.set(slotId, { ...(adjusted.get(slotId) ?? (slots.get(slotId) as Slot)), end });
    }
    for (const { slotId } of later) {
      const slot = slots.get(slotId);
      if (slot && !adjusted.has(slotId) && !changes.remove.includes(slotId)) adjusted.set(slotId, slot);
    }
    // Visits already completed or missed in a slot still hold their places and cannot be cancelled:
    // such a slot keeps at least that much capacity instead of breaking the capacity rule.
    for (const slot of adjusted.values()) tx.putSlot({ ...slot, capacity: Math.max(slot.capacity, slot.booked) });
    for (const slotId of changes.remove) {
      const remaining = slots.get(slotId);
      if (remaining && remaining.booked > 0) tx.putSlot({ ...remaining, capacity: remaining.booked });
      else tx.deleteSlot(slotId);
    }
    tx.addEvent(
      makeEvent(deps.ids.next('evt'), 'slots.published', now, actor, centreId, {
        centreId,
        date,
        created: summary.created,
        resized: summary.resized,
        removed: summary.removed,
        cancelledAppointments: summary.cancelled.length,
        capacity: planned.reduce((sum, s) => sum + s.capacity, 0),
      }),
    );
    return summary;
  });
}

/** Publishes (or re-publishes) a centre's days from `fromDate` through `toDate`, one transaction per day. */
export async function publishSlots(
  deps: Deps,
  centre: Pick<Centre, 'id' | 'timeZone'>,
  fromDate: LocalDate,
  toDate: LocalDate,
  actor: Actor,
  reason: string,
  cancellable: Cancellable = 'all',
): Promise<PublishSummary> {
  const total = emptySummary();
  for (let date = fromDate; date <= toDate; date = addDays(date, 1)) {
    const day = await publishSlotsForDay(deps, centre.id, date, actor, reason, 'capacity_removed', cancellable);
    total.created += day.created;
    total.resized += day.resized;
    total.removed += day.removed;
    total.cancelled.push(...day.cancelled);
    total.cascaded.push(...day.cascaded);
    total.days.push(...day.days);
  }
  const through = await deps.store.getPublishedThrough(centre.id);
  if (!through || through < toDate) await deps.store.setPublishedThrough(centre.id, toDate);
  return total;
}

/** Publishes again every day of a centre from today (its local today) to the horizon, after a change to it. */
export function republishAhead(
  deps: Deps,
  centre: Pick<Centre, 'id' | 'timeZone'>,
  actor: Actor,
  reason: string,
  cancellable: Cancellable = 'all',
): Promise<PublishSummary> {
  const today = localToday(deps.clock.now(), centre.timeZone);
  const horizon = addDays(today, deps.settings.slotHorizonDays);
  return publishSlots(deps, centre, today, horizon, actor, reason, cancellable);
}

/**
 * Extends every active centre's published days to the horizon (run at start-up and daily). Only days
 * not yet published are generated, so a restart costs little. A suspended centre is left as it is
 * until resumed (which publishes its days again), a closed one for good.
 */
export async function publishDueSlots(
  deps: Deps,
  onProgress?: (done: number, total: number) => void,
): Promise<{ centres: number; created: number }> {
  const centres = await deps.store.listCentres();
  const actor: Actor = { role: 'system', id: 'slot-publisher' };
  let created = 0;
  let done = 0;
  for (const centre of centres) {
    if (centreStatus(centre) !== 'active') {
      onProgress?.(++done, centres.length);
      continue;
    }
    const today = localToday(deps.clock.now(), centre.timeZone);
    const horizon = addDays(today, deps.settings.slotHorizonDays);
    const through = await deps.store.getPublishedThrough(centre.id);
    const from = through && through >= today ? addDays(through, 1) : today;
    if (from <= horizon) {
      created += (await publishSlots(deps, centre, from, horizon, actor, 'slots published')).created;
    }
    onProgress?.(++done, centres.length);
  }
  return { centres: centres.length, created };
}
