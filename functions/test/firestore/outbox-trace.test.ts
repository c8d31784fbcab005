import { makeEvent } from '@ereg/shared';
import { COLLECTIONS, FirestoreStore } from '../../src/adapters/firestore/firestore-store.ts';
import { inSpan } from '../../src/observability/trace-context.ts';
import { TEST_PESEL_SECRET } from '../support/builders.ts';
import { firestoreForEmulator } from '../support/emulator-clients.ts';
import { type Emulator, startFirestoreEmulator } from '../support/emulators.ts';

jest.setTimeout(120_000);

let emulator: Emulator | null = null;
let store: FirestoreStore;

beforeAll(async () => {
  emulator = await startFirestoreEmulator();
  const projectId = `demo-ereg-trace-${Math.random().toString(36).slice(2, 10)}`;
  store = new FirestoreStore(firestoreForEmulator(emulator.host, projectId), { peselSecret: TEST_PESEL_SECRET });
});

afterAll(async () => {
  await store?.close();
  await emulator?.stop();
});

const anEvent = (id: string) =>
  makeEvent(id, 'slots.published', new Date('2026-01-12T07:00:00.000Z'), { role: 'system', id: 'test' }, 'c-1', {
    centreId: 'c-1',
    date: '2026-01-13',
    created: 1,
    resized: 0,
    removed: 0,
    cancelledAppointments: 0,
    capacity: 1,
  });

async function outboxDocument(id: string) {
  const snapshot = await store.firestore.collection(COLLECTIONS.outbox).doc(store.docKey(COLLECTIONS.outbox, id)).get();
  return snapshot.data();
}

describe('the Firestore outbox and the trace', () => {
  test('an event written in a request’s trace carries it, in the transaction’s span', async () => {
    const caller = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    await inSpan('POST /appointments', { parent: caller }, () =>
      store.runInTransaction(async (tx) => tx.addEvent(anEvent('evt-traced'))),
    );
    const trace = (await outboxDocument('evt-traced'))?.trace;
    expect(trace).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(trace).not.toContain('00f067aa0ba902b7');
  });

  test('an event written outside any trace carries none', async () => {
    await store.runInTransaction(async (tx) => tx.addEvent(anEvent('evt-untraced')));
    expect(await outboxDocument('evt-untraced')).not.toHaveProperty('trace');
  });
});
