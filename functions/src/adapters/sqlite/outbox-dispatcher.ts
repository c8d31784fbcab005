import { randomUUID } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import { type DomainEvent, type EventConsumer, parseDomainEvent } from '@ereg/shared';
import { createLogger, type Logger, type LogWriter } from '../../observability/logger.ts';
import { inSpan, SpanKind, traceOfEvent } from '../../observability/trace-context.ts';
import { Poller } from './poller.ts';
import { retryWhileBusy } from './schema.ts';
import type { SqliteStore } from './sqlite-store.ts';

/**
 * How a consumer gets its events:
 * - `after-commit` (a plain `EventConsumer`, the default): outside the store's exclusive section, so
 *   it may run units of work (the SMS planner does). Its effects cannot commit with the dispatcher's
 *   marks, so it must be idempotent by its own keys, as every consumer in the cloud is.
 * - `in-store-transaction`: for a consumer that writes SQL on the store's connection (the availability
 *   projector, the SQL analytics). Its writes, the processed marks and the cursor commit in one
 *   transaction, so an event is applied exactly once even if the process dies half-way.
 * - `every-process`: for a consumer of this process's memory (the centre cache). Its position is kept
 *   in memory, starting at the outbox's end, so every process on the file sees every later event.
 */
export type Delivery = 'after-commit' | 'in-store-transaction' | 'every-process';

export interface Subscription {
  consumer: EventConsumer;
  delivery: Delivery;
}

/** Delivers to a consumer that writes SQL on the store's connection inside the dispatcher's transaction. */
export const inStoreTransaction = (consumer: EventConsumer): Subscription => ({
  consumer,
  delivery: 'in-store-transaction',
});

/** Delivers to a consumer of this process's memory, in every process on the file. */
export const inEveryProcess = (consumer: EventConsumer): Subscription => ({ consumer, delivery: 'every-process' });

const BATCH = 500;
/** How long a process may deliver to an after-commit consumer without renewing its claim. */
const LEASE_MS = 30_000;

interface Batch {
  read: number;
  delivered: number;
  failed: boolean;
}

interface Row {
  seq: number;
  data: string;
}

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Delivers outbox events to consumers after commit, at least once and in order per consumer. Each
 * consumer's position and the events it has handled are kept in the database, so delivery resumes
 * after a restart and two processes on one file never apply an event twice.
 *
 * Only short steps hold the store's exclusive section: reading a batch, and recording what was
 * handled. An after-commit consumer is handled in between, so it may itself run units of work. Two
 * processes on one file take turns per consumer by a lease (a row of `meta`, renewed with each
 * record, measured in real time, released on stop): only its holder delivers, so order holds across
 * processes and no event is handled by both, except the batch in flight when a holder dies, which its
 * successor handles again (at least once; those consumers are idempotent).
 */
export class OutboxDispatcher {
  private readonly store: SqliteStore;
  private readonly db: DatabaseSync;
  private readonly subscriptions: readonly Subscription[];
  private readonly log: Logger;
  private readonly owner = randomUUID();
  /** Positions of the every-process consumers; they start at the outbox's end. */
  private readonly positions = new Map<string, number>();
  private readonly poller = new Poller(
    () => this.drain(),
    (error: unknown) => this.log.error('Outbox dispatch failed.', { error }),
  );
  private running: Promise<number> | null = null;
  private readonly st;

  /** Real time, for the leases: how long a process has been silent is not the business clock's. */
  private readonly wallClock: () => number;

  /** A bare consumer is delivered after commit (see `Delivery`). */
  constructor(
    store: SqliteStore,
    consumers: readonly (EventConsumer | Subscription)[],
    write?: LogWriter,
    options: { wallClock?: () => number } = {},
  ) {
    this.wallClock = options.wallClock ?? Date.now;
    const db = store.db;
    this.store = store;
    this.db = db;
    this.subscriptions = consumers.map((c) => ('delivery' in c ? c : { consumer: c, delivery: 'after-commit' }));
    this.log = createLogger(write);
    this.st = {
      cursor: db.prepare('SELECT seq FROM consumer_cursors WHERE consumer = ?'),
      setCursor: db.prepare(
        `INSERT INTO consumer_cursors (consumer, seq) VALUES (?, ?)
         ON CONFLICT (consumer) DO UPDATE SET seq = max(seq, excluded.seq)`,
      ),
      end: db.prepare('SELECT coalesce(max(seq), 0) AS seq FROM outbox'),
      events: db.prepare('SELECT seq, data FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?'),
      after: db.prepare('SELECT occurred_at FROM outbox WHERE seq > ? ORDER BY seq LIMIT 1'),
      processed: db.prepare('SELECT 1 FROM processed_events WHERE consumer = ? AND event_id = ?'),
      mark: db.prepare('INSERT OR IGNORE INTO processed_events (consumer, event_id) VALUES (?, ?)'),
      claim: db.prepare(
        `INSERT INTO meta (key, value) VALUES (:key, json_object('owner', :owner, 'until', :until))
         ON CONFLICT (key) DO UPDATE SET value = excluded.value
         WHERE json_extract(meta.value, '$.owner') = :owner OR json_extract(meta.value, '$.until') <= :now`,
      ),
      release: db.prepare("DELETE FROM meta WHERE key = ? AND json_extract(value, '$.owner') = ?"),
    };
    const end = (this.st.end.get() as { seq: number }).seq;
    for (const s of this.subscriptions) if (s.delivery === 'every-process') this.positions.set(s.consumer.name, end);
  }

  /** Delivers everything pending; answers how many deliveries were made. Concurrent calls share one run. */
  drain(): Promise<number> {
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async run(): Promise<number> {
    let delivered = 0;
    for (const subscription of this.subscriptions) {
      for (;;) {
        const batch = await this.deliverBatch(subscription);
        delivered += batch.delivered;
        if (batch.failed || batch.read === 0) break;
      }
    }
    return delivered;
  }

  private deliverBatch({ consumer, delivery }: Subscription): Promise<Batch> {
    switch (delivery) {
      case 'in-store-transaction':
        return this.store.exclusive(() => this.deliverInTransaction(consumer));
      case 'after-commit':
        return this.deliverAfterCommit(consumer);
      case 'every-process':
        return this.deliverToProcess(consumer);
    }
  }

  /**
   * Up to 500 events in one database transaction: their effects, the handled marks and the cursor
   * commit together (one write to disk instead of one per event). An event whose handler throws is
   * rolled back to its savepoint; the batch before it stands and the event is tried again next drain.
   */
  private async deliverInTransaction(consumer: EventConsumer): Promise<Batch> {
    const rows = this.pending(consumer.name);
    if (rows.length === 0) return { read: 0, delivered: 0, failed: false };
    let last = this.cursorOf(consumer.name);
    let delivered = 0;
    let failed = false;
    retryWhileBusy(() => this.db.exec('BEGIN IMMEDIATE'));
    try {
      for (const row of rows) {
        const event = parseDomainEvent(JSON.parse(row.data));
        if (!this.st.processed.get(consumer.name, event.id)) {
          this.db.exec('SAVEPOINT delivery');
          try {
            await this.handle(consumer, event, 'in-store-transaction');
            this.st.mark.run(consumer.name, event.id);
            this.db.exec('RELEASE delivery');
            delivered++;
          } catch {
            this.db.exec('ROLLBACK TO delivery');
            this.db.exec('RELEASE delivery');
            failed = true;
            break;
          }
        }
        last = row.seq;
      }
      await consumer.afterBatch?.();
      this.st.setCursor.run(consumer.name, last);
      this.db.exec('COMMIT');
    } catch (error) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      this.log.warn(`Consumer ${consumer.name} failed on a batch; will retry: ${reason(error)}`, {
        consumer: consumer.name,
      });
      return { read: rows.length, delivered: 0, failed: true };
    }
    return { read: rows.length, delivered, failed };
  }

  /**
   * Up to 500 events read under the lease, handled outside the exclusive section, then recorded (marks
   * and cursor, after `afterBatch`) in one short transaction. A handler that throws stops the batch:
   * what was handled before it is recorded, and it is tried again on the next drain.
   */
  private async deliverAfterCommit(consumer: EventConsumer): Promise<Batch> {
    const read = await this.store.exclusive(() => {
      if (!this.claim(consumer.name)) return null;
      return this.pending(consumer.name).map((row) => {
        const event = parseDomainEvent(JSON.parse(row.data));
        return { seq: row.seq, event, done: Boolean(this.st.processed.get(consumer.name, event.id)) };
      });
    });
    if (!read || read.length === 0) return { read: 0, delivered: 0, failed: false };
    const handled: string[] = [];
    let last = 0;
    let failed = false;
    for (const { seq, event, done } of read) {
      if (!done) {
        try {
          await this.handle(consumer, event, 'after-commit');
        } catch {
          failed = true;
          break;
        }
        handled.push(event.id);
      }
      last = seq;
    }
    try {
      await consumer.afterBatch?.();
    } catch (error) {
      this.log.warn(`Consumer ${consumer.name} failed on a batch; will retry: ${reason(error)}`, {
        consumer: consumer.name,
      });
      return { read: read.length, delivered: 0, failed: true };
    }
    await this.store.exclusive(() => {
      retryWhileBusy(() => this.db.exec('BEGIN IMMEDIATE'));
      try {
        for (const id of handled) this.st.mark.run(consumer.name, id);
        if (last > 0) this.st.setCursor.run(consumer.name, last);
        this.claim(consumer.name);
        this.db.exec('COMMIT');
      } catch (error) {
        if (this.db.isTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    });
    return { read: read.length, delivered: handled.length, failed };
  }

  /** Up to 500 events to a consumer of this process's memory; nothing is written to the database. */
  private async deliverToProcess(consumer: EventConsumer): Promise<Batch> {
    const from = this.positions.get(consumer.name) ?? 0;
    const rows = await this.store.exclusive(() => this.st.events.all(from, BATCH) as unknown as Row[]);
    let delivered = 0;
    for (const row of rows) {
      try {
        await this.handle(consumer, parseDomainEvent(JSON.parse(row.data)), 'every-process');
      } catch {
        return { read: rows.length, delivered, failed: true };
      }
      this.positions.set(consumer.name, row.seq);
      delivered++;
    }
    await consumer.afterBatch?.();
    return { read: rows.length, delivered, failed: false };
  }

  /**
   * Hands one event to a consumer in a span of the trace the event carries (the request that wrote
   * it), so the consumer's log lines, and the tasks it schedules, are in that trace; a failure is logged.
   */
  private handle(consumer: EventConsumer, event: DomainEvent, delivery: Delivery): Promise<void> {
    const attributes = { 'ereg.consumer': consumer.name, 'ereg.event.type': event.type, 'ereg.event.id': event.id };
    const parent = traceOfEvent(event) ?? null;
    return inSpan(`consume ${consumer.name}`, { kind: SpanKind.CONSUMER, parent, attributes }, async () => {
      const fields = { consumer: consumer.name, eventId: event.id, eventType: event.type };
      try {
        await consumer.handle(event);
      } catch (error) {
        this.log.warn(`Consumer ${consumer.name} failed on event ${event.id}; will retry: ${reason(error)}`, fields);
        throw error;
      }
      // A line for the consumers with effects beyond this database (texts, the standby list), for the
      // events of a request: not for the read models, nor for a start-up's thousands of events.
      if (delivery === 'after-commit' && parent) {
        this.log.info(`Consumer ${consumer.name} handled ${event.type} ${event.id}.`, fields);
      }
    });
  }

  private cursorOf(consumer: string): number {
    return (this.st.cursor.get(consumer) as { seq: number } | undefined)?.seq ?? 0;
  }

  private pending(consumer: string): Row[] {
    return this.st.events.all(this.cursorOf(consumer), BATCH) as unknown as Row[];
  }

  /** Takes or renews this dispatcher's lease on a consumer; false while another process holds it. */
  private claim(consumer: string): boolean {
    const now = this.wallClock();
    const { changes } = this.st.claim.run({
      key: `outbox.lease.${consumer}`,
      owner: this.owner,
      until: now + LEASE_MS,
      now,
    });
    return changes === 1;
  }

  /**
   * When the oldest event that a consumer of every process's store has not yet passed happened; null
   * when every one is up to date. Two indexed look-ups: the cursors, then the outbox from the lowest.
   */
  oldestUndelivered(): Date | null {
    let lowest = Number.POSITIVE_INFINITY;
    for (const { consumer, delivery } of this.subscriptions) {
      if (delivery === 'every-process') continue;
      const row = this.st.cursor.get(consumer.name) as { seq: number } | undefined;
      lowest = Math.min(lowest, row?.seq ?? 0);
    }
    if (lowest === Number.POSITIVE_INFINITY) return null;
    const next = this.st.after.get(lowest) as { occurred_at: string } | undefined;
    return next ? new Date(next.occurred_at) : null;
  }

  /** Polls for new events until stopped. */
  start(intervalMs = 250): void {
    this.poller.start(intervalMs);
  }

  /** Stops polling, waits for the delivery in progress and hands this process's leases back. */
  async stop(): Promise<void> {
    this.poller.stop();
    await this.running;
    await this.store.exclusive(() => {
      for (const { consumer, delivery } of this.subscriptions) {
        if (delivery === 'after-commit') this.st.release.run(`outbox.lease.${consumer.name}`, this.owner);
      }
    });
  }
}
