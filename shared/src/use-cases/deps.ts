import type { SmsReason } from '../messages/sms-templates.ts';
import type { Actor, ActorRole, Appointment, AuditRecord, CancellationCode, Centre, Vaccine } from '../model.ts';
import type { BookingChannel, Clock, Identity, Ids, StaffAccounts, Store, Telemetry, Transaction } from '../ports.ts';
import { DEFAULT_STANDBY_SETTINGS, type StandbySettings } from '../standby.ts';
import { toLocalStart } from '../time-zone.ts';
import type { WaitingRoomDeps } from '../waiting-room.ts';
import type { ActorPseudonyms } from './actor-pseudonyms.ts';

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
  /** A hotline agent's or supervisor's session ends after this many minutes without a request. */
  hotlineIdleMinutes: number;
  /** … and this many hours after its sign-in, however busy. */
  hotlineSessionHours: number;
  /** How many look-ups an agent may make in a clock hour; past it they are refused and the supervisors alerted. */
  lookupBudgetPerHour: number;
  /** How many agents looking one person up in a day alert the supervisors. */
  lookupAlertAgents: number;
  /** How many of a day's look-ups are drawn for a supervisor's review. */
  reviewSamplePerDay: number;
  // The waiting room
  /** A planned opening's waiting room lets people in this many minutes before it; they are shuffled at the opening. */
  queueDoorsMinutes: number;
  /** … and gates search and booking for this many hours after it; 0 turns the waiting rooms off. */
  queueHours: number;
  /** An admitted person has this many minutes to book before the place passes on. */
  queueAdmittedMinutes: number;
  // The standby list
  /** How long offered places are held, how much silence pauses an entry, how far people may ask to travel. */
  standby: StandbySettings;
}

export const DEFAULT_SETTINGS: Settings = {
  timeZone: 'Europe/Warsaw',
  slotHorizonDays: 70,
  searchWindowDays: 42,
  agentAccessMinutes: 30,
  hotlineIdleMinutes: 15,
  hotlineSessionHours: 10,
  lookupBudgetPerHour: 60,
  lookupAlertAgents: 5,
  reviewSamplePerDay: 20,
  // The waiting room
  queueDoorsMinutes: 30,
  queueHours: 6,
  queueAdmittedMinutes: 10,
  // The standby list
  standby: DEFAULT_STANDBY_SETTINGS,
};

/** What every use case may need; the composition root of each runtime builds it once. */
export interface Deps {
  store: Store;
  clock: Clock;
  ids: Ids;
  identity: Identity;
  /** The sign-in accounts of centres' staff (Firebase Authentication in the cloud). */
  staffAccounts: StaffAccounts;
  /** The catalogue in force: where `catalogue` is given, its live list (vaccine-catalogue.ts). */
  vaccines: readonly Vaccine[];
  /** Keeps `vaccines` in step with the stored catalogue; a save refreshes it at once. */
  catalogue?: { refresh(): Promise<unknown> } | undefined;
  settings: Settings;
  /** How the people who reached a patient's data are named to the patient (a keyed hash of their id). */
  pseudonyms: ActorPseudonyms;
  // The waiting room
  /** The waiting room's signer and draw; a runtime without them gates no one. */
  queue?: WaitingRoomDeps | undefined;
  /** The operators' metrics, told of bookings, cancellations, refusals and text outcomes after commit. */
  telemetry?: Telemetry | undefined;
}

/** The channel a change came through, by who made it: a patient in the app, an agent, a text, a centre's staff. */
export function channelOf(actor: Actor): BookingChannel {
  switch (actor.role) {
    case 'agent':
    case 'supervisor':
      return 'phone';
    case 'sms':
      return 'sms';
    case 'staff':
      return 'desk';
    default:
      return 'web';
  }
}

/** An appointment as shown to people: with the centre's name and address and the local wall-clock time. */
export interface AppointmentView extends Appointment {
  centre: { id: string; name: string; address: Centre['address']; timeZone: string };
  localStart: string;
  /** Why it was cancelled, as the person is told it (apps word the code in their language); null unless cancelled. */
  cancellationCause: SmsReason | null;
}

/**
 * Why a visit was cancelled, as the person is told it — in a text message or an app — from the
 * cancellation's code and who cancelled: at their request (themselves, or through the hotline), by the
 * centre, the centre closed that day, its hours changed, the earlier dose not given. A centre's own
 * words go along, to be quoted; nobody else's free text does (an agent's or the person's stays in the
 * record).
 */
export function cancellationCause(code: CancellationCode | undefined, by: ActorRole, reason: string): SmsReason {
  const typed = reason.trim();
  switch (code) {
    case 'dose_missed':
      return { code: 'dose_missed', note: null };
    case 'day_cancelled':
      return { code: 'day_closed', note: typed === '' ? null : typed };
    case 'capacity_removed':
      return { code: 'hours_changed', note: null };
    default: {
      if (by === 'agent') return { code: 'hotline', note: null };
      if (by === 'staff' || by === 'admin' || by === 'system') {
        const own = typed !== '' && typed !== `cancelled by ${by}`;
        return { code: 'centre', note: by === 'staff' && own ? typed : null };
      }
      return { code: 'patient', note: null };
    }
  }
}

/** Builds the view of an appointment in its centre's zone. */
export function viewAppointment(appointment: Appointment, centre: Centre): AppointmentView {
  return {
    ...appointment,
    centre: { id: centre.id, name: centre.name, address: centre.address, timeZone: centre.timeZone },
    localStart: toLocalStart(appointment.start, centre.timeZone),
    cancellationCause: appointment.cancellation
      ? cancellationCause(
          appointment.cancellation.code,
          appointment.cancellation.by.role,
          appointment.cancellation.reason,
        )
      : null,
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
  details: Pick<AuditRecord, 'reasonCode' | 'field'> = {},
): void {
  if (actor.role === 'patient' || actor.role === 'system') return;
  tx.addAudit({
    id: deps.ids.next('aud'),
    actor,
    patientId,
    action,
    reason,
    at: deps.clock.now().toISOString(),
    ...details,
  });
}

/** Adds whole days to an instant. */
export function addDaysToInstant(instant: string, days: number): string {
  return new Date(Date.parse(instant) + days * 86_400_000).toISOString();
}
