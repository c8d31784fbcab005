import type { DatabaseSync } from 'node:sqlite';
import { LISTED_FIRST_SLOTS } from '@ereg/shared';
import { HISTORY_PREFIX } from '../../src/demo/report-history.ts';

/*
 * What must hold in a data folder after any crash, read straight from the SQLite file. Each check
 * answers what breaks it (an empty list when all is well), so a failure names the rows.
 */

/** The consumers whose position and handled events the database keeps (the centre cache lives in memory). */
export const PERSISTED_CONSUMERS = ['availability', 'analytics', 'sms'] as const;

/** Slots whose counter differs from their active (not cancelled) appointments, or is past their capacity. */
export function slotsOutOfLine(db: DatabaseSync) {
  return db
    .prepare(
      `SELECT s.id, s.capacity, s.booked, count(a.id) AS active
       FROM slots s LEFT JOIN appointments a ON a.slot_id = s.id AND a.status <> 'cancelled'
       GROUP BY s.id HAVING count(a.id) <> s.booked OR s.booked > s.capacity OR s.booked < 0`,
    )
    .all();
}

/** For each persisted consumer: its cursor short of the outbox's end, and events it never marked as handled. */
export function undeliveredEvents(db: DatabaseSync) {
  const end = (db.prepare('SELECT coalesce(max(seq), 0) AS seq FROM outbox').get() as { seq: number }).seq;
  return PERSISTED_CONSUMERS.flatMap((consumer) => {
    const cursor =
      (db.prepare('SELECT seq FROM consumer_cursors WHERE consumer = ?').get(consumer) as { seq: number } | undefined)
        ?.seq ?? 0;
    const missing = db
      .prepare(
        `SELECT o.id FROM outbox o
         WHERE NOT EXISTS (SELECT 1 FROM processed_events p WHERE p.consumer = ? AND p.event_id = o.id)`,
      )
      .all(consumer) as Array<{ id: string }>;
    return cursor === end && missing.length === 0
      ? []
      : [{ consumer, cursor, end, missing: missing.length, firstMissing: missing.slice(0, 5).map((m) => m.id) }];
  });
}

interface Summary {
  key: string;
  free: number;
  firstFree: string | null;
  firstSlots: string;
}

/** The search read model against a recount from the slots themselves: rows that differ, either way. */
export function availabilityDrift(db: DatabaseSync) {
  const stored = new Map<string, Summary>();
  const rows = db
    .prepare('SELECT centre_id, local_date, vaccine_id, free, first_free, first_slots FROM availability')
    .all() as Array<Record<string, string | number | null>>;
  for (const row of rows) {
    const key = `${row.centre_id}|${row.local_date}|${row.vaccine_id}`;
    const listed = JSON.parse(String(row.first_slots)) as Array<{ slotId: string; free: number }>;
    stored.set(key, {
      key,
      free: Number(row.free),
      firstFree: (row.first_free as string | null) ?? null,
      firstSlots: listed.map((s) => `${s.slotId}:${s.free}`).join(','),
    });
  }
  const counted = new Map<string, Summary & { listed: string[] }>();
  const slots = db
    .prepare(
      'SELECT id, centre_id, local_date, vaccine_id, start, capacity, booked FROM slots ORDER BY centre_id, local_date, vaccine_id, start, id',
    )
    .all() as Array<Record<string, string | number>>;
  for (const slot of slots) {
    const key = `${slot.centre_id}|${slot.local_date}|${slot.vaccine_id}`;
    const summary = counted.get(key) ?? { key, free: 0, firstFree: null, firstSlots: '', listed: [] };
    const free = Number(slot.capacity) - Number(slot.booked);
    summary.free += free;
    if (free > 0) {
      summary.firstFree ??= String(slot.start);
      if (summary.listed.length < LISTED_FIRST_SLOTS) summary.listed.push(`${slot.id}:${free}`);
    }
    counted.set(key, summary);
  }
  const drift: Array<{ key: string; stored: Summary | null; recounted: Summary | null }> = [];
  for (const [key, { listed, ...recounted }] of counted) {
    const summary = { ...recounted, firstSlots: listed.join(',') };
    const kept = stored.get(key) ?? null;
    if (JSON.stringify(kept) !== JSON.stringify(summary)) drift.push({ key, stored: kept, recounted: summary });
  }
  for (const [key, kept] of stored) if (!counted.has(key)) drift.push({ key, stored: kept, recounted: null });
  return drift;
}

/** Outbox events with no analytics row, and analytics rows of no event (the row's key is the event id). */
/**
 * Every analytics row has its event in the outbox, and the other way round; a demo system's report
 * history (demo/report-history.ts) is written to the reports only, and is left out.
 */
export function analyticsDrift(db: DatabaseSync) {
  return db
    .prepare(
      `SELECT id, 'no row' AS problem FROM outbox WHERE id NOT IN (SELECT event_id FROM report_events)
       UNION ALL
       SELECT event_id, 'no event' FROM report_events
       WHERE event_id NOT IN (SELECT id FROM outbox) AND event_id NOT LIKE '${HISTORY_PREFIX}%'`,
    )
    .all();
}

/**
 * Text messages that reached a phone more than once: one ledger key sent twice, the same text to the
 * same phone twice, or a phone delivery of a key the ledger does not have.
 */
export function smsSentTwice(db: DatabaseSync) {
  return db
    .prepare(
      `SELECT 'key sent twice' AS problem, key AS what, count(*) AS n FROM sms_phone GROUP BY key HAVING count(*) > 1
       UNION ALL
       SELECT 'same text twice', to_phone || ': ' || substr(body, 1, 60), count(*) FROM sms_phone
         GROUP BY to_phone, body HAVING count(*) > 1
       UNION ALL
       SELECT 'sent without a ledger record', key, 1 FROM sms_phone WHERE key NOT IN (SELECT key FROM sms_messages)`,
    )
    .all();
}

/** Ledger records marked sent (or later) that no phone received, or that one received more than once. */
export function ledgerOutOfLine(db: DatabaseSync) {
  return db
    .prepare(
      `SELECT m.key, m.status, count(p.id) AS sends FROM sms_messages m LEFT JOIN sms_phone p ON p.key = m.key
       GROUP BY m.key
       HAVING (m.status IN ('sent', 'delivered', 'undelivered') AND count(p.id) <> 1) OR count(p.id) > 1`,
    )
    .all();
}
