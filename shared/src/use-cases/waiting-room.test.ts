import type { Centre, LocalDate } from '../model.ts';
import { aBirthYearRule, createMemorySystem, type MemorySystem, refusalOf } from '../testing/index.ts';
import { addDays } from '../time-zone.ts';
import type { BookingMeter, Measured } from '../waiting-room.ts';
import { admissionTick, joinQueue, passQueue, queueState } from './waiting-room.ts';

// Monday 2026-01-12 at 20:00 in Warsaw (19:00 UTC): the opening; people join just after it.
const OPENING = '2026-01-12T19:00:00.000Z';
const JUST_AFTER = '2026-01-12T19:00:05.000Z';

let system: MemorySystem;

beforeEach(async () => {
  system = createMemorySystem({ now: JUST_AFTER, settings: { queueHours: 6 } });
  await system.addRule(aBirthYearRule(1951, '2026-01-12', OPENING));
});

test('the tick awaits a meter that reads its measurements from elsewhere, and admits at the rate it reports', async () => {
  const people = [];
  for (let i = 0; i < 40; i++) {
    const { patientId, principal } = await system.newPatient({ born: 1950 });
    await joinQueue(system.deps, principal, patientId);
    people.push(patientId);
  }
  const measured: Measured = { bookingsPerSecond: 20, errorRate: 0, p95Ms: 80 };
  const asked: Date[] = [];
  const meter: BookingMeter = {
    measure: async (now) => {
      asked.push(now);
      await new Promise((resolve) => setTimeout(resolve, 1));
      return measured;
    },
  };
  const [tick] = await admissionTick(system.deps, meter);
  expect(asked).toEqual([system.clock.now()]);
  // The first tick starts from the measured 20 a second (a sync meter of nothing would give 2).
  expect(tick).toMatchObject({ roomId: 'born-1951', admitted: 20 });
});

test('a function that keeps no signing key gates from the store: its refusal shows the place without a signed ticket', async () => {
  const { patientId, principal } = await system.newPatient({ born: 1950 });
  await joinQueue(system.deps, principal, patientId);
  const keyless = {
    ...system.deps,
    queue: {
      random: () => 0.5,
      signer: {
        signs: false,
        sign: (): string => {
          throw new Error('This function keeps no key to sign queue tickets.');
        },
        verify: () => false,
      },
    },
  };
  const refused = await refusalOf(passQueue(keyless, principal, patientId));
  expect(refused.code).toBe('QUEUE_REQUIRED');
  expect(refused.details).toMatchObject({ queue: { roomId: 'born-1951', status: 'waiting', ticket: '' } });
  // The same refusal where the key is kept carries the signed ticket.
  const signed = await refusalOf(passQueue(system.deps, principal, patientId));
  expect(signed.details).toMatchObject({ queue: { ticket: expect.stringMatching(/^q1\./) } });
});

describe('the free places a waiting person sees', () => {
  const TODAY = '2026-01-12';
  const meter: BookingMeter = { measure: async () => ({ bookingsPerSecond: 0, errorRate: 0, p95Ms: 50 }) };

  /** The free places of a centre's slots on the days from..to, counted slot by slot. */
  async function freeOf(centre: Centre, from: LocalDate, to: LocalDate): Promise<number> {
    let free = 0;
    for (let day = from; day <= to; day = addDays(day, 1)) {
      for (const slot of await system.store.listSlotsOfCentreDay(centre.id, day)) free += slot.capacity - slot.booked;
    }
    return free;
  }

  test('are those of the next four weeks, counted by the tick, and a booking shows only at the next count 30 s on', async () => {
    const centre = await system.addCentre();
    const { patientId, principal } = await system.newPatient({ born: 1950 });
    const joined = await joinQueue(system.deps, principal, patientId);
    expect(joined.queue.freePlaces).toBeNull();

    await admissionTick(system.deps, meter);
    const fourWeeks = await freeOf(centre, TODAY, addDays(TODAY, 27));
    // Slots are published further ahead than four weeks; those later days are not counted.
    expect(await freeOf(centre, TODAY, addDays(TODAY, system.deps.settings.slotHorizonDays))).toBeGreaterThan(
      fourWeeks,
    );
    expect(fourWeeks).toBeGreaterThan(0);
    expect((await queueState(system.deps, principal, patientId)).queue?.freePlaces).toBe(fourWeeks);

    await system.bookCourse(centre, '2026-01-14', '09:00');
    const afterBooking = await freeOf(centre, TODAY, addDays(TODAY, 27));
    expect(afterBooking).toBeLessThan(fourWeeks);
    system.clock.set('2026-01-12T19:00:34.000Z');
    await admissionTick(system.deps, meter);
    expect((await queueState(system.deps, principal, patientId)).queue?.freePlaces).toBe(fourWeeks);

    system.clock.set('2026-01-12T19:00:35.000Z');
    await admissionTick(system.deps, meter);
    expect((await queueState(system.deps, principal, patientId)).queue?.freePlaces).toBe(afterBooking);
  });

  test('a person polling does not count them: only the tick does', async () => {
    await system.addCentre();
    const { patientId, principal } = await system.newPatient({ born: 1950 });
    await joinQueue(system.deps, principal, patientId);
    await admissionTick(system.deps, meter);
    const counts = jest.spyOn(system.store, 'countFreePlaces');
    for (let i = 0; i < 5; i++) await queueState(system.deps, principal, patientId);
    await joinQueue(system.deps, principal, patientId);
    expect(counts).not.toHaveBeenCalled();
    system.clock.set('2026-01-12T19:00:35.000Z');
    await admissionTick(system.deps, meter);
    expect(counts).toHaveBeenCalledWith(TODAY, addDays(TODAY, 27));
  });
});
