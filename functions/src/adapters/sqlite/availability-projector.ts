import type { DatabaseSync } from 'node:sqlite';
import { type DomainEvent, type EventConsumer, LISTED_FIRST_SLOTS, touchedCentreDays } from '@ereg/shared';

/**
 * Summarises slots per centre, day and product: free places, the first free start, the first free slots.
 * A summary that changes is stamped `changed_at` (the published availability's change feed); one
 * recomputed unchanged keeps its stamp. SQLite's upsert wants a WHERE in the SELECT (`WHERE true` at least).
 */
const fill = (where: string, groupBy: string) => `
  INSERT INTO availability (centre_id, local_date, vaccine_id, free, first_free, first_slots, changed_at)
  SELECT s.centre_id, s.local_date, s.vaccine_id, sum(s.capacity - s.booked),
         min(CASE WHEN s.booked < s.capacity THEN s.start END),
         (SELECT json_group_array(json_object('slotId', f.id, 'start', f.start, 'free', f.capacity - f.booked))
            FROM (SELECT id, start, capacity, booked FROM slots
                  WHERE centre_id = s.centre_id AND local_date = s.local_date AND vaccine_id = s.vaccine_id
                    AND booked < capacity
                  ORDER BY start LIMIT ${LISTED_FIRST_SLOTS}) AS f),
         strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
  FROM slots AS s WHERE ${where} GROUP BY ${groupBy}
  ON CONFLICT (centre_id, local_date, vaccine_id) DO UPDATE SET
    free = excluded.free, first_free = excluded.first_free, first_slots = excluded.first_slots,
    changed_at = CASE
      WHEN free IS excluded.free AND first_free IS excluded.first_free AND first_slots IS excluded.first_slots
      THEN changed_at ELSE excluded.changed_at END`;

/** Version of the read model's shape; a data set with an older one is rebuilt at start-up. */
export const AVAILABILITY_MODEL = '2';

/**
 * Keeps the search read model (free places per centre, day and vaccine) up to date from events. The
 * centre-days a batch of events touches are recomputed from the slots, once each, so a redelivery or a
 * missed event heals itself, and the booking transaction never writes a shared summary row.
 */
export class AvailabilityProjector implements EventConsumer {
  readonly name = 'availability';
  private readonly st;

  constructor(db: DatabaseSync) {
    this.st = {
      // Summaries of products the day no longer has slots of go; the others are upserted.
      clear: db.prepare(
        `DELETE FROM availability WHERE centre_id = :centre AND local_date = :date AND vaccine_id NOT IN
           (SELECT vaccine_id FROM slots WHERE centre_id = :centre AND local_date = :date)`,
      ),
      fill: db.prepare(fill('s.centre_id = ? AND s.local_date = ?', 's.vaccine_id')),
      clearOne: db.prepare(
        `DELETE FROM availability WHERE centre_id = :centre AND local_date = :date AND vaccine_id = :vaccine
           AND NOT EXISTS (SELECT 1 FROM slots WHERE centre_id = :centre AND local_date = :date AND vaccine_id = :vaccine)`,
      ),
      fillOne: db.prepare(fill('s.centre_id = ? AND s.local_date = ? AND s.vaccine_id = ?', 's.vaccine_id')),
      begin: () => db.exec('SAVEPOINT availability'),
      commit: () => db.exec('RELEASE availability'),
      rollback: () => db.exec('ROLLBACK TO availability; RELEASE availability'),
    };
  }

  private readonly pending = new Set<string>();

  async handle(event: DomainEvent): Promise<void> {
    for (const { centreId, date, vaccineId } of touchedCentreDays(event)) {
      this.pending.add(`${centreId}|${date}|${vaccineId ?? '*'}`);
    }
  }

  /** Recomputes each centre-day (and product) touched by the batch once, however many bookings it had. */
  async afterBatch(): Promise<void> {
    const touched = [...this.pending];
    this.pending.clear();
    const wholeDays = new Set(touched.filter((key) => key.endsWith('|*')).map((key) => key.slice(0, -2)));
    for (const key of touched) {
      const [centreId, date, vaccineId] = key.split('|') as [string, string, string];
      if (vaccineId === '*') this.refresh(centreId, date);
      else if (!wholeDays.has(`${centreId}|${date}`)) this.refreshProduct(centreId, date, vaccineId);
    }
  }

  /** Recomputes one product of one centre-day. */
  refreshProduct(centreId: string, date: string, vaccineId: string): void {
    this.st.clearOne.run({ centre: centreId, date, vaccine: vaccineId });
    this.st.fillOne.run(centreId, date, vaccineId);
  }

  /** Recomputes one centre-day atomically. */
  refresh(centreId: string, date: string): void {
    this.st.begin();
    try {
      this.st.clear.run({ centre: centreId, date });
      this.st.fill.run(centreId, date);
      this.st.commit();
    } catch (error) {
      this.st.rollback();
      throw error;
    }
  }
}

/** Builds the whole read model from the slots (after a bulk load or a change of its shape). */
export function rebuildAvailability(db: DatabaseSync): void {
  db.exec('DELETE FROM availability');
  db.exec(fill('true', 's.centre_id, s.local_date, s.vaccine_id'));
  markAvailabilityCurrent(db);
}

/**
 * Whether the read model is missing or of an older shape. A data set without slots has a complete (empty)
 * read model: it is marked current, so that the events publishing its first slots keep it up to date and a
 * restart resumes from it instead of rebuilding it.
 */
export function availabilityNeedsRebuild(db: DatabaseSync): boolean {
  const model = db.prepare("SELECT value FROM meta WHERE key = 'availability.model'").get() as
    | { value: string }
    | undefined;
  if (!db.prepare('SELECT 1 FROM slots LIMIT 1').get()) {
    if (model?.value !== AVAILABILITY_MODEL) markAvailabilityCurrent(db);
    return false;
  }
  // A current model that is still empty has its events waiting in the outbox: the dispatcher delivers them.
  return model?.value !== AVAILABILITY_MODEL;
}

function markAvailabilityCurrent(db: DatabaseSync): void {
  db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('availability.model', ?)").run(AVAILABILITY_MODEL);
}
