import { centreStatus } from '../centre-status.ts';
import { conflict, invalid, notFound } from '../errors.ts';
import { makeEvent } from '../events.ts';
import {
  type Actor,
  CENTRE_STATUSES,
  type Centre,
  type CentreStatus,
  type LocalDate,
  type StaffMember,
} from '../model.ts';
import { placeKey } from '../postal-codes.ts';
import { actorOf, type Principal, requireRole } from '../principal.ts';
import { voivodeshipBySlug } from '../teryt.ts';
import { addDays, isValidLocalDate, localToday } from '../time-zone.ts';
import { enrolStaffMember, type NewStaffMember } from './centre-staff.ts';
import { audit, type Deps } from './deps.ts';
import { publishSlotsForDay, republishAhead } from './publish-slots.ts';

/** A centre as the ministry's screens show it: its status always spelled out. */
export type AdminCentre = Centre & { status: CentreStatus };

const withStatus = (centre: Centre): AdminCentre => ({ ...centre, status: centreStatus(centre) });

export interface CentreSearch {
  /** Part of the centre's name or town, in any case, with or without Polish diacritics. */
  q?: string | undefined;
  /** A voivodeship slug (`mazowieckie`). */
  voivodeship?: string | undefined;
  status?: CentreStatus | undefined;
  limit?: number | undefined;
}

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

/**
 * Finds centres by name or town, voivodeship and status, by name. The few thousand centres are read
 * whole and filtered here: the ministry searches a handful of times an hour.
 */
export async function searchCentres(
  deps: Deps,
  principal: Principal,
  query: CentreSearch,
): Promise<{ centres: AdminCentre[] }> {
  requireRole(principal, 'admin');
  if (query.voivodeship !== undefined && !voivodeshipBySlug(query.voivodeship)) {
    throw invalid('UNKNOWN_VOIVODESHIP', 'voivodeship must be a voivodeship’s slug, e.g. mazowieckie.', 'voivodeship');
  }
  if (query.status !== undefined && !CENTRE_STATUSES.includes(query.status)) {
    throw invalid('INVALID_STATUS', `status is one of ${CENTRE_STATUSES.join(', ')}.`, 'status');
  }
  const limit = query.limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw invalid('INVALID_LIMIT', `limit is a whole number from 1 to ${MAX_LIMIT}.`, 'limit');
  }
  const words = placeKey(query.q ?? '');
  const centres = (await deps.store.listCentres())
    .filter((centre) => query.voivodeship === undefined || centre.address.voivodeship === query.voivodeship)
    .filter((centre) => query.status === undefined || centreStatus(centre) === query.status)
    .filter(
      (centre) =>
        words === '' || placeKey(centre.name).includes(words) || placeKey(centre.address.city).includes(words),
    )
    .sort((a, b) => a.name.localeCompare(b.name, 'pl') || a.id.localeCompare(b.id))
    .slice(0, limit)
    .map(withStatus);
  return { centres };
}

/** A centre with its people (e-mails included), for the ministry. */
export async function adminCentre(
  deps: Deps,
  principal: Principal,
  centreId: string,
): Promise<{ centre: AdminCentre; staff: StaffMember[] }> {
  requireRole(principal, 'admin');
  const centre = await deps.store.getCentre(centreId);
  if (!centre) throw notFound('CENTRE_NOT_FOUND', 'There is no such centre.', 'centreId');
  const staff = (await deps.store.listStaffOfCentre(centreId)).sort(
    (a, b) => a.name.localeCompare(b.name, 'pl') || a.id.localeCompare(b.id),
  );
  return { centre: withStatus(centre), staff };
}

const checkReason = (reason: string): string => {
  const trimmed = reason.trim();
  if (trimmed.length < 3) throw invalid('REASON_REQUIRED', 'Say why; it is kept with the centre.', 'reason');
  return trimmed;
};

const centreClosed = () => conflict('CENTRE_CLOSED', 'This centre is closed; it cannot be changed any more.');

/**
 * Stops a centre's new bookings for a while: search no longer shows it, every booking there is refused
 * (CENTRE_SUSPENDED), its booked visits stay, and its days are no longer extended to the horizon.
 * Suspending a suspended centre changes nothing.
 */
export async function suspendCentre(
  deps: Deps,
  principal: Principal,
  centreId: string,
  input: { reason: string },
): Promise<{ centre: AdminCentre }> {
  requireRole(principal, 'admin');
  const reason = checkReason(input.reason);
  const actor = actorOf(principal);
  const centre = await deps.store.runInTransaction(async (tx) => {
    const found = await tx.getCentre(centreId);
    if (!found) throw notFound('CENTRE_NOT_FOUND', 'There is no such centre.', 'centreId');
    const status = centreStatus(found);
    if (status === 'closed') throw centreClosed();
    if (status === 'suspended') return found;
    const now = deps.clock.now();
    const updated: Centre = {
      ...found,
      status: 'suspended',
      statusChange: { to: 'suspended', reason, at: now.toISOString(), by: actor },
    };
    tx.putCentre(updated);
    audit(deps, tx, actor, null, 'suspend-centre', `${centreId}: ${reason}`);
    tx.addEvent(makeEvent(deps.ids.next('evt'), 'centre.suspended', now, actor, centreId, { centreId, reason }));
    return updated;
  });
  return { centre: withStatus(centre) };
}

/**
 * A suspended centre takes bookings again: it is searched again, and its days are published to the
 * horizon at once (those the pause left out). Resuming an active centre changes nothing.
 */
export async function resumeCentre(
  deps: Deps,
  principal: Principal,
  centreId: string,
): Promise<{ centre: AdminCentre }> {
  requireRole(principal, 'admin');
  const actor = actorOf(principal);
  const resumed = await deps.store.runInTransaction(async (tx) => {
    const found = await tx.getCentre(centreId);
    if (!found) throw notFound('CENTRE_NOT_FOUND', 'There is no such centre.', 'centreId');
    const status = centreStatus(found);
    if (status === 'closed') throw centreClosed();
    if (status === 'active') return { centre: found, changed: false };
    const now = deps.clock.now();
    // The record is replaced field by field in Firestore: the last change stays, saying it was this one.
    const updated: Centre = {
      ...found,
      status: 'active',
      statusChange: { to: 'active', reason: null, at: now.toISOString(), by: actor },
    };
    tx.putCentre(updated);
    audit(deps, tx, actor, null, 'resume-centre', centreId);
    tx.addEvent(makeEvent(deps.ids.next('evt'), 'centre.resumed', now, actor, centreId, { centreId }));
    return { centre: updated, changed: true };
  });
  if (resumed.changed) await republishAhead(deps, resumed.centre, actor, 'centre resumed');
  return { centre: withStatus(resumed.centre) };
}

/** Kept with the idempotency records: the closing's event is written once, after its cancellations. */
const closedKey = (centreId: string) => `centre-closed:${centreId}`;

/**
 * Closes a centre for good from a local date (today or later): from then on it has no slots, and
 * every visit booked from that date is cancelled as a cancelled day's are (code `day_cancelled`; the
 * people are texted other times to book), later doses with them. Visits before the date stay, but
 * nothing new is booked there, and search shows it no more. Its staff keep their sign-ins (the
 * visits before the date, and the records, are still theirs to see). Asked again, it finishes what a
 * run cut short left and answers what that cancelled (nothing, once all is done); the first closing
 * date stands.
 */
export async function closeCentre(
  deps: Deps,
  principal: Principal,
  centreId: string,
  input: { reason: string; from: LocalDate },
): Promise<{ centre: AdminCentre; cancelled: number }> {
  requireRole(principal, 'admin');
  const reason = checkReason(input.reason);
  if (!isValidLocalDate(input.from)) throw invalid('INVALID_DATE', 'from must be a date (YYYY-MM-DD).', 'from');
  const actor = actorOf(principal);
  const centre = await deps.store.runInTransaction(async (tx) => {
    const found = await tx.getCentre(centreId);
    if (!found) throw notFound('CENTRE_NOT_FOUND', 'There is no such centre.', 'centreId');
    if (centreStatus(found) === 'closed') return found;
    const now = deps.clock.now();
    if (input.from < localToday(now, found.timeZone)) {
      throw invalid('DATE_IN_PAST', 'from must be today or a later date.', 'from');
    }
    const updated: Centre = {
      ...found,
      status: 'closed',
      closedFrom: input.from,
      statusChange: { to: 'closed', reason, at: now.toISOString(), by: actor },
    };
    tx.putCentre(updated);
    audit(deps, tx, actor, null, 'close-centre', `${centreId} from ${input.from}: ${reason}`);
    return updated;
  });
  const cancelled = await cancelFromClosing(deps, centre, actor);
  await deps.store.runInTransaction(async (tx) => {
    const key = closedKey(centreId);
    if (await tx.getIdempotency(key)) return;
    const now = deps.clock.now();
    const from = centre.closedFrom ?? input.from;
    tx.putIdempotency({ key, requestHash: 'centre-closed', response: { from }, createdAt: now.toISOString() });
    tx.addEvent(
      makeEvent(deps.ids.next('evt'), 'centre.closed', now, actor, centreId, {
        centreId,
        from,
        reason: centre.statusChange?.reason ?? reason,
        cancelled,
      }),
    );
  });
  return { centre: withStatus(centre), cancelled };
}

/**
 * Publishes a closed centre's days from its closing date (or today) through the last one published:
 * with no slot planned, each booked visit there is cancelled (`day_cancelled`), one day per unit.
 */
async function cancelFromClosing(deps: Deps, centre: Centre, actor: Actor): Promise<number> {
  const today = localToday(deps.clock.now(), centre.timeZone);
  const from = centre.closedFrom && centre.closedFrom > today ? centre.closedFrom : today;
  const horizon = addDays(today, deps.settings.slotHorizonDays);
  const through = await deps.store.getPublishedThrough(centre.id);
  const last = through && through > horizon ? through : horizon;
  const reason = centre.statusChange?.reason ?? 'The centre is closed.';
  let cancelled = 0;
  for (let date = from; date <= last; date = addDays(date, 1)) {
    const day = await publishSlotsForDay(deps, centre.id, date, actor, reason, 'day_cancelled');
    cancelled += day.cancelled.length;
  }
  return cancelled;
}

/**
 * An administrator adds a manager or staff member to a centre, as its manager may: the sign-in first
 * (staffAccounts.provision), then the record, an audit record and `staff.added`. A closed centre
 * takes no new people.
 */
export async function inviteStaff(
  deps: Deps,
  principal: Principal,
  centreId: string,
  input: NewStaffMember,
): Promise<{ member: StaffMember }> {
  requireRole(principal, 'admin');
  const centre = await deps.store.getCentre(centreId);
  if (!centre) throw notFound('CENTRE_NOT_FOUND', 'There is no such centre.', 'centreId');
  if (centreStatus(centre) === 'closed') throw centreClosed();
  const actor = actorOf(principal);
  const member = await enrolStaffMember(deps, principal, centreId, input, (tx) =>
    audit(deps, tx, actor, null, 'invite-staff', `${centreId}: ${input.role}`),
  );
  return { member };
}
