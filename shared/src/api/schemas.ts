import { z } from 'zod';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use the form YYYY-MM-DD.');
const time = z.string().regex(/^\d{2}:\d{2}$/, 'Use the form HH:MM.');
const id = z.string().min(1).max(200);
const reason = z.string().trim().min(3).max(500);
const language = z.enum(['pl', 'en', 'uk']);

export const LoginRequest = z.object({ assertion: z.string().min(1), language: language.optional() }).strict();

export const SearchQuery = z
  .object({
    postalCode: z.string().max(10).optional(),
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
    /** Agents and staff book for a patient; a patient books for themselves and may leave it out. */
    patientId: id.optional(),
    reason: reason.optional(),
  })
  .strict();

export const CancelRequest = z.object({ reason: reason.optional() }).strict();
export const RescheduleRequest = z.object({ slotId: id, reason: reason.optional() }).strict();
export const ReasonQuery = z.object({ reason: reason.optional() }).strict();
export const ContactRequest = z
  .object({ phone: z.string().max(30).nullable().optional(), language: language.optional(), reason: reason.optional() })
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
  })
  .strict();

export const CancelDayRequest = z.object({ reason }).strict();
export const CompleteRequest = z.object({ vaccineId: id, lot: z.string().max(40), at: z.string().optional() }).strict();
export const DayQuery = z.object({ date }).strict();

export const RuleRequest = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('birthYear'),
      bornInOrBefore: z.number().int(),
      from: date,
      description: z.string().max(200).optional(),
    })
    .strict(),
  z
    .object({ kind: z.literal('group'), group: z.string(), from: date, description: z.string().max(200).optional() })
    .strict(),
]);

export const OnboardRequest = z
  .object({
    name: z.string().trim().min(3).max(200),
    address: z
      .object({
        street: z.string().trim().min(1).max(200),
        postalCode: z.string(),
        city: z.string().trim().min(1).max(100),
        voivodeship: z.string().trim().min(1).max(60),
      })
      .strict(),
    location: z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }).strict(),
    timeZone: z.string().default('Europe/Warsaw'),
    phone: z.string().max(20).nullable().default(null),
    schedule: Schedule,
    staff: z
      .array(z.object({ name: z.string().trim().min(2).max(100), email: z.email() }).strict())
      .min(1)
      .max(50),
  })
  .strict();

export const FindPatientRequest = z.object({ pesel: z.string(), reason }).strict();

export const GroupMemberRequest = z.object({ pesel: z.string(), group: z.string(), reason }).strict();

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
export const CentreAppointmentParams = z.object({ centreId: id, appointmentId: id }).strict();

/** A client's key for one booking attempt: retried with the same key, the request books once. */
export const IdempotencyKey = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{8,128}$/, 'Use 8 to 128 characters: letters, digits and _ . : -');

/** Headers are named as HTTP spells them; the router looks them up whatever their case. */
export const BookHeaders = z.object({ 'Idempotency-Key': IdempotencyKey.optional() });
