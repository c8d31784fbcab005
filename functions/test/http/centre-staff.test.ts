import type { Centre } from '@ereg/shared';
import { type Call, client } from '../support/http-client.ts';
import { createTestSystem, serve, type TestSystem } from '../support/test-system.ts';

// A centre's manager keeps its people over the API, on the embedded default: members sign in through
// the development identity provider, which signs in whoever the store lists.

let system: TestSystem;
let close: () => Promise<void>;
let call: Call;
let centre: Centre;
let manager: string;

/** A session for a member, as the development identity provider issues it. */
async function signIn(staffId: string): Promise<string> {
  const reply = await call('POST', '/dev-idp/token', { body: { role: 'staff', id: staffId } });
  expect(reply.status).toBe(200);
  return reply.body.token;
}

beforeAll(async () => {
  system = await createTestSystem();
  centre = await system.addCentre({ id: 'c-staff' });
  const served = await serve(system);
  close = served.close;
  call = client(served.url);
  manager = await system.tokenFor({ role: 'centre-manager', staffId: 'mgr-1', centreId: centre.id });
});

afterAll(async () => {
  await close?.();
  await system?.close();
});

test('a manager adds a member, who signs in and sees the centre’s staff without e-mails; removed, their session is refused at once', async () => {
  const added = await call('POST', `/api/centres/${centre.id}/staff`, {
    token: manager,
    body: { name: 'Ewa Kowal', email: 'Ewa.Kowal@example.test' },
  });
  expect(added.status).toBe(201);
  expect(added.body).toMatchObject({ name: 'Ewa Kowal', email: 'ewa.kowal@example.test', role: 'staff' });
  const member = await signIn(added.body.id);

  const listed = await call('GET', `/api/centres/${centre.id}/staff`, { token: member });
  expect(listed.status).toBe(200);
  expect(listed.body.staff).toEqual([
    { id: added.body.id, name: 'Ewa Kowal', role: 'staff' },
    { id: 'mgr-1', name: 'mgr-1', role: 'centre-manager' },
  ]);
  const asManager = await call('GET', `/api/centres/${centre.id}/staff`, { token: manager });
  expect(asManager.body.staff.map((m: { email?: string }) => m.email)).toEqual([
    'ewa.kowal@example.test',
    'mgr-1@example.test',
  ]);

  const removed = await call('POST', `/api/centres/${centre.id}/staff/${added.body.id}/remove`, { token: manager });
  expect(removed.status).toBe(200);
  const after = await call('GET', `/api/centres/${centre.id}/staff`, { token: member });
  expect([after.status, after.body.error.code]).toEqual([401, 'SUBJECT_UNKNOWN']);
  await system.dispatcher.drain();
  const types = (system.db.prepare('SELECT type FROM report_events ORDER BY rowid').all() as Array<{ type: string }>)
    .map((r) => r.type)
    .filter((type) => type.startsWith('staff.'));
  expect(types).toEqual(['staff.added', 'staff.removed']);
});

test('a member made manager must sign in again, and then manages', async () => {
  const added = await call('POST', `/api/centres/${centre.id}/staff`, {
    token: manager,
    body: { name: 'Jan Nowak', email: 'jan.nowak@example.test', role: 'staff' },
  });
  const before = await signIn(added.body.id);
  const refused = await call('POST', `/api/centres/${centre.id}/staff`, {
    token: before,
    body: { name: 'Ola Nowa', email: 'ola@example.test' },
  });
  expect([refused.status, refused.body.error.code]).toEqual([403, 'ROLE_NOT_ALLOWED']);

  const changed = await call('PUT', `/api/centres/${centre.id}/staff/${added.body.id}/role`, {
    token: manager,
    body: { role: 'centre-manager' },
  });
  expect([changed.status, changed.body.role]).toEqual([200, 'centre-manager']);
  const stale = await call('GET', `/api/centres/${centre.id}/staff`, { token: before });
  expect([stale.status, stale.body.error.code]).toEqual([401, 'ROLE_CHANGED']);

  const again = await signIn(added.body.id);
  const demoted = await call('PUT', `/api/centres/${centre.id}/staff/mgr-1/role`, {
    token: again,
    body: { role: 'staff' },
  });
  expect([demoted.status, demoted.body.role]).toEqual([200, 'staff']);
  const last = await call('PUT', `/api/centres/${centre.id}/staff/${added.body.id}/role`, {
    token: again,
    body: { role: 'staff' },
  });
  expect([last.status, last.body.error.code]).toEqual([409, 'LAST_MANAGER']);
  // Put back as it was for the other tests.
  await call('PUT', `/api/centres/${centre.id}/staff/mgr-1/role`, { token: again, body: { role: 'centre-manager' } });
  manager = await signIn('mgr-1');
});

test.each([
  ['a name too short', { name: 'E', email: 'e@example.test' }, 'name'],
  ['an e-mail that is none', { name: 'Ewa Kowal', email: 'not-an-email' }, 'email'],
  ['an unknown role', { name: 'Ewa Kowal', email: 'e@example.test', role: 'admin' }, 'role'],
  ['an unknown field', { name: 'Ewa Kowal', email: 'e@example.test', pesel: '1' }, undefined],
])('adding with %s is refused 400, naming the field', async (_, body, field) => {
  const reply = await call('POST', `/api/centres/${centre.id}/staff`, { token: manager, body });
  expect(reply.status).toBe(400);
  if (field) expect(reply.body.error.field).toBe(field);
});

test('an e-mail already in use is refused 409 EMAIL_TAKEN', async () => {
  const reply = await call('POST', `/api/centres/${centre.id}/staff`, {
    token: manager,
    body: { name: 'Someone Else', email: 'MGR-1@example.test' },
  });
  expect([reply.status, reply.body.error.code]).toEqual([409, 'EMAIL_TAKEN']);
});

test('a manager cannot remove themselves', async () => {
  const reply = await call('POST', `/api/centres/${centre.id}/staff/mgr-1/remove`, { token: manager });
  expect([reply.status, reply.body.error.code]).toEqual([409, 'CANNOT_REMOVE_SELF']);
});
