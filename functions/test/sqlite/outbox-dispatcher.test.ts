import {
  bookAppointment,
  type Centre,
  type DomainEvent,
  type EventConsumer,
  makeEvent,
  type Slot,
  toInstant,
} from '@ereg/shared';
import { anEvent, TEST_ANALYTICS } from '@ereg/shared/testing';
import { OutboxDispatcher } from '../../src/adapters/sqlite/outbox-dispatcher.ts';
import { SqliteAnalytics } from '../../src/adapters/sqlite/sqlite-analytics.ts';
import { aBirthYearRule } from '../support/builders.ts';
import { createTestSystem, type TestSystem } from '../support/test-system.ts';

let system: TestSystem;
let centre: Centre;
const TUESDAY = '2026-01-13';

beforeEach(async () => {
  system = await createTestSystem();
  await system.addRule(aBirthYearRule(1970));
  centre = await system.addCentre();
});

afterEach(async () => {
  await system.close();
});

/** A consumer that remembers what it handled and can be told to fail on chosen events, once each. */
class RecordingConsumer implements EventConsumer {
  readonly name: string;
  readonly handled: string[] = [];
  readonly attempts: string[] = [];
  private readonly failOnce: Set<string>;

  constructor(name: string, failOnce: Iterable<string> = []) {
    this.name = name;
    this.failOnce = new Set(failOnce);
  }

  async handle(event: DomainEvent): Promise<void> {
    this.attempts.push(event.id);
    if (this.failOnce.delete(event.id)) throw new Error(`cannot handle ${event.id} yet`);
    this.handled.push(event.id);
  }
}

const outboxIds = () =>
  (system.db.prepare('SELECT id FROM outbox ORDER BY seq').all() as Array<{ id: string }>).map((row) => row.id);

async function slotAt(date: string, time: string): Promise<Slot> {
  const start = toInstant(date, time, centre.timeZone)?.toISOString();
  const slot = (await system.store.listSlotsOfCentreDay(centre.id, date)).find(
    (s) => s.start === start && s.vaccineId === 'comirnaty',
  );
  if (!slot) throw new Error(`no slot at ${date} ${time}`);
  return slot;
}

/** A new patient books a visit: a few more events in the outbox. */
async function someActivity(time = '09:00'): Promise<void> {
  const { patientId } = await system.newPatient();
  const slotId = (await slotAt(TUESDAY, time)).id;
  await bookAppointment(system.deps, { role: 'patient', patientId }, { patientId, slotId, idempotencyKey: null });
}

describe('the outbox dispatcher', () => {
  test('delivers every committed event to a consumer once, in commit order', async () => {
    await someActivity();
    const consumer = new RecordingConsumer('recorder');
    const dispatcher = new OutboxDispatcher(system.store, [consumer], () => {});

    const delivered = await dispatcher.drain();

    expect(consumer.handled).toEqual(outboxIds());
    expect(delivered).toBe(outboxIds().length);
    expect(await dispatcher.drain()).toBe(0);
    expect(consumer.attempts).toEqual(outboxIds());

    const before = outboxIds().length;
    await someActivity('10:00');
    const fresh = outboxIds().slice(before);
    expect(fresh.length).toBeGreaterThan(0);
    expect(await dispatcher.drain()).toBe(fresh.length);
    expect(consumer.handled).toEqual(outboxIds());
  });

  test('a consumer that throws gets the event again on the next drain and nothing after it is skipped', async () => {
    await someActivity();
    const ids = outboxIds();
    const failing = ids[2] as string;
    const consumer = new RecordingConsumer('recorder', [failing]);
    const log: string[] = [];
    const dispatcher = new OutboxDispatcher(system.store, [consumer], (line) => {
      const { severity, message } = JSON.parse(line) as { severity: string; message: string };
      log.push(`${severity} ${message}`);
    });

    expect(await dispatcher.drain()).toBe(2);
    expect(consumer.handled).toEqual(ids.slice(0, 2));
    expect(log).toEqual([expect.stringMatching(/^WARNING Consumer recorder failed on event evt_\w+; will retry/)]);

    expect(await dispatcher.drain()).toBe(ids.length - 2);
    expect(consumer.handled).toEqual(ids);
    expect(consumer.attempts.filter((id) => id === failing)).toHaveLength(2);
  });

  test('a failing consumer does not hold back the others', async () => {
    await someActivity();
    const ids = outboxIds();
    const stuck = new RecordingConsumer('recorder', [ids[0] as string]);
    const healthy = new RecordingConsumer('reports');
    const dispatcher = new OutboxDispatcher(system.store, [stuck, healthy], () => {});

    await dispatcher.drain();

    expect(stuck.handled).toEqual([]);
    expect(healthy.handled).toEqual(ids);
  });

  test('a consumer may run units of work of its own: delivery is outside the store’s exclusive section', async () => {
    await someActivity();
    const seen: string[] = [];
    const consumer: EventConsumer = {
      name: 'reader',
      handle: async (event) => {
        const centreSeen = await system.store.runInTransaction((tx) => tx.getCentre(centre.id));
        seen.push(`${event.id} ${centreSeen?.id}`);
      },
    };

    expect(await new OutboxDispatcher(system.store, [consumer], () => {}).drain()).toBe(outboxIds().length);

    expect(seen).toEqual(outboxIds().map((id) => `${id} ${centre.id}`));
  });

  test('a unit of work started inside the store’s exclusive section is refused instead of waiting for itself', async () => {
    const inside = system.store.exclusive(() => system.store.runInTransaction(async () => 'never'));

    await expect(inside).rejects.toThrow(/exclusive section/);
  });

  test('a new dispatcher on the same database resumes after the last delivered event', async () => {
    await someActivity();
    const first = new RecordingConsumer('recorder');
    const stopped = new OutboxDispatcher(system.store, [first], () => {});
    await stopped.drain();
    await stopped.stop();
    const before = outboxIds().length;
    await someActivity('10:00');

    const afterRestart = new RecordingConsumer('recorder');
    await new OutboxDispatcher(system.store, [afterRestart], () => {}).drain();

    expect(afterRestart.attempts).toEqual(outboxIds().slice(before));
    expect([...first.handled, ...afterRestart.handled]).toEqual(outboxIds());
  });

  test('a second process on the file waits while the first delivers to a consumer, and takes over when it stops', async () => {
    await someActivity();
    const first = new RecordingConsumer('recorder');
    const firstProcess = new OutboxDispatcher(system.store, [first], () => {});
    await firstProcess.drain();
    await someActivity('10:00');
    const second = new RecordingConsumer('recorder');
    const secondProcess = new OutboxDispatcher(system.store, [second], () => {});

    expect(await secondProcess.drain()).toBe(0);
    await firstProcess.stop();
    const delivered = await secondProcess.drain();

    expect(delivered).toBeGreaterThan(0);
    expect([...first.handled, ...second.handled]).toEqual(outboxIds());
  });

  test('when the process delivering to a consumer dies, another takes over once its lease runs out', async () => {
    await someActivity();
    let now = 1_000_000;
    const wallClock = () => now;
    const dead = new RecordingConsumer('recorder');
    await new OutboxDispatcher(system.store, [dead], () => {}, { wallClock }).drain();
    await someActivity('10:00');
    const successor = new OutboxDispatcher(system.store, [new RecordingConsumer('recorder')], () => {}, { wallClock });

    now += 29_000;
    expect(await successor.drain()).toBe(0);
    now += 2_000;
    expect(await successor.drain()).toBe(outboxIds().length - dead.handled.length);
  });

  test('events already handled are not delivered again even when the stored position is lost', async () => {
    await someActivity();
    const before = new OutboxDispatcher(system.store, [new RecordingConsumer('recorder')], () => {});
    await before.drain();
    await before.stop();
    // A crash between handling and saving the position leaves the cursor behind.
    system.db.prepare("UPDATE consumer_cursors SET seq = 0 WHERE consumer = 'recorder'").run();

    const again = new RecordingConsumer('recorder');
    expect(await new OutboxDispatcher(system.store, [again], () => {}).drain()).toBe(0);

    expect(again.attempts).toEqual([]);
  });
});

describe('the SQL analytics consumer', () => {
  const reportRows = () => system.db.prepare('SELECT * FROM report_events ORDER BY event_id').all();

  test('writes one row per event and ignores a redelivery of the same event', async () => {
    await someActivity();
    await system.dispatcher.drain();
    const rows = reportRows();
    expect(rows).toHaveLength(outboxIds().length);
    const booked = system.db
      .prepare("SELECT centre_id, vaccine_id, dose, visit_date FROM report_events WHERE type = 'appointment.booked'")
      .all();
    expect(booked).toEqual(
      expect.arrayContaining([
        { centre_id: centre.id, vaccine_id: 'comirnaty', dose: 1, visit_date: TUESDAY },
        expect.objectContaining({ centre_id: centre.id, vaccine_id: 'comirnaty', dose: 2 }),
      ]),
    );

    // Everything is delivered again, as after losing the dispatcher's own records.
    system.db.prepare("DELETE FROM processed_events WHERE consumer = 'analytics'").run();
    system.db.prepare("DELETE FROM consumer_cursors WHERE consumer = 'analytics'").run();
    expect(await system.dispatcher.drain()).toBe(rows.length);

    expect(reportRows()).toEqual(rows);
  });

  test('a redelivered event with the same id does not overwrite the recorded row', async () => {
    const analytics = new SqliteAnalytics(system.db, TEST_ANALYTICS);
    const event = makeEvent(
      'evt-fixed',
      'centre.day_cancelled',
      system.clock.now(),
      { role: 'staff', id: 's-1' },
      centre.id,
      {
        centreId: centre.id,
        date: TUESDAY,
        reason: 'power cut',
      },
    );

    await analytics.handle(event);
    await analytics.handle({ ...event, data: { ...event.data, date: '2026-01-14' } });

    expect(system.db.prepare("SELECT visit_date, data FROM report_events WHERE event_id = 'evt-fixed'").all()).toEqual([
      { visit_date: TUESDAY, data: JSON.stringify({ centreId: centre.id, date: TUESDAY }) },
    ]);
  });
});

describe('transactions and the outbox', () => {
  test('a transaction that throws after adding an event leaves no event behind', async () => {
    const before = outboxIds();
    const event = makeEvent(
      'evt-lost',
      'schedule.changed',
      system.clock.now(),
      { role: 'system', id: 'test' },
      centre.id,
      { centreId: centre.id, schedule: centre.schedule },
    );

    await expect(
      system.store.runInTransaction(async (tx) => {
        tx.addEvent(event);
        throw new Error('the use case changed its mind');
      }),
    ).rejects.toThrow('the use case changed its mind');

    expect(outboxIds()).toEqual(before);
  });

  test('a write that fails at commit takes the event written before it down too', async () => {
    const slot = await slotAt(TUESDAY, '09:00');
    const before = outboxIds();
    const event = anEvent(
      'appointment.booked',
      { centreId: slot.centreId, slotId: slot.id, localDate: slot.localDate },
      { id: 'evt-overbooked', actor: { role: 'system', id: 'test' }, subjectId: slot.id },
    );

    await expect(
      system.store.runInTransaction(async (tx) => {
        tx.addEvent(event);
        tx.putSlot({ ...slot, booked: slot.capacity + 1 });
      }),
    ).rejects.toThrow(/CHECK constraint/);

    expect(outboxIds()).toEqual(before);
    expect(await system.store.getSlot(slot.id)).toEqual(slot);
    const consumer = new RecordingConsumer('recorder');
    await new OutboxDispatcher(system.store, [consumer], () => {}).drain();
    expect(consumer.handled).not.toContain('evt-overbooked');
  });
});
