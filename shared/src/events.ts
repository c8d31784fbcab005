import type { Actor, Instant } from './model.ts';

export const EVENT_TYPES = [
  'patient.registered',
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
