import { evaluateEligibility, ruleMatches } from '../eligibility.ts';
import { conflict, invalid, notFound } from '../errors.ts';
import { makeEvent } from '../events.ts';
import type { EligibilityRule, Patient } from '../model.ts';
import type { Transaction } from '../ports.ts';
import { actorOf, type Principal, requireRole } from '../principal.ts';
import { addDays, localToday } from '../time-zone.ts';
import {
  admissionsFor,
  admitThrough,
  type BookingMeter,
  type Measured,
  markBooked,
  newRoom,
  newTicket,
  placeLater,
  type QueueRoom,
  type QueueTicket,
  type QueueView,
  type RoomPlan,
  readTicket,
  roomInForce,
  roomPlans,
  shuffleRoom,
  signTicket,
  ticketAt,
  ticketLetsIn,
  viewTicket,
  type WaitingRoomDeps,
} from '../waiting-room.ts';
import { audit, type Deps } from './deps.ts';
import { requireLookUp, requirePatientAccess } from './patient-access.ts';

/** Tickets written per unit of work when many change at once (the shuffle, an admission). */
const TICKETS_PER_UNIT = 400;

/** How often the tick counts the free places a room shows, and over how many days from today. */
const FREE_PLACES_EVERY_MS = 30_000;
const FREE_PLACES_DAYS = 28;

const SYSTEM = { role: 'system', id: 'waiting-room' } as const;

function queueDeps(deps: Deps): WaitingRoomDeps {
  if (!deps.queue) throw new Error('The waiting room needs a ticket signer, which this runtime is not given.');
  return deps.queue;
}

/**
 * The room a person must pass through now, or null: a room in force for a rule that matches them,
 * while no rule outside the rooms in force lets them book already.
 */
async function roomOfPerson(
  deps: Deps,
  read: { getQueueRoom(id: string): Promise<QueueRoom | null> },
  person: Pick<Patient, 'birthDate' | 'groups'>,
  rules: readonly EligibilityRule[],
  now: Date,
): Promise<{ plan: RoomPlan; room: QueueRoom | null } | null> {
  if (!deps.queue) return null;
  const at = now.toISOString();
  const inForce: Array<{ plan: RoomPlan; room: QueueRoom | null }> = [];
  for (const plan of roomPlans(rules, deps.settings)) {
    if (!roomInForce(plan, null, at)) continue;
    const room = await read.getQueueRoom(plan.id);
    if (roomInForce(plan, room, at)) inForce.push({ plan, room });
  }
  if (inForce.length === 0) return null;
  const roomIds = new Set(inForce.map((r) => r.plan.id));
  const outside = rules.filter((rule) => !roomIds.has(rule.id));
  const today = localToday(now, deps.settings.timeZone);
  if (evaluateEligibility(person, outside, today, { now: at }).eligible) return null;
  return inForce.find((r) => rules.some((rule) => rule.id === r.plan.id && ruleMatches(person, rule))) ?? null;
}

function viewOf(deps: Deps, room: QueueRoom, ticket: QueueTicket, now: Date): QueueView {
  const { signer } = queueDeps(deps);
  const signed =
    signer.signs === false
      ? ''
      : signTicket(signer, { roomId: ticket.roomId, patientId: ticket.patientId, position: ticket.position });
  return viewTicket({ room, ticket, now: now.toISOString(), freePlaces: room.freePlaces ?? null, signed });
}

async function readPatient(tx: Transaction, patientId: string): Promise<Patient> {
  const patient = await tx.getPatient(patientId);
  if (!patient) throw notFound('PATIENT_NOT_FOUND', 'There is no such patient.', 'patientId');
  return patient;
}

/**
 * Takes a person into the waiting room of their opening: one ticket per room and person, so a second
 * join (another browser, the hotline) answers the same ticket. Early arrivals draw a random key for the
 * shuffle at the opening; later ones take the next arrival number.
 */
export async function joinQueue(
  deps: Deps,
  principal: Principal,
  patientId: string,
  reason?: string,
): Promise<{ queue: QueueView; created: boolean }> {
  requireRole(principal, 'patient', 'agent');
  const why = requirePatientAccess(principal, patientId, reason);
  const q = queueDeps(deps);
  const now = deps.clock.now();
  return deps.store.runInTransaction(async (tx) => {
    await requireLookUp(deps, tx, principal, patientId);
    const patient = await readPatient(tx, patientId);
    const found = await roomOfPerson(deps, tx, patient, await tx.listEligibilityRules(), now);
    if (!found) throw conflict('NO_QUEUE', 'No waiting room is open for this person: they may search and book.');
    const existing = await tx.getQueueTicket(found.plan.id, patientId);
    const room = found.room ?? newRoom(found.plan);
    if (existing) return { queue: viewOf(deps, room, existing, now), created: false };
    const at = now.toISOString();
    const early = !room.shuffled && at < room.opensAt;
    const sequence = early ? null : await tx.takeQueueSequence(room.id);
    const ticket = newTicket({ room, patientId, now: at, settings: deps.settings, random: q.random, sequence });
    tx.putQueueTicket(ticket);
    if (principal.role !== 'patient') audit(deps, tx, actorOf(principal), patientId, 'queue-join', why);
    tx.addEvent(
      makeEvent(deps.ids.next('evt'), 'queue.joined', now, actorOf(principal), patientId, {
        roomId: room.id,
        patientId,
        early,
      }),
    );
    return { queue: viewOf(deps, room, ticket, now), created: true };
  });
}

/** What reading a person's place needs: a unit of work's reads, or the store's own. */
type PlaceReader = Pick<Transaction, 'getPatient' | 'listEligibilityRules' | 'getQueueRoom' | 'getQueueTicket'>;

async function readPlace(deps: Deps, read: PlaceReader, patientId: string, now: Date) {
  const patient = await read.getPatient(patientId);
  if (!patient) throw notFound('PATIENT_NOT_FOUND', 'There is no such patient.', 'patientId');
  const found = await roomOfPerson(deps, read, patient, await read.listEligibilityRules(), now);
  if (!found) return null;
  return { room: found.room ?? newRoom(found.plan), ticket: await read.getQueueTicket(found.plan.id, patientId) };
}

/** A person's place in their waiting room, or null when no room gates them now. */
export async function queueState(
  deps: Deps,
  principal: Principal,
  patientId: string,
  reason?: string,
): Promise<{ queue: QueueView | null }> {
  requireRole(principal, 'patient', 'agent');
  const why = requirePatientAccess(principal, patientId, reason);
  const now = deps.clock.now();
  if (principal.role === 'patient') {
    // A person asking for their own place only reads: outside a unit of work, so that a crowd of
    // waiting pages does not queue with the bookings for the store's one writer.
    const place = await readPlace(deps, deps.store, patientId, now);
    return { queue: place?.ticket ? viewOf(deps, place.room, place.ticket, now) : null };
  }
  return deps.store.runInTransaction(async (tx) => {
    await requireLookUp(deps, tx, principal, patientId);
    const place = await readPlace(deps, tx, patientId, now);
    if (!place) return { queue: null };
    audit(deps, tx, actorOf(principal), patientId, 'queue-read', why);
    return { queue: place.ticket ? viewOf(deps, place.room, place.ticket, now) : null };
  });
}

/** Asks for (or stops) a text message when the person's turn comes, instead of keeping a tab open. */
export async function queueSms(
  deps: Deps,
  principal: Principal,
  patientId: string,
  notify: boolean,
  reason?: string,
): Promise<{ queue: QueueView }> {
  requireRole(principal, 'patient', 'agent');
  const why = requirePatientAccess(principal, patientId, reason);
  const now = deps.clock.now();
  return deps.store.runInTransaction(async (tx) => {
    await requireLookUp(deps, tx, principal, patientId);
    const patient = await readPatient(tx, patientId);
    const found = await roomOfPerson(deps, tx, patient, await tx.listEligibilityRules(), now);
    const ticket = found ? await tx.getQueueTicket(found.plan.id, patientId) : null;
    if (!found || !ticket) throw conflict('NOT_IN_QUEUE', 'Join the waiting room first.');
    if (notify && !patient.phone)
      throw invalid('PHONE_REQUIRED', 'Give a mobile number first: the message goes to it.', 'notify');
    const changed = { ...ticket, smsWhenTurn: notify };
    tx.putQueueTicket(changed);
    if (principal.role !== 'patient') audit(deps, tx, actorOf(principal), patientId, 'queue-sms', why);
    return { queue: viewOf(deps, found.room ?? newRoom(found.plan), changed, now) };
  });
}

/** What the gate let through: the room and ticket a booking uses up, or null when no room gates the person. */
export type QueuePass = { roomId: string; patientId: string } | null;

/**
 * The gate in front of search and booking for patients: a person whose only way in is a room in force
 * passes only with an admitted ticket still within its time; others get 409 `QUEUE_REQUIRED` with their
 * place in line. A signed ticket given in `Queue-Ticket` must be theirs and unaltered.
 */
export async function passQueue(
  deps: Deps,
  principal: Principal | null,
  patientId: string,
  signedTicket?: string,
): Promise<QueuePass> {
  if (!deps.queue || principal?.role !== 'patient') return null;
  const now = deps.clock.now();
  const patient = await deps.store.getPatient(patientId);
  if (!patient) return null;
  const found = await roomOfPerson(deps, deps.store, patient, await deps.store.listEligibilityRules(), now);
  if (!found) return null;
  if (signedTicket !== undefined) {
    const claims = readTicket(deps.queue.signer, signedTicket);
    if (!claims || claims.patientId !== patientId || claims.roomId !== found.plan.id)
      throw invalid('QUEUE_TICKET_INVALID', 'This queue ticket is not valid for this person.', 'Queue-Ticket');
  }
  const ticket = await deps.store.getQueueTicket(found.plan.id, patientId);
  if (ticket && ticketLetsIn(ticket, now.toISOString())) return { roomId: found.plan.id, patientId };
  const room = found.room ?? newRoom(found.plan);
  throw conflict(
    'QUEUE_REQUIRED',
    'Booking for your group opens through the waiting room: join it and wait for your turn.',
    { queue: ticket ? viewOf(deps, room, ticket, now) : null },
  );
}

/** Marks an admitted ticket used once its holder booked, so the place is not counted as waiting. */
export async function useQueuePass(deps: Deps, pass: QueuePass): Promise<void> {
  if (!pass) return;
  await deps.store.runInTransaction(async (tx) => {
    const ticket = await tx.getQueueTicket(pass.roomId, pass.patientId);
    if (ticket?.status === 'admitted') tx.putQueueTicket(markBooked(ticket));
  });
}

/** What one admission tick did in a room. */
export interface TickReport {
  roomId: string;
  shuffled: number;
  admitted: number;
  expired: number;
}

/**
 * One tick of the waiting rooms (every second locally, by a scheduled function in the cloud): in each
 * room in force, the shuffle at the opening (once), later arrivals placed, admissions that ran out
 * expired, the free places it shows counted again (every 30 s at most), and as many more positions
 * admitted as the controller allows from what was measured.
 */
export async function admissionTick(deps: Deps, meter: BookingMeter): Promise<TickReport[]> {
  if (!deps.queue) return [];
  const now = deps.clock.now();
  const at = now.toISOString();
  const reports: TickReport[] = [];
  for (const plan of roomPlans(await deps.store.listEligibilityRules(), deps.settings)) {
    if (!roomInForce(plan, null, at) || at < plan.opensAt) continue;
    let room = (await deps.store.getQueueRoom(plan.id)) ?? newRoom(plan);
    if (room.closedAt) continue;
    const report: TickReport = { roomId: plan.id, shuffled: 0, admitted: 0, expired: 0 };
    if (!room.shuffled) {
      room = await shuffleAtOpening(deps, room);
      report.shuffled = room.earlyCount;
    } else {
      await placeStragglers(deps, room);
    }
    report.expired = await expireAdmissions(deps, room, now);
    room = await countFreePlaces(deps, room, now);
    report.admitted = await admitMore(deps, room, await meter.measure(now), now);
    reports.push(report);
  }
  return reports;
}

async function unplaced(deps: Deps, roomId: string): Promise<QueueTicket[]> {
  return deps.store.listUnplacedQueueTickets(roomId, 1_000_000);
}

async function writeTickets(deps: Deps, tickets: readonly QueueTicket[], room?: QueueRoom): Promise<void> {
  if (room) await deps.store.runInTransaction(async (tx) => tx.putQueueRoom(room));
  for (let i = 0; i < tickets.length; i += TICKETS_PER_UNIT) {
    const chunk = tickets.slice(i, i + TICKETS_PER_UNIT);
    await deps.store.runInTransaction(async (tx) => {
      for (const ticket of chunk) tx.putQueueTicket(ticket);
    });
  }
}

/** The shuffle, once: the room is marked first, so a join from then on takes an arrival number. */
async function shuffleAtOpening(deps: Deps, room: QueueRoom): Promise<QueueRoom> {
  const waiting = await unplaced(deps, room.id);
  const early = waiting.filter((t) => t.sequence === null);
  const later = waiting.filter((t) => t.sequence !== null);
  const shuffled = shuffleRoom(room, early, later);
  await writeTickets(deps, shuffled.tickets, shuffled.room);
  return shuffled.room;
}

/**
 * Tickets written without a position after the shuffle: later arrivals who joined while it ran, and an
 * early arrival whose join committed just after it (it counts as a later arrival).
 */
async function placeStragglers(deps: Deps, room: QueueRoom): Promise<void> {
  for (const ticket of await unplaced(deps, room.id)) {
    await deps.store.runInTransaction(async (tx) => {
      const current = await tx.getQueueTicket(ticket.roomId, ticket.patientId);
      if (!current || current.position !== null) return;
      const sequence = current.sequence ?? (await tx.takeQueueSequence(room.id));
      tx.putQueueTicket(placeLater(room, { ...current, sequence }));
    });
  }
}

async function expireAdmissions(deps: Deps, room: QueueRoom, now: Date): Promise<number> {
  const at = now.toISOString();
  const due = await deps.store.listExpiredQueueTickets(room.id, at, TICKETS_PER_UNIT);
  if (due.length === 0) return 0;
  await deps.store.runInTransaction(async (tx) => {
    for (const ticket of due) tx.putQueueTicket(ticketAt(ticket, at));
    tx.addEvent(
      makeEvent(deps.ids.next('evt'), 'queue.expired', now, SYSTEM, room.id, {
        roomId: room.id,
        count: due.length,
        positions: due.map((t) => t.position ?? 0),
      }),
    );
  });
  return due.length;
}

/**
 * The room with the free places of the next four weeks counted again when the last count is 30 s old
 * or more; one sum over the read model, shared by everyone waiting, whatever the number of polls.
 */
async function countFreePlaces(deps: Deps, room: QueueRoom, now: Date): Promise<QueueRoom> {
  if (room.freePlacesAt && now.getTime() - Date.parse(room.freePlacesAt) < FREE_PLACES_EVERY_MS) return room;
  const today = localToday(now, deps.settings.timeZone);
  const freePlaces = await deps.store.countFreePlaces(today, addDays(today, FREE_PLACES_DAYS - 1));
  return { ...room, freePlaces, freePlacesAt: now.toISOString() };
}

async function admitMore(deps: Deps, room: QueueRoom, measured: Measured, now: Date): Promise<number> {
  const at = now.toISOString();
  const { admit, state } = admissionsFor(measured, room.control, at);
  const last = room.earlyCount + (await deps.store.lastQueueSequence(room.id));
  const through = Math.min(room.admittedThrough + admit, last);
  const tickets =
    through > room.admittedThrough
      ? await deps.store.listQueueTicketsByPosition(room.id, room.admittedThrough + 1, through)
      : [];
  const step = admitThrough(room, tickets, through, at, deps.settings);
  const after = { ...step.room, control: state };
  await writeTickets(deps, step.admitted);
  await deps.store.runInTransaction(async (tx) => {
    tx.putQueueRoom(after);
    if (through > room.admittedThrough)
      tx.addEvent(
        makeEvent(deps.ids.next('evt'), 'queue.admitted', now, SYSTEM, room.id, {
          roomId: room.id,
          from: room.admittedThrough + 1,
          through,
          count: step.admitted.length,
        }),
      );
  });
  return step.admitted.length;
}
