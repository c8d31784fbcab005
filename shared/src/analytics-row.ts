import { type DomainEvent, unhandledEvent } from './events.ts';
import type { ActorRole, Instant, LocalDate } from './model.ts';

/**
 * One row of the analytics table: `report_events` in SQLite, `ereg.events` in BigQuery (schema:
 * functions/src/adapters/bigquery/events-schema.json). Columns lifted out of the payload let reports
 * group by centre, product, dose and visit day without reading the JSON. Rows are pseudonymous (ids,
 * birth year, sex): no name, PESEL, phone, birth date or free text reaches them (`analyticsData`).
 */
export interface AnalyticsRow {
  event_id: string;
  type: DomainEvent['type'];
  occurred_at: Instant;
  subject_id: string;
  centre_id: string | null;
  vaccine_id: string | null;
  dose: number | null;
  /** The centre's local date the event is about (the visit, or the day published or cancelled). */
  visit_date: LocalDate | null;
  actor_role: ActorRole;
  /** The payload as analysts get it (`analyticsData`), as a JSON document (BigQuery takes JSON as a string in insertAll). */
  data: string;
  /** The event's envelope version; last, as added after the first rows were written. */
  schema_version: number;
}

type Lifted = Pick<AnalyticsRow, 'centre_id' | 'vaccine_id' | 'dose' | 'visit_date'>;

const NONE: Lifted = { centre_id: null, vaccine_id: null, dose: null, visit_date: null };

/** The analytics row of an event, the same for every sink so that reports read alike locally and in the cloud. */
export function analyticsRow(event: DomainEvent): AnalyticsRow {
  return {
    event_id: event.id,
    type: event.type,
    occurred_at: event.occurredAt,
    subject_id: event.subjectId,
    ...lifted(event),
    actor_role: event.actor.role,
    data: JSON.stringify(analyticsData(event)),
    schema_version: event.version,
  };
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
    case 'centre.day_cancelled': {
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
    case 'batch.added':
    case 'batch.depleted':
    case 'staff.added':
    case 'staff.removed':
    case 'staff.role_changed':
    case 'hotline.looked_up':
    case 'hotline.field_revealed':
    case 'hotline.alert_raised':
    case 'hotline.alert_acknowledged':
    case 'hotline.watch_list_changed':
    case 'hotline.review_queued':
    case 'hotline.review_decided':
    case 'booking.confirmation_resent':
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
    case 'staff.added':
    case 'staff.removed':
    case 'staff.role_changed':
      return { ...NONE, centre_id: event.data.centreId };
    case 'slots.published':
    case 'centre.day_cancelled':
    case 'centre.day_closed':
      return { ...NONE, centre_id: event.data.centreId, visit_date: event.data.date };
    case 'batch.added':
    case 'batch.depleted':
    case 'dose.wasted':
      return { ...NONE, centre_id: event.data.centreId, vaccine_id: event.data.vaccineId };
    case 'patient.registered':
    case 'patient.registered.v2':
    case 'patient.contact_changed':
    case 'referral.issued':
    case 'eligibility.rule_added':
    case 'hotline.looked_up':
    case 'hotline.field_revealed':
    case 'hotline.alert_raised':
    case 'hotline.alert_acknowledged':
    case 'hotline.watch_list_changed':
    case 'hotline.review_queued':
    case 'hotline.review_decided':
      return NONE;
    case 'booking.confirmation_resent':
      return { ...NONE, centre_id: event.data.centreId };
    default:
      return unhandledEvent(event);
  }
}
