import { type Centre, fhirId } from '@ereg/shared';
import { fhirErrors, loadFhirR4Definitions } from '../support/fhir-validation.ts';
import { type Call, client } from '../support/http-client.ts';
import { createTestSystem, serve, type TestSystem } from '../support/test-system.ts';

// The clock stands on Monday 2026-01-12, 08:00 in Warsaw: three people book this morning at one centre.
// One is vaccinated (checked in, recorded with a batch, a site and a vaccinator, then corrected), one is
// not (a contraindication), one cancels. The registry then fetches the day.
const today = '2026-01-12';
let system: TestSystem;
let close: () => Promise<void>;
let url: string;
let call: Call;
let centre: Centre;
let registry: string;
const people: Record<
  'given' | 'notGiven' | 'cancelled',
  { token: string; patientId: string; pesel: string; visitId: string }
> = {} as never;
let slotStart: string;
let slotEnd: string;
let batchId: string;

type Json = Record<string, unknown> & { resourceType: string; id: string };
const ndjson = (text: string): Json[] =>
  text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Json);
// Each resource's references name the visit by its id with `_` made `-` (FHIR ids allow no `_`).

async function day(file: string, token = registry) {
  return call('GET', `/api/admin/fhir/days/${today}/${file}`, { token });
}

beforeAll(async () => {
  loadFhirR4Definitions();
  system = await createTestSystem();
  await system.addRule();
  centre = await system.addCentre({ id: 'c-fhir', name: 'Punkt Szczepień Ochota' });
  const served = await serve(system);
  close = served.close;
  url = served.url;
  call = client(url);

  const free = await call('GET', `/api/centres/${centre.id}/slots?vaccineId=comirnaty&from=${today}&to=${today}`);
  const slot = free.body.slots.find((s: { localStart: string }) => s.localStart >= `${today}T10:00`);
  slotStart = slot.start;
  slotEnd = (await system.store.getSlot(slot.slotId))?.end ?? '';
  for (const [name, born] of [
    ['given', 1951],
    ['notGiven', 1952],
    ['cancelled', 1953],
  ] as const) {
    const person = await system.newPatient({ born });
    const booked = await call('POST', '/api/booking/appointments', {
      token: person.token,
      body: { slotId: slot.slotId },
    });
    expect(booked.status).toBe(201);
    // The course's second dose is booked with the first, for a later day.
    expect(booked.body.appointments.map((a: { localDate: string }) => a.localDate > today)).toEqual([false, true]);
    people[name] = { ...person, visitId: booked.body.appointments[0].id };
  }

  const manager = await system.tokenFor({ role: 'centre-manager', staffId: 'manager-1', centreId: centre.id });
  const delivered = await call('POST', `/api/centres/${centre.id}/batches`, {
    token: manager,
    body: { vaccineId: 'comirnaty', number: 'FK-2044', expiry: '2026-05-31', doses: 40 },
  });
  expect(delivered.status).toBe(201);
  batchId = delivered.body.id;

  const cancelled = await call('POST', `/api/booking/appointments/${people.cancelled.visitId}/cancel`, {
    token: people.cancelled.token,
    body: {},
  });
  expect(cancelled.status).toBe(200);

  system.clock.set(slotStart);
  registry = await system.tokenFor({ role: 'registry', registryId: 'registry-p1' });
  const desk = await system.tokenFor({ role: 'staff', staffId: 'desk-1', centreId: centre.id });
  // The nurse who gives the dose; the desk records it in her name.
  await system.tokenFor({ role: 'staff', staffId: 'nurse-1', centreId: centre.id });
  const visit = (name: keyof typeof people) => `/api/centres/${centre.id}/appointments/${people[name].visitId}`;
  for (const name of ['given', 'notGiven'] as const) {
    const arrived = await call('POST', `${visit(name)}/check-in`, {
      token: desk,
      headers: { 'Idempotency-Key': `desk-1:${name}-check-in` },
    });
    expect(arrived.status).toBe(200);
  }
  const recording = { vaccineId: 'comirnaty', batchId, site: 'left_deltoid', vaccinatorId: 'nurse-1' };
  const recorded = await call('POST', `${visit('given')}/complete`, {
    token: desk,
    body: recording,
    headers: { 'Idempotency-Key': 'desk-1:given-record' },
  });
  expect(recorded.status).toBe(200);
  const corrected = await call('POST', `${visit('given')}/correct`, {
    token: desk,
    body: { ...recording, site: 'right_deltoid', reason: 'arm misread' },
  });
  expect(corrected.status).toBe(200);
  const notGiven = await call('POST', `${visit('notGiven')}/not-given`, {
    token: desk,
    body: { reason: 'contraindication' },
  });
  expect(notGiven.status).toBe(200);
});

afterAll(async () => {
  await close?.();
  await system?.close();
});

describe('a registry fetches the day as FHIR R4', () => {
  test('the manifest lists the day’s three NDJSON files', async () => {
    const manifest = await call('GET', `/api/admin/fhir/days/${today}`, { token: registry });
    expect(manifest.status).toBe(200);
    expect(manifest.body).toEqual({
      transactionTime: system.clock.now().toISOString(),
      date: today,
      requiresAccessToken: true,
      output: ['Immunization', 'Appointment', 'Patient'].map((type) => ({
        type,
        url: `/api/admin/fhir/days/${today}/${type}.ndjson`,
      })),
      error: [],
    });
  });

  test('the vaccination recorded at the desk is in the day’s Immunizations with its lot, expiry, dose, site (as corrected), performer and time; the dose not given is not-done with its reason', async () => {
    const reply = await day('Immunization.ndjson');
    expect(reply.status).toBe(200);
    const immunizations = ndjson(reply.body);
    for (const resource of immunizations) expect([resource.id, fhirErrors(resource)]).toEqual([resource.id, []]);
    const byId = new Map(immunizations.map((r) => [r.id, r]));
    expect(immunizations).toHaveLength(2);
    expect(byId.get(fhirId(people.given.visitId))).toMatchObject({
      status: 'completed',
      patient: { reference: `Patient/${fhirId(people.given.patientId)}` },
      vaccineCode: { coding: [{ code: 'EU/1/20/1528' }, { code: '208' }] },
      lotNumber: 'FK-2044',
      expirationDate: '2026-05-31',
      occurrenceDateTime: slotStart,
      site: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActSite', code: 'RD' }] },
      protocolApplied: [{ doseNumberPositiveInt: 1, seriesDosesPositiveInt: 2 }],
      performer: [
        { function: { coding: [{ code: 'AP' }] }, actor: { type: 'Practitioner', identifier: { value: 'nurse-1' } } },
        { actor: { type: 'Organization', identifier: { value: centre.id }, display: centre.name } },
      ],
      note: [{ text: 'Record corrected: arm misread' }],
    });
    expect(byId.get(fhirId(people.notGiven.visitId))).toMatchObject({
      status: 'not-done',
      statusReason: { coding: [{ code: 'MEDPREC' }, { code: 'contraindication' }] },
      occurrenceDateTime: slotStart,
    });
    expect(byId.has(fhirId(people.cancelled.visitId))).toBe(false);
  });

  test('every visit of the day is an Appointment: the cancelled one cancelled, each with its booking reference, the person and the centre', async () => {
    const reply = await day('Appointment.ndjson');
    expect(reply.status).toBe(200);
    const appointments = ndjson(reply.body);
    for (const resource of appointments) expect([resource.id, fhirErrors(resource)]).toEqual([resource.id, []]);
    const statuses = Object.fromEntries(appointments.map((a) => [a.id, a.status]));
    expect(statuses).toEqual({
      [fhirId(people.given.visitId)]: 'fulfilled',
      [fhirId(people.notGiven.visitId)]: 'fulfilled',
      [fhirId(people.cancelled.visitId)]: 'cancelled',
    });
    const cancelled = appointments.find((a) => a.id === fhirId(people.cancelled.visitId));
    const stored = await system.store.getAppointment(people.cancelled.visitId);
    expect(cancelled).toMatchObject({
      start: slotStart,
      end: slotEnd,
      cancelationReason: { coding: [{ code: 'pat' }, { code: 'requested' }] },
      identifier: [{ value: stored?.reference }, { value: people.cancelled.visitId }],
      participant: [
        { actor: { reference: `Patient/${fhirId(people.cancelled.patientId)}` } },
        { actor: { type: 'Location', identifier: { value: centre.id } } },
      ],
    });
  });

  test('the day’s Patients are the people its resources name, each once, identified by PESEL', async () => {
    const reply = await day('Patient.ndjson');
    expect(reply.status).toBe(200);
    const patients = ndjson(reply.body);
    for (const resource of patients) expect([resource.id, fhirErrors(resource)]).toEqual([resource.id, []]);
    const pesels = patients.map(
      (p) =>
        (p.identifier as Array<{ system: string; value: string }>).find((i) => i.system.startsWith('urn:oid:'))?.value,
    );
    expect(pesels.sort()).toEqual(
      Object.values(people)
        .map((p) => p.pesel)
        .sort(),
    );
  });

  test('the files are streamed (chunked, no length) as FHIR NDJSON, to be saved', async () => {
    const response = await fetch(`${url}/api/admin/fhir/days/${today}/Appointment.ndjson`, {
      headers: { authorization: `Bearer ${registry}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/fhir+ndjson');
    expect(response.headers.get('transfer-encoding')).toBe('chunked');
    expect(response.headers.get('content-length')).toBeNull();
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="${today}-Appointment.ndjson"`);
    expect(ndjson(await response.text())).toHaveLength(3);
  });

  test('a day without visits gives empty files', async () => {
    for (const file of ['Immunization.ndjson', 'Appointment.ndjson', 'Patient.ndjson']) {
      const reply = await call('GET', `/api/admin/fhir/days/2026-01-14/${file}`, { token: registry });
      expect([file, reply.status, reply.body]).toEqual([file, 200, null]);
    }
  });

  test('every fetch of a file is in the audit log, with the registry, the day and the file', async () => {
    const before = await system.store.queryAudit({ action: 'fhir.export', limit: 100 });
    await day('Patient.ndjson');
    const after = await system.store.queryAudit({ action: 'fhir.export', limit: 100 });
    expect(after).toHaveLength(before.length + 1);
    expect(after[0]).toMatchObject({
      actor: { role: 'registry', id: 'registry-p1' },
      patientId: null,
      action: 'fhir.export',
      reason: `${today} Patient.ndjson`,
    });
  });

  test.each([
    ['12-01-2026', 'date'],
    ['2026-02-30', 'date'],
    ['2026-01-12/Observation.ndjson', 'file'],
  ])('a bad path (%s) is a 400 naming %s, and nothing is audited', async (tail, field) => {
    const before = await system.store.queryAudit({ action: 'fhir.export', limit: 100 });
    const path = tail.includes('/') ? tail : `${tail}/Immunization.ndjson`;
    const reply = await call('GET', `/api/admin/fhir/days/${path}`, { token: registry });
    expect([reply.status, reply.body.error.field]).toEqual([400, field]);
    expect(await system.store.queryAudit({ action: 'fhir.export', limit: 100 })).toHaveLength(before.length);
  });

  test('no one else fetches it: no token is 401; an administrator, an analyst, staff and the patient are 403', async () => {
    expect((await call('GET', `/api/admin/fhir/days/${today}/Patient.ndjson`)).status).toBe(401);
    const others = [
      await system.tokenFor({ role: 'admin', adminId: 'admin-1' }),
      await system.tokenFor({ role: 'analyst', analystId: 'analyst-1' }),
      await system.tokenFor({ role: 'staff', staffId: 'desk-1', centreId: centre.id }),
      await system.tokenFor({ role: 'patient', patientId: people.given.patientId }),
    ];
    for (const token of others) {
      const reply = await day('Patient.ndjson', token);
      expect([reply.status, reply.body.error.code]).toEqual([403, 'ROLE_NOT_ALLOWED']);
    }
  });
});

describe('a registry signs in', () => {
  test('the development identity provider issues a known registry’s session, and refuses an unknown one', async () => {
    const issued = await call('POST', '/dev-idp/token', { body: { role: 'registry', id: 'registry-p1' } });
    expect(issued.status).toBe(200);
    expect(issued.body.principal).toEqual({ role: 'registry', registryId: 'registry-p1' });
    expect((await day('Patient.ndjson', issued.body.token)).status).toBe(200);
    const unknown = await call('POST', '/dev-idp/token', { body: { role: 'registry', id: 'registry-x' } });
    expect([unknown.status, unknown.body.error.field]).toEqual([404, 'id']);
  });
});

describe('a patient downloads their own record', () => {
  test('a FHIR Bundle (collection) of their Patient, their two visits and the dose given — valid R4, and nobody else’s', async () => {
    const response = await fetch(`${url}/api/booking/me/record.fhir.json`, {
      headers: {
        authorization: `Bearer ${await system.tokenFor({ role: 'patient', patientId: people.given.patientId })}`,
      },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/fhir+json; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="record.fhir.json"');
    const bundle = (await response.json()) as { resourceType: string; type: string; entry: Array<{ resource: Json }> };
    expect(fhirErrors(bundle)).toEqual([]);
    expect(bundle.type).toBe('collection');
    const visits = await system.store.listAppointmentsOfPatient(people.given.patientId);
    const second = visits.find((v) => v.dose === 2);
    expect(bundle.entry.map((e) => `${e.resource.resourceType}/${e.resource.id}`)).toEqual([
      `Patient/${fhirId(people.given.patientId)}`,
      `Appointment/${fhirId(people.given.visitId)}`,
      `Appointment/${fhirId(second?.id ?? '')}`,
      `Immunization/${fhirId(people.given.visitId)}`,
    ]);
    expect(bundle.entry[2]?.resource).toMatchObject({ status: 'booked', description: 'Comirnaty, dose 2' });
    expect(bundle.entry[3]?.resource).toMatchObject({ lotNumber: 'FK-2044', expirationDate: '2026-05-31' });
  });
});
