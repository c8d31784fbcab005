import type { Slot } from '../model.ts';
import { aCentre } from './builders.ts';
import { anEvent } from './event-builders.ts';
import { InMemoryStore } from './in-memory-store.ts';

const AT = new Date('2026-01-12T07:00:00.000Z');

const aSlot = (overrides: Partial<Slot> = {}): Slot => ({
  id: 's-1',
  centreId: 'c-1',
  vaccineId: 'comirnaty',
  start: '2026-01-13T08:00:00.000Z',
  end: '2026-01-13T08:15:00.000Z',
  localDate: '2026-01-13',
  capacity: 2,
  booked: 0,
  ...overrides,
});

describe('the in-memory store', () => {
  test('a write that breaks a constraint at commit takes the writes and events before it down too', async () => {
    const store = new InMemoryStore();
    await store.runInTransaction(async (tx) => tx.putSlot(aSlot()));

    await expect(
      store.runInTransaction(async (tx) => {
        tx.addEvent(anEvent('appointment.booked', {}, { id: 'evt-overbooked', subjectId: 's-1' }));
        tx.putCentre(aCentre({ id: 'c-1' }));
        tx.putSlot(aSlot({ booked: 3 }));
      }),
    ).rejects.toThrow(/Constraint failed: slot s-1 would hold 3 of 2 places/);

    expect(store.events()).toEqual([]);
    expect(await store.getCentre('c-1')).toBeNull();
    expect(await store.getSlot('s-1')).toEqual(aSlot());
  });

  test('an idempotency key and an event id are written once', async () => {
    const store = new InMemoryStore();
    const record = { key: 'k', requestHash: 'h', response: null, createdAt: AT.toISOString() };
    await store.runInTransaction(async (tx) => tx.putIdempotency(record));
    const event = anEvent('schedule.changed', {}, { id: 'evt-1', subjectId: 'c-1' });
    await store.runInTransaction(async (tx) => tx.addEvent(event));

    await expect(store.runInTransaction(async (tx) => tx.putIdempotency(record))).rejects.toThrow(/already used/);
    await expect(store.runInTransaction(async (tx) => tx.addEvent(event))).rejects.toThrow(/already in the outbox/);
    expect(store.events()).toEqual([event]);
  });

  test('a caller changing what it wrote or read changes nothing stored', async () => {
    const store = new InMemoryStore();
    const written = aSlot();
    await store.runInTransaction(async (tx) => tx.putSlot(written));
    written.booked = 2;
    const read = (await store.getSlot('s-1')) as Slot;
    read.capacity = 9;
    const inTx = (await store.runInTransaction((tx) => tx.getSlot('s-1'))) as Slot;
    inTx.booked = 1;
    store.events().push(anEvent('schedule.changed', {}, { id: 'evt-x', subjectId: 'c-1' }));

    expect(await store.getSlot('s-1')).toEqual(aSlot());
    expect(store.events()).toEqual([]);
  });

  test('events are read in commit order, all or of one type', async () => {
    const store = new InMemoryStore();
    const changed = anEvent('schedule.changed', {}, { id: 'evt-1', subjectId: 'c-1' });
    const published = anEvent('slots.published', { date: '2026-01-13' }, { id: 'evt-2', subjectId: 'c-1' });
    const again = anEvent('schedule.changed', {}, { id: 'evt-3', subjectId: 'c-2' });
    await store.runInTransaction(async (tx) => {
      tx.addEvent(changed);
      tx.addEvent(published);
    });
    await store.runInTransaction(async (tx) => tx.addEvent(again));

    expect(store.events().map((e) => e.id)).toEqual(['evt-1', 'evt-2', 'evt-3']);
    expect(store.eventsOfType('schedule.changed')).toEqual([changed, again]);
    expect(store.eventsOfType('slots.published').map((e) => e.data.date)).toEqual(['2026-01-13']);
  });

  test('counters out of step with the appointments holding places are reported', async () => {
    const store = new InMemoryStore();
    await store.runInTransaction(async (tx) => {
      tx.putSlot(aSlot({ booked: 1 }));
      tx.putSlot(aSlot({ id: 's-2', start: '2026-01-13T08:15:00.000Z' }));
    });

    expect(store.countersOutOfStep('c-1')).toEqual([{ id: 's-1', booked: 1, held: 0 }]);
  });
});
