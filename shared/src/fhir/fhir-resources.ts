import type { Appointment, Batch, Centre, Instant, LocalDate, Patient, StaffMember, Vaccine } from '../model.ts';
import {
  appointmentStatusOf,
  type Coding,
  cancellationReasonOf,
  FHIR_BASE,
  FHIR_SYSTEMS,
  NOT_GIVEN_CODES,
  productCodings,
  SITE_CODES,
  targetDiseaseOf,
  VACCINATION_SERVICE,
} from './fhir-codes.ts';

// The few FHIR R4 shapes the export writes, as plain data: the tests validate every one against HL7's
// StructureDefinitions, so these types need say no more than the mapping uses.

export interface CodeableConcept {
  coding?: Coding[];
  text?: string;
}
export interface Identifier {
  use?: 'official' | 'usual';
  system: string;
  value: string;
}
/** A reference by id to a resource the export also gives, or by identifier to one it does not (a centre, a staff member). */
export interface Reference {
  reference?: string;
  type?: string;
  identifier?: Identifier;
  display?: string;
}

export interface FhirPatient {
  resourceType: 'Patient';
  id: string;
  identifier: Identifier[];
  name?: Array<{ use: 'official'; family?: string; given?: string[] }>;
  telecom?: Array<{ system: 'phone'; value: string; use: 'mobile' | 'home' }>;
  gender: 'female' | 'male';
  birthDate: LocalDate;
  communication: Array<{ language: CodeableConcept; preferred: boolean }>;
}

export interface FhirImmunization {
  resourceType: 'Immunization';
  id: string;
  meta: { versionId: string; lastUpdated: Instant };
  identifier: Identifier[];
  status: 'completed' | 'not-done';
  statusReason?: CodeableConcept;
  vaccineCode: CodeableConcept;
  patient: Reference;
  occurrenceDateTime: Instant;
  primarySource: boolean;
  location: Reference;
  lotNumber?: string;
  expirationDate?: LocalDate;
  site?: CodeableConcept;
  performer?: Array<{ function?: CodeableConcept; actor: Reference }>;
  note?: Array<{ time: Instant; text: string }>;
  protocolApplied?: Array<{
    series: string;
    targetDisease?: CodeableConcept[];
    doseNumberPositiveInt: number;
    seriesDosesPositiveInt?: number;
  }>;
}

export interface FhirAppointment {
  resourceType: 'Appointment';
  id: string;
  meta: { versionId: string; lastUpdated: Instant };
  identifier: Identifier[];
  status: string;
  cancelationReason?: CodeableConcept;
  serviceType: CodeableConcept[];
  description: string;
  start: Instant;
  end: Instant;
  created: Instant;
  participant: Array<{ actor: Reference; status: 'accepted' }>;
}

export type FhirResource = FhirPatient | FhirImmunization | FhirAppointment;

export interface FhirBundle {
  resourceType: 'Bundle';
  type: 'collection';
  timestamp: Instant;
  entry: Array<{ fullUrl: string; resource: FhirResource }>;
}

/**
 * A FHIR id (`[A-Za-z0-9\-.]{1,64}`) for any of the system's ids (which join a prefix with `_`, as in
 * `apt_…`, which FHIR does not allow): every other character, and `.` itself, is written `.` and two
 * hex digits, so the mapping is one to one.
 */
export function fhirId(id: string): string {
  return id.replace(/[^A-Za-z0-9-]/g, (c) => `.${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** The person as a FHIR Patient: PESEL as the official identifier, names, birth date, sex, phone, language. */
export function toFhirPatient(patient: Patient): FhirPatient {
  const given = patient.givenName.split(/\s+/).filter((part) => part !== '');
  const named = given.length > 0 || patient.familyName.trim() !== '';
  const telecom: NonNullable<FhirPatient['telecom']> = [];
  if (patient.phone) telecom.push({ system: 'phone', value: patient.phone, use: 'mobile' });
  if (patient.landline) telecom.push({ system: 'phone', value: patient.landline, use: 'home' });
  return {
    resourceType: 'Patient',
    id: fhirId(patient.id),
    identifier: [
      { use: 'official', system: FHIR_SYSTEMS.pesel, value: patient.pesel },
      { use: 'usual', system: FHIR_SYSTEMS.patient, value: patient.id },
    ],
    // A record made by a text-message booking has no names until the person's first login.
    ...(named
      ? {
          name: [
            {
              use: 'official' as const,
              ...(patient.familyName.trim() ? { family: patient.familyName.trim() } : {}),
              ...(given.length > 0 ? { given } : {}),
            },
          ],
        }
      : {}),
    ...(telecom.length > 0 ? { telecom } : {}),
    gender: patient.sex,
    birthDate: patient.birthDate,
    communication: [
      { language: { coding: [{ system: FHIR_SYSTEMS.language, code: patient.language }] }, preferred: true },
    ],
  };
}

/** What a visit's resources are written from besides the visit itself. */
export interface VisitContext {
  centre: Centre;
  /** The product booked or given, from the catalogue (absent: a product no longer listed). */
  vaccines: readonly Vaccine[];
  /** The end of the visit's slot (absent: a slot since removed; the visit then ends where it starts). */
  end: Instant | null;
  /** The centre's batches and staff, by id. */
  batches: ReadonlyMap<string, Batch>;
  staff: ReadonlyMap<string, StaffMember>;
}

const patientReference = (patientId: string): Reference => ({ reference: `Patient/${fhirId(patientId)}` });
const centreReference = (centre: Centre, type: 'Location' | 'Organization'): Reference => ({
  type,
  identifier: { system: FHIR_SYSTEMS.centre, value: centre.id },
  display: centre.name,
});

function vaccineCodeOf(vaccineId: string, vaccines: readonly Vaccine[]): CodeableConcept {
  const name = vaccines.find((v) => v.id === vaccineId)?.name ?? vaccineId;
  return { coding: productCodings(vaccineId, name), text: name };
}

/**
 * A visit's vaccination as a FHIR Immunization, or null when the visit has none (booked, cancelled,
 * missed): a dose given is `completed` with its lot, expiry, site, dose number and who gave it, as last
 * corrected (each correction noted); a person who came and was not vaccinated is `not-done` with the
 * reason. Its id is the visit's, so a registry that fetches the day again replaces it.
 */
export function toFhirImmunization(appointment: Appointment, context: VisitContext): FhirImmunization | null {
  const base = {
    resourceType: 'Immunization' as const,
    id: fhirId(appointment.id),
    meta: { versionId: String(appointment.version), lastUpdated: appointment.updatedAt },
    identifier: [{ system: FHIR_SYSTEMS.visit, value: appointment.id }],
    patient: patientReference(appointment.patientId),
    primarySource: true,
    location: centreReference(context.centre, 'Location'),
  };
  const { completion, notGiven } = appointment;
  if (appointment.status === 'not_given' && notGiven) {
    const public_ = NOT_GIVEN_CODES[notGiven.reason];
    return {
      ...base,
      status: 'not-done',
      statusReason: {
        coding: [...(public_ ? [public_] : []), { system: FHIR_SYSTEMS.notGivenReason, code: notGiven.reason }],
        ...(notGiven.note ? { text: notGiven.note } : {}),
      },
      vaccineCode: vaccineCodeOf(appointment.vaccineId, context.vaccines),
      occurrenceDateTime: notGiven.at,
    };
  }
  if (appointment.status !== 'completed' || !completion) return null;
  const vaccine = context.vaccines.find((v) => v.id === completion.vaccineId);
  const batch = completion.batchId ? context.batches.get(completion.batchId) : undefined;
  const dose = completion.dose ?? appointment.dose;
  const disease = targetDiseaseOf(completion.vaccineId);
  const primary = vaccine ? dose <= vaccine.doses : true;
  const vaccinator = completion.vaccinatorId ? context.staff.get(completion.vaccinatorId) : undefined;
  const performer: NonNullable<FhirImmunization['performer']> = [];
  if (completion.vaccinatorId) {
    performer.push({
      function: {
        coding: [{ system: FHIR_SYSTEMS.performerFunction, code: 'AP', display: 'Administering Provider' }],
      },
      actor: {
        type: 'Practitioner',
        identifier: { system: FHIR_SYSTEMS.staff, value: completion.vaccinatorId },
        ...(vaccinator ? { display: vaccinator.name } : {}),
      },
    });
  }
  performer.push({ actor: centreReference(context.centre, 'Organization') });
  const corrections = appointment.corrections ?? [];
  return {
    ...base,
    status: 'completed',
    vaccineCode: vaccineCodeOf(completion.vaccineId, context.vaccines),
    occurrenceDateTime: completion.at,
    lotNumber: completion.lot,
    ...(batch ? { expirationDate: batch.expiry } : {}),
    ...(completion.site ? { site: { coding: [SITE_CODES[completion.site]] } } : {}),
    performer,
    ...(corrections.length > 0
      ? { note: corrections.map((c) => ({ time: c.at, text: `Record corrected: ${c.reason}` })) }
      : {}),
    protocolApplied: [
      {
        series: `${vaccine?.name ?? completion.vaccineId} ${primary ? 'primary course' : 'booster'}`,
        ...(disease ? { targetDisease: [{ coding: [disease] }] } : {}),
        doseNumberPositiveInt: dose,
        ...(vaccine && primary ? { seriesDosesPositiveInt: vaccine.doses } : {}),
      },
    ],
  };
}

/** A visit as a FHIR Appointment: its status, times, the person and the centre, the booking reference. */
export function toFhirAppointment(appointment: Appointment, context: VisitContext): FhirAppointment {
  const name = context.vaccines.find((v) => v.id === appointment.vaccineId)?.name ?? appointment.vaccineId;
  const { cancellation } = appointment;
  return {
    resourceType: 'Appointment',
    id: fhirId(appointment.id),
    meta: { versionId: String(appointment.version), lastUpdated: appointment.updatedAt },
    identifier: [
      { use: 'official', system: FHIR_SYSTEMS.bookingReference, value: appointment.reference },
      { system: FHIR_SYSTEMS.visit, value: appointment.id },
    ],
    status: appointmentStatusOf(appointment.status, appointment.checkedInAt !== null),
    ...(appointment.status === 'cancelled' && cancellation
      ? {
          cancelationReason: {
            coding: [
              cancellationReasonOf(cancellation.code, cancellation.by.role),
              ...(cancellation.code ? [{ system: FHIR_SYSTEMS.cancellationCode, code: cancellation.code }] : []),
            ],
          },
        }
      : {}),
    serviceType: [{ coding: [VACCINATION_SERVICE] }],
    description: `${name}, dose ${appointment.dose}`,
    start: appointment.start,
    end: context.end ?? appointment.start,
    created: appointment.createdAt,
    participant: [
      { actor: { ...patientReference(appointment.patientId), type: 'Patient' }, status: 'accepted' },
      { actor: centreReference(context.centre, 'Location'), status: 'accepted' },
    ],
  };
}

/** Where a resource of the bundle lives, as Bundle.entry.fullUrl wants it: absolute. */
export function fullUrlOf(resource: FhirResource): string {
  return `${FHIR_BASE}/${resource.resourceType}/${resource.id}`;
}

/** A person's own record as one FHIR Bundle of type `collection`: their Patient, then visits and vaccinations. */
export function toFhirCollection(resources: readonly FhirResource[], timestamp: Instant): FhirBundle {
  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp,
    entry: resources.map((resource) => ({ fullUrl: fullUrlOf(resource), resource })),
  };
}
