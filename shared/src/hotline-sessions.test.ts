import type { DomainError } from './errors.ts';
import { HOTLINE_SESSION_WRITE_MS, HotlineSessionIdentity } from './hotline-sessions.ts';
import type { Principal } from './principal.ts';
import { FakeClock } from './testing/builders.ts';
import { InMemoryStore } from './testing/in-memory-store.ts';
import { plainIdentity } from './testing/memory-system.ts';
import { DEFAULT_SETTINGS } from './use-cases/deps.ts';

const START = '2026-01-12T07:00:00.000Z';

let store: InMemoryStore;
let clock: FakeClock;
let identity: HotlineSessionIdentity;

beforeEach(() => {
  store = new InMemoryStore();
  clock = new FakeClock(START);
  identity = new HotlineSessionIdentity(plainIdentity, store, clock, DEFAULT_SETTINGS);
});

/** A token of an agent's sign-in that began at `startedAt` (plain identity: the principal as JSON). */
const agentToken = (id = 'sign-in-1', startedAt = START): string =>
  JSON.stringify({ role: 'agent', agentId: 'agent-1', session: { id, startedAt } } satisfies Principal);

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as DomainError).code;
  }
  return 'accepted';
}

test('an agent who keeps working within 15 minutes keeps the session', async () => {
  for (let i = 0; i < 8; i++) {
    clock.advanceMinutes(14);
    await expect(identity.verifySession(agentToken())).resolves.toMatchObject({ agentId: 'agent-1' });
  }
});

test('a session idle for 15 minutes is refused as SESSION_IDLE, and stays refused', async () => {
  await identity.verifySession(agentToken());
  clock.advanceMinutes(15);
  expect(await refusal(identity.verifySession(agentToken()))).toBe('SESSION_IDLE');
  clock.advanceMinutes(1);
  expect(await refusal(identity.verifySession(agentToken()))).toBe('SESSION_IDLE');
  // A new sign-in is a new session.
  await expect(identity.verifySession(agentToken('sign-in-2', clock.now().toISOString()))).resolves.toBeTruthy();
});

test('a token first used more than 15 minutes after its sign-in is idle already', async () => {
  clock.advanceMinutes(16);
  expect(await refusal(identity.verifySession(agentToken()))).toBe('SESSION_IDLE');
});

test('a session ends 10 hours after its sign-in however busy it is (SESSION_TOO_LONG)', async () => {
  for (let minutes = 0; minutes < 600 - 10; minutes += 10) {
    clock.set(new Date(Date.parse(START) + minutes * 60_000).toISOString());
    await identity.verifySession(agentToken());
  }
  clock.set(new Date(Date.parse(START) + 600 * 60_000).toISOString());
  expect(await refusal(identity.verifySession(agentToken()))).toBe('SESSION_TOO_LONG');
});

test('use seen by another process counts: the store keeps the last use', async () => {
  const other = new HotlineSessionIdentity(plainIdentity, store, clock, DEFAULT_SETTINGS);
  await identity.verifySession(agentToken());
  clock.advanceMinutes(10);
  await other.verifySession(agentToken());
  clock.advanceMinutes(10);
  // This process last saw it 20 minutes ago; the other 10 minutes ago.
  await expect(identity.verifySession(agentToken())).resolves.toBeTruthy();
});

test('a busy session is written at most once a minute per process', async () => {
  await identity.verifySession(agentToken());
  const first = await store.runInTransaction((tx) => tx.getHotlineSession('sign-in-1'));
  clock.set(new Date(Date.parse(START) + HOTLINE_SESSION_WRITE_MS / 2).toISOString());
  await identity.verifySession(agentToken());
  expect(await store.runInTransaction((tx) => tx.getHotlineSession('sign-in-1'))).toEqual(first);
  clock.set(new Date(Date.parse(START) + HOTLINE_SESSION_WRITE_MS).toISOString());
  await identity.verifySession(agentToken());
  expect(await store.runInTransaction((tx) => tx.getHotlineSession('sign-in-1'))).toMatchObject({
    actor: { role: 'agent', id: 'agent-1' },
    startedAt: START,
    lastSeenAt: clock.now().toISOString(),
    expiresAt: '2026-01-12T17:00:00.000Z',
  });
});

test('a hotline token that names no sign-in is refused; a supervisor is held to the same rules', async () => {
  expect(await refusal(identity.verifySession(JSON.stringify({ role: 'agent', agentId: 'agent-1' })))).toBe(
    'SESSION_UNKNOWN',
  );
  const supervisor = JSON.stringify({
    role: 'supervisor',
    supervisorId: 'sup-1',
    session: { id: 's', startedAt: START },
  });
  await identity.verifySession(supervisor);
  clock.advanceMinutes(20);
  expect(await refusal(identity.verifySession(supervisor))).toBe('SESSION_IDLE');
});

test('patients and staff are not held to hotline sessions', async () => {
  clock.advanceMinutes(24 * 60);
  await expect(identity.verifySession(JSON.stringify({ role: 'patient', patientId: 'p-1' }))).resolves.toEqual({
    role: 'patient',
    patientId: 'p-1',
  });
});
