import type { CentreDirectory } from '../centre-directory.ts';
import { conflict, DomainError, forbidden, invalid, notFound } from '../errors.ts';
import { type DomainEvent, makeEvent, type StandbyEntryFacts, type StandbyOfferFacts } from '../events.ts';
import { parsePostalCode } from '../geo.ts';
import { isQuietTime } from '../messages/quiet-hours.ts';
import type { Actor, Appointment, Centre, Instant, Patient, Slot, UnverifiedBooking } from '../model.ts';
import type { EventConsumer, Transaction } from '../ports.ts';
import { actorOf, isCentrePrincipal, type Principal, requireCentreAccess, requireRole } from '../principal.ts';
import {
  afterPassing,
  compareRanks,
  isOnStandby,
  matchesPlace,
  offerRank,
  type StandbyChannel,
  type StandbyEntry,
  type StandbyOffer,
  type StandbyOfferView,
  type StandbyPlace,
  type StandbyReason,
  type StandbyVacancy,
  type StandbyView,
  type StandbyWishes,
  visitToBringForward,
  type WouldBeWastedResult,
} from '../standby.ts';
import { addDays, daysBetween, localToday, toInstant, toLocalStart } from '../time-zone.ts';
import { planNextDose } from '../vaccines.ts';
import { newReference, planBooking, writeBooking } from './book-appointment.ts';
import { type AppointmentView, audit, type Deps } from './deps.ts';
import { moveAppointment, planMove, viewAppointments } from './manage-appointments.ts';
import { requireLookUp, requirePatientAccess } from './patient-access.ts';
import { eligibilityNow } from './patient-eligibility.ts';

/** Who makes offers, hands them over and lets them lapse. */
const MATCHER: Actor = { role: 'system', id: 'standby' };

/** How many of a person's offers their view lists. */
const OFFERS_SHOWN = 10;
/** Entries read at a time while looking for the people a place goes to. */
const ENTRY_PAGE = 500;
/**
 * The first page a hand-over reads: it needs the next person or few after the holder, so it starts small
 * and doubles up to ENTRY_PAGE (a storm of lapses otherwise reads 500 entries for each place it passes on).
 */
const HANDOVER_FIRST_PAGE = 8;
/** People tried for one hand-over before the place goes back to search. */
const HANDOVER_TRIES = 50;

/** What a person asks of the list: the places they would take. */
export interface StandbyInput {
  from: string;
  to: string;
  postalCode: string;
  maxKm: number;
  vaccineIds?: string[] | null | undefined;
  reason?: string | undefined;
}

const entryFacts = (entry: StandbyEntry): StandbyEntryFacts => ({
  patientId: entry.patientId,
  sequence: entry.sequence,
  channel: entry.channel,
  dose: entry.dose,
  from: entry.wishes.from,
  to: entry.wishes.to,
  maxKm: entry.wishes.maxKm,
  vaccineIds: entry.wishes.vaccineIds,
});

const offerFacts = (offer: StandbyOffer, dose: number): StandbyOfferFacts => ({
  offerId: offer.id,
  patientId: offer.patientId,
  slotId: offer.slotId,
  centreId: offer.centreId,
  vaccineId: offer.vaccineId,
  start: offer.start,
  localDate: offer.localDate,
  dose,
  placeReason: offer.reason,
});

/** Checks the wishes a person gives, naming the field of the first one wrong. */
function checkedWishes(deps: Deps, input: StandbyInput, now: Date): Omit<StandbyWishes, 'postalCode'> {
  const today = localToday(now, deps.settings.timeZone);
  const settings = deps.settings.standby;
  if (input.to < input.from) throw invalid('DATES_REVERSED', 'The last date comes before the first.', 'to');
  if (input.to < today) throw invalid('DATES_PAST', 'The last date has passed.', 'to');
  if (daysBetween(input.from, input.to) > settings.maxDays) {
    throw invalid('DATES_TOO_FAR_APART', `Give at most ${settings.maxDays} days between the dates.`, 'to');
  }
  if (input.maxKm > settings.maxKm) {
    throw invalid('TOO_FAR', `Give at most ${settings.maxKm} km.`, 'maxKm');
  }
  const vaccineIds = input.vaccineIds ?? null;
  for (const id of vaccineIds ?? []) {
    if (!deps.vaccines.some((v) => v.id === id)) {
      throw invalid('UNKNOWN_VACCINE', `There is no vaccine with id "${id}".`, 'vaccineIds');
    }
  }
  const from = input.from.localeCompare(today) < 0 ? today : input.from;
  return { from, to: input.to, maxKm: input.maxKm, vaccineIds };
}

/** Where a postal code lies, or a 400 naming the field. */
async function locate(directory: CentreDirectory, text: string) {
  const postalCode = parsePostalCode(text);
  const place = await directory.locate(postalCode);
  if (!place) {
    throw invalid('UNKNOWN_POSTAL_CODE', `Postal code ${postalCode} is not known.`, 'postalCode');
  }
  return { postalCode, position: { lat: place.location.lat, lon: place.location.lon } };
}

/**
 * Inside a transaction: what dose an entry is for, from the person's visits — the soonest booked one
 * (to bring it forward), or the course's next dose when none is booked (a first dose only when the
 * person may book today).
 */
async function doseFor(
  deps: Deps,
  tx: Transaction,
  patient: Patient,
  now: Date,
): Promise<{ dose: number; appointmentId: string | null }> {
  const history = await tx.listAppointmentsOfPatient(patient.id);
  const rules = await tx.listEligibilityRules();
  const visit = visitToBringForward(history);
  if (visit) return { dose: visit.dose, appointmentId: visit.id };
  const next = planNextDose(history, deps.vaccines);
  if (next.dose === 1) {
    const eligibility = eligibilityNow(deps, patient, rules, { now });
    if (!eligibility.eligible) {
      throw new DomainError('forbidden', eligibility.code, eligibility.message, {
        details: { eligibleFrom: eligibility.eligibleFrom },
      });
    }
  }
  return { dose: next.dose, appointmentId: null };
}

/** What a join by any channel writes, once the person is known and allowed. */
export interface JoinRequest {
  patientId: string;
  channel: StandbyChannel;
  wishes: StandbyWishes;
  position: StandbyEntry['position'];
  /** Where offers are texted: the person's own phone, or the phone that joined by text. */
  phone: string | null;
  actor: Actor;
  /** Why someone other than the person acts (audited); null for the person themselves. */
  audited: string | null;
  principal: Principal;
}

/**
 * Inside a transaction: writes a person's entry. On the list already, their wishes change and their place
 * in line stays; otherwise they take the next number (at the end of the line).
 */
async function writeJoin(deps: Deps, tx: Transaction, request: JoinRequest, now: Date): Promise<StandbyEntry> {
  await requireLookUp(deps, tx, request.principal, request.patientId);
  const patient = await tx.getPatient(request.patientId);
  if (!patient) throw notFound('PATIENT_NOT_FOUND', 'There is no such patient.', 'patientId');
  const existing = await tx.getStandbyEntry(patient.id);
  const { dose, appointmentId } = await doseFor(deps, tx, patient, now);
  const at = now.toISOString();
  const staying = existing !== null && isOnStandby(existing);
  const sequence = staying ? existing.sequence : await tx.takeStandbySequence();
  const entry: StandbyEntry = {
    patientId: patient.id,
    sequence,
    joinedAt: staying ? existing.joinedAt : at,
    channel: staying ? existing.channel : request.channel,
    wishes: request.wishes,
    position: request.position,
    dose,
    appointmentId,
    phone: request.phone,
    language: patient.language,
    status: staying ? existing.status : 'waiting',
    offerId: staying ? existing.offerId : null,
    silentOffers: staying ? existing.silentOffers : 0,
    updatedAt: at,
  };
  tx.putStandbyEntry(entry);
  const type = staying ? 'standby.changed' : 'standby.joined';
  tx.addEvent(makeEvent(deps.ids.next('evt'), type, now, request.actor, patient.id, entryFacts(entry)));
  if (request.audited !== null) audit(deps, tx, request.actor, patient.id, 'standby-join', request.audited);
  return entry;
}

/**
 * Puts a person on the standby list, or changes what places they would take (their place in line kept).
 * Patients join for themselves; an agent joins a caller looked up (audited). Offers are texted to the
 * person's own phone when they have one.
 */
export async function joinStandby(
  deps: Deps,
  directory: CentreDirectory,
  principal: Principal,
  patientId: string,
  input: StandbyInput,
): Promise<StandbyView> {
  requireRole(principal, 'patient', 'agent');
  const why = requirePatientAccess(principal, patientId, input.reason);
  const now = deps.clock.now();
  const wishes = checkedWishes(deps, input, now);
  const { postalCode, position } = await locate(directory, input.postalCode);
  await deps.store.runInTransaction(async (tx) => {
    const patient = await tx.getPatient(patientId);
    return writeJoin(
      deps,
      tx,
      {
        patientId,
        channel: principal.role === 'agent' ? 'phone' : 'web',
        wishes: { ...wishes, postalCode },
        position,
        phone: patient?.phone ?? null,
        actor: actorOf(principal),
        audited: principal.role === 'agent' ? why : null,
        principal,
      },
      deps.clock.now(),
    );
  });
  return viewStandby(deps, patientId);
}

/**
 * A join by text message (`REZERWA <PESEL> <postal code>`), as trusted as a booking by text: the caller
 * (sms-booking.ts) has counted the PESEL against the phone, audited the look-up and judged eligibility;
 * the phone is where offers go, and what the person takes is booked as made by that phone.
 */
export async function joinStandbyByText(
  deps: Deps,
  directory: CentreDirectory,
  input: { patientId: string; phone: string; postalCode: string; from: string; to: string; maxKm: number },
): Promise<StandbyEntry> {
  const { postalCode, position } = await locate(directory, input.postalCode);
  const actor: Actor = { role: 'sms', id: input.phone };
  return deps.store.runInTransaction((tx) =>
    writeJoin(
      deps,
      tx,
      {
        patientId: input.patientId,
        channel: 'sms',
        wishes: { from: input.from, to: input.to, postalCode, maxKm: input.maxKm, vaccineIds: null },
        position,
        phone: input.phone,
        actor,
        audited: 'standby by text message',
        principal: { role: 'patient', patientId: input.patientId },
      },
      deps.clock.now(),
    ),
  );
}

/** A person's standby entry, people ahead, the offer open now and the latest ones. */
export async function standbyState(
  deps: Deps,
  principal: Principal,
  patientId: string,
  reason?: string,
): Promise<StandbyView> {
  requireRole(principal, 'patient', 'agent');
  const why = requirePatientAccess(principal, patientId, reason);
  await deps.store.runInTransaction(async (tx) => {
    await requireLookUp(deps, tx, principal, patientId);
    audit(deps, tx, actorOf(principal), patientId, 'standby-read', why);
  });
  return viewStandby(deps, patientId);
}

/** Builds a person's view of the list from the store (no access check). */
export async function viewStandby(deps: Deps, patientId: string): Promise<StandbyView> {
  const entry = await deps.store.getStandbyEntry(patientId);
  const offers = entry ? await deps.store.listStandbyOffersOfPatient(patientId, OFFERS_SHOWN) : [];
  const centres = new Map<string, Centre>();
  for (const offer of offers) {
    if (centres.has(offer.centreId)) continue;
    const centre = await deps.store.getCentre(offer.centreId);
    if (centre) centres.set(centre.id, centre);
  }
  const views = offers.flatMap((offer) => {
    const centre = centres.get(offer.centreId);
    return centre ? [viewOffer(offer, centre, entry?.dose ?? 1)] : [];
  });
  const ahead = entry && isOnStandby(entry) ? await deps.store.countStandbyAhead(entry.sequence) : null;
  return {
    entry: entry
      ? {
          status: entry.status,
          joinedAt: entry.joinedAt,
          channel: entry.channel,
          wishes: entry.wishes,
          dose: entry.dose,
          appointmentId: entry.appointmentId,
          texted: entry.phone !== null,
          silentOffers: entry.silentOffers,
        }
      : null,
    ahead,
    offer: views.find((o) => o.status === 'open' && o.id === entry?.offerId) ?? null,
    offers: views,
    holdMinutes: deps.settings.standby.holdMinutes,
  };
}

function viewOffer(offer: StandbyOffer, centre: Centre, dose: number): StandbyOfferView {
  return {
    id: offer.id,
    slotId: offer.slotId,
    centre: {
      id: centre.id,
      name: centre.name,
      street: centre.address.street,
      city: centre.address.city,
      timeZone: centre.timeZone,
    },
    vaccineId: offer.vaccineId,
    dose,
    start: offer.start,
    localStart: toLocalStart(offer.start, centre.timeZone),
    reason: offer.reason,
    offeredAt: offer.offeredAt,
    expiresAt: offer.expiresAt,
    status: offer.status,
    appointmentId: offer.appointmentId,
  };
}

/** Takes a person off the list; an offer they hold passes to the next person. */
export async function leaveStandby(
  deps: Deps,
  principal: Principal,
  patientId: string,
  reason?: string,
): Promise<StandbyView> {
  requireRole(principal, 'patient', 'agent');
  const why = requirePatientAccess(principal, patientId, reason);
  const actor = actorOf(principal);
  const open = await deps.store.runInTransaction(async (tx) => {
    await requireLookUp(deps, tx, principal, patientId);
    const entry = await tx.getStandbyEntry(patientId);
    if (!entry || !isOnStandby(entry)) throw conflict('NOT_ON_STANDBY', 'This person is not on the standby list.');
    audit(deps, tx, actor, patientId, 'standby-leave', why);
    return entry.offerId;
  });
  if (open) await passOffer(deps, open, 'declined', actor);
  await endEntry(deps, patientId, 'left', actor);
  return viewStandby(deps, patientId);
}

/** Ends an entry still on the list (left, or booked another way); nothing when it is not. */
async function endEntry(
  deps: Deps,
  patientId: string,
  cause: 'left' | 'booked_elsewhere' | 'visit_cancelled',
  actor: Actor,
): Promise<void> {
  await deps.store.runInTransaction(async (tx) => {
    const entry = await tx.getStandbyEntry(patientId);
    if (entry?.status !== 'waiting') return;
    const now = deps.clock.now();
    tx.putStandbyEntry({ ...entry, status: 'left', offerId: null, updatedAt: now.toISOString() });
    tx.addEvent(
      makeEvent(deps.ids.next('evt'), 'standby.left', now, actor, patientId, {
        patientId,
        sequence: entry.sequence,
        cause,
      }),
    );
  });
}

/** An offer the caller may answer: the person's own, still open. */
async function answerable(
  deps: Deps,
  tx: Transaction,
  principal: Principal,
  patientId: string,
  offerId: string,
): Promise<StandbyOffer> {
  await requireLookUp(deps, tx, principal, patientId);
  const offer = await tx.getStandbyOffer(offerId);
  if (!offer || offer.patientId !== patientId) throw notFound('OFFER_NOT_FOUND', 'There is no such offer.', 'offerId');
  if (offer.status !== 'open' || offer.expiresAt <= deps.clock.now().toISOString()) {
    throw conflict('OFFER_CLOSED', 'This place is no longer held for you.', { status: offer.status });
  }
  return offer;
}

/**
 * Takes the place offered: it becomes the person's visit — the booked visit of that dose moves to it
 * (the next dose with it when it would fall out of interval), or, with none booked, the course is booked
 * from it as a booking would. The hold already counts in the slot, so the place is not counted twice.
 */
export async function takeStandbyOffer(
  deps: Deps,
  principal: Principal,
  input: { patientId: string; offerId: string; reason?: string | undefined },
): Promise<{ standby: StandbyView; appointments: AppointmentView[] }> {
  requireRole(principal, 'patient', 'agent');
  const why = requirePatientAccess(principal, input.patientId, input.reason);
  const actor = actorOf(principal);
  const appointments = await deps.store.runInTransaction(async (tx) => {
    const offer = await answerable(deps, tx, principal, input.patientId, input.offerId);
    const taken = await writeTake(deps, tx, offer, actor, null);
    audit(deps, tx, actor, input.patientId, 'standby-take', why);
    return taken;
  });
  return {
    standby: await viewStandby(deps, input.patientId),
    appointments: await viewAppointments(deps, appointments),
  };
}

/** Inside a transaction: turns an open offer into the person's visit (see takeStandbyOffer). */
async function writeTake(
  deps: Deps,
  tx: Transaction,
  offer: StandbyOffer,
  actor: Actor,
  unverified: UnverifiedBooking | null,
): Promise<Appointment[]> {
  const now = deps.clock.now();
  const entry = await tx.getStandbyEntry(offer.patientId);
  const slot = await tx.getSlot(offer.slotId);
  if (!entry || entry.offerId !== offer.id || !slot) {
    throw conflict('OFFER_CLOSED', 'This place is no longer held for you.', { status: offer.status });
  }
  // The place is the person's already: counted free for them alone.
  const held: Slot = { ...slot, booked: Math.max(0, slot.booked - 1) };
  const fit = await fitFor(deps, tx, entry, held, now);
  if (!fit.ok) throw fit.error;
  let appointments: Appointment[];
  if (fit.kind === 'move') {
    appointments = fit.moves.map((move) => moveAppointment(deps, tx, move, actor, now));
  } else {
    const reference = await newReference(deps, tx);
    appointments = writeBooking(deps, tx, { plan: fit.plan, actor, now, reference, unverified }).appointments;
  }
  const at = now.toISOString();
  const taken: StandbyOffer = {
    ...offer,
    status: 'taken',
    decidedAt: at,
    appointmentId: appointments[0]?.id ?? null,
  };
  tx.putStandbyOffer(taken);
  tx.putStandbyEntry({ ...entry, status: 'placed', offerId: null, silentOffers: 0, updatedAt: at });
  tx.addEvent(
    makeEvent(deps.ids.next('evt'), 'standby.taken', now, actor, offer.id, {
      ...offerFacts(offer, entry.dose),
      appointmentIds: appointments.map((a) => a.id),
    }),
  );
  return appointments;
}

/** Takes an offer answered YES by text from the phone it went to; the booking is that phone's. */
export async function takeStandbyOfferByText(deps: Deps, offer: StandbyOffer, phone: string): Promise<Appointment[]> {
  const actor: Actor = { role: 'sms', id: phone };
  return deps.store.runInTransaction(async (tx) => {
    const current = await tx.getStandbyOffer(offer.id);
    if (current?.status !== 'open' || current.expiresAt <= deps.clock.now().toISOString()) {
      throw conflict('OFFER_CLOSED', 'This place is no longer held for you.');
    }
    const patient = await tx.getPatient(offer.patientId);
    const entry = await tx.getStandbyEntry(offer.patientId);
    // Joined by text: the booking is that phone's, as a booking by text is; the person's own phone books as theirs.
    const unverified: UnverifiedBooking | null =
      entry?.channel === 'sms' && patient?.phone !== phone ? { channel: 'sms', phone, language: entry.language } : null;
    const taken = await writeTake(deps, tx, current, actor, unverified);
    audit(deps, tx, actor, offer.patientId, 'standby-take', 'standby by text message');
    return taken;
  });
}

/** Passes on the place offered: it goes to the next person; the person stays on the list. */
export async function passStandbyOffer(
  deps: Deps,
  principal: Principal,
  input: { patientId: string; offerId: string; reason?: string | undefined },
): Promise<{ standby: StandbyView }> {
  requireRole(principal, 'patient', 'agent');
  const why = requirePatientAccess(principal, input.patientId, input.reason);
  const actor = actorOf(principal);
  await deps.store.runInTransaction(async (tx) => {
    await answerable(deps, tx, principal, input.patientId, input.offerId);
    audit(deps, tx, actor, input.patientId, 'standby-pass', why);
  });
  await passOffer(deps, input.offerId, 'declined', actor);
  return { standby: await viewStandby(deps, input.patientId) };
}

/** Whether a person may have a place, checked as taking it will be: the visit's move, or the course's booking. */
type Fit =
  | { ok: true; kind: 'move'; moves: Awaited<ReturnType<typeof planMove>> }
  | { ok: true; kind: 'book'; plan: Awaited<ReturnType<typeof planBooking>> }
  | { ok: false; error: DomainError };

/**
 * Inside a transaction (reads only): whether the entry's person may have a place in `slot` (counted with
 * the place free), by the rules of moving their booked visit or of booking the course — eligibility,
 * product and interval for the dose, age, and the course's next dose bookable; the visit booked must
 * still be the one the entry names.
 */
async function fitFor(deps: Deps, tx: Transaction, entry: StandbyEntry, slot: Slot, now: Date): Promise<Fit> {
  try {
    const history = await tx.listAppointmentsOfPatient(entry.patientId);
    const visit = visitToBringForward(history);
    if ((visit?.id ?? null) !== entry.appointmentId) {
      return { ok: false, error: conflict('VISIT_CHANGED', 'The visit this offer would replace has changed.') };
    }
    if (visit) {
      if (slot.start >= visit.start) {
        return { ok: false, error: conflict('NOT_EARLIER', 'This place is not earlier than the visit booked.') };
      }
      return { ok: true, kind: 'move', moves: await planMove(deps, tx, visit, slot, now) };
    }
    const plan = await planBooking(
      deps,
      tx,
      { role: 'patient', patientId: entry.patientId },
      { patientId: entry.patientId, slotId: slot.id, heldSlot: slot },
      now,
    );
    return { ok: true, kind: 'book', plan };
  } catch (error) {
    if (error instanceof DomainError) return { ok: false, error };
    throw error;
  }
}

/** An offer's place as the rules weigh it. */
async function placeOf(
  deps: Deps,
  vacancy: Pick<StandbyVacancy, 'slotId' | 'reason'>,
): Promise<{ place: StandbyPlace; slot: Slot; centre: Centre } | null> {
  const slot = await deps.store.getSlot(vacancy.slotId);
  if (!slot) return null;
  const centre = await deps.store.getCentre(slot.centreId);
  if (!centre) return null;
  return { place: { slot, centre, reason: vacancy.reason }, slot, centre };
}

/** The visit an entry would bring forward, its start (read outside a transaction, to sort out the far ones). */
async function visitStartOf(
  deps: Deps,
  entry: StandbyEntry,
  cache: Map<string, Instant | null>,
): Promise<Instant | null> {
  if (entry.appointmentId === null) return null;
  const known = cache.get(entry.appointmentId);
  if (known !== undefined) return known;
  const visit = await deps.store.getAppointment(entry.appointmentId);
  const start = visit?.status === 'booked' ? visit.start : null;
  cache.set(entry.appointmentId, start);
  return start;
}

/** The people waiting, in joining order, read a page at a time as a run needs them. */
class WaitingLine {
  private readonly entries: StandbyEntry[] = [];
  private after = 0;
  private done = false;
  /** Entries this run gave a place or found wanting: not tried again in the run. */
  readonly used = new Set<string>();
  private readonly deps: Deps;
  /** The next page's size: from the first one asked for, doubling up to ENTRY_PAGE. */
  private page: number;

  constructor(deps: Deps, after = 0, firstPage = ENTRY_PAGE) {
    this.deps = deps;
    this.after = after;
    this.page = firstPage;
  }

  /** The waiting entries from the `i`-th on, reading more when the run has gone through those it has. */
  async at(i: number): Promise<StandbyEntry | null> {
    while (i >= this.entries.length && !this.done) {
      const limit = this.page;
      this.page = Math.min(limit * 2, ENTRY_PAGE);
      const page = await this.deps.store.listStandbyEntries({ status: 'waiting', afterSequence: this.after, limit });
      this.entries.push(...page);
      const last = page.at(-1);
      if (last) this.after = last.sequence;
      if (page.length < limit) this.done = true;
    }
    return this.entries[i] ?? null;
  }

  /** Every waiting entry (for a place that goes first to the people near it). */
  async all(): Promise<StandbyEntry[]> {
    for (let i = this.entries.length; !this.done; i = this.entries.length) await this.at(i);
    return this.entries;
  }
}

/**
 * The people a place could go to, in the order it is offered (`offerRank`), after `after` when the place
 * passes on from someone: matching by what each entry says. A lazy walk: joining order needs only as many
 * entries as it takes; a place that would be wasted reads them all, to put the near ones first.
 */
async function* candidatesFor(
  deps: Deps,
  line: WaitingLine,
  place: StandbyPlace,
  after: readonly [number, number] | null,
  visits: Map<string, Instant | null>,
): AsyncGenerator<StandbyEntry> {
  const reach = deps.settings.standby.wouldBeWastedReachKm;
  const fits = async (entry: StandbyEntry) =>
    !line.used.has(entry.patientId) &&
    (after === null || compareRanks(offerRank(entry, place, reach), after) > 0) &&
    matchesPlace(entry, place, await visitStartOf(deps, entry, visits));
  if (place.reason === 'would_be_wasted') {
    const all = [...(await line.all())].sort((a, b) =>
      compareRanks(offerRank(a, place, reach), offerRank(b, place, reach)),
    );
    for (const entry of all) if (await fits(entry)) yield entry;
    return;
  }
  for (let i = 0; ; i++) {
    const entry = await line.at(i);
    if (!entry) return;
    if (await fits(entry)) yield entry;
  }
}

/** What holding a place for a person came to. */
type Hold = 'held' | 'unfit' | 'busy' | 'gone';

/**
 * One transaction: holds a place of a noted slot for a person — re-reading the slot (room left), the
 * note and the entry (still waiting) — and writes the offer, the entry, the slot's count and the event.
 * With `from`, the place passes on from that offer instead (its hold moves: the count stays), and the
 * offer it passes from is closed in the same transaction.
 */
async function hold(
  deps: Deps,
  entryId: string,
  slotId: string,
  reason: StandbyReason,
  from: { offer: StandbyOffer; how: 'declined' | 'expired'; actor: Actor } | null,
): Promise<Hold> {
  return deps.store.runInTransaction(async (tx): Promise<Hold> => {
    const now = deps.clock.now();
    const at = now.toISOString();
    const slot = await tx.getSlot(slotId);
    const previous = from ? await tx.getStandbyOffer(from.offer.id) : null;
    const previousEntry = from ? await tx.getStandbyEntry(from.offer.patientId) : null;
    const vacancy = from ? null : await tx.getStandbyVacancy(slotId);
    const entry = await tx.getStandbyEntry(entryId);
    if (from && previous?.status !== 'open') return 'gone';
    if (!from && !vacancy) return 'gone';
    if (!slot || slot.start <= at) return 'gone';
    if (!from && slot.booked >= slot.capacity) return 'gone';
    if (entry?.status !== 'waiting') return 'busy';
    const free = from ? { ...slot, booked: Math.max(0, slot.booked - 1) } : slot;
    const fit = await fitFor(deps, tx, entry, free, now);
    if (!fit.ok) return 'unfit';
    const offer: StandbyOffer = {
      id: deps.ids.next('sbo'),
      patientId: entry.patientId,
      slotId: slot.id,
      centreId: slot.centreId,
      vaccineId: slot.vaccineId,
      start: slot.start,
      localDate: slot.localDate,
      reason,
      phone: entry.phone,
      offeredAt: at,
      // Held for the usual time, but never past the place's start.
      expiresAt: new Date(
        Math.min(now.getTime() + deps.settings.standby.holdMinutes * 60_000, Date.parse(slot.start)),
      ).toISOString(),
      status: 'open',
      decidedAt: null,
      appointmentId: null,
    };
    if (from && previous && previousEntry) writePass(deps, tx, previous, previousEntry, from.how, from.actor, now);
    if (!from) tx.putSlot({ ...slot, booked: slot.booked + 1 });
    tx.putStandbyOffer(offer);
    tx.putStandbyEntry({ ...entry, status: 'offered', offerId: offer.id, updatedAt: at });
    tx.addEvent(
      makeEvent(deps.ids.next('evt'), 'standby.offered', now, MATCHER, offer.id, {
        ...offerFacts(offer, entry.dose),
        expiresAt: offer.expiresAt,
        texted: offer.phone !== null,
        handedOverFrom: from ? from.offer.id : null,
      }),
    );
    return 'held';
  });
}

/** Inside a transaction: closes an offer passed (NO, or silence) and puts its person back in line or pauses them. */
function writePass(
  deps: Deps,
  tx: Transaction,
  offer: StandbyOffer,
  entry: StandbyEntry,
  how: 'declined' | 'expired' | 'withdrawn',
  actor: Actor,
  now: Date,
): void {
  const at = now.toISOString();
  tx.putStandbyOffer({ ...offer, status: how, decidedAt: at });
  const facts = offerFacts(offer, entry.dose);
  if (entry.offerId === offer.id) {
    const after =
      how === 'withdrawn'
        ? { ...entry, status: 'waiting' as const, offerId: null, updatedAt: at }
        : afterPassing(entry, how, deps.settings.standby.silentOffersBeforePause, at);
    tx.putStandbyEntry(after);
    if (after.status === 'paused') {
      tx.addEvent(
        makeEvent(deps.ids.next('evt'), 'standby.paused', now, MATCHER, entry.patientId, {
          patientId: entry.patientId,
          sequence: entry.sequence,
          silentOffers: after.silentOffers,
        }),
      );
    }
    if (how === 'expired') {
      tx.addEvent(
        makeEvent(deps.ids.next('evt'), 'standby.expired', now, actor, offer.id, {
          ...facts,
          paused: after.status === 'paused',
        }),
      );
      return;
    }
  } else if (how === 'expired') {
    tx.addEvent(makeEvent(deps.ids.next('evt'), 'standby.expired', now, actor, offer.id, { ...facts, paused: false }));
    return;
  }
  const type = how === 'declined' ? 'standby.declined' : 'standby.withdrawn';
  tx.addEvent(makeEvent(deps.ids.next('evt'), type, now, actor, offer.id, facts));
}

/**
 * An open offer passed (NO), lapsed or withdrawn: its place goes to the next matching person after its
 * holder in the place's order (the hold moves, the slot's count unchanged), or, when nobody matches, back
 * to search (the count released). Each try is one transaction that re-reads the offer, so two runs never
 * pass one offer twice.
 */
export async function passOffer(deps: Deps, offerId: string, how: 'declined' | 'expired', actor: Actor): Promise<void> {
  const offer = await deps.store.getStandbyOffer(offerId);
  if (offer?.status !== 'open') return;
  const found = await placeOf(deps, offer);
  const holder = await deps.store.getStandbyEntry(offer.patientId);
  const now = deps.clock.now();
  if (found && holder && found.slot.start > now.toISOString() && !isQuietTime(now, deps.settings.timeZone)) {
    const after = offerRank(holder, found.place, deps.settings.standby.wouldBeWastedReachKm);
    const line = new WaitingLine(deps, offer.reason === 'would_be_wasted' ? 0 : holder.sequence, HANDOVER_FIRST_PAGE);
    let tries = 0;
    for await (const candidate of candidatesFor(deps, line, found.place, after, new Map())) {
      if (candidate.patientId === offer.patientId || (await phoneBusy(deps, candidate))) continue;
      const result = await hold(deps, candidate.patientId, offer.slotId, offer.reason, { offer, how, actor });
      if (result === 'held' || result === 'gone') return;
      if (++tries >= HANDOVER_TRIES) break;
    }
  }
  await release(deps, offer, how, actor);
}

/** Closes an offer nobody else took: its place goes back to search (or the offer is withdrawn with its slot). */
async function release(deps: Deps, offer: StandbyOffer, how: 'declined' | 'expired', actor: Actor): Promise<void> {
  await deps.store.runInTransaction(async (tx) => {
    const now = deps.clock.now();
    const current = await tx.getStandbyOffer(offer.id);
    const entry = await tx.getStandbyEntry(offer.patientId);
    const slot = await tx.getSlot(offer.slotId);
    if (current?.status !== 'open' || !entry) return;
    if (!slot) {
      writePass(deps, tx, current, entry, 'withdrawn', actor, now);
      return;
    }
    writePass(deps, tx, current, entry, how, actor, now);
    tx.putSlot({ ...slot, booked: Math.max(0, slot.booked - 1) });
    tx.addEvent(
      makeEvent(deps.ids.next('evt'), 'standby.released', now, MATCHER, offer.id, offerFacts(offer, entry.dose)),
    );
  });
}

/** Whether a phone already has an open offer: one phone answers one offer at a time (TAK/NIE must be plain). */
async function phoneBusy(deps: Deps, entry: StandbyEntry): Promise<boolean> {
  if (entry.phone === null) return false;
  return (await deps.store.listOpenStandbyOffersOfPhone(entry.phone)).length > 0;
}

/** What a matcher run did. */
export interface MatcherRun {
  vacancies: number;
  offered: number;
}

/**
 * Offers the noted places: each place to the first matching person in its order (joining order; near ones
 * first for a place that would be wasted), as many people as the slot has free places, each hold its own
 * transaction. A note whose places are all held, or that nobody matches, is dropped (its free places stay
 * in search). Safe to run twice at once: a hold re-reads the slot, the note and the entry. Makes no offer
 * in the quiet hours: the notes wait for the morning.
 */
export async function runStandbyMatcher(deps: Deps, limit = 1000): Promise<MatcherRun> {
  const run: MatcherRun = { vacancies: 0, offered: 0 };
  if (isQuietTime(deps.clock.now(), deps.settings.timeZone)) return run;
  const vacancies = await deps.store.listStandbyVacancies(limit);
  const line = new WaitingLine(deps);
  const visits = new Map<string, Instant | null>();
  for (const vacancy of vacancies) {
    run.vacancies++;
    const found = await placeOf(deps, vacancy);
    let free = found
      ? Math.min(found.slot.capacity - found.slot.booked, vacancy.places ?? Number.POSITIVE_INFINITY)
      : 0;
    if (found && free > 0 && found.slot.start > deps.clock.now().toISOString()) {
      for await (const candidate of candidatesFor(deps, line, found.place, null, visits)) {
        if (await phoneBusy(deps, candidate)) continue;
        const result = await hold(deps, candidate.patientId, vacancy.slotId, vacancy.reason, null);
        if (result === 'gone') break;
        line.used.add(candidate.patientId);
        if (result !== 'held') continue;
        run.offered++;
        if (--free <= 0) break;
      }
    }
    await dropVacancy(deps, vacancy);
  }
  return run;
}

/** Drops a note once the matcher has offered what it could (unless noted again since). */
async function dropVacancy(deps: Deps, vacancy: StandbyVacancy): Promise<void> {
  await deps.store.runInTransaction(async (tx) => {
    const current = await tx.getStandbyVacancy(vacancy.slotId);
    if (current && current.notedAt === vacancy.notedAt) tx.deleteStandbyVacancy(vacancy.slotId);
  });
}

/** Lets the holds past their time lapse, each passing its place on; safe to run twice at once. */
export async function expireStandbyOffers(deps: Deps, limit = 1000): Promise<number> {
  const expired = await deps.store.listExpiredStandbyOffers(deps.clock.now().toISOString(), limit);
  for (const offer of expired) await passOffer(deps, offer.id, 'expired', MATCHER);
  return expired.length;
}

/** Notes a slot's free places for the matcher (one note per slot; a later note replaces it). */
async function noteVacancy(deps: Deps, slotId: string, reason: StandbyReason, actor: Actor): Promise<void> {
  await deps.store.runInTransaction(async (tx) => {
    const now = deps.clock.now();
    const slot = await tx.getSlot(slotId);
    const existing = await tx.getStandbyVacancy(slotId);
    if (!slot || slot.booked >= slot.capacity || slot.start <= now.toISOString()) return;
    // A place that would be wasted keeps its reason until offered: its order puts near people first.
    const kept: StandbyReason = existing?.reason === 'would_be_wasted' ? 'would_be_wasted' : reason;
    tx.putStandbyVacancy({
      slotId: slot.id,
      centreId: slot.centreId,
      vaccineId: slot.vaccineId,
      start: slot.start,
      localDate: slot.localDate,
      reason: kept,
      notedAt: now.toISOString(),
    });
    tx.addEvent(
      makeEvent(deps.ids.next('evt'), 'standby.vacancy_noted', now, actor, slot.id, {
        slotId: slot.id,
        centreId: slot.centreId,
        vaccineId: slot.vaccineId,
        localDate: slot.localDate,
        placeReason: kept,
      }),
    );
  });
}

/**
 * A centre's doses left today that would otherwise be wasted: the day's slots of the product from now
 * until `until` get enough places for every dose (free places already there count), and as many places as
 * there are doses, the soonest first, are noted for the standby list, to go first to the people near the
 * centre. Centre staff of that centre only.
 */
export async function noteWouldBeWasted(
  deps: Deps,
  principal: Principal,
  centreId: string,
  input: { vaccineId: string; doses: number; until: string },
): Promise<WouldBeWastedResult> {
  requireRole(principal, 'staff', 'centre-manager');
  if (!isCentrePrincipal(principal)) throw forbidden('ROLE_NOT_ALLOWED', 'Only a centre’s staff say this.');
  requireCentreAccess(principal, centreId);
  const actor = actorOf(principal);
  const result = await deps.store.runInTransaction(async (tx) => {
    const now = deps.clock.now();
    const centre = await tx.getCentre(centreId);
    if (!centre) throw notFound('CENTRE_NOT_FOUND', 'There is no such centre.', 'centreId');
    const today = localToday(now, centre.timeZone);
    const until = toInstant(today, input.until, centre.timeZone);
    if (!until || until.getTime() <= now.getTime()) {
      throw invalid('UNTIL_PASSED', 'Give a time later today.', 'until');
    }
    const slots = (await tx.listSlotsOfCentreDay(centreId, today))
      .filter((s) => s.vaccineId === input.vaccineId && s.start > now.toISOString() && s.start < until.toISOString())
      .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    if (slots.length === 0) {
      throw conflict('NO_SLOTS_LEFT_TODAY', 'No slot of this product begins between now and that time today.');
    }
    const free = slots.reduce((n, s) => n + Math.max(0, s.capacity - s.booked), 0);
    const missing = Math.max(0, input.doses - free);
    const grown = slots.map((s, i) => ({
      ...s,
      capacity: s.capacity + Math.floor(missing / slots.length) + (i < missing % slots.length ? 1 : 0),
    }));
    const at = now.toISOString();
    // The doses go to the soonest places: a slot's share is what is free in it, up to what is left to give.
    let left = input.doses;
    const offered = new Map<string, number>();
    for (const slot of grown) {
      const share = Math.min(Math.max(0, slot.capacity - slot.booked), left);
      if (share > 0) offered.set(slot.id, share);
      left -= share;
    }
    for (const slot of grown) {
      if (slot.capacity !== slots.find((s) => s.id === slot.id)?.capacity) tx.putSlot(slot);
      const places = offered.get(slot.id);
      if (places === undefined) continue;
      tx.putStandbyVacancy({
        slotId: slot.id,
        centreId,
        vaccineId: slot.vaccineId,
        start: slot.start,
        localDate: slot.localDate,
        reason: 'would_be_wasted',
        notedAt: at,
        places,
      });
      tx.addEvent(
        makeEvent(deps.ids.next('evt'), 'standby.vacancy_noted', now, actor, slot.id, {
          slotId: slot.id,
          centreId,
          vaccineId: slot.vaccineId,
          localDate: slot.localDate,
          placeReason: 'would_be_wasted',
        }),
      );
    }
    audit(deps, tx, actor, null, 'standby-would-be-wasted', `${input.doses} doses of ${input.vaccineId}`);
    return {
      centreId,
      vaccineId: input.vaccineId,
      localDate: today,
      doses: input.doses,
      placesAdded: missing,
      slots: grown
        .filter((s) => offered.has(s.id))
        .map((s) => ({
          slotId: s.id,
          start: s.start,
          localStart: toLocalStart(s.start, centre.timeZone),
          free: offered.get(s.id) ?? 0,
        })),
    };
  });
  return result;
}

/**
 * Notes freed places for the standby list as events come (a visit cancelled or moved away, extra hours
 * published) and ends the entries of people who booked, moved or lost their visit another way. Run
 * after commit, at least once per event: a note is one per slot, an ended entry stays ended.
 */
export async function noteStandbyFor(deps: Deps, e: DomainEvent): Promise<void> {
  switch (e.type) {
    case 'appointment.cancelled':
      if (await anyoneWaiting(deps)) await noteVacancy(deps, e.data.slotId, 'freed', MATCHER);
      await endIfVisit(deps, e.data.patientId, e.data.appointmentId, 'visit_cancelled');
      return;
    case 'appointment.rescheduled':
      if (await anyoneWaiting(deps)) await noteVacancy(deps, e.data.from.slotId, 'freed', MATCHER);
      await endIfVisit(deps, e.data.patientId, e.data.appointmentId, 'booked_elsewhere');
      return;
    case 'appointment.booked': {
      if (e.data.autoBooked) return;
      const entry = await deps.store.getStandbyEntry(e.data.patientId);
      if (entry?.status === 'waiting' && entry.appointmentId === null) {
        await endEntry(deps, e.data.patientId, 'booked_elsewhere', MATCHER);
      }
      return;
    }
    case 'slots.published': {
      if (e.data.created === 0 && e.data.resized === 0) return;
      if (!(await anyoneWaiting(deps))) return;
      const slots = await deps.store.listSlotsOfCentreDay(e.data.centreId, e.data.date);
      for (const slot of slots) {
        if (slot.booked < slot.capacity) await noteVacancy(deps, slot.id, 'freed', MATCHER);
      }
      return;
    }
    default:
      return;
  }
}

/**
 * Whether anyone waits for a place. Places freed while nobody waits are not noted: search shows them to
 * everyone, and the list is for places that free up after joining. This keeps the everyday publishing of
 * new days (thousands of slots) and every cancellation from writing notes nobody reads.
 */
async function anyoneWaiting(deps: Deps): Promise<boolean> {
  const [first] = await deps.store.listStandbyEntries({ status: 'waiting', afterSequence: 0, limit: 1 });
  return first !== undefined;
}

/** Ends a waiting entry whose visit was changed or cancelled by another way than the list. */
async function endIfVisit(
  deps: Deps,
  patientId: string,
  appointmentId: string,
  cause: 'booked_elsewhere' | 'visit_cancelled',
): Promise<void> {
  const entry = await deps.store.getStandbyEntry(patientId);
  if (entry?.status === 'waiting' && entry.appointmentId === appointmentId) {
    await endEntry(deps, patientId, cause, MATCHER);
  }
}

/** The event consumer of the standby list (locally on the outbox dispatcher, in the cloud on Pub/Sub). */
export class StandbyNotes implements EventConsumer {
  readonly name = 'standby';
  private readonly deps: Deps;

  constructor(deps: Deps) {
    this.deps = deps;
  }

  handle(e: DomainEvent): Promise<void> {
    return noteStandbyFor(this.deps, e);
  }
}

/** The end of the line a person joining by text sets for themselves: from today, as far as search looks. */
export function textJoinDates(deps: Deps, now: Date): { from: string; to: string } {
  const from = localToday(now, deps.settings.timeZone);
  return { from, to: addDays(from, Math.min(deps.settings.searchWindowDays, deps.settings.standby.maxDays)) };
}

/** What one run of the standby list did: holds let lapse, places looked at, offers made. */
export interface StandbyTick extends MatcherRun {
  expired: number;
}

/**
 * One run of the standby list, as both runtimes schedule it (a tick locally, a scheduled function in the
 * cloud): the holds past their time lapse first, so their places go on, then the noted places are offered.
 */
export async function standbyTick(deps: Deps): Promise<StandbyTick> {
  const expired = await expireStandbyOffers(deps);
  const run = await runStandbyMatcher(deps);
  return { expired, ...run };
}
