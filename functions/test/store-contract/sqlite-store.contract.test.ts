import { DatabaseSync } from 'node:sqlite';
import { AvailabilityProjector } from '../../src/adapters/sqlite/availability-projector.ts';
import { prepareDatabase } from '../../src/adapters/sqlite/schema.ts';
import { SqliteStore } from '../../src/adapters/sqlite/sqlite-store.ts';
import { describeAdministrationStoreContract } from './administration-contract.ts';
import { describeHotlineStoreContract } from './hotline-contract.ts';
// The standby list
import { describeStandbyStoreContract } from './standby-contract.ts';
import { describeStoreContract } from './store-contract.ts';
// The waiting room
import { describeWaitingRoomStoreContract } from './waiting-room-contract.ts';

jest.setTimeout(60_000);

describeStoreContract(
  'SQLite (:memory:)',
  async () => {
    const db = new DatabaseSync(':memory:');
    prepareDatabase(db);
    const store = new SqliteStore(db);
    const projector = new AvailabilityProjector(db);
    return {
      store,
      refreshAvailability: (centreId, date) => store.exclusive(() => projector.refresh(centreId, date)),
      close: async () => {
        await store.flush();
        db.close();
      },
    };
  },
  { stormSize: 1000, parallel: 20 },
);

describeHotlineStoreContract('SQLite (:memory:)', async () => {
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
});

describeAdministrationStoreContract('SQLite (:memory:)', async () => {
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
});

// The waiting room
describeWaitingRoomStoreContract('SQLite (:memory:)', async () => {
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
});

// The standby list
describeStandbyStoreContract(
  'SQLite (:memory:)',
  async () => {
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
  },
  { joins: 50, holds: 200 },
);
