import {
  type Appointment,
  type Batch,
  COVID_19,
  FHIR_SYSTEMS,
  INJECTION_SITES,
  NOT_GIVEN_CODES,
  type Patient,
  SITE_CODES,
  type StaffMember,
  toFhirAppointment,
  toFhirCollection,
  toFhirImmunization,
  toFhirPatient,
  VACCINES,
  type VisitContext,
} from '@ereg/shared';
import { aCentre, aCitizen } from '@ereg/shared/testing';
import { codesOf, fhirErrors, listedCodesOf, loadFhirR4Definitions } from '../support/fhir-validation.ts';

beforeAll(() => loadFhirR4Definitions());

const centre = aCentre({ id: 'c-fhir', name: 'Punkt Szczepień Mokotów' });
const batch: Batch = {
  id: 'bat_01',
  centreId: centre.id,
  vaccineId: 'comirnaty',
  number: 'FK-4471',
  expiry: '2026-03-31',
  doses: 60,
  status: 'active',
  createdAt: '2026-01-02T08:00:00.000Z',
  createdBy: { role: 'staff', id: 'manager-1' },
};
const nurse: StaffMember = {
  id: 'staff_07',
  name: 'Ewa Wiśniewska',
  email: 'ewa@example.test',
  centreId: centre.id,
  role: 'staff',
};
const context = (overrides: Partial<VisitContext> = {}): VisitContext => ({
  centre,
  vaccines: VACCINES,
  end: '2026-01-12T09:10:00.000Z',
  batches: new Map([[batch.id, batch]]),
  staff: new Map([[nurse.id, nurse]]),
  ...overrides,
});

function aVisit(overrides: Partial<Appointment> = {}): Appointment {
  return {
    id: 'apt_k3x9',
    patientId: 'pat_a1',
    centreId: centre.id,
    slotId: 'slot-1',
    vaccineId: 'comirnaty',
    dose: 2,
    bookingId: 'bkg_1',
    reference: 'H7KQ2MZX',
    status: 'booked',
    start: '2026-01-12T09:00:00.000Z',
    localDate: '2026-01-12',
    version: 1,
    bookedBy: { role: 'patient', id: 'pat_a1' },
    createdAt: '2025-12-20T10:00:00.000Z',
    updatedAt: '2025-12-20T10:00:00.000Z',
    checkedInAt: null,
    cancellation: null,
    completion: null,
    ...overrides,
  };
}

const given = (overrides: Partial<Appointment> = {}) =>
  aVisit({
    status: 'completed',
    version: 3,
    checkedInAt: '2026-01-12T08:58:00.000Z',
    completion: {
      vaccineId: 'comirnaty',
      lot: 'FK-4471',
      batchId: batch.id,
      dose: 2,
      site: 'left_deltoid',
      vaccinatorId: nurse.id,
      by: { role: 'staff', id: nurse.id },
      at: '2026-01-12T09:04:00.000Z',
    },
    ...overrides,
  });

function aPatient(overrides: Partial<Patient> = {}): Patient {
  const citizen = aCitizen({ born: 1958, sex: 'female' });
  return {
    id: 'pat_a1',
    pesel: citizen.pesel,
    givenName: 'Anna Maria',
    familyName: 'Nowak',
    birthDate: citizen.birthDate,
    sex: 'female',
    phone: '+48600100200',
    language: 'pl',
    groups: [],
    createdAt: '2025-12-20T10:00:00.000Z',
    ...overrides,
  };
}

describe('a vaccination as a FHIR R4 Immunization', () => {
  test('a dose given carries the product, the batch’s lot and expiry, the site, the dose in its series, who gave it and when — and is valid R4', () => {
    const immunization = toFhirImmunization(given(), context());
    expect(fhirErrors(immunization)).toEqual([]);
    expect(immunization).toMatchObject({
      resourceType: 'Immunization',
      id: 'apt.5fk3x9',
      status: 'completed',
      vaccineCode: {
        coding: [
          { system: FHIR_SYSTEMS.euProduct, code: 'EU/1/20/1528' },
          { system: FHIR_SYSTEMS.cvx, code: '208' },
        ],
      },
      patient: { reference: 'Patient/pat.5fa1' },
      occurrenceDateTime: '2026-01-12T09:04:00.000Z',
      lotNumber: 'FK-4471',
      expirationDate: '2026-03-31',
      site: { coding: [{ system: FHIR_SYSTEMS.actSite, code: 'LD' }] },
      protocolApplied: [
        { doseNumberPositiveInt: 2, seriesDosesPositiveInt: 2, targetDisease: [{ coding: [COVID_19] }] },
      ],
    });
    expect(immunization?.performer).toEqual([
      {
        function: { coding: [expect.objectContaining({ system: FHIR_SYSTEMS.performerFunction, code: 'AP' })] },
        actor: {
          type: 'Practitioner',
          identifier: { system: FHIR_SYSTEMS.staff, value: nurse.id },
          display: 'Ewa Wiśniewska',
        },
      },
      {
        actor: {
          type: 'Organization',
          identifier: { system: FHIR_SYSTEMS.centre, value: centre.id },
          display: centre.name,
        },
      },
    ]);
  });

  test('a booster (a dose past the primary course) is its own series, without a count of doses', () => {
    const immunization = toFhirImmunization(
      given({ dose: 3, completion: { ...(given().completion as NonNullable<Appointment['completion']>), dose: 3 } }),
      context(),
    );
    expect(fhirErrors(immunization)).toEqual([]);
    expect(immunization?.protocolApplied).toEqual([
      { series: 'Comirnaty booster', targetDisease: [{ coding: [COVID_19] }], doseNumberPositiveInt: 3 },
    ]);
  });

  test('a corrected recording shows what stands now, with each correction noted', () => {
    const before = given().completion as NonNullable<Appointment['completion']>;
    const corrected = given({
      version: 4,
      updatedAt: '2026-01-12T10:00:00.000Z',
      completion: { ...before, site: 'right_deltoid', lot: 'FK-4471' },
      corrections: [
        { before, reason: 'arm misread', by: { role: 'staff', id: nurse.id }, at: '2026-01-12T10:00:00.000Z' },
      ],
    });
    const immunization = toFhirImmunization(corrected, context());
    expect(fhirErrors(immunization)).toEqual([]);
    expect(immunization).toMatchObject({
      meta: { versionId: '4', lastUpdated: '2026-01-12T10:00:00.000Z' },
      site: { coding: [{ code: 'RD' }] },
      note: [{ time: '2026-01-12T10:00:00.000Z', text: 'Record corrected: arm misread' }],
    });
  });

  test('a visit where the dose was not given is not-done, with the reason in HL7’s code where one fits and always in the system’s own', () => {
    const declined = toFhirImmunization(
      aVisit({
        status: 'not_given',
        notGiven: {
          reason: 'declined',
          note: null,
          by: { role: 'staff', id: nurse.id },
          at: '2026-01-12T09:03:00.000Z',
        },
      }),
      context(),
    );
    expect(fhirErrors(declined)).toEqual([]);
    expect(declined).toMatchObject({
      status: 'not-done',
      occurrenceDateTime: '2026-01-12T09:03:00.000Z',
      statusReason: {
        coding: [
          { system: FHIR_SYSTEMS.actReason, code: 'PATOBJ' },
          { system: FHIR_SYSTEMS.notGivenReason, code: 'declined' },
        ],
      },
    });
    expect(declined).not.toHaveProperty('lotNumber');
    const other = toFhirImmunization(
      aVisit({
        status: 'not_given',
        notGiven: {
          reason: 'other',
          note: 'fainted',
          by: { role: 'staff', id: nurse.id },
          at: '2026-01-12T09:03:00.000Z',
        },
      }),
      context(),
    );
    expect(fhirErrors(other)).toEqual([]);
    expect(other?.statusReason).toEqual({
      coding: [{ system: FHIR_SYSTEMS.notGivenReason, code: 'other' }],
      text: 'fainted',
    });
  });

  test('a visit booked, cancelled or missed has no Immunization', () => {
    expect(toFhirImmunization(aVisit(), context())).toBeNull();
    expect(toFhirImmunization(aVisit({ status: 'no_show' }), context())).toBeNull();
  });

  test('a product the administration added, with no public code, is coded in the system’s own vaccine system; a dose without a batch has no expiry', () => {
    const novel = { ...(VACCINES[0] as (typeof VACCINES)[number]), id: 'nuvaxovid', name: 'Nuvaxovid' };
    const immunization = toFhirImmunization(
      given({
        completion: {
          vaccineId: 'nuvaxovid',
          lot: 'NX-1',
          by: { role: 'staff', id: nurse.id },
          at: '2026-01-12T09:04:00.000Z',
        },
      }),
      context({ vaccines: [...VACCINES, novel] }),
    );
    expect(fhirErrors(immunization)).toEqual([]);
    expect(immunization?.vaccineCode).toEqual({
      coding: [{ system: FHIR_SYSTEMS.vaccine, code: 'nuvaxovid', display: 'Nuvaxovid' }],
      text: 'Nuvaxovid',
    });
    expect(immunization).not.toHaveProperty('expirationDate');
    expect(immunization?.protocolApplied?.[0]).not.toHaveProperty('targetDisease');
  });
});

describe('a visit as a FHIR R4 Appointment', () => {
  test.each([
    ['booked', null, 'booked'],
    ['booked', '2026-01-12T08:58:00.000Z', 'checked-in'],
    ['completed', '2026-01-12T08:58:00.000Z', 'fulfilled'],
    ['not_given', '2026-01-12T08:58:00.000Z', 'fulfilled'],
    ['no_show', null, 'noshow'],
  ] as const)('a %s visit (checked in %s) is %s, valid R4', (status, checkedInAt, expected) => {
    const appointment = toFhirAppointment(aVisit({ status, checkedInAt }), context());
    expect(fhirErrors(appointment)).toEqual([]);
    expect(appointment).toMatchObject({
      status: expected,
      start: '2026-01-12T09:00:00.000Z',
      end: '2026-01-12T09:10:00.000Z',
      identifier: [{ system: FHIR_SYSTEMS.bookingReference, value: 'H7KQ2MZX' }, { value: 'apt_k3x9' }],
      participant: [
        { actor: { reference: 'Patient/pat.5fa1' }, status: 'accepted' },
        { actor: { type: 'Location', identifier: { value: centre.id } }, status: 'accepted' },
      ],
    });
  });

  test.each([
    ['requested', 'patient', 'pat'],
    ['requested', 'staff', 'prov'],
    ['day_cancelled', 'staff', 'prov'],
    ['dose_missed', 'system', 'other'],
  ] as const)('a visit cancelled (%s by %s) is cancelled with reason %s', (code, role, expected) => {
    const appointment = toFhirAppointment(
      aVisit({
        status: 'cancelled',
        cancellation: { reason: 'x', code, by: { role, id: 'someone' }, at: '2026-01-10T10:00:00.000Z' },
      }),
      context(),
    );
    expect(fhirErrors(appointment)).toEqual([]);
    expect(appointment.status).toBe('cancelled');
    expect(appointment.cancelationReason?.coding).toEqual([
      expect.objectContaining({ system: FHIR_SYSTEMS.cancellationReason, code: expected }),
      { system: FHIR_SYSTEMS.cancellationCode, code },
    ]);
  });
});

describe('a person as a FHIR R4 Patient', () => {
  test('identified by PESEL under Polish eHealth’s OID, with names, birth date, sex, phone and language — valid R4', () => {
    const patient = aPatient();
    const resource = toFhirPatient(patient);
    expect(fhirErrors(resource)).toEqual([]);
    expect(resource).toMatchObject({
      id: 'pat.5fa1',
      identifier: [{ use: 'official', system: 'urn:oid:2.16.840.1.113883.3.4424.1.1.616', value: patient.pesel }, {}],
      name: [{ use: 'official', family: 'Nowak', given: ['Anna', 'Maria'] }],
      gender: 'female',
      birthDate: patient.birthDate,
      telecom: [{ system: 'phone', value: '+48600100200', use: 'mobile' }],
    });
  });

  test('a record made by a text-message booking, without names or phone yet, is still valid', () => {
    const resource = toFhirPatient(aPatient({ givenName: '', familyName: '', phone: null }));
    expect(fhirErrors(resource)).toEqual([]);
    expect(resource).not.toHaveProperty('name');
    expect(resource).not.toHaveProperty('telecom');
  });

  test('a person’s record is a valid collection Bundle', () => {
    const bundle = toFhirCollection(
      [toFhirPatient(aPatient()), toFhirAppointment(given(), context()), toFhirImmunization(given(), context())].filter(
        (r) => r !== null,
      ),
      '2026-01-12T12:00:00.000Z',
    );
    expect(fhirErrors(bundle)).toEqual([]);
    expect(bundle.entry.map((e) => e.fullUrl)).toEqual([
      expect.stringMatching(/\/Patient\/pat\.5fa1$/),
      expect.stringMatching(/\/Appointment\/apt\.5fk3x9$/),
      expect.stringMatching(/\/Immunization\/apt\.5fk3x9$/),
    ]);
  });

  test('the validation used here does refuse a broken resource', () => {
    expect(fhirErrors({ resourceType: 'Immunization', status: 'given' })).not.toEqual([]);
  });
});

describe('the codes the export claims exist where it says', () => {
  test('every injection site is a code of HL7 v3 ActSite', () => {
    const actSite = codesOf(FHIR_SYSTEMS.actSite);
    expect(actSite.size).toBeGreaterThan(50);
    for (const site of INJECTION_SITES) expect([site, actSite.has(SITE_CODES[site].code)]).toEqual([site, true]);
  });

  test('every public reason for a dose not given is in FHIR’s immunization-status-reason value set', () => {
    const listed = listedCodesOf('http://hl7.org/fhir/ValueSet/immunization-status-reason');
    expect(listed.length).toBeGreaterThan(0);
    for (const coding of Object.values(NOT_GIVEN_CODES)) {
      if (coding) expect(listed).toContainEqual({ system: coding.system, code: coding.code });
    }
  });

  test('the performer function is in immunization-function; statuses and cancellation reasons in their code systems', () => {
    expect(listedCodesOf('http://hl7.org/fhir/ValueSet/immunization-function')).toContainEqual({
      system: FHIR_SYSTEMS.performerFunction,
      code: 'AP',
    });
    const statuses = codesOf('http://hl7.org/fhir/appointmentstatus');
    for (const status of ['booked', 'checked-in', 'fulfilled', 'cancelled', 'noshow'])
      expect(statuses).toContain(status);
    const reasons = codesOf(FHIR_SYSTEMS.cancellationReason);
    for (const reason of ['pat', 'prov', 'other']) expect(reasons).toContain(reason);
  });
});
