import type { Centre } from '@ereg/shared';
import { aBirthYearRule, aSchedule } from '../support/builders.ts';
import { type Call, client, postTwilioForm } from '../support/http-client.ts';
import { createTestSystem, serve, type TestSystem } from '../support/test-system.ts';

// A Monday, 09:00 in Warsaw: outside the quiet hours.
const NOW = '2026-01-12T08:00:00.000Z';
const WEDNESDAY = '2026-01-14';
const THURSDAY = '2026-01-15';

let system: TestSystem;
let http: Awaited<ReturnType<typeof serve>>;
let call: Call;
let centre: Centre;

beforeAll(async () => {
  system = await createTestSystem({ now: NOW });
  await system.addRule(aBirthYearRule(1970));
  // One place a slot, so one freed place is one offer.
  centre = await system.addCentre({ schedule: aSchedule({ capacity: { comirnaty: 1 } }) });
  http = await serve(system);
  call = client(http.url);
});

afterAll(async () => {
  await http?.close();
  await system?.close();
});

interface Person {
  patientId: string;
  token: string;
  phone: string;
}

/** A person logged in, with their own phone for texts. */
async function person(phone: string): Promise<Person> {
  const { patientId, token } = await system.newPatient({ born: 1950 });
  const contact = await call('PUT', `/api/booking/patients/${patientId}/contact`, { token, body: { phone } });
  expect(contact.status).toBe(200);
  return { patientId, token, phone };
}

/** The first free slot of the centre on a day. */
async function firstSlotOn(date: string): Promise<{ slotId: string; start: string }> {
  const found = await call('GET', `/api/search?postalCode=00-950&vaccineId=comirnaty&from=${date}&to=${date}`);
  expect(found.status).toBe(200);
  const result = found.body.results.find((r: { centre: { id: string } }) => r.centre.id === centre.id);
  const [slot] = result.slots;
  expect(slot.localStart.startsWith(date)).toBe(true);
  return { slotId: slot.slotId, start: slot.start };
}

/** Books a course from a slot; answers the first dose's visit. */
async function book(who: Person, slotId: string): Promise<string> {
  const booked = await call('POST', '/api/booking/appointments', {
    token: who.token,
    body: { slotId },
    headers: { 'idempotency-key': `book-${who.patientId}-${slotId}` },
  });
  expect(booked.status).toBe(201);
  expect(booked.body.appointments[0]).toMatchObject({ dose: 1, slotId, status: 'booked' });
  return booked.body.appointments[0].id;
}

async function cancel(who: Person, appointmentId: string): Promise<void> {
  const cancelled = await call('POST', `/api/booking/appointments/${appointmentId}/cancel`, {
    token: who.token,
    body: {},
  });
  expect(cancelled.status).toBe(200);
}

async function joinStandby(who: Person, date: string): Promise<void> {
  const joined = await call('PUT', `/api/booking/standby/${who.patientId}`, {
    token: who.token,
    body: { from: date, to: date, postalCode: '00-950', maxKm: 10 },
  });
  expect(joined.status).toBe(200);
  expect(joined.body.standby.entry).toMatchObject({ status: 'waiting', texted: true });
}

async function standbyOf(who: Person) {
  const view = await call('GET', `/api/booking/standby/${who.patientId}`, { token: who.token });
  expect(view.status).toBe(200);
  return view.body;
}

/** Events delivered, texts due sent, then one run of the standby list. */
async function settle(): Promise<void> {
  await system.dispatcher.drain();
  await system.sms.runner.runDue();
}

async function tick() {
  await settle();
  const run = await system.standby.tick();
  await settle();
  return run;
}

/** The texts a phone received, oldest first. */
async function textsTo(phone: string): Promise<string[]> {
  return (await system.sms.phone.listReceived(phone)).map((m) => m.body).reverse();
}

const offers = (texts: string[]) => texts.filter((t) => t.startsWith('Zwolnil sie termin'));
const lapses = (texts: string[]) => texts.filter((t) => t.startsWith('Brak odpowiedzi'));

let sid = 0;
/** A text from a phone, through the inbound route as Twilio posts it. */
async function text(from: string, body: string): Promise<void> {
  sid += 1;
  const form = { MessageSid: `SM${String(sid).padStart(32, '0')}`, From: from, To: '+48800100200', Body: body };
  const reply = await postTwilioForm(`${http.url}/api/sms/inbound`, system.sms.authToken, form);
  expect(reply.status).toBe(200);
  await settle();
}

describe('the standby list, end to end on the local system', () => {
  const a = { phone: '+48601000001' } as Person;
  const b = { phone: '+48601000002' } as Person;
  const c = { phone: '+48601000003' } as Person;
  const d = { phone: '+48601000004' } as Person;
  const e = { phone: '+48601000005' } as Person;
  let freed: { slotId: string; start: string };

  test('a cancelled visit is offered to the person waiting, who takes it by text', async () => {
    Object.assign(a, await person(a.phone));
    Object.assign(b, await person(b.phone));
    freed = await firstSlotOn(WEDNESDAY);
    const visit = await book(a, freed.slotId);
    await joinStandby(b, WEDNESDAY);
    expect((await standbyOf(b)).ahead).toBe(0);

    await cancel(a, visit);
    const run = await tick();
    expect(run.offered).toBe(1);

    const view = await standbyOf(b);
    expect(view.entry.status).toBe('offered');
    expect(view.offer).toMatchObject({ slotId: freed.slotId, status: 'open', centre: { id: centre.id } });
    expect(view.offer.localStart).toBe(`${WEDNESDAY}T08:00`);
    const offerId = view.offer.id;
    // Nobody else may book the held place meanwhile.
    const search = await firstSlotOn(WEDNESDAY);
    expect(search.slotId).not.toBe(freed.slotId);

    // Another run makes no second offer, and the offer is texted once.
    expect((await tick()).offered).toBe(0);
    const offered = offers(await textsTo(b.phone));
    expect(offered).toHaveLength(1);
    expect(offered[0]).toContain('14.01 o 08:00');
    expect(offered[0]).toContain('TAK lub NIE');

    await text(b.phone, 'TAK');
    const visits = await call('GET', `/api/booking/patients/${b.patientId}/appointments`, { token: b.token });
    expect(visits.status).toBe(200);
    const first = visits.body.appointments.find((v: { dose: number }) => v.dose === 1);
    expect(first).toMatchObject({ slotId: freed.slotId, status: 'booked', patientId: b.patientId });
    const after = await standbyOf(b);
    expect(after.offer).toBeNull();
    expect(after.offers.find((o: { id: string }) => o.id === offerId)).toMatchObject({
      status: 'taken',
      appointmentId: first.id,
    });
    expect((await textsTo(b.phone)).some((t) => t.startsWith('Termin 14.01 o 08:00 jest Twoj'))).toBe(true);
    expect(offers(await textsTo(b.phone))).toHaveLength(1);
    // A's cancelled visit stays cancelled, and the place counts once.
    const slot = await system.store.getSlot(freed.slotId);
    expect(slot).toMatchObject({ capacity: 1, booked: 1 });
  });

  test('an offer left unanswered lapses when its hold ends and goes to the next person in line', async () => {
    Object.assign(c, await person(c.phone));
    Object.assign(d, await person(d.phone));
    Object.assign(e, await person(e.phone));
    const place = await firstSlotOn(THURSDAY);
    const visit = await book(e, place.slotId);
    await joinStandby(c, THURSDAY);
    await joinStandby(d, THURSDAY);
    expect((await standbyOf(d)).ahead).toBe(1);

    await cancel(e, visit);
    expect((await tick()).offered).toBe(1);
    const held = await standbyOf(c);
    expect(held.offer).toMatchObject({ slotId: place.slotId, status: 'open' });
    expect((await standbyOf(d)).offer).toBeNull();
    const holdMinutes = system.deps.settings.standby.holdMinutes;
    expect(Date.parse(held.offer.expiresAt) - Date.parse(NOW)).toBeLessThanOrEqual(holdMinutes * 60_000 + 60_000);

    // Still held a minute before it ends.
    system.clock.set(new Date(Date.parse(held.offer.expiresAt) - 60_000).toISOString());
    expect(await tick()).toMatchObject({ expired: 0, offered: 0 });
    expect((await standbyOf(c)).offer).toMatchObject({ id: held.offer.id, status: 'open' });

    system.clock.set(new Date(Date.parse(held.offer.expiresAt) + 60_000).toISOString());
    expect((await tick()).expired).toBe(1);
    const lapsed = await standbyOf(c);
    expect(lapsed.offer).toBeNull();
    expect(lapsed.entry).toMatchObject({ status: 'waiting', silentOffers: 1 });
    expect(lapsed.offers.find((o: { id: string }) => o.id === held.offer.id)).toMatchObject({ status: 'expired' });
    const expired = system.db
      .prepare("SELECT count(*) AS n FROM outbox WHERE type = 'standby.expired' AND instr(data, ?) > 0")
      .get(held.offer.id) as { n: number };
    expect(expired.n).toBe(1);

    const next = await standbyOf(d);
    expect(next.entry.status).toBe('offered');
    expect(next.offer).toMatchObject({ slotId: place.slotId, status: 'open' });
    expect(next.offer.id).not.toBe(held.offer.id);
    expect(Date.parse(next.offer.expiresAt)).toBeGreaterThan(system.clock.now().getTime());
    // The place stays held: counted once, for D now.
    expect(await system.store.getSlot(place.slotId)).toMatchObject({ capacity: 1, booked: 1 });

    // Another run changes nothing, and each text went once.
    expect(await tick()).toMatchObject({ expired: 0, offered: 0 });
    const toC = await textsTo(c.phone);
    expect(offers(toC)).toHaveLength(1);
    expect(offers(toC)[0]).toContain('15.01 o 08:00');
    expect(lapses(toC)).toHaveLength(1);
    const toD = await textsTo(d.phone);
    expect(offers(toD)).toHaveLength(1);
    expect(offers(toD)[0]).toContain('15.01 o 08:00');
    expect(lapses(toD)).toHaveLength(0);
    expect(offers(await textsTo(b.phone))).toHaveLength(1);
  });
});
