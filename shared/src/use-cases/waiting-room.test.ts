import { DomainError } from '../errors.ts';
import { createMemorySystem, type MemorySystem } from '../testing/index.ts';
import type { BookingMeter, Measured } from '../waiting-room.ts';
import { admissionTick, joinQueue, passQueue } from './waiting-room.ts';

// Monday 2026-01-12 at 20:00 in Warsaw (19:00 UTC): the opening; people join just after it.
const OPENING = '2026-01-12T19:00:00.000Z';
const JUST_AFTER = '2026-01-12T19:00:05.000Z';

let system: MemorySystem;

beforeEach(async () => {
  system = createMemorySystem({ now: JUST_AFTER, settings: { queueHours: 6 } });
  await system.addRule({
    id: 'born-1951',
    kind: 'birthYear',
    bornInOrBefore: 1951,
    from: '2026-01-12',
    opensAt: OPENING,
    description: 'born in 1951 or earlier',
  });
});

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

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
  const refused = await refusal(passQueue(keyless, principal, patientId));
  expect(refused.code).toBe('QUEUE_REQUIRED');
  expect(refused.details).toMatchObject({ queue: { roomId: 'born-1951', status: 'waiting', ticket: '' } });
  // The same refusal where the key is kept carries the signed ticket.
  const signed = await refusal(passQueue(system.deps, principal, patientId));
  expect(signed.details).toMatchObject({ queue: { ticket: expect.stringMatching(/^q1\./) } });
});
