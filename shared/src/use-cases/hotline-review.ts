import { createHash } from 'node:crypto';
import { conflict, forbidden, invalid, notFound } from '../errors.ts';
import { makeEvent, REVEALABLE_FIELDS, type RevealableField } from '../events.ts';
import type {
  Actor,
  ActorRole,
  AuditRecord,
  HotlineAlert,
  Instant,
  LocalDate,
  LookupReason,
  LookupReview,
  ReviewOutcome,
  WatchEntry,
} from '../model.ts';
import { parsePesel } from '../pesel.ts';
import { actorOf, type Principal, requireRole } from '../principal.ts';
import { addDays, isValidLocalDate, localToday, toInstant } from '../time-zone.ts';
import { audit, type Deps } from './deps.ts';

/** One look-up of a patient's data, as the patient sees it. */
export interface AccessLogEntry {
  at: Instant;
  /** Who, by role: `agent` (the hotline), `staff` (a vaccination centre), `admin`, `sms` (a phone that booked). */
  role: ActorRole;
  /** Their pseudonym (ActorPseudonyms): the same for the same person, never their id. */
  who: string;
  /** What they did: `lookup`, `reveal`, `book`, `day-list`, … */
  action: string;
  /** The hotline's reason from the list; null for other reaches (a centre's day list, a booking). */
  reason: LookupReason | null;
  /** What a reveal showed (`phone`, `landline`, `pesel`); null for every other action. */
  field: RevealableField | null;
}

const revealed = (field: string | undefined): RevealableField | null =>
  REVEALABLE_FIELDS.find((f) => f === field) ?? null;

/** Who looked at my data: every reach of the patient's record by someone else, newest first. */
export async function listAccessLog(deps: Deps, principal: Principal, patientId: string): Promise<AccessLogEntry[]> {
  if (principal.role !== 'patient' || principal.patientId !== patientId) {
    throw forbidden('NOT_YOUR_DATA', 'Only the person themselves can see who looked at their data.');
  }
  const records = await deps.store.listAudit(patientId);
  return records
    .filter((r) => r.actor.role !== 'patient' && r.actor.role !== 'system')
    .reverse()
    .map((r) => ({
      at: r.at,
      role: r.actor.role,
      who: deps.pseudonyms.of(r.actor),
      action: r.action,
      reason: r.reasonCode ?? null,
      field: revealed(r.field),
    }));
}

export interface AuditLogQuery {
  agentId?: string | undefined;
  patientId?: string | undefined;
  reason?: LookupReason | undefined;
  /** Local dates (Settings.timeZone), both included. */
  from?: LocalDate | undefined;
  to?: LocalDate | undefined;
  limit?: number | undefined;
  /** The `next` of the previous page. */
  after?: string | undefined;
}

export interface AuditLogPage {
  records: Array<AuditRecord & { pseudonym: string }>;
  /** Pass as `after` for the next page; null on the last. */
  next: string | null;
}

/** The start of a local date in the country's zone, as an instant. */
function startOf(deps: Deps, date: LocalDate, field: string): Instant {
  if (!isValidLocalDate(date)) throw invalid('INVALID_DATE', `${field} must be a date (YYYY-MM-DD).`, field);
  const instant = toInstant(date, '00:00', deps.settings.timeZone);
  if (!instant) throw invalid('INVALID_DATE', `${field} has no midnight in ${deps.settings.timeZone}.`, field);
  return instant.toISOString();
}

const encodeCursor = (r: { at: string; id: string }) => Buffer.from(JSON.stringify([r.at, r.id])).toString('base64url');

function decodeCursor(cursor: string): { at: Instant; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof at === 'string' && typeof id === 'string') return { at, id };
  } catch {
    // answered below
  }
  throw invalid('INVALID_CURSOR', 'after must be the next of an earlier page.', 'after');
}

/**
 * The filters of an audit read, as its own audit record keeps them: the agent, reason, dates and size
 * asked for, and whether it was a later page (the person asked for is the record's `patientId`).
 */
function auditFilters(query: AuditLogQuery): string {
  const used = new URLSearchParams();
  if (query.agentId !== undefined) used.set('agentId', query.agentId);
  if (query.reason !== undefined) used.set('reason', query.reason);
  if (query.from !== undefined) used.set('from', query.from);
  if (query.to !== undefined) used.set('to', query.to);
  if (query.limit !== undefined) used.set('limit', String(query.limit));
  if (query.after !== undefined) used.set('page', 'next');
  return used.toString() || 'all';
}

/**
 * The supervisors' audit log: who reached whose data, when, why, what they revealed or changed —
 * filtered by agent, patient, reason and local dates, newest first, a page at a time. Each record also
 * carries the actor's pseudonym, as the patient sees it, to match a patient's question to an agent.
 * Each read is audited (`audit-read`, with the filters used).
 */
export async function queryAuditLog(deps: Deps, principal: Principal, query: AuditLogQuery): Promise<AuditLogPage> {
  requireRole(principal, 'supervisor');
  const limit = query.limit ?? 50;
  const from = query.from === undefined ? undefined : startOf(deps, query.from, 'from');
  const to = query.to === undefined ? undefined : startOf(deps, addDays(query.to, 1), 'to');
  if (from && to && from >= to) throw invalid('INVALID_RANGE', 'to must not be before from.', 'to');
  const records = await deps.store.queryAudit({
    actorId: query.agentId,
    patientId: query.patientId,
    reasonCode: query.reason,
    from,
    to,
    limit: limit + 1,
    after: query.after === undefined ? undefined : decodeCursor(query.after),
  });
  const page = records.slice(0, limit);
  const last = page[page.length - 1];
  // Reading the audit is itself audited; written after the read, so that a page never lists its own
  // reading, and before answering, so that nothing is shown unless the record was kept.
  await deps.store.runInTransaction(async (tx) =>
    audit(deps, tx, actorOf(principal), query.patientId ?? null, 'audit-read', auditFilters(query)),
  );
  return {
    records: page.map((r) => ({ ...r, pseudonym: deps.pseudonyms.of(r.actor) })),
    next: records.length > limit && last ? encodeCursor(last) : null,
  };
}

/** The hotline's alerts, newest first (only open or only acknowledged ones when asked). */
export async function listHotlineAlerts(
  deps: Deps,
  principal: Principal,
  open: boolean | undefined,
): Promise<HotlineAlert[]> {
  requireRole(principal, 'supervisor');
  return deps.store.listAlerts({ open, limit: 200 });
}

/** A supervisor acknowledges an alert, with a note; once. */
export async function acknowledgeAlert(
  deps: Deps,
  principal: Principal,
  input: { alertId: string; note?: string | undefined },
): Promise<HotlineAlert> {
  requireRole(principal, 'supervisor');
  return deps.store.runInTransaction(async (tx) => {
    const alert = await tx.getAlert(input.alertId);
    if (!alert) throw notFound('ALERT_NOT_FOUND', 'There is no such alert.', 'alertId');
    if (alert.acknowledged) throw conflict('ALERT_ACKNOWLEDGED', 'This alert was acknowledged already.');
    const now = deps.clock.now();
    const actor = actorOf(principal);
    const acknowledged: HotlineAlert = {
      ...alert,
      acknowledged: { by: actor, at: now.toISOString(), note: input.note ?? '' },
    };
    tx.putAlert(acknowledged);
    tx.addEvent(
      makeEvent(deps.ids.next('evt'), 'hotline.alert_acknowledged', now, actor, alert.id, {
        alertId: alert.id,
        kind: alert.kind,
      }),
    );
    return acknowledged;
  });
}

/** The sampled look-ups, newest first (only those awaiting a verdict, or only decided ones, when asked). */
export async function listLookupReviews(
  deps: Deps,
  principal: Principal,
  pending: boolean | undefined,
): Promise<LookupReview[]> {
  requireRole(principal, 'supervisor');
  return deps.store.listReviews({ pending, limit: 200 });
}

/** A supervisor's verdict on a sampled look-up; once. */
export async function decideReview(
  deps: Deps,
  principal: Principal,
  input: { reviewId: string; outcome: ReviewOutcome; note?: string | undefined },
): Promise<LookupReview> {
  requireRole(principal, 'supervisor');
  if (input.outcome !== 'justified' && (input.note?.trim().length ?? 0) < 3) {
    throw invalid('NOTE_REQUIRED', 'Say what was wrong or unclear (at least 3 characters).', 'note');
  }
  return deps.store.runInTransaction(async (tx) => {
    const review = await tx.getReview(input.reviewId);
    if (!review) throw notFound('REVIEW_NOT_FOUND', 'There is no such review.', 'reviewId');
    if (review.verdict) throw conflict('REVIEW_DECIDED', 'This look-up has its verdict already.');
    const now = deps.clock.now();
    const actor = actorOf(principal);
    const decided: LookupReview = {
      ...review,
      verdict: { outcome: input.outcome, note: input.note ?? '', by: actor, at: now.toISOString() },
    };
    tx.putReview(decided);
    tx.addEvent(
      makeEvent(deps.ids.next('evt'), 'hotline.review_decided', now, actor, review.id, {
        reviewId: review.id,
        outcome: input.outcome,
      }),
    );
    return decided;
  });
}

/** How many audit records the sample reads per page. */
const SAMPLE_PAGE = 500;

/**
 * Draws the daily sample of look-ups for review: of the agents' look-ups that found someone on a local
 * date (default yesterday), `Settings.reviewSamplePerDay` chosen by a hash of the date and each
 * record's id (unpredictable, since ids are random, and the same on every run), each queued once. Run
 * again for the same day, it queues nothing new. Answers the date and how many it queued.
 */
export async function sampleLookupsForReview(
  deps: Deps,
  date?: LocalDate,
): Promise<{ date: LocalDate; looked: number; queued: number }> {
  const day = date ?? addDays(localToday(deps.clock.now(), deps.settings.timeZone), -1);
  const from = startOf(deps, day, 'date');
  const to = startOf(deps, addDays(day, 1), 'date');
  const rank = (r: AuditRecord) => createHash('sha256').update(`${day}:${r.id}`).digest('hex');
  let chosen: Array<{ record: AuditRecord; rank: string }> = [];
  let looked = 0;
  let after: { at: Instant; id: string } | undefined;
  for (;;) {
    const page = await deps.store.queryAudit({ action: 'lookup', from, to, limit: SAMPLE_PAGE, after });
    for (const record of page) {
      if (record.actor.role !== 'agent' || record.patientId === null) continue;
      looked++;
      chosen.push({ record, rank: rank(record) });
    }
    // Only the lowest ranks are kept between pages: memory stays at one page and the sample.
    chosen = chosen.sort((a, b) => a.rank.localeCompare(b.rank)).slice(0, deps.settings.reviewSamplePerDay);
    const last = page[page.length - 1];
    if (page.length < SAMPLE_PAGE || !last) break;
    after = { at: last.at, id: last.id };
  }
  let queued = 0;
  const system: Actor = { role: 'system', id: 'review-sample' };
  for (const { record } of chosen) {
    const added = await deps.store.runInTransaction(async (tx) => {
      if (await tx.getReview(record.id)) return false;
      const now = deps.clock.now();
      tx.putReview({
        id: record.id,
        date: day,
        agentId: record.actor.id,
        patientId: record.patientId,
        reasonCode: record.reasonCode ?? null,
        reason: record.reason,
        at: record.at,
        queuedAt: now.toISOString(),
        verdict: null,
      });
      tx.addEvent(
        makeEvent(deps.ids.next('evt'), 'hotline.review_queued', now, system, record.id, {
          reviewId: record.id,
          date: day,
          agentId: record.actor.id,
        }),
      );
      return true;
    });
    if (added) queued++;
  }
  return { date: day, looked, queued };
}

/**
 * A watch-list entry as the API answers it: the PESEL masked to its last four digits, as the hotline
 * masks one (whoever added it knows it; the list shows no one else whom it watches).
 */
export const maskedWatchEntry = (entry: WatchEntry): WatchEntry => ({
  ...entry,
  pesel: `*******${entry.pesel.slice(-4)}`,
});

/** The watch list (supervisors and administrators), each PESEL masked. */
export async function listWatchList(deps: Deps, principal: Principal): Promise<WatchEntry[]> {
  requireRole(principal, 'supervisor', 'admin');
  return (await deps.store.listWatchList()).map(maskedWatchEntry);
}

/** Adds a PESEL to the watch list: every look-up of it alerts the supervisors. */
export async function watchPesel(
  deps: Deps,
  principal: Principal,
  input: { pesel: string; note: string },
): Promise<WatchEntry> {
  requireRole(principal, 'supervisor', 'admin');
  const { pesel } = parsePesel(input.pesel);
  return deps.store.runInTransaction(async (tx) => {
    if (await tx.getWatchEntry(pesel)) throw conflict('ALREADY_WATCHED', 'This PESEL is on the watch list already.');
    const now = deps.clock.now();
    const actor = actorOf(principal);
    const entry: WatchEntry = {
      id: deps.ids.next('wl'),
      pesel,
      note: input.note,
      addedBy: actor,
      addedAt: now.toISOString(),
    };
    tx.putWatchEntry(entry);
    tx.addEvent(
      makeEvent(deps.ids.next('evt'), 'hotline.watch_list_changed', now, actor, entry.id, {
        entryId: entry.id,
        change: 'added',
      }),
    );
    return maskedWatchEntry(entry);
  });
}

/** Removes a PESEL from the watch list: by the PESEL, or by the entry's id (as the list shows it masked). */
export async function unwatchPesel(
  deps: Deps,
  principal: Principal,
  input: { pesel?: string | undefined; entryId?: string | undefined },
): Promise<{ removed: string }> {
  requireRole(principal, 'supervisor', 'admin');
  let pesel: string;
  if (input.entryId !== undefined) {
    const found = (await deps.store.listWatchList()).find((e) => e.id === input.entryId);
    if (!found) throw notFound('NOT_WATCHED', 'No entry of the watch list has this id.', 'entryId');
    pesel = found.pesel;
  } else if (input.pesel !== undefined) {
    pesel = parsePesel(input.pesel).pesel;
  } else {
    throw invalid('ENTRY_REQUIRED', 'Say which entry to remove: its id or the PESEL.', 'entryId');
  }
  return deps.store.runInTransaction(async (tx) => {
    const entry = await tx.getWatchEntry(pesel);
    if (!entry) throw notFound('NOT_WATCHED', 'This PESEL is not on the watch list.', 'pesel');
    const now = deps.clock.now();
    const actor = actorOf(principal);
    tx.deleteWatchEntry(pesel);
    tx.addEvent(
      makeEvent(deps.ids.next('evt'), 'hotline.watch_list_changed', now, actor, entry.id, {
        entryId: entry.id,
        change: 'removed',
      }),
    );
    return { removed: entry.id };
  });
}
