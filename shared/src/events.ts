import type { Actor, Instant } from './model.ts';

export const EVENT_TYPES = [
  'patient.registered',
  'patient.contact_changed',
  'referral.issued',
  'appointment.booked',
  'appointment.cancelled',
  'appointment.rescheduled',
  'appointment.checked_in',
  'appointment.completed',
  'appointment.no_show',
  'schedule.changed',
  'slots.published',
  'centre.day_cancelled',
  'centre.onboarded',
  'eligibility.rule_added',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** A state change, written in the same transaction as the change and delivered at least once. */
export interface DomainEvent {
  id: string;
  type: EventType;
  occurredAt: Instant;
  actor: Actor;
  /** What the event is about (appointment id, centre id, patient id). */
  subjectId: string;
  data: Record<string, unknown>;
}

/** Builds an event; the id comes from the caller so that a re-run transaction keeps no stray ids. */
export function makeEvent(
  id: string,
  type: EventType,
  at: Date,
  actor: Actor,
  subjectId: string,
  data: Record<string, unknown>,
): DomainEvent {
  return { id, type, occurredAt: at.toISOString(), actor, subjectId, data };
}

/**
 * The centre-days whose free places an event changes (with the product, when only one is touched): what
 * the availability read model recomputes after the event.
 */
export function touchedCentreDays(
  event: DomainEvent,
): Array<{ centreId: string; date: string; vaccineId: string | null }> {
  const d = event.data as Record<string, unknown>;
  const vaccineId = typeof d.vaccineId === 'string' ? d.vaccineId : null;
  const pick = (centreId: unknown, date: unknown) =>
    typeof centreId === 'string' && typeof date === 'string' ? [{ centreId, date, vaccineId }] : [];
  switch (event.type) {
    case 'appointment.booked':
    case 'appointment.cancelled':
      return pick(d.centreId, d.localDate);
    case 'appointment.rescheduled': {
      const from = d.from as Record<string, unknown> | undefined;
      const to = d.to as Record<string, unknown> | undefined;
      return [...pick(from?.centreId, from?.localDate), ...pick(to?.centreId, to?.localDate)];
    }
    case 'slots.published':
    case 'centre.day_cancelled':
      return pick(d.centreId, d.date).map((day) => ({ ...day, vaccineId: null }));
    default:
      return [];
  }
}
