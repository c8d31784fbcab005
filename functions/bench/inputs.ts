import { DatabaseSync } from 'node:sqlite';
import { AGE_BANDS, addDays, type Clock, TERYT_VOIVODESHIPS, VACCINES } from '@ereg/shared';
import { DevIdentity, readDevKeys } from '../src/dev/dev-identity.ts';

export type Random = () => number;

/** Opens a data set for reading only; the benchmark never writes to it itself. */
export function openReadOnly(dbPath: string): DatabaseSync {
  const db = new DatabaseSync(dbPath, { readOnly: true });
  db.exec('PRAGMA busy_timeout = 10000');
  return db;
}

/** Shuffles in place (Fisher–Yates) and answers the array. */
export function shuffle<T>(items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/**
 * The development identity provider, signing with the keys the server stored in the data set (read,
 * never created: a data set the server has never opened is refused).
 */
export function signingIdentity(
  db: DatabaseSync,
  sessionSeconds: number,
  clock: Clock = { now: () => new Date() },
): DevIdentity {
  const keys = readDevKeys(db);
  if (!keys) throw new Error('The data set has no signing keys yet: start the server on it first.');
  return new DevIdentity(keys, clock, sessionSeconds);
}

/** Reads `count` rows in `chunks` runs that start at random places of an ordered key, so they spread over the table. */
function spreadRows<T>(
  count: number,
  chunks: number,
  random: Random,
  startAt: () => string | number,
  read: (from: string | number, limit: number) => T[],
  keyOf: (row: T) => string,
): T[] {
  const seen = new Map<string, T>();
  const perChunk = Math.ceil(count / chunks);
  for (let c = 0; c < chunks && seen.size < count; c++) {
    for (const row of read(startAt(), perChunk)) seen.set(keyOf(row), row);
  }
  // Near the end of the table a chunk comes up short: top up from the start.
  if (seen.size < count) {
    for (const row of read('', count * 2)) {
      if (seen.size >= count) break;
      seen.set(keyOf(row), row);
    }
  }
  return shuffle([...seen.values()].slice(0, count), random);
}

/** Fresh login assertions (each usable once) for `count` distinct citizens known to the development identity provider. */
export async function loginAssertions(
  db: DatabaseSync,
  identity: DevIdentity,
  count: number,
  validSeconds: number,
  random: Random,
): Promise<string[]> {
  const total = (db.prepare('SELECT count(*) AS n FROM dev_idp_people').get() as { n: number }).n;
  const page = db.prepare('SELECT position, data FROM dev_idp_people WHERE position >= ? ORDER BY position LIMIT ?');
  const people = spreadRows(
    Math.min(count, total),
    16,
    random,
    () => Math.floor(random() * total),
    (from, limit) => page.all(typeof from === 'number' ? from : 0, limit) as Array<{ position: number; data: string }>,
    (row) => String(row.position),
  );
  return Promise.all(
    people.map((row) => {
      const person = JSON.parse(row.data) as { pesel: string; givenName: string; familyName: string; phone?: string };
      return identity.issueAssertion(
        {
          pesel: person.pesel,
          givenName: person.givenName,
          familyName: person.familyName,
          phone: person.phone ?? null,
        },
        validSeconds,
      );
    }),
  );
}

/** Search paths near real centres' postal codes, half of them for one vaccine. */
export function searchPaths(db: DatabaseSync, count: number, random: Random): string[] {
  const codes = (
    db.prepare("SELECT DISTINCT json_extract(data, '$.address.postalCode') AS code FROM centres").all() as Array<{
      code: string | null;
    }>
  )
    .map((row) => row.code)
    .filter((code): code is string => typeof code === 'string');
  if (codes.length === 0) throw new Error('The data set has no centres with postal codes.');
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const code = codes[Math.floor(random() * codes.length)] as string;
    const vaccine = random() < 0.5 ? VACCINES[Math.floor(random() * VACCINES.length)] : undefined;
    paths.push(`/api/search?postalCode=${code}${vaccine ? `&vaccineId=${vaccine.id}` : ''}`);
  }
  return paths;
}

/**
 * Up to `count` patients who may book any vaccine today (adults of at least 18 all year, so every
 * product's minimum age is met) and hold no appointment, spread over the population.
 */
export function bookablePatients(db: DatabaseSync, count: number, bornByYear: number, random: Random): string[] {
  const total = (db.prepare('SELECT count(*) AS n FROM patients').get() as { n: number }).n;
  const page = db.prepare(
    `SELECT p.id FROM patients p
     WHERE p.id >= ? AND json_extract(p.data, '$.birthDate') <= ?
       AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.patient_id = p.id)
     ORDER BY p.id LIMIT ?`,
  );
  const bornBy = `${bornByYear}-12-31`;
  return spreadRows(
    count,
    16,
    random,
    () => `pat_${String(Math.floor(random() * total)).padStart(8, '0')}`,
    (from, limit) => (page.all(String(from), bornBy, limit) as Array<{ id: string }>).map((row) => row.id),
    (id) => id,
  );
}

export interface BookingWindow {
  /** Earliest slot start (ISO): late enough that no slot starts during the run. */
  from: string;
  /** Latest slot start (ISO): the soonest days, where a second dose still fits before the horizon. */
  to: string;
}

/** Centre ids in a random order. */
export function shuffledCentres(db: DatabaseSync, random: Random): string[] {
  return shuffle(
    (db.prepare('SELECT id FROM centres').all() as Array<{ id: string }>).map((row) => row.id),
    random,
  );
}

/**
 * A few free slots of one centre that everyone will want: the soonest free slots of one vaccine at
 * a random centre. Answers null when no centre has `count` such slots.
 */
export function contendedSlots(
  db: DatabaseSync,
  centres: readonly string[],
  window: BookingWindow,
  count: number,
): { centreId: string; vaccineId: string; slotIds: string[]; places: number } | null {
  const soonest = db.prepare(
    `SELECT id, vaccine_id, capacity - booked AS free FROM slots
     WHERE centre_id = ? AND booked < capacity AND start >= ? AND start < ?
     ORDER BY start LIMIT 60`,
  );
  for (const centreId of centres) {
    const rows = soonest.all(centreId, window.from, window.to) as Array<{
      id: string;
      vaccine_id: string;
      free: number;
    }>;
    const vaccineId = rows[0]?.vaccine_id;
    const same = rows.filter((row) => row.vaccine_id === vaccineId).slice(0, count);
    if (vaccineId && same.length === count) {
      return { centreId, vaccineId, slotIds: same.map((r) => r.id), places: same.reduce((sum, r) => sum + r.free, 0) };
    }
  }
  return null;
}

/**
 * Free places for `count` bookings, spread over many centres: each centre gives a few places in random
 * free slots of the window, and a slot with room for n people appears up to n times. Shuffled.
 */
export function freePlaces(
  db: DatabaseSync,
  centres: readonly string[],
  window: BookingWindow,
  count: number,
  random: Random,
): string[] {
  const free = db.prepare(
    `SELECT id, capacity - booked AS free FROM slots
     WHERE centre_id = ? AND booked < capacity AND start >= ? AND start < ?`,
  );
  const perCentre = Math.max(1, Math.ceil((count / Math.max(centres.length, 1)) * 1.25));
  const places: string[] = [];
  for (const centreId of centres) {
    if (places.length >= count) break;
    const slots = shuffle(free.all(centreId, window.from, window.to) as Array<{ id: string; free: number }>, random);
    let taken = 0;
    for (const slot of slots) {
      for (let k = 0; k < slot.free && taken < perCentre; k++, taken++) places.push(slot.id);
      if (taken >= perCentre) break;
    }
  }
  return shuffle(places.slice(0, count), random);
}

/** A patient session token for each patient, as the login function would issue. */
export async function patientTokens(
  identity: DevIdentity,
  patientIds: readonly string[],
): Promise<Array<{ id: string; token: string }>> {
  const tokens: Array<{ id: string; token: string }> = [];
  for (const patientId of patientIds) {
    tokens.push({ id: patientId, token: (await identity.issueSession({ role: 'patient', patientId })).token });
  }
  return tokens;
}

/**
 * Paths of the public report as people would ask it: the whole country or a voivodeship, all ages or
 * one band, every product or one, the last four weeks or another stretch of the data set's month.
 */
export function reportPaths(count: number, today: string, random: Random): string[] {
  const voivodeships = TERYT_VOIVODESHIPS.map((v) => v.teryt);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const query = new URLSearchParams();
    if (random() < 0.5) query.set('voivodeship', pick(voivodeships));
    if (random() < 0.3) query.set('ageBand', pick(AGE_BANDS));
    if (random() < 0.3) query.set('vaccineId', pick(VACCINES).id);
    if (random() < 0.3) {
      const to = addDays(today, -Math.floor(random() * 14));
      query.set('from', addDays(to, -Math.floor(7 + random() * 21)));
      query.set('to', to);
    }
    const text = query.toString();
    paths.push(`/api/reports/public${text ? `?${text}` : ''}`);
  }
  return paths;
}
