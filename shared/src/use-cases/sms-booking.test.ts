import { CentreDirectory } from '../centre-directory.ts';
import { maskPhone } from '../messages/phone.ts';
import { renderSms, type SmsTemplateInput } from '../messages/sms-templates.ts';
import type { Centre, Language, Patient } from '../model.ts';
import { PostalCodes } from '../postal-codes.ts';
import type { SmsRecord, SmsSender } from '../sms.ts';
import type { TaskQueue } from '../task-queue.ts';
import { aBirthYearRule, aCitizen, createMemorySystem, type MemorySystem } from '../testing/index.ts';
import { bookAppointment } from './book-appointment.ts';
import { getCentreDay } from './centre-day.ts';
import { login } from './login.ts';
import { cancelAppointment, rescheduleAppointment } from './manage-appointments.ts';
import { receiveText } from './sms-booking.ts';
import { runStandbyMatcher, StandbyNotes } from './standby.ts';
import { DEFAULT_SMS_SETTINGS, planMessagesFor, type SmsDeps, type SmsSettings } from './text-messages.ts';

/*
 * Booking by text message on the in-memory store: what a phone that texts a PESEL may learn and
 * change, what is kept of it, and who is told. Messages are planned into the ledger from the events
 * (the SMS planner's work); the task queue and the provider are edges these tests do not read.
 */

const STRANGER = '+48601234567';
const OTHER = '+48602345678';
const OWN = '+48600100200';

let system: MemorySystem;
let deps: SmsDeps;
let centre: Centre;
let sid = 0;
let planned = 0;

const tasks: TaskQueue = { schedule: async () => 'scheduled', cancel: async () => {} };
const provider: SmsSender = { send: async (message) => ({ providerId: `SM-${message.key}` }) };

function start(settings: Partial<SmsSettings> = {}): void {
  system = createMemorySystem();
  deps = {
    ...system.deps,
    tasks,
    sms: provider,
    smsSettings: { ...DEFAULT_SMS_SETTINGS, ...settings },
    centres: new CentreDirectory(system.store, system.clock, PostalCodes.fromRows([]), 0, 0),
  };
  planned = 0;
}

beforeEach(async () => {
  start();
  await system.addRule(aBirthYearRule(1970));
  centre = await system.addCentre();
});

const contact = DEFAULT_SMS_SETTINGS.contact;
const wording = (template: SmsTemplateInput, language: Language = 'pl') => renderSms(template, language);

/** A phone texts us; answers the reply it gets. */
async function text(body: string, from = STRANGER): Promise<string> {
  sid += 1;
  const reply = await receiveText(deps, { from, body, providerMessageId: `SM${sid}` });
  return reply.body;
}

/** Plans the messages of every event committed since the last call, as the SMS planner would. */
async function planMessages(): Promise<void> {
  const events = system.store.events();
  for (const event of events.slice(planned)) await planMessagesFor(deps, event);
  planned = events.length;
}

const ledgerTo = async (phone: string): Promise<SmsRecord[]> =>
  (await system.store.listSmsMessages({ limit: 100, to: phone })).filter((m) => m.purpose !== 'reply');

const byPesel = (pesel: string) => system.store.runInTransaction((tx) => tx.getPatientByPesel(pesel));

/** A person who logged in once, with their own phone (verified) and their names from the provider. */
async function registered(options: { born?: number; phone?: string | null } = {}): Promise<Patient> {
  const citizen = {
    ...aCitizen({ born: options.born ?? 1950 }),
    phone: options.phone === undefined ? OWN : options.phone,
  };
  const { patient } = await login(system.deps, JSON.stringify(citizen));
  return patient;
}

/** The phone starts a booking for a PESEL and says YES to the first proposal. */
async function bookFor(pesel: string, from = STRANGER): Promise<string> {
  const offer = await text(`SZCZEPIENIE ${pesel} 00-950`, from);
  expect(offer).toContain('Odpowiedz TAK lub NIE');
  return text('TAK', from);
}

describe('a stranger books for a PESEL', () => {
  test('nothing is created when the PESEL is texted; YES makes a record with no names and no phone', async () => {
    const citizen = aCitizen({ born: 1950 });

    await text(`SZCZEPIENIE ${citizen.pesel} 00-950`);
    expect(await byPesel(citizen.pesel)).toBeNull();
    expect(system.store.counts().patients).toBe(0);

    expect(await text('TAK')).toBe(wording({ kind: 'booked_reply', contact }));
    const patient = await byPesel(citizen.pesel);
    expect(patient).toMatchObject({ givenName: '', familyName: '', phone: null, birthDate: citizen.birthDate });
  });

  test('the visits carry the booking phone as their contact and are recorded as made by it', async () => {
    const citizen = aCitizen({ born: 1950 });
    await bookFor(citizen.pesel);

    const patient = (await byPesel(citizen.pesel)) as Patient;
    const visits = await system.store.listAppointmentsOfPatient(patient.id);
    expect(visits).toHaveLength(2);
    for (const visit of visits) {
      expect(visit.unverifiedBooking).toEqual({ channel: 'sms', phone: STRANGER, language: 'pl' });
      expect(visit.bookedBy).toEqual({ role: 'sms', id: STRANGER });
    }
    expect(system.store.eventsOfType('appointment.booked').map((e) => e.actor)).toEqual([
      { role: 'sms', id: STRANGER },
      { role: 'sms', id: STRANGER },
    ]);
  });

  test('the look-up (hit or miss) and the booking are audited as made by the phone', async () => {
    const unknown = aCitizen({ born: 1950 });
    const known = await registered();

    await text(`SZCZEPIENIE ${unknown.pesel} 00-950`);
    await bookFor(known.pesel, OTHER);

    expect(system.store.auditRecords().map((a) => [a.actor.role, a.actor.id, a.patientId, a.action, a.reason])).toEqual(
      [
        ['sms', STRANGER, null, 'sms-lookup-miss', 'booking by text message'],
        ['sms', OTHER, known.id, 'sms-lookup', 'booking by text message'],
        ['sms', OTHER, known.id, 'book', 'booking by text message'],
      ],
    );
    expect(JSON.stringify(system.store.auditRecords())).not.toContain(unknown.pesel);
  });

  test('an existing person’s verified names and phone are left as they were', async () => {
    const person = await registered();

    await bookFor(person.pesel);

    expect(await system.store.getPatient(person.id)).toEqual(person);
  });

  test('the confirmation goes to the booking phone in its language; the person’s own phone gets the notice', async () => {
    const person = await registered();
    const offer = await text(`VACCINE ${person.pesel} 00-950`);
    expect(offer).toContain('Reply YES or NO');
    await text('YES');
    await planMessages();

    const toBooker = await ledgerTo(STRANGER);
    expect(toBooker.map((m) => [m.purpose, m.language])).toEqual(
      expect.arrayContaining([
        ['booked', 'en'],
        ['reminder', 'en'],
      ]),
    );
    expect(toBooker.find((m) => m.purpose === 'booked')?.body).toContain('dose 2:');

    const toPerson = await ledgerTo(OWN);
    expect(toPerson.map((m) => m.purpose)).toEqual(['booked_by_text']);
    const notice = toPerson[0] as SmsRecord;
    expect(notice.body).toBe(wording({ kind: 'booked_by_text', bookedBy: maskPhone(STRANGER), contact }));
    expect(notice.body).toContain('+48 *** *** 567');
    expect(notice.body).not.toContain(STRANGER);
    expect(notice.patientId).toBe(person.id);
  });

  test('a person with no phone of their own gets no notice, and planning twice plans nothing new', async () => {
    const person = await registered({ phone: null });
    await bookFor(person.pesel);
    await planMessages();
    const before = await system.store.listSmsMessages({ limit: 100 });

    for (const event of system.store.events()) await planMessagesFor(deps, event);

    expect(before.filter((m) => m.purpose === 'booked_by_text')).toEqual([]);
    expect(await system.store.listSmsMessages({ limit: 100 })).toEqual(before);
  });

  test('booking from the person’s own phone sends the confirmation there and no notice', async () => {
    const person = await registered();

    await bookFor(person.pesel, OWN);
    await planMessages();

    expect((await ledgerTo(OWN)).map((m) => m.purpose).sort()).toEqual(['booked', 'reminder']);
  });

  test('the centre’s day list marks the visit for an identity check, naming the phone that booked', async () => {
    const person = await registered();
    await bookFor(person.pesel);
    const { patientId: other, principal } = await system.newPatient();
    const slot = await system.slotAt(centre, '2026-01-12', '11:00');
    await bookAppointment(system.deps, principal, { patientId: other, slotId: slot.id, idempotencyKey: null });

    const day = await getCentreDay(
      system.deps,
      { role: 'staff', staffId: 's-1', centreId: centre.id },
      centre.id,
      '2026-01-12',
    );

    const byPatient = new Map(day.appointments.map((a) => [a.patient.id, a]));
    expect(byPatient.get(person.id)?.identityCheck).toEqual({ channel: 'sms', bookedByPhone: STRANGER });
    expect(byPatient.get(person.id)?.patient.phone).toBe(OWN);
    expect(byPatient.get(other)?.identityCheck).toBeNull();
  });

  test('a later login brings the verified names, and the booking phone does not become the person’s', async () => {
    const citizen = { ...aCitizen({ born: 1950 }), phone: null };
    await bookFor(citizen.pesel);
    const made = (await byPesel(citizen.pesel)) as Patient;

    const { patient } = await login(system.deps, JSON.stringify(citizen));

    expect(patient.id).toBe(made.id);
    expect(patient).toMatchObject({ givenName: citizen.givenName, familyName: citizen.familyName, phone: null });
    expect(await system.store.getPatient(made.id)).toEqual(patient);
  });

  test('a later login with a phone from the provider makes it the person’s, with a contact event', async () => {
    const citizen = { ...aCitizen({ born: 1950 }), phone: OWN };
    await bookFor(citizen.pesel);

    const { patient } = await login(system.deps, JSON.stringify(citizen));

    expect(patient.phone).toBe(OWN);
    expect(system.store.eventsOfType('patient.contact_changed').map((e) => e.data)).toEqual([
      { patientId: patient.id, hasPhone: true, language: 'pl' },
    ]);
  });

  test('once the person moves the visit themselves, the booking phone hears nothing of it', async () => {
    const person = await registered();
    await bookFor(person.pesel);
    await planMessages();
    const [first] = await system.store.listAppointmentsOfPatient(person.id);
    const later = await system.slotAt(centre, '2026-01-13', '10:00');

    await rescheduleAppointment(
      system.deps,
      { role: 'patient', patientId: person.id },
      { appointmentId: first?.id as string, slotId: later.id },
    );
    await planMessages();

    const moved = await system.store.getAppointment(first?.id as string);
    expect(moved?.unverifiedBooking).toBeUndefined();
    expect((await ledgerTo(STRANGER)).map((m) => m.purpose)).not.toContain('moved');
    expect((await ledgerTo(OWN)).map((m) => m.purpose)).toContain('moved');
  });
});

describe('what a phone learns about someone', () => {
  test('someone already booked: another phone learns that a visit exists, never when or where', async () => {
    const person = await registered();
    await bookFor(person.pesel, OWN);

    const reply = await text(`SZCZEPIENIE ${person.pesel} 00-950`);

    expect(reply).toBe(wording({ kind: 'visit_exists', contact }));
    expect(reply).not.toMatch(/\d\d\.\d\d|\d\d:\d\d/);
    expect(reply).not.toContain(centre.name.replace(/ń/g, 'n'));
  });

  test('the phone that booked learns no more the next time than any other phone', async () => {
    const citizen = aCitizen({ born: 1950 });
    await bookFor(citizen.pesel);

    expect(await text(`SZCZEPIENIE ${citizen.pesel} 00-950`)).toBe(wording({ kind: 'visit_exists', contact }));
  });

  test('the person’s own phone is told the time of their visit', async () => {
    const person = await registered();
    await bookFor(person.pesel);
    const [visit] = await system.store.listAppointmentsOfPatient(person.id);

    const reply = await text(`SZCZEPIENIE ${person.pesel} 00-950`, OWN);

    expect(visit?.start).toBe('2026-01-12T07:15:00.000Z');
    expect(reply).toBe(wording({ kind: 'already_booked', date: '2026-01-12', time: '08:15', contact }));
  });

  test('someone whose doses are all given: another phone gets the same answer, not an offer that would show it', async () => {
    const person = await registered();
    const given = (dose: number, start: string) => ({
      id: `apt-${dose}`,
      patientId: person.id,
      centreId: centre.id,
      slotId: `gone-${dose}`,
      vaccineId: 'comirnaty',
      dose,
      bookingId: 'bkg-old',
      reference: 'PASTBKG2',
      status: 'completed' as const,
      start,
      localDate: start.slice(0, 10),
      version: 2,
      bookedBy: { role: 'patient' as const, id: person.id },
      createdAt: start,
      updatedAt: start,
      checkedInAt: start,
      cancellation: null,
      completion: { vaccineId: 'comirnaty', lot: 'LOT-1', by: { role: 'staff' as const, id: 's' }, at: start },
    });
    await system.store.runInTransaction(async (tx) => {
      tx.putAppointment(given(1, '2025-06-02T08:00:00.000Z'));
      tx.putAppointment(given(2, '2025-06-23T08:00:00.000Z'));
    });

    expect(await text(`SZCZEPIENIE ${person.pesel} 00-950`)).toBe(wording({ kind: 'visit_exists', contact }));
    expect(await text(`SZCZEPIENIE ${person.pesel} 00-950`, OWN)).toContain('Odpowiedz TAK lub NIE');
  });

  test('eligibility by a group is judged for the person’s own phone only: another phone hears the age rule', async () => {
    await system.addRule({
      id: 'medical',
      kind: 'group',
      group: 'medical',
      from: '2026-01-01',
      description: 'Medical',
    });
    await system.addRule({
      id: 'born-1990',
      kind: 'birthYear',
      bornInOrBefore: 1990,
      from: '2026-03-01',
      description: '1990',
    });
    const person = await registered({ born: 1985 });
    await system.store.runInTransaction(async (tx) => tx.putPatient({ ...person, groups: ['medical'] }));
    const stranger = aCitizen({ born: 1985 });

    const toStranger = await text(`SZCZEPIENIE ${person.pesel} 00-950`);
    const aboutAnyone = await text(`SZCZEPIENIE ${stranger.pesel} 00-950`, OTHER);
    const toOwn = await text(`SZCZEPIENIE ${person.pesel} 00-950`, OWN);

    expect(toStranger).toBe(wording({ kind: 'not_eligible', eligibleFrom: '2026-03-01', contact }));
    expect(toStranger).toBe(aboutAnyone);
    expect(toOwn).toContain('Odpowiedz TAK lub NIE');
  });

  test('a person whose opening comes at a time of day is told the time as well as the date', async () => {
    await system.addRule({
      id: 'born-1985-at-20',
      kind: 'birthYear',
      bornInOrBefore: 1985,
      from: '2026-01-12',
      opensAt: '2026-01-12T19:00:00.000Z',
      description: '1985 from 20:00',
    });
    const person = await registered({ born: 1985 });

    const reply = await text(`SZCZEPIENIE ${person.pesel} 00-950`);

    expect(reply).toBe(wording({ kind: 'not_eligible', eligibleFrom: '2026-01-12', openingTime: '20:00', contact }));
    expect(reply).toContain('20:00');
  });
});

describe('people per phone per day', () => {
  const peselsOf = (n: number) => Array.from({ length: n }, () => aCitizen({ born: 1950 }).pesel);

  test('a sixth person from one phone in a day is refused, and nothing is created or audited for them', async () => {
    const pesels = peselsOf(6);
    for (const pesel of pesels.slice(0, 5))
      expect(await bookFor(pesel)).toBe(wording({ kind: 'booked_reply', contact }));
    const before = system.store.counts();

    const refused = await text(`SZCZEPIENIE ${pesels[5]} 00-950`);

    expect(refused).toBe(wording({ kind: 'phone_limit', people: 5, contact }));
    expect(await byPesel(pesels[5] as string)).toBeNull();
    expect(system.store.counts()).toEqual(before);
    expect(await text('TAK')).toBe(wording({ kind: 'no_offer', contact }));
  });

  test('thirty PESELs from one number create no record and reach five look-ups', async () => {
    const replies = [];
    for (const pesel of peselsOf(30)) replies.push(await text(`SZCZEPIENIE ${pesel} 00-950`));

    expect(replies.filter((r) => r === wording({ kind: 'phone_limit', people: 5, contact }))).toHaveLength(25);
    expect(system.store.counts().patients).toBe(0);
    expect(system.store.auditRecords()).toHaveLength(5);
  });

  test('the same person again counts once; another phone and the next day have their own count', async () => {
    start({ peoplePerPhonePerDay: 2 });
    await system.addRule(aBirthYearRule(1970));
    await system.addCentre();
    const [a, b, c] = peselsOf(3) as [string, string, string];
    const limit = wording({ kind: 'phone_limit', people: 2, contact });

    await text(`SZCZEPIENIE ${a} 00-950`);
    await text(`SZCZEPIENIE ${a} 00-950`);
    await text(`SZCZEPIENIE ${b} 00-950`);
    expect(await text(`SZCZEPIENIE ${c} 00-950`)).toBe(limit);
    expect(await text(`SZCZEPIENIE ${a} 00-950`)).not.toBe(limit);
    expect(await text(`SZCZEPIENIE ${c} 00-950`, OTHER)).not.toBe(limit);

    // 23:30 in Warsaw is still the same local day; 00:30 is the next one.
    system.clock.set('2026-01-12T22:30:00.000Z');
    expect(await text(`SZCZEPIENIE ${c} 00-950`)).toBe(limit);
    system.clock.set('2026-01-12T23:30:00.000Z');
    expect(await text(`SZCZEPIENIE ${c} 00-950`)).not.toBe(limit);
  });

  test('texts from one phone arriving together cannot pass the limit', async () => {
    const pesels = peselsOf(12);

    const replies = await Promise.all(
      pesels.map((pesel, i) =>
        receiveText(deps, { from: STRANGER, body: `SZCZEPIENIE ${pesel} 00-950`, providerMessageId: `SMtogether${i}` }),
      ),
    );

    const limit = wording({ kind: 'phone_limit', people: 5, contact });
    expect(replies.filter((r) => r.body === limit)).toHaveLength(7);
    expect(replies.filter((r) => r.body.includes('Odpowiedz TAK lub NIE'))).toHaveLength(5);
    const day = await system.store.runInTransaction((tx) => tx.getSmsPhoneDay(STRANGER, '2026-01-12'));
    expect(day?.pesels).toHaveLength(5);
    expect(system.store.auditRecords()).toHaveLength(5);
  });
});

describe('the standby list by text message', () => {
  let noted = 0;
  beforeEach(() => {
    // The centre's hours published before anyone joined are not freed places.
    noted = system.store.events().length;
  });

  /** Someone cancels their second dose in a full slot: the standby list notes the place and the matcher offers it. */
  async function freeAPlace(): Promise<void> {
    const [, second] = await system.bookCourse(centre, '2026-01-13', '10:00');
    await system.store.runInTransaction(async (tx) => {
      const slot = await tx.getSlot(second.slotId);
      if (slot) tx.putSlot({ ...slot, capacity: slot.booked });
    });
    await cancelAppointment(deps, { role: 'patient', patientId: second.patientId }, { appointmentId: second.id });
    const notes = new StandbyNotes(deps);
    const events = system.store.events();
    for (const event of events.slice(noted)) await notes.handle(event);
    noted = events.length;
    await runStandbyMatcher(deps);
    await planMessages();
  }

  const entryOf = async (pesel: string) => system.store.getStandbyEntry(((await byPesel(pesel)) as Patient).id);
  const offersTo = async (phone: string) =>
    (await ledgerTo(phone)).filter((m) => m.purpose === 'standby_offer').map((m) => m.body);

  test('a stranger joins someone by REZERWA: a record with no names and no phone, offers to the texting phone', async () => {
    const citizen = aCitizen({ born: 1950 });

    const reply = await text(`REZERWA ${citizen.pesel} 00-950`);

    expect(reply).toBe(wording({ kind: 'standby_joined', from: '2026-01-12', to: '2026-02-23', maxKm: 20, contact }));
    expect(await byPesel(citizen.pesel)).toMatchObject({ givenName: '', familyName: '', phone: null });
    expect(await entryOf(citizen.pesel)).toMatchObject({
      channel: 'sms',
      phone: STRANGER,
      status: 'waiting',
      wishes: { postalCode: '00-950', maxKm: 20 },
    });
    expect(system.store.eventsOfType('standby.joined').map((e) => e.actor)).toEqual([{ role: 'sms', id: STRANGER }]);
  });

  test('a distance in the text is kept, and one beyond the limit is cut to it', async () => {
    const near = aCitizen({ born: 1950 });
    const far = aCitizen({ born: 1951 });
    await text(`STANDBY ${near.pesel} 00-950 35km`);
    await text(`REZERWA ${far.pesel} 00-950 500`, OTHER);
    expect((await entryOf(near.pesel))?.wishes.maxKm).toBe(35);
    expect((await entryOf(far.pesel))?.wishes.maxKm).toBe(100);
  });

  test('YES to the texted offer takes the place, booked as made by the phone and marked for the identity check', async () => {
    const citizen = aCitizen({ born: 1950 });
    await text(`REZERWA ${citizen.pesel} 00-950`);
    await freeAPlace();
    const [offer] = await offersTo(STRANGER);
    expect(offer).toContain('Odpowiedz TAK lub NIE');

    const reply = await text('TAK');

    const patient = (await byPesel(citizen.pesel)) as Patient;
    const [visit] = await system.store.listAppointmentsOfPatient(patient.id);
    expect(visit).toMatchObject({
      status: 'booked',
      dose: 1,
      bookedBy: { role: 'sms', id: STRANGER },
      unverifiedBooking: { channel: 'sms', phone: STRANGER, language: 'pl' },
    });
    const local = (visit?.start ?? '').slice(0, 10);
    expect(local).toBe('2026-02-03');
    expect(reply).toContain('jest Twoj.');
    expect((await entryOf(citizen.pesel))?.status).toBe('placed');
    expect(system.store.eventsOfType('standby.taken').map((e) => e.actor)).toEqual([{ role: 'sms', id: STRANGER }]);
  });

  test('a retried YES is answered once and books once', async () => {
    const citizen = aCitizen({ born: 1950 });
    await text(`REZERWA ${citizen.pesel} 00-950`);
    await freeAPlace();
    sid += 1;
    const inbound = { from: STRANGER, body: 'TAK', providerMessageId: `SM${sid}` };
    const [first, again] = [await receiveText(deps, inbound), await receiveText(deps, inbound)];
    expect(again).toEqual(first);
    expect(system.store.eventsOfType('standby.taken')).toHaveLength(1);
  });

  test('NO passes the place to the next person on the list; the first stays on it', async () => {
    const first = aCitizen({ born: 1950 });
    const second = aCitizen({ born: 1951 });
    await text(`REZERWA ${first.pesel} 00-950`);
    await text(`REZERWA ${second.pesel} 00-950`, OTHER);
    await freeAPlace();
    expect(await offersTo(STRANGER)).toHaveLength(1);
    expect(await offersTo(OTHER)).toHaveLength(0);

    expect(await text('nie')).toBe(wording({ kind: 'standby_passed', contact }));
    await planMessages();

    expect(await offersTo(OTHER)).toHaveLength(1);
    expect((await entryOf(first.pesel))?.status).toBe('waiting');
    expect((await entryOf(second.pesel))?.status).toBe('offered');
    expect(system.store.eventsOfType('standby.declined').map((e) => e.actor)).toEqual([{ role: 'sms', id: STRANGER }]);
  });

  test('YES after the hold ran out is told the place is gone, and nothing is booked', async () => {
    const citizen = aCitizen({ born: 1950 });
    await text(`REZERWA ${citizen.pesel} 00-950`);
    await freeAPlace();
    system.clock.advanceMinutes(deps.settings.standby.holdMinutes + 1);

    expect(await text('T')).toBe(wording({ kind: 'standby_closed', contact }));
    expect(system.store.eventsOfType('standby.taken')).toHaveLength(0);
  });

  test('with no standby offer open, YES and NO belong to the booking conversation as before', async () => {
    const citizen = aCitizen({ born: 1950 });
    await text(`REZERWA ${citizen.pesel} 00-950`);
    expect(await text('TAK')).toBe(wording({ kind: 'no_offer', contact }));
    expect(await bookFor(aCitizen({ born: 1952 }).pesel, OTHER)).toBe(wording({ kind: 'booked_reply', contact }));
  });

  test('a Ukrainian join is answered in Ukrainian, and so is a bare T to its offer', async () => {
    const citizen = aCitizen({ born: 1950 });
    expect(await text(`РЕЗЕРВ ${citizen.pesel} 00-950`)).toContain('Ви в резерві');
    await freeAPlace();
    expect(await offersTo(STRANGER)).toEqual([expect.stringContaining('ТАК або НІ')]);
    expect(await text('T')).toContain('ваш');
  });

  test('another phone learns nothing of a person with a visit and cannot put them on the list', async () => {
    const [visit] = await system.bookCourse(centre, '2026-01-20', '10:00');
    const patient = (await system.store.getPatient(visit.patientId)) as Patient;

    expect(await text(`REZERWA ${patient.pesel} 00-950`)).toBe(wording({ kind: 'visit_exists', contact }));
    expect(await system.store.getStandbyEntry(patient.id)).toBeNull();
  });

  test('the person’s own phone brings their booked visit forward', async () => {
    const patient = await registered();
    const slot = await system.slotAt(centre, '2026-02-20', '10:00');
    await bookAppointment(
      system.deps,
      { role: 'patient', patientId: patient.id },
      { patientId: patient.id, slotId: slot.id, idempotencyKey: null },
    );

    expect(await text(`REZERWA ${patient.pesel} 00-950`, OWN)).toBe(
      wording({ kind: 'standby_joined', from: '2026-01-12', to: '2026-02-23', maxKm: 20, contact }),
    );
    expect(await system.store.getStandbyEntry(patient.id)).toMatchObject({ dose: 1, phone: OWN, channel: 'sms' });
  });

  test('another phone cannot take over where someone’s offers go', async () => {
    const citizen = aCitizen({ born: 1950 });
    await text(`REZERWA ${citizen.pesel} 00-950`);
    expect(await text(`REZERWA ${citizen.pesel} 00-950`, OTHER)).toBe(wording({ kind: 'visit_exists', contact }));
    expect((await entryOf(citizen.pesel))?.phone).toBe(STRANGER);
  });

  test('joins count against the phone’s people of the day like bookings do', async () => {
    for (let i = 0; i < DEFAULT_SMS_SETTINGS.peoplePerPhonePerDay; i++) {
      await text(`REZERWA ${aCitizen({ born: 1950 }).pesel} 00-950`);
    }
    const sixth = aCitizen({ born: 1950 });
    expect(await text(`REZERWA ${sixth.pesel} 00-950`)).toBe(
      wording({ kind: 'phone_limit', people: DEFAULT_SMS_SETTINGS.peoplePerPhonePerDay, contact }),
    );
    expect(await byPesel(sixth.pesel)).toBeNull();
  });

  test('a standby word without a valid PESEL or postal code is told how to join, and nothing is created', async () => {
    const how = wording({ kind: 'standby_how', contact });
    expect(await text('REZERWA 00-950')).toBe(how);
    expect(await text('REZERWA 44051401358 00-950')).toBe(how);
    expect(await text(`REZERWA ${aCitizen({ born: 1950 }).pesel} 00/950`)).toBe(how);
    expect(system.store.counts().patients).toBe(0);
  });

  test('someone not yet eligible is told when, and is not put on the list', async () => {
    const young = aCitizen({ born: 1990 });
    expect(await text(`REZERWA ${young.pesel} 00-950`)).toBe(
      wording({ kind: 'not_eligible', eligibleFrom: null, openingTime: null, contact }),
    );
    expect(await byPesel(young.pesel)).toBeNull();
  });
});
