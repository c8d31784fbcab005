import { InMemoryStore } from '@ereg/shared/testing';
import { describeStoreContract } from './store-contract.ts';

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
