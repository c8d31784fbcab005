import type { ActorRole, AppointmentStatus, CancellationCode, InjectionSite, NotGivenReason } from '../model.ts';

/**
 * The base of the system's own FHIR URLs: its identifier systems (visits, booking references,
 * centres, staff) and its code systems for what no public one names. One constant, so that a
 * deployment on its own domain changes it in one place (docs/fhir.md).
 */
export const FHIR_BASE = 'https://e-registration.example/fhir';

/** The resource files of a day's export, each one resource a line (NDJSON). */
export const FHIR_DAY_FILES = ['Immunization.ndjson', 'Appointment.ndjson', 'Patient.ndjson'] as const;
export type FhirDayFile = (typeof FHIR_DAY_FILES)[number];

/** The identifier and code systems the export names (docs/fhir.md lists them with their sources). */
export const FHIR_SYSTEMS = {
  /** PESEL, as Polish eHealth (HL7 Poland's profiles) names it. */
  pesel: 'urn:oid:2.16.840.1.113883.3.4424.1.1.616',
  /** Medicinal products authorised in the EU, by their Union Register number (as the EU Digital COVID Certificate names them). */
  euProduct: 'https://ec.europa.eu/health/documents/community-register/html/',
  /** CDC's vaccine administered codes. */
  cvx: 'http://hl7.org/fhir/sid/cvx',
  snomed: 'http://snomed.info/sct',
  actSite: 'http://terminology.hl7.org/CodeSystem/v3-ActSite',
  actReason: 'http://terminology.hl7.org/CodeSystem/v3-ActReason',
  performerFunction: 'http://terminology.hl7.org/CodeSystem/v2-0443',
  cancellationReason: 'http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason',
  language: 'urn:ietf:bcp:47',
  /** The system's own: a product of the catalogue with no public code (added by the administration). */
  vaccine: `${FHIR_BASE}/CodeSystem/vaccine`,
  /** The system's own: why a person who came was not vaccinated, as the centre recorded it. */
  notGivenReason: `${FHIR_BASE}/CodeSystem/not-given-reason`,
  /** The system's own: why a visit was cancelled. */
  cancellationCode: `${FHIR_BASE}/CodeSystem/cancellation-code`,
  /** Identifiers the system gives. */
  visit: `${FHIR_BASE}/sid/visit`,
  bookingReference: `${FHIR_BASE}/sid/booking-reference`,
  patient: `${FHIR_BASE}/sid/patient`,
  centre: `${FHIR_BASE}/sid/centre`,
  staff: `${FHIR_BASE}/sid/staff`,
} as const;

export interface Coding {
  system: string;
  code: string;
  display?: string;
}

/** COVID-19 (SNOMED CT 840539006, "Disease caused by SARS-CoV-2"), the disease the catalogue's products target. */
export const COVID_19: Coding = { system: FHIR_SYSTEMS.snomed, code: '840539006', display: 'COVID-19' };

/** "Administration of vaccine to produce active immunity" (SNOMED CT), the service every visit books. */
export const VACCINATION_SERVICE: Coding = {
  system: FHIR_SYSTEMS.snomed,
  code: '33879002',
  display: 'Administration of vaccine to produce active immunity',
};

/**
 * The public codes of the products the catalogue ships with: the EU Union Register number and the CVX
 * code, and the disease they target. A product the administration adds later has none and is coded in
 * the system's own vaccine system by its id.
 */
const PRODUCT_CODES: Readonly<Record<string, { eu: Coding; cvx: Coding; targets: Coding }>> = {
  comirnaty: {
    eu: { system: FHIR_SYSTEMS.euProduct, code: 'EU/1/20/1528', display: 'Comirnaty' },
    cvx: { system: FHIR_SYSTEMS.cvx, code: '208' },
    targets: COVID_19,
  },
  spikevax: {
    eu: { system: FHIR_SYSTEMS.euProduct, code: 'EU/1/20/1507', display: 'Spikevax' },
    cvx: { system: FHIR_SYSTEMS.cvx, code: '207' },
    targets: COVID_19,
  },
  vaxzevria: {
    eu: { system: FHIR_SYSTEMS.euProduct, code: 'EU/1/21/1529', display: 'Vaxzevria' },
    cvx: { system: FHIR_SYSTEMS.cvx, code: '210' },
    targets: COVID_19,
  },
  jcovden: {
    eu: { system: FHIR_SYSTEMS.euProduct, code: 'EU/1/20/1525', display: 'COVID-19 Vaccine Janssen' },
    cvx: { system: FHIR_SYSTEMS.cvx, code: '212' },
    targets: COVID_19,
  },
};

/** A product's codes: its public ones where known (EU number first), else the system's own by id. */
export function productCodings(vaccineId: string, name: string): Coding[] {
  const known = PRODUCT_CODES[vaccineId];
  if (known) return [known.eu, known.cvx];
  return [{ system: FHIR_SYSTEMS.vaccine, code: vaccineId, display: name }];
}

/** The disease a product targets, when known. */
export function targetDiseaseOf(vaccineId: string): Coding | null {
  return PRODUCT_CODES[vaccineId]?.targets ?? null;
}

/** Injection sites in HL7 v3 ActSite (the code system of FHIR's immunization-site value set). */
export const SITE_CODES: Readonly<Record<InjectionSite, Coding>> = {
  left_deltoid: { system: FHIR_SYSTEMS.actSite, code: 'LD', display: 'left deltoid' },
  right_deltoid: { system: FHIR_SYSTEMS.actSite, code: 'RD', display: 'right deltoid' },
  left_thigh: { system: FHIR_SYSTEMS.actSite, code: 'LT', display: 'left thigh' },
  right_thigh: { system: FHIR_SYSTEMS.actSite, code: 'RT', display: 'right thigh' },
};

/**
 * Why a dose was not given, in HL7 v3 ActReason (FHIR's immunization-status-reason value set) where a
 * code fits: the person declined (patient objection); a contraindication or feeling unwell (medical
 * precaution). `other` has none; every reason also carries the system's own code.
 */
export const NOT_GIVEN_CODES: Readonly<Record<NotGivenReason, Coding | null>> = {
  declined: { system: FHIR_SYSTEMS.actReason, code: 'PATOBJ', display: 'patient objection' },
  contraindication: { system: FHIR_SYSTEMS.actReason, code: 'MEDPREC', display: 'medical precaution' },
  unwell: { system: FHIR_SYSTEMS.actReason, code: 'MEDPREC', display: 'medical precaution' },
  other: null,
};

/** A visit's status in FHIR's AppointmentStatus; a booked visit whose person has checked in is `checked-in`. */
export function appointmentStatusOf(status: AppointmentStatus, checkedIn: boolean): string {
  switch (status) {
    case 'booked':
      return checkedIn ? 'checked-in' : 'booked';
    // The person came: the visit took place, whether or not the dose was given (the Immunization says).
    case 'completed':
    case 'not_given':
      return 'fulfilled';
    case 'cancelled':
      return 'cancelled';
    case 'no_show':
      return 'noshow';
  }
}

/**
 * Why a visit was cancelled, in HL7's appointment-cancellation-reason: by the person (themselves, the
 * hotline for them, a text message) `pat`; by the centre (its day, its hours, its staff) `prov`; the
 * earlier dose missed, or a cancellation from before codes were kept, `other`.
 */
export function cancellationReasonOf(code: CancellationCode | undefined, by: ActorRole): Coding {
  const of = (c: string, display: string): Coding => ({ system: FHIR_SYSTEMS.cancellationReason, code: c, display });
  const byPerson = by === 'patient' || by === 'agent' || by === 'sms';
  switch (code) {
    case 'requested':
      return byPerson ? of('pat', 'Patient') : of('prov', 'Provider');
    case 'day_cancelled':
    case 'capacity_removed':
      return of('prov', 'Provider');
    case 'dose_missed':
    case undefined:
      return of('other', 'Other');
  }
}
