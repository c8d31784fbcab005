import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createSecretKey,
  hkdfSync,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
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
  DomainError,
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
  LISTED_FIRST_SLOTS,
  type LocalDate,
  type LookupReview,
  type LookupTally,
  outboxExpiry,
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
  smsPhoneDayExpiry,
  smsSessionExpiry,
  type Transaction,
  type UsedAssertion,
  type Vaccine,
  type WatchEntry,
} from '@ereg/shared';
import {
  AggregateField,
  type DocumentData,
  type DocumentSnapshot,
  type Firestore,
  type Transaction as FsTransaction,
  type Query,
  type QuerySnapshot,
  Timestamp,
  type WhereFilterOp,
} from '@google-cloud/firestore';
import { currentScope, currentTraceparent, inSpan } from '../../observability/trace-context.ts';

/**
 * Collections (docs/capacity.md §2). Document ids are the domain ids, URI-encoded, except four.
 * Personal data keyed with a secret, HMAC-SHA256(secret, value): `pesels/{HMAC(PESEL)}` — no national id
 * in a document name, and no hot key range when one birth year opens (PESELs begin with the birth
 * date) — `smsSessions/{HMAC(phone number)}` and `smsPhoneDays/{HMAC([phone number, date])}`. Hashed, SHA-256, where the key may hold any
 * characters at any length: `idempotency/{SHA-256(key)}` (the caller chooses the key) and
 * `smsMessages/{SHA-256(message key)}` (`reminder:apt_1:2`), and `accessGrants/{SHA-256([agent id, patient
 * id])}`, one document per agent and patient, and `usedAssertions/{SHA-256(assertion id)}` (the identity
 * provider chooses the id), whose `expireAt` timestamp a TTL policy deletes by.
 */
export const COLLECTIONS = {
  slots: 'slots',
  appointments: 'appointments',
  patients: 'patients',
  pesels: 'pesels',
  referrals: 'referrals',
  idempotency: 'idempotency',
  centres: 'centres',
  staff: 'staff',
  eligibilityRules: 'eligibilityRules',
  // The administration: eligibility policy.
  policyChanges: 'policyChanges',
  /** `policyVersions/{number, ten digits}`: created once, so two approvals cannot both make one number. */
  policyVersions: 'policyVersions',
  audit: 'audit',
  outbox: 'outbox',
  availability: 'availability',
  smsMessages: 'smsMessages',
  smsSessions: 'smsSessions',
  smsPhoneDays: 'smsPhoneDays',
  accessGrants: 'accessGrants',
  usedAssertions: 'usedAssertions',
  bookingReferences: 'bookingReferences',
  batches: 'batches',
  /** `{centre, product, number}` → the batch: what makes a lot number unique at a centre. */
  batchNumbers: 'batchNumbers',
  /** `hotlineSessions/{SHA-256(sign-in id)}`: an agent's or supervisor's sign-in and its last use. */
  hotlineSessions: 'hotlineSessions',
  /** `lookupTallies/{SHA-256(key)}`: an agent's look-ups in an hour, the agents who looked a person up in a day. */
  lookupTallies: 'lookupTallies',
  /** `watchList/{HMAC(PESEL)}`: a watched PESEL, sealed inside. */
  watchList: 'watchList',
  hotlineAlerts: 'hotlineAlerts',
  lookupReviews: 'lookupReviews',
  // The administration: centres and the vaccine catalogue.
  /** `vaccines/{id}`: the products of the catalogue. */
  vaccines: 'vaccines',
  // The administration: priority-group referrals and announcements
  /** `groupReferrals/{HMAC(PESEL)}`: the groups a PESEL is referred to, `groups.{group}` each (no PESEL inside). */
  groupReferrals: 'groupReferrals',
  /** `groupUploads/{HMAC(digest of the list's rows)}`: a list taken in (its digest is derived from PESELs). */
  groupUploads: 'groupUploads',
  announcements: 'announcements',
  // The waiting room
  /** `queueRooms/{rule id}`: a room's mark of admission, shuffle and controller; written by the admission tick only. */
  queueRooms: 'queueRooms',
  /** `queueTickets/{room/patient}`: one ticket per room and person, so a second join reads the first. */
  queueTickets: 'queueTickets',
  /** `queueSequences/{room~shard}`: the arrival counter, spread over QUEUE_SHARDS documents. */
  queueSequences: 'queueSequences',
  // The standby list
  /** `standbyEntries/{patient id}`: one entry per person, so a second join reads the first. */
  standbyEntries: 'standbyEntries',
  /** `standbyOffers/{offer id}`: places held for a person, open until taken, passed or lapsed. */
  standbyOffers: 'standbyOffers',
  /** `standbyVacancies/{slot id}`: a place noted for the matcher, one per slot. */
  standbyVacancies: 'standbyVacancies',
  /** `standbySequences/{shard}`: the joining counter, spread over STANDBY_SHARDS documents by the clock. */
  standbySequences: 'standbySequences',
} as const;

/**
 * The arrival counter of a room is sharded so that no single document takes every join of an opening:
 * shard k of S hands out k+1, S+k+1, 2S+k+1, … (unique, never shared). A join reads two shards chosen
 * at random and takes from the one that handed out fewer ("two choices"), which keeps the shards'
 * counts within a few of each other, so numbers follow arrival order to within a few times S, and the
 * gaps the shards leave at the end of the line stay as small. At the order of 10 transactions a second
 * per document this carries a few hundred joins a second (docs/waiting-room.md, "Firestore").
 */
export const QUEUE_SHARDS = 32;

/**
 * The standby list's joining counter is sharded so that a burst of joins after an opening sells out
 * does not queue on one document, and its numbers follow the clock so that joining order survives the
 * sharding: shard k of S hands out numbers ≡ k + 1 (mod S), each the larger of the millisecond of the
 * join since STANDBY_EPOCH × S + k + 1 and its own last + S. Unique (a shard never repeats, shards never
 * share), increasing per shard, and ordered across shards for joins a millisecond or more apart (the
 * instances' clocks agree to that). Numbers are large (≈ 5 × 10¹¹ a year) but far below 2⁵³.
 */
export const STANDBY_SHARDS = 16;
const STANDBY_EPOCH = Date.UTC(2026, 0, 1);

/**
 * A batch's stock is sharded: `batches/{id}/stock/{0..shards-1}`, each shard holding a share of the
 * doses left (`remaining`) and of those wasted (`wasted`), so that desks taking doses at once mostly
 * write different documents (docs/capacity.md, "The stock counter"). A batch has
 * `min(BATCH_SHARDS, doses)` shards, fixed when it is added.
 */
export const BATCH_SHARDS = 100;
const STOCK = 'stock';
/** Shards read at once when the first one chosen holds too few doses. */
const SHARD_READ_CHUNK = 10;

/**
 * The field each collection's TTL policy reads (firestore.indexes.json declares the policies; the
 * infra tests check that each of these has one). The adapter writes it as a Timestamp at the instant
 * the record may go (`@ereg/shared` retention): expired records read as absent anyway, so Firestore
 * deleting them within a day or so of that instant changes no answer.
 */
export const TTL_FIELDS: Readonly<Partial<Record<(typeof COLLECTIONS)[keyof typeof COLLECTIONS], 'expireAt'>>> = {
  smsSessions: 'expireAt',
  smsMessages: 'expireAt',
  idempotency: 'expireAt',
  accessGrants: 'expireAt',
  outbox: 'expireAt',
  smsPhoneDays: 'expireAt',
  hotlineSessions: 'expireAt',
  lookupTallies: 'expireAt',
};

const expireAt = (instant: string): Timestamp => Timestamp.fromDate(new Date(instant));

/** A document as the domain record it stores: the TTL field is the store's business. */
const withoutExpiry = <T>(d: DocumentData): T => {
  const { expireAt: _, ...record } = d;
  return record as T;
};

/** Collections whose document ids are an HMAC of the id (personal data), and those with a SHA-256 of it. */
const KEYED_IDS = new Set<string>([
  COLLECTIONS.pesels,
  COLLECTIONS.smsSessions,
  COLLECTIONS.smsPhoneDays,
  COLLECTIONS.watchList,
  COLLECTIONS.groupReferrals,
  COLLECTIONS.groupUploads,
]);
const HASHED_IDS = new Set<string>([
  COLLECTIONS.idempotency,
  COLLECTIONS.smsMessages,
  COLLECTIONS.accessGrants,
  COLLECTIONS.usedAssertions,
  COLLECTIONS.batchNumbers,
  COLLECTIONS.hotlineSessions,
  COLLECTIONS.lookupTallies,
]);

const ABORTED = 10;
const INVALID_ARGUMENT = 3;

const isClosedTransaction = (error: unknown): boolean =>
  (error as { code?: unknown }).code === INVALID_ARGUMENT &&
  /transaction is (invalid|closed|expired)|invalid or closed/i.test(String((error as { message?: unknown }).message));

/** The transaction attempts the production code allows (the client's default is 5). */
export const MAX_TRANSACTION_ATTEMPTS = 10;

/** A field a query orders by, and which way. */
export interface QueryOrder {
  field: string;
  direction: 'asc' | 'desc';
}

/** One query as the adapter builds it: what firestore.indexes.json must serve. */
export interface QueryShape {
  collection: string;
  filters: Array<{ field: string; op: WhereFilterOp }>;
  orderBy: QueryOrder[];
}

interface QuerySpec {
  collection: string;
  filters: Array<{ field: string; op: WhereFilterOp; value: unknown }>;
  orderBy?: QueryOrder[];
  limit?: number;
  startAfter?: DocumentSnapshot;
  /** Continue after the document with these values of the ordered fields. */
  startAfterValues?: unknown[];
}

/** How a transaction ended, for the contention figures the tests report. */
export interface TransactionStats {
  transactions: number;
  attempts: number;
  /** The most attempts one transaction needed. */
  maxAttempts: number;
  /** Transactions that ran out of attempts (ABORTED after the last retry). */
  exhausted: number;
}

export interface FirestoreStoreOptions {
  /** Defaults to MAX_TRANSACTION_ATTEMPTS. */
  maxAttempts?: number;
  /** Called with the shape of every query the adapter issues (the index check in the tests). */
  onQuery?: (shape: QueryShape) => void;
  /**
   * Queue this instance's transactions that read the same slot, idempotency, patient, PESEL or
   * appointment document, so that they meet Firestore's locks one after another instead of all at once
   * (default on). Only a throughput measure: correctness comes from Firestore's transactions.
   */
  localQueue?: boolean;
  /** How long a transaction waits in the local queue before going ahead anyway (ms). */
  localQueueWaitMs?: number;
  /**
   * The secret the `pesels` and `smsSessions` document ids are keyed with (at least 32 characters),
   * and from which the key that encrypts a patient's PESEL is derived; keep it for the database's
   * life. A function that never reaches those collections runs without it, and reads patients with
   * their PESEL withheld (empty); it cannot write one.
   */
  peselSecret?: string | undefined;
}

// ---- the PESEL at rest ------------------------------------------------------------------------------

/**
 * A patient document holds its PESEL sealed with AES-256-GCM (`peselSealed`: `v1.` + base64url of
 * 12-byte IV, ciphertext and 16-byte tag), bound to the patient's id as additional data so that a
 * sealed value copied into another patient's document does not open. The key is derived from the
 * PESEL key secret with HKDF-SHA256 under its own label: whoever holds that secret can already find
 * every PESEL by trying the index's HMAC over the few hundred million valid numbers, so a separate
 * secret would guard nothing more, and would be one more to provision, mount and never lose.
 */
const SEALED_VERSION = 'v1';
const PESEL_KEY_LABEL = 'ereg patients.pesel aes-256-gcm v1';

function peselKeyOf(secret: string): KeyObject {
  return createSecretKey(
    Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), PESEL_KEY_LABEL, 32)),
  );
}

/**
 * Seals a PESEL bound to the record that holds it (`binding`: a patient's id, or a conversation's or
 * phone day's own key), so that a sealed value copied into another record does not open.
 */
function sealPesel(key: KeyObject, binding: string, pesel: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(binding, 'utf8'));
  const sealed = Buffer.concat([iv, cipher.update(pesel, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${SEALED_VERSION}.${sealed.toString('base64url')}`;
}

function openPesel(key: KeyObject, binding: string, sealed: string): string {
  const [version, body] = sealed.split('.');
  if (version !== SEALED_VERSION || !body) throw new Error(`Unknown PESEL seal ${version}.`);
  const bytes = Buffer.from(body, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
  decipher.setAAD(Buffer.from(binding, 'utf8'));
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString('utf8');
}

// ---- documents -------------------------------------------------------------------------------------

const slotDoc = (slot: Slot): DocumentData => ({
  id: slot.id,
  centreId: slot.centreId,
  vaccineId: slot.vaccineId,
  start: slot.start,
  end: slot.end,
  localDate: slot.localDate,
  capacity: slot.capacity,
  booked: slot.booked,
  // A query cannot compare two fields: `free` and `hasRoom` make "slots with room" indexable.
  free: slot.capacity - slot.booked,
  hasRoom: slot.booked < slot.capacity,
});

const toSlot = (d: DocumentData): Slot => ({
  id: d.id,
  centreId: d.centreId,
  vaccineId: d.vaccineId,
  start: d.start,
  end: d.end,
  localDate: d.localDate,
  capacity: d.capacity,
  booked: d.booked,
});

const toCentre = (d: DocumentData): Centre => {
  const { publishedThrough: _, ...centre } = d;
  return centre as Centre;
};

const idempotencyDoc = (r: IdempotencyRecord): DocumentData => ({
  key: r.key,
  requestHash: r.requestHash,
  // Stored as text, so a replay answers byte for byte what the first request answered.
  response: JSON.stringify(r.response),
  createdAt: r.createdAt,
});

const toIdempotency = (d: DocumentData): IdempotencyRecord => ({
  key: d.key,
  requestHash: d.requestHash,
  response: JSON.parse(d.response as string) as unknown,
  createdAt: d.createdAt,
});

/** A used assertion, with `expireAt` as a timestamp: the field the collection's TTL policy deletes by. */
const usedAssertionDoc = (r: UsedAssertion): DocumentData => ({
  id: r.id,
  usedAt: r.usedAt,
  expiresAt: r.expiresAt,
  expireAt: Timestamp.fromMillis(Date.parse(r.expiresAt)),
});

const toUsedAssertion = (d: DocumentData): UsedAssertion => ({ id: d.id, usedAt: d.usedAt, expiresAt: d.expiresAt });

const toAvailability = (d: DocumentData): Availability => ({
  centreId: d.centreId,
  localDate: d.localDate,
  vaccineId: d.vaccineId,
  free: d.free,
  firstFree: d.firstFree ?? null,
  firstSlots: d.firstSlots ?? [],
});

const toBatch = (d: DocumentData): Batch => {
  const { shards: _, ...batch } = d;
  return batch as Batch;
};

/** How many doses each shard of a new batch starts with: as even as can be, the first ones one more. */
export function shardShares(doses: number): number[] {
  const shards = Math.max(1, Math.min(BATCH_SHARDS, doses));
  return Array.from({ length: shards }, (_, k) => Math.floor(doses / shards) + (k < doses % shards ? 1 : 0));
}

/** The id of a lot number's uniqueness record. */
const batchNumberKey = (centreId: string, vaccineId: string, number: string): string =>
  JSON.stringify([centreId, vaccineId, number]);

/** The shards, in a random order: desks start on different ones. */
function shuffledShards(shards: number): number[] {
  const order = Array.from({ length: shards }, (_, k) => k);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return order;
}

const byKeys =
  <T>(...keys: Array<(t: T) => string>) =>
  (a: T, b: T): number => {
    for (const key of keys) {
      const x = key(a);
      const y = key(b);
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  };

const slotOrder = byKeys<Slot>(
  (s) => s.start,
  (s) => s.vaccineId,
);
const appointmentOrder = byKeys<Appointment>(
  (a) => a.start,
  (a) => a.id,
);

// ---- reads shared by transactions and plain reads ----------------------------------------------------

type GetDoc = (collection: string, id: string) => Promise<DocumentSnapshot>;
type RunQuery = (spec: QuerySpec) => Promise<QuerySnapshot>;

interface Reader {
  getDoc: GetDoc;
  query: RunQuery;
}

const data = <T>(snap: DocumentSnapshot): T | null => (snap.exists ? (snap.data() as T) : null);

const slotsOfCentreDay = (centreId: string, date: LocalDate): QuerySpec => ({
  collection: COLLECTIONS.slots,
  filters: [
    { field: 'centreId', op: '==', value: centreId },
    { field: 'localDate', op: '==', value: date },
  ],
});

async function readSlotsOfCentreDay(r: Reader, centreId: string, date: LocalDate): Promise<Slot[]> {
  const snap = await r.query(slotsOfCentreDay(centreId, date));
  return snap.docs.map((d) => toSlot(d.data())).sort(slotOrder);
}

async function readAppointmentsOfPatient(r: Reader, patientId: string): Promise<Appointment[]> {
  const snap = await r.query({
    collection: COLLECTIONS.appointments,
    filters: [{ field: 'patientId', op: '==', value: patientId }],
  });
  return snap.docs.map((d) => d.data() as Appointment).sort(appointmentOrder);
}

async function readStaffOfCentre(r: Reader, centreId: string): Promise<StaffMember[]> {
  const snap = await r.query({
    collection: COLLECTIONS.staff,
    filters: [{ field: 'centreId', op: '==', value: centreId }],
  });
  return snap.docs.map((d) => d.data() as StaffMember).sort(byKeys((s) => s.id));
}

async function readVaccines(r: Reader): Promise<Vaccine[]> {
  const snap = await r.query({ collection: COLLECTIONS.vaccines, filters: [] });
  return snap.docs.map((d) => d.data() as Vaccine).sort(byKeys((v) => v.id));
}

async function readRules(r: Reader): Promise<EligibilityRule[]> {
  const snap = await r.query({ collection: COLLECTIONS.eligibilityRules, filters: [] });
  return snap.docs.map((d) => d.data() as EligibilityRule).sort(byKeys((rule) => rule.id));
}

// The administration: eligibility policy.
/** A version's document id: its number in ten digits, so the ids sort as the numbers do. */
const versionKey = (version: number): string => String(version).padStart(10, '0');

async function readLatestPolicyVersion(r: Reader): Promise<PolicyVersion | null> {
  const snap = await r.query({
    collection: COLLECTIONS.policyVersions,
    filters: [],
    orderBy: [{ field: 'version', direction: 'desc' }],
    limit: 1,
  });
  const doc = snap.docs[0];
  return doc ? (doc.data() as PolicyVersion) : null;
}

/**
 * Slots with room, soonest first (then by product, as the slot ids sort within a start). Query:
 * `centreId ==`, [`vaccineId ==` for one product], `hasRoom == true`, `start >= from`, [`start < to`],
 * ordered by start — composite indexes (centreId, hasRoom, start) and (centreId, vaccineId, hasRoom,
 * start). Several products are filtered here, reading pages of 4× the limit.
 */
async function readFreeSlots(r: Reader, q: FreeSlotQuery): Promise<Slot[]> {
  if (q.limit <= 0 || (q.vaccineIds !== null && q.vaccineIds.length === 0)) return [];
  const single = q.vaccineIds?.length === 1 ? (q.vaccineIds[0] as string) : null;
  const wanted = q.vaccineIds && !single ? new Set(q.vaccineIds) : null;
  const batch = wanted ? Math.max(q.limit * 4, 32) : q.limit;
  const filters: QuerySpec['filters'] = [{ field: 'centreId', op: '==', value: q.centreId }];
  if (single) filters.push({ field: 'vaccineId', op: '==', value: single });
  filters.push({ field: 'hasRoom', op: '==', value: true }, { field: 'start', op: '>=', value: q.from });
  if (q.to !== null) filters.push({ field: 'start', op: '<', value: q.to });
  const found: Slot[] = [];
  let after: DocumentSnapshot | undefined;
  for (;;) {
    const snap = await r.query({
      collection: COLLECTIONS.slots,
      filters,
      orderBy: [{ field: 'start', direction: 'asc' }],
      limit: batch,
      ...(after ? { startAfter: after } : {}),
    });
    for (const doc of snap.docs) {
      const slot = toSlot(doc.data());
      if (wanted && !wanted.has(slot.vaccineId)) continue;
      if (slot.booked >= slot.capacity) continue;
      found.push(slot);
      if (found.length >= q.limit) return found;
    }
    if (snap.docs.length < batch) return found;
    after = snap.docs[snap.docs.length - 1];
  }
}

// ---- the local queue -----------------------------------------------------------------------------

/** Per-key FIFO locks inside one process; a waiter gives up after a while (never a deadlock). */
class KeyedQueue {
  private readonly waiting = new Map<string, Array<() => void>>();

  async acquire(key: string, waitMs: number): Promise<(() => void) | null> {
    const queue = this.waiting.get(key);
    if (!queue) {
      this.waiting.set(key, []);
      return () => this.release(key);
    }
    const granted = await new Promise<boolean>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        const i = queue.indexOf(wake);
        if (i >= 0) queue.splice(i, 1);
        resolve(false);
      }, waitMs);
      queue.push(wake);
    });
    return granted ? () => this.release(key) : null;
  }

  private release(key: string): void {
    const queue = this.waiting.get(key);
    const next = queue?.shift();
    if (next) next();
    else this.waiting.delete(key);
  }
}

/** Documents worth queueing for: the ones a transaction that reads them is likely to write. */
const QUEUED = new Set<string>([
  COLLECTIONS.slots,
  COLLECTIONS.idempotency,
  COLLECTIONS.patients,
  COLLECTIONS.pesels,
  COLLECTIONS.appointments,
  COLLECTIONS.smsMessages,
  COLLECTIONS.smsSessions,
  COLLECTIONS.smsPhoneDays,
  COLLECTIONS.usedAssertions,
  // The standby list: an offer, its taking and the person's leaving all read and write the entry.
  COLLECTIONS.standbyEntries,
]);

// ---- the transaction -------------------------------------------------------------------------------

type Write = (t: FsTransaction) => void;

class FirestoreTransaction implements Transaction {
  readonly writes: Write[] = [];
  private readonly reader: Reader;
  private readonly store: FirestoreStore;
  private readonly t: FsTransaction;
  private readonly batchesRead = new Map<string, DocumentData | null>();
  private readonly patientsRead = new Map<string, Patient | null>();
  private readonly peselsRead = new Map<string, string | null>();

  constructor(store: FirestoreStore, t: FsTransaction, held: Array<() => void>) {
    this.store = store;
    this.t = t;
    const db = store.firestore;
    const heldKeys = new Set<string>();
    this.reader = {
      getDoc: async (collection, id) => {
        if (store.queue && QUEUED.has(collection)) {
          const key = `${collection}/${store.docKey(collection, id)}`;
          if (!heldKeys.has(key)) {
            heldKeys.add(key);
            const release = await store.queue.acquire(key, store.queueWaitMs);
            if (release) held.push(release);
          }
        }
        return t.get(db.collection(collection).doc(store.docKey(collection, id)));
      },
      query: (spec) => t.get(store.buildQuery(spec)),
    };
  }

  private read<T>(fn: (r: Reader) => Promise<T>): Promise<T> {
    if (this.writes.length > 0) {
      return Promise.reject(new Error('A transaction must do all its reads before its first write.'));
    }
    return fn(this.reader);
  }

  private set(collection: string, id: string, doc: DocumentData): void {
    const ref = this.store.firestore.collection(collection).doc(this.store.docKey(collection, id));
    this.writes.push((t) => t.set(ref, doc));
  }

  getSlot(id: string) {
    return this.read(async (r) => {
      const d = data<DocumentData>(await r.getDoc(COLLECTIONS.slots, id));
      return d ? toSlot(d) : null;
    });
  }
  getAppointment(id: string) {
    return this.read(async (r) => data<Appointment>(await r.getDoc(COLLECTIONS.appointments, id)));
  }
  listAppointmentsOfPatient(patientId: string) {
    return this.read((r) => readAppointmentsOfPatient(r, patientId));
  }
  listActiveAppointmentsOfSlot(slotId: string) {
    return this.read(async (r) => {
      const snap = await r.query({
        collection: COLLECTIONS.appointments,
        filters: [{ field: 'slotId', op: '==', value: slotId }],
      });
      return snap.docs
        .map((d) => d.data() as Appointment)
        .filter((a) => a.status !== 'cancelled')
        .sort(appointmentOrder);
    });
  }
  getPatient(id: string) {
    return this.read(async (r) => {
      const patient = this.store.patientOf(await r.getDoc(COLLECTIONS.patients, id));
      this.patientsRead.set(id, patient);
      return patient;
    });
  }
  getPatientByPesel(pesel: string) {
    return this.read(async (r) => {
      const link = data<{ patientId: string }>(await r.getDoc(COLLECTIONS.pesels, pesel));
      this.peselsRead.set(pesel, link?.patientId ?? null);
      if (!link) return null;
      const patient = this.store.patientOf(await r.getDoc(COLLECTIONS.patients, link.patientId));
      this.patientsRead.set(link.patientId, patient);
      return patient;
    });
  }
  getReferral(patientId: string) {
    return this.read(async (r) => data<Referral>(await r.getDoc(COLLECTIONS.referrals, patientId)));
  }
  getAccessGrant(agentId: string, patientId: string) {
    return this.read(async (r) => {
      const d = data<DocumentData>(await r.getDoc(COLLECTIONS.accessGrants, grantKey(agentId, patientId)));
      return d ? withoutExpiry<AccessGrant>(d) : null;
    });
  }
  getIdempotency(key: string) {
    return this.read(async (r) => {
      const d = data<DocumentData>(await r.getDoc(COLLECTIONS.idempotency, key));
      return d ? toIdempotency(d) : null;
    });
  }
  getCentre(id: string) {
    return this.read(async (r) => {
      const d = data<DocumentData>(await r.getDoc(COLLECTIONS.centres, id));
      return d ? toCentre(d) : null;
    });
  }
  getStaff(id: string) {
    return this.read(async (r) => data<StaffMember>(await r.getDoc(COLLECTIONS.staff, id)));
  }
  getStaffByEmail(email: string) {
    // A query inside the transaction: Firestore keeps transactions serializable, so two that look for
    // the same e-mail and both add it cannot both commit.
    return this.read(async (r) => {
      const snap = await r.query({
        collection: COLLECTIONS.staff,
        filters: [{ field: 'email', op: '==', value: email }],
      });
      return (snap.docs[0]?.data() as StaffMember | undefined) ?? null;
    });
  }
  listStaffOfCentre(centreId: string) {
    return this.read((r) => readStaffOfCentre(r, centreId));
  }
  listSlotsOfCentreDay(centreId: string, date: LocalDate) {
    return this.read((r) => readSlotsOfCentreDay(r, centreId, date));
  }
  findFreeSlots(query: FreeSlotQuery) {
    return this.read((r) => readFreeSlots(r, query));
  }
  listEligibilityRules() {
    return this.read((r) => readRules(r));
  }
  // The administration: centres and the vaccine catalogue.
  listVaccines() {
    return this.read((r) => readVaccines(r));
  }
  putVaccine(vaccine: Vaccine) {
    this.set(COLLECTIONS.vaccines, vaccine.id, { ...vaccine });
  }
  // The administration: eligibility policy.
  getPolicyChange(id: string) {
    return this.read(async (r) => data<PolicyChange>(await r.getDoc(COLLECTIONS.policyChanges, id)));
  }
  getLatestPolicyVersion() {
    return this.read((r) => readLatestPolicyVersion(r));
  }
  getSmsMessage(key: string) {
    return this.read(async (r) => {
      const d = data<DocumentData>(await r.getDoc(COLLECTIONS.smsMessages, key));
      return d ? withoutExpiry<SmsRecord>(d) : null;
    });
  }
  getSmsSession(phone: string) {
    return this.read(async (r) => {
      const d = data<DocumentData>(await r.getDoc(COLLECTIONS.smsSessions, phone));
      if (!d) return null;
      // The number is the key the document is found by: it is not kept inside; the PESEL is sealed.
      const { peselSealed, ...rest } = withoutExpiry<DocumentData>(d);
      const pesel = this.store.openPesel(sessionBinding(phone), peselSealed as string);
      return { ...(rest as Omit<SmsSession, 'phone' | 'pesel'>), pesel, phone };
    });
  }
  getSmsPhoneDay(phone: string, date: LocalDate) {
    return this.read(async (r) => {
      const d = data<DocumentData>(await r.getDoc(COLLECTIONS.smsPhoneDays, phoneDayKey(phone, date)));
      if (!d) return null;
      const { peselsSealed, expireAt: _, ...rest } = d;
      const binding = phoneDayKey(phone, date);
      const pesels = (peselsSealed as string[]).map((sealed) => this.store.openPesel(binding, sealed));
      return { ...(rest as Omit<SmsPhoneDay, 'phone' | 'date' | 'pesels'>), phone, date, pesels };
    });
  }
  getBookingReference(reference: string) {
    return this.read(async (r) => data<BookingReference>(await r.getDoc(COLLECTIONS.bookingReferences, reference)));
  }
  getUsedAssertion(id: string) {
    return this.read(async (r) => {
      const d = data<DocumentData>(await r.getDoc(COLLECTIONS.usedAssertions, id));
      return d ? toUsedAssertion(d) : null;
    });
  }
  getBatch(id: string) {
    return this.read(async (r) => {
      const d = data<DocumentData>(await r.getDoc(COLLECTIONS.batches, id));
      this.batchesRead.set(id, d);
      return d ? toBatch(d) : null;
    });
  }
  getBatchByNumber(centreId: string, vaccineId: string, number: string) {
    return this.read(async (r) => {
      const key = batchNumberKey(centreId, vaccineId, number);
      const link = data<{ batchId: string }>(await r.getDoc(COLLECTIONS.batchNumbers, key));
      if (!link) return null;
      const d = data<DocumentData>(await r.getDoc(COLLECTIONS.batches, link.batchId));
      this.batchesRead.set(link.batchId, d);
      return d ? toBatch(d) : null;
    });
  }

  getHotlineSession(id: string) {
    return this.read(async (r) => {
      const d = data<DocumentData>(await r.getDoc(COLLECTIONS.hotlineSessions, id));
      return d ? withoutExpiry<HotlineSession>(d) : null;
    });
  }
  /** Two equality queries (`phone ==`, `landline ==`), single-field indexes; inside the transaction. */
  listPatientsByPhone(phone: string, limit: number) {
    return this.read(async (r) => {
      const found = new Map<string, Patient>();
      for (const field of ['phone', 'landline']) {
        const snap = await r.query({
          collection: COLLECTIONS.patients,
          filters: [{ field, op: '==', value: phone }],
          limit,
        });
        for (const doc of snap.docs) {
          const patient = this.store.patientOf(doc);
          if (patient) found.set(patient.id, patient);
        }
      }
      return [...found.values()].sort(byKeys((p) => p.id)).slice(0, limit);
    });
  }
  getTally(key: string) {
    return this.read(async (r) => {
      const d = data<DocumentData>(await r.getDoc(COLLECTIONS.lookupTallies, key));
      return d ? withoutExpiry<LookupTally>(d) : null;
    });
  }
  getWatchEntry(pesel: string) {
    return this.read(async (r) => this.store.watchEntryOf(await r.getDoc(COLLECTIONS.watchList, pesel)));
  }
  getAlert(id: string) {
    return this.read(async (r) => {
      const d = data<DocumentData>(await r.getDoc(COLLECTIONS.hotlineAlerts, id));
      return d ? toAlert(d) : null;
    });
  }
  getReview(id: string) {
    return this.read(async (r) => {
      const d = data<DocumentData>(await r.getDoc(COLLECTIONS.lookupReviews, id));
      return d ? toReview(d) : null;
    });
  }
  // The administration: priority-group referrals and announcements
  listGroupReferrals(pesel: string) {
    return this.read(async (r) => {
      const d = data<{ groups?: Record<string, Omit<GroupReferral, 'pesel' | 'group'>> }>(
        await r.getDoc(COLLECTIONS.groupReferrals, pesel),
      );
      return Object.entries(d?.groups ?? {})
        .map(([group, referral]): GroupReferral => ({ pesel, group, ...referral }))
        .sort(byKeys((referral) => referral.group));
    });
  }
  getGroupUpload(digest: string) {
    return this.read(async (r) => data<GroupUpload>(await r.getDoc(COLLECTIONS.groupUploads, digest)));
  }
  getAnnouncement(id: string) {
    return this.read(async (r) => data<Announcement>(await r.getDoc(COLLECTIONS.announcements, id)));
  }
  /** One document per PESEL: the group's entry merged into it, the others left as they are. */
  putGroupReferral(referral: GroupReferral) {
    const { pesel, group, ...kept } = referral;
    const ref = this.store.firestore
      .collection(COLLECTIONS.groupReferrals)
      .doc(this.store.docKey(COLLECTIONS.groupReferrals, pesel));
    this.writes.push((t) => t.set(ref, { groups: { [group]: kept } }, { merge: true }));
  }
  putGroupUpload(digest: string, upload: GroupUpload) {
    this.set(COLLECTIONS.groupUploads, digest, upload);
  }
  putAnnouncement(announcement: Announcement) {
    this.set(COLLECTIONS.announcements, announcement.id, announcement);
  }

  /**
   * Reads one shard chosen at random and takes from it; only when it holds no more than asked does it
   * read the others, a few at a time, until it has more than asked or has read them all (that also
   * tells whether the batch is now empty). Every shard stays at zero or above, so the batch does.
   */
  takeDoses(batchId: string, count: number | 'all', use: DoseUse): Promise<DoseTaking> {
    return this.read(async (r) => {
      let batch = this.batchesRead.get(batchId);
      if (batch === undefined) {
        batch = data<DocumentData>(await r.getDoc(COLLECTIONS.batches, batchId));
        this.batchesRead.set(batchId, batch);
      }
      const shards = typeof batch?.shards === 'number' ? batch.shards : 0;
      const want = count === 'all' ? Number.POSITIVE_INFINITY : count;
      const stock = this.store.firestore.collection(
        `${COLLECTIONS.batches}/${this.store.docKey(COLLECTIONS.batches, batchId)}/${STOCK}`,
      );
      const order = shuffledShards(shards);
      const seen: Array<{ ref: ReturnType<typeof stock.doc>; remaining: number; wasted: number }> = [];
      let have = 0;
      for (let next = 0; next < order.length && have <= want; ) {
        // The first read is one shard; later ones a chunk at a time.
        const chunk = order.slice(next, next === 0 ? 1 : next + SHARD_READ_CHUNK);
        next += chunk.length;
        const snaps = await this.t.getAll(...chunk.map((k) => stock.doc(String(k))));
        for (const snap of snaps) {
          const remaining = (snap.get('remaining') as number | undefined) ?? 0;
          seen.push({ ref: snap.ref, remaining, wasted: (snap.get('wasted') as number | undefined) ?? 0 });
          have += remaining;
        }
      }
      if (have < want && count !== 'all') throw outOfStock(batchId, have);
      const taken = count === 'all' ? have : count;
      let left = taken;
      for (const shard of seen) {
        if (left === 0) break;
        const part = Math.min(shard.remaining, left);
        if (part === 0) continue;
        left -= part;
        const after = { remaining: shard.remaining - part, wasted: shard.wasted + (use === 'wasted' ? part : 0) };
        this.writes.push((t) => t.update(shard.ref, after));
      }
      return { taken, emptied: have - taken === 0 };
    });
  }

  putSlot(slot: Slot) {
    if (slot.booked < 0 || slot.booked > slot.capacity) {
      // The SQLite store's CHECK constraint, here: a slot never holds more than its capacity.
      throw new Error(`Slot ${slot.id} would hold ${slot.booked} of ${slot.capacity} places.`);
    }
    this.set(COLLECTIONS.slots, slot.id, slotDoc(slot));
  }
  deleteSlot(id: string) {
    const ref = this.store.firestore.collection(COLLECTIONS.slots).doc(this.store.docKey(COLLECTIONS.slots, id));
    this.writes.push((t) => t.delete(ref));
  }
  putAppointment(a: Appointment) {
    this.set(COLLECTIONS.appointments, a.id, { ...a });
  }
  putPatient(p: Patient) {
    this.set(COLLECTIONS.patients, p.id, this.store.patientDoc(p));
    // pesels/{pesel} is the PESEL's uniqueness: created with a new patient, and `create` fails at
    // commit if another patient holds it.
    const owner = this.peselsRead.get(p.pesel);
    const known = this.patientsRead.get(p.id);
    if (owner === p.id || (owner === undefined && known?.pesel === p.pesel)) return;
    if (owner) throw new Error(`PESEL already belongs to patient ${owner}.`);
    const ref = this.store.firestore.collection(COLLECTIONS.pesels).doc(this.store.docKey(COLLECTIONS.pesels, p.pesel));
    if (owner === null) this.writes.push((t) => t.set(ref, { patientId: p.id }));
    else this.writes.push((t) => t.create(ref, { patientId: p.id }));
  }
  putReferral(r: Referral) {
    this.set(COLLECTIONS.referrals, r.patientId, { ...r });
  }
  putIdempotency(r: IdempotencyRecord) {
    const ref = this.store.firestore
      .collection(COLLECTIONS.idempotency)
      .doc(this.store.docKey(COLLECTIONS.idempotency, r.key));
    // Written once: a second record under the key is a bug, as the SQLite primary key says.
    this.writes.push((t) => t.create(ref, { ...idempotencyDoc(r), expireAt: expireAt(idempotencyExpiry(r)) }));
  }
  putCentre(c: Centre) {
    const ref = this.store.firestore.collection(COLLECTIONS.centres).doc(this.store.docKey(COLLECTIONS.centres, c.id));
    const doc = { ...c };
    // Replaces the centre's own fields and keeps `publishedThrough`.
    this.writes.push((t) => t.set(ref, doc, { mergeFields: Object.keys(doc) }));
  }
  putStaff(s: StaffMember) {
    this.set(COLLECTIONS.staff, s.id, { ...s });
  }
  deleteStaff(id: string) {
    const ref = this.store.firestore.collection(COLLECTIONS.staff).doc(this.store.docKey(COLLECTIONS.staff, id));
    this.writes.push((t) => t.delete(ref));
  }
  putEligibilityRule(rule: EligibilityRule) {
    this.set(COLLECTIONS.eligibilityRules, rule.id, { ...rule });
  }
  // The administration: eligibility policy.
  deleteEligibilityRule(id: string) {
    const ref = this.store.firestore
      .collection(COLLECTIONS.eligibilityRules)
      .doc(this.store.docKey(COLLECTIONS.eligibilityRules, id));
    this.writes.push((t) => t.delete(ref));
  }
  putPolicyChange(change: PolicyChange) {
    this.set(COLLECTIONS.policyChanges, change.id, { ...change });
  }
  putPolicyVersion(version: PolicyVersion) {
    const ref = this.store.firestore
      .collection(COLLECTIONS.policyVersions)
      .doc(this.store.docKey(COLLECTIONS.policyVersions, versionKey(version.version)));
    // Created once: a rival approval that read the same latest version fails here at commit.
    this.writes.push((t) => t.create(ref, { ...version }));
  }
  addAudit(record: AuditRecord) {
    const ref = this.store.firestore.collection(COLLECTIONS.audit).doc(this.store.docKey(COLLECTIONS.audit, record.id));
    this.writes.push((t) => t.create(ref, { ...record }));
  }
  addEvent(event: DomainEvent) {
    const ref = this.store.firestore
      .collection(COLLECTIONS.outbox)
      .doc(this.store.docKey(COLLECTIONS.outbox, event.id));
    // The request's trace goes with the event to its consumers.
    const trace = currentTraceparent();
    this.writes.push((t) =>
      t.create(ref, { ...event, ...(trace ? { trace } : {}), expireAt: expireAt(outboxExpiry(event)) }),
    );
  }
  putSmsMessage(record: SmsRecord) {
    // Rewritten whole as its status changes; `createdAt` and `key` order the listing. Each rewrite
    // moves its end: the last moment of the message plus the ledger's retention.
    this.set(COLLECTIONS.smsMessages, record.key, { ...record, expireAt: expireAt(smsMessageExpiry(record)) });
  }
  putSmsSession(session: SmsSession) {
    const { phone, pesel, ...kept } = session;
    this.set(COLLECTIONS.smsSessions, phone, {
      ...kept,
      peselSealed: this.store.sealPesel(sessionBinding(phone), pesel),
      expireAt: expireAt(smsSessionExpiry(session)),
    });
  }
  deleteSmsSession(phone: string) {
    const ref = this.store.firestore
      .collection(COLLECTIONS.smsSessions)
      .doc(this.store.docKey(COLLECTIONS.smsSessions, phone));
    this.writes.push((t) => t.delete(ref));
  }
  putAccessGrant(grant: AccessGrant) {
    this.set(COLLECTIONS.accessGrants, grantKey(grant.agentId, grant.patientId), {
      ...grant,
      expireAt: expireAt(accessGrantExpiry(grant)),
    });
  }
  putSmsPhoneDay(day: SmsPhoneDay) {
    const { phone, date, pesels, ...kept } = day;
    const binding = phoneDayKey(phone, date);
    this.set(COLLECTIONS.smsPhoneDays, binding, {
      ...kept,
      peselsSealed: pesels.map((pesel) => this.store.sealPesel(binding, pesel)),
      expireAt: expireAt(smsPhoneDayExpiry(day)),
    });
  }
  putBookingReference(record: BookingReference) {
    // Random references spread over the key space by themselves: the reference is the document id.
    const ref = this.store.firestore.collection(COLLECTIONS.bookingReferences).doc(record.reference);
    // Created once: a reference taken by a rival meanwhile fails this commit (see putUsedAssertion).
    this.writes.push((t) => t.create(ref, { ...record }));
  }
  addBatch(batch: Batch) {
    const db = this.store.firestore;
    const ref = db.collection(COLLECTIONS.batches).doc(this.store.docKey(COLLECTIONS.batches, batch.id));
    const shares = shardShares(batch.doses);
    const number = db
      .collection(COLLECTIONS.batchNumbers)
      .doc(this.store.docKey(COLLECTIONS.batchNumbers, batchNumberKey(batch.centreId, batch.vaccineId, batch.number)));
    // Created once: a second batch of one id or number fails the commit, as the SQLite keys do.
    this.writes.push((t) => {
      t.create(ref, { ...batch, shards: shares.length });
      t.create(number, { batchId: batch.id });
      shares.forEach((remaining, k) => {
        t.create(ref.collection(STOCK).doc(String(k)), { remaining, wasted: 0 });
      });
    });
  }
  putBatch(batch: Batch) {
    const ref = this.store.firestore
      .collection(COLLECTIONS.batches)
      .doc(this.store.docKey(COLLECTIONS.batches, batch.id));
    const doc = { ...batch };
    // The record's own fields; `shards` stays, and the stock is the shards' business.
    this.writes.push((t) => t.set(ref, doc, { mergeFields: Object.keys(doc) }));
  }
  putHotlineSession(session: HotlineSession) {
    this.set(COLLECTIONS.hotlineSessions, session.id, { ...session, expireAt: expireAt(session.expiresAt) });
  }
  putTally(tally: LookupTally) {
    this.set(COLLECTIONS.lookupTallies, tally.key, { ...tally, expireAt: expireAt(tally.expiresAt) });
  }
  putWatchEntry(entry: WatchEntry) {
    const { pesel, ...kept } = entry;
    this.set(COLLECTIONS.watchList, pesel, {
      ...kept,
      peselSealed: this.store.sealPesel(watchBinding(entry.id), pesel),
    });
  }
  deleteWatchEntry(pesel: string) {
    const ref = this.store.firestore
      .collection(COLLECTIONS.watchList)
      .doc(this.store.docKey(COLLECTIONS.watchList, pesel));
    this.writes.push((t) => t.delete(ref));
  }
  putAlert(alert: HotlineAlert) {
    // `open` is what the supervisors' list filters by.
    this.set(COLLECTIONS.hotlineAlerts, alert.id, { ...alert, open: alert.acknowledged === null });
  }
  putReview(review: LookupReview) {
    this.set(COLLECTIONS.lookupReviews, review.id, { ...review, pending: review.verdict === null });
  }
  putUsedAssertion(record: UsedAssertion) {
    const ref = this.store.firestore
      .collection(COLLECTIONS.usedAssertions)
      .doc(this.store.docKey(COLLECTIONS.usedAssertions, record.id));
    // Created once: the transaction that read the id as unused and a rival that wrote it meanwhile
    // cannot both commit (Firestore's lock on the read document), and `create` fails if one did.
    this.writes.push((t) => t.create(ref, usedAssertionDoc(record)));
  }
  // The waiting room
  getQueueRoom(id: string) {
    return this.read(async (r) => data<QueueRoom>(await r.getDoc(COLLECTIONS.queueRooms, id)));
  }
  getQueueTicket(roomId: string, patientId: string) {
    return this.read(async (r) =>
      data<QueueTicket>(await r.getDoc(COLLECTIONS.queueTickets, queueTicketKey(roomId, patientId))),
    );
  }
  takeQueueSequence(roomId: string): Promise<number> {
    return this.read(async () => {
      const first = Math.floor(Math.random() * QUEUE_SHARDS);
      const second = (first + 1 + Math.floor(Math.random() * (QUEUE_SHARDS - 1))) % QUEUE_SHARDS;
      const refs = [first, second].map((k) => this.store.queueShard(roomId, k));
      const snaps = await this.t.getAll(...refs);
      const counts = snaps.map((snap) => (snap.get('count') as number | undefined) ?? 0);
      const pick = (counts[0] ?? 0) <= (counts[1] ?? 0) ? 0 : 1;
      const shard = pick === 0 ? first : second;
      const count = counts[pick] ?? 0;
      const ref = refs[pick];
      if (!ref) throw new Error('No shard read.');
      this.writes.push((t) => t.set(ref, { roomId, shard, count: count + 1 }));
      return count * QUEUE_SHARDS + shard + 1;
    });
  }
  putQueueRoom(room: QueueRoom) {
    this.set(COLLECTIONS.queueRooms, room.id, room);
  }
  putQueueTicket(ticket: QueueTicket) {
    this.set(COLLECTIONS.queueTickets, queueTicketKey(ticket.roomId, ticket.patientId), ticket);
  }
  // The standby list
  getStandbyEntry(patientId: string) {
    return this.read(async (r) => data<StandbyEntry>(await r.getDoc(COLLECTIONS.standbyEntries, patientId)));
  }
  getStandbyOffer(id: string) {
    return this.read(async (r) => data<StandbyOffer>(await r.getDoc(COLLECTIONS.standbyOffers, id)));
  }
  getStandbyVacancy(slotId: string) {
    return this.read(async (r) => data<StandbyVacancy>(await r.getDoc(COLLECTIONS.standbyVacancies, slotId)));
  }
  /** A shard chosen at random (another on a retry): its next number after the clock and its last one. */
  takeStandbySequence(): Promise<number> {
    return this.read(async () => {
      const shard = Math.floor(Math.random() * STANDBY_SHARDS);
      const ref = this.store.standbyShard(shard);
      const last = ((await this.t.get(ref)).get('last') as number | undefined) ?? 0;
      const byClock = Math.max(0, Date.now() - STANDBY_EPOCH) * STANDBY_SHARDS + shard + 1;
      const next = Math.max(byClock, last + STANDBY_SHARDS);
      this.writes.push((t) => t.set(ref, { shard, last: next }));
      return next;
    });
  }
  putStandbyEntry(entry: StandbyEntry) {
    this.set(COLLECTIONS.standbyEntries, entry.patientId, entry);
  }
  putStandbyOffer(offer: StandbyOffer) {
    this.set(COLLECTIONS.standbyOffers, offer.id, offer);
  }
  putStandbyVacancy(vacancy: StandbyVacancy) {
    this.set(COLLECTIONS.standbyVacancies, vacancy.slotId, vacancy);
  }
  deleteStandbyVacancy(slotId: string) {
    const ref = this.store.firestore
      .collection(COLLECTIONS.standbyVacancies)
      .doc(this.store.docKey(COLLECTIONS.standbyVacancies, slotId));
    this.writes.push((t) => t.delete(ref));
  }
}

const NEWEST_OFFERS_FIRST: QueryOrder[] = [
  { field: 'offeredAt', direction: 'desc' },
  { field: 'id', direction: 'desc' },
];

/** One ticket per room and patient. */
const queueTicketKey = (roomId: string, patientId: string): string => `${roomId}/${patientId}`;

/** The key of an agent's grant on a patient (hashed into the document id). */
const grantKey = (agentId: string, patientId: string): string => JSON.stringify([agentId, patientId]);
/** The key of a phone's day (keyed into the document id: the number is personal data). */
const phoneDayKey = (phone: string, date: LocalDate): string => JSON.stringify([phone, date]);
/** What a conversation's sealed PESEL is bound to. */
const sessionBinding = (phone: string): string => JSON.stringify(['smsSession', phone]);
/** What a watch-list entry's sealed PESEL is bound to. */
const watchBinding = (id: string): string => JSON.stringify(['watchList', id]);

const toAlert = (d: DocumentData): HotlineAlert => {
  const { open: _, ...alert } = d;
  return alert as HotlineAlert;
};
const toReview = (d: DocumentData): LookupReview => {
  const { pending: _, ...review } = d;
  return review as LookupReview;
};
const NEWEST_FIRST: QueryOrder[] = [
  { field: 'at', direction: 'desc' },
  { field: 'id', direction: 'desc' },
];

// ---- the store ---------------------------------------------------------------------------------------

/** The Store port on Cloud Firestore (native mode). */
export class FirestoreStore implements Store {
  readonly firestore: Firestore;
  readonly maxAttempts: number;
  readonly queue: KeyedQueue | null;
  readonly queueWaitMs: number;
  readonly stats: TransactionStats = { transactions: 0, attempts: 0, maxAttempts: 0, exhausted: 0 };
  private readonly onQuery: ((shape: QueryShape) => void) | undefined;
  private readonly reader: Reader;
  /** Keys the ids of personal data: PESELs and phone numbers. */
  private readonly personalDataKey: KeyObject | null;
  /** Seals the PESEL inside a patient's document (derived from the same secret). */
  private readonly peselKey: KeyObject | null;

  constructor(firestore: Firestore, options: FirestoreStoreOptions) {
    if (options.peselSecret !== undefined && options.peselSecret.length < 32) {
      throw new Error('The PESEL key secret must be at least 32 characters.');
    }
    this.firestore = firestore;
    this.personalDataKey = options.peselSecret ? createSecretKey(Buffer.from(options.peselSecret, 'utf8')) : null;
    this.peselKey = options.peselSecret ? peselKeyOf(options.peselSecret) : null;
    this.maxAttempts = options.maxAttempts ?? MAX_TRANSACTION_ATTEMPTS;
    this.queue = options.localQueue === false ? null : new KeyedQueue();
    this.queueWaitMs = options.localQueueWaitMs ?? 3_000;
    this.onQuery = options.onQuery;
    this.reader = {
      getDoc: (collection, id) => firestore.collection(collection).doc(this.docKey(collection, id)).get(),
      query: (spec) => this.buildQuery(spec).get(),
    };
  }

  /** The document id of a record in a collection (see COLLECTIONS). */
  docKey(collection: string, id: string): string {
    if (KEYED_IDS.has(collection)) {
      if (!this.personalDataKey) {
        throw new Error(`${collection} is keyed with PESEL_HMAC_SECRET, which this function is not given.`);
      }
      return createHmac('sha256', this.personalDataKey).update(id).digest('hex');
    }
    if (HASHED_IDS.has(collection)) return createHash('sha256').update(id).digest('hex');
    return encodeURIComponent(id);
  }

  /** A PESEL sealed for the record `binding` names; refused without the key, naming the secret. */
  sealPesel(binding: string, pesel: string): string {
    if (!this.peselKey) throw new Error('PESELs are sealed with PESEL_HMAC_SECRET, which this function is not given.');
    return sealPesel(this.peselKey, binding, pesel);
  }

  /** The PESEL a sealed value holds, opened for the record `binding` names. */
  openPesel(binding: string, sealed: string): string {
    if (!this.peselKey) throw new Error('PESELs are sealed with PESEL_HMAC_SECRET, which this function is not given.');
    return openPesel(this.peselKey, binding, sealed);
  }

  /**
   * A patient's document: everything but the PESEL as it is, the PESEL sealed. Refused without the
   * key, naming the secret, as a keyed document id is.
   */
  patientDoc(patient: Patient): DocumentData {
    if (!this.peselKey)
      throw new Error('patients hold a PESEL sealed with PESEL_HMAC_SECRET, which this function is not given.');
    const { pesel, ...rest } = patient;
    return { ...rest, peselSealed: sealPesel(this.peselKey, patient.id, pesel) };
  }

  /** The watch-list entry a document holds, its PESEL opened. */
  watchEntryOf(snap: DocumentSnapshot): WatchEntry | null {
    const d = data<DocumentData>(snap);
    if (!d) return null;
    const { peselSealed, ...rest } = d;
    return {
      ...(rest as Omit<WatchEntry, 'pesel'>),
      pesel: this.openPesel(watchBinding(rest.id as string), peselSealed),
    };
  }

  /**
   * The patient a document holds, in either shape: the PESEL sealed, or in clear as documents written
   * before sealing hold it (they are sealed when next written, or by `sealClearPesels`). Without the
   * key the PESEL is withheld (empty), whichever the shape.
   */
  patientOf(snap: DocumentSnapshot): Patient | null {
    const d = data<DocumentData>(snap);
    if (!d) return null;
    const { peselSealed, pesel, ...rest } = d;
    if (!this.peselKey) return { ...rest, pesel: '' } as Patient;
    const clear = typeof peselSealed === 'string' ? openPesel(this.peselKey, rest.id as string, peselSealed) : pesel;
    return { ...rest, pesel: clear } as Patient;
  }

  /**
   * Seals the PESEL of every patient document still holding it in clear (written before sealing), one
   * transaction each, a page at a time; answers how many it rewrote. Safe to run while the system
   * serves and to run again: a document already sealed is not touched.
   */
  async sealClearPesels(options: { pageSize?: number; onProgress?: (sealed: number) => void } = {}): Promise<number> {
    let sealed = 0;
    for (;;) {
      // Only documents with a string `pesel` match; sealed documents have no such field.
      const page = await this.buildQuery({
        collection: COLLECTIONS.patients,
        filters: [{ field: 'pesel', op: '>=', value: '' }],
        limit: options.pageSize ?? 200,
      }).get();
      if (page.empty) return sealed;
      for (const doc of page.docs) {
        const id = doc.get('id') as string;
        await this.runInTransaction(async (tx) => {
          const patient = await tx.getPatient(id);
          if (patient) tx.putPatient(patient);
        });
        sealed++;
      }
      options.onProgress?.(sealed);
    }
  }

  /** Every query the adapter issues is built here (and reported to `onQuery`). */
  buildQuery(spec: QuerySpec): Query {
    this.onQuery?.({
      collection: spec.collection,
      filters: spec.filters.map(({ field, op }) => ({ field, op })),
      orderBy: spec.orderBy ?? [],
    });
    let query: Query = this.firestore.collection(spec.collection);
    for (const { field, op, value } of spec.filters) query = query.where(field, op, value);
    for (const { field, direction } of spec.orderBy ?? []) query = query.orderBy(field, direction);
    if (spec.startAfter) query = query.startAfter(spec.startAfter);
    if (spec.startAfterValues) query = query.startAfter(...spec.startAfterValues);
    if (spec.limit !== undefined) query = query.limit(spec.limit);
    return query;
  }

  /**
   * A Firestore transaction, retried by the client on contention (ABORTED) up to `maxAttempts`. The
   * callback's reads go to the transaction; its writes are buffered and handed to the transaction when
   * the callback returns, so every read comes before every write. An error thrown by the callback (a
   * domain error) rolls back and propagates unchanged, without a retry.
   */
  /** Told of each unit of work once it is done or has failed: the attempts it took, and whether it gave up contended. */
  onUnitOfWork: ((attempts: number, contended: boolean) => void) | null = null;

  runInTransaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    // A span within a request, an event's consumer or a task; none for work outside any trace (a load).
    if (!currentScope()) return this.runUnit(fn);
    return inSpan('store.transaction', { attributes: { store: 'firestore' } }, () => this.runUnit(fn));
  }

  private async runUnit<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    let attempts = 0;
    let contended = false;
    const held: Array<() => void> = [];
    const releaseAll = () => {
      for (const release of held.splice(0)) release();
    };
    const attempt = () =>
      this.firestore.runTransaction(
        async (t) => {
          releaseAll();
          attempts++;
          const tx = new FirestoreTransaction(this, t, held);
          const result = await fn(tx);
          for (const write of tx.writes) write(t);
          return result;
        },
        { maxAttempts: this.maxAttempts - attempts },
      );
    try {
      for (;;) {
        try {
          return await attempt();
        } catch (error) {
          // A transaction that lost a lock wait can be closed under it (the emulator says so with
          // INVALID_ARGUMENT, which the client does not retry): the same contention, tried again here.
          if (!isClosedTransaction(error) || attempts >= this.maxAttempts) throw error;
        }
      }
    } catch (error) {
      const isContention = (error as { code?: unknown }).code === ABORTED || isClosedTransaction(error);
      if (isContention && attempts >= this.maxAttempts) {
        contended = true;
        this.stats.exhausted++;
        // Other transactions kept winning the same documents: a state the caller can act on (offer
        // another slot, try again), not a fault of the service.
        throw new DomainError(
          'conflict',
          'CONTENDED',
          'Many people are changing the same thing at this moment; please try again.',
          { cause: error },
        );
      }
      throw error;
    } finally {
      releaseAll();
      this.stats.transactions++;
      this.stats.attempts += attempts;
      this.stats.maxAttempts = Math.max(this.stats.maxAttempts, attempts);
      this.onUnitOfWork?.(attempts, contended);
    }
  }

  async getCentre(id: string) {
    const d = data<DocumentData>(await this.reader.getDoc(COLLECTIONS.centres, id));
    return d ? toCentre(d) : null;
  }
  async listCentres() {
    const snap = await this.reader.query({ collection: COLLECTIONS.centres, filters: [] });
    return snap.docs.map((d) => toCentre(d.data())).sort(byKeys((c) => c.id));
  }
  async getPatient(id: string) {
    return this.patientOf(await this.reader.getDoc(COLLECTIONS.patients, id));
  }
  async getAppointment(id: string) {
    return data<Appointment>(await this.reader.getDoc(COLLECTIONS.appointments, id));
  }
  async getSlot(id: string) {
    const d = data<DocumentData>(await this.reader.getDoc(COLLECTIONS.slots, id));
    return d ? toSlot(d) : null;
  }
  async listAppointmentsOfPatient(patientId: string) {
    return readAppointmentsOfPatient(this.reader, patientId);
  }
  async listAppointmentsOfCentreDay(centreId: string, date: LocalDate) {
    const snap = await this.reader.query({
      collection: COLLECTIONS.appointments,
      filters: [
        { field: 'centreId', op: '==', value: centreId },
        { field: 'localDate', op: '==', value: date },
      ],
    });
    return snap.docs.map((d) => d.data() as Appointment).sort(appointmentOrder);
  }
  async listAppointmentsByReference(reference: string) {
    const snap = await this.reader.query({
      collection: COLLECTIONS.appointments,
      filters: [{ field: 'reference', op: '==', value: reference }],
    });
    return snap.docs.map((d) => d.data() as Appointment).sort(appointmentOrder);
  }
  async listSlotsOfCentreDay(centreId: string, date: LocalDate) {
    return readSlotsOfCentreDay(this.reader, centreId, date);
  }
  async findFreeSlots(query: FreeSlotQuery) {
    return readFreeSlots(this.reader, query);
  }

  /**
   * The free places of the days from..to, summed by the server over the availability read model
   * (`localDate` between the bounds, on its single-field index) without reading the summaries.
   */
  async countFreePlaces(from: LocalDate, to: LocalDate) {
    const query = this.buildQuery({
      collection: COLLECTIONS.availability,
      filters: [
        { field: 'localDate', op: '>=', value: from },
        { field: 'localDate', op: '<=', value: to },
      ],
    });
    const counted = await query.aggregate({ free: AggregateField.sum('free') }).get();
    return counted.data().free;
  }

  /**
   * The first day with room from the availability read model: `centreId ==`, [`vaccineId ==`],
   * `hasFree == true`, `localDate` between the bounds, ordered by date, limit 1; without a product, the
   * other products of that day come from an equality-only query.
   */
  async firstAvailableDay(centreId: string, from: LocalDate, to: LocalDate, vaccineId: string | null) {
    const filters: QuerySpec['filters'] = [{ field: 'centreId', op: '==', value: centreId }];
    if (vaccineId) filters.push({ field: 'vaccineId', op: '==', value: vaccineId });
    filters.push(
      { field: 'hasFree', op: '==', value: true },
      { field: 'localDate', op: '>=', value: from },
      { field: 'localDate', op: '<=', value: to },
    );
    const first = await this.reader.query({
      collection: COLLECTIONS.availability,
      filters,
      orderBy: [{ field: 'localDate', direction: 'asc' }],
      limit: 1,
    });
    const day = first.docs[0];
    if (!day) return [];
    if (vaccineId) return [toAvailability(day.data())];
    const all = await this.reader.query({
      collection: COLLECTIONS.availability,
      filters: [
        { field: 'centreId', op: '==', value: centreId },
        { field: 'localDate', op: '==', value: day.data().localDate },
        { field: 'hasFree', op: '==', value: true },
      ],
    });
    return all.docs.map((d) => toAvailability(d.data())).sort(byKeys((a) => a.vaccineId));
  }

  /**
   * Recomputes one centre-day of the availability read model from its slots (what the availability
   * consumer does for the centre-days an event touches). Each summary records the read time of the
   * slot query it came from, and a summary read earlier never replaces one read later: two consumer
   * instances refreshing the same day in a race leave the fresher one. The check is optimistic — the
   * writes carry preconditions (the summary unchanged since it was checked, or still absent), so no
   * lock is held and a lost race is simply checked again. A product whose slots are gone keeps a
   * summary with no free places, so its read time survives. Answers whether it wrote.
   */
  async refreshAvailability(centreId: string, date: LocalDate): Promise<boolean> {
    const slotsRead = await this.buildQuery(slotsOfCentreDay(centreId, date)).get();
    const slotsReadAt = slotsRead.readTime;
    const products = new Map<string, Slot[]>();
    for (const slot of slotsRead.docs.map((d) => toSlot(d.data())).sort(slotOrder)) {
      products.set(slot.vaccineId, [...(products.get(slot.vaccineId) ?? []), slot]);
    }
    const summaryOf = (vaccineId: string, current: DocumentData | undefined): DocumentData => {
      const ofProduct = products.get(vaccineId) ?? [];
      const open = ofProduct.filter((s) => s.booked < s.capacity);
      const free = ofProduct.reduce((sum, s) => sum + (s.capacity - s.booked), 0);
      const summary = {
        centreId,
        localDate: date,
        vaccineId,
        free,
        hasFree: free > 0,
        firstFree: open[0]?.start ?? null,
        firstSlots: open
          .slice(0, LISTED_FIRST_SLOTS)
          .map((s) => ({ slotId: s.id, start: s.start, free: s.capacity - s.booked })),
        slotsReadAt,
      };
      // The published availability's change feed: a summary recomputed unchanged keeps its stamp.
      const unchanged =
        current !== undefined &&
        current.free === summary.free &&
        (current.firstFree ?? null) === summary.firstFree &&
        JSON.stringify(current.firstSlots ?? []) === JSON.stringify(summary.firstSlots);
      return { ...summary, changedAt: unchanged ? (current.changedAt ?? null) : new Date().toISOString() };
    };
    for (let attempt = 1; ; attempt++) {
      const existing = await this.buildQuery({
        collection: COLLECTIONS.availability,
        filters: [
          { field: 'centreId', op: '==', value: centreId },
          { field: 'localDate', op: '==', value: date },
        ],
      }).get();
      const newer = existing.docs.some((d) => {
        const at = d.get('slotsReadAt') as Timestamp | undefined;
        return at !== undefined && at.valueOf() >= slotsReadAt.valueOf();
      });
      if (newer) return false;
      const batch = this.firestore.batch();
      const known = new Map(existing.docs.map((d) => [d.get('vaccineId') as string, d]));
      for (const vaccineId of new Set([...products.keys(), ...known.keys()])) {
        const ref = this.firestore
          .collection(COLLECTIONS.availability)
          .doc(this.docKey(COLLECTIONS.availability, `${centreId}_${date}_${vaccineId}`));
        const current = known.get(vaccineId);
        if (current) batch.update(ref, summaryOf(vaccineId, current.data()), { lastUpdateTime: current.updateTime });
        else batch.create(ref, summaryOf(vaccineId, undefined));
      }
      try {
        await batch.commit();
        return true;
      } catch (error) {
        // FAILED_PRECONDITION or ALREADY_EXISTS: another refresh wrote in between; look again.
        const code = (error as { code?: unknown }).code;
        if ((code !== 9 && code !== 6) || attempt >= this.maxAttempts) throw error;
      }
    }
  }

  async getStaff(id: string) {
    return data<StaffMember>(await this.reader.getDoc(COLLECTIONS.staff, id));
  }
  async listStaffOfCentre(centreId: string) {
    return readStaffOfCentre(this.reader, centreId);
  }
  async listEligibilityRules() {
    return readRules(this.reader);
  }
  // The administration: centres and the vaccine catalogue.
  async listVaccines() {
    return readVaccines(this.reader);
  }
  /** Query: `vaccineId ==`, `status ==`, `start >=`, ordered by start — composite index (vaccineId, status, start). */
  async listBookedAppointmentsOfVaccine(vaccineId: string, from: string, limit: number) {
    if (limit <= 0) return [];
    const snap = await this.reader.query({
      collection: COLLECTIONS.appointments,
      filters: [
        { field: 'vaccineId', op: '==', value: vaccineId },
        { field: 'status', op: '==', value: 'booked' },
        { field: 'start', op: '>=', value: from },
      ],
      orderBy: [{ field: 'start', direction: 'asc' }],
      limit,
    });
    return snap.docs.map((d) => d.data() as Appointment).sort(appointmentOrder);
  }
  // The administration: eligibility policy.
  /** Newest first: `status ==` when given, ordered by `proposedAt` then `id` descending (composite indexes). */
  async listPolicyChanges(query: { status?: PolicyChangeStatus | undefined; limit: number }) {
    if (query.limit <= 0) return [];
    const snap = await this.reader.query({
      collection: COLLECTIONS.policyChanges,
      filters: query.status === undefined ? [] : [{ field: 'status', op: '==', value: query.status }],
      orderBy: [
        { field: 'proposedAt', direction: 'desc' },
        { field: 'id', direction: 'desc' },
      ],
      limit: query.limit,
    });
    return snap.docs.map((d) => d.data() as PolicyChange);
  }
  async listPolicyVersions() {
    const snap = await this.reader.query({
      collection: COLLECTIONS.policyVersions,
      filters: [],
      orderBy: [{ field: 'version', direction: 'asc' }],
    });
    return snap.docs.map((d) => d.data() as PolicyVersion);
  }
  async listAudit(patientId: string) {
    const snap = await this.reader.query({
      collection: COLLECTIONS.audit,
      filters: [{ field: 'patientId', op: '==', value: patientId }],
    });
    return snap.docs
      .map((d) => d.data() as AuditRecord)
      .sort(
        byKeys(
          (a) => a.at,
          (a) => a.id,
        ),
      );
  }
  /**
   * Audit records newest first: `==` on each filter given (`actor.id`, `patientId`, `reasonCode`,
   * `action`), `at` between the bounds, ordered by `at` then `id` descending (a composite index per
   * combination the supervisors' queries use, firestore.indexes.json), continued after a page's last.
   */
  async queryAudit(query: AuditQuery) {
    if (query.limit <= 0) return [];
    const filters: QuerySpec['filters'] = [];
    if (query.actorId !== undefined) filters.push({ field: 'actor.id', op: '==', value: query.actorId });
    if (query.patientId !== undefined) filters.push({ field: 'patientId', op: '==', value: query.patientId });
    if (query.reasonCode !== undefined) filters.push({ field: 'reasonCode', op: '==', value: query.reasonCode });
    if (query.action !== undefined) filters.push({ field: 'action', op: '==', value: query.action });
    if (query.from !== undefined) filters.push({ field: 'at', op: '>=', value: query.from });
    if (query.to !== undefined) filters.push({ field: 'at', op: '<', value: query.to });
    const snap = await this.reader.query({
      collection: COLLECTIONS.audit,
      filters,
      orderBy: NEWEST_FIRST,
      limit: query.limit,
      ...(query.after ? { startAfterValues: [query.after.at, query.after.id] } : {}),
    });
    return snap.docs.map((d) => d.data() as AuditRecord);
  }
  // The administration: priority-group referrals and announcements
  async listGroupUploads(limit: number) {
    if (limit <= 0) return [];
    const snap = await this.reader.query({
      collection: COLLECTIONS.groupUploads,
      filters: [],
      orderBy: [{ field: 'at', direction: 'desc' }],
      limit,
    });
    return snap.docs.map((d) => d.data() as GroupUpload);
  }
  async listAnnouncements(query: { endingAfter?: Instant | undefined; limit: number }) {
    if (query.limit <= 0) return [];
    const snap = await this.reader.query({
      collection: COLLECTIONS.announcements,
      filters: query.endingAfter === undefined ? [] : [{ field: 'until', op: '>', value: query.endingAfter }],
      orderBy: [{ field: 'until', direction: 'desc' }],
      limit: query.limit,
    });
    // Ties of `until` by id, as the other stores answer.
    return snap.docs
      .map((d) => d.data() as Announcement)
      .sort((a, b) => (a.until !== b.until ? (a.until > b.until ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
  async listWatchList() {
    const snap = await this.reader.query({ collection: COLLECTIONS.watchList, filters: [] });
    return snap.docs
      .map((d) => this.watchEntryOf(d) as WatchEntry)
      .sort(
        byKeys(
          (e) => e.addedAt,
          (e) => e.id,
        ),
      );
  }
  async listAlerts(query: { open?: boolean | undefined; limit: number }) {
    if (query.limit <= 0) return [];
    const snap = await this.reader.query({
      collection: COLLECTIONS.hotlineAlerts,
      filters: query.open === undefined ? [] : [{ field: 'open', op: '==', value: query.open }],
      orderBy: NEWEST_FIRST,
      limit: query.limit,
    });
    return snap.docs.map((d) => toAlert(d.data()));
  }
  async listReviews(query: { pending?: boolean | undefined; limit: number }) {
    if (query.limit <= 0) return [];
    const snap = await this.reader.query({
      collection: COLLECTIONS.lookupReviews,
      filters: query.pending === undefined ? [] : [{ field: 'pending', op: '==', value: query.pending }],
      orderBy: NEWEST_FIRST,
      limit: query.limit,
    });
    return snap.docs.map((d) => toReview(d.data()));
  }
  // Scheduling links
  /** One centre's summaries (composite index centreId, localDate, vaccineId). */
  async availabilityForPublication(centreId: string, from: LocalDate) {
    const query = this.buildQuery({
      collection: COLLECTIONS.availability,
      filters: [
        { field: 'centreId', op: '==', value: centreId },
        { field: 'localDate', op: '>=', value: from },
      ],
      orderBy: [
        { field: 'localDate', direction: 'asc' },
        { field: 'vaccineId', direction: 'asc' },
      ],
    });
    return (await query.get()).docs.map((doc) => {
      const d = doc.data();
      return { ...toAvailability(d), changedAt: (d.changedAt as string | null | undefined) ?? null };
    });
  }
  async centresWithAvailabilityChangedSince(since: Instant) {
    const snap = await this.buildQuery({
      collection: COLLECTIONS.availability,
      filters: [{ field: 'changedAt', op: '>=', value: since }],
    })
      .select('centreId')
      .get();
    return [...new Set(snap.docs.map((d) => d.get('centreId') as string))].sort();
  }
  async getPublishedThrough(centreId: string) {
    const d = data<DocumentData>(await this.reader.getDoc(COLLECTIONS.centres, centreId));
    return (d?.publishedThrough as string | undefined) ?? null;
  }
  /**
   * The message ledger, newest first: ordered by `createdAt` then `key`, both descending — composite
   * indexes (createdAt, key) and, with `to ==`, (to, createdAt, key).
   */
  async listSmsMessages(query: { limit: number; to?: string | undefined }) {
    if (query.limit <= 0) return [];
    const snap = await this.reader.query({
      collection: COLLECTIONS.smsMessages,
      filters: query.to === undefined ? [] : [{ field: 'to', op: '==', value: query.to }],
      orderBy: [
        { field: 'createdAt', direction: 'desc' },
        { field: 'key', direction: 'desc' },
      ],
      limit: query.limit,
    });
    return snap.docs.map((d) => withoutExpiry<SmsRecord>(d.data()));
  }
  /** A centre's batches: `centreId ==` (single-field index), then each one's shards, read together. */
  async listBatchesOfCentre(centreId: string): Promise<BatchWithStock[]> {
    const snap = await this.reader.query({
      collection: COLLECTIONS.batches,
      filters: [{ field: 'centreId', op: '==', value: centreId }],
    });
    const batches = await Promise.all(
      snap.docs.map(async (d): Promise<BatchWithStock> => {
        const stock = await this.stockOf(d.data());
        return { ...toBatch(d.data()), remaining: stock.remaining, wasted: stock.wasted };
      }),
    );
    return batches.sort(
      byKeys(
        (b) => b.createdAt,
        (b) => b.id,
      ),
    );
  }
  async getBatchStock(batchId: string): Promise<BatchStock | null> {
    const d = data<DocumentData>(await this.reader.getDoc(COLLECTIONS.batches, batchId));
    return d ? this.stockOf(d) : null;
  }
  /** The sum of a batch's shards. */
  private async stockOf(batch: DocumentData): Promise<BatchStock> {
    const id = batch.id as string;
    const shards = typeof batch.shards === 'number' ? batch.shards : 0;
    const ref = this.firestore.collection(COLLECTIONS.batches).doc(this.docKey(COLLECTIONS.batches, id));
    const snaps =
      shards > 0
        ? await this.firestore.getAll(...Array.from({ length: shards }, (_, k) => ref.collection(STOCK).doc(String(k))))
        : [];
    let remaining = 0;
    let wasted = 0;
    for (const snap of snaps) {
      remaining += (snap.get('remaining') as number | undefined) ?? 0;
      wasted += (snap.get('wasted') as number | undefined) ?? 0;
    }
    return { batchId: id, remaining, wasted };
  }
  async setPublishedThrough(centreId: string, date: LocalDate) {
    const ref = this.firestore.collection(COLLECTIONS.centres).doc(this.docKey(COLLECTIONS.centres, centreId));
    try {
      await ref.update({ publishedThrough: date });
    } catch (error) {
      // As the SQLite UPDATE: nothing happens for a centre that does not exist (NOT_FOUND).
      if ((error as { code?: unknown }).code !== 5) throw error;
    }
  }

  // The waiting room
  /** Shard k of a room's arrival counter. */
  queueShard(roomId: string, k: number) {
    return this.firestore
      .collection(COLLECTIONS.queueSequences)
      .doc(this.docKey(COLLECTIONS.queueSequences, `${roomId}~${k}`));
  }
  async getQueueRoom(id: string) {
    return data<QueueRoom>(await this.reader.getDoc(COLLECTIONS.queueRooms, id));
  }
  async getQueueTicket(roomId: string, patientId: string) {
    return data<QueueTicket>(await this.reader.getDoc(COLLECTIONS.queueTickets, queueTicketKey(roomId, patientId)));
  }
  async listUnplacedQueueTickets(roomId: string, limit: number) {
    if (limit <= 0) return [];
    const snap = await this.reader.query({
      collection: COLLECTIONS.queueTickets,
      filters: [
        { field: 'roomId', op: '==', value: roomId },
        { field: 'position', op: '==', value: null },
      ],
      orderBy: [
        { field: 'arrivedAt', direction: 'asc' },
        { field: 'patientId', direction: 'asc' },
      ],
      limit,
    });
    return snap.docs.map((d) => d.data() as QueueTicket);
  }
  async listQueueTicketsByPosition(roomId: string, from: number, through: number) {
    if (through < from) return [];
    const snap = await this.reader.query({
      collection: COLLECTIONS.queueTickets,
      filters: [
        { field: 'roomId', op: '==', value: roomId },
        { field: 'position', op: '>=', value: from },
        { field: 'position', op: '<=', value: through },
      ],
      orderBy: [{ field: 'position', direction: 'asc' }],
    });
    return snap.docs.map((d) => d.data() as QueueTicket);
  }
  async listExpiredQueueTickets(roomId: string, at: Instant, limit: number) {
    if (limit <= 0) return [];
    const snap = await this.reader.query({
      collection: COLLECTIONS.queueTickets,
      filters: [
        { field: 'roomId', op: '==', value: roomId },
        { field: 'status', op: '==', value: 'admitted' },
        { field: 'expiresAt', op: '<=', value: at },
      ],
      orderBy: [{ field: 'expiresAt', direction: 'asc' }],
      limit,
    });
    return snap.docs.map((d) => d.data() as QueueTicket);
  }
  async lastQueueSequence(roomId: string) {
    const snaps = await this.firestore.getAll(
      ...Array.from({ length: QUEUE_SHARDS }, (_, k) => this.queueShard(roomId, k)),
    );
    let last = 0;
    snaps.forEach((snap, k) => {
      const count = (snap.get('count') as number | undefined) ?? 0;
      if (count > 0) last = Math.max(last, (count - 1) * QUEUE_SHARDS + k + 1);
    });
    return last;
  }

  // The standby list
  /** Shard k of the standby list's joining counter. */
  standbyShard(k: number) {
    return this.firestore.collection(COLLECTIONS.standbySequences).doc(String(k));
  }
  async getStandbyEntry(patientId: string) {
    return data<StandbyEntry>(await this.reader.getDoc(COLLECTIONS.standbyEntries, patientId));
  }
  async getStandbyOffer(id: string) {
    return data<StandbyOffer>(await this.reader.getDoc(COLLECTIONS.standbyOffers, id));
  }
  /** `status ==`, `sequence >`, ordered by sequence: composite index (status, sequence). */
  async listStandbyEntries(query: { status: StandbyEntry['status']; afterSequence: number; limit: number }) {
    if (query.limit <= 0) return [];
    const snap = await this.reader.query({
      collection: COLLECTIONS.standbyEntries,
      filters: [
        { field: 'status', op: '==', value: query.status },
        { field: 'sequence', op: '>', value: query.afterSequence },
      ],
      orderBy: [{ field: 'sequence', direction: 'asc' }],
      limit: query.limit,
    });
    return snap.docs.map((d) => d.data() as StandbyEntry);
  }
  /** Counted by the server (`status in`, `sequence <`, on the same index), without reading the entries. */
  async countStandbyAhead(sequence: number) {
    const counted = await this.buildQuery({
      collection: COLLECTIONS.standbyEntries,
      filters: [
        { field: 'status', op: 'in', value: ['waiting', 'offered'] },
        { field: 'sequence', op: '<', value: sequence },
      ],
    })
      .count()
      .get();
    return counted.data().count;
  }
  /** Oldest note first: composite index (notedAt, slotId). */
  async listStandbyVacancies(limit: number) {
    if (limit <= 0) return [];
    const snap = await this.reader.query({
      collection: COLLECTIONS.standbyVacancies,
      filters: [],
      orderBy: [
        { field: 'notedAt', direction: 'asc' },
        { field: 'slotId', direction: 'asc' },
      ],
      limit,
    });
    return snap.docs.map((d) => d.data() as StandbyVacancy);
  }
  /** `status == 'open'`, `expiresAt <=`, ordered by expiresAt then id: composite index (status, expiresAt, id). */
  async listExpiredStandbyOffers(at: Instant, limit: number) {
    if (limit <= 0) return [];
    const snap = await this.reader.query({
      collection: COLLECTIONS.standbyOffers,
      filters: [
        { field: 'status', op: '==', value: 'open' },
        { field: 'expiresAt', op: '<=', value: at },
      ],
      orderBy: [
        { field: 'expiresAt', direction: 'asc' },
        { field: 'id', direction: 'asc' },
      ],
      limit,
    });
    return snap.docs.map((d) => d.data() as StandbyOffer);
  }
  /** `phone ==`, `status == 'open'`, newest first: composite index (phone, status, offeredAt desc, id desc). */
  async listOpenStandbyOffersOfPhone(phone: string) {
    const snap = await this.reader.query({
      collection: COLLECTIONS.standbyOffers,
      filters: [
        { field: 'phone', op: '==', value: phone },
        { field: 'status', op: '==', value: 'open' },
      ],
      orderBy: NEWEST_OFFERS_FIRST,
    });
    return snap.docs.map((d) => d.data() as StandbyOffer);
  }
  /** `patientId ==`, newest first: composite index (patientId, offeredAt desc, id desc). */
  async listStandbyOffersOfPatient(patientId: string, limit: number) {
    if (limit <= 0) return [];
    const snap = await this.reader.query({
      collection: COLLECTIONS.standbyOffers,
      filters: [{ field: 'patientId', op: '==', value: patientId }],
      orderBy: NEWEST_OFFERS_FIRST,
      limit,
    });
    return snap.docs.map((d) => d.data() as StandbyOffer);
  }

  /** Closes the client's channels. */
  close(): Promise<void> {
    return this.firestore.terminate();
  }
}
