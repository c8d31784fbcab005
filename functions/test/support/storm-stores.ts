import { DatabaseSync } from 'node:sqlite';
import type { StormStoreFactory } from '@ereg/shared/testing';
import { FirestoreStore } from '../../src/adapters/firestore/firestore-store.ts';
import { prepareDatabase } from '../../src/adapters/sqlite/schema.ts';
import { SqliteStore } from '../../src/adapters/sqlite/sqlite-store.ts';
import { TEST_PESEL_SECRET } from './builders.ts';
import { firestoreForEmulator } from './emulator-clients.ts';

/** The storm on SQLite in memory: each person joins in a transaction of their own. */
export const sqliteStorm: StormStoreFactory = async () => {
  const db = new DatabaseSync(':memory:');
  prepareDatabase(db);
  const store = new SqliteStore(db);
  return {
    store,
    close: async () => {
      await store.flush();
      db.close();
    },
  };
};

/** People written per seeding transaction (three documents each: patient, PESEL index, entry). */
const SEED_CHUNK = 100;
/** Seeding transactions in flight at once: each writes other documents, so none waits on another. */
const SEED_IN_FLIGHT = 4;

/**
 * The storm on Google's Firestore emulator at `host`, in a project of its own, with the local queue off:
 * the two matcher runs and the expiry runs meet the emulator's locks as separate instances would. The
 * people waiting are seeded through the store's own transactions a hundred at a time (a join each is
 * one emulator round trip: 10,000 of them would take minutes).
 */
export function firestoreStorm(host: string): StormStoreFactory {
  return async () => {
    const projectId = `demo-ereg-storm-${Math.random().toString(36).slice(2, 10)}`;
    const store = new FirestoreStore(firestoreForEmulator(host, projectId), {
      peselSecret: TEST_PESEL_SECRET,
      localQueue: false,
    });
    return {
      store,
      close: () => store.close(),
      seed: async (patients, entries) => {
        const chunks = Array.from({ length: Math.ceil(patients.length / SEED_CHUNK) }, (_, i) => i * SEED_CHUNK);
        const worker = async () => {
          for (let from = chunks.shift(); from !== undefined; from = chunks.shift()) {
            const to = from + SEED_CHUNK;
            await store.runInTransaction(async (tx) => {
              for (const patient of patients.slice(from, to)) tx.putPatient(patient);
              for (const entry of entries.slice(from, to)) tx.putStandbyEntry(entry);
            });
          }
        };
        await Promise.all(Array.from({ length: SEED_IN_FLIGHT }, worker));
      },
    };
  };
}
