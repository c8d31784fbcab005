import { parseBookingReference } from '../booking-reference.ts';
import { conflict, invalid, notFound, RetryLaterError } from '../errors.ts';
import { type LookupBy, makeEvent, type RevealableField } from '../events.ts';
import { maskPhone, normalizeLandline, normalizeMobile, normalizePhone, requireOneNumber } from '../messages/phone.ts';
import type { Actor, HotlineAlert, Instant, Language, LocalDate, LookupReason, Patient } from '../model.ts';
import { parsePesel } from '../pesel.ts';
import type { Transaction } from '../ports.ts';
import { actorOf, type Principal, requireRole } from '../principal.ts';
import { localToday } from '../time-zone.ts';
import { audit, type Deps } from './deps.ts';
import { referredGroups } from './group-referrals.ts';
import { grantUntil, requireLookUp } from './patient-access.ts';

/** Why an agent looks a caller up: a reason from the list, and words when it is `other`. */
export interface LookupWhy {
  reason: LookupReason;
  /** Required with `other`; kept in the audit, never in events. */
  note?: string | undefined;
}

/** How a caller is found: by PESEL, by a booking reference they read out, or by the number they call from. */
export type LookupQuery = { by: LookupBy; value: string } & LookupWhy;

/**
 * A person as the hotline first sees them: name and birth date in full (to confirm with the caller),
 * everything else masked until the agent reveals it (`revealField`, audited).
 */
export interface CallerCard {
  patientId: string;
  givenName: string;
  familyName: string;
  birthDate: LocalDate;
  /** The last four digits. */
  pesel: string;
  phone: string | null;
  landline: string | null;
  language: Language;
  /** Registered by an agent from a call, not yet by the person's own login: the centre checks their identity. */
  registeredByPhone: boolean;
  /** Until when the agent may act for this person. */
  accessUntil: Instant;
}

export interface LookupAnswer {
  callers: CallerCard[];
  /** A phone number shared by more people than are listed: ask the caller for their PESEL. */
  more: boolean;
}

/** The most people one phone look-up lists: a household, not a directory. */
export const PHONE_MATCHES_LISTED = 5;

const LOOKUP_ACTION = 'lookup';

/** The audit's words for a look-up's reason: the agent's own for `other`, else the reason's code. */
export function lookupReasonText(why: LookupWhy): string {
  if (why.reason !== 'other') return why.reason;
  const note = why.note?.trim() ?? '';
  if (note.length < 3) {
    throw invalid('REASON_NOTE_REQUIRED', 'With the reason “other”, say why in at least 3 characters.', 'note');
  }
  return note;
}

const maskPesel = (pesel: string) => `*******${pesel.slice(-4)}`;

/** The card of a person found, masked. */
export function callerCard(patient: Patient, accessUntil: Instant): CallerCard {
  return {
    patientId: patient.id,
    givenName: patient.givenName,
    familyName: patient.familyName,
    birthDate: patient.birthDate,
    pesel: maskPesel(patient.pesel),
    phone: patient.phone ? maskPhone(patient.phone) : null,
    landline: patient.landline ? maskPhone(patient.landline) : null,
    language: patient.language,
    registeredByPhone: patient.registeredBy === 'phone',
    accessUntil,
  };
}

/** The start of the clock hour an instant falls in, and its end. */
function hourOf(now: Date): { start: Instant; end: number } {
  const start = Math.floor(now.getTime() / 3_600_000) * 3_600_000;
  return { start: new Date(start).toISOString(), end: start + 3_600_000 };
}

/** What a look-up must do besides answering: alerts to raise, counts to write. */
interface Watch {
  writes: Array<(tx: Transaction) => void>;
  alerts: HotlineAlert[];
}

/**
 * Inside the look-up's transaction, before any write: the agent's count for this hour. Past the budget
 * the look-up is refused; the first refusal of the hour alerts the supervisors (written, then refused
 * after the commit).
 */
async function countAgainstBudget(
  deps: Deps,
  tx: Transaction,
  agentId: string,
  now: Date,
  watch: Watch,
): Promise<{ refused: number | null }> {
  const hour = hourOf(now);
  const key = `budget:${agentId}:${hour.start}`;
  const tally = (await tx.getTally(key)) ?? {
    key,
    count: 0,
    agents: [],
    alerted: false,
    // Kept a day after its hour, for the supervisors' questions about it.
    expiresAt: new Date(hour.end + 86_400_000).toISOString(),
  };
  if (tally.count >= deps.settings.lookupBudgetPerHour) {
    if (!tally.alerted) {
      watch.alerts.push(newAlert(deps, now, 'lookup_budget', agentId, null, tally.count + 1));
      watch.writes.push((w) => w.putTally({ ...tally, alerted: true }));
    }
    return { refused: hour.end - now.getTime() };
  }
  watch.writes.push((w) => w.putTally({ ...tally, count: tally.count + 1 }));
  return { refused: null };
}

/** Inside the transaction, before any write: the day's agents of a person, and the watch list. */
async function watchPerson(
  deps: Deps,
  tx: Transaction,
  agentId: string,
  patient: Patient,
  now: Date,
  watch: Watch,
): Promise<void> {
  const date = localToday(now, deps.settings.timeZone);
  const key = `patient:${patient.id}:${date}`;
  const tally = (await tx.getTally(key)) ?? {
    key,
    count: 0,
    agents: [],
    alerted: false,
    expiresAt: new Date(now.getTime() + 2 * 86_400_000).toISOString(),
  };
  const agents = tally.agents.includes(agentId) ? tally.agents : [...tally.agents, agentId];
  const crossed = agents.length >= deps.settings.lookupAlertAgents && !tally.alerted;
  if (crossed) watch.alerts.push(newAlert(deps, now, 'many_agents', null, patient.id, agents.length));
  watch.writes.push((w) => w.putTally({ ...tally, agents, count: agents.length, alerted: tally.alerted || crossed }));
  if (await tx.getWatchEntry(patient.pesel)) {
    watch.alerts.push(newAlert(deps, now, 'watch_list', agentId, patient.id, null));
  }
}

function newAlert(
  deps: Deps,
  now: Date,
  kind: HotlineAlert['kind'],
  agentId: string | null,
  patientId: string | null,
  count: number | null,
): HotlineAlert {
  return { id: deps.ids.next('alr'), kind, agentId, patientId, at: now.toISOString(), count, acknowledged: null };
}

/** Writes the alerts of a look-up with their events. */
function raise(deps: Deps, tx: Transaction, now: Date, alerts: readonly HotlineAlert[]): void {
  const system: Actor = { role: 'system', id: 'hotline' };
  for (const alert of alerts) {
    tx.putAlert(alert);
    tx.addEvent(
      makeEvent(deps.ids.next('evt'), 'hotline.alert_raised', now, system, alert.id, {
        alertId: alert.id,
        kind: alert.kind,
        agentId: alert.agentId,
        patientId: alert.patientId,
        count: alert.count,
      }),
    );
  }
}

/** The people a query names, read inside the transaction (one more than listed for a phone, to tell `more`). */
async function peopleOf(tx: Transaction, query: LookupQuery): Promise<Patient[]> {
  switch (query.by) {
    case 'pesel': {
      const patient = await tx.getPatientByPesel(parsePesel(query.value, 'value').pesel);
      return patient ? [patient] : [];
    }
    case 'reference': {
      const taken = await tx.getBookingReference(parseBookingReference(query.value, 'value'));
      const patient = taken ? await tx.getPatient(taken.patientId) : null;
      return patient ? [patient] : [];
    }
    case 'phone':
      return tx.listPatientsByPhone(normalizePhone(query.value, 'value').number, PHONE_MATCHES_LISTED + 1);
  }
}

/** What the checks of a look-up decided: refused for how long, or the people found; and what to write. */
export interface LookUpGuard {
  refusedForMs: number | null;
  people: Patient[];
  /** Writes the counts and alerts (call once the unit's reads are done, refused or not). */
  apply(tx: Transaction): void;
}

/**
 * Inside a look-up's transaction, before any write: counts it against the agent's hourly budget, finds
 * the people (`find`, its reads), and watches each one (the day's agents, the watch list); `watched`
 * names a PESEL typed that found no one, which alerts too when watched.
 */
export async function guardLookUp(
  deps: Deps,
  tx: Transaction,
  agentId: string,
  now: Date,
  find: () => Promise<Patient[]>,
  watched: string | null = null,
): Promise<LookUpGuard> {
  const watch: Watch = { writes: [], alerts: [] };
  const apply = (w: Transaction) => {
    for (const write of watch.writes) write(w);
    raise(deps, w, now, watch.alerts);
  };
  const budget = await countAgainstBudget(deps, tx, agentId, now, watch);
  if (budget.refused !== null) return { refusedForMs: budget.refused, people: [], apply };
  const people = await find();
  for (const patient of people.slice(0, PHONE_MATCHES_LISTED)) {
    await watchPerson(deps, tx, agentId, patient, now, watch);
  }
  if (people.length === 0 && watched !== null && (await tx.getWatchEntry(watched))) {
    watch.alerts.push(newAlert(deps, now, 'watch_list', agentId, null, null));
  }
  return { refusedForMs: null, people, apply };
}

/** The refusal of a look-up past the agent's budget, until the hour ends. */
export function budgetExceeded(deps: Deps, retryAfterMs: number): RetryLaterError {
  return new RetryLaterError(
    'LOOKUP_BUDGET_EXCEEDED',
    `You have made ${deps.settings.lookupBudgetPerHour} look-ups this hour, the most allowed; your supervisor has been told. Try again when the hour ends.`,
    retryAfterMs,
  );
}

/**
 * A hotline agent finds a caller — by PESEL, by a booking reference, or by the number they call from
 * (which may name a few people: each is listed, masked) — after choosing why. Each person named is
 * audited with the reason and gives the agent leave to act for them for `Settings.agentAccessMinutes`;
 * a look-up that finds no one is audited too, with no person. Every look-up counts against the agent's
 * hourly budget (`LOOKUP_BUDGET_EXCEEDED`, 429 until the hour ends, the supervisors alerted once), and a
 * person looked up by many agents in a day, or on the watch list, alerts the supervisors.
 */
export async function lookUpCaller(deps: Deps, principal: Principal, query: LookupQuery): Promise<LookupAnswer> {
  requireRole(principal, 'agent');
  const why = lookupReasonText(query);
  const actor = actorOf(principal);
  const details = { reasonCode: query.reason };
  const typed = query.by === 'pesel' ? parsePesel(query.value, 'value').pesel : null;
  const outcome = await deps.store.runInTransaction(async (tx) => {
    const now = deps.clock.now();
    const guard = await guardLookUp(deps, tx, principal.agentId, now, () => peopleOf(tx, query), typed);
    guard.apply(tx);
    if (guard.refusedForMs !== null) {
      audit(deps, tx, actor, null, 'lookup-refused', why, details);
      return { refusedForMs: guard.refusedForMs, answer: null };
    }
    const listed = guard.people.slice(0, PHONE_MATCHES_LISTED);
    const until = grantUntil(deps, now);
    for (const patient of listed) {
      tx.putAccessGrant({ agentId: principal.agentId, patientId: patient.id, until });
      audit(deps, tx, actor, patient.id, LOOKUP_ACTION, why, details);
    }
    if (listed.length === 0) audit(deps, tx, actor, null, LOOKUP_ACTION, why, details);
    tx.addEvent(
      makeEvent(deps.ids.next('evt'), 'hotline.looked_up', now, actor, principal.agentId, {
        by: query.by,
        reasonCode: query.reason,
        found: listed.length,
      }),
    );
    return {
      refusedForMs: null,
      answer: { callers: listed.map((p) => callerCard(p, until)), more: guard.people.length > listed.length },
    };
  });
  if (outcome.answer === null) throw budgetExceeded(deps, outcome.refusedForMs ?? 60_000);
  if (outcome.answer.callers.length === 0) {
    throw notFound(
      'PATIENT_NOT_FOUND',
      query.by === 'pesel'
        ? 'No patient with this PESEL has registered yet: register the caller.'
        : 'No patient matches; ask the caller for their PESEL.',
      'value',
    );
  }
  return outcome.answer;
}

/**
 * Shows one masked field of a person the agent looked up (while the look-up's leave lasts), audited
 * with the field and announced as an event. A field the person does not have answers null.
 */
export async function revealField(
  deps: Deps,
  principal: Principal,
  input: { patientId: string; field: RevealableField },
): Promise<{ patientId: string; field: RevealableField; value: string | null }> {
  requireRole(principal, 'agent');
  return deps.store.runInTransaction(async (tx) => {
    await requireLookUp(deps, tx, principal, input.patientId);
    const patient = await tx.getPatient(input.patientId);
    if (!patient) throw notFound('PATIENT_NOT_FOUND', 'There is no such patient.', 'patientId');
    const now = deps.clock.now();
    const actor = actorOf(principal);
    audit(deps, tx, actor, patient.id, 'reveal', `reveal ${input.field}`, { field: input.field });
    tx.addEvent(
      makeEvent(deps.ids.next('evt'), 'hotline.field_revealed', now, actor, patient.id, {
        patientId: patient.id,
        field: input.field,
      }),
    );
    const value = input.field === 'pesel' ? patient.pesel : (patient[input.field] ?? null);
    return { patientId: patient.id, field: input.field, value };
  });
}

/** The one number a caller registered by phone is reached at: the mobile or the landline they gave. */
function callerNumber(input: Pick<CallerRegistration, 'phone' | 'landline'>): Pick<Patient, 'phone' | 'landline'> {
  requireOneNumber(input.phone, input.landline);
  if (input.landline) return { phone: null, landline: normalizeLandline(input.landline) };
  if (input.phone) return { phone: normalizeMobile(input.phone), landline: null };
  throw invalid('PHONE_REQUIRED', 'Give the caller’s mobile or landline, to reach them about their visit.', 'phone');
}

export interface CallerRegistration extends LookupWhy {
  pesel: string;
  givenName: string;
  familyName: string;
  /** A mobile (texted), or else… */
  phone?: string | undefined;
  /** …a landline (noted to call back, never texted): one of the two. */
  landline?: string | undefined;
  language?: Language | undefined;
  /** The agent asked the checking questions and the caller answered them. */
  checked: boolean;
}

/**
 * Registers a caller who has never logged in, from what they told the agent after the checking
 * questions: marked as registered by phone (the centre checks their identity document at the visit,
 * until their first login replaces the names with the identity provider's). Counts as a look-up: the
 * agent may act for them at once. A PESEL already registered is refused: look the person up instead.
 * One number: a mobile (`phone`, texted) or a landline (`landline`, a mobile there is `NOT_A_LANDLINE`).
 */
export async function registerCaller(deps: Deps, principal: Principal, input: CallerRegistration): Promise<CallerCard> {
  requireRole(principal, 'agent');
  if (!input.checked) {
    throw invalid('CHECK_REQUIRED', 'Ask the checking questions before registering the caller.', 'checked');
  }
  const why = lookupReasonText(input);
  const person = parsePesel(input.pesel);
  const contact = callerNumber(input);
  const actor = actorOf(principal);
  return deps.store.runInTransaction(async (tx) => {
    const now = deps.clock.now();
    const existing = await tx.getPatientByPesel(person.pesel);
    if (existing) {
      throw conflict('PATIENT_EXISTS', 'This PESEL is registered already: look the caller up by it instead.');
    }
    const referred = await referredGroups(tx, person.pesel);
    const patient: Patient = {
      id: deps.ids.next('pat'),
      pesel: person.pesel,
      givenName: input.givenName,
      familyName: input.familyName,
      birthDate: person.birthDate,
      sex: person.sex,
      ...contact,
      language: input.language ?? 'pl',
      groups: referred,
      createdAt: now.toISOString(),
      registeredBy: 'phone',
    };
    const guard = await guardLookUp(deps, tx, principal.agentId, now, async () => [patient]);
    if (guard.refusedForMs !== null) throw budgetExceeded(deps, guard.refusedForMs);
    guard.apply(tx);
    tx.putPatient(patient);
    tx.addEvent(
      makeEvent(deps.ids.next('evt'), 'patient.registered.v2', now, actor, patient.id, {
        patientId: patient.id,
        birthYear: Number(patient.birthDate.slice(0, 4)),
        sex: patient.sex,
        channel: 'phone',
      }),
    );
    if (referred.length > 0) {
      tx.addEvent(
        makeEvent(deps.ids.next('evt'), 'patient.groups_changed', now, actor, patient.id, {
          patientId: patient.id,
          groups: referred,
        }),
      );
    }
    const until = grantUntil(deps, now);
    tx.putAccessGrant({ agentId: principal.agentId, patientId: patient.id, until });
    audit(deps, tx, actor, patient.id, 'register-caller', why, { reasonCode: input.reason });
    return callerCard(patient, until);
  });
}
