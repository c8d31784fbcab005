/** Calendar date in a centre's or person's local calendar, `YYYY-MM-DD`. */
export type LocalDate = string;
/** Wall-clock time of day, `HH:MM` (24 h). */
export type LocalTime = string;
/** An instant, ISO 8601 in UTC (`2026-03-29T06:00:00.000Z`). */
export type Instant = string;

export type Language = 'pl' | 'en' | 'uk';
export type Sex = 'female' | 'male';
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/**
 * A person, as far as it is verified. Names come only from the identity provider; the phone only from
 * the provider, from the person after logging in, or from an agent after an audited look-up. What a
 * text message says (a phone that booked for someone) is never kept here: it belongs to that booking
 * (`Appointment.unverifiedBooking`).
 */
export interface Patient {
  id: string;
  pesel: string;
  /** As the identity provider gave them at the person's last login; empty until their first one (a record made by booking by text). */
  givenName: string;
  familyName: string;
  birthDate: LocalDate;
  sex: Sex;
  /** The person's own mobile, E.164, when known: the verified contact, never a phone that only texted us. */
  phone: string | null;
  language: Language;
  /** Priority groups the person belongs to (e.g. `medical`), granted by referral. */
  groups: string[];
  createdAt: Instant;
  /**
   * `phone`: registered by a hotline agent for a caller who never logged in, from what the caller said
   * (names, PESEL, phone) after the checking questions; the centre checks their identity document.
   * Cleared by the person's first login through the identity provider.
   */
  registeredBy?: 'phone';
  /** A landline the person gave the hotline: noted to call them back, never texted (absent: none). */
  landline?: string | null;
}

export interface Vaccine {
  id: string;
  name: string;
  manufacturer: string;
  platform: 'mRNA' | 'vector';
  /** Doses in the primary course. */
  doses: number;
  /** Days between consecutive primary doses (ignored when doses = 1). */
  minIntervalDays: number;
  maxIntervalDays: number;
  minAgeYears: number;
  /** The interval the centres plan for between primary doses: `minIntervalDays` ≤ it ≤ `maxIntervalDays`. */
  recommendedIntervalDays: number;
  /** Whether this product may be given as a booster. */
  usableAsBooster: boolean;
  /** The products whose primary course this one may follow as a booster (itself included when it may). */
  mayFollow: string[];
  /** Withdrawn: no new first doses or boosters; courses already begun with it may finish. Absent: in use. */
  withdrawn?: boolean;
}

export interface TimeRange {
  from: LocalTime;
  to: LocalTime;
}

export interface WeeklyTemplate {
  /** Opening hours per weekday; a missing day is closed. */
  days: Partial<Record<Weekday, TimeRange[]>>;
  slotMinutes: number;
  /** People per slot, per vaccine id. */
  capacity: Record<string, number>;
}

export interface CentreSchedule {
  weekly: WeeklyTemplate;
  /** Days the centre is closed all day. */
  closedDates: LocalDate[];
  extraHours: Array<{ date: LocalDate } & TimeRange>;
  /**
   * Days the centre closes early: no slot begins at or after `from` (local time) that day; slots that
   * began before it stay. Absent on schedules saved before early closing existed.
   */
  closedFrom?: Array<{ date: LocalDate; from: LocalTime }>;
}

export interface Address {
  street: string;
  postalCode: string;
  city: string;
  voivodeship: string;
  /**
   * Seven-digit TERC code of the centre's gmina in the TERYT register of Statistics Poland (`1465011`
   * Warszawa): the urban gmina, or the town of an urban-rural gmina; a city of districts has its own code.
   * Its first two digits are the voivodeship's, the next two the powiat's, so reports count by all three
   * from it. Absent on a centre onboarded without it.
   */
  teryt?: string;
}

export interface GeoPoint {
  lat: number;
  lon: number;
}

/** Whether a centre takes bookings: `suspended` for a while (visits kept), `closed` for good from a date. */
export const CENTRE_STATUSES = ['active', 'suspended', 'closed'] as const;
export type CentreStatus = (typeof CENTRE_STATUSES)[number];

export interface Centre {
  id: string;
  name: string;
  address: Address;
  location: GeoPoint;
  /** IANA zone, e.g. `Europe/Warsaw`. */
  timeZone: string;
  phone: string | null;
  schedule: CentreSchedule;
  createdAt: Instant;
  /** Absent on centres onboarded before it was kept: `active`. */
  status?: CentreStatus;
  /** The last change of status: to what, why (none for a resumption), when and by whom; absent before any. */
  statusChange?: { to: CentreStatus; reason: string | null; at: Instant; by: Actor };
  /** The centre-local date from which a closed centre has no visits and no slots. */
  closedFrom?: LocalDate;
  /** The products it may give; its schedule offers only these. Absent on older centres: any product. */
  vaccineIds?: string[];
  /** The centre's contact e-mail (absent on older centres). */
  email?: string | null;
}

export interface Slot {
  id: string;
  centreId: string;
  vaccineId: string;
  start: Instant;
  end: Instant;
  /** The centre-local date of `start`. */
  localDate: LocalDate;
  capacity: number;
  booked: number;
}

/** `not_given`: the person came but was not vaccinated (see `Appointment.notGiven`). */
export type AppointmentStatus = 'booked' | 'completed' | 'cancelled' | 'no_show' | 'not_given';

/** Where the dose went in. */
export type InjectionSite = 'left_deltoid' | 'right_deltoid' | 'left_thigh' | 'right_thigh';
export const INJECTION_SITES: readonly InjectionSite[] = ['left_deltoid', 'right_deltoid', 'left_thigh', 'right_thigh'];

/** Why a person who came was not vaccinated. */
export type NotGivenReason = 'declined' | 'contraindication' | 'unwell' | 'other';
export const NOT_GIVEN_REASONS: readonly NotGivenReason[] = ['declined', 'contraindication', 'unwell', 'other'];

/**
 * What a recording notes but never refuses: the product differs from the one booked or from the
 * course's first dose, the dose number from the course, or the interval since the previous dose lies
 * outside the product's.
 */
export type VaccinationWarning =
  | 'PRODUCT_DIFFERS_FROM_BOOKING'
  | 'PRODUCT_DIFFERS_FROM_FIRST_DOSE'
  | 'DOSE_DIFFERS_FROM_COURSE'
  | 'INTERVAL_TOO_SHORT'
  | 'INTERVAL_TOO_LONG';

/**
 * A vaccination as recorded at the centre. Records made before batches and sites were kept have only
 * the product, the lot, who recorded it and when.
 */
export interface Completion {
  vaccineId: string;
  /** The lot number as printed on the vial (the batch's number when a batch was chosen). */
  lot: string;
  batchId?: string;
  /** The dose number given, when recorded: it may differ from the course's (`Appointment.dose`). */
  dose?: number;
  site?: InjectionSite;
  /** Staff ids: who gave the dose, and who was responsible for it. */
  vaccinatorId?: string;
  responsibleId?: string;
  warnings?: VaccinationWarning[];
  /** Who recorded it. */
  by: Actor;
  /** When the dose was given. */
  at: Instant;
}

/** A recording corrected: what it was before, who changed it, when and why. */
export interface CompletionCorrection {
  before: Completion;
  reason: string;
  by: Actor;
  at: Instant;
}

/**
 * `sms`: a phone that texted us; its id is the number (E.164). It proves who holds the phone, not who the
 * person is. `supervisor`: the hotline's privacy officer.
 */
export type ActorRole =
  | 'patient'
  | 'agent'
  | 'staff'
  | 'admin'
  | 'system'
  | 'sms'
  | 'supervisor'
  | 'analyst'
  /** A public-health registry's system fetching the FHIR export. */
  | 'registry';

export interface Actor {
  role: ActorRole;
  id: string;
}

/**
 * A booking made through a channel that proves only who holds a phone (a text message), not who the
 * person is. That phone is the booking's contact — its messages go there, in the language it texted
 * in — and never becomes the person's; the centre checks the person's identity at the visit.
 */
export interface UnverifiedBooking {
  channel: 'sms';
  /** E.164 of the phone that booked. */
  phone: string;
  language: Language;
}

export interface Appointment {
  id: string;
  patientId: string;
  centreId: string;
  slotId: string;
  vaccineId: string;
  /** 1-based dose number in the person's vaccination history (a booster is doses + 1). */
  dose: number;
  /** Appointments booked together (a course's doses) share a booking id. */
  bookingId: string;
  /**
   * The booking's reference, which the person quotes and the centre scans at check-in: 8 characters
   * without 0, O, 1 or I (booking-reference.ts), shared by the visits booked together, unique.
   */
  reference: string;
  status: AppointmentStatus;
  start: Instant;
  /** The centre-local date of the visit. */
  localDate: LocalDate;
  /** Grows by one on every change, so that messages about an older state can be recognised. */
  version: number;
  bookedBy: Actor;
  /** Present when booked by text message (and until the person moves the visit themselves): see UnverifiedBooking. */
  unverifiedBooking?: UnverifiedBooking;
  createdAt: Instant;
  updatedAt: Instant;
  checkedInAt: Instant | null;
  /** `code`: why, as the apps and messages tell it (absent on visits cancelled before codes were kept). */
  cancellation: { reason: string; code?: CancellationCode; by: Actor; at: Instant } | null;
  completion: Completion | null;
  /** Earlier versions of the recording, oldest first: a correction never erases what was recorded. */
  corrections?: CompletionCorrection[];
  /** Set when the person came and was not vaccinated; `note` only with reason `other`. */
  notGiven?: { reason: NotGivenReason; note: string | null; by: Actor; at: Instant };
}

/**
 * Why a visit was cancelled; the words said to the person stay in `reason`, and a later dose cancelled
 * with an earlier one carries the earlier one's code. `requested`: by the patient, an agent or staff (the
 * actor says who); `dose_missed`: the earlier dose was missed; `day_cancelled`: the centre cancelled the
 * day; `capacity_removed`: a schedule change took the place away.
 */
export type CancellationCode = 'requested' | 'dose_missed' | 'day_cancelled' | 'capacity_removed';

/** What every eligibility rule has, whoever it opens booking to. */
export interface RuleOpening {
  id: string;
  /** The country's date of the opening. */
  from: LocalDate;
  /** The instant of the opening (e.g. 20:00 on `from`); absent: midnight at the start of `from`. */
  opensAt?: Instant | undefined;
  /** The voivodeship (slug) whose centres the rule opens; absent: every centre. */
  region?: string | undefined;
  /** When an opening was paused: until resumed nobody books under it. Absent: not paused. */
  pausedAt?: Instant | undefined;
  description: string;
}

/**
 * Who a rule opens booking to: people born in a year or earlier; people aged `minAge` or more on a date;
 * members of a priority group.
 */
export type EligibilityRule = RuleOpening &
  (
    | { kind: 'birthYear'; bornInOrBefore: number }
    | { kind: 'ageOnDate'; minAge: number; onDate: LocalDate }
    | { kind: 'group'; group: string }
  );

/** What a proposed change of the eligibility policy does: open new rules, resume a paused one, cancel one. */
export const POLICY_ACTIONS = ['open', 'resume', 'cancel'] as const;
export type PolicyAction = (typeof POLICY_ACTIONS)[number];
export const POLICY_CHANGE_STATUSES = ['pending', 'approved', 'rejected', 'withdrawn'] as const;
export type PolicyChangeStatus = (typeof POLICY_CHANGE_STATUSES)[number];

/**
 * A change of the eligibility policy proposed by one administrator; it takes effect only when a second
 * one approves it. `rules` (for `open`): the rules as they will be stored; `ruleId`: the rule resumed or
 * cancelled; `version`: the policy version its approval made.
 */
export interface PolicyChange {
  id: string;
  action: PolicyAction;
  rules?: EligibilityRule[];
  ruleId?: string;
  note: string;
  status: PolicyChangeStatus;
  /** The administrator's id. */
  proposedBy: string;
  proposedAt: Instant;
  decidedBy?: string;
  decidedAt?: Instant;
  decisionNote?: string;
  version?: number;
}

/**
 * The eligibility rules as they stood from `at` until the next version: written by each approved change
 * (`changeId`) and each pause (`changeId` null); `by`: the administrator whose act made it.
 */
export interface PolicyVersion {
  version: number;
  at: Instant;
  rules: EligibilityRule[];
  changeId: string | null;
  by: string;
}

export interface Referral {
  id: string;
  patientId: string;
  /** The eligibility rule that granted it. */
  ruleId: string;
  issuedAt: Instant;
  validUntil: Instant;
}

export interface StaffMember {
  id: string;
  name: string;
  email: string;
  centreId: string;
  /** What they may do there (principal.ts `CentreRole`): their sessions carry it. */
  role: 'staff' | 'centre-manager';
}

export interface AuditRecord {
  id: string;
  actor: Actor;
  /** Whose data was reached; null when a look-up found no one (no one's data was seen). */
  patientId: string | null;
  action: string;
  reason: string;
  at: Instant;
  /** A hotline look-up's reason as chosen from the list (`reason` holds the words of `other`). */
  reasonCode?: LookupReason;
  /** What a reveal showed (`phone`, `pesel`, `landline`). */
  field?: string;
}

/**
 * Why a hotline agent looks a caller up, chosen before anything personal is shown: the caller books,
 * changes or asks about their own visit, a relative books for the person, or `other` (with words).
 */
export const LOOKUP_REASONS = [
  'caller-booking',
  'caller-changing',
  'caller-asking',
  'relative-booking',
  'other',
] as const;
export type LookupReason = (typeof LOOKUP_REASONS)[number];

/**
 * An agent's leave to act on one patient, written by an audited look-up of that person and good until
 * `until`; one per agent and patient, a new look-up renews it.
 */
export interface AccessGrant {
  agentId: string;
  patientId: string;
  until: Instant;
}

export interface IdempotencyRecord {
  key: string;
  requestHash: string;
  response: unknown;
  createdAt: Instant;
}

/** A booking reference taken: what makes each one unique, and the booking it leads to. */
export interface BookingReference {
  reference: string;
  bookingId: string;
  patientId: string;
  createdAt: Instant;
}

/**
 * An identity provider's assertion already exchanged for a session, by its unique id (`jti`): kept
 * until the assertion expires, so that it is exchanged once.
 */
export interface UsedAssertion {
  id: string;
  usedAt: Instant;
  expiresAt: Instant;
}

/** A batch is `active` while it may be used; `depleted` once its last dose is gone or the manager closed it. */
export type BatchStatus = 'active' | 'depleted';

/**
 * One delivery of a product's lot to a centre. Its stock (doses left, doses wasted) is kept beside it
 * as counters (`BatchStock`), because many desks count it down at once.
 */
export interface Batch {
  id: string;
  centreId: string;
  vaccineId: string;
  /** The lot number as printed (2–30 letters, digits or dashes, kept in capitals); unique per centre and product. */
  number: string;
  /** The last day the batch may be used, in the centre's calendar. */
  expiry: LocalDate;
  /** Doses delivered. */
  doses: number;
  status: BatchStatus;
  createdAt: Instant;
  createdBy: Actor;
  depletedAt?: Instant;
}

/** The counters of a batch: doses left, and doses lost without being given (their reasons are on `dose.wasted` events). */
export interface BatchStock {
  batchId: string;
  remaining: number;
  wasted: number;
}

/**
 * Why doses were lost: `broken` vial or syringe, `expired`, `temperature` (cold chain broken),
 * `drawn_not_given` (drawn up, then not given), `other` (with words), `closed` (left in a batch the
 * manager closed).
 */
export type WasteReason = 'broken' | 'expired' | 'temperature' | 'drawn_not_given' | 'other' | 'closed';

/**
 * A sign-in of a hotline agent or supervisor as the server follows it: when it began and when it was
 * last used, so that it ends after `Settings.hotlineIdleMinutes` idle and `Settings.hotlineSessionHours`
 * in all, in every process alike.
 */
export interface HotlineSession {
  /** The sign-in's id, as its tokens name it. */
  id: string;
  actor: Actor;
  startedAt: Instant;
  lastSeenAt: Instant;
  /** When the record may go: the sign-in cannot last beyond it. */
  expiresAt: Instant;
}

/**
 * A count the hotline keeps in a window: an agent's look-ups in an hour (`budget:…`), the agents who
 * looked one person up in a day (`patient:…`). Whether the window's alert was raised, so it is raised once.
 */
export interface LookupTally {
  key: string;
  count: number;
  /** The distinct agents counted (for a person's day); empty for an agent's own hour. */
  agents: string[];
  alerted: boolean;
  /** When the window is over and the record may go. */
  expiresAt: Instant;
}

/** A PESEL whose every look-up alerts the supervisors (a public figure, a person at risk). */
export interface WatchEntry {
  id: string;
  pesel: string;
  /** Why it is watched, for the supervisors. */
  note: string;
  addedBy: Actor;
  addedAt: Instant;
}

// The administration: priority-group referrals and announcements

/**
 * A standing referral of a PESEL to a priority group, from an uploaded list: kept whether or not the
 * person has registered, and given to them at their first login. One per PESEL and group.
 */
export interface GroupReferral {
  pesel: string;
  group: string;
  /** The upload that first referred this PESEL to this group. */
  uploadId: string;
  at: Instant;
  /** The administrator who uploaded it. */
  by: string;
}

/** One list of referrals taken in: its counts only, never a PESEL. */
export interface GroupUpload {
  id: string;
  fileName: string;
  at: Instant;
  /** The administrator who uploaded it. */
  by: string;
  rows: number;
  accepted: number;
  rejected: number;
  groups: string[];
}

/** A notice the ministry shows everyone in the patients' app and the hotline console between two instants. */
export interface Announcement {
  id: string;
  text: { pl: string; en: string; uk: string };
  from: Instant;
  until: Instant;
  /** The administrator who wrote it. */
  createdBy: string;
  createdAt: Instant;
  updatedAt: Instant;
}

/**
 * What raises a hotline alert: an agent past their hourly look-up budget, one person looked up by many
 * agents in a day, a look-up of a watched PESEL.
 */
export type AlertKind = 'lookup_budget' | 'many_agents' | 'watch_list';

/** Something for the supervisors to look at, until one of them acknowledges it. */
export interface HotlineAlert {
  id: string;
  kind: AlertKind;
  agentId: string | null;
  patientId: string | null;
  at: Instant;
  /** The count that crossed the threshold (look-ups, agents); null for a watched PESEL. */
  count: number | null;
  acknowledged: { by: Actor; at: Instant; note: string } | null;
}

/** A supervisor's finding on a sampled look-up. */
export type ReviewOutcome = 'justified' | 'unjustified' | 'unclear';
export const REVIEW_OUTCOMES: readonly ReviewOutcome[] = ['justified', 'unjustified', 'unclear'];

/** A look-up drawn in the daily sample, queued for a supervisor's verdict. */
export interface LookupReview {
  /** The look-up's audit record id: a look-up is drawn at most once. */
  id: string;
  /** The local date whose look-ups the sample was drawn from. */
  date: LocalDate;
  agentId: string;
  patientId: string | null;
  reasonCode: LookupReason | null;
  reason: string;
  /** When the look-up was made. */
  at: Instant;
  queuedAt: Instant;
  verdict: { outcome: ReviewOutcome; note: string; by: Actor; at: Instant } | null;
}
