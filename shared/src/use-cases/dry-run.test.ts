import type { Centre } from '../model.ts';
import type { Store } from '../ports.ts';
import { aBirthYearRule, createMemorySystem, type MemorySystem } from '../testing/index.ts';
import { bookAppointment } from './book-appointment.ts';
import { cancelCentreDay } from './centre-schedule.ts';
import { dryRunDeps } from './dry-run.ts';

// Monday 2026-01-12, 08:00 in Warsaw.
const TUESDAY = '2026-01-13';

let system: MemorySystem;
let centre: Centre;

beforeEach(async () => {
  system = createMemorySystem();
  await system.addRule(aBirthYearRule(1970));
  centre = await system.addCentre();
});

const manager = () => ({ role: 'centre-manager', staffId: 'manager-1', centreId: centre.id }) as const;

describe('a dry run', () => {
  test('answers what the use case would, and commits nothing of it', async () => {
    const { patientId, principal } = await system.newPatient();
    const slotId = (await system.slotAt(centre, TUESDAY, '09:00')).id;
    await bookAppointment(system.deps, principal, { patientId, slotId, idempotencyKey: null });
    const slotsBefore = system.store.slotsOfCentre(centre.id);
    const eventsBefore = system.store.events().length;

    const rehearsed = await cancelCentreDay(dryRunDeps(system.deps), manager(), centre.id, TUESDAY, 'power cut');

    expect(system.store.slotsOfCentre(centre.id)).toEqual(slotsBefore);
    expect(system.store.events()).toHaveLength(eventsBefore);
    expect((await system.store.getCentre(centre.id))?.schedule.closedDates).toEqual([]);
    const done = await cancelCentreDay(system.deps, manager(), centre.id, TUESDAY, 'power cut');
    expect(rehearsed.cancelledAppointments.map((a) => [a.id, a.status, a.version])).toEqual(
      done.cancelledAppointments.map((a) => [a.id, a.status, a.version]),
    );
  });

  test('lets each unit of work read what the earlier ones wrote, and nothing of an attempt run again', async () => {
    const slot = await system.slotAt(centre, TUESDAY, '09:00');
    // A store that runs every unit of work twice, as one does after losing to another transaction.
    const twice: Store = new Proxy(system.store, {
      get(target, name, receiver) {
        if (name === 'runInTransaction') {
          return async (fn: Parameters<Store['runInTransaction']>[0]) => {
            await target.runInTransaction(fn);
            return target.runInTransaction(fn);
          };
        }
        const value = Reflect.get(target, name, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const deps = dryRunDeps({ ...system.deps, store: twice });
    const grow = () =>
      deps.store.runInTransaction(async (tx) => {
        const current = await tx.getSlot(slot.id);
        if (current) tx.putSlot({ ...current, capacity: current.capacity + 1 });
      });

    await grow();
    await grow();

    expect((await deps.store.runInTransaction((tx) => tx.getSlot(slot.id)))?.capacity).toBe(slot.capacity + 2);
    expect((await system.store.getSlot(slot.id))?.capacity).toBe(slot.capacity);
  });
});
