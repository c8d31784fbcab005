import { type DomainEvent, unhandledEvent } from './events.ts';
import type { ActorRole, Instant, LocalDate } from './model.ts';
import { localToday } from './time-zone.ts';

/**
 * One row of the analytics table: `report_events` in SQLite, `ereg.events` in BigQuery (schema:
 * functions/src/adapters/bigquery/events-schema.json). Columns lifted out of the payload let reports
 * group by centre, product, dose and visit day without reading the JSON. Rows are pseudonymous (ids,
 * birth year, sex): no name, PESEL, phone, birth date or free text reaches them (`analyticsData`), and
 * the ids that lead to a person (the subject, a patient's, an appointment's or a booking's id) are
 * replaced by pseudonyms the warehouse cannot turn back (`AnalyticsContext.pseudonym`).
 */
export interface AnalyticsRow {
  event_id: string;
  type: DomainEvent['type'];
  occurred_at: Instant;
  /** The country's local date of `occurred_at` (reports count by it: a booking made at 00:30 in Warsaw is that day's). */
  occurred_on: LocalDate;
  /** The pseudonym of what the event is about; the same id gives the same pseudonym in every row. */
  subject_id: string;
  centre_id: string | null;
  vaccine_id: string | null;
  dose: number | null;
  /** The centre's local date the event is about (the visit, or the day published or cancelled). */
  visit_date: LocalDate | null;
  actor_role: ActorRole;
  /** The payload as analysts get it (`analyticsData`), as a JSON document (BigQuery takes JSON as a string in insertAll). */
  data: string;
  /** The event's envelope version; after the first columns, as added after the first rows were written. */
  schema_version: number;
  /**
   * When the row reached the sink. Reports count an event on the day it happened, so one that arrives
   * late lands in its own day rather than making a dip there and a bump on the day it came.
   */
  received_at: Instant;
  /**
   * The pseudonym of the person the event is about (a registration, a visit, an agent's look at a
   * field), null for events about no one person: reports join a person's visits to their birth year by it.
   */
  person_id: string | null;
}

/** What a sink adds to an event to make its row. */
export interface AnalyticsContext {
  receivedAt: Instant;
  /** The country's time zone, whose dates reports count by. */
  timeZone: string;
  /**
   * An id's pseudonym: a keyed one-way function (an HMAC whose key only the operational side holds),
   * the same for the same id, so rows of one person join while no row leads back to them.
   */
  pseudonym: (id: string) => string;
}

/** Keys of a payload, at any depth, whose values lead to a person and are replaced by pseudonyms. */
export const PSEUDONYMISED_KEYS: readonly string[] = ['patientId', 'appointmentId', 'bookingId'];

type Lifted = Pick<AnalyticsRow, 'centre_id' | 'vaccine_id' | 'dose' | 'visit_date'>;

const NONE: Lifted = { centre_id: null, vaccine_id: null, dose: null, visit_date: null };

/** The analytics row of an event, the same for every sink so that reports read alike locally and in the cloud. */
export function analyticsRow(event: DomainEvent, context: AnalyticsContext): AnalyticsRow {
  return {
    event_id: event.id,
    type: event.type,
    occurred_at: event.occurredAt,
    occurred_on: localToday(new Date(event.occurredAt), context.timeZone),
    subject_id: context.pseudonym(event.subjectId),
    ...lifted(event),
    actor_role: event.actor.role,
    data: JSON.stringify(pseudonymised(analyticsData(event), context.pseudonym)),
    schema_version: event.version,
    received_at: context.receivedAt,
    person_id: personOf(event, context.pseudonym),
  };
}

function personOf(event: DomainEvent, pseudonym: (id: string) => string): string | null {
  const { patientId } = event.data as { patientId?: unknown };
  return typeof patientId === 'string' ? pseudonym(patientId) : null;
}

function pseudonymised(value: unknown, pseudonym: (id: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => pseudonymised(item, pseudonym));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      PSEUDONYMISED_KEYS.includes(key) && typeof inner === 'string'
        ? pseudonym(inner)
        : pseudonymised(inner, pseudonym),
    ]),
  );
}

/**
 * An event's payload without what analysts do not need: free text (cancellation reasons, a rule's
 * description) stays in the operational store, and a birth date becomes a birth year.
 */
export function analyticsData(event: DomainEvent): object {
  switch (event.type) {
    case 'patient.registered': {
      const { birthDate, ...rest } = event.data;
      return { ...rest, birthYear: Number(birthDate.slice(0, 4)) };
    }
    case 'appointment.cancelled':
    case 'centre.day_cancelled':
    case 'centre.suspended':
    case 'centre.closed': {
      const { reason: _, ...rest } = event.data;
      return rest;
    }
    case 'eligibility.rule_added': {
      const { description: _, ...rest } = event.data;
      return rest;
    }
    case 'dose.wasted': {
      const { note: _, ...rest } = event.data;
      return rest;
    }
    case 'patient.registered.v2':
    case 'patient.contact_changed':
    case 'referral.issued':
    case 'appointment.booked':
    case 'appointment.rescheduled':
    case 'appointment.checked_in':
    case 'appointment.completed':
    case 'appointment.no_show':
    case 'appointment.not_given':
    case 'vaccination.corrected':
    case 'schedule.changed':
    case 'slots.published':
    case 'centre.day_closed':
    case 'centre.onboarded':
    case 'centre.resumed':
    case 'vaccine.changed':
    case 'policy.change_proposed':
    case 'policy.change_approved':
    case 'policy.change_rejected':
    case 'policy.change_withdrawn':
    case 'eligibility.rule_paused':
    case 'eligibility.rule_resumed':
    case 'eligibility.rule_cancelled':
    case 'batch.added':
    case 'batch.depleted':
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
    // The standby list: ids, dates and distances; the postal code and phone stay in the entry.
    case 'standby.joined':
    case 'standby.changed':
    case 'standby.left':
    case 'standby.paused':
    case 'standby.vacancy_noted':
    case 'standby.offered':
    case 'standby.taken':
    case 'standby.declined':
    case 'standby.expired':
    case 'standby.released':
    case 'standby.withdrawn':
      return event.data;
    default:
      return unhandledEvent(event);
  }
}

function lifted(event: DomainEvent): Lifted {
  switch (event.type) {
    case 'appointment.booked':
    case 'appointment.cancelled':
    case 'appointment.completed':
    case 'appointment.no_show':
    case 'appointment.not_given':
    case 'vaccination.corrected': {
      const { centreId, vaccineId, dose, localDate } = event.data;
      return { centre_id: centreId, vaccine_id: vaccineId, dose, visit_date: localDate };
    }
    // Where the visit was and where it went are both in `data`; the row keeps product and dose.
    case 'appointment.rescheduled':
      return { ...NONE, vaccine_id: event.data.vaccineId, dose: event.data.dose };
    case 'appointment.checked_in':
    case 'schedule.changed':
    case 'centre.onboarded':
    case 'centre.suspended':
    case 'centre.resumed':
    case 'staff.added':
    case 'staff.removed':
    case 'staff.role_changed':
      return { ...NONE, centre_id: event.data.centreId };
    case 'slots.published':
    case 'centre.day_cancelled':
    case 'centre.day_closed':
      return { ...NONE, centre_id: event.data.centreId, visit_date: event.data.date };
    case 'centre.closed':
      return { ...NONE, centre_id: event.data.centreId, visit_date: event.data.from };
    case 'vaccine.changed':
      return { ...NONE, vaccine_id: event.data.vaccineId };
    case 'batch.added':
    case 'batch.depleted':
    case 'dose.wasted':
      return { ...NONE, centre_id: event.data.centreId, vaccine_id: event.data.vaccineId };
    case 'patient.registered':
    case 'patient.registered.v2':
    case 'patient.contact_changed':
    case 'referral.issued':
    case 'eligibility.rule_added':
    case 'group.referrals_uploaded':
    case 'patient.groups_changed':
    case 'announcement.published':
    case 'announcement.changed':
    case 'policy.change_proposed':
    case 'policy.change_approved':
    case 'policy.change_rejected':
    case 'policy.change_withdrawn':
    case 'eligibility.rule_paused':
    case 'eligibility.rule_resumed':
    case 'eligibility.rule_cancelled':
    case 'hotline.looked_up':
    case 'hotline.field_revealed':
    case 'hotline.alert_raised':
    case 'hotline.alert_acknowledged':
    case 'hotline.watch_list_changed':
    case 'hotline.review_queued':
    case 'hotline.review_decided':
    // A message's subject is its key, which names a visit or booking: the row's subject is its pseudonym.
    case 'sms.status_changed':
    // The waiting room
    case 'queue.joined':
    case 'queue.admitted':
    case 'queue.expired':
    case 'standby.left':
    case 'standby.paused':
      return NONE;
    // The standby list
    case 'standby.joined':
    case 'standby.changed':
      return { ...NONE, dose: event.data.dose };
    case 'standby.vacancy_noted':
      return {
        ...NONE,
        centre_id: event.data.centreId,
        vaccine_id: event.data.vaccineId,
        visit_date: event.data.localDate,
      };
    case 'standby.offered':
    case 'standby.taken':
    case 'standby.declined':
    case 'standby.expired':
    case 'standby.released':
    case 'standby.withdrawn': {
      const { centreId, vaccineId, dose, localDate } = event.data;
      return { centre_id: centreId, vaccine_id: vaccineId, dose, visit_date: localDate };
    }
    case 'booking.confirmation_resent':
      return { ...NONE, centre_id: event.data.centreId };
    default:
      return unhandledEvent(event);
  }
}
