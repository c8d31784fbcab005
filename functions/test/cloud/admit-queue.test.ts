import { joinQueue } from '@ereg/shared';
import { aBirthYearRule, createMemorySystem, type MemorySystem } from '@ereg/shared/testing';
import type { CloudEvent } from '@google-cloud/functions-framework';
import type { LeaseTaken } from '../../src/adapters/firestore/firestore-lease.ts';
import type { MessagePublishedData } from '../../src/adapters/pubsub/event-consumer-function.ts';
import { SlidingBookingMeter } from '../../src/adapters/waiting-room/booking-meter.ts';
import { admitQueueHandler, DEFAULT_ADMIT_SECONDS, secondsAsked } from '../../src/runtime/cloud/admit-queue.ts';

// The admitQueue function's run on the use cases in memory: its seconds, its lease, its log lines.
// The lease itself is tested on the Firestore emulator (firestore/admission-across-instances.test.ts).

const OPENING = '2026-01-12T19:00:00.000Z';

const message = (data: string | undefined, id = 'scheduler-1'): CloudEvent<MessagePublishedData> => ({
  specversion: '1.0',
  id,
  type: 'google.cloud.pubsub.topic.v1.messagePublished',
  source: '//pubsub.googleapis.com/projects/demo/topics/admit-queue',
  data: { message: data === undefined ? {} : { data: Buffer.from(data).toString('base64') } },
});

/** A lease in memory, as the Firestore one behaves for one database. */
class MemoryLease {
  held: { holder: string; until: Date } | null = null;
  readonly released: string[] = [];
  async take(holder: string, until: Date, now: Date): Promise<LeaseTaken> {
    if (this.held && this.held.holder !== holder && this.held.until > now)
      return { taken: false, holder: this.held.holder, until: this.held.until };
    this.held = { holder, until };
    return { taken: true };
  }
  async release(holder: string): Promise<void> {
    this.released.push(holder);
    if (this.held?.holder === holder) this.held = null;
  }
}

let system: MemorySystem;
let lease: MemoryLease;
let logged: Array<{ severity: string; message: string; fields: Record<string, unknown> }>;
let slept: number[];

function handler() {
  return admitQueueHandler({
    deps: system.deps,
    meter: new SlidingBookingMeter(),
    lease,
    instanceId: 'instance-1',
    // Each wait moves the fake clock on as a timer would.
    sleep: async (ms) => {
      slept.push(ms);
      system.clock.set(new Date(system.clock.now().getTime() + ms).toISOString());
    },
    log: (severity, message, fields = {}) => logged.push({ severity, message, fields }),
  });
}

beforeEach(async () => {
  system = createMemorySystem({ now: '2026-01-12T19:00:01.000Z', settings: { queueHours: 6 } });
  await system.addRule(aBirthYearRule(1951, '2026-01-12', OPENING));
  lease = new MemoryLease();
  logged = [];
  slept = [];
});

describe('the seconds a run ticks', () => {
  const asked = (data: string | undefined) =>
    secondsAsked({ message: data === undefined ? {} : { data: Buffer.from(data).toString('base64') } });

  test('as the message says, from 1 to 58', () => {
    expect(asked('{"seconds":55}')).toEqual({ seconds: 55, invalid: null });
    expect(asked('{"seconds":1}')).toEqual({ seconds: 1, invalid: null });
    expect(asked('{"seconds":58}')).toEqual({ seconds: 58, invalid: null });
  });

  test('55 when the message says nothing, and 55 with the reason when it says something unusable', () => {
    expect(asked(undefined)).toEqual({ seconds: DEFAULT_ADMIT_SECONDS, invalid: null });
    expect(asked('{}')).toEqual({ seconds: 55, invalid: null });
    for (const bad of ['{"seconds":0}', '{"seconds":59}', '{"seconds":2.5}', '{"seconds":"10"}'])
      expect(asked(bad)).toEqual({ seconds: 55, invalid: 'seconds must be a whole number from 1 to 58' });
    expect(asked('not json')).toEqual({ seconds: 55, invalid: 'the message is not JSON' });
  });
});

describe('a run of admitQueue', () => {
  test('ticks once a second for the seconds asked, admits the people waiting, logs counts only, and releases the lease', async () => {
    const people: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { patientId, principal } = await system.newPatient({ born: 1950 });
      await joinQueue(system.deps, principal, patientId);
      people.push(patientId);
    }
    await handler()(message('{"seconds":3}'));
    expect(slept).toEqual([1000, 1000]);
    const admitted = await Promise.all(people.map((id) => system.store.getQueueTicket('born-1951', id)));
    // At least two a second from the first tick on: the five are in within three.
    expect(admitted.map((t) => t?.status)).toEqual(['admitted', 'admitted', 'admitted', 'admitted', 'admitted']);
    const ticks = logged.filter((l) => l.message.startsWith('Admitted'));
    expect(ticks.length).toBeGreaterThan(0);
    expect(ticks[0]?.fields).toMatchObject({ trigger: 'scheduler-1', tick: 0, rooms: [{ roomId: 'born-1951' }] });
    expect(ticks.reduce((n, l) => n + Number(l.message.split(' ')[1]), 0)).toBe(5);
    const all = JSON.stringify(logged);
    for (const id of people) expect(all).not.toContain(id);
    expect(logged.at(-1)).toMatchObject({ severity: 'INFO', fields: { ticks: 3 } });
    expect(lease.released).toEqual(['instance-1/scheduler-1']);
    expect(lease.held).toBeNull();
  });

  test('a quiet tick logs nothing; an unusable message is warned of and the run ticks 55 seconds', async () => {
    await handler()(message('{"seconds":99}'));
    expect(logged[0]).toMatchObject({ severity: 'WARNING', message: expect.stringContaining('from 1 to 58') });
    expect(slept).toHaveLength(54);
    expect(logged.filter((l) => l.message.startsWith('Admitted'))).toEqual([]);
  });

  test('a run that finds the lease held by another run logs and does not tick', async () => {
    const { patientId, principal } = await system.newPatient({ born: 1950 });
    await joinQueue(system.deps, principal, patientId);
    lease.held = { holder: 'instance-2/scheduler-0', until: new Date(Date.parse('2026-01-12T19:00:30.000Z')) };
    await handler()(message('{"seconds":3}'));
    expect(slept).toEqual([]);
    expect((await system.store.getQueueTicket('born-1951', patientId))?.status).toBe('waiting');
    expect(logged).toEqual([
      expect.objectContaining({
        severity: 'INFO',
        fields: expect.objectContaining({ holder: 'instance-2/scheduler-0' }),
      }),
    ]);
    expect(lease.held).toMatchObject({ holder: 'instance-2/scheduler-0' });
  });

  test('the lease is taken until the run’s planned end and a few seconds, and released when a tick fails', async () => {
    const taken: Date[] = [];
    const take = lease.take.bind(lease);
    lease.take = async (holder, until, now) => {
      taken.push(until);
      return take(holder, until, now);
    };
    system.deps.store.listEligibilityRules = async () => {
      throw new Error('Firestore is unavailable');
    };
    await handler()(message('{"seconds":2}'));
    expect(taken).toEqual([new Date(Date.parse('2026-01-12T19:00:01.000Z') + 2_000 + 5_000)]);
    expect(logged.filter((l) => l.severity === 'ERROR')).toHaveLength(2);
    expect(lease.held).toBeNull();
  });
});
