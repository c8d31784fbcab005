import { LocalSystem } from '../../src/runtime/local/local-system.ts';
import { FakeClock } from '../support/builders.ts';

jest.setTimeout(60_000);

test('a demo start gives every centre active batches of the products it offers, listed with their stock', async () => {
  const system = await LocalSystem.start({
    dbPath: ':memory:',
    clock: new FakeClock('2026-01-12T07:00:00.000Z'),
    demo: { seed: 7, centres: 6, citizens: 20 },
    publish: 'background',
    log: () => {},
  });
  try {
    for (const centre of await system.store.listCentres()) {
      const batches = await system.store.listBatchesOfCentre(centre.id);
      const products = [...new Set(batches.map((b) => b.vaccineId))].sort();
      expect(products).toEqual(Object.keys(centre.schedule.weekly.capacity).sort());
      expect(batches.every((b) => b.status === 'active' && b.remaining === b.doses && b.wasted === 0)).toBe(true);
    }
  } finally {
    await system.stop();
  }
});
