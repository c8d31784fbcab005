import type { DatabaseSync } from 'node:sqlite';
import { type EventConsumer, parseDomainEvent } from '@ereg/shared';
import type { SqliteStore } from './sqlite-store.ts';

/**
 * Delivers outbox events to consumers after commit, at least once and in order per consumer. Each
 * consumer's position and the events it has handled are kept in the database, so delivery resumes
 * after a restart and two processes on one file never apply an event twice.
 */
export class OutboxDispatcher {
  private readonly db: DatabaseSync;
  private readonly consumers: readonly EventConsumer[];
  private readonly log: (line: string) => void;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private readonly st;

  private readonly serialize: <T>(fn: () => Promise<T>) => Promise<T>;

  /** Deliveries run through the store's `exclusive`, so they never interleave with a unit of work. */
  constructor(store: SqliteStore, consumers: readonly EventConsumer[], log: (line: string) => void = console.error) {
    const db = store.db;
    this.db = db;
    this.consumers = consumers;
    this.log = log;
    this.serialize = (fn) => store.exclusive(fn);
    this.st = {
      cursor: db.prepare('SELECT seq FROM consumer_cursors WHERE consumer = ?'),
      setCursor: db.prepare(
        `INSERT INTO consumer_cursors (consumer, seq) VALUES (?, ?)
         ON CONFLICT (consumer) DO UPDATE SET seq = max(seq, excluded.seq)`,
      ),
      events: db.prepare('SELECT seq, data FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?'),
      processed: db.prepare('SELECT 1 FROM processed_events WHERE consumer = ? AND event_id = ?'),
      mark: db.prepare('INSERT OR IGNORE INTO processed_events (consumer, event_id) VALUES (?, ?)'),
    };
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
    for (const consumer of this.consumers) {
      for (;;) {
        const batch = await this.serialize(() => this.deliverBatch(consumer));
        delivered += batch.delivered;
        if (batch.failed || batch.read === 0) break;
      }
    }
    return delivered;
  }

  /**
   * Delivers up to 500 events to one consumer in one database transaction: their effects, the
   * handled marks and the cursor commit together (one write to disk instead of one per event). An
   * event whose handler throws is rolled back to its savepoint; the batch before it stands and the
   * event is tried again on the next drain.
   */
  private async deliverBatch(consumer: EventConsumer): Promise<{ read: number; delivered: number; failed: boolean }> {
    const cursor = (this.st.cursor.get(consumer.name) as { seq: number } | undefined)?.seq ?? 0;
    const rows = this.st.events.all(cursor, 500) as Array<{ seq: number; data: string }>;
    if (rows.length === 0) return { read: 0, delivered: 0, failed: false };
    let last = cursor;
    let delivered = 0;
    let failed = false;
    this.db.exec('BEGIN IMMEDIATE');
    try {
      for (const row of rows) {
        const event = parseDomainEvent(JSON.parse(row.data));
        if (!this.st.processed.get(consumer.name, event.id)) {
          this.db.exec('SAVEPOINT delivery');
          try {
            await consumer.handle(event);
            this.st.mark.run(consumer.name, event.id);
            this.db.exec('RELEASE delivery');
            delivered++;
          } catch (error) {
            this.db.exec('ROLLBACK TO delivery');
            this.db.exec('RELEASE delivery');
            this.log(
              `Consumer ${consumer.name} failed on event ${event.id}; will retry: ${error instanceof Error ? error.message : String(error)}`,
            );
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
      this.log(
        `Consumer ${consumer.name} failed on a batch; will retry: ${error instanceof Error ? error.message : String(error)}`,
      );
      return { read: rows.length, delivered: 0, failed: true };
    }
    return { read: rows.length, delivered, failed };
  }

  /** Polls for new events until stopped. */
  start(intervalMs = 250): void {
    if (this.timer) return;
    const tick = () => {
      this.drain()
        .catch((error: unknown) => this.log(`Outbox dispatch failed: ${String(error)}`))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, intervalMs);
        });
    };
    this.timer = setTimeout(tick, intervalMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
