import type { Centre, EligibilityRule, QueueView } from '@ereg/shared';
import { type Call, client } from '../support/http-client.ts';
import { createTestSystem, serve, type TestSystem } from '../support/test-system.ts';

// Wednesday 2026-01-14, 20:00 in Warsaw is 19:00 UTC: the opening. Doors open at 19:30 Warsaw.
const BEFORE_OPENING = '2026-01-14T18:40:00.000Z';
const OPENING = '2026-01-14T19:00:00.000Z';
const BORN_1951: EligibilityRule = {
  id: 'born-1951',
  kind: 'birthYear',
  bornInOrBefore: 1951,
  from: '2026-01-14',
  opensAt: OPENING,
  description: 'born in 1951 or earlier',
};

let system: TestSystem;
let close: () => Promise<void>;
let call: Call;
let centre: Centre;

interface Person {
  patientId: string;
  token: string;
}

beforeEach(async () => {
  system = await createTestSystem({ now: BEFORE_OPENING, settings: { queueHours: 6 } });
  centre = await system.addCentre();
  await system.addRule(BORN_1951);
  const served = await serve(system);
  close = served.close;
  call = client(served.url);
});

afterEach(async () => {
  await close?.();
  await system?.close();
});

async function aPerson(): Promise<Person> {
  const { patientId, token } = await system.newPatient({ born: 1950 });
  return { patientId, token };
}

async function join(person: Person): Promise<{ status: number; queue: QueueView }> {
  const reply = await call('POST', '/api/booking/queue', {
    token: person.token,
    body: { patientId: person.patientId },
  });
  return { status: reply.status, queue: reply.body.queue };
}

async function stateOf(person: Person): Promise<QueueView> {
  const reply = await call('GET', `/api/booking/queue/${person.patientId}`, { token: person.token });
  expect(reply.status).toBe(200);
  return reply.body.queue;
}

/** Books the first free comirnaty slot on Friday; answers the status and error code. */
async function book(person: Person): Promise<{ status: number; code?: string; queue?: QueueView | null }> {
  const slot = (await system.store.listSlotsOfCentreDay(centre.id, '2026-01-16')).find(
    (s) => s.vaccineId === 'comirnaty' && s.booked < s.capacity,
  );
  if (!slot) throw new Error('no free slot');
  const reply = await call('POST', '/api/booking/appointments', { token: person.token, body: { slotId: slot.id } });
  return { status: reply.status, code: reply.body?.error?.code, queue: reply.body?.error?.details?.queue };
}

/** Sessions last an hour: people log in again as the evening goes on. */
async function refresh(people: Person[]): Promise<void> {
  for (const person of people) person.token = await system.tokenFor({ role: 'patient', patientId: person.patientId });
}

test('an opening at 20:00: early arrivals shuffled once, later ones in order, one ticket each, admission with ten minutes to book', async () => {
  const early: Person[] = [];
  for (let i = 0; i < 30; i++) {
    system.clock.set(new Date(Date.parse(BEFORE_OPENING) + i * 30_000).toISOString());
    const person = await aPerson();
    const joined = await join(person);
    expect(joined.status).toBe(201);
    expect(joined.queue).toMatchObject({ roomId: 'born-1951', status: 'before-opening', position: null, ahead: null });
    early.push(person);
  }
  const first = early[0] as Person;
  // A second browser of the same person gets the same ticket, not a new place.
  const again = await join(first);
  expect(again.status).toBe(200);
  expect(again.queue.ticket).toBe((await stateOf(first)).ticket);
  // Before the opening (and before admission) the gate stops booking and a logged-in search.
  const refused = await book(first);
  expect(refused).toMatchObject({ status: 409, code: 'QUEUE_REQUIRED' });
  expect(refused.queue).toMatchObject({ roomId: 'born-1951', status: 'before-opening' });
  const search = await call('GET', '/api/search?postalCode=00-950', { token: first.token });
  expect(search.status).toBe(409);
  expect(search.body.error.code).toBe('QUEUE_REQUIRED');
  // Anonymous search is not gated.
  expect((await call('GET', '/api/search?postalCode=00-950')).status).toBe(200);

  // 20:00: the shuffle gives the early arrivals 1..30 in a drawn order, once.
  system.clock.set(OPENING);
  await refresh(early);
  const [tick] = await system.queue.tick();
  expect(tick).toMatchObject({ roomId: 'born-1951', shuffled: 30 });
  const positions = await Promise.all(early.map(async (p) => (await stateOf(p)).position));
  expect([...positions].sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  expect(positions).not.toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  const admittedCount = tick?.admitted ?? 0;
  expect(admittedCount).toBeGreaterThan(0);
  expect(admittedCount).toBeLessThan(30);

  // Later arrivals come after every early one, in the order they came.
  const later: Person[] = [];
  for (let i = 0; i < 3; i++) {
    system.clock.set(new Date(Date.parse(OPENING) + 100 + i * 100).toISOString());
    const person = await aPerson();
    expect((await join(person)).queue.position).toBe(31 + i);
    later.push(person);
  }
  // Another tick does not shuffle again.
  system.clock.set('2026-01-14T19:00:01.000Z');
  await system.queue.tick();
  expect(await Promise.all(early.map(async (p) => (await stateOf(p)).position))).toEqual(positions);

  const byPosition = (n: number) => early[positions.indexOf(n)] as Person;
  const one = byPosition(1);
  const two = byPosition(2);
  expect(await stateOf(one)).toMatchObject({
    status: 'admitted',
    admittedUntil: '2026-01-14T19:10:00.000Z',
  });
  // The admitted book; the one not yet admitted is sent back to the line.
  expect((await book(one)).status).toBe(201);
  expect((await stateOf(one)).status).toBe('booked');
  const last = await book(later[2] as Person);
  expect(last).toMatchObject({ status: 409, code: 'QUEUE_REQUIRED' });
  expect(last.queue).toMatchObject({ status: 'waiting', position: 33 });

  // Ten minutes on, the second place unused has expired and the line has moved on.
  const mark = (await system.store.getQueueRoom('born-1951'))?.admittedThrough ?? 0;
  expect(mark).toBeLessThan(30);
  system.clock.set('2026-01-14T19:10:01.000Z');
  await refresh([...early, ...later]);
  const [after] = await system.queue.tick();
  expect(after?.expired).toBeGreaterThanOrEqual(1);
  expect((await stateOf(two)).status).toBe('expired');
  expect((await book(two)).code).toBe('QUEUE_REQUIRED');
  const next = byPosition(mark + 1);
  expect((await stateOf(next)).status).toBe('admitted');
  expect((await book(next)).status).toBe(201);

  await system.dispatcher.drain();
  const types = (system.db.prepare('SELECT type FROM outbox').all() as Array<{ type: string }>).map((r) => r.type);
  expect(types.filter((t) => t === 'queue.joined')).toHaveLength(33);
  expect(types.filter((t) => t === 'queue.admitted').length).toBeGreaterThanOrEqual(2);
  expect(types).toContain('queue.expired');
});

test('a tampered ticket is refused at the gate, naming the header', async () => {
  system.clock.set(OPENING);
  const person = await aPerson();
  const { queue } = await join(person);
  const slot = (await system.store.listSlotsOfCentreDay(centre.id, '2026-01-16')).find(
    (s) => s.vaccineId === 'comirnaty',
  );
  const reply = await call('POST', '/api/booking/appointments', {
    token: person.token,
    body: { slotId: slot?.id },
    headers: { 'Queue-Ticket': queue.ticket.replace(/\.[^.]+$/, '.forged') },
  });
  expect(reply.status).toBe(400);
  expect(reply.body.error).toMatchObject({ code: 'QUEUE_TICKET_INVALID', field: 'Queue-Ticket' });
});

test('asking for a text when the turn comes sends one when the person is admitted', async () => {
  system.clock.set(OPENING);
  const person = await aPerson();
  await system.store.runInTransaction(async (tx) => {
    const patient = await tx.getPatient(person.patientId);
    if (patient) tx.putPatient({ ...patient, phone: '+48600100200', language: 'en' });
  });
  await join(person);
  const asked = await call('PUT', `/api/booking/queue/${person.patientId}/sms`, {
    token: person.token,
    body: { notify: true },
  });
  expect(asked.status).toBe(200);
  expect(asked.body.queue.smsWhenTurn).toBe(true);
  await system.queue.tick();
  await system.dispatcher.drain();
  const texts = await system.store.listSmsMessages({ limit: 10, to: '+48600100200' });
  expect(texts.map((t) => t.purpose)).toEqual(['queue_turn']);
  expect(texts[0]?.body).toContain('10 min');
});
