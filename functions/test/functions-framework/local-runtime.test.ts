import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays, localToday, makeEvent, publishSlots } from '@ereg/shared';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import request from 'supertest';
import type { LocalSystem } from '../../src/runtime/local/local-system.ts';
import { aBirthYearRule, aCentre, aCitizen } from '../support/builders.ts';

/*
 * The functions-framework entry on the embedded default (`EREG_RUNTIME=local`) runs the same system
 * as `npm start`, background parts included: nothing here drains the outbox or runs a task by hand.
 */

const dataDir = mkdtempSync(join(tmpdir(), 'ereg-ff-local-'));
process.env.DATA_DIR = dataDir;
process.env.EREG_RUNTIME = 'local';

let system: LocalSystem;
const centre = aCentre({ id: 'c-framework' });

/** Asks until the answer passes, for at most `ms`: the dispatcher runs on its own timer. */
async function eventually<T>(ask: () => Promise<T>, pass: (value: T) => boolean, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await ask();
    if (pass(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  await import('../../src/index.ts');
  const runtime = await import('../../src/runtime/entry-runtime.ts');
  system = await runtime.localRuntime();
  const actor = { role: 'system', id: 'test' } as const;
  await system.store.runInTransaction(async (tx) => {
    tx.putEligibilityRule(aBirthYearRule(1970));
    tx.putCentre(centre);
    tx.addEvent(
      makeEvent(system.deps.ids.next('evt'), 'centre.onboarded', system.deps.clock.now(), actor, centre.id, {
        centreId: centre.id,
        name: centre.name,
        voivodeship: centre.address.voivodeship,
        staff: 0,
      }),
    );
  });
  const today = localToday(system.deps.clock.now(), centre.timeZone);
  await publishSlots(system.deps, centre, today, addDays(today, 60), actor, 'test');
});

afterAll(async () => {
  await system.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Offer {
  slotId: string;
  free: number;
}

const search = async (): Promise<Offer[]> => {
  const reply = await request(getTestServer('search')).get('/?postalCode=00-950&vaccineId=comirnaty&slotsPerCentre=5');
  expect(reply.status).toBe(200);
  return reply.body.results.find((r: { centre: { id: string } }) => r.centre.id === centre.id)?.slots ?? [];
};

const freeAt = (offers: Offer[], slotId: string) => offers.find((o) => o.slotId === slotId)?.free ?? 0;

test('a booking through the functions-framework reaches the search read model and the message ledger', async () => {
  const offers = await eventually(search, (found) => found.length > 0);
  const first = offers[0] as Offer;
  const citizen = aCitizen({ born: 1950 });
  const login = await request(getTestServer('login'))
    .post('/')
    .send({ assertion: await system.identity.issueAssertion(citizen) });
  expect(login.status).toBe(200);

  const booked = await request(getTestServer('booking'))
    .post('/appointments')
    .set('authorization', `Bearer ${login.body.token}`)
    .send({ slotId: first.slotId });
  expect(booked.status).toBe(201);

  const after = await eventually(search, (found) => freeAt(found, first.slotId) === first.free - 1);
  expect(freeAt(after, first.slotId)).toBe(first.free - 1);
  const key = `booked:${booked.body.appointments[0].bookingId}`;
  const confirmation = await eventually(
    () => system.store.runInTransaction((tx) => tx.getSmsMessage(key)),
    (record) => record !== null,
  );
  expect(confirmation).toMatchObject({ key, to: citizen.phone, patientId: login.body.patient.id });
});
