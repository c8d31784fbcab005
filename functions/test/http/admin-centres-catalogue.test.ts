import { type Centre, type Language, toInstant, VACCINES, type Vaccine } from '@ereg/shared';
import { aBirthYearRule } from '../support/builders.ts';
import { type Call, client } from '../support/http-client.ts';
import { createTestSystem, serve, type TestSystem } from '../support/test-system.ts';

/*
 * The ministry's administration of centres and of the vaccine catalogue, through the API on the embedded
 * default: suspending hides a centre and refuses its bookings until resumed; closing cancels its visits
 * from a date and texts other times; a product's change is weighed, acknowledged and leaves visits as booked.
 */

const WEB = 'https://szczepienia.example.pl';
// Monday 2026-01-12, 09:00 in Warsaw; the centres are open 08:00–12:00 on weekdays.
const WEDNESDAY = '2026-01-14';

let system: TestSystem;
let http: Awaited<ReturnType<typeof serve>>;
let call: Call;
let centre: Centre;
let admin: string;

beforeEach(async () => {
  system = await createTestSystem({
    now: '2026-01-12T08:00:00.000Z',
    smsSettings: { contact: { hotline: '989', web: WEB } },
  });
  await system.addRule(aBirthYearRule(1970));
  centre = await system.addCentre({ name: 'Przychodnia Mokotów' });
  await system.addCentre({
    name: 'Szpital Praski',
    address: { street: 'al. Solidarności 67', postalCode: '03-401', city: 'Warszawa', voivodeship: 'mazowieckie' },
    location: { lat: 52.2547, lon: 21.0361 },
  });
  http = await serve(system);
  call = client(http.url);
  admin = await system.tokenFor({ role: 'admin', adminId: 'admin-1' });
});

afterEach(async () => {
  await http.close();
  await system.close();
});

async function settle(): Promise<void> {
  for (let round = 0; round < 3; round++) {
    await system.dispatcher.drain();
    await system.sms.runner.runDue();
  }
}

async function slotAt(centreId: string, date: string, time: string): Promise<string> {
  const start = toInstant(date, time, 'Europe/Warsaw')?.toISOString();
  const slot = (await system.store.listSlotsOfCentreDay(centreId, date)).find(
    (s) => s.start === start && s.vaccineId === 'comirnaty',
  );
  if (!slot) throw new Error(`no slot at ${date} ${time}`);
  return slot.id;
}

/** A patient with a phone books a slot in the app (and the course's next dose with it, or at `next`). */
async function patientBooking(time: string, options: { phone?: string; language?: Language; next?: string } = {}) {
  const { patientId, token } = await system.newPatient();
  if (options.phone) {
    const contact = await call('PUT', `/api/booking/patients/${patientId}/contact`, {
      token,
      body: { phone: options.phone, language: options.language ?? 'pl' },
    });
    expect(contact.status).toBe(200);
  }
  const booked = await call('POST', '/api/booking/appointments', {
    token,
    body: {
      slotId: await slotAt(centre.id, WEDNESDAY, time),
      ...(options.next ? { nextSlotId: options.next } : {}),
    },
  });
  expect(booked.status).toBe(201);
  return { patientId, token, visits: booked.body.appointments as Array<{ id: string; dose: number; start: string }> };
}

const searchedCentres = async () => {
  const found = await call('GET', '/api/search?postalCode=00-950&vaccineId=comirnaty');
  expect(found.status).toBe(200);
  return found.body.results.map((r: { centre: { id: string } }) => r.centre.id);
};

test('a suspended centre is not found and refuses bookings, keeping its visits; resumed, it is back', async () => {
  const { visits } = await patientBooking('10:00');
  expect(await searchedCentres()).toContain(centre.id);

  const suspended = await call('POST', `/api/admin/centres/${centre.id}/suspend`, {
    token: admin,
    body: { reason: 'Kontrola łańcucha chłodniczego' },
  });
  expect([suspended.status, suspended.body.centre.status]).toEqual([200, 'suspended']);
  await settle();

  expect(await searchedCentres()).not.toContain(centre.id);
  const other = await system.newPatient();
  const refused = await call('POST', '/api/booking/appointments', {
    token: other.token,
    body: { slotId: await slotAt(centre.id, WEDNESDAY, '10:15') },
  });
  expect([refused.status, refused.body.error.code]).toEqual([409, 'CENTRE_SUSPENDED']);
  expect((await system.store.getAppointment(visits[0]?.id ?? ''))?.status).toBe('booked');
  const listed = await call('GET', '/api/admin/centres?status=suspended&q=MOKOTOW', { token: admin });
  expect(listed.body.centres.map((c: { id: string }) => c.id)).toEqual([centre.id]);

  const resumed = await call('POST', `/api/admin/centres/${centre.id}/resume`, { token: admin });
  expect([resumed.status, resumed.body.centre.status]).toEqual([200, 'active']);
  await settle();

  expect(await searchedCentres()).toContain(centre.id);
  const booked = await call('POST', '/api/booking/appointments', {
    token: other.token,
    body: { slotId: await slotAt(centre.id, WEDNESDAY, '10:15') },
  });
  expect(booked.status).toBe(201);
});

test('closing a centre cancels its visits from the date as a closed day and texts each person other times', async () => {
  const { visits } = await patientBooking('10:00', { phone: '+48600000001', language: 'en' });

  const closed = await call('POST', `/api/admin/centres/${centre.id}/close`, {
    token: admin,
    body: { reason: 'Koniec najmu', from: WEDNESDAY },
  });
  await settle();

  expect(closed.status).toBe(200);
  expect(closed.body).toMatchObject({ centre: { status: 'closed', closedFrom: WEDNESDAY }, cancelled: 2 });
  const first = await system.store.getAppointment(visits[0]?.id ?? '');
  expect(first?.cancellation).toMatchObject({ code: 'day_cancelled', reason: 'Koniec najmu' });
  const text = await system.store.runInTransaction((tx) => tx.getSmsMessage(`cancelled:${first?.id}:2`));
  expect(text?.body).toContain('Reason: centre closed that day: "Koniec najmu"');
  expect(text?.body).toContain('other centre: Szpital Praski');
  expect(text?.body).toContain(`${WEB}/book/`);

  const again = await call('POST', `/api/admin/centres/${centre.id}/close`, {
    token: admin,
    body: { reason: 'Koniec najmu', from: WEDNESDAY },
  });
  expect([again.status, again.body.cancelled]).toEqual([200, 0]);
  const detail = await call('GET', `/api/admin/centres/${centre.id}`, { token: admin });
  expect(detail.body.centre.status).toBe('closed');
});

test('a bad closing is a 400 naming the field', async () => {
  const reply = await call('POST', `/api/admin/centres/${centre.id}/close`, {
    token: admin,
    body: { reason: 'Koniec najmu', from: '14.01.2026' },
  });
  expect([reply.status, reply.body.error.field]).toEqual([400, 'from']);
});

test('the ministry invites a manager to a centre, who then signs in', async () => {
  const invited = await call('POST', `/api/admin/centres/${centre.id}/staff`, {
    token: admin,
    body: { name: 'Anna Kierownik', email: 'anna.k@example.test', role: 'centre-manager' },
  });
  expect(invited.status).toBe(201);
  const session = await call('POST', '/dev-idp/token', { body: { role: 'staff', id: invited.body.member.id } });
  expect(session.status).toBe(200);
  const staff = await call('GET', `/api/centres/${centre.id}/staff`, { token: session.body.token });
  expect(staff.status).toBe(200);
  const detail = await call('GET', `/api/admin/centres/${centre.id}`, { token: admin });
  expect(detail.body.staff.map((m: { email: string }) => m.email)).toContain('anna.k@example.test');
});

test('a shortened maximum interval lists exactly the visits it breaks; saving needs that count and leaves them booked', async () => {
  // One course with the soonest second dose (21 days), one with the latest (42 days).
  await patientBooking('10:00');
  const late = await patientBooking('10:15', { next: await slotAt(centre.id, '2026-02-25', '10:15') });
  const lateSecond = late.visits.find((v) => v.dose === 2);
  const comirnaty = VACCINES.find((v) => v.id === 'comirnaty') as Vaccine;
  const shorter: Vaccine = { ...comirnaty, maxIntervalDays: 30 };

  const impact = await call('POST', '/api/admin/vaccines/impact', { token: admin, body: { vaccine: shorter } });
  expect(impact.status).toBe(200);
  expect(impact.body.total).toBe(1);
  expect(impact.body.affected).toEqual([
    expect.objectContaining({
      appointmentId: lateSecond?.id,
      centreId: centre.id,
      centreName: 'Przychodnia Mokotów',
      dose: 2,
      problem: 'interval',
    }),
  ]);

  const unacknowledged = await call('PUT', '/api/admin/vaccines/comirnaty', {
    token: admin,
    body: { vaccine: shorter, acknowledgedAffected: 0 },
  });
  expect([unacknowledged.status, unacknowledged.body.error.code]).toEqual([409, 'IMPACT_NOT_ACKNOWLEDGED']);
  expect(unacknowledged.body.error.details.total).toBe(1);

  const before = await system.store.getAppointment(lateSecond?.id ?? '');
  const saved = await call('PUT', '/api/admin/vaccines/comirnaty', {
    token: admin,
    body: { vaccine: shorter, acknowledgedAffected: 1 },
  });
  expect([saved.status, saved.body.affected]).toEqual([200, 1]);
  expect(await system.store.getAppointment(lateSecond?.id ?? '')).toEqual(before);
  const listed = await call('GET', '/api/admin/vaccines', { token: admin });
  expect(listed.body.vaccines.find((v: Vaccine) => v.id === 'comirnaty').maxIntervalDays).toBe(30);
  const inForce = await call('GET', '/api/search/vaccines');
  expect(inForce.body.vaccines.find((v: Vaccine) => v.id === 'comirnaty').maxIntervalDays).toBe(30);
});

test('a product out of range is a 400 naming the field', async () => {
  const comirnaty = VACCINES.find((v) => v.id === 'comirnaty') as Vaccine;
  const reply = await call('POST', '/api/admin/vaccines/impact', {
    token: admin,
    body: { vaccine: { ...comirnaty, doses: 5 } },
  });
  expect([reply.status, reply.body.error.field]).toEqual([400, 'vaccine.doses']);
});
