import { join } from 'node:path';
import { COLLECTIONS, FirestoreStore } from '../../src/adapters/firestore/firestore-store.ts';
import { TEST_PESEL_SECRET } from '../support/builders.ts';
import { firestoreForEmulator } from '../support/emulator-clients.ts';
import { type Emulator, startFirestoreEmulator } from '../support/emulators.ts';

// firestore.rules on Google's Firestore emulator: a client (a browser with the web apps' config, signed
// in or not) reads and writes nothing; only the functions' Admin SDK reaches the documents.

jest.setTimeout(120_000);

const PROJECT = `demo-ereg-rules-${Math.random().toString(36).slice(2, 10)}`;
let emulator: Emulator | null = null;
let store: FirestoreStore;

beforeAll(async () => {
  emulator = await startFirestoreEmulator(90_000, { rules: join(__dirname, '..', '..', '..', 'firestore.rules') });
  store = new FirestoreStore(firestoreForEmulator(emulator.host, PROJECT), { peselSecret: TEST_PESEL_SECRET });
});

afterAll(async () => {
  await store?.close();
  await emulator?.stop();
});

const documents = () => `http://${emulator?.host}/v1/projects/${PROJECT}/databases/(default)/documents`;

/** A REST call as a client makes it: without the admin's `Bearer owner`, unless `asAdmin`. */
async function call(method: string, path: string, body?: unknown, asAdmin = false): Promise<number> {
  const response = await fetch(`${documents()}/${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(asAdmin ? { authorization: 'Bearer owner' } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  await response.arrayBuffer();
  return response.status;
}

// The standby list
describe('the standby list is out of clients’ reach', () => {
  const stored = {
    [COLLECTIONS.standbyEntries]: 'p-1',
    [COLLECTIONS.standbyOffers]: 'o-1',
    [COLLECTIONS.standbyVacancies]: 's-1',
  };

  beforeAll(async () => {
    await store.runInTransaction(async (tx) => {
      await tx.takeStandbySequence();
      tx.putStandbyEntry({
        patientId: 'p-1',
        sequence: 1,
        joinedAt: '2026-01-12T07:00:00.000Z',
        channel: 'web',
        wishes: { from: '2026-01-13', to: '2026-02-28', postalCode: '00-950', maxKm: 30, vaccineIds: null },
        position: { lat: 52.2297, lon: 21.0122 },
        dose: 1,
        appointmentId: null,
        phone: '+48600100200',
        language: 'pl',
        status: 'waiting',
        offerId: null,
        silentOffers: 0,
        updatedAt: '2026-01-12T07:00:00.000Z',
      });
      tx.putStandbyOffer({
        id: 'o-1',
        patientId: 'p-1',
        slotId: 's-1',
        centreId: 'c-k',
        vaccineId: 'comirnaty',
        start: '2026-01-14T08:00:00.000Z',
        localDate: '2026-01-14',
        reason: 'freed',
        phone: '+48600100200',
        offeredAt: '2026-01-12T08:00:00.000Z',
        expiresAt: '2026-01-12T08:30:00.000Z',
        status: 'open',
        decidedAt: null,
        appointmentId: null,
      });
      tx.putStandbyVacancy({
        slotId: 's-1',
        centreId: 'c-k',
        vaccineId: 'comirnaty',
        start: '2026-01-14T08:00:00.000Z',
        localDate: '2026-01-14',
        reason: 'freed',
        notedAt: '2026-01-12T08:00:00.000Z',
      });
    });
  });

  test('the functions (the Admin SDK) read every record', async () => {
    for (const [collection, id] of Object.entries(stored)) {
      expect([collection, await call('GET', `${collection}/${id}`, undefined, true)]).toEqual([collection, 200]);
    }
    const shards = await call('GET', COLLECTIONS.standbySequences, undefined, true);
    expect(shards).toBe(200);
  });

  test.each([
    COLLECTIONS.standbyEntries,
    COLLECTIONS.standbyOffers,
    COLLECTIONS.standbyVacancies,
    COLLECTIONS.standbySequences,
  ])('a client can neither list, read, change, add nor remove %s', async (collection) => {
    const id =
      (stored as Record<string, string>)[collection] ??
      ((await store.firestore.collection(collection).get()).docs[0]?.id as string);
    const fields = { fields: { status: { stringValue: 'placed' } } };
    expect({
      list: await call('GET', collection),
      read: await call('GET', `${collection}/${id}`),
      change: await call('PATCH', `${collection}/${id}`, fields),
      add: await call('POST', `${collection}?documentId=from-a-client`, fields),
      remove: await call('DELETE', `${collection}/${id}`),
    }).toEqual({ list: 403, read: 403, change: 403, add: 403, remove: 403 });
    // Still there, as it was: the admin reads it.
    expect(await call('GET', `${collection}/${id}`, undefined, true)).toBe(200);
  });
});
