import type { DomainEvent } from './events.ts';
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
  LookupReason,
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
} from './model.ts';
import type { Principal } from './principal.ts';
import type { SmsPhoneDay, SmsRecord, SmsSession } from './sms.ts';
import type { StandbyEntry, StandbyOffer, StandbyVacancy } from './standby.ts';
import type { QueueRoom, QueueTicket } from './waiting-room.ts';

/** Where time comes from, so tests can stand at any moment (a DST change, the eve of a visit). */
export interface Clock {
  now(): Date;
}

/** Where new identifiers come from. */
export interface Ids {
  next(prefix: string): string;
  /** A new booking reference candidate (booking-reference.ts): random in every runtime, counted in tests. */
  reference(): string;
}

/** How many of a day's first free slots the availability read model lists. */
export const LISTED_FIRST_SLOTS = 5;

/** Free places of one centre, day and vaccine: the search read model, updated from events. */
export interface Availability {
  centreId: string;
  localDate: LocalDate;
  vaccineId: string;
  free: number;
  /** Start of the first slot with room that day, or null when full. */
  firstFree: Instant | null;
  /** The day's first few slots with room, soonest first. */
  firstSlots: Array<{ slotId: string; start: Instant; free: number }>;
}

export interface FreeSlotQuery {
  centreId: string;
  vaccineIds: readonly string[] | null;
  from: Instant;
  /** Exclusive upper bound; null for no bound. */
  to: Instant | null;
  limit: number;
}

/** What doses taken from a batch go to: given to people, or wasted (the wasted counter grows too). */
export type DoseUse = 'given' | 'wasted';

/** What a taking of doses did. */
export interface DoseTaking {
  /** Doses taken: the count asked for, or with `'all'` every dose that was left. */
  taken: number;
  /** Whether the batch has no dose left after this taking (it took the last). */
  emptied: boolean;
}

/** A batch with its counters, as a centre's list shows it. */
export interface BatchWithStock extends Batch {
  remaining: number;
  wasted: number;
}

/**
 * One unit of work. All reads come before all writes (Firestore requires it); writes are applied
 * together at commit. The callback may run more than once, so it must have no side effects.
 */
export interface Transaction {
  getSlot(id: string): Promise<Slot | null>;
  getAppointment(id: string): Promise<Appointment | null>;
  listAppointmentsOfPatient(patientId: string): Promise<Appointment[]>;
  /** Appointments holding a place in the slot (not cancelled). */
  listActiveAppointmentsOfSlot(slotId: string): Promise<Appointment[]>;
  getPatient(id: string): Promise<Patient | null>;
  getPatientByPesel(pesel: string): Promise<Patient | null>;
  getReferral(patientId: string): Promise<Referral | null>;
  // The administration: priority-group referrals and announcements
  /** The groups a PESEL is referred to (registered or not), by group. */
  listGroupReferrals(pesel: string): Promise<GroupReferral[]>;
  /** The upload of a list whose rows have this digest (`ReferralFile.digest`), or null when none was taken in. */
  getGroupUpload(digest: string): Promise<GroupUpload | null>;
  getAnnouncement(id: string): Promise<Announcement | null>;
  /** Writes a referral, replacing the one of the same PESEL and group. */
  putGroupReferral(referral: GroupReferral): void;
  /** Records a list as taken in, under its rows' digest. */
  putGroupUpload(digest: string, upload: GroupUpload): void;
  /** Writes an announcement, replacing the one of the same id. */
  putAnnouncement(announcement: Announcement): void;
  getIdempotency(key: string): Promise<IdempotencyRecord | null>;
  getCentre(id: string): Promise<Centre | null>;
  getStaff(id: string): Promise<StaffMember | null>;
  /** The staff member whose sign-in e-mail this is (given in lower case), at any centre, or null. */
  getStaffByEmail(email: string): Promise<StaffMember | null>;
  /** A centre's staff and managers. */
  listStaffOfCentre(centreId: string): Promise<StaffMember[]>;
  listSlotsOfCentreDay(centreId: string, date: LocalDate): Promise<Slot[]>;
  /** Slots with room left, soonest first. */
  findFreeSlots(query: FreeSlotQuery): Promise<Slot[]>;
  listEligibilityRules(): Promise<EligibilityRule[]>;
  // The administration: eligibility policy.
  getPolicyChange(id: string): Promise<PolicyChange | null>;
  /** The policy version of the highest number, or null when none was written yet. */
  getLatestPolicyVersion(): Promise<PolicyVersion | null>;
  /** The message ledger entry of a key. */
  getSmsMessage(key: string): Promise<SmsRecord | null>;
  /** The SMS conversation with a phone number (E.164), expired or not. */
  getSmsSession(phone: string): Promise<SmsSession | null>;
  /** The people a phone asked to book for over SMS on a local day, or null when it asked for none. */
  getSmsPhoneDay(phone: string, date: LocalDate): Promise<SmsPhoneDay | null>;
  /** An agent's leave to act on a patient (expired or not), or null when the agent never looked them up. */
  getAccessGrant(agentId: string, patientId: string): Promise<AccessGrant | null>;
  /** The record of an identity provider's assertion already exchanged for a session, or null. */
  getUsedAssertion(id: string): Promise<UsedAssertion | null>;
  /** A booking reference already taken, or null. */
  getBookingReference(reference: string): Promise<BookingReference | null>;
  getBatch(id: string): Promise<Batch | null>;
  /** The batch of a centre's product under a lot number (as stored, in capitals), or null. */
  getBatchByNumber(centreId: string, vaccineId: string, number: string): Promise<Batch | null>;
  /**
   * Takes doses from a batch's stock: `count` of them, or with `'all'` every dose left. It reads the
   * stock and writes it, so a caller does every other read of the unit first and takes from at most
   * one batch per unit; a read after it is refused, as after any write. Fewer doses left than `count`
   * throws `OUT_OF_STOCK` (batches.ts `outOfStock`) and leaves the stock as it was; no store lets a
   * counter go below zero. A store may spread the counter over several records (Firestore does), so
   * the answer says only whether the batch is now empty, not how many are left.
   */
  takeDoses(batchId: string, count: number | 'all', use: DoseUse): Promise<DoseTaking>;
  /** A hotline sign-in as last recorded, or null when none was (expired ones may be gone). */
  getHotlineSession(id: string): Promise<HotlineSession | null>;
  /** The people whose mobile or landline is this number (E.164), at most `limit`, by id. */
  listPatientsByPhone(phone: string, limit: number): Promise<Patient[]>;
  /** A hotline count by its key, or null when nothing was counted yet (or its window is long over). */
  getTally(key: string): Promise<LookupTally | null>;
  /** The watch-list entry of a PESEL, or null when it is not watched. */
  getWatchEntry(pesel: string): Promise<WatchEntry | null>;
  getAlert(id: string): Promise<HotlineAlert | null>;
  getReview(id: string): Promise<LookupReview | null>;
  // The administration: centres and the vaccine catalogue.
  /** The stored vaccine catalogue, by id; empty until it is first seeded (vaccine-catalogue.ts). */
  listVaccines(): Promise<Vaccine[]>;

  putSlot(slot: Slot): void;
  deleteSlot(id: string): void;
  putAppointment(appointment: Appointment): void;
  putPatient(patient: Patient): void;
  putReferral(referral: Referral): void;
  putIdempotency(record: IdempotencyRecord): void;
  putCentre(centre: Centre): void;
  putStaff(staff: StaffMember): void;
  /** Removes a staff member's record: their sessions end with it (`LiveSubjectIdentity`). */
  deleteStaff(id: string): void;
  putEligibilityRule(rule: EligibilityRule): void;
  // The administration: eligibility policy.
  /** Removes a rule from the rules in force (the policy versions keep it). */
  deleteEligibilityRule(id: string): void;
  /** Writes a change, replacing the one of the same id (its decision). */
  putPolicyChange(change: PolicyChange): void;
  /** Records a policy version; a second version of one number fails the commit, so two approvals cannot both make it. */
  putPolicyVersion(version: PolicyVersion): void;
  addAudit(record: AuditRecord): void;
  /** Transactional outbox: the event commits or vanishes with the change it describes. */
  addEvent(event: DomainEvent): void;
  putSmsMessage(record: SmsRecord): void;
  putSmsSession(session: SmsSession): void;
  deleteSmsSession(phone: string): void;
  /** Writes a phone's day, replacing the one of the same phone and date. */
  putSmsPhoneDay(day: SmsPhoneDay): void;
  /** Writes an agent's leave to act on a patient, replacing an earlier one of the same pair. */
  putAccessGrant(grant: AccessGrant): void;
  /** Records an assertion as exchanged, until it expires; a second record of one id fails the commit. */
  putUsedAssertion(record: UsedAssertion): void;
  /** Takes a booking reference; a second record of one reference fails the commit. */
  putBookingReference(record: BookingReference): void;
  /**
   * Records a new batch with its stock (all its doses left, none wasted); a second batch of one id,
   * or of one centre, product and number, fails the commit.
   */
  addBatch(batch: Batch): void;
  /** Rewrites a batch's record (its status); its stock stays as the takings left it. */
  putBatch(batch: Batch): void;
  /** Records a hotline sign-in's use, replacing the record of the same id. */
  putHotlineSession(session: HotlineSession): void;
  putTally(tally: LookupTally): void;
  putWatchEntry(entry: WatchEntry): void;
  deleteWatchEntry(pesel: string): void;
  /** Writes an alert, replacing the one of the same id (its acknowledgement). */
  putAlert(alert: HotlineAlert): void;
  /** Writes a review, replacing the one of the same id (its verdict). */
  putReview(review: LookupReview): void;
  // The administration: centres and the vaccine catalogue.
  /** Writes a product of the catalogue, replacing the one of the same id. */
  putVaccine(vaccine: Vaccine): void;
  // The waiting room
  getQueueRoom(id: string): Promise<QueueRoom | null>;
  /** A person's ticket in a room, or null when they have not joined. */
  getQueueTicket(roomId: string, patientId: string): Promise<QueueTicket | null>;
  /**
   * The next arrival number of a room (1, 2, …), never handed out twice. It reads and writes its
   * counter, so it comes after every other read of the unit (as `takeDoses`). A store may spread the
   * counter over several records (Firestore does): numbers are then unique but may leave gaps.
   */
  takeQueueSequence(roomId: string): Promise<number>;
  /** Writes a room, replacing the one of the same id. */
  putQueueRoom(room: QueueRoom): void;
  /** Writes a ticket, replacing the one of the same room and patient. */
  putQueueTicket(ticket: QueueTicket): void;
  // The standby list
  /** A person's standby entry, or null when they never joined. */
  getStandbyEntry(patientId: string): Promise<StandbyEntry | null>;
  getStandbyOffer(id: string): Promise<StandbyOffer | null>;
  /** The place noted for a slot, or null. */
  getStandbyVacancy(slotId: string): Promise<StandbyVacancy | null>;
  /**
   * The next joining number of the standby list (1, 2, …), never handed out twice. It reads and writes
   * its counter, so it comes after every other read of the unit (as `takeQueueSequence`); numbers may
   * leave gaps.
   */
  takeStandbySequence(): Promise<number>;
  /** Writes an entry, replacing the person's one. */
  putStandbyEntry(entry: StandbyEntry): void;
  /** Writes an offer, replacing the one of the same id. */
  putStandbyOffer(offer: StandbyOffer): void;
  /** Notes a place worth offering, replacing the slot's note. */
  putStandbyVacancy(vacancy: StandbyVacancy): void;
  /** Drops a slot's note; no error when there is none. */
  deleteStandbyVacancy(slotId: string): void;
}

/** Which audit records a supervisor asks for: every filter given must hold; newest first. */
export interface AuditQuery {
  actorId?: string | undefined;
  patientId?: string | undefined;
  reasonCode?: LookupReason | undefined;
  action?: string | undefined;
  /** From this instant (included)… */
  from?: Instant | undefined;
  /** …to this one (excluded). */
  to?: Instant | undefined;
  limit: number;
  /** The last record of the previous page: the page continues after it. */
  after?: { at: Instant; id: string } | undefined;
}

/** The system of record. Reads outside a transaction serve screens and search, and may be slightly stale. */
export interface Store {
  /**
   * Runs one unit of work, retrying it on contention. A store that gives up because other
   * transactions kept winning the same records throws a `conflict` with code `CONTENDED`.
   */
  runInTransaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  getCentre(id: string): Promise<Centre | null>;
  listCentres(): Promise<Centre[]>;
  getPatient(id: string): Promise<Patient | null>;
  // The administration: priority-group referrals and announcements
  /** The lists of referrals taken in, newest first, at most `limit`. */
  listGroupUploads(limit: number): Promise<GroupUpload[]>;
  /** Announcements latest-ending first (by `until`, then id); only those ending after `endingAfter` when given. */
  listAnnouncements(query: { endingAfter?: Instant | undefined; limit: number }): Promise<Announcement[]>;
  getAppointment(id: string): Promise<Appointment | null>;
  getSlot(id: string): Promise<Slot | null>;
  listAppointmentsOfPatient(patientId: string): Promise<Appointment[]>;
  listAppointmentsOfCentreDay(centreId: string, date: LocalDate): Promise<Appointment[]>;
  /** The visits booked under a reference (already parsed), soonest first; empty when none. */
  listAppointmentsByReference(reference: string): Promise<Appointment[]>;
  listSlotsOfCentreDay(centreId: string, date: LocalDate): Promise<Slot[]>;
  findFreeSlots(query: FreeSlotQuery): Promise<Slot[]>;
  /**
   * A centre's first day with free places between two dates, one entry per product with room that
   * day (only `vaccineId` when given); empty when none. The search read model.
   */
  firstAvailableDay(
    centreId: string,
    from: LocalDate,
    to: LocalDate,
    vaccineId: string | null,
  ): Promise<Availability[]>;
  /**
   * The free places of every centre and product on the days from..to (inclusive), summed over the
   * availability read model: what the waiting room shows the people in it.
   */
  countFreePlaces(from: LocalDate, to: LocalDate): Promise<number>;
  getStaff(id: string): Promise<StaffMember | null>;
  listStaffOfCentre(centreId: string): Promise<StaffMember[]>;
  listEligibilityRules(): Promise<EligibilityRule[]>;
  // The administration: eligibility policy.
  /** Policy changes, of one status when given, newest first (by `proposedAt`, then id), at most `limit`. */
  listPolicyChanges(query: { status?: PolicyChangeStatus | undefined; limit: number }): Promise<PolicyChange[]>;
  /** Every policy version, by number. */
  listPolicyVersions(): Promise<PolicyVersion[]>;
  listAudit(patientId: string): Promise<AuditRecord[]>;
  /** Audit records matching a query, newest first (by `at`, then id), a page at a time. */
  queryAudit(query: AuditQuery): Promise<AuditRecord[]>;
  /** The watch list, by when each entry was added. */
  listWatchList(): Promise<WatchEntry[]>;
  /** Alerts newest first; only those still open (or only acknowledged ones) when asked. */
  listAlerts(query: { open?: boolean | undefined; limit: number }): Promise<HotlineAlert[]>;
  /** Sampled look-ups, newest sample first; only those awaiting a verdict (or only decided ones) when asked. */
  listReviews(query: { pending?: boolean | undefined; limit: number }): Promise<LookupReview[]>;
  /** The last local date for which a centre's slots have been published. */
  getPublishedThrough(centreId: string): Promise<LocalDate | null>;
  setPublishedThrough(centreId: string, date: LocalDate): Promise<void>;
  /** The message ledger, newest first (by `createdAt`, then key); only those to `to` when given. */
  listSmsMessages(query: { limit: number; to?: string | undefined }): Promise<SmsRecord[]>;
  /** A centre's batches with their counters, oldest first (by `createdAt`, then id). */
  listBatchesOfCentre(centreId: string): Promise<BatchWithStock[]>;
  /** A batch's counters, or null when there is no such batch. */
  getBatchStock(batchId: string): Promise<BatchStock | null>;
  // The administration: centres and the vaccine catalogue.
  /** The stored vaccine catalogue, by id; empty until it is first seeded (vaccine-catalogue.ts). */
  listVaccines(): Promise<Vaccine[]>;
  /**
   * Visits still booked (not cancelled, not completed) of one product that start at or after `from`,
   * soonest first (then by id), at most `limit`: what a change of the product's definition may touch.
   */
  listBookedAppointmentsOfVaccine(vaccineId: string, from: Instant, limit: number): Promise<Appointment[]>;
  // The waiting room
  getQueueRoom(id: string): Promise<QueueRoom | null>;
  getQueueTicket(roomId: string, patientId: string): Promise<QueueTicket | null>;
  /** A room's tickets without a position yet, by arrival (then patient id), at most `limit`. */
  listUnplacedQueueTickets(roomId: string, limit: number): Promise<QueueTicket[]>;
  /** A room's tickets whose positions lie in `[from, through]`, by position. */
  listQueueTicketsByPosition(roomId: string, from: number, through: number): Promise<QueueTicket[]>;
  /** A room's admitted tickets whose time to book ended at or before `at`, by `expiresAt`, at most `limit`. */
  listExpiredQueueTickets(roomId: string, at: Instant, limit: number): Promise<QueueTicket[]>;
  // Scheduling links
  /**
   * A centre's places per day and product from `from` on, full days included, by date then product, each
   * with when it last changed (null: before changes were stamped): the published availability reads the
   * search read model one centre at a time (a few hundred rows), never the slots.
   */
  availabilityForPublication(
    centreId: string,
    from: LocalDate,
  ): Promise<Array<Availability & { changedAt: Instant | null }>>;
  /** The centres with a day's places changed at or after `since`. */
  centresWithAvailabilityChangedSince(since: Instant): Promise<string[]>;
  /** The highest arrival number a room has handed out (0 when none). */
  lastQueueSequence(roomId: string): Promise<number>;
  // The standby list
  getStandbyEntry(patientId: string): Promise<StandbyEntry | null>;
  getStandbyOffer(id: string): Promise<StandbyOffer | null>;
  /** Entries with `status` in joining order (by `sequence`), after `afterSequence` (exclusive), at most `limit`. */
  listStandbyEntries(query: {
    status: StandbyEntry['status'];
    afterSequence: number;
    limit: number;
  }): Promise<StandbyEntry[]>;
  /** How many entries still `waiting` or `offered` joined before `sequence`: the people ahead of a person. */
  countStandbyAhead(sequence: number): Promise<number>;
  /** Noted places, oldest note first (by `notedAt`, then slot id), at most `limit`. */
  listStandbyVacancies(limit: number): Promise<StandbyVacancy[]>;
  /** Open offers whose hold ended at or before `at`, by `expiresAt` (then id), at most `limit`. */
  listExpiredStandbyOffers(at: Instant, limit: number): Promise<StandbyOffer[]>;
  /** Open offers texted to a phone (E.164), newest first. */
  listOpenStandbyOffersOfPhone(phone: string): Promise<StandbyOffer[]>;
  /** A person's offers, newest first (by `offeredAt`, then id), at most `limit`. */
  listStandbyOffersOfPatient(patientId: string, limit: number): Promise<StandbyOffer[]>;
}

/** What a trusted identity provider says about the person who just logged in. */
export interface VerifiedIdentity {
  pesel: string;
  givenName: string;
  familyName: string;
  phone: string | null;
}

export interface Session {
  token: string;
  expiresAt: Instant;
  /**
   * `bearer`: the token goes in `Authorization: Bearer` as it is. `firebase-custom-token`: the web app
   * signs in to Firebase with it and sends the ID token Firebase gives it.
   */
  kind: 'bearer' | 'firebase-custom-token';
}

/** A trusted provider's assertion, verified: the person, and what lets it be exchanged only once. */
export interface VerifiedAssertion {
  person: VerifiedIdentity;
  /** The assertion's unique id (its `jti`). */
  id: string;
  /** When the assertion stops being valid; its use is remembered until then. */
  expiresAt: Instant;
}

/** Identity: trusted provider assertions in, session tokens out, session tokens verified on every request. */
export interface Identity {
  verifyAssertion(assertion: string): Promise<VerifiedAssertion>;
  issueSession(principal: Principal): Promise<Session>;
  verifySession(token: string): Promise<Principal>;
}

/**
 * The sign-in accounts of a centre's people, kept with the identity provider that lets them sign in.
 * Both calls are idempotent, so a use case retried after a failure may call them again.
 */
export interface StaffAccounts {
  /**
   * Creates or updates the member's account: uid = staff id, e-mail, display name, and the claims
   * `{ role, centreId }` that their sessions carry.
   */
  provision(member: StaffMember): Promise<void>;
  /** Ends the member's sessions and refuses new ones (refresh tokens revoked, account disabled); no error when absent. */
  revoke(staffId: string): Promise<void>;
}

/** Consumes outbox events after commit; delivery is at least once, so handlers are keyed by event id. */
export interface EventConsumer {
  readonly name: string;
  handle(event: DomainEvent): Promise<void>;
  /** Called after a batch of events, before the batch is recorded as delivered (to coalesce work). */
  afterBatch?(): Promise<void>;
}

/** How a booking or a cancellation reached us: the app, the hotline, a text message, a centre's desk. */
export type BookingChannel = 'web' | 'phone' | 'sms' | 'desk';

/**
 * What the use cases tell the operators' metrics once a change is committed: each booking and
 * cancellation by its channel, each refused booking by its code, each text message's outcome. A
 * runtime without metrics tells no one (`deps.telemetry` absent).
 */
export interface Telemetry {
  booked(channel: BookingChannel, count: number): void;
  cancelled(channel: BookingChannel, count: number): void;
  bookingRefused(code: string): void;
  smsOutcome(outcome: 'sent' | 'failed' | 'delivered' | 'undelivered'): void;
}
