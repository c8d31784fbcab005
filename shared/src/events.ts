import type {
  Actor,
  ActorRole,
  AlertKind,
  Appointment,
  CancellationCode,
  CentreSchedule,
  EligibilityRule,
  InjectionSite,
  Instant,
  Language,
  LocalDate,
  LocalTime,
  LookupReason,
  NotGivenReason,
  PolicyAction,
  Referral,
  ReviewOutcome,
  Sex,
  VaccinationWarning,
  WasteReason,
} from './model.ts';
import type { CentreRole } from './principal.ts';
import type { SmsOutcome, SmsPurpose } from './sms.ts';
import type { StandbyChannel, StandbyReason } from './standby.ts';

/** Where a visit is: one side of `appointment.rescheduled`. */
export interface VisitPlace {
  centreId: string;
  slotId: string;
  start: Instant;
  localDate: LocalDate;
}

/** Which visit an appointment event is about: the dose of a person's course, and where it is. */
export interface VisitFacts extends VisitPlace {
  appointmentId: string;
  patientId: string;
  vaccineId: string;
  dose: number;
}

/** Where an appointment's visit is. */
export function placeOf(appointment: Appointment): VisitPlace {
  const { centreId, slotId, start, localDate } = appointment;
  return { centreId, slotId, start, localDate };
}

/** The visit an appointment event is about, as the appointment records it. */
export function visitFactsOf(appointment: Appointment): VisitFacts {
  const { id, patientId, vaccineId, dose } = appointment;
  return { appointmentId: id, patientId, vaccineId, dose, ...placeOf(appointment) };
}

/** Why a visit was cancelled (model.ts), for reports and messages. */
export type { CancellationCode };

/**
 * The payload of each event type. A payload only grows by optional fields; any other change is a new
 * event type (docs/events.md), because stored events and every consumer read these names.
 */
export interface EventPayloads {
  /** Written before `patient.registered.v2`; still read, never written. */
  'patient.registered': { patientId: string; birthDate: LocalDate; sex: Sex };
  /**
   * A first registration, with the birth year (what age groups need) instead of the birth date.
   * `channel: 'phone'`: registered by a hotline agent from a call (absent: at a login, a desk or a text).
   */
  'patient.registered.v2': { patientId: string; birthYear: number; sex: Sex; channel?: 'phone' };
  'patient.contact_changed': { patientId: string; hasPhone: boolean; language: Language };
  'referral.issued': Referral;
  'appointment.booked': VisitFacts & {
    bookingId: string;
    /** The appointment's version after the booking (1). */
    version: number;
    /** Booked along with the dose the person chose (a course's next dose). */
    autoBooked: boolean;
  };
  'appointment.cancelled': VisitFacts & {
    bookingId: string;
    /** The appointment's version after the cancellation. */
    version: number;
    /** What the person is told (free text): kept in the operational store, never in analytics. */
    reason: string;
    /** Why, as a code; absent in events written before it. */
    reasonCode?: CancellationCode;
    /** Cancelled because an earlier dose was: the message about that one tells the person. */
    cascade: boolean;
  };
  'appointment.rescheduled': {
    appointmentId: string;
    bookingId: string;
    patientId: string;
    vaccineId: string;
    dose: number;
    /** The appointment's version after the move. */
    version: number;
    from: VisitPlace;
    to: VisitPlace;
  };
  'appointment.checked_in': { appointmentId: string; patientId: string; centreId: string };
  /** `vaccineId`: the product given, which may differ from the one booked. */
  'appointment.completed': VisitFacts & {
    lot: string;
    /** When the dose was given. */
    at: Instant;
    batchId?: string;
    /** The dose number recorded, when it differs from the course's `dose`. */
    doseGiven?: number;
    site?: InjectionSite;
    warnings?: VaccinationWarning[];
  };
  /** A recording changed after the fact; the data are the recording as it now stands. */
  'vaccination.corrected': VisitFacts & {
    lot: string;
    at: Instant;
    batchId?: string;
    doseGiven?: number;
    site?: InjectionSite;
    /** The batch the recording named before, when the correction changed it. */
    previousBatchId?: string;
  };
  /** The person came and was not vaccinated; later doses booked after it are cancelled. */
  'appointment.not_given': VisitFacts & { reasonCode: NotGivenReason };
  /** `automatic`: marked when the centre's day closed, not by staff. */
  'appointment.no_show': VisitFacts & { automatic?: boolean };
  'schedule.changed': { centreId: string; schedule: CentreSchedule };
  'slots.published': {
    centreId: string;
    date: LocalDate;
    created: number;
    resized: number;
    removed: number;
    cancelledAppointments: number;
    /** Places planned on the day, all products together. */
    capacity: number;
  };
  /** `from`: the local time the day was closed from (its rest cancelled); absent when the whole day was. */
  'centre.day_cancelled': { centreId: string; date: LocalDate; reason: string; from?: LocalTime };
  /**
   * A centre's day is over: the visits still only booked were marked missed. `noShows`: the day's
   * missed visits (marked by hand or at the close); `checkedInNotRecorded`: arrivals with nothing recorded.
   */
  'centre.day_closed': { centreId: string; date: LocalDate; noShows: number; checkedInNotRecorded: number };
  'centre.onboarded': { centreId: string; name: string; voivodeship: string; staff: number };
  // The administration: centres and the vaccine catalogue.
  /** The ministry stopped a centre's bookings for a while; its booked visits stay. */
  'centre.suspended': { centreId: string; reason: string };
  /** A suspended centre takes bookings again. */
  'centre.resumed': { centreId: string };
  /** A centre closed for good from a local date; `cancelled`: the visits from then on that this cancelled. */
  'centre.closed': { centreId: string; from: LocalDate; reason: string; cancelled: number };
  /** A product of the catalogue added or changed; `affected`: booked visits its new definition would not allow. */
  'vaccine.changed': { vaccineId: string; added: boolean; withdrawn: boolean; affected: number };
  'eligibility.rule_added': EligibilityRule;
  // The administration: eligibility policy (subject: the change, or the rule paused, resumed or cancelled).
  /** An administrator proposed a change; it waits for a second one. The note stays in the store. */
  'policy.change_proposed': { changeId: string; action: PolicyAction; ruleIds: string[] };
  /** A second administrator approved a change: `version` the policy it made, `ruleIds` the rules then in force. */
  'policy.change_approved': { changeId: string; action: PolicyAction; version: number; ruleIds: string[] };
  'policy.change_rejected': { changeId: string; action: PolicyAction };
  'policy.change_withdrawn': { changeId: string; action: PolicyAction };
  /** An administrator paused a rule at once (the reason stays in the audit). */
  'eligibility.rule_paused': { ruleId: string; version: number };
  'eligibility.rule_resumed': { ruleId: string; version: number; changeId: string };
  /** `opened`: whether the rule had opened before it was cancelled. */
  'eligibility.rule_cancelled': { ruleId: string; version: number; changeId: string; opened: boolean };
  /** A delivery recorded at a centre. */
  'batch.added': {
    batchId: string;
    centreId: string;
    vaccineId: string;
    number: string;
    expiry: LocalDate;
    doses: number;
  };
  /**
   * A batch can no longer be used: `used_up` when its last dose was taken, `closed` by the manager
   * (the doses left then are in a `dose.wasted` with reason `closed`).
   */
  'batch.depleted': { batchId: string; centreId: string; vaccineId: string; cause: 'used_up' | 'closed' };
  /** Doses of a batch lost without being given. `note`: the staff's words when the code is `other` (free text). */
  'dose.wasted': {
    batchId: string;
    centreId: string;
    vaccineId: string;
    count: number;
    reasonCode: WasteReason;
    note?: string;
  };
  /** A centre's manager added a member (a name and an e-mail are kept on the staff record only). */
  'staff.added': { centreId: string; staffId: string; role: CentreRole };
  /** A centre's manager removed a member; their sessions were ended. */
  'staff.removed': { centreId: string; staffId: string; role: CentreRole };
  /** A member's role at their centre changed; their sessions were ended, to sign in again in the new role. */
  'staff.role_changed': { centreId: string; staffId: string; from: CentreRole; to: CentreRole };

  // The administration: priority-group referrals and announcements (subject: the upload, the patient, the announcement).
  /** A list of referrals taken in: its counts and groups, never a PESEL. */
  'group.referrals_uploaded': { uploadId: string; rows: number; accepted: number; rejected: number; groups: string[] };
  /** A person's priority groups changed (a referral, or groups referred before their registration given at it). */
  'patient.groups_changed': { patientId: string; groups: string[] };
  /** An announcement written; its texts stay in the store. */
  'announcement.published': { announcementId: string; from: Instant; until: Instant };
  /** An announcement's texts or window changed (ended early: `until` is the moment it was ended). */
  'announcement.changed': { announcementId: string; from: Instant; until: Instant };

  // The hotline (subject: the agent for a look-up, the patient for a reveal, the alert, entry or review).
  /** An agent looked callers up, with a reason; `found`: how many people the answer named. */
  'hotline.looked_up': { by: LookupBy; reasonCode: LookupReason; found: number };
  /** An agent showed a masked field of a person looked up. */
  'hotline.field_revealed': { patientId: string; field: RevealableField };
  /** Something for the supervisors: an agent past their budget, a person looked up by many agents, a watched PESEL. */
  'hotline.alert_raised': {
    alertId: string;
    kind: AlertKind;
    agentId: string | null;
    patientId: string | null;
    count: number | null;
  };
  'hotline.alert_acknowledged': { alertId: string; kind: AlertKind };
  /** A PESEL added to or removed from the watch list (the PESEL stays in the list, never in events). */
  'hotline.watch_list_changed': { entryId: string; change: 'added' | 'removed' };
  /** A look-up drawn in the daily sample, queued for a supervisor. */
  'hotline.review_queued': { reviewId: string; date: LocalDate; agentId: string };
  'hotline.review_decided': { reviewId: string; outcome: ReviewOutcome };
  /** The confirmation of a booking sent again (the planner texts it to the person's mobile). */
  'booking.confirmation_resent': { bookingId: string; patientId: string; centreId: string; appointmentId: string };
  /**
   * What became of a text message (subject: its key in the message ledger): `sent` once, when the
   * provider accepted it; then its delivery report's word, or `rejected` / `skipped` instead of sending.
   */
  'sms.status_changed': { purpose: SmsPurpose; status: SmsOutcome; attempts: number; language: Language };

  // The administration: the preview of an eligibility change
  /** A person's priority groups changed (subject: the patient): `groups` is the whole set they now hold. */

  // The waiting room (subject: the patient for a join, the room for a tick's admissions and expiries).
  /** A person took a place in an opening's waiting room; `early`: before the opening (shuffled at it). */
  'queue.joined': { roomId: string; patientId: string; early: boolean };
  /** One tick's admissions: positions `from`..`through`, `count` of them held by someone still waiting. */
  'queue.admitted': { roomId: string; from: number; through: number; count: number };
  /** One tick's admissions that ran out unused: their positions. */
  'queue.expired': { roomId: string; count: number; positions: number[] };
  // The standby list (subject: the patient for joining, leaving and pausing; the slot for a place noted;
  // the offer for its hold, hand-over, taking, passing and release).
  /** A person joined the standby list (or joined again, at the end of the line). */
  'standby.joined': StandbyEntryFacts;
  /** A person on the list changed what places they would take; their place in line is kept. */
  'standby.changed': StandbyEntryFacts;
  /** A person left the list: by their choice, or because they booked another way. */
  'standby.left': { patientId: string; sequence: number; cause: 'left' | 'booked_elsewhere' | 'visit_cancelled' };
  /** Offers passed in silence took a person off the list (they are told how to join again). */
  'standby.paused': { patientId: string; sequence: number; silentOffers: number };
  /** A freed place noted for the list: a cancellation, a move, extra hours, doses that would be wasted. */
  'standby.vacancy_noted': {
    slotId: string;
    centreId: string;
    vaccineId: string;
    localDate: LocalDate;
    placeReason: StandbyReason;
  };
  /** A place held for a person until `expiresAt` (counted as taken in its slot); `handedOverFrom`: the offer it passed from. */
  'standby.offered': StandbyOfferFacts & { expiresAt: Instant; texted: boolean; handedOverFrom: string | null };
  /** The person took the place: it became their visit (`appointmentIds`: the visits booked or moved). */
  'standby.taken': StandbyOfferFacts & { appointmentIds: string[] };
  /** The person passed the place on. */
  'standby.declined': StandbyOfferFacts;
  /** The hold ended unanswered; `paused`: it was the last silence the person's entry allowed. */
  'standby.expired': StandbyOfferFacts & { paused: boolean };
  /** A held place nobody else matched went back to search (its slot counts it free again). */
  'standby.released': StandbyOfferFacts;
  /** A held place went away (its slot removed); the person stays on the list. */
  'standby.withdrawn': StandbyOfferFacts;
}

/** Who joined the standby list and what they would take (never the postal code or phone). */
export interface StandbyEntryFacts {
  patientId: string;
  sequence: number;
  channel: StandbyChannel;
  dose: number;
  from: LocalDate;
  to: LocalDate;
  maxKm: number;
  vaccineIds: string[] | null;
}

/** Which place an offer holds, for whom, for which dose. */
export interface StandbyOfferFacts {
  offerId: string;
  patientId: string;
  slotId: string;
  centreId: string;
  vaccineId: string;
  start: Instant;
  localDate: LocalDate;
  dose: number;
  placeReason: StandbyReason;
}

/** How an agent looked a caller up. */
export type LookupBy = 'pesel' | 'reference' | 'phone';
/** The fields of a person a look-up masks until the agent reveals them. */
export const REVEALABLE_FIELDS = ['phone', 'landline', 'pesel'] as const;
export type RevealableField = (typeof REVEALABLE_FIELDS)[number];

export type EventType = keyof EventPayloads;

/** The payload of one event type. */
export type EventData<T extends EventType> = EventPayloads[T];

export const EVENT_TYPES = [
  'patient.registered',
  'patient.registered.v2',
  'patient.contact_changed',
  'referral.issued',
  'appointment.booked',
  'appointment.cancelled',
  'appointment.rescheduled',
  'appointment.checked_in',
  'appointment.completed',
  'appointment.no_show',
  'appointment.not_given',
  'vaccination.corrected',
  'schedule.changed',
  'slots.published',
  'centre.day_cancelled',
  'centre.day_closed',
  'centre.onboarded',
  'centre.suspended',
  'centre.resumed',
  'centre.closed',
  'vaccine.changed',
  'eligibility.rule_added',
  'policy.change_proposed',
  'policy.change_approved',
  'policy.change_rejected',
  'policy.change_withdrawn',
  'eligibility.rule_paused',
  'eligibility.rule_resumed',
  'eligibility.rule_cancelled',
  'batch.added',
  'batch.depleted',
  'dose.wasted',
  'staff.added',
  'staff.removed',
  'staff.role_changed',
  // The administration: priority-group referrals and announcements
  'group.referrals_uploaded',
  'patient.groups_changed',
  'announcement.published',
  'announcement.changed',
  'hotline.looked_up',
  'hotline.field_revealed',
  'hotline.alert_raised',
  'hotline.alert_acknowledged',
  'hotline.watch_list_changed',
  'hotline.review_queued',
  'hotline.review_decided',
  'booking.confirmation_resent',
  'sms.status_changed',
  // The administration: the preview of an eligibility change
  // The waiting room
  'queue.joined',
  'queue.admitted',
  'queue.expired',
  // The standby list
  'standby.joined',
  'standby.changed',
  'standby.left',
  'standby.paused',
  'standby.vacancy_noted',
  'standby.offered',
  'standby.taken',
  'standby.declined',
  'standby.expired',
  'standby.released',
  'standby.withdrawn',
] as const satisfies readonly EventType[];

// Fails to compile when a payload type is missing from EVENT_TYPES.
const everyTypeListed: Exclude<EventType, (typeof EVENT_TYPES)[number]> extends never ? true : never = true;
void everyTypeListed;

/** The version of the envelope below; events stored before it had the field are version 1. */
export const EVENT_VERSION = 1;

/** One event of a given type: the envelope and that type's payload. */
export interface EventOf<T extends EventType> {
  id: string;
  type: T;
  version: typeof EVENT_VERSION;
  occurredAt: Instant;
  actor: Actor;
  /** What the event is about (appointment id, centre id, patient id). */
  subjectId: string;
  data: EventPayloads[T];
  /**
   * The W3C `traceparent` of the request or message that wrote the event, carried to its consumers
   * so that their work joins the same trace. Absent on events written before it was recorded.
   */
  trace?: string;
}

/** A state change, written in the same transaction as the change and delivered at least once. */
export type DomainEvent = { [T in EventType]: EventOf<T> }[EventType];

/** Builds an event; the id comes from the caller so that a re-run transaction keeps no stray ids. */
export function makeEvent<T extends EventType>(
  id: string,
  type: T,
  at: Date,
  actor: Actor,
  subjectId: string,
  data: EventData<T>,
): EventOf<T> {
  return { id, type, version: EVENT_VERSION, occurredAt: at.toISOString(), actor, subjectId, data };
}

/**
 * The `default` of a switch over event types: the call compiles only while every type has its case, so
 * a new type makes each consumer decide what to do with it.
 */
export function unhandledEvent(event: never): never {
  throw new Error(`no case for event ${JSON.stringify(event)}`);
}

const KNOWN_TYPES: ReadonlySet<string> = new Set(EVENT_TYPES);
// A record, so that a role added to ActorRole cannot be left out of what a reader accepts.
const ACTOR_ROLE_NAMES: Record<ActorRole, true> = {
  patient: true,
  agent: true,
  staff: true,
  admin: true,
  system: true,
  sms: true,
  supervisor: true,
  analyst: true,
  registry: true,
};
const ACTOR_ROLES: ReadonlySet<string> = new Set(Object.keys(ACTOR_ROLE_NAMES));

/** Whether a string names an event type this code knows. */
export function isEventType(type: unknown): type is EventType {
  return typeof type === 'string' && KNOWN_TYPES.has(type);
}

/**
 * Reads an event that crossed a boundary as JSON (outbox row, Pub/Sub message, outbox document):
 * checks the envelope and the type, reads an event stored without a version as version 1, and throws
 * on anything else. The payload is trusted as written by `makeEvent`.
 */
export function parseDomainEvent(json: unknown): DomainEvent {
  if (!isRecord(json)) throw new Error('not a domain event: not an object');
  const { id, type, version = EVENT_VERSION, occurredAt, actor, subjectId, data, trace } = json;
  const what = `event ${typeof id === 'string' ? id : '(no id)'}`;
  if (typeof id !== 'string' || id === '') throw new Error('not a domain event: no id');
  if (!isEventType(type)) throw new Error(`${what}: unknown type ${JSON.stringify(type)}`);
  if (version !== EVENT_VERSION) throw new Error(`${what}: unknown version ${JSON.stringify(version)}`);
  if (typeof occurredAt !== 'string') throw new Error(`${what}: no occurredAt`);
  if (!isRecord(actor) || !isActorRole(actor.role) || typeof actor.id !== 'string') {
    throw new Error(`${what}: no actor`);
  }
  if (typeof subjectId !== 'string') throw new Error(`${what}: no subjectId`);
  if (!isRecord(data)) throw new Error(`${what}: no data`);
  const envelope = {
    id,
    type,
    version,
    occurredAt,
    actor: { role: actor.role, id: actor.id },
    subjectId,
    data,
    ...(typeof trace === 'string' ? { trace } : {}),
  };
  // The one place a payload is taken on trust: it was written by makeEvent for this type.
  return envelope as DomainEvent;
}

function isActorRole(role: unknown): role is ActorRole {
  return typeof role === 'string' && ACTOR_ROLES.has(role);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The centre-days whose free places an event changes (with the product, when only one is touched): what
 * the availability read model recomputes after the event.
 */
export function touchedCentreDays(
  event: DomainEvent,
): Array<{ centreId: string; date: LocalDate; vaccineId: string | null }> {
  switch (event.type) {
    case 'appointment.booked':
    case 'appointment.cancelled': {
      const { centreId, localDate, vaccineId } = event.data;
      return [{ centreId, date: localDate, vaccineId }];
    }
    case 'appointment.rescheduled': {
      const { from, to, vaccineId } = event.data;
      return [
        { centreId: from.centreId, date: from.localDate, vaccineId },
        { centreId: to.centreId, date: to.localDate, vaccineId },
      ];
    }
    case 'slots.published':
    case 'centre.day_cancelled':
      return [{ centreId: event.data.centreId, date: event.data.date, vaccineId: null }];
    // A hold counts in its slot: holding a place, taking it, releasing it or losing it changes what is free.
    case 'standby.offered':
    case 'standby.taken':
    case 'standby.released':
    case 'standby.withdrawn': {
      const { centreId, localDate, vaccineId } = event.data;
      return [{ centreId, date: localDate, vaccineId }];
    }
    // A check-in, completion or no-show leaves the slot's count as it is; a schedule change is
    // followed by slots.published for the days it alters.
    case 'appointment.checked_in':
    case 'appointment.completed':
    case 'appointment.no_show':
    case 'appointment.not_given':
    case 'vaccination.corrected':
    case 'centre.day_closed':
    case 'schedule.changed':
    case 'patient.registered':
    case 'patient.registered.v2':
    case 'patient.contact_changed':
    case 'referral.issued':
    case 'centre.onboarded':
    // The visits a closing cancels come with their own appointment.cancelled events.
    case 'centre.suspended':
    case 'centre.resumed':
    case 'centre.closed':
    case 'vaccine.changed':
    case 'eligibility.rule_added':
    case 'policy.change_proposed':
    case 'policy.change_approved':
    case 'policy.change_rejected':
    case 'policy.change_withdrawn':
    case 'eligibility.rule_paused':
    case 'eligibility.rule_resumed':
    case 'eligibility.rule_cancelled':
    case 'batch.added':
    case 'batch.depleted':
    case 'dose.wasted':
    case 'staff.added':
    case 'staff.removed':
    case 'staff.role_changed':
    case 'group.referrals_uploaded':
    case 'patient.groups_changed':
    case 'announcement.published':
    case 'announcement.changed':
    case 'hotline.looked_up':
    case 'hotline.field_revealed':
    case 'hotline.alert_raised':
    case 'hotline.alert_acknowledged':
    case 'hotline.watch_list_changed':
    case 'hotline.review_queued':
    case 'hotline.review_decided':
    case 'booking.confirmation_resent':
    case 'sms.status_changed':
    // The waiting room
    case 'queue.joined':
    case 'queue.admitted':
    case 'queue.expired':
    // A hold handed over, passed or lapsed leaves the slot's count as it is until released.
    case 'standby.joined':
    case 'standby.changed':
    case 'standby.left':
    case 'standby.paused':
    case 'standby.vacancy_noted':
    case 'standby.declined':
    case 'standby.expired':
      return [];
    default:
      return unhandledEvent(event);
  }
}
