import { type DomainEvent, type Language, planMessagesFor, smsSegments, toInstant } from '@ereg/shared';
import { aBirthYearRule, aCitizen, aSchedule } from '../support/builders.ts';
import { type Call, client, postTwilioForm } from '../support/http-client.ts';
import { createTestSystem, serve, type TestSystem } from '../support/test-system.ts';

/*
 * A centre closing a day tells each patient why, in their language, with the soonest free times for
 * the same dose at that centre or nearby and a link that opens the booking in the app; a phone that
 * booked by text is offered a time to answer YES or NO to, on the embedded default.
 */

const WEB = 'https://szczepienia.example.pl';
// Monday 2026-01-12, 09:00 in Warsaw; the centres are open 08:00–12:00 on weekdays.
const WEDNESDAY = '2026-01-14';

let system: TestSystem;
let http: Awaited<ReturnType<typeof serve>>;
let call: Call;
let first: { id: string };
let manager: string;

beforeEach(async () => {
  system = await createTestSystem({
    now: '2026-01-12T08:00:00.000Z',
    smsSettings: { contact: { hotline: '989', web: WEB } },
  });
  await system.addRule(aBirthYearRule(1970));
  first = await system.addCentre({ name: 'Przychodnia Mokotów' });
  await system.addCentre({
    name: 'Szpital Praski',
    address: { street: 'al. Solidarności 67', postalCode: '03-401', city: 'Warszawa', voivodeship: 'mazowieckie' },
    location: { lat: 52.2547, lon: 21.0361 },
  });
  http = await serve(system);
  call = client(http.url);
  manager = await system.tokenFor({ role: 'centre-manager', staffId: 'manager-1', centreId: first.id });
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

/** A patient with their own phone and language books a visit (and the next dose) in the app. */
async function patientBooking(phone: string, language: Language, time: string) {
  const { patientId, token } = await system.newPatient();
  const contact = await call('PUT', `/api/booking/patients/${patientId}/contact`, { token, body: { phone, language } });
  expect(contact.status).toBe(200);
  const booked = await call('POST', '/api/booking/appointments', {
    token,
    body: { slotId: await slotAt(first.id, WEDNESDAY, time) },
  });
  expect(booked.status).toBe(201);
  return { patientId, visit: booked.body.appointments[0] as { id: string } };
}

async function closeWednesday() {
  const closed = await call('POST', `/api/centres/${first.id}/days/${WEDNESDAY}/cancel`, {
    token: manager,
    body: { reason: 'Brak dostaw szczepionki' },
  });
  expect(closed.status).toBe(200);
  await settle();
}

const message = (key: string) => system.store.runInTransaction((tx) => tx.getSmsMessage(key));

test('each patient is told why in their language, with the soonest free times here and nearby and a link to book', async () => {
  const pl = await patientBooking('+48600000001', 'pl', '10:00');
  const en = await patientBooking('+48600000002', 'en', '10:15');
  const uk = await patientBooking('+48600000003', 'uk', '10:30');
  const soonestHere = await slotAt(first.id, '2026-01-12', '09:15');
  const link = `${WEB}/book/${encodeURIComponent(soonestHere)}`;

  await closeWednesday();

  const polish = await message(`cancelled:${pl.visit.id}:2`);
  expect(polish).toMatchObject({ status: 'sent', to: '+48600000001' });
  expect(polish?.body).toBe(
    [
      'Odwolano szczepienie:',
      'dawka 1: 14.01 o 10:00',
      'Przychodnia Mokotow, ul. Marszalkowska 1, Warszawa',
      'Powod: punkt nieczynny tego dnia: "Brak dostaw szczepionki"',
      'Odwolano tez kolejne dawki.',
      'Zamiast tego wolne terminy dawki 1:',
      '- 12.01 o 09:15 w tym samym punkcie',
      '- 12.01 o 09:15 w innym punkcie: Szpital Praski, al. Solidarnosci 67, Warszawa',
      `Zarezerwuj pierwszy: ${link}`,
    ].join('\n'),
  );
  const english = await message(`cancelled:${en.visit.id}:2`);
  expect(english?.body).toContain('Reason: centre closed that day: "Brak dostaw szczepionki"');
  expect(english?.body).toContain(
    '- 12.01 at 09:15, same centre\n- 12.01 at 09:15, other centre: Szpital Praski, al. Solidarnosci 67, Warszawa',
  );
  expect(english?.body).toContain(`Book the first: ${link}`);
  const ukrainian = await message(`cancelled:${uk.visit.id}:2`);
  expect(ukrainian?.body).toContain('Причина: «Brak dostaw szczepionki»');
  expect(ukrainian?.body).toContain(`Натомість вільно: 12.01 09:15, там само\nЗапис: ${link}`);
  for (const sent of [polish, english, ukrainian])
    expect(smsSegments(sent?.body ?? '').segments).toBeLessThanOrEqual(3);
});

test('the offer goes to each phone once however often its events are planned, and names the first dose only', async () => {
  const pl = await patientBooking('+48600000001', 'pl', '10:00');
  await closeWednesday();
  const before = await system.sms.phone.listReceived('+48600000001');

  const events = (
    system.db.prepare("SELECT data FROM outbox WHERE type = 'appointment.cancelled'").all() as Array<{ data: string }>
  ).map((row) => JSON.parse(row.data) as DomainEvent);
  for (const event of events) await planMessagesFor(system.sms.deps, event);
  await settle();

  expect(await system.sms.phone.listReceived('+48600000001')).toEqual(before);
  expect(before.filter((m) => m.key.startsWith('cancelled:'))).toHaveLength(1);
  // The first dose is offered again: the second dose, cancelled with it, is not offered on its own.
  expect(await message(`cancelled:${events.find((e) => e.subjectId !== pl.visit.id)?.subjectId}:2`)).toBeNull();
});

test('a visit cancelled by a confirmed schedule change is offered other times the same way', async () => {
  const pl = await patientBooking('+48600000001', 'pl', '10:00');
  const shorter = aSchedule();
  shorter.weekly.days.wed = [{ from: '08:00', to: '10:00' }];
  const preview = await call('POST', `/api/centres/${first.id}/schedule/preview`, { token: manager, body: shorter });
  const confirm = preview.body.cancellations.map((c: { appointmentId: string }) => c.appointmentId);
  expect(confirm).toContain(pl.visit.id);

  const changed = await call('PUT', `/api/centres/${first.id}/schedule`, {
    token: manager,
    body: { ...shorter, confirmCancellations: confirm },
  });
  await settle();

  expect(changed.status).toBe(200);
  const told = await message(`cancelled:${pl.visit.id}:2`);
  expect(told?.body).toContain('Powod: punkt zmienil godziny pracy');
  expect(told?.body).toContain('Zamiast tego wolne terminy dawki 1:\n- 12.01 o 09:15 w tym samym punkcie');
  expect(told?.body).toContain(`Zarezerwuj pierwszy: ${WEB}/book/`);
});

describe('a visit booked by text message', () => {
  const PHONE = '+48601234567';
  let counter = 0;

  async function text(body: string): Promise<string> {
    counter += 1;
    const sid = `SM${String(counter).padStart(32, '0')}`;
    const reply = await postTwilioForm(`${http.url}/api/sms/inbound`, system.sms.authToken, {
      MessageSid: sid,
      From: PHONE,
      To: '+48800100200',
      Body: body,
    });
    expect(reply.status).toBe(200);
    await settle();
    return (await message(`reply:${sid}`))?.body ?? '';
  }

  test('is offered the first free time to answer TAK or NIE to, and TAK books it for the same phone', async () => {
    // Booked by text at the first centre on Wednesday (every earlier time turned down).
    const citizen = aCitizen({ born: 1950 });
    let offer = await text(`SZCZEPIENIE ${citizen.pesel} 00-950`);
    while (!offer.includes('14.01 o 10:00') || !offer.includes('Mokotow')) offer = await text('NIE');
    await text('TAK');
    const patient = await system.store.runInTransaction((tx) => tx.getPatientByPesel(citizen.pesel));
    const [cancelled] = await system.store.listAppointmentsOfPatient(patient?.id as string);
    expect(cancelled).toMatchObject({ localDate: WEDNESDAY, unverifiedBooking: { phone: PHONE } });

    await closeWednesday();

    const told = await message(`cancelled:${cancelled?.id}:2`);
    expect(told).toMatchObject({ status: 'sent', to: PHONE });
    expect(told?.body).toContain('Powod: punkt nieczynny tego dnia: "Brak dostaw szczepionki"');
    expect(told?.body).toContain('Zamiast tego wolny termin dawki 1: 12.01 o 09:15 w tym samym punkcie');
    expect(told?.body).toContain('Rezerwujemy? Odpowiedz TAK lub NIE.');
    expect(told?.body).not.toContain('/book/');

    const booked = await text('TAK');

    expect(booked).toContain('Zarezerwowano');
    const visits = await system.store.listAppointmentsOfPatient(patient?.id as string);
    const rebooked = visits.filter((a) => a.status === 'booked').sort((a, b) => a.dose - b.dose);
    expect(rebooked.map((a) => [a.dose, a.slotId])).toEqual([
      [1, await slotAt(first.id, '2026-01-12', '09:15')],
      [2, expect.any(String)],
    ]);
    expect(rebooked[0]?.unverifiedBooking).toEqual({ channel: 'sms', phone: PHONE, language: 'pl' });
  });

  test('NIE declines the time offered and brings the next one', async () => {
    const citizen = aCitizen({ born: 1950 });
    let offer = await text(`SZCZEPIENIE ${citizen.pesel} 00-950`);
    while (!offer.includes('14.01 o 10:00') || !offer.includes('Mokotow')) offer = await text('NIE');
    await text('TAK');
    await closeWednesday();

    const next = await text('NIE');

    expect(next).toContain('Odpowiedz TAK lub NIE');
    // That time at that centre is turned down; the soonest other one is the same time at the centre nearby.
    expect(next).toContain('12.01 o 09:15\nSzpital Praski');
  });
});
