import type { DatabaseSync } from 'node:sqlite';
import { analyticsCutoff, type Clock, RETENTION_DAYS } from '@ereg/shared';
import { createLogger, type Logger, type LogWriter } from '../../observability/logger.ts';
import { Poller } from './poller.ts';
import { retryWhileBusy } from './schema.ts';
import type { SqliteStore } from './sqlite-store.ts';

const DAY_MS = 86_400_000;

/** What one purge removed (and, for analytics rows written before they were stripped, rewrote). */
export interface PurgeReport {
  smsSessions: number;
  /** Phones' daily counts of people booked for by text, once their day is over. */
  smsPhoneDays: number;
  smsMessages: number;
  idempotency: number;
  accessGrants: number;
  /** Agents' and supervisors' sign-ins past their longest end (`Settings.hotlineSessionHours`). */
  hotlineSessions: number;
  /** The hotline's counts of windows that are over (an agent's hour, a person's day) and kept past it. */
  lookupTallies: number;
  outbox: number;
  reportEvents: number;
  /** The local phone's tables (`sms_phone`, `sms_inbound`): what the simulated handsets hold. */
  phone: number;
  /** Analytics rows written before birth dates and free text were left out of them, now without. */
  reportEventsStripped: number;
}

export interface RetentionPurgeOptions {
  /** Rows one statement deletes at most (default 1,000). */
  batch?: number;
  /** Batches per table and purge (default 20): a backlog is worked off over several purges. */
  maxBatches?: number;
  /** Where its log lines go (JSON, one per line); the process's output unless given. */
  log?: LogWriter;
}

function compile(db: DatabaseSync) {
  const s = (sql: string) => db.prepare(sql);
  return {
    smsSessions: s(
      'DELETE FROM sms_sessions WHERE rowid IN (SELECT rowid FROM sms_sessions WHERE expire_at < :now LIMIT :batch)',
    ),
    smsPhoneDays: s(
      `DELETE FROM sms_phone_days WHERE (phone, date) IN
         (SELECT phone, date FROM sms_phone_days WHERE date <= :last LIMIT :batch)`,
    ),
    idempotency: s(
      'DELETE FROM idempotency WHERE rowid IN (SELECT rowid FROM idempotency WHERE expire_at < :now LIMIT :batch)',
    ),
    accessGrants: s(
      `DELETE FROM access_grants WHERE (agent_id, patient_id) IN
         (SELECT agent_id, patient_id FROM access_grants WHERE expire_at < :now LIMIT :batch)`,
    ),
    hotlineSessions: s(
      'DELETE FROM hotline_sessions WHERE id IN (SELECT id FROM hotline_sessions WHERE expire_at < :now LIMIT :batch)',
    ),
    lookupTallies: s(
      'DELETE FROM lookup_tallies WHERE key IN (SELECT key FROM lookup_tallies WHERE expire_at < :now LIMIT :batch)',
    ),
    smsMessages: s(
      `DELETE FROM sms_messages WHERE rowid IN
         (SELECT rowid FROM sms_messages WHERE expire_at < :now AND created_at < :undelivered LIMIT :batch)`,
    ),
    firstUndelivered: s(
      `SELECT occurred_at FROM outbox WHERE seq > (SELECT coalesce(min(seq), 0) FROM consumer_cursors)
       ORDER BY seq LIMIT 1`,
    ),
    consumers: s('SELECT consumer FROM consumer_cursors'),
    passedEvents: s(
      `SELECT seq, id FROM outbox WHERE seq <= (SELECT coalesce(min(seq), 0) FROM consumer_cursors)
         AND occurred_at < :cutoff ORDER BY seq LIMIT :batch`,
    ),
    deleteEvent: s('DELETE FROM outbox WHERE seq = ?'),
    deleteMark: s('DELETE FROM processed_events WHERE consumer = ? AND event_id = ?'),
    phoneSent: s('DELETE FROM sms_phone WHERE id IN (SELECT id FROM sms_phone WHERE sent_at < :cutoff LIMIT :batch)'),
    phoneReceived: s(
      'DELETE FROM sms_inbound WHERE id IN (SELECT id FROM sms_inbound WHERE received_at < :cutoff LIMIT :batch)',
    ),
  };
}

/** Marks how far the one-off stripping of old analytics rows has come (a rowid), or `done`. */
const STRIPPED_THROUGH = 'retention.report_events_stripped_through';

/**
 * The embedded default's retention: deletes from SQLite what Firestore's TTL policies delete in the
 * cloud, by the same instants (`expire_at`, written by the store from @ereg/shared's retention), plus
 * the outbox events every consumer has passed and the analytics rows past the analytics retention.
 * Cheap and bounded: each statement deletes at most `batch` rows found through an index, and each
 * batch runs in its own short exclusive section of the store, so requests go on in between.
 *
 * A ledger entry is deleted only once every event up to its creation has been delivered to every
 * consumer: an event still waiting (a consumer failing on it for weeks) could plan the same key again.
 */
export class RetentionPurge {
  private readonly store: SqliteStore;
  private readonly db: DatabaseSync;
  private readonly clock: Clock;
  private readonly batch: number;
  private readonly maxBatches: number;
  private readonly log: Logger;
  private readonly poller: Poller;
  private running: Promise<PurgeReport> | null = null;
  private readonly st: ReturnType<typeof compile>;

  constructor(store: SqliteStore, clock: Clock, options: RetentionPurgeOptions = {}) {
    this.store = store;
    this.db = store.db;
    this.clock = clock;
    this.batch = options.batch ?? 1000;
    this.maxBatches = options.maxBatches ?? 20;
    this.log = createLogger(options.log);
    this.poller = new Poller(
      () => this.purge(),
      (error) => this.log.error('Retention purge failed.', { error }),
    );
    this.st = compile(this.db);
  }

  /** Runs one purge now; concurrent calls share it. */
  purge(): Promise<PurgeReport> {
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Purges now and then every `intervalMs` (default ten minutes) until stopped. */
  start(intervalMs = 10 * 60_000): void {
    this.purge().catch((error: unknown) => this.log.error('Retention purge failed.', { error }));
    this.poller.start(intervalMs);
  }

  /** Stops purging and waits for a purge in progress. */
  async stop(): Promise<void> {
    this.poller.stop();
    await this.running?.catch(() => {});
  }

  private async run(): Promise<PurgeReport> {
    const now = this.clock.now();
    const at = now.toISOString();
    const ago = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
    const batch = this.batch;
    const report: PurgeReport = {
      smsSessions: await this.repeat(() => this.st.smsSessions.run({ now: at, batch })),
      // A day's record goes when its date began RETENTION_DAYS.smsPhoneDay ago (smsPhoneDayExpiry).
      smsPhoneDays: await this.repeat(() =>
        this.st.smsPhoneDays.run({ last: ago(RETENTION_DAYS.smsPhoneDay).slice(0, 10), batch }),
      ),
      idempotency: await this.repeat(() => this.st.idempotency.run({ now: at, batch })),
      accessGrants: await this.repeat(() => this.st.accessGrants.run({ now: at, batch })),
      hotlineSessions: await this.repeat(() => this.st.hotlineSessions.run({ now: at, batch })),
      lookupTallies: await this.repeat(() => this.st.lookupTallies.run({ now: at, batch })),
      smsMessages: await this.repeat(() => {
        const first = this.st.firstUndelivered.get() as { occurred_at: string } | undefined;
        return this.st.smsMessages.run({ now: at, undelivered: first?.occurred_at ?? '9999', batch });
      }),
      outbox: await this.repeat(() => this.deletePassedEvents(ago(RETENTION_DAYS.outbox))),
      phone:
        (await this.repeat(() => this.st.phoneSent.run({ cutoff: ago(RETENTION_DAYS.smsMessage), batch }))) +
        (await this.repeat(() => this.st.phoneReceived.run({ cutoff: ago(RETENTION_DAYS.smsMessage), batch }))),
      reportEvents: 0,
      reportEventsStripped: 0,
    };
    if (this.hasTable('report_events')) {
      const cutoff = analyticsCutoff(now);
      const old = this.db.prepare(
        'DELETE FROM report_events WHERE rowid IN (SELECT rowid FROM report_events WHERE occurred_at < :cutoff LIMIT :batch)',
      );
      report.reportEvents = await this.repeat(() => old.run({ cutoff, batch }));
      report.reportEventsStripped = await this.stripOldReportRows();
    }
    return report;
  }

  /** Runs a bounded statement up to `maxBatches` times, each in its own exclusive section; answers the rows it changed. */
  private async repeat(step: () => { changes: number | bigint }): Promise<number> {
    let total = 0;
    for (let i = 0; i < this.maxBatches; i++) {
      const changes = await this.store.exclusive(() => this.inTransaction(() => Number(step().changes)));
      total += changes;
      if (changes < this.batch) break;
    }
    return total;
  }

  private inTransaction<T>(fn: () => T): T {
    retryWhileBusy(() => this.db.exec('BEGIN IMMEDIATE'));
    try {
      const result = fn();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      throw error;
    }
  }

  /** Outbox events every consumer has passed and old enough, with their handled marks. */
  private deletePassedEvents(cutoff: string): { changes: number } {
    const events = this.st.passedEvents.all({ cutoff, batch: this.batch }) as Array<{ seq: number; id: string }>;
    const consumers = (this.st.consumers.all() as Array<{ consumer: string }>).map((c) => c.consumer);
    for (const event of events) {
      for (const consumer of consumers) this.st.deleteMark.run(consumer, event.id);
      this.st.deleteEvent.run(event.seq);
    }
    return { changes: events.length };
  }

  private hasTable(name: string): boolean {
    return this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
  }

  /**
   * Rows written before analytics left birth dates and free text out: rewritten as `analyticsRow` now
   * writes them, a range of rowids at a time, once (progress in `meta`).
   */
  private async stripOldReportRows(): Promise<number> {
    const mark = this.db.prepare('SELECT value FROM meta WHERE key = ?');
    const setMark = this.db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    const through = (mark.get(STRIPPED_THROUGH) as { value: string } | undefined)?.value ?? '0';
    if (through === 'done') return 0;
    const strip = this.db.prepare(
      `UPDATE report_events SET data = CASE
         WHEN type = 'patient.registered' THEN json_set(json_remove(data, '$.birthDate'), '$.birthYear',
           CAST(substr(json_extract(data, '$.birthDate'), 1, 4) AS INTEGER))
         WHEN type = 'eligibility.rule_added' THEN json_remove(data, '$.description')
         ELSE json_remove(data, '$.reason') END
       WHERE rowid > :from AND rowid <= :to AND (
         (type = 'patient.registered' AND json_type(data, '$.birthDate') IS NOT NULL)
         OR (type IN ('appointment.cancelled', 'centre.day_cancelled') AND json_type(data, '$.reason') IS NOT NULL)
         OR (type = 'eligibility.rule_added' AND json_type(data, '$.description') IS NOT NULL))`,
    );
    const last = (
      this.db.prepare('SELECT coalesce(max(rowid), 0) AS last FROM report_events').get() as { last: number }
    ).last;
    let from = Number(through);
    let stripped = 0;
    const span = this.batch * 5;
    for (let i = 0; i < this.maxBatches && from < last; i++) {
      const to = Math.min(from + span, last);
      stripped += await this.store.exclusive(() =>
        this.inTransaction(() => {
          const { changes } = strip.run({ from, to });
          setMark.run(STRIPPED_THROUGH, to >= last ? 'done' : String(to));
          return Number(changes);
        }),
      );
      from = to;
    }
    if (last === 0) await this.store.exclusive(() => setMark.run(STRIPPED_THROUGH, 'done'));
    return stripped;
  }
}
