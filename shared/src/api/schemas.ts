import { z } from 'zod';
import { AGE_BANDS } from '../age-bands.ts';
import { MAX_BATCH_DOSES, MAX_WASTED_AT_ONCE, WASTE_REASONS } from '../batches.ts';
import { FHIR_DAY_FILES } from '../fhir/fhir-codes.ts';
import { MAX_REFERRAL_FILE_BYTES } from '../group-referrals.ts';
import {
  CENTRE_STATUSES,
  INJECTION_SITES,
  LOOKUP_REASONS,
  NOT_GIVEN_REASONS,
  POLICY_CHANGE_STATUSES,
  REVIEW_OUTCOMES,
} from '../model.ts';
import { CENTRE_ROLES } from '../principal.ts';
import { OPEN_DATA_FILES } from '../reports.ts';
import { SCHEDULING_FILES, SCHEDULING_REGIONS, type SchedulingFile } from '../scheduling-links.ts';
import { TERYT_VOIVODESHIPS } from '../teryt.ts';
import { isValidLocalDate } from '../time-zone.ts';
import { MAX_ANNOUNCEMENT_CHARS } from '../use-cases/announcements.ts';

/** C0 and C1 control characters (NUL, tab, newline, DEL, …) and the Unicode line and paragraph separators. */
const CONTROL_OR_BREAK = /[\p{Cc}\u2028\u2029]/u;

/**
 * A free-text field: trimmed, without control characters, line breaks or lone surrogates, in NFC,
 * then `min`..`max` characters long. Every text a person types goes through it.
 */
export function text({ min = 0, max }: { min?: number; max: number }) {
  return z
    .string()
    .trim()
    .refine((s) => !CONTROL_OR_BREAK.test(s), 'Control characters and line breaks are not allowed.')
    .refine((s) => s.isWellFormed(), 'The text holds a broken character (a lone UTF-16 surrogate).')
    .normalize('NFC')
    .min(min, min === 1 ? 'Must not be empty.' : `Use at least ${min} characters.`)
    .max(max, `Use at most ${max} characters.`);
}

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use the form YYYY-MM-DD.');
const time = z.string().regex(/^\d{2}:\d{2}$/, 'Use the form HH:MM.');
const id = text({ min: 1, max: 200 });
const reason = text({ min: 3, max: 500 });
const language = z.enum(['pl', 'en', 'uk']);

export const LoginRequest = z
  .object({ assertion: text({ min: 1, max: 16_384 }), language: language.optional() })
  .strict();

export const SearchQuery = z
  .object({
    postalCode: text({ max: 10 }).optional(),
    town: text({ min: 2, max: 100 }).optional(),
    lat: z.coerce.number().min(-90).max(90).optional(),
    lon: z.coerce.number().min(-180).max(180).optional(),
    vaccineId: id.optional(),
    from: date.optional(),
    to: date.optional(),
    limit: z.coerce.number().int().min(1).max(50).optional(),
    slotsPerCentre: z.coerce.number().int().min(1).max(10).optional(),
    radiusKm: z.coerce.number().min(1).max(700).optional(),
  })
  .strict();

export const BookRequest = z
  .object({
    slotId: id,
    /** The slot chosen for the course's next dose; left out, the earliest free one in its interval. */
    nextSlotId: id.optional(),
    /** Agents and staff book for a patient; a patient books for themselves and may leave it out. */
    patientId: id.optional(),
    reason: reason.optional(),
  })
  .strict();

export const PreviewRequest = z
  .object({
    slotId: id,
    /** Agents and staff ask for a patient; a patient asks for themselves and may leave it out. */
    patientId: id.optional(),
    reason: reason.optional(),
  })
  .strict();

export const FreeSlotsQuery = z.object({ vaccineId: id, from: date, to: date }).strict();

export const CancelRequest = z.object({ reason: reason.optional() }).strict();
export const RescheduleRequest = z.object({ slotId: id, reason: reason.optional() }).strict();
export const ReasonQuery = z.object({ reason: reason.optional() }).strict();
export const ContactRequest = z
  .object({
    phone: text({ max: 30 }).nullable().optional(),
    landline: text({ max: 30 }).nullable().optional(),
    language: language.optional(),
    reason: reason.optional(),
  })
  .strict();

const range = z.object({ from: time, to: time }).strict();
export const Schedule = z
  .object({
    weekly: z
      .object({
        days: z.partialRecord(z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']), z.array(range).max(6)),
        slotMinutes: z.number().int(),
        capacity: z.record(z.string(), z.number().int()),
      })
      .strict(),
    closedDates: z.array(date).max(400).default([]),
    extraHours: z
      .array(z.object({ date, from: time, to: time }).strict())
      .max(400)
      .default([]),
    /** Days closed from a time to the end of the day (a day closed early by cancelling its rest). */
    closedFrom: z
      .array(z.object({ date, from: time }).strict())
      .max(400)
      .optional(),
  })
  .strict();

/**
 * A schedule as a manager saves it, with the visits they agreed to cancel: the ids the preview named.
 * A change that would cancel a visit not listed is refused and writes nothing.
 */
export const ScheduleChange = Schedule.extend({
  confirmCancellations: z.array(id).max(5000).optional(),
}).strict();

export const CancelDayRequest = z
  .object({
    reason,
    /** Cancel only the rest of the day, from this local time; left out, the whole day. */
    from: time.optional(),
  })
  .strict();
const vaccination = {
  vaccineId: id,
  /** The centre's batch the dose came from: its lot number is recorded. */
  batchId: id,
  /** The dose number given; left out, the course's. */
  dose: z.number().int().optional(),
  site: z.enum(INJECTION_SITES),
  /** When the dose was given (ISO 8601); left out, now. */
  at: text({ max: 40 }).optional(),
  vaccinatorId: id.optional(),
  responsibleId: id.optional(),
};

export const CompleteRequest = z.object(vaccination).strict();
/** `at`: when the person arrived, for a check-in made without a network and sent later. */
export const CheckInRequest = z.object({ at: text({ max: 40 }).optional() }).strict();
export const WalkInRequest = z
  .object({
    pesel: text({ max: 20 }),
    givenName: text({ min: 1, max: 100 }),
    familyName: text({ min: 1, max: 100 }),
    vaccineId: id,
    /** The person's mobile, given at the desk (optional). */
    phone: text({ max: 30 }).optional(),
    language: z.enum(['pl', 'en', 'uk']).optional(),
  })
  .strict();
export const CorrectRequest = z.object({ ...vaccination, reason }).strict();
export const NotGivenRequest = z
  .object({ reason: z.enum(NOT_GIVEN_REASONS), note: text({ max: 200 }).optional() })
  .strict();
export const DayQuery = z
  .object({
    date,
    /** The `asOf` of an earlier answer: only the visits changed since then. */
    since: text({ max: 40 }).optional(),
  })
  .strict();

export const BatchRequest = z
  .object({
    vaccineId: id,
    /** The lot number as printed; the use case checks its form. */
    number: text({ min: 1, max: 40 }),
    expiry: date,
    doses: z.number().int().min(1).max(MAX_BATCH_DOSES),
  })
  .strict();
export const WasteRequest = z
  .object({
    count: z.number().int().min(1).max(MAX_WASTED_AT_ONCE),
    reason: z.enum(WASTE_REASONS),
    /** What happened; required with reason `other`. */
    note: text({ max: 200 }).optional(),
  })
  .strict();

// The administration: eligibility policy.
/** An ISO 8601 instant with its offset; the use cases check that it names a real moment. */
const instant = z
  .string()
  .max(40)
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/,
    'Use an ISO instant, e.g. 2026-01-15T19:00:00Z.',
  );
const draftOpening = {
  opensAt: instant,
  region: text({ min: 1, max: 60 }).optional(),
  description: text({ max: 200 }).optional(),
};
/** A rule as drafted: whom it opens to, when it opens, where (a voivodeship slug), its words. */
export const RuleDraft = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('birthYear'), bornInOrBefore: z.number().int(), ...draftOpening }).strict(),
  z.object({ kind: z.literal('ageOnDate'), minAge: z.number().int(), onDate: date, ...draftOpening }).strict(),
  z.object({ kind: z.literal('group'), group: text({ max: 40 }), ...draftOpening }).strict(),
]);
const policyNote = text({ max: 500 }).optional();
export const PolicyChangeRequest = z.discriminatedUnion('action', [
  z.object({ action: z.literal('open'), rules: z.array(RuleDraft).min(1).max(60), note: policyNote }).strict(),
  z.object({ action: z.literal('resume'), ruleId: id, note: policyNote }).strict(),
  z.object({ action: z.literal('cancel'), ruleId: id, note: policyNote }).strict(),
]);
export const PolicyAtQuery = z.object({ at: instant.optional() }).strict();
export const PolicyChangesQuery = z.object({ status: z.enum(POLICY_CHANGE_STATUSES).optional() }).strict();
export const PolicyChangeParams = z.object({ changeId: id }).strict();
export const RuleParams = z.object({ ruleId: id }).strict();
export const ApproveChangeRequest = z.object({ note: policyNote }).strict();
export const RejectChangeRequest = z.object({ note: text({ min: 3, max: 500 }) }).strict();
export const WithdrawChangeRequest = z.object({ note: policyNote }).strict();
export const PauseRuleRequest = z.object({ reason }).strict();

export const OnboardRequest = z
  .object({
    name: text({ min: 3, max: 200 }),
    address: z
      .object({
        street: text({ min: 1, max: 200 }),
        postalCode: text({ max: 10 }),
        city: text({ min: 1, max: 100 }),
        voivodeship: text({ min: 1, max: 60 }),
        teryt: z
          .string()
          .regex(/^\d{7}$/, 'Use the seven-digit TERC code of the gmina, e.g. 1465011.')
          .optional(),
      })
      .strict(),
    location: z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }).strict(),
    timeZone: text({ max: 64 }).default('Europe/Warsaw'),
    phone: text({ max: 20 }).nullable().default(null),
    /** The products the centre may give; left out, those its schedule offers. */
    vaccineIds: z.array(id).min(1).max(20).optional(),
    /** The centre's contact e-mail. */
    email: text({ max: 254 }).nullable().optional(),
    schedule: Schedule,
    staff: z
      .array(
        z
          .object({
            name: text({ min: 2, max: 100 }),
            email: z.email(),
            role: z.enum(CENTRE_ROLES).default('staff'),
          })
          .strict(),
      )
      .min(1)
      .max(50),
  })
  .strict();

// The administration: centres and the vaccine catalogue.
export const CentreSearchQuery = z
  .object({
    q: text({ max: 100 }).optional(),
    voivodeship: text({ max: 60 }).optional(),
    status: z.enum(CENTRE_STATUSES).optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
  })
  .strict();
export const SuspendCentreRequest = z.object({ reason }).strict();
export const CloseCentreRequest = z.object({ reason, from: date }).strict();
/** A product's definition; ranges are checked by the catalogue (admin-vaccines.ts), naming the field. */
export const VaccineDefinition = z
  .object({
    id: text({ min: 1, max: 40 }),
    name: text({ min: 1, max: 100 }),
    manufacturer: text({ min: 1, max: 100 }),
    platform: z.enum(['mRNA', 'vector']),
    doses: z.number().int(),
    minIntervalDays: z.number().int(),
    recommendedIntervalDays: z.number().int(),
    maxIntervalDays: z.number().int(),
    minAgeYears: z.number().int(),
    usableAsBooster: z.boolean(),
    mayFollow: z.array(text({ min: 1, max: 40 })).max(50),
    withdrawn: z.boolean().optional(),
  })
  .strict();
export const VaccineImpactRequest = z.object({ vaccine: VaccineDefinition }).strict();
export const SaveVaccineRequest = z
  .object({ vaccine: VaccineDefinition, acknowledgedAffected: z.number().int().min(0) })
  .strict();
export const VaccineParams = z.object({ vaccineId: id }).strict();

const staffMember = {
  name: text({ min: 2, max: 100 }),
  email: z.email(),
  role: z.enum(CENTRE_ROLES).default('staff'),
};

export const AddStaffRequest = z.object(staffMember).strict();
export const StaffRoleRequest = z.object({ role: z.enum(CENTRE_ROLES) }).strict();

export const FindPatientRequest = z.object({ pesel: text({ max: 20 }), reason }).strict();

export const GroupMemberRequest = z.object({ pesel: text({ max: 20 }), group: text({ max: 40 }), reason }).strict();

// The administration: priority-group referrals and announcements
export const GroupReferralsRequest = z
  .object({
    fileName: text({ min: 1, max: 200 }),
    // The file as it is, rows and line breaks: its size in bytes and its rows are checked as it is read.
    csv: z.string().max(MAX_REFERRAL_FILE_BYTES, `The file must be at most ${MAX_REFERRAL_FILE_BYTES} bytes (1 MB).`),
  })
  .strict();
const announcementText = text({ min: 1, max: MAX_ANNOUNCEMENT_CHARS });
const announcementInstant = z.iso.datetime({
  offset: true,
  message: 'Use an ISO 8601 instant, e.g. 2026-03-01T08:00:00Z.',
});
export const AnnouncementRequest = z
  .object({
    text: z.object({ pl: announcementText, en: announcementText, uk: announcementText }).strict(),
    from: announcementInstant,
    until: announcementInstant,
  })
  .strict();
export const AnnouncementParams = z.object({ announcementId: id }).strict();

export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    field: z.string().optional(),
    details: z.record(z.string(), z.unknown()).optional(),
    correlationId: z.string().optional(),
  }),
});

export const PatientParams = z.object({ patientId: id }).strict();
export const AppointmentParams = z.object({ appointmentId: id }).strict();
export const CentreParams = z.object({ centreId: id }).strict();
export const CentreDayParams = z.object({ centreId: id, date }).strict();
export const CentreReferenceParams = z.object({ centreId: id, reference: text({ min: 1, max: 40 }) }).strict();
export const CentreBatchParams = z.object({ centreId: id, batchId: id }).strict();
export const CentreAppointmentParams = z.object({ centreId: id, appointmentId: id }).strict();
export const CentreStaffParams = z.object({ centreId: id, staffId: id }).strict();

/** A client's key for one booking attempt: retried with the same key, the request books once. */
export const IdempotencyKey = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{8,128}$/, 'Use 8 to 128 characters: letters, digits and _ . : -');

/** Headers are named as HTTP spells them; the router looks them up whatever their case. */
export const BookHeaders = z.object({ 'Idempotency-Key': IdempotencyKey.optional() });
/** A desk's change of a visit, which a device may send again after a lost answer or from its offline queue. */
export const DeskHeaders = BookHeaders;

// ---- The hotline: agents' look-ups and bookings, supervisors' review -------------------------------

const lookupReason = z.enum(LOOKUP_REASONS);
/** The words of the reason `other` (the use case requires them with it). */
const lookupNote = text({ max: 300 }).optional();

export const LookupRequest = z
  .object({
    by: z.enum(['pesel', 'reference', 'phone']),
    /** The PESEL, the booking reference or the phone number, as the caller said it. */
    value: text({ min: 1, max: 40 }),
    reason: lookupReason,
    note: lookupNote,
  })
  .strict();

export const RevealRequest = z.object({ field: z.enum(['phone', 'landline', 'pesel']) }).strict();

export const RegisterCallerRequest = z
  .object({
    pesel: text({ max: 20 }),
    givenName: text({ min: 1, max: 100 }),
    familyName: text({ min: 1, max: 100 }),
    /** A mobile (texted), or else… */
    phone: text({ min: 1, max: 30 }).optional(),
    /** …a landline (noted to call back, never texted): one of the two. */
    landline: text({ min: 1, max: 30 }).optional(),
    language: language.optional(),
    reason: lookupReason,
    note: lookupNote,
    /** The agent asked the checking questions and the caller answered them. */
    checked: z.boolean(),
  })
  .strict();

export const WatchRequest = z.object({ pesel: text({ max: 20 }), note: text({ min: 3, max: 200 }) }).strict();
export const UnwatchRequest = z.object({ pesel: text({ max: 20 }).optional(), entryId: id.optional() }).strict();

export const AuditQuerySchema = z
  .object({
    agentId: id.optional(),
    patientId: id.optional(),
    reason: lookupReason.optional(),
    from: date.optional(),
    to: date.optional(),
    limit: z.coerce.number().int().min(1).max(200).optional(),
    /** The `next` of the previous page. */
    after: text({ max: 300 }).optional(),
  })
  .strict();

export const AlertsQuery = z.object({ open: z.enum(['true', 'false']).optional() }).strict();
export const AcknowledgeRequest = z.object({ note: text({ max: 300 }).optional() }).strict();
export const AlertParams = z.object({ alertId: id }).strict();

export const ReviewsQuery = z.object({ pending: z.enum(['true', 'false']).optional() }).strict();
export const VerdictRequest = z
  .object({ outcome: z.enum(REVIEW_OUTCOMES), note: text({ max: 500 }).optional() })
  .strict();
export const ReviewParams = z.object({ reviewId: id }).strict();

export const HouseholdRequest = z
  .object({
    /** The slot chosen for the first person: the others are booked at its centre, as close to it as there is room. */
    slotId: id,
    /** Everyone the agent looked up, in the order the caller named them (one to five). */
    patientIds: z.array(id).min(1).max(5),
    reason,
  })
  .strict();

export const ResendRequest = z.object({ reason: reason.optional() }).strict();

/**
 * What a report is narrowed to: its dates (both or neither; the last 28 days when left out, at most
 * 366 days), a voivodeship's TERYT code, an age band, a product.
 */
export const ReportQuery = z
  .object({
    from: date.optional(),
    to: date.optional(),
    voivodeship: z
      .string()
      .refine((code) => TERYT_VOIVODESHIPS.some((v) => v.teryt === code), 'Use a voivodeship’s TERYT code, e.g. 14.')
      .optional(),
    ageBand: z.enum(AGE_BANDS).optional(),
    vaccineId: id.optional(),
  })
  .strict();

/** One of the open data files (shared/src/reports.ts). */
export const OpenDataParams = z
  .object({
    file: z.enum(OPEN_DATA_FILES, { error: `Use one of ${OPEN_DATA_FILES.join(', ')}.` }),
  })
  .strict();

// The administration: the preview of an eligibility change
/** The drafts a preview weighs: the same drafts a policy change proposes. */
export const PreviewRuleDraft = RuleDraft;

export const PolicyPreviewRequest = z.object({ rules: z.array(PreviewRuleDraft).min(1).max(60) }).strict();

// The waiting room
export const JoinQueueRequest = z.object({ patientId: id, reason: reason.optional() }).strict();
export const QueueSmsRequest = z.object({ notify: z.boolean(), reason: reason.optional() }).strict();
/** The signed ticket of the waiting room (`QueueView.ticket`), which the gate checks when given. */
export const QueueTicketHeaders = z.object({ 'Queue-Ticket': z.string().min(1).max(512).optional() });
/** A booking: its idempotency key and the booker's queue ticket. */
export const QueuedBookHeaders = BookHeaders.extend(QueueTicketHeaders.shape);

// FHIR R4 export for registries, and a patient's own record
const fhirDay = date.refine(isValidLocalDate, 'No such day.');
/** The day of a FHIR export: the centres' local date of its visits. */
export const FhirDayParams = z.object({ date: fhirDay }).strict();
/** One file of a day's FHIR export. */
export const FhirDayFileParams = z
  .object({
    date: fhirDay,
    file: z.enum(FHIR_DAY_FILES, { error: `Use one of ${FHIR_DAY_FILES.join(', ')}.` }),
  })
  .strict();
// The standby list
export const StandbyOfferParams = z.object({ patientId: id, offerId: id }).strict();
/** The places a person would take: dates, how far from a postal code, which products (left out: any). */
export const StandbyRequest = z
  .object({
    from: date,
    to: date,
    postalCode: text({ min: 5, max: 6 }),
    maxKm: z.number().int().min(1).max(700),
    vaccineIds: z.array(id).min(1).max(20).nullable().optional(),
    reason: reason.optional(),
  })
  .strict();
export const StandbyDecisionRequest = z.object({ reason: reason.optional() }).strict();
/** A centre's doses left today that would otherwise be wasted: how many, of which product, until when. */
export const WouldBeWastedRequest = z
  .object({ vaccineId: id, doses: z.number().int().min(1).max(200), until: time })
  .strict();
// Scheduling links
/** `_since` is checked by the handler (parseSince), so its refusal names the parameter as FHIR spells it. */
export const SchedulingQuery = z.object({ _since: z.string().max(64).optional() }).strict();
export const SchedulingFileParams = z
  .object({
    voivodeship: z.enum(SCHEDULING_REGIONS as [string, ...string[]], {
      error: `Use a voivodeship's two-digit TERYT code: ${SCHEDULING_REGIONS.join(', ')}.`,
    }),
    file: z.enum(Object.keys(SCHEDULING_FILES) as [SchedulingFile, ...SchedulingFile[]], {
      error: `Use one of ${Object.keys(SCHEDULING_FILES).join(', ')}.`,
    }),
  })
  .strict();
