import { FUNCTION_SECRETS, type RegisteredFunctionName } from '@ereg/shared';
import type { SecretVariable } from './config.ts';

/** Every function the entry module registers: the API's, the text messages' and the event-triggered ones. */
export type DeployedFunctionName = RegisteredFunctionName;

/** The topics this program declares, by role. */
export type TopicRole = 'events' | 'publishSlots' | 'closeDays' | 'sampleLookups' | 'admitQueue' | 'matchStandby';

/**
 * Who may call an HTTP function: `anyone`, because the function authenticates every request itself
 * (Firebase ID tokens, Twilio's signature), or only Cloud Tasks (`tasks`: the platform lets through
 * only requests carrying the tasks account's OIDC token).
 */
export type HttpCallers = 'anyone' | 'tasks';

/** What starts a function: an HTTPS request, a document created in Firestore, or a message on a topic. */
export type Trigger =
  | { kind: 'http'; callers: HttpCallers }
  | { kind: 'document-created'; document: string }
  | { kind: 'topic'; topic: TopicRole };

/**
 * Instances of one function. `minInstances` holds on an ordinary day; `openingMinInstances` is set
 * ten minutes before a new age group opens (stack setting `opening`) and lowered an hour after,
 * because an opening multiplies traffic twenty times within a minute (docs/capacity.md §6).
 */
export interface ScaleSettings {
  minInstances: number;
  openingMinInstances: number;
  maxInstances: number;
}

/**
 * What a function's code reaches, and so all its own runtime account is granted (iam.ts) and all the
 * secrets it mounts (functions.ts). `firestore`: `read` for a function that never writes; `tasks`:
 * `schedule` creates send tasks (acting as the tasks account for their OIDC token), `cancel` deletes
 * them too; `signTokens`: mints Firebase custom tokens (signBlob as itself); `setClaims`: keeps centre
 * staff's sign-in accounts (creates them, sets their role claims, revokes and disables them); `warehouse`:
 * `query` reads the `ereg` dataset's tables and views and runs query jobs (the reports), `write` writes
 * its tables by load jobs (the availability snapshots, and the centres, vaccines and population they
 * are read with). Found in the
 * code: functions/src/runtime/cloud/cloud-system.ts and the use cases each function's routes or events reach.
 */
export interface RuntimeAccess {
  firestore: 'none' | 'read' | 'write';
  secrets: readonly SecretVariable[];
  publishEvents?: true;
  streamAnalytics?: true;
  warehouse?: 'query' | 'write';
  tasks?: 'schedule' | 'cancel';
  signTokens?: true;
  setClaims?: true;
}

export interface FunctionSpec {
  description: string;
  trigger: Trigger;
  timeoutSeconds: number;
  scale: ScaleSettings;
  access: RuntimeAccess;
}

const http: Trigger = { kind: 'http', callers: 'anyone' };

/**
 * How each registered function is deployed. Typed by the names the code registers, so a function
 * added to the registry (@ereg/shared function-names.ts) does not compile here until it has a trigger and a
 * scale. Maxima are the ×10 plan of docs/capacity.md §6; the functions it does not size get small ones.
 */
export const FUNCTION_SPECS: Record<DeployedFunctionName, FunctionSpec> = {
  login: {
    description: 'Exchanges an identity provider assertion for a session',
    trigger: http,
    timeoutSeconds: 60,
    scale: { minInstances: 1, openingMinInstances: 50, maxInstances: 150 },
    // Enrols a first-time patient (the PESEL index) and mints the session's custom token.
    access: { firestore: 'write', secrets: FUNCTION_SECRETS.login, signTokens: true },
  },
  search: {
    description: 'Soonest free slots near a place; the vaccine catalogue',
    trigger: http,
    timeoutSeconds: 60,
    scale: { minInstances: 1, openingMinInstances: 30, maxInstances: 100 },
    // Free slots, the availability summaries and the catalogue: reads only, and no personal data.
    access: { firestore: 'read', secrets: FUNCTION_SECRETS.search },
  },
  booking: {
    description: 'Books, cancels and reschedules appointments',
    trigger: http,
    timeoutSeconds: 60,
    scale: { minInstances: 1, openingMinInstances: 16, maxInstances: 60 },
    // An agent finds a patient by PESEL (the keyed index).
    access: { firestore: 'write', secrets: FUNCTION_SECRETS.booking },
  },
  centres: {
    description: "Centre schedules, the day's list, check-in, completion and no-shows",
    trigger: http,
    timeoutSeconds: 60,
    scale: { minInstances: 0, openingMinInstances: 0, maxInstances: 20 },
    // The day's list shows each patient's PESEL for the identity check (sealed in the store); a centre's
    // manager adds and removes its staff, with their sign-in accounts.
    access: { firestore: 'write', secrets: FUNCTION_SECRETS.centres, setClaims: true },
  },
  admin: {
    description: 'Eligibility rules, onboarding of centres and staff, priority groups',
    trigger: http,
    timeoutSeconds: 60,
    scale: { minInstances: 0, openingMinInstances: 0, maxInstances: 10 },
    // Referrals name patients by PESEL; onboarding makes the first staff's accounts.
    access: { firestore: 'write', secrets: FUNCTION_SECRETS.admin, setClaims: true },
  },
  reports: {
    description: 'The ministry’s dashboard and its public summary, from the warehouse’s views',
    trigger: http,
    timeoutSeconds: 60,
    scale: { minInstances: 0, openingMinInstances: 1, maxInstances: 10 },
    // Reads the views in BigQuery with parameterised queries; no personal data, no Firestore but sign-in.
    access: { firestore: 'read', secrets: FUNCTION_SECRETS.reports, warehouse: 'query' },
  },
  sms: {
    // Twilio's webhooks: every request must carry Twilio's signature over SMS_WEBHOOK_URL. Delivery
    // reports come at about twice the sending rate, a short Firestore write each (docs/capacity.md §6).
    description: "Twilio's webhooks: texts people send us (/inbound) and delivery reports (/status)",
    trigger: http,
    timeoutSeconds: 60,
    scale: { minInstances: 0, openingMinInstances: 1, maxInstances: 10 },
    // Checks Twilio's signature; the SMS conversation is keyed by phone and names patients by PESEL;
    // replies are send tasks.
    access: { firestore: 'write', secrets: FUNCTION_SECRETS.sms, tasks: 'schedule' },
  },
  smsTasks: {
    // The "SMS sender (Cloud Tasks target)" of docs/capacity.md §6; the queue's rate caps what it sends.
    description: 'Sends one message of the ledger when its task falls due (the target of the Cloud Tasks queue)',
    trigger: { kind: 'http', callers: 'tasks' },
    timeoutSeconds: 60,
    scale: { minInstances: 0, openingMinInstances: 1, maxInstances: 10 },
    // Sends through Twilio and puts a postponed message back on the queue (the next hop).
    access: { firestore: 'write', secrets: FUNCTION_SECRETS.smsTasks, tasks: 'schedule' },
  },
  relayOutbox: {
    description: 'Publishes every outbox event to the events topic',
    trigger: { kind: 'document-created', document: 'outbox/{eventId}' },
    timeoutSeconds: 60,
    scale: { minInstances: 1, openingMinInstances: 30, maxInstances: 100 },
    // The event comes in the trigger's payload: no Firestore read.
    access: { firestore: 'none', secrets: FUNCTION_SECRETS.relayOutbox, publishEvents: true },
  },
  projectAvailability: {
    description: 'Keeps the availability summaries that search reads',
    trigger: { kind: 'topic', topic: 'events' },
    timeoutSeconds: 60,
    scale: { minInstances: 0, openingMinInstances: 2, maxInstances: 8 },
    access: { firestore: 'write', secrets: FUNCTION_SECRETS.projectAvailability },
  },
  recordAnalytics: {
    // Sees every event, as the relay does; behind, it only delays the reports.
    description: 'Streams every event into BigQuery',
    trigger: { kind: 'topic', topic: 'events' },
    timeoutSeconds: 60,
    scale: { minInstances: 0, openingMinInstances: 0, maxInstances: 100 },
    // Marks each event once (processedEvents) and streams it.
    access: { firestore: 'write', secrets: FUNCTION_SECRETS.recordAnalytics, streamAnalytics: true },
  },
  planMessages: {
    // Sees every event, as recordAnalytics does, and schedules a booking's confirmation and reminder;
    // behind, confirmations lag, which docs/capacity.md §7.3 allows (the screen already shows the visit).
    description: "Plans the text messages of a booking's events on the send queue",
    trigger: { kind: 'topic', topic: 'events' },
    timeoutSeconds: 60,
    scale: { minInstances: 0, openingMinInstances: 2, maxInstances: 100 },
    // Plans and drops a booking's messages; the queue's tasks carry the tasks account's token.
    access: { firestore: 'write', secrets: FUNCTION_SECRETS.planMessages, tasks: 'cancel' },
  },
  publishDueSlots: {
    // One run a night over every centre; a retried run resumes from each centre's published date.
    description: 'Publishes the slots that come into the booking horizon',
    trigger: { kind: 'topic', topic: 'publishSlots' },
    timeoutSeconds: 540,
    scale: { minInstances: 0, openingMinInstances: 0, maxInstances: 1 },
    // Once the night's slots are published, the day's availability snapshot and the dimensions are
    // loaded into the warehouse.
    access: { firestore: 'write', secrets: FUNCTION_SECRETS.publishDueSlots, warehouse: 'write' },
  },
  closeCentreDays: {
    // Every quarter of an hour: the centre-days that are over get their no-shows; a run cut short is
    // finished by the next, and a day is closed once (shared/src/use-cases/close-days.ts).
    description: 'Closes the centre days that are over: visits nobody came to become no-shows',
    trigger: { kind: 'topic', topic: 'closeDays' },
    timeoutSeconds: 540,
    scale: { minInstances: 0, openingMinInstances: 0, maxInstances: 1 },
    access: { firestore: 'write', secrets: FUNCTION_SECRETS.closeCentreDays },
  },
  sampleLookups: {
    // Once a night: yesterday's look-ups sampled for the supervisors' review; a second run of the same
    // day queues nothing new (shared/src/use-cases/hotline-review.ts).
    description: 'Draws the daily sample of hotline look-ups for the supervisors to review',
    trigger: { kind: 'topic', topic: 'sampleLookups' },
    timeoutSeconds: 540,
    scale: { minInstances: 0, openingMinInstances: 0, maxInstances: 1 },
    access: { firestore: 'write', secrets: FUNCTION_SECRETS.sampleLookups },
  },
  admitQueue: {
    // Every minute a run ticks the waiting rooms once a second for 55 s, under a lease in Firestore:
    // one instance is all it takes (the tick is one writer per room), kept warm around an opening.
    description: 'Admits people from the waiting rooms once a second, at the rate booking shows it serves',
    trigger: { kind: 'topic', topic: 'admitQueue' },
    timeoutSeconds: 70,
    scale: { minInstances: 0, openingMinInstances: 1, maxInstances: 1 },
    // Rooms, tickets, the lease and the booking instances' summaries; it signs no ticket.
    access: { firestore: 'write', secrets: FUNCTION_SECRETS.admitQueue },
  },
  // The standby list
  matchStandby: {
    // Every minute a run lets lapsed holds pass on and offers noted places every 5 s for 55 s, under a
    // lease in Firestore: one instance at a time (each hold is its own transaction).
    description: 'Offers freed places to the standby list and passes on the holds that lapsed',
    trigger: { kind: 'topic', topic: 'matchStandby' },
    timeoutSeconds: 120,
    scale: { minInstances: 0, openingMinInstances: 0, maxInstances: 1 },
    // Entries, offers, notes, slots and the visits taken places become; the lease.
    access: { firestore: 'write', secrets: FUNCTION_SECRETS.matchStandby },
  },
  noteStandby: {
    // Sees every event: a cancelled or moved visit, or new hours, notes a freed place for matchStandby;
    // a visit booked another way ends the person's entry. Idempotent: a note is one per slot.
    description: 'Notes freed places for the standby list from the events',
    trigger: { kind: 'topic', topic: 'events' },
    timeoutSeconds: 60,
    scale: { minInstances: 0, openingMinInstances: 1, maxInstances: 20 },
    access: { firestore: 'write', secrets: FUNCTION_SECRETS.noteStandby },
  },
};

/** The deployed names, in the order of FUNCTION_SPECS. */
export const DEPLOYED_FUNCTION_NAMES = Object.keys(FUNCTION_SPECS) as DeployedFunctionName[];

/**
 * The URL a 2nd-gen function answers on besides its Cloud Run URL. Known before the function exists,
 * so the functions' environment can name a function (SMS_WEBHOOK_URL, TASKS_TARGET_URL) without
 * depending on it, which would be a cycle: every function's environment names them.
 */
export function functionUrl(project: string, region: string, name: DeployedFunctionName): string {
  return `https://${region}-${project}.cloudfunctions.net/${name}`;
}
