import { randomBytes } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import { referenceFrom } from '@ereg/shared';

/** A migration: SQL, or a function for what SQL cannot do alone. */
type Migration = string | ((db: DatabaseSync) => void);

/**
 * Booking references for the bookings made before there were any: one random reference per booking,
 * taken in `booking_references` and written into its visits.
 */
export function backfillBookingReferences(db: DatabaseSync): void {
  const bookings = db
    .prepare(
      `SELECT json_extract(data, '$.bookingId') AS booking, patient_id AS patient,
         min(json_extract(data, '$.createdAt')) AS created FROM appointments
       WHERE json_extract(data, '$.reference') IS NULL GROUP BY booking, patient`,
    )
    .all() as Array<{ booking: string; patient: string; created: string }>;
  const take = db.prepare(
    'INSERT OR IGNORE INTO booking_references (reference, booking_id, patient_id, created_at) VALUES (?, ?, ?, ?)',
  );
  const mark = db.prepare(
    `UPDATE appointments SET data = json_set(data, '$.reference', ?)
     WHERE patient_id = ? AND json_extract(data, '$.bookingId') = ?`,
  );
  for (const { booking, patient, created } of bookings) {
    let reference = referenceFrom(randomBytes(8));
    while (Number(take.run(reference, booking, patient, created).changes) === 0)
      reference = referenceFrom(randomBytes(8));
    mark.run(reference, patient, booking);
  }
}

/**
 * Centre roles for the staff kept before there were any: until then every member could change the
 * centre's schedule, so each centre's first member (by id) becomes its manager and keeps that right;
 * the others are staff.
 */
export function backfillStaffRoles(db: DatabaseSync): void {
  db.exec(
    `UPDATE staff SET data = json_set(data, '$.role',
       CASE WHEN id = (SELECT min(id) FROM staff AS first WHERE first.centre_id = staff.centre_id)
         THEN 'centre-manager' ELSE 'staff' END)
     WHERE json_extract(data, '$.role') IS NULL`,
  );
}

/**
 * Ordered migrations; the index + 1 is the schema version stored in `PRAGMA user_version`.
 * Never edit a released migration: append a new one.
 */
const MIGRATIONS: readonly Migration[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE centres (
    id TEXT PRIMARY KEY,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    published_through TEXT,
    data TEXT NOT NULL
  );
  CREATE TABLE staff (id TEXT PRIMARY KEY, centre_id TEXT NOT NULL, data TEXT NOT NULL);
  CREATE INDEX staff_by_centre ON staff (centre_id);
  CREATE TABLE patients (id TEXT PRIMARY KEY, pesel TEXT NOT NULL UNIQUE, data TEXT NOT NULL);
  CREATE TABLE referrals (patient_id TEXT PRIMARY KEY, data TEXT NOT NULL);
  CREATE TABLE slots (
    id TEXT PRIMARY KEY,
    centre_id TEXT NOT NULL,
    vaccine_id TEXT NOT NULL,
    start TEXT NOT NULL,
    end TEXT NOT NULL,
    local_date TEXT NOT NULL,
    capacity INTEGER NOT NULL,
    booked INTEGER NOT NULL,
    CHECK (booked >= 0 AND booked <= capacity)
  );
  CREATE INDEX slots_by_centre_day ON slots (centre_id, local_date);
  CREATE INDEX slots_free_by_centre ON slots (centre_id, start) WHERE booked < capacity;
  CREATE TABLE appointments (
    id TEXT PRIMARY KEY,
    patient_id TEXT NOT NULL,
    centre_id TEXT NOT NULL,
    slot_id TEXT NOT NULL,
    local_date TEXT NOT NULL,
    status TEXT NOT NULL,
    start TEXT NOT NULL,
    data TEXT NOT NULL
  );
  CREATE INDEX appointments_by_patient ON appointments (patient_id);
  CREATE INDEX appointments_by_slot ON appointments (slot_id, status);
  CREATE INDEX appointments_by_centre_day ON appointments (centre_id, local_date);
  CREATE TABLE idempotency (key TEXT PRIMARY KEY, data TEXT NOT NULL);
  CREATE TABLE eligibility_rules (id TEXT PRIMARY KEY, data TEXT NOT NULL);
  CREATE TABLE audit (id TEXT PRIMARY KEY, patient_id TEXT NOT NULL, at TEXT NOT NULL, data TEXT NOT NULL);
  CREATE INDEX audit_by_patient ON audit (patient_id, at);
  CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    data TEXT NOT NULL
  );
  CREATE TABLE consumer_cursors (consumer TEXT PRIMARY KEY, seq INTEGER NOT NULL);
  CREATE TABLE processed_events (consumer TEXT NOT NULL, event_id TEXT NOT NULL, PRIMARY KEY (consumer, event_id));
  `,
  `
  CREATE TABLE availability (
    centre_id TEXT NOT NULL,
    local_date TEXT NOT NULL,
    vaccine_id TEXT NOT NULL,
    free INTEGER NOT NULL,
    first_free TEXT,
    PRIMARY KEY (centre_id, local_date, vaccine_id)
  ) WITHOUT ROWID;
  `,
  `
  DROP INDEX slots_free_by_centre;
  CREATE INDEX slots_free_by_centre ON slots (centre_id, start, vaccine_id) WHERE booked < capacity;
  `,
  `
  ALTER TABLE availability ADD COLUMN first_slots TEXT NOT NULL DEFAULT '[]';
  `,
  `
  CREATE TABLE sms_messages (
    key TEXT PRIMARY KEY,
    to_phone TEXT NOT NULL,
    created_at TEXT NOT NULL,
    status TEXT NOT NULL,
    send_at TEXT NOT NULL,
    data TEXT NOT NULL
  );
  CREATE INDEX sms_messages_newest ON sms_messages (created_at, key);
  CREATE INDEX sms_messages_by_phone ON sms_messages (to_phone, created_at, key);
  CREATE TABLE sms_sessions (phone TEXT PRIMARY KEY, data TEXT NOT NULL);
  CREATE TABLE scheduled_tasks (
    name TEXT PRIMARY KEY,
    run_at TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'done', 'cancelled', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    lease_until TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX scheduled_tasks_pending ON scheduled_tasks (run_at) WHERE status = 'pending';
  CREATE INDEX scheduled_tasks_running ON scheduled_tasks (lease_until) WHERE status = 'running';
  CREATE TABLE sms_phone (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL,
    to_phone TEXT NOT NULL,
    body TEXT NOT NULL,
    sent_at TEXT NOT NULL
  );
  CREATE INDEX sms_phone_newest ON sms_phone (sent_at);
  CREATE INDEX sms_phone_by_phone ON sms_phone (to_phone, sent_at);
  CREATE TABLE sms_inbound (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    from_phone TEXT NOT NULL,
    body TEXT NOT NULL,
    received_at TEXT NOT NULL
  );
  CREATE INDEX sms_inbound_by_phone ON sms_inbound (from_phone, received_at);
  `,
  `
  CREATE TABLE access_grants (
    agent_id TEXT NOT NULL,
    patient_id TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (agent_id, patient_id)
  ) WITHOUT ROWID;
  CREATE TABLE audit_new (id TEXT PRIMARY KEY, patient_id TEXT, at TEXT NOT NULL, data TEXT NOT NULL);
  INSERT INTO audit_new (id, patient_id, at, data) SELECT id, patient_id, at, data FROM audit;
  DROP TABLE audit;
  ALTER TABLE audit_new RENAME TO audit;
  CREATE INDEX audit_by_patient ON audit (patient_id, at);
  `,
  `
  CREATE TABLE sms_phone_days (
    phone TEXT NOT NULL,
    date TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (phone, date)
  ) WITHOUT ROWID;
  `,
  // When each record with a natural end may go (retention, @ereg/shared), for the local purge; rows
  // written before are given it here by the rules of the time (ledger 14 days, idempotency 7).
  `
  ALTER TABLE sms_sessions ADD COLUMN expire_at TEXT;
  UPDATE sms_sessions SET expire_at = json_extract(data, '$.expiresAt');
  CREATE INDEX sms_sessions_by_expiry ON sms_sessions (expire_at);
  ALTER TABLE sms_messages ADD COLUMN expire_at TEXT;
  UPDATE sms_messages SET expire_at = strftime('%Y-%m-%dT%H:%M:%fZ', max(
    json_extract(data, '$.createdAt'), json_extract(data, '$.sendAt'), json_extract(data, '$.updatedAt'),
    coalesce(json_extract(data, '$.sentAt'), json_extract(data, '$.createdAt'))), '+14 days');
  CREATE INDEX sms_messages_by_expiry ON sms_messages (expire_at);
  ALTER TABLE idempotency ADD COLUMN expire_at TEXT;
  UPDATE idempotency SET expire_at = strftime('%Y-%m-%dT%H:%M:%fZ', json_extract(data, '$.createdAt'), '+7 days');
  CREATE INDEX idempotency_by_expiry ON idempotency (expire_at);
  ALTER TABLE access_grants ADD COLUMN expire_at TEXT;
  UPDATE access_grants SET expire_at = json_extract(data, '$.until');
  CREATE INDEX access_grants_by_expiry ON access_grants (expire_at);
  CREATE INDEX sms_inbound_by_time ON sms_inbound (received_at);
  `,
  `
  CREATE TABLE used_assertions (id TEXT NOT NULL UNIQUE, used_at TEXT NOT NULL, expires_at TEXT NOT NULL);
  CREATE INDEX used_assertions_by_expiry ON used_assertions (expires_at);
  `,
  `
  CREATE TABLE booking_references (
    reference TEXT PRIMARY KEY,
    booking_id TEXT NOT NULL,
    patient_id TEXT NOT NULL,
    created_at TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
  backfillBookingReferences,
  backfillStaffRoles,
  `
  CREATE TABLE batches (
    id TEXT PRIMARY KEY,
    centre_id TEXT NOT NULL,
    vaccine_id TEXT NOT NULL,
    number TEXT NOT NULL,
    created_at TEXT NOT NULL,
    remaining INTEGER NOT NULL CHECK (remaining >= 0),
    wasted INTEGER NOT NULL DEFAULT 0 CHECK (wasted >= 0),
    data TEXT NOT NULL,
    UNIQUE (centre_id, vaccine_id, number)
  );
  CREATE INDEX batches_of_centre ON batches (centre_id, created_at, id);
  `,
  `
  CREATE TABLE hotline_sessions (id TEXT PRIMARY KEY, data TEXT NOT NULL, expire_at TEXT NOT NULL);
  CREATE INDEX hotline_sessions_by_expiry ON hotline_sessions (expire_at);
  `,
  `
  CREATE INDEX patients_by_phone ON patients (json_extract(data, '$.phone'));
  CREATE INDEX patients_by_landline ON patients (json_extract(data, '$.landline'));
  ALTER TABLE audit ADD COLUMN actor_id TEXT;
  ALTER TABLE audit ADD COLUMN action TEXT;
  ALTER TABLE audit ADD COLUMN reason_code TEXT;
  UPDATE audit SET actor_id = json_extract(data, '$.actor.id'), action = json_extract(data, '$.action'),
    reason_code = json_extract(data, '$.reasonCode');
  CREATE INDEX audit_by_time ON audit (at, id);
  CREATE INDEX audit_by_actor ON audit (actor_id, at, id);
  CREATE INDEX audit_by_action ON audit (action, at, id);
  CREATE INDEX audit_by_reason ON audit (reason_code, at, id);
  CREATE TABLE lookup_tallies (key TEXT PRIMARY KEY, data TEXT NOT NULL, expire_at TEXT NOT NULL);
  CREATE INDEX lookup_tallies_by_expiry ON lookup_tallies (expire_at);
  CREATE TABLE watch_list (pesel TEXT PRIMARY KEY, added_at TEXT NOT NULL, data TEXT NOT NULL);
  CREATE TABLE hotline_alerts (id TEXT PRIMARY KEY, at TEXT NOT NULL, open INTEGER NOT NULL, data TEXT NOT NULL);
  CREATE INDEX hotline_alerts_newest ON hotline_alerts (open, at, id);
  CREATE TABLE lookup_reviews (id TEXT PRIMARY KEY, at TEXT NOT NULL, pending INTEGER NOT NULL, data TEXT NOT NULL);
  CREATE INDEX lookup_reviews_newest ON lookup_reviews (pending, at, id);
  `,
  // The administration: centres and the vaccine catalogue.
  `
  CREATE TABLE vaccines (id TEXT PRIMARY KEY, data TEXT NOT NULL);
  CREATE INDEX appointments_booked_by_vaccine ON appointments (json_extract(data, '$.vaccineId'), start, id)
    WHERE status = 'booked';
  `,
  // The administration: priority-group referrals and announcements
  `
  CREATE TABLE group_referrals (pesel TEXT NOT NULL, grp TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (pesel, grp));
  CREATE TABLE group_uploads (digest TEXT PRIMARY KEY, id TEXT NOT NULL UNIQUE, at TEXT NOT NULL, data TEXT NOT NULL);
  CREATE INDEX group_uploads_newest ON group_uploads (at, id);
  CREATE TABLE announcements (id TEXT PRIMARY KEY, until TEXT NOT NULL, data TEXT NOT NULL);
  CREATE INDEX announcements_by_end ON announcements (until, id);
  `,
  // The administration: eligibility policy. A version's number is its key: two approvals cannot both make it.
  `
  CREATE TABLE policy_changes (id TEXT PRIMARY KEY, status TEXT NOT NULL, proposed_at TEXT NOT NULL, data TEXT NOT NULL);
  CREATE INDEX policy_changes_newest ON policy_changes (status, proposed_at, id);
  CREATE INDEX policy_changes_by_time ON policy_changes (proposed_at, id);
  CREATE TABLE policy_versions (version INTEGER PRIMARY KEY, at TEXT NOT NULL, data TEXT NOT NULL);
  `,
  // The waiting room: one ticket per room and person; positions and expiries are what the admission reads.
  `
  CREATE TABLE queue_rooms (id TEXT PRIMARY KEY, data TEXT NOT NULL);
  CREATE TABLE queue_tickets (
    room_id TEXT NOT NULL, patient_id TEXT NOT NULL, arrived_at TEXT NOT NULL, position INTEGER,
    status TEXT NOT NULL, expires_at TEXT, data TEXT NOT NULL, PRIMARY KEY (room_id, patient_id)
  );
  CREATE UNIQUE INDEX queue_tickets_by_position ON queue_tickets (room_id, position) WHERE position IS NOT NULL;
  CREATE INDEX queue_tickets_unplaced ON queue_tickets (room_id, arrived_at, patient_id) WHERE position IS NULL;
  CREATE INDEX queue_tickets_admitted ON queue_tickets (room_id, expires_at) WHERE status = 'admitted';
  CREATE TABLE queue_sequences (room_id TEXT PRIMARY KEY, last INTEGER NOT NULL);
  `,
  // The waiting room's count of free places over four weeks reads only those days.
  `
  CREATE INDEX availability_by_day ON availability (local_date, free);
  `,
  // The standby list: an entry per person, offers, noted places and the joining counter. The columns
  // are what the matcher, the expiry run and a TAK/NIE reply look up by; the record is the JSON.
  `
  CREATE TABLE standby_entries (
    patient_id TEXT PRIMARY KEY, sequence INTEGER NOT NULL, status TEXT NOT NULL, data TEXT NOT NULL
  );
  CREATE INDEX standby_entries_by_status ON standby_entries (status, sequence);
  CREATE TABLE standby_offers (
    id TEXT PRIMARY KEY, patient_id TEXT NOT NULL, phone TEXT, status TEXT NOT NULL, offered_at TEXT NOT NULL,
    expires_at TEXT NOT NULL, data TEXT NOT NULL
  );
  CREATE INDEX standby_offers_open_by_expiry ON standby_offers (expires_at, id) WHERE status = 'open';
  CREATE INDEX standby_offers_open_by_phone ON standby_offers (phone, offered_at, id) WHERE status = 'open';
  CREATE INDEX standby_offers_by_patient ON standby_offers (patient_id, offered_at, id);
  CREATE TABLE standby_vacancies (slot_id TEXT PRIMARY KEY, noted_at TEXT NOT NULL, data TEXT NOT NULL);
  CREATE INDEX standby_vacancies_by_note ON standby_vacancies (noted_at, slot_id);
  CREATE TABLE standby_sequence (id INTEGER PRIMARY KEY CHECK (id = 1), last INTEGER NOT NULL);
  `,
];

/** How long a connection waits for another process's lock before SQLite answers `database is locked`. */
export const BUSY_TIMEOUT_MS = 10_000;

const isBusy = (error: unknown): boolean =>
  error instanceof Error &&
  /SQLITE_BUSY|database is locked/i.test(`${error.message} ${String((error as { code?: unknown }).code)}`);

/**
 * Runs a statement that takes a lock, trying again while SQLite answers busy despite the timeout (it
 * does so without waiting when a WAL file is being recovered or a second writer would deadlock).
 */
export function retryWhileBusy<T>(run: () => T, deadlineMs = BUSY_TIMEOUT_MS): T {
  const deadline = Date.now() + deadlineMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return run();
    } catch (error) {
      if (!isBusy(error) || Date.now() >= deadline) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.min(5 * 2 ** attempt, 100));
    }
  }
}

/** Opens the database for shared use by several processes and brings the schema up to date. */
export function prepareDatabase(db: DatabaseSync): void {
  // First, so that every statement below waits for another process's lock instead of failing.
  db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  retryWhileBusy(() => db.exec('PRAGMA journal_mode = WAL'));
  db.exec('PRAGMA synchronous = NORMAL');
  db.exec('PRAGMA foreign_keys = ON');
  // A national data set is gigabytes: a larger page cache and memory-mapped reads keep search's
  // index seeks off the read() path.
  db.exec('PRAGMA cache_size = -65536');
  db.exec('PRAGMA mmap_size = 268435456');
  // Fewer, larger checkpoints: each one waits for the disk (fsync) on the server's only thread.
  db.exec('PRAGMA wal_autocheckpoint = 10000');
  // BEGIN IMMEDIATE takes the write lock before reading the version, so two processes
  // starting on a new file do not both run the first migration.
  retryWhileBusy(() => db.exec('BEGIN IMMEDIATE'));
  try {
    const row = db.prepare('PRAGMA user_version').get() as { user_version: number };
    for (let version = row.user_version; version < MIGRATIONS.length; version++) {
      const migration = MIGRATIONS[version] as Migration;
      if (typeof migration === 'string') db.exec(migration);
      else migration(db);
      db.exec(`PRAGMA user_version = ${version + 1}`);
    }
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}

export const SCHEMA_VERSION = MIGRATIONS.length;
