import { AsyncLocalStorage } from 'node:async_hooks';
import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import {
  type AccessGrant,
  type Announcement,
  type Appointment,
  type AuditQuery,
  type AuditRecord,
  type Availability,
  accessGrantExpiry,
  type Batch,
  type BatchStock,
  type BatchWithStock,
  type BookingReference,
  type Centre,
  type DomainEvent,
  type DoseTaking,
  type DoseUse,
  type EligibilityRule,
  type FreeSlotQuery,
  type GroupReferral,
  type GroupUpload,
  type HotlineAlert,
  type HotlineSession,
  type IdempotencyRecord,
  type Instant,
  idempotencyExpiry,
  type LocalDate,
  type LookupReview,
  type LookupTally,
  outOfStock,
  type Patient,
  type PolicyChange,
  type PolicyChangeStatus,
  type PolicyVersion,
  // The waiting room
  type QueueRoom,
  type QueueTicket,
  type Referral,
  type Slot,
  type SmsPhoneDay,
  type SmsRecord,
  type SmsSession,
  type StaffMember,
  // The standby list
  type StandbyEntry,
  type StandbyOffer,
  type StandbyVacancy,
  type Store,
  smsMessageExpiry,
  smsSessionExpiry,
  type Transaction,
  type UsedAssertion,
  type Vaccine,
  type WatchEntry,
} from '@ereg/shared';
import { currentScope, currentTraceparent, inSpan } from '../../observability/trace-context.ts';
import { retryWhileBusy } from './schema.ts';

type Row = Record<string, SQLInputValue>;

interface SlotRow {
  id: string;
  centre_id: string;
  vaccine_id: string;
  start: string;
  end: string;
  local_date: string;
  capacity: number;
  booked: number;
}

const slotFromRow = (row: SlotRow): Slot => ({
  id: row.id,
  centreId: row.centre_id,
  vaccineId: row.vaccine_id,
  start: row.start,
  end: row.end,
  localDate: row.local_date,
  capacity: row.capacity,
  booked: row.booked,
});

const parse = <T>(row: unknown): T => JSON.parse((row as { data: string }).data) as T;
const parseAll = <T>(rows: unknown[]): T[] => rows.map((row) => parse<T>(row));

/** A mutual-exclusion lock: a transaction's `await`s must not let another request's statements in. */
class Mutex {
  private tail: Promise<void> = Promise.resolve();

  acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => {
      release = resolve;
    });
    const ready = this.tail.then(() => release);
    this.tail = next;
    return ready;
  }
}

/** Prepared statements, compiled once per connection. */
/** A row of the search read model (`availability`). */
interface AvailabilityRow {
  centre_id: string;
  local_date: string;
  vaccine_id: string;
  free: number;
  first_free: string | null;
  first_slots: string;
}

const availabilityFromRow = (row: AvailabilityRow): Availability => ({
  centreId: row.centre_id,
  localDate: row.local_date,
  vaccineId: row.vaccine_id,
  free: row.free,
  firstFree: row.first_free,
  firstSlots: JSON.parse(row.first_slots) as Availability['firstSlots'],
});

function compile(db: DatabaseSync) {
  const s = (sql: string) => db.prepare(sql);
  return {
    getSlot: s('SELECT * FROM slots WHERE id = ?'),
    putSlot: s(
      `INSERT INTO slots (id, centre_id, vaccine_id, start, end, local_date, capacity, booked)
       VALUES (:id, :centre_id, :vaccine_id, :start, :end, :local_date, :capacity, :booked)
       ON CONFLICT (id) DO UPDATE SET end = excluded.end, capacity = excluded.capacity, booked = excluded.booked`,
    ),
    availabilityForPublication: s(
      `SELECT centre_id, local_date, vaccine_id, free, first_free, first_slots, changed_at FROM availability
       WHERE centre_id = ? AND local_date >= ? ORDER BY local_date, vaccine_id`,
    ),
    centresWithAvailabilityChangedSince: s(
      'SELECT DISTINCT centre_id FROM availability WHERE changed_at >= ? ORDER BY centre_id',
    ),
    deleteSlot: s('DELETE FROM slots WHERE id = ?'),
    slotsOfCentreDay: s('SELECT * FROM slots WHERE centre_id = ? AND local_date = ? ORDER BY start, vaccine_id'),
    freeSlots: s(
      `SELECT * FROM slots WHERE centre_id = :centre AND start >= :from AND start < :to AND booked < capacity
       ORDER BY start, vaccine_id LIMIT :limit`,
    ),
    firstAvailableDay: s(
      `SELECT centre_id, local_date, vaccine_id, free, first_free, first_slots FROM availability
       WHERE centre_id = :centre AND free > 0 AND local_date = (
         SELECT min(local_date) FROM availability
         WHERE centre_id = :centre AND local_date >= :from AND local_date <= :to AND free > 0)
       ORDER BY vaccine_id`,
    ),
    countFreePlaces: s('SELECT coalesce(sum(free), 0) AS free FROM availability WHERE local_date BETWEEN ? AND ?'),
    firstAvailableDayOf: s(
      `SELECT centre_id, local_date, vaccine_id, free, first_free, first_slots FROM availability
       WHERE centre_id = ? AND local_date >= ? AND local_date <= ? AND vaccine_id = ? AND free > 0
       ORDER BY local_date LIMIT 1`,
    ),
    freeSlotsOfVaccine: s(
      `SELECT * FROM slots WHERE centre_id = :centre AND start >= :from AND start < :to AND booked < capacity
       AND vaccine_id = :vaccine ORDER BY start, vaccine_id LIMIT :limit`,
    ),
    getAppointment: s('SELECT data FROM appointments WHERE id = ?'),
    appointmentsOfPatient: s('SELECT data FROM appointments WHERE patient_id = ? ORDER BY start'),
    activeAppointmentsOfSlot: s(
      "SELECT data FROM appointments WHERE slot_id = ? AND status <> 'cancelled' ORDER BY start, id",
    ),
    appointmentsOfCentreDay: s('SELECT data FROM appointments WHERE centre_id = ? AND local_date = ? ORDER BY start'),
    putAppointment: s(
      `INSERT INTO appointments (id, patient_id, centre_id, slot_id, local_date, status, start, data)
       VALUES (:id, :patient_id, :centre_id, :slot_id, :local_date, :status, :start, :data)
       ON CONFLICT (id) DO UPDATE SET slot_id = excluded.slot_id, local_date = excluded.local_date,
         status = excluded.status, start = excluded.start, data = excluded.data`,
    ),
    getPatient: s('SELECT data FROM patients WHERE id = ?'),
    getPatientByPesel: s('SELECT data FROM patients WHERE pesel = ?'),
    putPatient: s(
      `INSERT INTO patients (id, pesel, data) VALUES (?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET data = excluded.data`,
    ),
    getReferral: s('SELECT data FROM referrals WHERE patient_id = ?'),
    putReferral: s('INSERT OR REPLACE INTO referrals (patient_id, data) VALUES (?, ?)'),
    getIdempotency: s('SELECT data FROM idempotency WHERE key = ?'),
    putIdempotency: s('INSERT INTO idempotency (key, data, expire_at) VALUES (?, ?, ?)'),
    getCentre: s('SELECT data FROM centres WHERE id = ?'),
    listCentres: s('SELECT data FROM centres ORDER BY id'),
    putCentre: s(
      `INSERT INTO centres (id, lat, lon, data) VALUES (?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET lat = excluded.lat, lon = excluded.lon, data = excluded.data`,
    ),
    getPublishedThrough: s('SELECT published_through FROM centres WHERE id = ?'),
    setPublishedThrough: s('UPDATE centres SET published_through = ? WHERE id = ?'),
    getStaff: s('SELECT data FROM staff WHERE id = ?'),
    staffOfCentre: s('SELECT data FROM staff WHERE centre_id = ? ORDER BY id'),
    putStaff: s('INSERT OR REPLACE INTO staff (id, centre_id, data) VALUES (?, ?, ?)'),
    deleteStaff: s('DELETE FROM staff WHERE id = ?'),
    // A scan: staff are added a few at a time, and a centre's people are a few dozen rows of the whole.
    staffByEmail: s("SELECT data FROM staff WHERE json_extract(data, '$.email') = ? LIMIT 1"),
    listRules: s('SELECT data FROM eligibility_rules ORDER BY id'),
    putRule: s('INSERT OR REPLACE INTO eligibility_rules (id, data) VALUES (?, ?)'),
    // The administration: eligibility policy.
    deleteRule: s('DELETE FROM eligibility_rules WHERE id = ?'),
    getPolicyChange: s('SELECT data FROM policy_changes WHERE id = ?'),
    putPolicyChange: s('INSERT OR REPLACE INTO policy_changes (id, status, proposed_at, data) VALUES (?, ?, ?, ?)'),
    policyChanges: s('SELECT data FROM policy_changes ORDER BY proposed_at DESC, id DESC LIMIT ?'),
    policyChangesOf: s('SELECT data FROM policy_changes WHERE status = ? ORDER BY proposed_at DESC, id DESC LIMIT ?'),
    latestPolicyVersion: s('SELECT data FROM policy_versions ORDER BY version DESC LIMIT 1'),
    // No OR REPLACE: a second version of one number breaks the primary key and fails the unit.
    putPolicyVersion: s('INSERT INTO policy_versions (version, at, data) VALUES (?, ?, ?)'),
    policyVersions: s('SELECT data FROM policy_versions ORDER BY version'),
    // No OR REPLACE, and no statement here updates or deletes a record: the audit is append-only.
    addAudit: s(
      'INSERT INTO audit (id, patient_id, at, actor_id, action, reason_code, data) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    auditOfPatient: s('SELECT data FROM audit WHERE patient_id = ? ORDER BY at, id'),
    getAccessGrant: s('SELECT data FROM access_grants WHERE agent_id = ? AND patient_id = ?'),
    putAccessGrant: s(
      'INSERT OR REPLACE INTO access_grants (agent_id, patient_id, data, expire_at) VALUES (?, ?, ?, ?)',
    ),
    addEvent: s('INSERT INTO outbox (id, type, occurred_at, data) VALUES (?, ?, ?, ?)'),
    getSmsMessage: s('SELECT data FROM sms_messages WHERE key = ?'),
    // A ledger entry is rewritten as its status changes: every column follows the record.
    putSmsMessage: s(
      `INSERT INTO sms_messages (key, to_phone, created_at, status, send_at, data, expire_at)
       VALUES (:key, :to_phone, :created_at, :status, :send_at, :data, :expire_at)
       ON CONFLICT (key) DO UPDATE SET to_phone = excluded.to_phone, created_at = excluded.created_at,
         status = excluded.status, send_at = excluded.send_at, data = excluded.data, expire_at = excluded.expire_at`,
    ),
    newestSmsMessages: s('SELECT data FROM sms_messages ORDER BY created_at DESC, key DESC LIMIT ?'),
    newestSmsMessagesTo: s(
      'SELECT data FROM sms_messages WHERE to_phone = ? ORDER BY created_at DESC, key DESC LIMIT ?',
    ),
    getSmsSession: s('SELECT data FROM sms_sessions WHERE phone = ?'),
    putSmsSession: s('INSERT OR REPLACE INTO sms_sessions (phone, data, expire_at) VALUES (?, ?, ?)'),
    deleteSmsSession: s('DELETE FROM sms_sessions WHERE phone = ?'),
    getSmsPhoneDay: s('SELECT data FROM sms_phone_days WHERE phone = ? AND date = ?'),
    putSmsPhoneDay: s('INSERT OR REPLACE INTO sms_phone_days (phone, date, data) VALUES (?, ?, ?)'),
    getUsedAssertion: s('SELECT id, used_at, expires_at FROM used_assertions WHERE id = ?'),
    // No OR REPLACE: a second use of one assertion breaks the unique id and fails the unit. A rowid
    // table appends in order of use; only the id index takes random inserts (half the cost of a table
    // keyed by the id, measured).
    putUsedAssertion: s('INSERT INTO used_assertions (id, used_at, expires_at) VALUES (?, ?, ?)'),
    purgeUsedAssertions: s('DELETE FROM used_assertions WHERE expires_at <= ?'),
    getBookingReference: s('SELECT * FROM booking_references WHERE reference = ?'),
    // No OR REPLACE: a reference taken twice breaks the primary key and fails the unit.
    putBookingReference: s(
      'INSERT INTO booking_references (reference, booking_id, patient_id, created_at) VALUES (?, ?, ?, ?)',
    ),
    getBatch: s('SELECT data FROM batches WHERE id = ?'),
    getBatchByNumber: s('SELECT data FROM batches WHERE centre_id = ? AND vaccine_id = ? AND number = ?'),
    getBatchStock: s('SELECT id, remaining, wasted FROM batches WHERE id = ?'),
    batchesOfCentre: s('SELECT data, remaining, wasted FROM batches WHERE centre_id = ? ORDER BY created_at, id'),
    // No OR REPLACE: a second batch of one id, or of one centre, product and number, fails the unit.
    addBatch: s(
      `INSERT INTO batches (id, centre_id, vaccine_id, number, created_at, remaining, wasted, data)
       VALUES (?, ?, ?, ?, ?, ?, 0, ?)`,
    ),
    putBatch: s('UPDATE batches SET data = ? WHERE id = ?'),
    // The CHECK on `remaining` refuses what the adapter's own check let through.
    takeDoses: s('UPDATE batches SET remaining = remaining - ?, wasted = wasted + ? WHERE id = ?'),
    getHotlineSession: s('SELECT data FROM hotline_sessions WHERE id = ?'),
    patientsByPhone: s(
      `SELECT data FROM (SELECT id, data FROM patients WHERE json_extract(data, '$.phone') = :phone
         UNION SELECT id, data FROM patients WHERE json_extract(data, '$.landline') = :phone)
       ORDER BY id LIMIT :limit`,
    ),
    getTally: s('SELECT data FROM lookup_tallies WHERE key = ?'),
    putTally: s('INSERT OR REPLACE INTO lookup_tallies (key, data, expire_at) VALUES (?, ?, ?)'),
    getWatchEntry: s('SELECT data FROM watch_list WHERE pesel = ?'),
    putWatchEntry: s('INSERT OR REPLACE INTO watch_list (pesel, added_at, data) VALUES (?, ?, ?)'),
    deleteWatchEntry: s('DELETE FROM watch_list WHERE pesel = ?'),
    listWatchList: s("SELECT data FROM watch_list ORDER BY added_at, json_extract(data, '$.id')"),
    getAlert: s('SELECT data FROM hotline_alerts WHERE id = ?'),
    putAlert: s('INSERT OR REPLACE INTO hotline_alerts (id, at, open, data) VALUES (?, ?, ?, ?)'),
    alerts: s('SELECT data FROM hotline_alerts ORDER BY at DESC, id DESC LIMIT ?'),
    alertsOpen: s('SELECT data FROM hotline_alerts WHERE open = ? ORDER BY at DESC, id DESC LIMIT ?'),
    getReview: s('SELECT data FROM lookup_reviews WHERE id = ?'),
    putReview: s('INSERT OR REPLACE INTO lookup_reviews (id, at, pending, data) VALUES (?, ?, ?, ?)'),
    reviews: s('SELECT data FROM lookup_reviews ORDER BY at DESC, id DESC LIMIT ?'),
    reviewsPending: s('SELECT data FROM lookup_reviews WHERE pending = ? ORDER BY at DESC, id DESC LIMIT ?'),
    // The administration: priority-group referrals and announcements
    groupReferrals: s('SELECT data FROM group_referrals WHERE pesel = ? ORDER BY grp'),
    putGroupReferral: s('INSERT OR REPLACE INTO group_referrals (pesel, grp, data) VALUES (?, ?, ?)'),
    getGroupUpload: s('SELECT data FROM group_uploads WHERE digest = ?'),
    putGroupUpload: s('INSERT OR REPLACE INTO group_uploads (digest, id, at, data) VALUES (?, ?, ?, ?)'),
    groupUploads: s('SELECT data FROM group_uploads ORDER BY at DESC, id DESC LIMIT ?'),
    getAnnouncement: s('SELECT data FROM announcements WHERE id = ?'),
    putAnnouncement: s('INSERT OR REPLACE INTO announcements (id, until, data) VALUES (?, ?, ?)'),
    announcements: s('SELECT data FROM announcements ORDER BY until DESC, id LIMIT ?'),
    announcementsEndingAfter: s('SELECT data FROM announcements WHERE until > ? ORDER BY until DESC, id LIMIT ?'),
    putHotlineSession: s('INSERT OR REPLACE INTO hotline_sessions (id, data, expire_at) VALUES (?, ?, ?)'),
    appointmentsByReference: s(
      `SELECT a.data FROM booking_references r JOIN appointments a ON a.patient_id = r.patient_id
       WHERE r.reference = ? AND json_extract(a.data, '$.reference') = r.reference ORDER BY a.start, a.id`,
    ),
    // The administration: centres and the vaccine catalogue.
    listVaccines: s('SELECT data FROM vaccines ORDER BY id'),
    // The waiting room
    getQueueRoom: s('SELECT data FROM queue_rooms WHERE id = ?'),
    putQueueRoom: s('INSERT OR REPLACE INTO queue_rooms (id, data) VALUES (?, ?)'),
    getQueueTicket: s('SELECT data FROM queue_tickets WHERE room_id = ? AND patient_id = ?'),
    putQueueTicket: s(
      `INSERT OR REPLACE INTO queue_tickets (room_id, patient_id, arrived_at, position, status, expires_at, data)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    unplacedQueueTickets: s(
      `SELECT data FROM queue_tickets WHERE room_id = ? AND position IS NULL
       ORDER BY arrived_at, patient_id LIMIT ?`,
    ),
    queueTicketsByPosition: s(
      'SELECT data FROM queue_tickets WHERE room_id = ? AND position BETWEEN ? AND ? ORDER BY position',
    ),
    expiredQueueTickets: s(
      `SELECT data FROM queue_tickets WHERE room_id = ? AND status = 'admitted' AND expires_at <= ?
       ORDER BY expires_at, patient_id LIMIT ?`,
    ),
    lastQueueSequence: s('SELECT last FROM queue_sequences WHERE room_id = ?'),
    takeQueueSequence: s(
      `INSERT INTO queue_sequences (room_id, last) VALUES (?, 1)
       ON CONFLICT (room_id) DO UPDATE SET last = last + 1`,
    ),
    putVaccine: s('INSERT OR REPLACE INTO vaccines (id, data) VALUES (?, ?)'),
    // Served by the partial index appointments_booked_by_vaccine (schema.ts).
    bookedOfVaccine: s(
      `SELECT data FROM appointments
       WHERE status = 'booked' AND json_extract(data, '$.vaccineId') = ? AND start >= ?
       ORDER BY start, id LIMIT ?`,
    ),
    // The standby list
    getStandbyEntry: s('SELECT data FROM standby_entries WHERE patient_id = ?'),
    putStandbyEntry: s(
      'INSERT OR REPLACE INTO standby_entries (patient_id, sequence, status, data) VALUES (?, ?, ?, ?)',
    ),
    standbyEntries: s('SELECT data FROM standby_entries WHERE status = ? AND sequence > ? ORDER BY sequence LIMIT ?'),
    countStandbyAhead: s(
      "SELECT count(*) AS ahead FROM standby_entries WHERE status IN ('waiting', 'offered') AND sequence < ?",
    ),
    getStandbyOffer: s('SELECT data FROM standby_offers WHERE id = ?'),
    putStandbyOffer: s(
      `INSERT OR REPLACE INTO standby_offers (id, patient_id, phone, status, offered_at, expires_at, data)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    expiredStandbyOffers: s(
      `SELECT data FROM standby_offers WHERE status = 'open' AND expires_at <= ?
       ORDER BY expires_at, id LIMIT ?`,
    ),
    openStandbyOffersOfPhone: s(
      "SELECT data FROM standby_offers WHERE status = 'open' AND phone = ? ORDER BY offered_at DESC, id DESC",
    ),
    standbyOffersOfPatient: s(
      'SELECT data FROM standby_offers WHERE patient_id = ? ORDER BY offered_at DESC, id DESC LIMIT ?',
    ),
    getStandbyVacancy: s('SELECT data FROM standby_vacancies WHERE slot_id = ?'),
    putStandbyVacancy: s('INSERT OR REPLACE INTO standby_vacancies (slot_id, noted_at, data) VALUES (?, ?, ?)'),
    deleteStandbyVacancy: s('DELETE FROM standby_vacancies WHERE slot_id = ?'),
    standbyVacancies: s('SELECT data FROM standby_vacancies ORDER BY noted_at, slot_id LIMIT ?'),
    lastStandbySequence: s('SELECT last FROM standby_sequence WHERE id = 1'),
    takeStandbySequence: s(
      'INSERT INTO standby_sequence (id, last) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET last = last + 1',
    ),
  };
}

type Statements = ReturnType<typeof compile>;

function bookingReferenceOf(st: Statements, reference: string): BookingReference | null {
  const row = st.getBookingReference.get(reference) as
    | { reference: string; booking_id: string; patient_id: string; created_at: string }
    | undefined;
  return row
    ? { reference: row.reference, bookingId: row.booking_id, patientId: row.patient_id, createdAt: row.created_at }
    : null;
}

function freeSlots(st: Statements, query: FreeSlotQuery): Slot[] {
  if (query.vaccineIds?.length === 1) {
    // One product: the index holds the vaccine id, so other products' slots are skipped without reading them.
    const rows = st.freeSlotsOfVaccine.all({
      centre: query.centreId,
      from: query.from,
      to: query.to ?? '9999-12-31T00:00:00.000Z',
      vaccine: query.vaccineIds[0] as string,
      limit: query.limit,
    }) as unknown as SlotRow[];
    return rows.map(slotFromRow);
  }
  // The partial index on free slots serves this per centre; the vaccine filter runs on its few rows.
  const wanted = query.vaccineIds ? new Set(query.vaccineIds) : null;
  const found: Slot[] = [];
  const batch = wanted ? Math.max(query.limit * 4, 32) : query.limit;
  let from = query.from;
  const to = query.to ?? '9999-12-31T00:00:00.000Z';
  const seen = new Set<string>();
  for (;;) {
    const rows = st.freeSlots.all({ centre: query.centreId, from, to, limit: batch }) as unknown as SlotRow[];
    for (const row of rows) {
      if (seen.has(row.id)) continue;
      seen.add(row.id);
      if (wanted && !wanted.has(row.vaccine_id)) continue;
      found.push(slotFromRow(row));
      if (found.length >= query.limit) return found;
    }
    if (rows.length < batch) return found;
    from = (rows[rows.length - 1] as SlotRow).start;
  }
}

function batchStockOf(st: Statements, batchId: string): BatchStock | null {
  const row = st.getBatchStock.get(batchId) as { id: string; remaining: number; wasted: number } | undefined;
  return row ? { batchId: row.id, remaining: row.remaining, wasted: row.wasted } : null;
}

type Write = () => void;

interface Group {
  committed: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Reads run at once on the connection; writes wait in order and are applied just before COMMIT. */
class SqliteTransaction implements Transaction {
  readonly writes: Write[] = [];
  private readonly st: Statements;

  constructor(st: Statements) {
    this.st = st;
  }

  private read<T>(fn: () => T): Promise<T> {
    if (this.writes.length > 0) {
      return Promise.reject(new Error('A transaction must do all its reads before its first write.'));
    }
    return Promise.resolve(fn());
  }

  getSlot(id: string) {
    return this.read(() => {
      const row = this.st.getSlot.get(id) as SlotRow | undefined;
      return row ? slotFromRow(row) : null;
    });
  }
  getAppointment(id: string) {
    return this.read(() => {
      const row = this.st.getAppointment.get(id);
      return row ? parse<Appointment>(row) : null;
    });
  }
  listAppointmentsOfPatient(patientId: string) {
    return this.read(() => parseAll<Appointment>(this.st.appointmentsOfPatient.all(patientId)));
  }
  listActiveAppointmentsOfSlot(slotId: string) {
    return this.read(() => parseAll<Appointment>(this.st.activeAppointmentsOfSlot.all(slotId)));
  }
  getPatient(id: string) {
    return this.read(() => {
      const row = this.st.getPatient.get(id);
      return row ? parse<Patient>(row) : null;
    });
  }
  getPatientByPesel(pesel: string) {
    return this.read(() => {
      const row = this.st.getPatientByPesel.get(pesel);
      return row ? parse<Patient>(row) : null;
    });
  }
  getReferral(patientId: string) {
    return this.read(() => {
      const row = this.st.getReferral.get(patientId);
      return row ? parse<Referral>(row) : null;
    });
  }
  getAccessGrant(agentId: string, patientId: string) {
    return this.read(() => {
      const row = this.st.getAccessGrant.get(agentId, patientId);
      return row ? parse<AccessGrant>(row) : null;
    });
  }
  getIdempotency(key: string) {
    return this.read(() => {
      const row = this.st.getIdempotency.get(key);
      return row ? parse<IdempotencyRecord>(row) : null;
    });
  }
  getCentre(id: string) {
    return this.read(() => {
      const row = this.st.getCentre.get(id);
      return row ? parse<Centre>(row) : null;
    });
  }
  getStaff(id: string) {
    return this.read(() => {
      const row = this.st.getStaff.get(id);
      return row ? parse<StaffMember>(row) : null;
    });
  }
  getStaffByEmail(email: string) {
    return this.read(() => {
      const row = this.st.staffByEmail.get(email);
      return row ? parse<StaffMember>(row) : null;
    });
  }
  listStaffOfCentre(centreId: string) {
    return this.read(() => parseAll<StaffMember>(this.st.staffOfCentre.all(centreId)));
  }
  listSlotsOfCentreDay(centreId: string, date: LocalDate) {
    return this.read(() => (this.st.slotsOfCentreDay.all(centreId, date) as unknown as SlotRow[]).map(slotFromRow));
  }
  findFreeSlots(query: FreeSlotQuery) {
    return this.read(() => freeSlots(this.st, query));
  }
  listEligibilityRules() {
    return this.read(() => parseAll<EligibilityRule>(this.st.listRules.all()));
  }
  // The administration: eligibility policy.
  getPolicyChange(id: string) {
    return this.read(() => {
      const row = this.st.getPolicyChange.get(id);
      return row ? parse<PolicyChange>(row) : null;
    });
  }
  getLatestPolicyVersion() {
    return this.read(() => {
      const row = this.st.latestPolicyVersion.get();
      return row ? parse<PolicyVersion>(row) : null;
    });
  }
  getSmsMessage(key: string) {
    return this.read(() => {
      const row = this.st.getSmsMessage.get(key);
      return row ? parse<SmsRecord>(row) : null;
    });
  }
  getSmsSession(phone: string) {
    return this.read(() => {
      const row = this.st.getSmsSession.get(phone);
      return row ? parse<SmsSession>(row) : null;
    });
  }
  getSmsPhoneDay(phone: string, date: LocalDate) {
    return this.read(() => {
      const row = this.st.getSmsPhoneDay.get(phone, date);
      return row ? parse<SmsPhoneDay>(row) : null;
    });
  }
  getBookingReference(reference: string) {
    return this.read(() => bookingReferenceOf(this.st, reference));
  }
  getBatch(id: string) {
    return this.read(() => {
      const row = this.st.getBatch.get(id);
      return row ? parse<Batch>(row) : null;
    });
  }
  getBatchByNumber(centreId: string, vaccineId: string, number: string) {
    return this.read(() => {
      const row = this.st.getBatchByNumber.get(centreId, vaccineId, number);
      return row ? parse<Batch>(row) : null;
    });
  }
  async takeDoses(batchId: string, count: number | 'all', use: DoseUse): Promise<DoseTaking> {
    const remaining = await this.read(() => batchStockOf(this.st, batchId)?.remaining ?? 0);
    const taken = count === 'all' ? remaining : count;
    if (taken > remaining) throw outOfStock(batchId, remaining);
    this.writes.push(() => this.st.takeDoses.run(taken, use === 'wasted' ? taken : 0, batchId));
    return { taken, emptied: remaining - taken === 0 };
  }
  getHotlineSession(id: string) {
    return this.read(() => {
      const row = this.st.getHotlineSession.get(id);
      return row ? parse<HotlineSession>(row) : null;
    });
  }
  listPatientsByPhone(phone: string, limit: number) {
    return this.read(() => parseAll<Patient>(this.st.patientsByPhone.all({ phone, limit })));
  }
  getTally(key: string) {
    return this.read(() => {
      const row = this.st.getTally.get(key);
      return row ? parse<LookupTally>(row) : null;
    });
  }
  getWatchEntry(pesel: string) {
    return this.read(() => {
      const row = this.st.getWatchEntry.get(pesel);
      return row ? parse<WatchEntry>(row) : null;
    });
  }
  getAlert(id: string) {
    return this.read(() => {
      const row = this.st.getAlert.get(id);
      return row ? parse<HotlineAlert>(row) : null;
    });
  }
  getReview(id: string) {
    return this.read(() => {
      const row = this.st.getReview.get(id);
      return row ? parse<LookupReview>(row) : null;
    });
  }
  // The administration: centres and the vaccine catalogue.
  listVaccines() {
    return this.read(() => parseAll<Vaccine>(this.st.listVaccines.all()));
  }
  // The administration: priority-group referrals and announcements
  listGroupReferrals(pesel: string) {
    return this.read(() => parseAll<GroupReferral>(this.st.groupReferrals.all(pesel)));
  }
  getGroupUpload(digest: string) {
    return this.read(() => {
      const row = this.st.getGroupUpload.get(digest);
      return row ? parse<GroupUpload>(row) : null;
    });
  }
  getAnnouncement(id: string) {
    return this.read(() => {
      const row = this.st.getAnnouncement.get(id);
      return row ? parse<Announcement>(row) : null;
    });
  }
  putGroupReferral(referral: GroupReferral) {
    const data = JSON.stringify(referral);
    this.writes.push(() => this.st.putGroupReferral.run(referral.pesel, referral.group, data));
  }
  putGroupUpload(digest: string, upload: GroupUpload) {
    const data = JSON.stringify(upload);
    this.writes.push(() => this.st.putGroupUpload.run(digest, upload.id, upload.at, data));
  }
  putAnnouncement(announcement: Announcement) {
    const data = JSON.stringify(announcement);
    this.writes.push(() => this.st.putAnnouncement.run(announcement.id, announcement.until, data));
  }
  getUsedAssertion(id: string) {
    return this.read((): UsedAssertion | null => {
      const row = this.st.getUsedAssertion.get(id) as { id: string; used_at: string; expires_at: string } | undefined;
      return row ? { id: row.id, usedAt: row.used_at, expiresAt: row.expires_at } : null;
    });
  }

  putSlot(slot: Slot) {
    const row: Row = {
      id: slot.id,
      centre_id: slot.centreId,
      vaccine_id: slot.vaccineId,
      start: slot.start,
      end: slot.end,
      local_date: slot.localDate,
      capacity: slot.capacity,
      booked: slot.booked,
    };
    this.writes.push(() => this.st.putSlot.run(row));
  }
  deleteSlot(id: string) {
    this.writes.push(() => this.st.deleteSlot.run(id));
  }
  putAppointment(a: Appointment) {
    const row: Row = {
      id: a.id,
      patient_id: a.patientId,
      centre_id: a.centreId,
      slot_id: a.slotId,
      local_date: a.localDate,
      status: a.status,
      start: a.start,
      data: JSON.stringify(a),
    };
    this.writes.push(() => this.st.putAppointment.run(row));
  }
  putPatient(p: Patient) {
    const data = JSON.stringify(p);
    this.writes.push(() => this.st.putPatient.run(p.id, p.pesel, data));
  }
  putReferral(r: Referral) {
    const data = JSON.stringify(r);
    this.writes.push(() => this.st.putReferral.run(r.patientId, data));
  }
  putIdempotency(r: IdempotencyRecord) {
    const data = JSON.stringify(r);
    this.writes.push(() => this.st.putIdempotency.run(r.key, data, idempotencyExpiry(r)));
  }
  putCentre(c: Centre) {
    const data = JSON.stringify(c);
    this.writes.push(() => this.st.putCentre.run(c.id, c.location.lat, c.location.lon, data));
  }
  putStaff(s: StaffMember) {
    const data = JSON.stringify(s);
    this.writes.push(() => this.st.putStaff.run(s.id, s.centreId, data));
  }
  deleteStaff(id: string) {
    this.writes.push(() => this.st.deleteStaff.run(id));
  }
  putEligibilityRule(rule: EligibilityRule) {
    const data = JSON.stringify(rule);
    this.writes.push(() => this.st.putRule.run(rule.id, data));
  }
  // The administration: eligibility policy.
  deleteEligibilityRule(id: string) {
    this.writes.push(() => this.st.deleteRule.run(id));
  }
  putPolicyChange(change: PolicyChange) {
    const data = JSON.stringify(change);
    this.writes.push(() => this.st.putPolicyChange.run(change.id, change.status, change.proposedAt, data));
  }
  putPolicyVersion(version: PolicyVersion) {
    const data = JSON.stringify(version);
    this.writes.push(() => this.st.putPolicyVersion.run(version.version, version.at, data));
  }
  addAudit(r: AuditRecord) {
    const data = JSON.stringify(r);
    this.writes.push(() =>
      this.st.addAudit.run(r.id, r.patientId, r.at, r.actor.id, r.action, r.reasonCode ?? null, data),
    );
  }
  addEvent(e: DomainEvent) {
    // The request's trace goes with the event to its consumers.
    const trace = currentTraceparent();
    const data = JSON.stringify(trace ? { ...e, trace } : e);
    this.writes.push(() => this.st.addEvent.run(e.id, e.type, e.occurredAt, data));
  }
  putSmsMessage(r: SmsRecord) {
    const row: Row = {
      key: r.key,
      to_phone: r.to,
      created_at: r.createdAt,
      status: r.status,
      send_at: r.sendAt,
      data: JSON.stringify(r),
      expire_at: smsMessageExpiry(r),
    };
    this.writes.push(() => this.st.putSmsMessage.run(row));
  }
  putSmsSession(session: SmsSession) {
    const data = JSON.stringify(session);
    this.writes.push(() => this.st.putSmsSession.run(session.phone, data, smsSessionExpiry(session)));
  }
  deleteSmsSession(phone: string) {
    this.writes.push(() => this.st.deleteSmsSession.run(phone));
  }
  putAccessGrant(grant: AccessGrant) {
    const data = JSON.stringify(grant);
    this.writes.push(() => this.st.putAccessGrant.run(grant.agentId, grant.patientId, data, accessGrantExpiry(grant)));
  }
  putSmsPhoneDay(day: SmsPhoneDay) {
    const data = JSON.stringify(day);
    this.writes.push(() => this.st.putSmsPhoneDay.run(day.phone, day.date, data));
  }
  putBookingReference(record: BookingReference) {
    this.writes.push(() =>
      this.st.putBookingReference.run(record.reference, record.bookingId, record.patientId, record.createdAt),
    );
  }
  addBatch(b: Batch) {
    const data = JSON.stringify(b);
    this.writes.push(() => this.st.addBatch.run(b.id, b.centreId, b.vaccineId, b.number, b.createdAt, b.doses, data));
  }
  putBatch(b: Batch) {
    const data = JSON.stringify(b);
    this.writes.push(() => this.st.putBatch.run(data, b.id));
  }
  putHotlineSession(session: HotlineSession) {
    const data = JSON.stringify(session);
    this.writes.push(() => this.st.putHotlineSession.run(session.id, data, session.expiresAt));
  }
  putTally(tally: LookupTally) {
    const data = JSON.stringify(tally);
    this.writes.push(() => this.st.putTally.run(tally.key, data, tally.expiresAt));
  }
  putWatchEntry(entry: WatchEntry) {
    const data = JSON.stringify(entry);
    this.writes.push(() => this.st.putWatchEntry.run(entry.pesel, entry.addedAt, data));
  }
  deleteWatchEntry(pesel: string) {
    this.writes.push(() => this.st.deleteWatchEntry.run(pesel));
  }
  putAlert(alert: HotlineAlert) {
    const data = JSON.stringify(alert);
    this.writes.push(() => this.st.putAlert.run(alert.id, alert.at, alert.acknowledged === null ? 1 : 0, data));
  }
  putReview(review: LookupReview) {
    const data = JSON.stringify(review);
    this.writes.push(() => this.st.putReview.run(review.id, review.at, review.verdict === null ? 1 : 0, data));
  }
  // The administration: centres and the vaccine catalogue.
  putVaccine(vaccine: Vaccine) {
    const data = JSON.stringify(vaccine);
    this.writes.push(() => this.st.putVaccine.run(vaccine.id, data));
  }
  putUsedAssertion(record: UsedAssertion) {
    this.writes.push(() => {
      // The records of assertions expired by the time this one is used go with it: the table holds
      // only what can still be replayed (the expiry index makes this a seek, usually deleting nothing).
      this.st.purgeUsedAssertions.run(record.usedAt);
      this.st.putUsedAssertion.run(record.id, record.usedAt, record.expiresAt);
    });
  }
  // The waiting room
  getQueueRoom(id: string) {
    return this.read(() => queueRoomOf(this.st, id));
  }
  getQueueTicket(roomId: string, patientId: string) {
    return this.read(() => queueTicketOf(this.st, roomId, patientId));
  }
  async takeQueueSequence(roomId: string): Promise<number> {
    const last = await this.read(() => lastQueueSequenceOf(this.st, roomId));
    this.writes.push(() => this.st.takeQueueSequence.run(roomId));
    return last + 1;
  }
  putQueueRoom(room: QueueRoom) {
    const data = JSON.stringify(room);
    this.writes.push(() => this.st.putQueueRoom.run(room.id, data));
  }
  putQueueTicket(ticket: QueueTicket) {
    const data = JSON.stringify(ticket);
    this.writes.push(() =>
      this.st.putQueueTicket.run(
        ticket.roomId,
        ticket.patientId,
        ticket.arrivedAt,
        ticket.position,
        ticket.status,
        ticket.expiresAt,
        data,
      ),
    );
  }
  // The standby list
  getStandbyEntry(patientId: string) {
    return this.read(() => standbyEntryOf(this.st, patientId));
  }
  getStandbyOffer(id: string) {
    return this.read(() => standbyOfferOf(this.st, id));
  }
  getStandbyVacancy(slotId: string) {
    return this.read(() => standbyVacancyOf(this.st, slotId));
  }
  async takeStandbySequence(): Promise<number> {
    const row = await this.read(() => this.st.lastStandbySequence.get() as { last: number } | undefined);
    this.writes.push(() => this.st.takeStandbySequence.run());
    return (row?.last ?? 0) + 1;
  }
  putStandbyEntry(entry: StandbyEntry) {
    const data = JSON.stringify(entry);
    this.writes.push(() => this.st.putStandbyEntry.run(entry.patientId, entry.sequence, entry.status, data));
  }
  putStandbyOffer(offer: StandbyOffer) {
    const data = JSON.stringify(offer);
    this.writes.push(() =>
      this.st.putStandbyOffer.run(
        offer.id,
        offer.patientId,
        offer.phone,
        offer.status,
        offer.offeredAt,
        offer.expiresAt,
        data,
      ),
    );
  }
  putStandbyVacancy(vacancy: StandbyVacancy) {
    const data = JSON.stringify(vacancy);
    this.writes.push(() => this.st.putStandbyVacancy.run(vacancy.slotId, vacancy.notedAt, data));
  }
  deleteStandbyVacancy(slotId: string) {
    this.writes.push(() => this.st.deleteStandbyVacancy.run(slotId));
  }
}

function standbyEntryOf(st: Statements, patientId: string): StandbyEntry | null {
  const row = st.getStandbyEntry.get(patientId);
  return row ? parse<StandbyEntry>(row) : null;
}

function standbyOfferOf(st: Statements, id: string): StandbyOffer | null {
  const row = st.getStandbyOffer.get(id);
  return row ? parse<StandbyOffer>(row) : null;
}

function standbyVacancyOf(st: Statements, slotId: string): StandbyVacancy | null {
  const row = st.getStandbyVacancy.get(slotId);
  return row ? parse<StandbyVacancy>(row) : null;
}

function queueRoomOf(st: Statements, id: string): QueueRoom | null {
  const row = st.getQueueRoom.get(id);
  return row ? parse<QueueRoom>(row) : null;
}

function queueTicketOf(st: Statements, roomId: string, patientId: string): QueueTicket | null {
  const row = st.getQueueTicket.get(roomId, patientId);
  return row ? parse<QueueTicket>(row) : null;
}

function lastQueueSequenceOf(st: Statements, roomId: string): number {
  const row = st.lastQueueSequence.get(roomId) as { last: number } | undefined;
  return row?.last ?? 0;
}

/** The embedded store: one SQLite file in WAL mode, shareable by several processes. */
export class SqliteStore implements Store {
  readonly db: DatabaseSync;
  private readonly st: Statements;
  private readonly mutex = new Mutex();
  private group: Group | null = null;
  /** The exclusive section the current async call chain runs in, if any (see `exclusive`). */
  private readonly section = new AsyncLocalStorage<{ open: boolean }>();

  constructor(db: DatabaseSync) {
    this.db = db;
    this.st = compile(db);
  }

  /**
   * Runs one unit of work. Units are serialized on the connection and grouped: each runs inside a
   * savepoint of a shared SQLite transaction, which commits once the units queued behind it are done
   * (group commit). A unit's caller gets its answer only after that commit, so nothing is reported
   * that is not stored, while a burst of bookings costs one write to disk instead of one each.
   */
  /** Told of each unit of work once it is done or has failed: one attempt, never contended (units queue here). */
  onUnitOfWork: ((attempts: number, contended: boolean) => void) | null = null;

  async runInTransaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    try {
      // A span within a request, an event's consumer or a task; none for work outside any trace (a load).
      if (!currentScope()) return await this.runUnit(fn);
      return await inSpan('store.transaction', { attributes: { store: 'sqlite' } }, () => this.runUnit(fn));
    } finally {
      this.onUnitOfWork?.(1, false);
    }
  }

  private async runUnit<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    // It would wait for the lock its own caller holds: fail at once, with the reason.
    if (this.section.getStore()?.open) {
      throw new Error("A unit of work cannot start inside the store's exclusive section; run it after the section.");
    }
    const release = await this.mutex.acquire();
    let group: Group;
    let result: T;
    try {
      group = this.openGroup();
      this.db.exec('SAVEPOINT unit');
      try {
        const tx = new SqliteTransaction(this.st);
        result = await fn(tx);
        for (const write of tx.writes) write();
        this.db.exec('RELEASE unit');
      } catch (error) {
        if (this.db.isTransaction) {
          this.db.exec('ROLLBACK TO unit');
          this.db.exec('RELEASE unit');
        } else {
          // SQLite abandoned the whole transaction (disk full, I/O error): the group is lost.
          this.failGroup(error);
        }
        throw error;
      }
    } finally {
      release();
    }
    await group.committed;
    return result;
  }

  private openGroup(): Group {
    if (this.group) return this.group;
    // IMMEDIATE takes the file's write lock up front, so another process cannot slip a write
    // between a unit's reads and its writes.
    retryWhileBusy(() => this.db.exec('BEGIN IMMEDIATE'));
    let resolve!: () => void;
    let reject!: (error: unknown) => void;
    const committed = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    committed.catch(() => {});
    const group: Group = { committed, resolve, reject };
    this.group = group;
    setImmediate(() => {
      void this.flush();
    });
    return group;
  }

  /** Commits the open group, if any (waits for the unit in progress). */
  async flush(): Promise<void> {
    const release = await this.mutex.acquire();
    try {
      this.commitGroup();
    } finally {
      release();
    }
  }

  private commitGroup(): void {
    const group = this.group;
    if (!group) return;
    this.group = null;
    try {
      this.db.exec('COMMIT');
      group.resolve();
    } catch (error) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      group.reject(error);
    }
  }

  private failGroup(error: unknown): void {
    const group = this.group;
    this.group = null;
    group?.reject(error);
  }

  /**
   * Runs statements of another component on this connection on their own: the open group is
   * committed first, and no unit of work interleaves. A call made from inside an exclusive section
   * (a consumer delivered in the dispatcher's transaction scheduling a task) runs at once, within it,
   * instead of waiting for the lock its own caller holds; a unit of work started there is refused.
   */
  async exclusive<T>(fn: () => Promise<T> | T): Promise<T> {
    if (this.section.getStore()?.open) return await fn();
    const release = await this.mutex.acquire();
    const section = { open: true };
    try {
      this.commitGroup();
      return await this.section.run(section, fn);
    } finally {
      // Work started inside but still running afterwards (a timer) must not count as inside.
      section.open = false;
      release();
    }
  }

  async getCentre(id: string) {
    const row = this.st.getCentre.get(id);
    return row ? parse<Centre>(row) : null;
  }
  async listCentres() {
    return parseAll<Centre>(this.st.listCentres.all());
  }
  async getPatient(id: string) {
    const row = this.st.getPatient.get(id);
    return row ? parse<Patient>(row) : null;
  }
  async getAppointment(id: string) {
    const row = this.st.getAppointment.get(id);
    return row ? parse<Appointment>(row) : null;
  }
  async getSlot(id: string) {
    const row = this.st.getSlot.get(id) as SlotRow | undefined;
    return row ? slotFromRow(row) : null;
  }
  async listAppointmentsOfPatient(patientId: string) {
    return parseAll<Appointment>(this.st.appointmentsOfPatient.all(patientId));
  }
  async listAppointmentsOfCentreDay(centreId: string, date: LocalDate) {
    return parseAll<Appointment>(this.st.appointmentsOfCentreDay.all(centreId, date));
  }
  async listAppointmentsByReference(reference: string) {
    return parseAll<Appointment>(this.st.appointmentsByReference.all(reference));
  }
  async listSlotsOfCentreDay(centreId: string, date: LocalDate) {
    return (this.st.slotsOfCentreDay.all(centreId, date) as unknown as SlotRow[]).map(slotFromRow);
  }
  async findFreeSlots(query: FreeSlotQuery) {
    return freeSlots(this.st, query);
  }
  async countFreePlaces(from: LocalDate, to: LocalDate) {
    return (this.st.countFreePlaces.get(from, to) as { free: number }).free;
  }
  async firstAvailableDay(centreId: string, from: LocalDate, to: LocalDate, vaccineId: string | null) {
    const rows = (vaccineId
      ? this.st.firstAvailableDayOf.all(centreId, from, to, vaccineId)
      : this.st.firstAvailableDay.all({ centre: centreId, from, to })) as unknown as AvailabilityRow[];
    return rows.map(availabilityFromRow);
  }
  async getStaff(id: string) {
    const row = this.st.getStaff.get(id);
    return row ? parse<StaffMember>(row) : null;
  }
  async listStaffOfCentre(centreId: string) {
    return parseAll<StaffMember>(this.st.staffOfCentre.all(centreId));
  }
  async listEligibilityRules() {
    return parseAll<EligibilityRule>(this.st.listRules.all());
  }
  // The administration: eligibility policy.
  async listPolicyChanges(query: { status?: PolicyChangeStatus | undefined; limit: number }) {
    if (query.limit <= 0) return [];
    const rows =
      query.status === undefined
        ? this.st.policyChanges.all(query.limit)
        : this.st.policyChangesOf.all(query.status, query.limit);
    return parseAll<PolicyChange>(rows);
  }
  async listPolicyVersions() {
    return parseAll<PolicyVersion>(this.st.policyVersions.all());
  }
  async listAudit(patientId: string) {
    return parseAll<AuditRecord>(this.st.auditOfPatient.all(patientId));
  }
  /** Built per query from the filters given; each filter column has its index with (at, id). */
  async queryAudit(query: AuditQuery) {
    if (query.limit <= 0) return [];
    const where: string[] = [];
    const params: SQLInputValue[] = [];
    const equal = (column: string, value: string | undefined) => {
      if (value === undefined) return;
      where.push(`${column} = ?`);
      params.push(value);
    };
    equal('actor_id', query.actorId);
    equal('patient_id', query.patientId);
    equal('reason_code', query.reasonCode);
    equal('action', query.action);
    if (query.from !== undefined) {
      where.push('at >= ?');
      params.push(query.from);
    }
    if (query.to !== undefined) {
      where.push('at < ?');
      params.push(query.to);
    }
    if (query.after !== undefined) {
      where.push('(at < ? OR (at = ? AND id < ?))');
      params.push(query.after.at, query.after.at, query.after.id);
    }
    const sql = `SELECT data FROM audit${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, id DESC LIMIT ?`;
    return parseAll<AuditRecord>(this.db.prepare(sql).all(...params, query.limit));
  }
  // The administration: priority-group referrals and announcements
  async listGroupUploads(limit: number) {
    if (limit <= 0) return [];
    return parseAll<GroupUpload>(this.st.groupUploads.all(limit));
  }
  async listAnnouncements(query: { endingAfter?: Instant | undefined; limit: number }) {
    if (query.limit <= 0) return [];
    const rows =
      query.endingAfter === undefined
        ? this.st.announcements.all(query.limit)
        : this.st.announcementsEndingAfter.all(query.endingAfter, query.limit);
    return parseAll<Announcement>(rows);
  }
  async listWatchList() {
    return parseAll<WatchEntry>(this.st.listWatchList.all());
  }
  async listAlerts(query: { open?: boolean | undefined; limit: number }) {
    if (query.limit <= 0) return [];
    const rows =
      query.open === undefined
        ? this.st.alerts.all(query.limit)
        : this.st.alertsOpen.all(query.open ? 1 : 0, query.limit);
    return parseAll<HotlineAlert>(rows);
  }
  async listReviews(query: { pending?: boolean | undefined; limit: number }) {
    if (query.limit <= 0) return [];
    const rows =
      query.pending === undefined
        ? this.st.reviews.all(query.limit)
        : this.st.reviewsPending.all(query.pending ? 1 : 0, query.limit);
    return parseAll<LookupReview>(rows);
  }
  // Scheduling links
  /** By the primary key (centre, date, product): one centre's rows, never its slots. */
  async availabilityForPublication(centreId: string, from: LocalDate) {
    const rows = this.st.availabilityForPublication.all(centreId, from) as unknown as Array<
      AvailabilityRow & { changed_at: string | null }
    >;
    return rows.map((row) => ({ ...availabilityFromRow(row), changedAt: row.changed_at }));
  }
  async centresWithAvailabilityChangedSince(since: Instant) {
    const rows = this.st.centresWithAvailabilityChangedSince.all(since) as Array<{ centre_id: string }>;
    return rows.map((row) => row.centre_id);
  }
  async getPublishedThrough(centreId: string) {
    const row = this.st.getPublishedThrough.get(centreId) as { published_through: string | null } | undefined;
    return row?.published_through ?? null;
  }
  async setPublishedThrough(centreId: string, date: LocalDate) {
    this.st.setPublishedThrough.run(date, centreId);
  }
  async listBatchesOfCentre(centreId: string): Promise<BatchWithStock[]> {
    const rows = this.st.batchesOfCentre.all(centreId) as Array<{ data: string; remaining: number; wasted: number }>;
    return rows.map((row) => ({ ...parse<Batch>(row), remaining: row.remaining, wasted: row.wasted }));
  }
  async getBatchStock(batchId: string) {
    return batchStockOf(this.st, batchId);
  }
  // The administration: centres and the vaccine catalogue.
  async listVaccines() {
    return parseAll<Vaccine>(this.st.listVaccines.all());
  }
  async listBookedAppointmentsOfVaccine(vaccineId: string, from: string, limit: number) {
    // SQLite reads a negative LIMIT as no limit at all.
    if (limit <= 0) return [];
    return parseAll<Appointment>(this.st.bookedOfVaccine.all(vaccineId, from, limit));
  }
  async listSmsMessages(query: { limit: number; to?: string | undefined }) {
    // SQLite reads a negative LIMIT as no limit at all.
    if (query.limit <= 0) return [];
    const rows =
      query.to === undefined
        ? this.st.newestSmsMessages.all(query.limit)
        : this.st.newestSmsMessagesTo.all(query.to, query.limit);
    return parseAll<SmsRecord>(rows);
  }
  // The waiting room
  async getQueueRoom(id: string) {
    return queueRoomOf(this.st, id);
  }
  async getQueueTicket(roomId: string, patientId: string) {
    return queueTicketOf(this.st, roomId, patientId);
  }
  async listUnplacedQueueTickets(roomId: string, limit: number) {
    // SQLite reads a negative LIMIT as no limit at all.
    if (limit <= 0) return [];
    return parseAll<QueueTicket>(this.st.unplacedQueueTickets.all(roomId, limit));
  }
  async listQueueTicketsByPosition(roomId: string, from: number, through: number) {
    return parseAll<QueueTicket>(this.st.queueTicketsByPosition.all(roomId, from, through));
  }
  async listExpiredQueueTickets(roomId: string, at: Instant, limit: number) {
    if (limit <= 0) return [];
    return parseAll<QueueTicket>(this.st.expiredQueueTickets.all(roomId, at, limit));
  }
  async lastQueueSequence(roomId: string) {
    return lastQueueSequenceOf(this.st, roomId);
  }
  // The standby list
  async getStandbyEntry(patientId: string) {
    return standbyEntryOf(this.st, patientId);
  }
  async getStandbyOffer(id: string) {
    return standbyOfferOf(this.st, id);
  }
  async listStandbyEntries(query: { status: StandbyEntry['status']; afterSequence: number; limit: number }) {
    // SQLite reads a negative LIMIT as no limit at all.
    if (query.limit <= 0) return [];
    return parseAll<StandbyEntry>(this.st.standbyEntries.all(query.status, query.afterSequence, query.limit));
  }
  async countStandbyAhead(sequence: number) {
    return (this.st.countStandbyAhead.get(sequence) as { ahead: number }).ahead;
  }
  async listStandbyVacancies(limit: number) {
    if (limit <= 0) return [];
    return parseAll<StandbyVacancy>(this.st.standbyVacancies.all(limit));
  }
  async listExpiredStandbyOffers(at: Instant, limit: number) {
    if (limit <= 0) return [];
    return parseAll<StandbyOffer>(this.st.expiredStandbyOffers.all(at, limit));
  }
  async listOpenStandbyOffersOfPhone(phone: string) {
    return parseAll<StandbyOffer>(this.st.openStandbyOffersOfPhone.all(phone));
  }
  async listStandbyOffersOfPatient(patientId: string, limit: number) {
    if (limit <= 0) return [];
    return parseAll<StandbyOffer>(this.st.standbyOffersOfPatient.all(patientId, limit));
  }
}
