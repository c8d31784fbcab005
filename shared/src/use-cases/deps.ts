import type { Actor, Appointment, Centre, Vaccine } from '../model.ts';
import type { Clock, Identity, Ids, Store, Transaction } from '../ports.ts';
import { toLocal } from '../time-zone.ts';

/** Tunables that are policy rather than code. */
export interface Settings {
  /** Zone of the country's calendar, used for "today" in eligibility. */
  timeZone: string;
  /** How far ahead slots are published. */
  slotHorizonDays: number;
  /** Default search window when the caller gives no end date. */
  searchWindowDays: number;
  /** How long after looking a caller up an agent may act on that person's data. */
  agentAccessMinutes: number;
}

export const DEFAULT_SETTINGS: Settings = {
  timeZone: 'Europe/Warsaw',
  slotHorizonDays: 70,
  searchWindowDays: 42,
  agentAccessMinutes: 30,
};

/** What every use case may need; the composition root of each runtime builds it once. */
export interface Deps {
  store: Store;
  clock: Clock;
  ids: Ids;
  identity: Identity;
  vaccines: readonly Vaccine[];
  settings: Settings;
}

/** An appointment as shown to people: with the centre's name and address and the local wall-clock time. */
export interface AppointmentView extends Appointment {
  centre: { id: string; name: string; address: Centre['address']; timeZone: string };
  localStart: string;
}

/** Builds the view of an appointment in its centre's zone. */
export function viewAppointment(appointment: Appointment, centre: Centre): AppointmentView {
  const local = toLocal(new Date(appointment.start), centre.timeZone);
  return {
    ...appointment,
    centre: { id: centre.id, name: centre.name, address: centre.address, timeZone: centre.timeZone },
    localStart: `${local.date}T${local.time}`,
  };
}

/**
 * Records that someone other than the patient read or changed the patient's data, and why; a look-up
 * that found no one is recorded with no patient.
 */
export function audit(
  deps: Deps,
  tx: Transaction,
  actor: Actor,
  patientId: string | null,
  action: string,
  reason: string,
): void {
  if (actor.role === 'patient' || actor.role === 'system') return;
  tx.addAudit({ id: deps.ids.next('aud'), actor, patientId, action, reason, at: deps.clock.now().toISOString() });
}

/** Adds whole days to an instant. */
export function addDaysToInstant(instant: string, days: number): string {
  return new Date(Date.parse(instant) + days * 86_400_000).toISOString();
}
