import { localToday } from '@ereg/shared';
import { createTestSystem, serve, type TestSystem } from '../support/test-system.ts';

let system: TestSystem;
let url: string;
let close: () => Promise<void>;

beforeAll(async () => {
  system = await createTestSystem();
  ({ url, close } = await serve(system));
});

afterAll(async () => {
  await close();
  await system.close();
});

const dayList = async (centreId: string, token: string) => {
  const date = localToday(system.clock.now(), 'Europe/Warsaw');
  const reply = await fetch(`${url}/api/centres/${centreId}/day?date=${date}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: reply.status, body: (await reply.json()) as { error?: { code: string } } };
};

describe('a staff session holds only while its member is in the store at its centre', () => {
  test('a validly signed token for a staff id the store does not have cannot read a day list', async () => {
    const centre = await system.addCentre();
    // Signed by the system's own key, but no such member was ever onboarded.
    const { token } = await system.identity.issueSession({ role: 'staff', staffId: 'ghost-1', centreId: centre.id });
    const reply = await dayList(centre.id, token);
    expect(reply.status).toBe(401);
    expect(reply.body.error?.code).toBe('SUBJECT_UNKNOWN');
  });

  test('a member moved to another centre loses the old centre’s session once the cache bound has passed', async () => {
    const first = await system.addCentre();
    const second = await system.addCentre();
    const token = await system.tokenFor({ role: 'staff', staffId: 'mover-1', centreId: first.id });
    expect((await dayList(first.id, token)).status).toBe(200);
    await system.store.runInTransaction(async (tx) => {
      tx.putStaff({ id: 'mover-1', name: 'Mover', email: 'mover@example.test', centreId: second.id, role: 'staff' });
    });
    // Within the 30 seconds the member's centre is remembered; after them it is read again.
    system.clock.set(new Date(system.clock.now().getTime() + 29_000).toISOString());
    expect((await dayList(first.id, token)).status).toBe(200);
    system.clock.set(new Date(system.clock.now().getTime() + 2_000).toISOString());
    const refused = await dayList(first.id, token);
    expect(refused.status).toBe(401);
    expect(refused.body.error?.code).toBe('SUBJECT_UNKNOWN');
  });

  test('a patient’s session, which names no staff member, still holds', async () => {
    const { token } = await system.newPatient();
    const reply = await fetch(`${url}/api/login/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(reply.status).toBe(200);
  });
});
