import { createHash, createHmac } from 'node:crypto';
import {
  ActorPseudonyms,
  bookAppointment,
  CentreDirectory,
  DEFAULT_SETTINGS,
  DEFAULT_SMS_SETTINGS,
  type Deps,
  DomainError,
  type DomainEvent,
  deliverMessage,
  type EventConsumer,
  login,
  type Patient,
  PostalCodes,
  publishSlots,
  recordDeliveryReport,
  type Slot,
  type SmsDeps,
  smsMessageExpiry,
  VACCINES,
} from '@ereg/shared';
import { anEvent, aReminder, plainIdentity } from '@ereg/shared/testing';
import { Timestamp } from '@google-cloud/firestore';
import { FirestoreAvailabilityProjector } from '../../src/adapters/firestore/firestore-availability.ts';
import { COLLECTIONS, FirestoreStore, TTL_FIELDS } from '../../src/adapters/firestore/firestore-store.ts';
import { oncePerEvent, PROCESSED_EVENTS } from '../../src/adapters/firestore/processed-events.ts';
import { scatteredIds } from '../../src/adapters/system/clock-and-ids.ts';
import { aBirthYearRule, aCentre, aCitizen, aSchedule, FakeClock, TEST_PESEL_SECRET } from '../support/builders.ts';
import { firestoreForEmulator } from '../support/emulator-clients.ts';
import { type Emulator, startFirestoreEmulator } from '../support/emulators.ts';

jest.setTimeout(60_000);

const aPatient = (pesel: string): Patient => ({
  id: `p-${pesel}`,
  pesel,
  givenName: 'Jan',
  familyName: 'Kowalski',
  birthDate: '1944-05-14',
  sex: 'male',
  phone: null,
  language: 'pl',
  groups: [],
  createdAt: '2026-03-01T00:00:00.000Z',
});

const DAY = '2026-03-02';
let emulator: Emulator;
let store: FirestoreStore;

beforeAll(async () => {
  emulator = await startFirestoreEmulator();
  store = new FirestoreStore(firestoreForEmulator(emulator.host, 'demo-ereg-read-models'), {
    peselSecret: TEST_PESEL_SECRET,
  });
}, 90_000);

afterAll(async () => {
  await store?.close();
  await emulator?.stop();
});

const aSlot = (centreId: string, hhmm: string, booked: number, vaccineId = 'comirnaty'): Slot => ({
  id: `${centreId}_${vaccineId}_${DAY}T${hhmm}`,
  centreId,
  vaccineId,
  start: `${DAY}T${hhmm}:00.000Z`,
  end: `${DAY}T${hhmm.slice(0, 3)}59:00.000Z`,
  localDate: DAY,
  capacity: 2,
  booked,
});

const booked = (centreId: string, n: number): DomainEvent =>
  anEvent(
    'appointment.booked',
    { appointmentId: `a-${n}`, centreId, localDate: DAY, vaccineId: 'comirnaty', dose: 1 },
    { id: `evt-${centreId}-${n}`, actor: { role: 'patient', id: `p-${n}` }, subjectId: `a-${n}` },
  );

async function putSlots(...slots: Slot[]): Promise<void> {
  await store.runInTransaction(async (tx) => {
    for (const slot of slots) tx.putSlot(slot);
  });
}

async function summary(centreId: string, vaccineId = 'comirnaty') {
  const snap = await store.firestore.collection(COLLECTIONS.availability).doc(`${centreId}_${DAY}_${vaccineId}`).get();
  return snap.data();
}

describe('the availability read model on Firestore', () => {
  test('an event recomputes its centre-day from the slots, and a repeated event changes nothing', async () => {
    await putSlots(aSlot('c-a', '08:00', 2), aSlot('c-a', '09:00', 1), aSlot('c-a', '10:00', 0));
    const projector = new FirestoreAvailabilityProjector(store, { windowMs: 0 });
    await projector.handle(booked('c-a', 1));
    const first = await summary('c-a');
    expect(first).toMatchObject({
      free: 3,
      hasFree: true,
      firstFree: `${DAY}T09:00:00.000Z`,
      firstSlots: [
        { slotId: `c-a_comirnaty_${DAY}T09:00`, start: `${DAY}T09:00:00.000Z`, free: 1 },
        { slotId: `c-a_comirnaty_${DAY}T10:00`, start: `${DAY}T10:00:00.000Z`, free: 2 },
      ],
    });
    await projector.handle(booked('c-a', 1));
    const again = await summary('c-a');
    expect({ ...again, slotsReadAt: null }).toEqual({ ...first, slotsReadAt: null });
    expect(await store.firstAvailableDay('c-a', DAY, DAY, 'comirnaty')).toEqual([
      expect.objectContaining({ centreId: 'c-a', free: 3, firstFree: `${DAY}T09:00:00.000Z` }),
    ]);
  });

  test('events for one centre-day arriving together share one recomputation', async () => {
    await putSlots(aSlot('c-b', '08:00', 0));
    const projector = new FirestoreAvailabilityProjector(store, { windowMs: 200 });
    const refresh = jest.spyOn(store, 'refreshAvailability');
    try {
      await Promise.all(Array.from({ length: 20 }, (_, n) => projector.handle(booked('c-b', n))));
      expect(refresh.mock.calls).toEqual([['c-b', DAY]]);
    } finally {
      refresh.mockRestore();
    }
    expect(await summary('c-b')).toMatchObject({ free: 2 });
  });

  test('an event arriving while a recomputation runs gets one of its own, which sees its change', async () => {
    await putSlots(aSlot('c-c', '08:00', 0));
    const projector = new FirestoreAvailabilityProjector(store, { windowMs: 50 });
    const first = projector.handle(booked('c-c', 1));
    await new Promise((resolve) => setTimeout(resolve, 60));
    // The first recomputation has started; this booking lands after its read.
    await putSlots(aSlot('c-c', '08:00', 1));
    await Promise.all([first, projector.handle(booked('c-c', 2))]);
    expect(await summary('c-c')).toMatchObject({ free: 1 });
  });

  test('a summary read earlier never replaces one read later', async () => {
    await putSlots(aSlot('c-d', '08:00', 0));
    const later = Timestamp.fromMillis(Date.now() + 3_600_000);
    const ref = store.firestore.collection(COLLECTIONS.availability).doc(`c-d_${DAY}_comirnaty`);
    await ref.set({
      centreId: 'c-d',
      localDate: DAY,
      vaccineId: 'comirnaty',
      free: 7,
      hasFree: true,
      slotsReadAt: later,
    });
    await expect(store.refreshAvailability('c-d', DAY)).resolves.toBe(false);
    expect(await summary('c-d')).toMatchObject({ free: 7 });
    await ref.delete();
    await expect(store.refreshAvailability('c-d', DAY)).resolves.toBe(true);
    expect(await summary('c-d')).toMatchObject({ free: 2 });
  });

  test('refreshes of one centre-day racing each other all finish, leaving a correct summary', async () => {
    await putSlots(aSlot('c-f', '08:00', 1), aSlot('c-f', '09:00', 0));
    const results = await Promise.all(Array.from({ length: 6 }, () => store.refreshAvailability('c-f', DAY)));
    expect(results).toContain(true);
    expect(await summary('c-f')).toMatchObject({ free: 3, firstFree: `${DAY}T08:00:00.000Z` });
  });

  test('a product whose slots are gone keeps a summary with no free places', async () => {
    await putSlots(aSlot('c-e', '08:00', 0, 'vaxzevria'), aSlot('c-e', '08:00', 0));
    await store.refreshAvailability('c-e', DAY);
    expect(await summary('c-e', 'vaxzevria')).toMatchObject({ free: 2, hasFree: true });
    await store.runInTransaction(async (tx) => {
      tx.deleteSlot(aSlot('c-e', '08:00', 0, 'vaxzevria').id);
    });
    await store.refreshAvailability('c-e', DAY);
    expect(await summary('c-e', 'vaxzevria')).toMatchObject({
      free: 0,
      hasFree: false,
      firstFree: null,
      firstSlots: [],
    });
    expect((await store.firstAvailableDay('c-e', DAY, DAY, null)).map((a) => a.vaccineId)).toEqual(['comirnaty']);
  });
});

describe('consumers made once per event', () => {
  function counting(fail = 0): EventConsumer & { effects: string[] } {
    let failures = fail;
    const effects: string[] = [];
    return {
      name: `counting-${Math.random().toString(36).slice(2, 8)}`,
      effects,
      async handle(event) {
        if (failures-- > 0) throw new Error('sink unavailable');
        effects.push(event.id);
      },
    };
  }

  test('a redelivered event, also to another instance, has its effect once', async () => {
    const inner = counting();
    const event = booked('c-x', 1);
    await oncePerEvent(store.firestore, inner).handle(event);
    await oncePerEvent(store.firestore, inner).handle(event);
    await oncePerEvent(store.firestore, inner).handle(event);
    expect(inner.effects).toEqual([event.id]);
    const mark = await store.firestore
      .collection(PROCESSED_EVENTS)
      .doc(encodeURIComponent(`${inner.name}_${event.id}`))
      .get();
    expect(mark.data()).toMatchObject({ consumer: inner.name, eventId: event.id, type: 'appointment.booked' });
    expect((mark.get('expireAt') as Timestamp).toMillis()).toBeGreaterThan(Date.now() + 6 * 86_400_000);
  });

  test('a failed delivery leaves no mark, so the redelivery has the effect', async () => {
    const inner = counting(1);
    const consumer = oncePerEvent(store.firestore, inner);
    const event = booked('c-y', 1);
    await expect(consumer.handle(event)).rejects.toThrow('sink unavailable');
    await consumer.handle(event);
    await consumer.handle(event);
    expect(inner.effects).toEqual([event.id]);
  });

  test('two consumers keep separate marks for the same event', async () => {
    const one = counting();
    const two = counting();
    const event = booked('c-z', 1);
    await oncePerEvent(store.firestore, one).handle(event);
    await oncePerEvent(store.firestore, two).handle(event);
    expect([one.effects, two.effects]).toEqual([[event.id], [event.id]]);
  });
});

describe('document ids', () => {
  test('a PESEL is stored only sealed inside the patient, and its index document is keyed by an HMAC', async () => {
    const patient = aPatient('44051401359');
    await store.runInTransaction(async (tx) => {
      tx.putPatient(patient);
    });
    const index = await store.firestore.collection(COLLECTIONS.pesels).get();
    const ids = index.docs.map((d) => d.id);
    expect(ids).toContain(createHmac('sha256', TEST_PESEL_SECRET).update(patient.pesel).digest('hex'));
    expect(ids.some((id) => id.includes(patient.pesel))).toBe(false);
    expect((await store.runInTransaction((tx) => tx.getPatientByPesel(patient.pesel)))?.id).toBe(patient.id);
    const otherKey = new FirestoreStore(store.firestore, { peselSecret: `${TEST_PESEL_SECRET}-other` });
    expect(await otherKey.runInTransaction((tx) => tx.getPatientByPesel(patient.pesel))).toBeNull();
  });

  test('an idempotency record is keyed by the SHA-256 of its key, whatever the key holds', async () => {
    const key = `book:patient:p-1:${'x/'.repeat(400)}`;
    await store.runInTransaction(async (tx) => {
      tx.putIdempotency({ key, requestHash: 'h', response: { ok: true }, createdAt: '2026-03-01T00:00:00.000Z' });
    });
    const id = createHash('sha256').update(key).digest('hex');
    expect((await store.firestore.collection(COLLECTIONS.idempotency).doc(id).get()).get('key')).toBe(key);
    expect(await store.runInTransaction((tx) => tx.getIdempotency(key))).toMatchObject({ response: { ok: true } });
  });

  test('a used assertion is keyed by the SHA-256 of its id and carries its expiry as a timestamp for the TTL policy', async () => {
    const used = { id: 'idp/assertion:1?x', usedAt: '2026-03-01T00:00:00.000Z', expiresAt: '2026-03-01T00:05:00.000Z' };
    await store.runInTransaction(async (tx) => {
      tx.putUsedAssertion(used);
    });
    const doc = await store.firestore
      .collection(COLLECTIONS.usedAssertions)
      .doc(createHash('sha256').update(used.id).digest('hex'))
      .get();
    expect(doc.get('expireAt')).toEqual(Timestamp.fromMillis(Date.parse(used.expiresAt)));
    expect(await store.runInTransaction((tx) => tx.getUsedAssertion(used.id))).toEqual(used);
  });

  test('a store refuses a PESEL key shorter than 32 characters', () => {
    expect(() => new FirestoreStore(store.firestore, { peselSecret: 'short' })).toThrow('at least 32 characters');
  });
});

describe('personal data at rest', () => {
  const patientDoc = (id: string) => store.firestore.collection(COLLECTIONS.patients).doc(encodeURIComponent(id)).get();
  const text = (value: unknown) => JSON.stringify(value);

  test('a patient’s document holds no PESEL in clear, and the patient reads back whole', async () => {
    const patient = { ...aPatient('44051401366'), id: 'p-sealed' };
    await store.runInTransaction(async (tx) => {
      tx.putPatient(patient);
    });

    const stored = (await patientDoc(patient.id)).data();
    expect(stored).not.toHaveProperty('pesel');
    expect(stored?.peselSealed).toMatch(/^v1\./);
    expect(text(stored)).not.toContain(patient.pesel);
    expect(await store.getPatient(patient.id)).toEqual(patient);
    expect(await store.runInTransaction((tx) => tx.getPatient(patient.id))).toEqual(patient);
    expect(await store.runInTransaction((tx) => tx.getPatientByPesel(patient.pesel))).toEqual(patient);
  });

  test('each write seals the PESEL afresh, so equal PESELs do not give equal documents', async () => {
    const patient = aPatient('44051401373');
    const sealed: unknown[] = [];
    for (const phone of ['+48600100200', '+48600100201']) {
      await store.runInTransaction(async (tx) => {
        const known = await tx.getPatient(patient.id);
        tx.putPatient({ ...(known ?? patient), phone });
      });
      sealed.push((await patientDoc(patient.id)).get('peselSealed'));
    }
    expect(sealed[0]).not.toEqual(sealed[1]);
    expect(await store.getPatient(patient.id)).toEqual({ ...patient, phone: '+48600100201' });
  });

  test('a sealed PESEL moved into another patient’s document does not open', async () => {
    const [one, two] = [aPatient('44051401380'), aPatient('44051401397')];
    await store.runInTransaction(async (tx) => {
      tx.putPatient(one);
      tx.putPatient(two);
    });
    const sealedOfOne = (await patientDoc(one.id)).get('peselSealed');
    await store.firestore
      .collection(COLLECTIONS.patients)
      .doc(encodeURIComponent(two.id))
      .update({ peselSealed: sealedOfOne });

    await expect(store.getPatient(two.id)).rejects.toThrow();
    expect((await store.getPatient(one.id))?.pesel).toBe(one.pesel);
  });

  test('a document written before sealing still reads, and sealing rewrites it once', async () => {
    const patient = { ...aPatient('44051401403'), id: 'p-written-before' };
    await store.runInTransaction(async (tx) => {
      tx.putPatient(patient);
    });
    // The shape documents had before: the PESEL in clear beside the rest.
    const { peselSealed: _, ...rest } = (await patientDoc(patient.id)).data() ?? {};
    await store.firestore
      .collection(COLLECTIONS.patients)
      .doc(encodeURIComponent(patient.id))
      .set({ ...rest, pesel: patient.pesel });

    expect(await store.getPatient(patient.id)).toEqual(patient);
    expect(await store.runInTransaction((tx) => tx.getPatientByPesel(patient.pesel))).toEqual(patient);

    expect(await store.sealClearPesels({ pageSize: 2 })).toBeGreaterThanOrEqual(1);
    const sealed = (await patientDoc(patient.id)).data();
    expect(sealed).not.toHaveProperty('pesel');
    expect(text(sealed)).not.toContain(patient.pesel);
    expect(await store.getPatient(patient.id)).toEqual(patient);
    expect(await store.sealClearPesels()).toBe(0);
  });

  test('a store without the key withholds the PESEL and cannot write a patient', async () => {
    const patient = aPatient('44051401410');
    await store.runInTransaction(async (tx) => {
      tx.putPatient(patient);
    });
    const keyless = new FirestoreStore(store.firestore, {});

    expect(await keyless.getPatient(patient.id)).toEqual({ ...patient, pesel: '' });
    await expect(
      keyless.runInTransaction(async (tx) => {
        tx.putPatient({ ...patient, phone: '+48600100200' });
      }),
    ).rejects.toThrow('PESEL_HMAC_SECRET');
    expect((await store.getPatient(patient.id))?.phone).toBeNull();
  });

  test('an SMS conversation’s document holds no phone number and no PESEL in clear, and expires with the conversation', async () => {
    const session = {
      phone: '+48600999888',
      language: 'pl' as const,
      pesel: '44051401359',
      postalCode: '00-001',
      offeredSlotId: null,
      declinedSlotIds: [],
      expiresAt: '2026-03-02T08:15:00.000Z',
      updatedAt: '2026-03-02T08:00:00.000Z',
    };
    await store.runInTransaction(async (tx) => {
      tx.putSmsSession(session);
    });

    const id = createHmac('sha256', TEST_PESEL_SECRET).update(session.phone).digest('hex');
    const stored = await store.firestore.collection(COLLECTIONS.smsSessions).doc(id).get();
    expect(text(stored.data())).not.toContain('600999888');
    expect(text(stored.data())).not.toContain(session.pesel);
    expect((stored.get('expireAt') as Timestamp).toDate().toISOString()).toBe(session.expiresAt);
    expect(await store.runInTransaction((tx) => tx.getSmsSession(session.phone))).toEqual(session);
  });

  test('a phone’s day of SMS bookings holds neither the number nor the PESELs in clear, and expires two days after that day began', async () => {
    const day = {
      phone: '+48600999777',
      date: '2026-03-02',
      pesels: ['44051401359', '02270803628'],
      updatedAt: '2026-03-02T08:00:00.000Z',
    };
    await store.runInTransaction(async (tx) => {
      tx.putSmsPhoneDay(day);
    });

    const id = createHmac('sha256', TEST_PESEL_SECRET)
      .update(JSON.stringify([day.phone, day.date]))
      .digest('hex');
    const stored = await store.firestore.collection(COLLECTIONS.smsPhoneDays).doc(id).get();
    expect(text(stored.data())).not.toMatch(/600999777|44051401359|02270803628/);
    expect((stored.get('expireAt') as Timestamp).toDate().toISOString()).toBe('2026-03-04T00:00:00.000Z');
    expect(await store.runInTransaction((tx) => tx.getSmsPhoneDay(day.phone, day.date))).toEqual(day);
  });

  test('records with a natural end carry it as the Timestamp their TTL policy reads, and read back without it', async () => {
    const record = aReminder({
      key: 'reminder:apt-ttl:1',
      patientId: 'p-1',
      validWhile: [{ appointmentId: 'apt-ttl', version: 1 }],
    });
    const grant = { agentId: 'agt-ttl', patientId: 'p-1', until: '2026-03-02T08:30:00.000Z' };
    const idempotency = {
      key: 'ttl-key',
      requestHash: 'h',
      response: { ok: 1 },
      createdAt: '2026-03-02T08:00:00.000Z',
    };
    const event = anEvent('appointment.booked', {}, { id: 'evt-ttl', occurredAt: '2026-03-02T08:00:00.000Z' });
    const session = {
      id: 'sid-ttl',
      actor: { role: 'agent' as const, id: 'agt-ttl' },
      startedAt: '2026-03-02T08:00:00.000Z',
      lastSeenAt: '2026-03-02T08:10:00.000Z',
      expiresAt: '2026-03-02T18:00:00.000Z',
    };
    const tally = {
      key: 'budget:agt-ttl:1',
      count: 4,
      agents: [],
      alerted: false,
      expiresAt: '2026-03-03T09:00:00.000Z',
    };
    await store.runInTransaction(async (tx) => {
      tx.putSmsMessage(record);
      tx.putAccessGrant(grant);
      tx.putIdempotency(idempotency);
      tx.addEvent(event);
      tx.putHotlineSession(session);
      tx.putTally(tally);
    });

    const sha = (value: string) => createHash('sha256').update(value).digest('hex');
    const expiry = async (collection: string, id: string) =>
      ((await store.firestore.collection(collection).doc(id).get()).get('expireAt') as Timestamp)
        .toDate()
        .toISOString();
    expect({
      smsMessages: await expiry(COLLECTIONS.smsMessages, sha(record.key)),
      accessGrants: await expiry(COLLECTIONS.accessGrants, sha(JSON.stringify([grant.agentId, grant.patientId]))),
      idempotency: await expiry(COLLECTIONS.idempotency, sha(idempotency.key)),
      outbox: await expiry(COLLECTIONS.outbox, event.id),
      hotlineSessions: await expiry(COLLECTIONS.hotlineSessions, sha(session.id)),
      lookupTallies: await expiry(COLLECTIONS.lookupTallies, sha(tally.key)),
    }).toEqual({
      smsMessages: smsMessageExpiry(record),
      accessGrants: grant.until,
      idempotency: '2026-03-09T08:00:00.000Z',
      outbox: '2026-04-01T08:00:00.000Z',
      hotlineSessions: session.expiresAt,
      lookupTallies: tally.expiresAt,
    });
    expect(Object.keys(TTL_FIELDS).sort()).toEqual([
      'accessGrants',
      'hotlineSessions',
      'idempotency',
      'lookupTallies',
      'outbox',
      'smsMessages',
      'smsPhoneDays',
      'smsSessions',
    ]);

    const read = await store.runInTransaction(async (tx) => ({
      record: await tx.getSmsMessage(record.key),
      grant: await tx.getAccessGrant(grant.agentId, grant.patientId),
      idempotency: await tx.getIdempotency(idempotency.key),
      session: await tx.getHotlineSession(session.id),
      tally: await tx.getTally(tally.key),
    }));
    expect(read).toEqual({ record, grant, idempotency, session, tally });
    expect(await store.listSmsMessages({ limit: 1, to: record.to })).toEqual([record]);
  });
});

describe('what became of a text message', () => {
  test('is written to the outbox in the transaction that changes the ledger, each status once, with no number', async () => {
    const clock = new FakeClock('2026-03-02T09:00:00.000Z');
    const deps: SmsDeps = {
      store,
      clock,
      ids: scatteredIds,
      identity: plainIdentity,
      staffAccounts: { provision: async () => {}, revoke: async () => {} },
      vaccines: VACCINES,
      settings: DEFAULT_SETTINGS,
      pseudonyms: new ActorPseudonyms(TEST_PESEL_SECRET),
      tasks: { schedule: async () => 'scheduled', cancel: async () => {} },
      sms: { send: async (message) => ({ providerId: `SM-${message.key}` }) },
      smsSettings: DEFAULT_SMS_SETTINGS,
      centres: new CentreDirectory(store, clock, PostalCodes.fromRows([]), 0, 0),
    };
    const due = { sendAt: '2026-03-02T08:59:00.000Z', patientId: null };
    const reply = aReminder({ ...due, key: 'reply:SM-fs-1', purpose: 'reply', validWhile: [], quietZone: null });
    // A reminder of a visit the store no longer has: no longer true, so skipped when its task fires.
    const stale = aReminder({ ...due, key: 'reminder:apt-fs-gone:1', language: 'uk' });
    await store.runInTransaction(async (tx) => {
      tx.putSmsMessage(reply);
      tx.putSmsMessage(stale);
    });

    expect(await deliverMessage(deps, { key: reply.key })).toBe('sent');
    expect(await deliverMessage(deps, { key: stale.key })).toBe('skipped');
    const report = { key: reply.key, providerId: `SM-${reply.key}`, status: 'delivered', errorCode: null };
    await recordDeliveryReport(deps, report);
    await recordDeliveryReport(deps, report);

    const told = async (key: string) =>
      (await store.firestore.collection(COLLECTIONS.outbox).where('subjectId', '==', key).get()).docs
        .map((doc) => doc.data() as DomainEvent)
        .sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.actor.id.localeCompare(b.actor.id));
    const replyEvents = await told(reply.key);
    expect(replyEvents.map((e) => [e.type, e.actor.id, e.data])).toEqual([
      [
        'sms.status_changed',
        'sms-delivery-report',
        { purpose: 'reply', status: 'delivered', attempts: 1, language: 'pl' },
      ],
      ['sms.status_changed', 'sms-sender', { purpose: 'reply', status: 'sent', attempts: 1, language: 'pl' }],
    ]);
    expect((await told(stale.key)).map((e) => e.data)).toEqual([
      { purpose: 'reminder', status: 'skipped', attempts: 0, language: 'uk' },
    ]);
    expect(JSON.stringify(replyEvents)).not.toContain(reply.to.slice(1));
    expect(await store.runInTransaction((tx) => tx.getSmsMessage(reply.key))).toMatchObject({ status: 'delivered' });
  });
});

describe('a transaction that keeps losing to others', () => {
  test('ends in CONTENDED, and a booking that meets it is offered other free slots', async () => {
    // One attempt and no local queue: every transaction that meets another's lock on the slot gives up.
    const impatient = new FirestoreStore(store.firestore, {
      peselSecret: TEST_PESEL_SECRET,
      maxAttempts: 1,
      localQueue: false,
    });
    const clock = new FakeClock('2026-01-12T07:00:00.000Z');
    const deps: Deps = {
      store: impatient,
      clock,
      ids: scatteredIds,
      identity: {
        verifyAssertion: plainIdentity.verifyAssertion,
        issueSession: async () => ({ token: 'unused', expiresAt: '2099-01-01T00:00:00.000Z', kind: 'bearer' }),
        verifySession: async () => {
          throw new Error('unused');
        },
      },
      staffAccounts: { provision: async () => {}, revoke: async () => {} },
      vaccines: VACCINES,
      settings: { ...DEFAULT_SETTINGS, slotHorizonDays: 45 },
      pseudonyms: new ActorPseudonyms(TEST_PESEL_SECRET),
    };
    const centre = aCentre({ schedule: aSchedule({ capacity: { comirnaty: 20 } }) });
    await impatient.runInTransaction(async (tx) => {
      tx.putCentre(centre);
      tx.putEligibilityRule(aBirthYearRule(1970));
    });
    await publishSlots(deps, centre, '2026-01-13', '2026-02-28', { role: 'system', id: 'test' }, 'test');
    // Who wins a race is up to the emulator's lock timing: a round where all six lose (or none meets
    // another) proves nothing, so rounds go on, each on a slot of its own, until both outcomes are seen.
    const targets = await impatient.listSlotsOfCentreDay(centre.id, '2026-01-13');
    const seen = { ok: 0, busy: [] as DomainError[] };
    for (const target of targets.slice(0, 8)) {
      const people = await Promise.all(
        Array.from({ length: 6 }, async () => (await login(deps, JSON.stringify(aCitizen({ born: 1950 })))).patient.id),
      );
      const outcomes = await Promise.all(
        people.map((patientId) =>
          bookAppointment(deps, { role: 'patient', patientId }, { patientId, slotId: target.id, idempotencyKey: null })
            .then(() => 'ok')
            .catch((error: DomainError) => error),
        ),
      );
      const busy = outcomes.filter((o): o is DomainError => o instanceof DomainError);
      const ok = outcomes.length - busy.length;
      expect((await impatient.getSlot(target.id))?.booked).toBe(ok);
      seen.ok += ok;
      seen.busy.push(...busy);
      if (seen.ok > 0 && seen.busy.length > 0) break;
    }
    expect(seen.ok).toBeGreaterThan(0);
    expect(seen.busy.length).toBeGreaterThan(0);
    for (const error of seen.busy) {
      expect(error).toMatchObject({ kind: 'conflict', code: 'SLOT_BUSY' });
      const alternatives = (error.details?.alternatives ?? []) as Array<{ slotId: string }>;
      expect(alternatives.length).toBeGreaterThan(0);
    }
    expect(impatient.stats.exhausted).toBe(seen.busy.length);
  });
});

describe('a transaction closed under a lock wait', () => {
  /** The Firestore client's runTransaction, answering as the emulator does under contention first. */
  function failingFirst(errors: Array<{ code: number; message: string }>) {
    let calls = 0;
    const client = {
      runTransaction: async (fn: (t: unknown) => Promise<unknown>, options: { maxAttempts: number }) => {
        calls++;
        const error = errors.shift();
        if (error) {
          await fn({ get: async () => ({ exists: false, docs: [] }) }).catch(() => {});
          throw Object.assign(new Error(error.message), { code: error.code });
        }
        expect(options.maxAttempts).toBeGreaterThan(0);
        return fn({ get: async () => ({ exists: false, docs: [] }) });
      },
    };
    return { client: client as unknown as FirestoreStore['firestore'], calls: () => calls };
  }

  test('is tried again, counting toward the attempts, and the work is done once it goes through', async () => {
    const fake = failingFirst([{ code: 3, message: '3 INVALID_ARGUMENT: Transaction is invalid or closed.' }]);
    const store = new FirestoreStore(fake.client, { peselSecret: TEST_PESEL_SECRET, maxAttempts: 3 });
    await expect(store.runInTransaction(async () => 'booked')).resolves.toBe('booked');
    expect(fake.calls()).toBe(2);
    expect(store.stats).toMatchObject({ transactions: 1, attempts: 2, exhausted: 0 });
  });

  test('ends in CONTENDED when it keeps happening, and another INVALID_ARGUMENT is not retried', async () => {
    const closed = { code: 3, message: 'Transaction is invalid or closed.' };
    const again = failingFirst([closed, closed, closed, closed]);
    const store = new FirestoreStore(again.client, { peselSecret: TEST_PESEL_SECRET, maxAttempts: 3 });
    await expect(store.runInTransaction(async () => 'x')).rejects.toMatchObject({ code: 'CONTENDED' });
    expect(again.calls()).toBe(3);
    const other = failingFirst([{ code: 3, message: 'Invalid field path' }]);
    const plain = new FirestoreStore(other.client, { peselSecret: TEST_PESEL_SECRET, maxAttempts: 3 });
    await expect(plain.runInTransaction(async () => 'x')).rejects.toThrow('Invalid field path');
    expect(other.calls()).toBe(1);
  });
});
