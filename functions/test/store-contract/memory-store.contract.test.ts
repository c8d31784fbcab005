import { InMemoryStore } from '@ereg/shared/testing';
import { describeAdministrationStoreContract } from './administration-contract.ts';
import { describeHotlineStoreContract } from './hotline-contract.ts';
// The standby list
import { describeStandbyStoreContract } from './standby-contract.ts';
import { describeStoreContract } from './store-contract.ts';
// The waiting room
import { describeWaitingRoomStoreContract } from './waiting-room-contract.ts';

describeStoreContract(
  'in memory',
  async () => ({
    store: new InMemoryStore(),
    // The in-memory read model is computed from the slots whenever it is read: nothing to refresh.
    refreshAvailability: async () => {},
    close: async () => {},
  }),
  { stormSize: 1000, parallel: 20 },
);

describeHotlineStoreContract('in memory', async () => ({ store: new InMemoryStore(), close: async () => {} }));

describeAdministrationStoreContract('in memory', async () => ({ store: new InMemoryStore(), close: async () => {} }));

// The waiting room
describeWaitingRoomStoreContract('in memory', async () => ({ store: new InMemoryStore(), close: async () => {} }));

// The standby list
describeStandbyStoreContract('in memory', async () => ({ store: new InMemoryStore(), close: async () => {} }), {
  joins: 50,
  holds: 200,
});
