import {
  type AuditRecord,
  DEFAULT_SMS_SETTINGS,
  type Language,
  maskPhone,
  type Patient,
  renderSms,
  type SmsTemplateInput,
} from '@ereg/shared';
import { twilioSignature } from '../../src/adapters/twilio/twilio-signature.ts';
import { aBirthYearRule, aCitizen } from '../support/builders.ts';
import { client, postTwilioForm } from '../support/http-client.ts';
import { createTestSystem, serve, type TestSystem } from '../support/test-system.ts';

/*
 * Booking by text message, end to end through the HTTP webhook as Twilio calls it (form-encoded,
 * signed with the account's auth token), on the embedded default: replies go out through the
 * message ledger to the local phone.
 */

let system: TestSystem;
let http: Awaited<ReturnType<typeof serve>>;
let counter = 0;
const PHONE = '+48601234567';
const contact = DEFAULT_SMS_SETTINGS.contact;

beforeEach(async () => {
  system = await createTestSystem({ now: '2026-01-12T08:00:00.000Z' });
  await system.addRule(aBirthYearRule(1970));
  await system.addCentre();
  http = await serve(system);
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

async function post(path: string, form: Record<string, string>, signature?: string) {
  const url = `${http.url}/api/sms${path}`;
  const reply = await postTwilioForm(url, system.sms.authToken, form, signature);
  return { status: reply.status, text: await reply.text(), type: reply.headers.get('content-type') };
}

/** The phone texts the system; answers the reply the phone then receives. */
async function text(body: string, options: { from?: string; sid?: string } = {}): Promise<string> {
  counter += 1;
  const sid = options.sid ?? `SM${String(counter).padStart(32, '0')}`;
  const reply = await post('/inbound', {
    MessageSid: sid,
    From: options.from ?? PHONE,
    To: '+48800100200',
    Body: body,
  });
  expect(reply.status).toBe(200);
  expect(reply.text).toContain('<Response>');
  await settle();
  const answer = await system.store.runInTransaction((tx) => tx.getSmsMessage(`reply:${sid}`));
  expect(answer?.status).toBe('sent');
  return answer?.body ?? '';
}

const wording = (template: SmsTemplateInput, language: Language = 'pl') => renderSms(template, language);

describe('booking by text message', () => {
  test('a keyword with PESEL and postal code brings the soonest slot, NO the next one, YES books the course', async () => {
    const citizen = aCitizen({ born: 1950 });
    const first = await text(`szczepienie ${citizen.pesel} 00-950`);
    expect(first).toMatch(/Najblizszy wolny termin szczepienia: 12\.01 o 09:15/);
    expect(first).toContain('Odpowiedz TAK lub NIE');
    const second = await text('nie');
    expect(second).toMatch(/12\.01 o 09:30/);
    const booked = await text('TAK');
    expect(booked).toBe(wording({ kind: 'booked_reply', contact }));
    // The record holds nothing the text could not prove: no names, and the phone is the booking's, not the person's.
    const patient = await system.store.runInTransaction((tx) => tx.getPatientByPesel(citizen.pesel));
    expect(patient).toMatchObject({ givenName: '', familyName: '', phone: null, language: 'pl' });
    const visits = await system.store.listAppointmentsOfPatient(patient?.id ?? '');
    expect(visits.map((a) => a.unverifiedBooking)).toEqual([
      { channel: 'sms', phone: PHONE, language: 'pl' },
      { channel: 'sms', phone: PHONE, language: 'pl' },
    ]);
    expect(visits.map((a) => [a.dose, a.status])).toEqual([
      [1, 'booked'],
      [2, 'booked'],
    ]);
    expect(visits[0]?.start).toBe('2026-01-12T08:30:00.000Z');
    // The booking's own confirmation follows, with both doses.
    const confirmation = (await system.store.listSmsMessages({ limit: 50, to: PHONE })).find(
      (m) => m.purpose === 'booked',
    );
    expect(confirmation?.status).toBe('sent');
    expect(confirmation?.body).toContain('dawka 2:');
    // The conversation is over: another YES has nothing to answer.
    expect(await text('tak')).toBe(wording({ kind: 'no_offer', contact }));
  });

  test('NO after NO brings ever later times, never one already turned down', async () => {
    const offers = [await text(`SZCZEPIENIE ${aCitizen({ born: 1950 }).pesel} 00-950`)];
    for (let i = 0; i < 7; i++) offers.push(await text('NIE'));
    const times = offers.map((offer) => /(\d\d\.\d\d) o (\d\d:\d\d)/.exec(offer)?.slice(1).join(' '));
    expect(times).toEqual([
      '12.01 09:15',
      '12.01 09:30',
      '12.01 09:45',
      '12.01 10:00',
      '12.01 10:15',
      '12.01 10:30',
      '12.01 10:45',
      '12.01 11:00',
    ]);
  });

  test('the keyword in English gets the conversation in English', async () => {
    const citizen = aCitizen({ born: 1950 });
    const offer = await text(`VACCINE 00950 ${citizen.pesel}`);
    expect(offer).toContain('Reply YES or NO');
    expect(await text('yes')).toBe(wording({ kind: 'booked_reply', contact }, 'en'));
  });

  test('a bad PESEL, an unknown text and a keyword without a postal code get a short explanation', async () => {
    expect(await text('SZCZEPIENIE 44051401358 00-950')).toBe(wording({ kind: 'invalid_pesel', contact }));
    expect(await text('hello?')).toBe(wording({ kind: 'help', contact }));
    expect(await text(`SZCZEPIENIE ${aCitizen().pesel}`)).toBe(wording({ kind: 'invalid_postal_code', contact }));
    expect(await text('TAK')).toBe(wording({ kind: 'no_offer', contact }));
  });

  test('a person not yet eligible is told from when, and one with no rule at all that they cannot book', async () => {
    await system.addRule({
      id: 'born-1985',
      kind: 'birthYear',
      bornInOrBefore: 1985,
      from: '2026-02-01',
      description: '1985',
    });
    const soon = await text(`SZCZEPIENIE ${aCitizen({ born: 1980 }).pesel} 00-950`);
    expect(soon).toBe(wording({ kind: 'not_eligible', eligibleFrom: '2026-02-01', contact }));
    expect(soon).toContain('01.02');
    const never = await text(`SZCZEPIENIE ${aCitizen({ born: 2000 }).pesel} 00-950`);
    expect(never).toBe(wording({ kind: 'not_eligible', eligibleFrom: null, contact }));
  });

  test('no centre near the postal code: no slots, and the hotline', async () => {
    const reply = await text(`SZCZEPIENIE ${aCitizen({ born: 1950 }).pesel} 15-001`);
    expect(reply).toBe(wording({ kind: 'no_slots', contact }));
    expect(reply).toContain(contact.hotline);
  });

  test('someone who already has a visit: the phone is told one exists and to call, never when or where', async () => {
    const citizen = aCitizen({ born: 1950 });
    await text(`SZCZEPIENIE ${citizen.pesel} 00-950`);
    await text('TAK');
    const again = await text(`SZCZEPIENIE ${citizen.pesel} 00-950`);
    expect(again).toBe(wording({ kind: 'visit_exists', contact }));
    expect(again).toContain(contact.hotline);
    expect(again).not.toMatch(/\d\d\.\d\d|\d\d:\d\d|Punkt/);
  });

  test('an answer after the conversation expired books nothing', async () => {
    const citizen = aCitizen({ born: 1950 });
    await text(`SZCZEPIENIE ${citizen.pesel} 00-950`);
    system.clock.set('2026-01-12T08:16:00.000Z');
    expect(await text('TAK')).toBe(wording({ kind: 'no_offer', contact }));
    const patient = await system.store.runInTransaction((tx) => tx.getPatientByPesel(citizen.pesel));
    expect(await system.store.listAppointmentsOfPatient(patient?.id ?? '')).toEqual([]);
  });

  test('a webhook Twilio retries with the same message id is answered once and books once', async () => {
    const citizen = aCitizen({ born: 1950 });
    await text(`SZCZEPIENIE ${citizen.pesel} 00-950`);
    await text('TAK', { sid: 'SMretried' });
    await text('TAK', { sid: 'SMretried' });
    const replies = (await system.sms.phone.listReceived(PHONE)).filter((m) => m.key === 'reply:SMretried');
    expect(replies).toHaveLength(1);
    const patient = await system.store.runInTransaction((tx) => tx.getPatientByPesel(citizen.pesel));
    expect(await system.store.listAppointmentsOfPatient(patient?.id ?? '')).toHaveLength(2);
  });

  test('a request without Twilio’s signature, or signed for other content, is refused and changes nothing', async () => {
    const form = { MessageSid: 'SMforged', From: PHONE, To: '+48800100200', Body: 'TAK' };
    const unsigned = await post('/inbound', form, '');
    expect(unsigned.status).toBe(403);
    expect(JSON.parse(unsigned.text).error.code).toBe('INVALID_SIGNATURE');
    const url = `${http.url}/api/sms/inbound`;
    const forged = await post('/inbound', form, twilioSignature(system.sms.authToken, url, { ...form, Body: 'NIE' }));
    expect(forged.status).toBe(403);
    expect(await system.store.runInTransaction((tx) => tx.getSmsMessage('reply:SMforged'))).toBeNull();
  });
});

describe('booking by text is an unverified channel: a stranger texting someone else’s PESEL', () => {
  const OWN = '+48600100200';
  const limit = () => wording({ kind: 'phone_limit', people: DEFAULT_SMS_SETTINGS.peoplePerPhonePerDay, contact });

  /** Someone who logged in through the identity provider, which gave their names and their phone. */
  async function personWhoLoggedIn(): Promise<{ citizen: ReturnType<typeof aCitizen>; patient: Patient }> {
    const citizen = { ...aCitizen({ born: 1950 }), phone: OWN };
    const assertion = await system.identity.issueAssertion(citizen);
    const session = await client(http.url)('POST', '/api/login', { body: { assertion } });
    expect(session.status).toBe(200);
    return { citizen, patient: session.body.patient as Patient };
  }

  const allAudit = (): AuditRecord[] =>
    (system.db.prepare('SELECT data FROM audit ORDER BY at, id').all() as Array<{ data: string }>).map(
      (row) => JSON.parse(row.data) as AuditRecord,
    );

  test('the person keeps their own names and phone, the look-up and booking are audited by the phone, the centre is told to check identity, and the person’s phone is told', async () => {
    const { citizen, patient } = await personWhoLoggedIn();

    expect(await text(`SZCZEPIENIE ${citizen.pesel} 00-950`)).toContain('Odpowiedz TAK lub NIE');
    expect(await text('TAK')).toBe(wording({ kind: 'booked_reply', contact }));

    expect(await system.store.getPatient(patient.id)).toEqual(patient);
    expect(
      (await system.store.listAudit(patient.id)).map((a) => [a.actor.role, a.actor.id, a.action, a.reason]),
    ).toEqual([
      ['sms', PHONE, 'sms-lookup', 'booking by text message'],
      ['sms', PHONE, 'book', 'booking by text message'],
    ]);

    const centreId = (await system.store.listAppointmentsOfPatient(patient.id))[0]?.centreId as string;
    const staff = await system.tokenFor({ role: 'staff', staffId: 'st-sms', centreId });
    const day = await client(http.url)('GET', `/api/centres/${centreId}/day?date=2026-01-12`, { token: staff });
    expect(day.status).toBe(200);
    const entry = day.body.appointments.find((a: { patient: { id: string } }) => a.patient.id === patient.id);
    expect(entry.identityCheck).toEqual({ channel: 'sms', bookedByPhone: PHONE });
    expect(entry.patient).toMatchObject({ givenName: citizen.givenName, phone: OWN });

    const toBooker = (await system.sms.phone.listReceived(PHONE)).map((m) => m.key);
    expect(toBooker.some((key) => key.startsWith('booked:'))).toBe(true);
    const toPerson = await system.sms.phone.listReceived(OWN);
    expect(toPerson.map((m) => m.key.split(':')[0])).toEqual(['booked_by_text']);
    expect(toPerson[0]?.body).toBe(wording({ kind: 'booked_by_text', bookedBy: maskPhone(PHONE), contact }));
    expect(toPerson[0]?.body).toContain('+48 *** *** 567');
  });

  test('a look-up of a PESEL nobody registered is audited with no patient and leaves no record', async () => {
    const citizen = aCitizen({ born: 1950 });

    await text(`SZCZEPIENIE ${citizen.pesel} 00-950`);

    expect(await system.store.runInTransaction((tx) => tx.getPatientByPesel(citizen.pesel))).toBeNull();
    const audit = allAudit();
    expect(audit.map((a) => [a.actor.role, a.actor.id, a.patientId, a.action])).toEqual([
      ['sms', PHONE, null, 'sms-lookup-miss'],
    ]);
    expect(JSON.stringify(audit)).not.toContain(citizen.pesel);
  });

  test('an already-booked PESEL gets a reply with no time, date or centre of the visit', async () => {
    const { citizen } = await personWhoLoggedIn();
    await text(`SZCZEPIENIE ${citizen.pesel} 00-950`, { from: OWN });
    await text('TAK', { from: OWN });

    const reply = await text(`SZCZEPIENIE ${citizen.pesel} 00-950`);

    expect(reply).toBe(wording({ kind: 'visit_exists', contact }));
    expect(reply).not.toMatch(/\d\d\.\d\d|\d\d:\d\d|Punkt|Marszalkowska/);
  });

  test('a sixth person from one phone in a day is refused and no record is made for them', async () => {
    const people = Array.from({ length: 6 }, () => aCitizen({ born: 1950 }));
    for (const person of people.slice(0, 5)) {
      await text(`SZCZEPIENIE ${person.pesel} 00-950`);
      expect(await text('TAK')).toBe(wording({ kind: 'booked_reply', contact }));
    }
    const patientsBefore = (system.db.prepare('SELECT count(*) AS n FROM patients').get() as { n: number }).n;

    expect(await text(`SZCZEPIENIE ${people[5]?.pesel} 00-950`)).toBe(limit());
    expect(await text('TAK')).toBe(wording({ kind: 'no_offer', contact }));

    expect(await system.store.runInTransaction((tx) => tx.getPatientByPesel(people[5]?.pesel as string))).toBeNull();
    expect((system.db.prepare('SELECT count(*) AS n FROM patients').get() as { n: number }).n).toBe(patientsBefore);
    // Another phone is not held back by this one.
    expect(await text(`SZCZEPIENIE ${people[5]?.pesel} 00-950`, { from: '+48602345678' })).toContain('TAK lub NIE');
  });

  test('texts from one phone arriving at once cannot pass the limit', async () => {
    const people = Array.from({ length: 12 }, () => aCitizen({ born: 1950 }));
    const sids = people.map((_, i) => `SMconcurrent${String(i).padStart(22, '0')}`);
    const url = `${http.url}/api/sms/inbound`;

    const posted = await Promise.all(
      people.map((person, i) => {
        const form = {
          MessageSid: sids[i] as string,
          From: PHONE,
          To: '+48800100200',
          Body: `SZCZEPIENIE ${person.pesel} 00-950`,
        };
        return post('/inbound', form, twilioSignature(system.sms.authToken, url, form));
      }),
    );
    expect(posted.map((p) => p.status)).toEqual(people.map(() => 200));
    await settle();

    const replies = await Promise.all(
      sids.map(async (sid) => (await system.store.runInTransaction((tx) => tx.getSmsMessage(`reply:${sid}`)))?.body),
    );
    const quota = DEFAULT_SMS_SETTINGS.peoplePerPhonePerDay;
    expect(replies.filter((r) => r === limit())).toHaveLength(people.length - quota);
    expect(replies.filter((r) => r?.includes('Odpowiedz TAK lub NIE'))).toHaveLength(quota);
    expect(allAudit()).toHaveLength(quota);
    const counted = await system.store.runInTransaction((tx) => tx.getSmsPhoneDay(PHONE, '2026-01-12'));
    expect(counted?.pesels).toHaveLength(quota);
  });

  test('a later login by the person brings their verified names; the phone that booked is not theirs', async () => {
    const citizen = { ...aCitizen({ born: 1950 }), phone: null };
    await text(`SZCZEPIENIE ${citizen.pesel} 00-950`);
    await text('TAK');
    const made = await system.store.runInTransaction((tx) => tx.getPatientByPesel(citizen.pesel));
    expect(made).toMatchObject({ givenName: '', familyName: '', phone: null });

    const assertion = await system.identity.issueAssertion(citizen);
    const session = await client(http.url)('POST', '/api/login', { body: { assertion } });

    expect(session.status).toBe(200);
    expect(session.body.patient).toMatchObject({
      id: made?.id,
      givenName: citizen.givenName,
      familyName: citizen.familyName,
      phone: null,
    });
    const me = await client(http.url)('GET', '/api/login/me', { token: session.body.token });
    expect(me.body.patient).toMatchObject({
      givenName: citizen.givenName,
      familyName: citizen.familyName,
      phone: null,
    });
  });
});

describe('delivery reports', () => {
  test('a signed status callback marks the message delivered; an unknown key is a 404', async () => {
    const key = `reply:${'SM'.padEnd(34, '7')}`;
    await text('POMOC', { sid: key.slice('reply:'.length) });
    const path = `/status?messageKey=${encodeURIComponent(key)}`;
    const delivered = await post(path, { MessageSid: 'SMabc', MessageStatus: 'delivered', To: PHONE });
    expect(delivered.status).toBe(200);
    expect(await system.store.runInTransaction((tx) => tx.getSmsMessage(key))).toMatchObject({ status: 'delivered' });
    // A late "sent" report does not undo "delivered", and the same report again tells nothing new.
    await post(path, { MessageSid: 'SMabc', MessageStatus: 'sent', To: PHONE });
    await post(path, { MessageSid: 'SMabc', MessageStatus: 'delivered', To: PHONE });
    expect((await system.store.runInTransaction((tx) => tx.getSmsMessage(key)))?.status).toBe('delivered');
    const told = (
      system.db.prepare("SELECT data FROM outbox WHERE type = 'sms.status_changed'").all() as Array<{ data: string }>
    ).map((row) => JSON.parse(row.data));
    expect(told.filter((e) => e.subjectId === key).map((e) => [e.data.purpose, e.data.status, e.actor.id])).toEqual([
      ['reply', 'sent', 'sms-sender'],
      ['reply', 'delivered', 'sms-delivery-report'],
    ]);
    expect(JSON.stringify(told)).not.toContain(PHONE.slice(1));
    const unknown = await post('/status?messageKey=reply%3Anone', { MessageSid: 'SMx', MessageStatus: 'delivered' });
    expect(unknown.status).toBe(404);
    const unsigned = await post(path, { MessageSid: 'SMabc', MessageStatus: 'failed' }, 'bad');
    expect(unsigned.status).toBe(403);
  });
});
