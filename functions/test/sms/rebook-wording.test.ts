import { type Language, smsSegments, toInstant } from '@ereg/shared';
import { type Call, client, postTwilioForm } from '../support/http-client.ts';
import { createTestSystem, serve, type TestSystem } from '../support/test-system.ts';

/*
 * What a patient reads when a centre closes the day of their visit, rendered from real bookings on the
 * embedded default: visits at two centres, times offered at the same centre and at another, a course
 * whose second dose was moved to the other centre, a visit booked by text. Each message has to say which
 * visit was cancelled, that the times replace it, and where each time is. `PRINT_SMS=1` prints them all.
 */

const WEB = 'https://szczepienia.gov.pl/zap';
// Monday 2026-01-12, 09:00 in Warsaw; the centres are open 08:00–12:00 on weekdays.
const WEDNESDAY = '2026-01-14';
const THURSDAY = '2026-01-15';
const REASON = 'Brak dostaw szczepionki';

let system: TestSystem;
let http: Awaited<ReturnType<typeof serve>>;
let call: Call;
let phones = 0;

beforeEach(async () => {
  system = await createTestSystem({
    now: '2026-01-12T08:00:00.000Z',
    smsSettings: { contact: { hotline: '989', web: WEB } },
  });
  await system.addRule();
  await system.addCentre({ id: 'c-mokotow', name: 'Przychodnia Mokotów' });
  await system.addCentre({
    id: 'c-praski',
    name: 'Szpital Praski',
    address: { street: 'al. Solidarności 67', postalCode: '03-401', city: 'Warszawa', voivodeship: 'mazowieckie' },
    location: { lat: 52.2547, lon: 21.0361 },
  });
  http = await serve(system);
  call = client(http.url);
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

interface Booked {
  phone: string;
  token: string;
  visits: Array<{ id: string; dose: number }>;
}

/** A patient with their own phone and language books a course (both doses) in the app. */
async function books(language: Language, centreId: string, date: string, time: string): Promise<Booked> {
  const phone = `+486000000${String(++phones).padStart(2, '0')}`;
  const { patientId, token } = await system.newPatient();
  const contact = await call('PUT', `/api/booking/patients/${patientId}/contact`, { token, body: { phone, language } });
  expect(contact.status).toBe(200);
  const booked = await call('POST', '/api/booking/appointments', {
    token,
    body: { slotId: await slotAt(centreId, date, time) },
  });
  expect(booked.status).toBe(201);
  return { phone, token, visits: booked.body.appointments };
}

async function closes(centreId: string, date: string): Promise<void> {
  const manager = await system.tokenFor({ role: 'centre-manager', staffId: `mgr-${centreId}`, centreId });
  const closed = await call('POST', `/api/centres/${centreId}/days/${date}/cancel`, {
    token: manager,
    body: { reason: REASON },
  });
  expect(closed.status).toBe(200);
  await settle();
}

/** The cancellation text a phone received. */
async function toldTo(phone: string): Promise<string> {
  const received = await system.sms.phone.listReceived(phone);
  const cancelled = received.filter((m) => m.key.startsWith('cancelled:'));
  expect(cancelled).toHaveLength(1);
  const body = cancelled[0]?.body ?? '';
  if (process.env.PRINT_SMS) {
    const { encoding, units, segments } = smsSegments(body);
    console.log(`${phone} (${encoding}, ${units} units, ${segments} SMS)\n${body}`);
  }
  return body;
}

const link = (slotId: string) => `${WEB}/book/${slotId}`;

const withinBudget = (body: string) => expect(smsSegments(body).segments).toBeLessThanOrEqual(3);

test('a first dose: the times instead are told apart by where they are, the same centre or another named one', async () => {
  const pl = await books('pl', 'c-mokotow', WEDNESDAY, '10:00');
  const en = await books('en', 'c-mokotow', WEDNESDAY, '10:15');
  const uk = await books('uk', 'c-mokotow', WEDNESDAY, '10:30');

  await closes('c-mokotow', WEDNESDAY);

  const soonest = link(await slotAt('c-mokotow', '2026-01-12', '09:15'));
  const polish = await toldTo(pl.phone);
  expect(polish).toBe(
    [
      'Odwolano szczepienie:',
      'dawka 1: 14.01 o 10:00',
      'Przychodnia Mokotow, ul. Marszalkowska 1, Warszawa',
      `Powod: punkt nieczynny tego dnia: "${REASON}"`,
      'Odwolano tez kolejne dawki.',
      'Zamiast tego wolne terminy dawki 1:',
      '- 12.01 o 09:15 w tym samym punkcie',
      '- 12.01 o 09:15 w innym punkcie: Szpital Praski, al. Solidarnosci 67, Warszawa',
      `Zarezerwuj pierwszy: ${soonest}`,
    ].join('\n'),
  );
  const english = await toldTo(en.phone);
  expect(english).toBe(
    [
      'Vaccination cancelled:',
      'dose 1: 14.01 at 10:15',
      'Przychodnia Mokotow, ul. Marszalkowska 1, Warszawa',
      `Reason: centre closed that day: "${REASON}"`,
      'Later doses cancelled too.',
      'Instead, free slots for dose 1:',
      '- 12.01 at 09:15, same centre',
      '- 12.01 at 09:15, other centre: Szpital Praski, al. Solidarnosci 67, Warszawa',
      `Book the first: ${soonest}`,
    ].join('\n'),
  );
  // Two UCS-2 segments cannot hold it all: the place of the cancelled visit gives way to "the same place".
  const ukrainian = await toldTo(uk.phone);
  expect(ukrainian).toBe(
    [
      'Скасовано: 14.01 10:30 і наступні дози',
      `Причина: «${REASON}»`,
      'Натомість вільно: 12.01 09:15, там само',
      `Запис: ${soonest}`,
    ].join('\n'),
  );
  for (const body of [polish, english, ukrainian]) withinBudget(body);
});

test('a second dose moved to another centre: its cancellation offers times there and back at the first centre', async () => {
  const courses = [
    await books('pl', 'c-mokotow', WEDNESDAY, '11:00'),
    await books('en', 'c-mokotow', WEDNESDAY, '11:15'),
    await books('uk', 'c-mokotow', WEDNESDAY, '11:30'),
  ];
  // Each moves the second dose (due from 04.02) to the other centre on 05.02.
  for (const course of courses) {
    const moved = await call('POST', `/api/booking/appointments/${course.visits[1]?.id}/reschedule`, {
      token: course.token,
      body: { slotId: await slotAt('c-praski', '2026-02-05', '09:00') },
    });
    expect(moved.status).toBe(200);
  }
  await settle();

  await closes('c-praski', '2026-02-05');

  const [pl = '', en = '', uk = ''] = await Promise.all(courses.map((course) => toldTo(course.phone)));
  // The interval opens at 11:00 on 04.02 (21 days after the first dose): the first time offered is then,
  // not a time earlier that day.
  expect(pl).toBe(
    [
      'Odwolano szczepienie:',
      'dawka 2: 05.02 o 09:00',
      'Szpital Praski, al. Solidarnosci 67, Warszawa',
      `Powod: punkt nieczynny tego dnia: "${REASON}"`,
      'Zamiast tego wolne terminy dawki 2:',
      '- 04.02 o 11:00 w tym samym punkcie',
      '- 04.02 o 11:00 w innym punkcie: Przychodnia Mokotow, ul. Marszalkowska 1, Warszawa',
      `Zarezerwuj pierwszy: ${link(await slotAt('c-praski', '2026-02-04', '11:00'))}`,
    ].join('\n'),
  );
  expect(en).toContain(
    'Instead, free slots for dose 2:\n- 04.02 at 11:15, same centre\n- 04.02 at 11:15, other centre: Przychodnia Mokotow',
  );
  expect(uk).toBe(
    [
      'Скасовано: 05.02 09:00',
      `Причина: «${REASON}»`,
      'Натомість вільно: 04.02 11:30, там само',
      `Запис: ${link(await slotAt('c-praski', '2026-02-04', '11:30'))}`,
    ].join('\n'),
  );
  for (const body of [pl, en, uk]) withinBudget(body);
});

test('in Ukrainian a time at another centre names it, the reason giving way when three SMS cannot hold both', async () => {
  const uk = await books('uk', 'c-mokotow', THURSDAY, '10:00');
  const en = await books('en', 'c-mokotow', THURSDAY, '10:15');
  // Nothing is left at the first centre before Thursday.
  await closes('c-mokotow', '2026-01-12');
  await closes('c-mokotow', '2026-01-13');
  await closes('c-mokotow', WEDNESDAY);

  await closes('c-mokotow', THURSDAY);

  const soonest = link(await slotAt('c-praski', '2026-01-12', '09:15'));
  const ukrainian = await toldTo(uk.phone);
  expect(ukrainian).toBe(
    [
      'Скасовано: 15.01 10:00 і наступні дози',
      'Натомість вільно: 12.01 09:15, Szpital Praski, al. Solidarności 67, Warszawa',
      `Запис: ${soonest}`,
    ].join('\n'),
  );
  const english = await toldTo(en.phone);
  expect(english).toContain(
    [
      // Two times at one centre: one line, the place named once.
      'Instead, free slots for dose 1: 12.01 at 09:15 or 12.01 at 09:30, other centre: Szpital Praski, al. Solidarnosci 67, Warszawa',
      `Book the first: ${soonest}`,
    ].join('\n'),
  );
  for (const body of [ukrainian, english]) withinBudget(body);
});

test('a visit booked by text is offered one time, with its place, to answer TAK or NIE to', async () => {
  const PHONE = '+48601234567';
  let sid = 0;
  const text = async (body: string) => {
    const id = `SM${String(++sid).padStart(32, '0')}`;
    const reply = await postTwilioForm(`${http.url}/api/sms/inbound`, system.sms.authToken, {
      MessageSid: id,
      From: PHONE,
      To: '+48800100200',
      Body: body,
    });
    expect(reply.status).toBe(200);
    await settle();
    return (await system.store.runInTransaction((tx) => tx.getSmsMessage(`reply:${id}`)))?.body ?? '';
  };
  const { aCitizen } = await import('../support/builders.ts');
  let offer = await text(`SZCZEPIENIE ${aCitizen({ born: 1950 }).pesel} 00-950`);
  while (!offer.includes('14.01 o 10:00') || !offer.includes('Mokotow')) offer = await text('NIE');
  await text('TAK');

  await closes('c-mokotow', WEDNESDAY);

  expect(await toldTo(PHONE)).toBe(
    [
      'Odwolano szczepienie:',
      'dawka 1: 14.01 o 10:00',
      'Przychodnia Mokotow, ul. Marszalkowska 1, Warszawa',
      `Powod: punkt nieczynny tego dnia: "${REASON}"`,
      'Odwolano tez kolejne dawki.',
      'Zamiast tego wolny termin dawki 1: 12.01 o 09:15 w tym samym punkcie',
      'Rezerwujemy? Odpowiedz TAK lub NIE.',
    ].join('\n'),
  );
});
