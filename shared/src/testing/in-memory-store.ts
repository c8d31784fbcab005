import { outOfStock } from '../batches.ts';
import type { DomainEvent } from '../events.ts';
import type {
  AccessGrant,
  Announcement,
  Appointment,
  AuditRecord,
  Batch,
  BatchStock,
  BookingReference,
  Centre,
  EligibilityRule,
  GroupReferral,
  GroupUpload,
  HotlineAlert,
  HotlineSession,
  IdempotencyRecord,
  Instant,
  LocalDate,
  LookupReview,
  LookupTally,
  Patient,
  PolicyChange,
  PolicyChangeStatus,
  PolicyVersion,
  Referral,
  Slot,
  StaffMember,
  UsedAssertion,
  Vaccine,
  WatchEntry,
} from '../model.ts';
import {
  type AuditQuery,
  type Availability,
  type BatchWithStock,
  type DoseTaking,
  type DoseUse,
  type FreeSlotQuery,
  LISTED_FIRST_SLOTS,
  type Store,
  type Transaction,
} from '../ports.ts';
import type { SmsPhoneDay, SmsRecord, SmsSession } from '../sms.ts';
import type { StandbyEntry, StandbyOffer, StandbyVacancy } from '../standby.ts';
import type { QueueRoom, QueueTicket } from '../waiting-room.ts';

/**
 * The event of one type. Precise once `DomainEvent` is a union discriminated by `type`; while it is one
 * interface whose `type` is a union, the interface with `type` narrowed.
 */
export type EventOfType<T extends DomainEvent['type']> = [Extract<DomainEvent, { type: T }>] extends [never]
  ? DomainEvent & { type: T }
  : Extract<DomainEvent, { type: T }>;

/** What is stored, as the real stores keep it: every record passes through JSON, so no caller shares an object with it. */
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const byStartThenId = (a: { start: string; id: string }, b: { start: string; id: string }) =>
  a.start < b.start ? -1 : a.start > b.start ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

const bySlotOrder = (a: Slot, b: Slot) =>
  a.start < b.start ? -1 : a.start > b.start ? 1 : a.vaccineId < b.vaccineId ? -1 : a.vaccineId > b.vaccineId ? 1 : 0;

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The records of the store, one map per kind, keyed as the SQLite tables are. */
interface Tables {
  slots: Map<string, Slot>;
  appointments: Map<string, Appointment>;
  patients: Map<string, Patient>;
  /** By patient id: one referral per person. */
  referrals: Map<string, Referral>;
  idempotency: Map<string, IdempotencyRecord>;
  centres: Map<string, Centre>;
  publishedThrough: Map<string, LocalDate>;
  staff: Map<string, StaffMember>;
  rules: Map<string, EligibilityRule>;
  policyChanges: Map<string, PolicyChange>;
  /** By version number. */
  policyVersions: Map<string, PolicyVersion>;
  audit: Map<string, AuditRecord>;
  smsMessages: Map<string, SmsRecord>;
  smsSessions: Map<string, SmsSession>;
  /** By phone and date. */
  smsPhoneDays: Map<string, SmsPhoneDay>;
  /** By agent and patient id. */
  accessGrants: Map<string, AccessGrant>;
  /** By assertion id. */
  usedAssertions: Map<string, UsedAssertion>;
  /** By reference. */
  bookingReferences: Map<string, BookingReference>;
  batches: Map<string, Batch>;
  /** By batch id. */
  batchStock: Map<string, BatchStock>;
  /** By sign-in id. */
  hotlineSessions: Map<string, HotlineSession>;
  /** By key. */
  tallies: Map<string, LookupTally>;
  /** By PESEL. */
  watchList: Map<string, WatchEntry>;
  // The administration: priority-group referrals and announcements
  /** By PESEL and group (`groupReferralKey`). */
  groupReferrals: Map<string, GroupReferral>;
  /** By the digest of the list's rows. */
  groupUploads: Map<string, GroupUpload>;
  announcements: Map<string, Announcement>;
  alerts: Map<string, HotlineAlert>;
  reviews: Map<string, LookupReview>;
  vaccines: Map<string, Vaccine>;
  // The waiting room
  queueRooms: Map<string, QueueRoom>;
  /** By room and patient id (`queueTicketKey`). */
  queueTickets: Map<string, QueueTicket>;
  /** By room id: the last arrival number handed out. */
  queueSequences: Map<string, { roomId: string; last: number }>;
  // The standby list
  /** By patient id. */
  standbyEntries: Map<string, StandbyEntry>;
  standbyOffers: Map<string, StandbyOffer>;
  /** By slot id. */
  standbyVacancies: Map<string, StandbyVacancy>;
  /** One record (`standby`): the last joining number handed out. */
  standbySequence: Map<string, { last: number }>;
}

type Keyed = { [K in keyof Tables]: Tables[K] extends Map<string, infer V> ? V : never };

/** One buffered write: a record put under its key, or a key deleted. */
type Write =
  | { [K in keyof Tables]: { table: K; key: string; value: Keyed[K] | null } }[keyof Tables]
  | { table: 'outbox'; event: DomainEvent }
  | { table: 'newBatch'; batch: Batch };

/** A constraint of the stored data broken at commit (the SQLite schema's CHECK and UNIQUE rules). */
class ConstraintError extends Error {
  constructor(message: string) {
    super(`Constraint failed: ${message}`);
    this.name = 'ConstraintError';
  }
}

/** One referral per PESEL and group. */
const groupReferralKey = (referral: Pick<GroupReferral, 'pesel' | 'group'>): string =>
  `${referral.pesel}/${referral.group}`;

/** Mutual exclusion: one unit of work at a time, as the SQLite adapter runs them on its connection. */
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

function freeSlots(slots: Iterable<Slot>, query: FreeSlotQuery): Slot[] {
  const wanted = query.vaccineIds ? new Set(query.vaccineIds) : null;
  const found: Slot[] = [];
  for (const slot of slots) {
    if (slot.centreId !== query.centreId || slot.booked >= slot.capacity) continue;
    if (slot.start < query.from || (query.to !== null && slot.start >= query.to)) continue;
    if (wanted && !wanted.has(slot.vaccineId)) continue;
    found.push(slot);
  }
  return found.sort(bySlotOrder).slice(0, Math.max(0, query.limit)).map(copy);
}

function slotsOfCentreDay(slots: Iterable<Slot>, centreId: string, date: LocalDate): Slot[] {
  const found: Slot[] = [];
  for (const slot of slots) if (slot.centreId === centreId && slot.localDate === date) found.push(slot);
  return found.sort(bySlotOrder).map(copy);
}

/** Reads the committed records; buffers writes until the unit of work ends. */
class InMemoryTransaction implements Transaction {
  readonly writes: Write[] = [];
  private readonly t: Tables;

  constructor(tables: Tables) {
    this.t = tables;
  }

  private read<T>(fn: () => T): Promise<T> {
    if (this.writes.length > 0) {
      return Promise.reject(new Error('A transaction must do all its reads before its first write.'));
    }
    return Promise.resolve(fn());
  }

  getSlot(id: string) {
    return this.read(() => copy(this.t.slots.get(id) ?? null));
  }
  getAppointment(id: string) {
    return this.read(() => copy(this.t.appointments.get(id) ?? null));
  }
  listAppointmentsOfPatient(patientId: string) {
    return this.read(() => appointmentsWhere(this.t, (a) => a.patientId === patientId));
  }
  listActiveAppointmentsOfSlot(slotId: string) {
    return this.read(() => appointmentsWhere(this.t, (a) => a.slotId === slotId && a.status !== 'cancelled'));
  }
  getPatient(id: string) {
    return this.read(() => copy(this.t.patients.get(id) ?? null));
  }
  getPatientByPesel(pesel: string) {
    return this.read(() => copy([...this.t.patients.values()].find((p) => p.pesel === pesel) ?? null));
  }
  getReferral(patientId: string) {
    return this.read(() => copy(this.t.referrals.get(patientId) ?? null));
  }
  getIdempotency(key: string) {
    return this.read(() => copy(this.t.idempotency.get(key) ?? null));
  }
  getCentre(id: string) {
    return this.read(() => copy(this.t.centres.get(id) ?? null));
  }
  getStaff(id: string) {
    return this.read(() => copy(this.t.staff.get(id) ?? null));
  }
  getStaffByEmail(email: string) {
    return this.read(() => copy([...this.t.staff.values()].find((s) => s.email === email) ?? null));
  }
  listStaffOfCentre(centreId: string) {
    return this.read(() => staffOfCentre(this.t, centreId));
  }
  listSlotsOfCentreDay(centreId: string, date: LocalDate) {
    return this.read(() => slotsOfCentreDay(this.t.slots.values(), centreId, date));
  }
  findFreeSlots(query: FreeSlotQuery) {
    return this.read(() => freeSlots(this.t.slots.values(), query));
  }
  listEligibilityRules() {
    return this.read(() => [...this.t.rules.values()].sort(byId).map(copy));
  }
  // The administration: eligibility policy.
  getPolicyChange(id: string) {
    return this.read(() => copy(this.t.policyChanges.get(id) ?? null));
  }
  getLatestPolicyVersion() {
    return this.read(() => copy(versionsOf(this.t).at(-1) ?? null));
  }
  getSmsMessage(key: string) {
    return this.read(() => copy(this.t.smsMessages.get(key) ?? null));
  }
  getSmsSession(phone: string) {
    return this.read(() => copy(this.t.smsSessions.get(phone) ?? null));
  }
  getAccessGrant(agentId: string, patientId: string) {
    return this.read(() => copy(this.t.accessGrants.get(grantKey(agentId, patientId)) ?? null));
  }
  getSmsPhoneDay(phone: string, date: LocalDate) {
    return this.read(() => copy(this.t.smsPhoneDays.get(phoneDayKey(phone, date)) ?? null));
  }
  getUsedAssertion(id: string) {
    return this.read(() => copy(this.t.usedAssertions.get(id) ?? null));
  }
  getBookingReference(reference: string) {
    return this.read(() => copy(this.t.bookingReferences.get(reference) ?? null));
  }
  getBatch(id: string) {
    return this.read(() => copy(this.t.batches.get(id) ?? null));
  }
  getBatchByNumber(centreId: string, vaccineId: string, number: string) {
    return this.read(() => copy(batchByNumber(this.t, centreId, vaccineId, number) ?? null));
  }
  async takeDoses(batchId: string, count: number | 'all', use: DoseUse): Promise<DoseTaking> {
    const stock = await this.read(() => copy(this.t.batchStock.get(batchId) ?? { batchId, remaining: 0, wasted: 0 }));
    const taken = count === 'all' ? stock.remaining : count;
    if (taken > stock.remaining) throw outOfStock(batchId, stock.remaining);
    const after = {
      batchId,
      remaining: stock.remaining - taken,
      wasted: stock.wasted + (use === 'wasted' ? taken : 0),
    };
    if (this.t.batchStock.has(batchId)) this.writes.push({ table: 'batchStock', key: batchId, value: after });
    return { taken, emptied: after.remaining === 0 };
  }

  getHotlineSession(id: string) {
    return this.read(() => copy(this.t.hotlineSessions.get(id) ?? null));
  }
  listPatientsByPhone(phone: string, limit: number) {
    return this.read(() => patientsByPhone(this.t, phone, limit));
  }
  getTally(key: string) {
    return this.read(() => copy(this.t.tallies.get(key) ?? null));
  }
  getWatchEntry(pesel: string) {
    return this.read(() => copy(this.t.watchList.get(pesel) ?? null));
  }
  getAlert(id: string) {
    return this.read(() => copy(this.t.alerts.get(id) ?? null));
  }
  getReview(id: string) {
    return this.read(() => copy(this.t.reviews.get(id) ?? null));
  }
  // The administration: centres and the vaccine catalogue.
  listVaccines() {
    return this.read(() => [...this.t.vaccines.values()].sort(byId).map(copy));
  }
  // The administration: priority-group referrals and announcements
  listGroupReferrals(pesel: string) {
    return this.read(() =>
      [...this.t.groupReferrals.values()]
        .filter((r) => r.pesel === pesel)
        .sort((a, b) => (a.group < b.group ? -1 : 1))
        .map(copy),
    );
  }
  getGroupUpload(digest: string) {
    return this.read(() => copy(this.t.groupUploads.get(digest) ?? null));
  }
  getAnnouncement(id: string) {
    return this.read(() => copy(this.t.announcements.get(id) ?? null));
  }
  putGroupReferral(referral: GroupReferral) {
    this.writes.push({ table: 'groupReferrals', key: groupReferralKey(referral), value: copy(referral) });
  }
  putGroupUpload(digest: string, upload: GroupUpload) {
    this.writes.push({ table: 'groupUploads', key: digest, value: copy(upload) });
  }
  putAnnouncement(announcement: Announcement) {
    this.writes.push({ table: 'announcements', key: announcement.id, value: copy(announcement) });
  }

  // The administration: centres and the vaccine catalogue.
  putVaccine(vaccine: Vaccine) {
    this.writes.push({ table: 'vaccines', key: vaccine.id, value: copy(vaccine) });
  }
  putSlot(slot: Slot) {
    this.writes.push({ table: 'slots', key: slot.id, value: copy(slot) });
  }
  deleteSlot(id: string) {
    this.writes.push({ table: 'slots', key: id, value: null });
  }
  putAppointment(appointment: Appointment) {
    this.writes.push({ table: 'appointments', key: appointment.id, value: copy(appointment) });
  }
  putPatient(patient: Patient) {
    this.writes.push({ table: 'patients', key: patient.id, value: copy(patient) });
  }
  putReferral(referral: Referral) {
    this.writes.push({ table: 'referrals', key: referral.patientId, value: copy(referral) });
  }
  putIdempotency(record: IdempotencyRecord) {
    this.writes.push({ table: 'idempotency', key: record.key, value: copy(record) });
  }
  putCentre(centre: Centre) {
    this.writes.push({ table: 'centres', key: centre.id, value: copy(centre) });
  }
  putStaff(staff: StaffMember) {
    this.writes.push({ table: 'staff', key: staff.id, value: copy(staff) });
  }
  deleteStaff(id: string) {
    this.writes.push({ table: 'staff', key: id, value: null });
  }
  putEligibilityRule(rule: EligibilityRule) {
    this.writes.push({ table: 'rules', key: rule.id, value: copy(rule) });
  }
  // The administration: eligibility policy.
  deleteEligibilityRule(id: string) {
    this.writes.push({ table: 'rules', key: id, value: null });
  }
  putPolicyChange(change: PolicyChange) {
    this.writes.push({ table: 'policyChanges', key: change.id, value: copy(change) });
  }
  putPolicyVersion(version: PolicyVersion) {
    this.writes.push({ table: 'policyVersions', key: String(version.version), value: copy(version) });
  }
  addAudit(record: AuditRecord) {
    this.writes.push({ table: 'audit', key: record.id, value: copy(record) });
  }
  addEvent(event: DomainEvent) {
    this.writes.push({ table: 'outbox', event: copy(event) });
  }
  putSmsMessage(record: SmsRecord) {
    this.writes.push({ table: 'smsMessages', key: record.key, value: copy(record) });
  }
  putSmsSession(session: SmsSession) {
    this.writes.push({ table: 'smsSessions', key: session.phone, value: copy(session) });
  }
  deleteSmsSession(phone: string) {
    this.writes.push({ table: 'smsSessions', key: phone, value: null });
  }
  putAccessGrant(grant: AccessGrant) {
    this.writes.push({ table: 'accessGrants', key: grantKey(grant.agentId, grant.patientId), value: copy(grant) });
  }
  putSmsPhoneDay(day: SmsPhoneDay) {
    this.writes.push({ table: 'smsPhoneDays', key: phoneDayKey(day.phone, day.date), value: copy(day) });
  }
  putUsedAssertion(record: UsedAssertion) {
    this.writes.push({ table: 'usedAssertions', key: record.id, value: copy(record) });
  }
  putBookingReference(record: BookingReference) {
    this.writes.push({ table: 'bookingReferences', key: record.reference, value: copy(record) });
  }
  addBatch(batch: Batch) {
    this.writes.push({ table: 'newBatch', batch: copy(batch) });
  }
  putBatch(batch: Batch) {
    this.writes.push({ table: 'batches', key: batch.id, value: copy(batch) });
  }
  putHotlineSession(session: HotlineSession) {
    this.writes.push({ table: 'hotlineSessions', key: session.id, value: copy(session) });
  }
  putTally(tally: LookupTally) {
    this.writes.push({ table: 'tallies', key: tally.key, value: copy(tally) });
  }
  putWatchEntry(entry: WatchEntry) {
    this.writes.push({ table: 'watchList', key: entry.pesel, value: copy(entry) });
  }
  deleteWatchEntry(pesel: string) {
    this.writes.push({ table: 'watchList', key: pesel, value: null });
  }
  putAlert(alert: HotlineAlert) {
    this.writes.push({ table: 'alerts', key: alert.id, value: copy(alert) });
  }
  putReview(review: LookupReview) {
    this.writes.push({ table: 'reviews', key: review.id, value: copy(review) });
  }
  // The waiting room
  getQueueRoom(id: string) {
    return this.read(() => copy(this.t.queueRooms.get(id) ?? null));
  }
  getQueueTicket(roomId: string, patientId: string) {
    return this.read(() => copy(this.t.queueTickets.get(queueTicketKey(roomId, patientId)) ?? null));
  }
  async takeQueueSequence(roomId: string): Promise<number> {
    const last = await this.read(() => this.t.queueSequences.get(roomId)?.last ?? 0);
    this.writes.push({ table: 'queueSequences', key: roomId, value: { roomId, last: last + 1 } });
    return last + 1;
  }
  putQueueRoom(room: QueueRoom) {
    this.writes.push({ table: 'queueRooms', key: room.id, value: copy(room) });
  }
  putQueueTicket(ticket: QueueTicket) {
    this.writes.push({
      table: 'queueTickets',
      key: queueTicketKey(ticket.roomId, ticket.patientId),
      value: copy(ticket),
    });
  }

  /** One ticket per room and patient. */
  // The standby list
  getStandbyEntry(patientId: string) {
    return this.read(() => copy(this.t.standbyEntries.get(patientId) ?? null));
  }
  getStandbyOffer(id: string) {
    return this.read(() => copy(this.t.standbyOffers.get(id) ?? null));
  }
  getStandbyVacancy(slotId: string) {
    return this.read(() => copy(this.t.standbyVacancies.get(slotId) ?? null));
  }
  async takeStandbySequence(): Promise<number> {
    const last = await this.read(() => this.t.standbySequence.get(STANDBY_SEQUENCE)?.last ?? 0);
    this.writes.push({ table: 'standbySequence', key: STANDBY_SEQUENCE, value: { last: last + 1 } });
    return last + 1;
  }
  putStandbyEntry(entry: StandbyEntry) {
    this.writes.push({ table: 'standbyEntries', key: entry.patientId, value: copy(entry) });
  }
  putStandbyOffer(offer: StandbyOffer) {
    this.writes.push({ table: 'standbyOffers', key: offer.id, value: copy(offer) });
  }
  putStandbyVacancy(vacancy: StandbyVacancy) {
    this.writes.push({ table: 'standbyVacancies', key: vacancy.slotId, value: copy(vacancy) });
  }
  deleteStandbyVacancy(slotId: string) {
    this.writes.push({ table: 'standbyVacancies', key: slotId, value: null });
  }
}

/** The key of the standby list's one counter. */
const STANDBY_SEQUENCE = 'standby';

const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const queueTicketKey = (roomId: string, patientId: string): string => `${roomId}/${patientId}`;

const ticketsOfRoom = (t: Tables, roomId: string): QueueTicket[] =>
  [...t.queueTickets.values()].filter((ticket) => ticket.roomId === roomId);

const byArrival = (a: QueueTicket, b: QueueTicket) =>
  a.arrivedAt !== b.arrivedAt ? (a.arrivedAt < b.arrivedAt ? -1 : 1) : a.patientId < b.patientId ? -1 : 1;

function versionsOf(t: Tables): PolicyVersion[] {
  return [...t.policyVersions.values()].sort((a, b) => a.version - b.version);
}

/** Newest proposal first, then by id, as every store lists policy changes. */
const newestChangeFirst = (a: PolicyChange, b: PolicyChange) =>
  a.proposedAt !== b.proposedAt ? (a.proposedAt < b.proposedAt ? 1 : -1) : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;

function patientsByPhone(t: Tables, phone: string, limit: number): Patient[] {
  return [...t.patients.values()]
    .filter((p) => p.phone === phone || p.landline === phone)
    .sort(byId)
    .slice(0, Math.max(0, limit))
    .map(copy);
}

/** Newest first, by `at` then id, as every store pages its audit, alerts and reviews. */
const newestFirst = (a: { at: string; id: string }, b: { at: string; id: string }) =>
  a.at !== b.at ? (a.at < b.at ? 1 : -1) : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;

function auditMatches(record: AuditRecord, q: AuditQuery): boolean {
  if (q.actorId !== undefined && record.actor.id !== q.actorId) return false;
  if (q.patientId !== undefined && record.patientId !== q.patientId) return false;
  if (q.reasonCode !== undefined && record.reasonCode !== q.reasonCode) return false;
  if (q.action !== undefined && record.action !== q.action) return false;
  if (q.from !== undefined && record.at < q.from) return false;
  if (q.to !== undefined && record.at >= q.to) return false;
  if (q.after !== undefined && newestFirst(record, q.after) <= 0) return false;
  return true;
}

function batchByNumber(t: Tables, centreId: string, vaccineId: string, number: string): Batch | undefined {
  return [...t.batches.values()].find(
    (b) => b.centreId === centreId && b.vaccineId === vaccineId && b.number === number,
  );
}

const grantKey = (agentId: string, patientId: string) => JSON.stringify([agentId, patientId]);
const phoneDayKey = (phone: string, date: LocalDate) => JSON.stringify([phone, date]);

function staffOfCentre(t: Tables, centreId: string): StaffMember[] {
  return [...t.staff.values()]
    .filter((s) => s.centreId === centreId)
    .sort(byId)
    .map(copy);
}

function appointmentsWhere(t: Tables, keep: (a: Appointment) => boolean): Appointment[] {
  return [...t.appointments.values()].filter(keep).sort(byStartThenId).map(copy);
}

/**
 * A Store held in memory, for fast tests of the use cases. It keeps the rules the real stores keep:
 * units of work run one at a time (so capacity holds under any concurrency), a read after a write
 * fails as it does on Firestore, writes land all together at commit or not at all, the schema's
 * constraints are checked (slot counters within capacity, one patient per PESEL, an idempotency key,
 * an event id and an assertion's use written once), and no caller shares an object with the store. The outbox keeps
 * events in commit order for tests to read.
 */
export class InMemoryStore implements Store {
  private readonly t: Tables = {
    slots: new Map(),
    appointments: new Map(),
    patients: new Map(),
    referrals: new Map(),
    idempotency: new Map(),
    centres: new Map(),
    publishedThrough: new Map(),
    staff: new Map(),
    rules: new Map(),
    policyChanges: new Map(),
    policyVersions: new Map(),
    audit: new Map(),
    smsMessages: new Map(),
    smsSessions: new Map(),
    smsPhoneDays: new Map(),
    accessGrants: new Map(),
    usedAssertions: new Map(),
    bookingReferences: new Map(),
    batches: new Map(),
    batchStock: new Map(),
    hotlineSessions: new Map(),
    tallies: new Map(),
    watchList: new Map(),
    groupReferrals: new Map(),
    groupUploads: new Map(),
    announcements: new Map(),
    alerts: new Map(),
    reviews: new Map(),
    vaccines: new Map(),
    // The waiting room
    queueRooms: new Map(),
    queueTickets: new Map(),
    queueSequences: new Map(),
    // The standby list
    standbyEntries: new Map(),
    standbyOffers: new Map(),
    standbyVacancies: new Map(),
    standbySequence: new Map(),
  };
  private readonly outbox: DomainEvent[] = [];
  // Scheduling links: when each centre's day of a product last changed (`centre|date|product`).
  private readonly dayChanges = new Map<string, Instant>();
  private readonly eventIds = new Set<string>();
  private readonly mutex = new Mutex();

  async runInTransaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    const release = await this.mutex.acquire();
    try {
      const tx = new InMemoryTransaction(this.t);
      const result = await fn(tx);
      this.commit(tx.writes);
      return result;
    } finally {
      release();
    }
  }

  /** Applies a unit's writes in order; the first broken constraint undoes them all. */
  private commit(writes: readonly Write[]): void {
    const undo: Array<() => void> = [];
    try {
      for (const write of writes) {
        if (write.table === 'outbox') {
          if (this.eventIds.has(write.event.id))
            throw new ConstraintError(`event ${write.event.id} is already in the outbox`);
          this.eventIds.add(write.event.id);
          this.outbox.push(write.event);
          undo.push(() => {
            this.outbox.pop();
            this.eventIds.delete(write.event.id);
          });
          continue;
        }
        if (write.table === 'newBatch') {
          const { batch } = write;
          if (this.t.batches.has(batch.id)) throw new ConstraintError(`batch ${batch.id} already exists`);
          if (batchByNumber(this.t, batch.centreId, batch.vaccineId, batch.number)) {
            throw new ConstraintError(`batch number ${batch.number} is already recorded at ${batch.centreId}`);
          }
          this.t.batches.set(batch.id, batch);
          this.t.batchStock.set(batch.id, { batchId: batch.id, remaining: batch.doses, wasted: 0 });
          undo.push(() => {
            this.t.batches.delete(batch.id);
            this.t.batchStock.delete(batch.id);
          });
          continue;
        }
        this.check(write);
        const table = this.t[write.table] as Map<string, unknown>;
        const had = table.has(write.key);
        const before = table.get(write.key);
        if (write.value === null) table.delete(write.key);
        else table.set(write.key, write.value);
        undo.push(() => (had ? table.set(write.key, before) : table.delete(write.key)));
        // Scheduling links: a slot whose places change changes its day, as the other stores' read models do.
        if (write.table === 'slots') {
          const old = before as Slot | undefined;
          const now = write.value as Slot | null;
          const slot = now ?? old;
          if (slot && (old?.capacity !== now?.capacity || old?.booked !== now?.booked)) {
            const key = `${slot.centreId}|${slot.localDate}|${slot.vaccineId}`;
            const stamped = this.dayChanges.get(key);
            this.dayChanges.set(key, new Date().toISOString());
            undo.push(() => (stamped ? this.dayChanges.set(key, stamped) : this.dayChanges.delete(key)));
          }
        }
      }
    } catch (error) {
      for (const step of undo.reverse()) step();
      throw error;
    }
  }

  private check(write: Exclude<Write, { table: 'outbox' | 'newBatch' }>): void {
    switch (write.table) {
      case 'batchStock': {
        const stock = write.value;
        if (stock && stock.remaining < 0)
          throw new ConstraintError(`batch ${stock.batchId} would hold ${stock.remaining}`);
        return;
      }
      case 'slots': {
        const slot = write.value;
        if (slot && (slot.booked < 0 || slot.booked > slot.capacity)) {
          throw new ConstraintError(`slot ${slot.id} would hold ${slot.booked} of ${slot.capacity} places`);
        }
        return;
      }
      case 'patients': {
        const patient = write.value;
        if (!patient) return;
        for (const other of this.t.patients.values()) {
          if (other.pesel === patient.pesel && other.id !== patient.id) {
            throw new ConstraintError(`patients ${other.id} and ${patient.id} would share one PESEL`);
          }
        }
        return;
      }
      case 'idempotency':
        if (this.t.idempotency.has(write.key))
          throw new ConstraintError(`idempotency key ${write.key} is already used`);
        return;
      case 'policyVersions':
        if (this.t.policyVersions.has(write.key)) {
          throw new ConstraintError(`policy version ${write.key} already exists`);
        }
        return;
      case 'audit':
        if (this.t.audit.has(write.key)) throw new ConstraintError(`audit record ${write.key} already exists`);
        return;
      case 'usedAssertions':
        if (this.t.usedAssertions.has(write.key)) {
          throw new ConstraintError(`assertion ${write.key} is already used`);
        }
        return;
      case 'bookingReferences':
        if (this.t.bookingReferences.has(write.key)) {
          throw new ConstraintError(`booking reference ${write.key} is already taken`);
        }
        return;
      default:
        return;
    }
  }

  async getCentre(id: string) {
    return copy(this.t.centres.get(id) ?? null);
  }
  async listCentres() {
    return [...this.t.centres.values()].sort(byId).map(copy);
  }
  async getPatient(id: string) {
    return copy(this.t.patients.get(id) ?? null);
  }
  async getAppointment(id: string) {
    return copy(this.t.appointments.get(id) ?? null);
  }
  async getSlot(id: string) {
    return copy(this.t.slots.get(id) ?? null);
  }
  async listAppointmentsOfPatient(patientId: string) {
    return appointmentsWhere(this.t, (a) => a.patientId === patientId);
  }
  async listAppointmentsOfCentreDay(centreId: string, date: LocalDate) {
    return appointmentsWhere(this.t, (a) => a.centreId === centreId && a.localDate === date);
  }
  async listAppointmentsByReference(reference: string) {
    const taken = this.t.bookingReferences.get(reference);
    if (!taken) return [];
    return appointmentsWhere(this.t, (a) => a.patientId === taken.patientId && a.reference === reference);
  }
  async listSlotsOfCentreDay(centreId: string, date: LocalDate) {
    return slotsOfCentreDay(this.t.slots.values(), centreId, date);
  }
  async findFreeSlots(query: FreeSlotQuery) {
    return freeSlots(this.t.slots.values(), query);
  }

  /** Computed from the slots on every call, as the search read model is here. */
  async countFreePlaces(from: LocalDate, to: LocalDate) {
    let free = 0;
    for (const slot of this.t.slots.values()) {
      if (slot.localDate >= from && slot.localDate <= to) free += slot.capacity - slot.booked;
    }
    return free;
  }

  /** Computed from the slots on every call: this read model is never behind. */
  async firstAvailableDay(centreId: string, from: LocalDate, to: LocalDate, vaccineId: string | null) {
    const days = new Map<string, Map<string, Slot[]>>();
    for (const slot of this.t.slots.values()) {
      if (slot.centreId !== centreId || slot.localDate < from || slot.localDate > to) continue;
      if (vaccineId !== null && slot.vaccineId !== vaccineId) continue;
      const day = days.get(slot.localDate) ?? new Map<string, Slot[]>();
      day.set(slot.vaccineId, [...(day.get(slot.vaccineId) ?? []), slot]);
      days.set(slot.localDate, day);
    }
    for (const date of [...days.keys()].sort()) {
      const products = days.get(date) as Map<string, Slot[]>;
      const available: Availability[] = [];
      for (const product of [...products.keys()].sort()) {
        const slots = (products.get(product) as Slot[]).sort(bySlotOrder);
        const open = slots.filter((s) => s.booked < s.capacity);
        const free = slots.reduce((sum, s) => sum + s.capacity - s.booked, 0);
        if (free <= 0) continue;
        available.push({
          centreId,
          localDate: date,
          vaccineId: product,
          free,
          firstFree: open[0]?.start ?? null,
          firstSlots: open
            .slice(0, LISTED_FIRST_SLOTS)
            .map((s) => ({ slotId: s.id, start: s.start, free: s.capacity - s.booked })),
        });
      }
      if (available.length > 0) return available;
    }
    return [];
  }

  async getStaff(id: string) {
    return copy(this.t.staff.get(id) ?? null);
  }
  async listStaffOfCentre(centreId: string) {
    return staffOfCentre(this.t, centreId);
  }
  async listEligibilityRules() {
    return [...this.t.rules.values()].sort(byId).map(copy);
  }
  // The administration: eligibility policy.
  async listPolicyChanges(query: { status?: PolicyChangeStatus | undefined; limit: number }) {
    return [...this.t.policyChanges.values()]
      .filter((c) => query.status === undefined || c.status === query.status)
      .sort(newestChangeFirst)
      .slice(0, Math.max(0, query.limit))
      .map(copy);
  }
  async listPolicyVersions() {
    return versionsOf(this.t).map(copy);
  }
  async listAudit(patientId: string) {
    return [...this.t.audit.values()]
      .filter((a) => a.patientId === patientId)
      .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map(copy);
  }
  async queryAudit(query: AuditQuery) {
    return [...this.t.audit.values()]
      .filter((r) => auditMatches(r, query))
      .sort(newestFirst)
      .slice(0, Math.max(0, query.limit))
      .map(copy);
  }
  // The administration: priority-group referrals and announcements
  async listGroupUploads(limit: number) {
    return [...this.t.groupUploads.values()]
      .sort((a, b) => (a.at !== b.at ? (a.at > b.at ? -1 : 1) : a.id > b.id ? -1 : 1))
      .slice(0, Math.max(0, limit))
      .map(copy);
  }
  async listAnnouncements(query: { endingAfter?: Instant | undefined; limit: number }) {
    const { endingAfter } = query;
    return [...this.t.announcements.values()]
      .filter((a) => endingAfter === undefined || a.until > endingAfter)
      .sort((a, b) => (a.until !== b.until ? (a.until > b.until ? -1 : 1) : byId(a, b)))
      .slice(0, Math.max(0, query.limit))
      .map(copy);
  }
  async listWatchList() {
    return [...this.t.watchList.values()]
      .sort((a, b) => (a.addedAt !== b.addedAt ? (a.addedAt < b.addedAt ? -1 : 1) : byId(a, b)))
      .map(copy);
  }
  async listAlerts(query: { open?: boolean | undefined; limit: number }) {
    return [...this.t.alerts.values()]
      .filter((a) => query.open === undefined || (a.acknowledged === null) === query.open)
      .sort(newestFirst)
      .slice(0, Math.max(0, query.limit))
      .map(copy);
  }
  async listReviews(query: { pending?: boolean | undefined; limit: number }) {
    return [...this.t.reviews.values()]
      .filter((r) => query.pending === undefined || (r.verdict === null) === query.pending)
      .sort(newestFirst)
      .slice(0, Math.max(0, query.limit))
      .map(copy);
  }
  // Scheduling links
  /** Computed from the slots on every call, as `firstAvailableDay` is. */
  async availabilityForPublication(centreId: string, from: LocalDate) {
    const published: Array<Availability & { changedAt: Instant | null }> = [];
    const days = new Map<string, Slot[]>();
    for (const slot of this.t.slots.values()) {
      if (slot.centreId !== centreId || slot.localDate < from) continue;
      const key = `${slot.centreId}|${slot.localDate}|${slot.vaccineId}`;
      days.set(key, [...(days.get(key) ?? []), slot]);
    }
    for (const key of [...days.keys()].sort()) {
      const slots = (days.get(key) as Slot[]).sort(bySlotOrder);
      const open = slots.filter((s) => s.booked < s.capacity);
      const [first] = slots as [Slot];
      const day: Availability & { changedAt: Instant | null } = {
        centreId,
        localDate: first.localDate,
        vaccineId: first.vaccineId,
        free: slots.reduce((sum, s) => sum + s.capacity - s.booked, 0),
        firstFree: open[0]?.start ?? null,
        firstSlots: open
          .slice(0, LISTED_FIRST_SLOTS)
          .map((s) => ({ slotId: s.id, start: s.start, free: s.capacity - s.booked })),
        changedAt: this.dayChanges.get(key) ?? null,
      };
      published.push(day);
    }
    return published;
  }
  async centresWithAvailabilityChangedSince(since: Instant) {
    const centres = new Set<string>();
    for (const [key, at] of this.dayChanges) if (at >= since) centres.add(key.split('|')[0] as string);
    return [...centres].sort();
  }
  async getPublishedThrough(centreId: string) {
    return this.t.publishedThrough.get(centreId) ?? null;
  }
  /** As the SQLite UPDATE and the Firestore update: nothing happens for a centre that does not exist. */
  async setPublishedThrough(centreId: string, date: LocalDate) {
    if (this.t.centres.has(centreId)) this.t.publishedThrough.set(centreId, date);
  }
  async listSmsMessages(query: { limit: number; to?: string | undefined }) {
    return [...this.t.smsMessages.values()]
      .filter((r) => query.to === undefined || r.to === query.to)
      .sort((a, b) =>
        a.createdAt !== b.createdAt ? (a.createdAt < b.createdAt ? 1 : -1) : a.key < b.key ? 1 : a.key > b.key ? -1 : 0,
      )
      .slice(0, Math.max(0, query.limit))
      .map(copy);
  }

  async listBatchesOfCentre(centreId: string): Promise<BatchWithStock[]> {
    return [...this.t.batches.values()]
      .filter((b) => b.centreId === centreId)
      .sort((a, b) => (a.createdAt !== b.createdAt ? (a.createdAt < b.createdAt ? -1 : 1) : byId(a, b)))
      .map((b) => {
        const stock = this.t.batchStock.get(b.id);
        return { ...copy(b), remaining: stock?.remaining ?? 0, wasted: stock?.wasted ?? 0 };
      });
  }
  async getBatchStock(batchId: string) {
    return copy(this.t.batchStock.get(batchId) ?? null);
  }
  // The administration: centres and the vaccine catalogue.
  async listVaccines() {
    return [...this.t.vaccines.values()].sort(byId).map(copy);
  }
  async listBookedAppointmentsOfVaccine(vaccineId: string, from: string, limit: number) {
    return [...this.t.appointments.values()]
      .filter((a) => a.vaccineId === vaccineId && a.status === 'booked' && a.start >= from)
      .sort(byStartThenId)
      .slice(0, Math.max(0, limit))
      .map(copy);
  }
  // The waiting room
  async getQueueRoom(id: string) {
    return copy(this.t.queueRooms.get(id) ?? null);
  }
  async getQueueTicket(roomId: string, patientId: string) {
    return copy(this.t.queueTickets.get(queueTicketKey(roomId, patientId)) ?? null);
  }
  async listUnplacedQueueTickets(roomId: string, limit: number) {
    return ticketsOfRoom(this.t, roomId)
      .filter((ticket) => ticket.position === null)
      .sort(byArrival)
      .slice(0, Math.max(0, limit))
      .map(copy);
  }
  async listQueueTicketsByPosition(roomId: string, from: number, through: number) {
    return ticketsOfRoom(this.t, roomId)
      .filter((ticket) => ticket.position !== null && ticket.position >= from && ticket.position <= through)
      .sort((a, b) => (a.position ?? 0) - (b.position ?? 0))
      .map(copy);
  }
  async listExpiredQueueTickets(roomId: string, at: Instant, limit: number) {
    return ticketsOfRoom(this.t, roomId)
      .filter((ticket) => ticket.status === 'admitted' && ticket.expiresAt !== null && ticket.expiresAt <= at)
      .sort((a, b) => ((a.expiresAt ?? '') < (b.expiresAt ?? '') ? -1 : 1))
      .slice(0, Math.max(0, limit))
      .map(copy);
  }
  async lastQueueSequence(roomId: string) {
    return this.t.queueSequences.get(roomId)?.last ?? 0;
  }
  // The standby list
  async getStandbyEntry(patientId: string) {
    return copy(this.t.standbyEntries.get(patientId) ?? null);
  }
  async getStandbyOffer(id: string) {
    return copy(this.t.standbyOffers.get(id) ?? null);
  }
  async listStandbyEntries(query: { status: StandbyEntry['status']; afterSequence: number; limit: number }) {
    return [...this.t.standbyEntries.values()]
      .filter((e) => e.status === query.status && e.sequence > query.afterSequence)
      .sort((a, b) => a.sequence - b.sequence)
      .slice(0, query.limit)
      .map(copy);
  }
  async countStandbyAhead(sequence: number) {
    let ahead = 0;
    for (const e of this.t.standbyEntries.values()) {
      if ((e.status === 'waiting' || e.status === 'offered') && e.sequence < sequence) ahead++;
    }
    return ahead;
  }
  async listStandbyVacancies(limit: number) {
    return [...this.t.standbyVacancies.values()]
      .sort((a, b) => compareStrings(a.notedAt, b.notedAt) || compareStrings(a.slotId, b.slotId))
      .slice(0, limit)
      .map(copy);
  }
  async listExpiredStandbyOffers(at: Instant, limit: number) {
    return [...this.t.standbyOffers.values()]
      .filter((o) => o.status === 'open' && o.expiresAt <= at)
      .sort((a, b) => compareStrings(a.expiresAt, b.expiresAt) || compareStrings(a.id, b.id))
      .slice(0, limit)
      .map(copy);
  }
  async listOpenStandbyOffersOfPhone(phone: string) {
    return [...this.t.standbyOffers.values()]
      .filter((o) => o.status === 'open' && o.phone === phone)
      .sort((a, b) => compareStrings(b.offeredAt, a.offeredAt) || compareStrings(b.id, a.id))
      .map(copy);
  }
  async listStandbyOffersOfPatient(patientId: string, limit: number) {
    return [...this.t.standbyOffers.values()]
      .filter((o) => o.patientId === patientId)
      .sort((a, b) => compareStrings(b.offeredAt, a.offeredAt) || compareStrings(b.id, a.id))
      .slice(0, limit)
      .map(copy);
  }

  /** Every event committed so far, in commit order. */
  events(): DomainEvent[] {
    return this.outbox.map(copy);
  }

  /** The committed events of one type, in commit order, typed by it. */
  eventsOfType<T extends DomainEvent['type']>(type: T): Array<EventOfType<T>> {
    return this.outbox.filter((e): e is EventOfType<T> => e.type === type).map(copy);
  }

  /** Every slot of a centre, by id: what a test compares before and after a change. */
  slotsOfCentre(centreId: string): Slot[] {
    return [...this.t.slots.values()]
      .filter((s) => s.centreId === centreId)
      .sort(byId)
      .map(copy);
  }

  /** Slots of a centre whose counter differs from the appointments holding a place in them. */
  countersOutOfStep(centreId: string): Array<{ id: string; booked: number; held: number }> {
    const held = new Map<string, number>();
    for (const a of this.t.appointments.values()) {
      if (a.status !== 'cancelled') held.set(a.slotId, (held.get(a.slotId) ?? 0) + 1);
    }
    return this.slotsOfCentre(centreId)
      .map((s) => ({ id: s.id, booked: s.booked, held: held.get(s.id) ?? 0 }))
      .filter((s) => s.booked !== s.held);
  }

  /** How many records of each kind are stored: a refused use case leaves them all as they were. */
  /** Every audit record, oldest first (those of look-ups that found no one included). */
  auditRecords(): AuditRecord[] {
    return [...this.t.audit.values()].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : byId(a, b))).map(copy);
  }

  counts(): {
    appointments: number;
    outbox: number;
    audit: number;
    idempotency: number;
    patients: number;
    slots: number;
    booked: number;
  } {
    let booked = 0;
    for (const s of this.t.slots.values()) booked += s.booked;
    return {
      appointments: this.t.appointments.size,
      outbox: this.outbox.length,
      audit: this.t.audit.size,
      idempotency: this.t.idempotency.size,
      patients: this.t.patients.size,
      slots: this.t.slots.size,
      booked,
    };
  }
}
