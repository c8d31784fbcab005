import type { DatabaseSync } from 'node:sqlite';
import { type DomainEvent, type EventConsumer, LISTED_FIRST_SLOTS, touchedCentreDays } from '@ereg/shared';

/** Summarises slots per centre, day and product: free places, the first free start, the first free slots. */
const FILL = `
  INSERT INTO availability (centre_id, local_date, vaccine_id, free, first_free, first_slots)
  SELECT s.centre_id, s.local_date, s.vaccine_id, sum(s.capacity - s.booked),
         min(CASE WHEN s.booked < s.capacity THEN s.start END),
         (SELECT json_group_array(json_object('slotId', f.id, 'start', f.start, 'free', f.capacity - f.booked))
            FROM (SELECT id, start, capacity, booked FROM slots
                  WHERE centre_id = s.centre_id AND local_date = s.local_date AND vaccine_id = s.vaccine_id
                    AND booked < capacity
                  ORDER BY start LIMIT ${LISTED_FIRST_SLOTS}) AS f)
  FROM slots AS s`;

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
      clear: db.prepare('DELETE FROM availability WHERE centre_id = ? AND local_date = ?'),
      fill: db.prepare(`${FILL} WHERE s.centre_id = ? AND s.local_date = ? GROUP BY s.vaccine_id`),
      clearOne: db.prepare('DELETE FROM availability WHERE centre_id = ? AND local_date = ? AND vaccine_id = ?'),
      fillOne: db.prepare(
        `${FILL} WHERE s.centre_id = ? AND s.local_date = ? AND s.vaccine_id = ? GROUP BY s.vaccine_id`,
      ),
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
    this.st.clearOne.run(centreId, date, vaccineId);
    this.st.fillOne.run(centreId, date, vaccineId);
  }

  /** Recomputes one centre-day atomically. */
  refresh(centreId: string, date: string): void {
    this.st.begin();
    try {
      this.st.clear.run(centreId, date);
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
  db.exec(`${FILL} GROUP BY s.centre_id, s.local_date, s.vaccine_id`);
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
