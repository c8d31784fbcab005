import { DatabaseSync } from 'node:sqlite';
import type { DomainError } from '@ereg/shared';
import { aCitizen, FakeClock } from '@ereg/shared/testing';
import { prepareDatabase } from '../adapters/sqlite/schema.ts';
import { DevIdentity, loadOrCreateDevKeys } from './dev-identity.ts';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const partsOf = (token: string) => token.split('.') as [string, string, string];
const payloadOf = (token: string) => JSON.parse(Buffer.from(partsOf(token)[1], 'base64url').toString('utf8'));

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('Expected a refusal.');
}

let db: DatabaseSync;
let clock: FakeClock;
let identity: DevIdentity;

beforeEach(() => {
  db = new DatabaseSync(':memory:');
  prepareDatabase(db);
  clock = new FakeClock('2026-01-12T07:00:00.000Z');
  identity = new DevIdentity(loadOrCreateDevKeys(db), clock, 3600);
});

afterEach(() => db.close());

describe('the development provider’s assertions', () => {
  test('an assertion gives the person, a unique id and its expiry five minutes on', async () => {
    const { pesel, givenName, familyName, phone } = aCitizen();
    const citizen = { pesel, givenName, familyName, phone };
    const first = await identity.verifyAssertion(await identity.issueAssertion(citizen));
    const second = await identity.verifyAssertion(await identity.issueAssertion(citizen));
    expect(first.person).toEqual(citizen);
    expect(first.expiresAt).toBe('2026-01-12T07:05:00.000Z');
    expect(first.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.id).not.toBe(first.id);
  });

  test('an assertion past its five minutes is refused', async () => {
    const assertion = await identity.issueAssertion(aCitizen());
    clock.advanceMinutes(5);
    const error = await refusal(identity.verifyAssertion(assertion));
    expect([error.kind, error.code]).toEqual(['unauthenticated', 'INVALID_ASSERTION']);
  });

  test('a session token is not an assertion, nor an assertion a session', async () => {
    const session = await identity.issueSession({ role: 'patient', patientId: 'p-1' });
    expect((await refusal(identity.verifyAssertion(session.token))).code).toBe('INVALID_ASSERTION');
    const assertion = await identity.issueAssertion(aCitizen());
    expect((await refusal(identity.verifySession(assertion))).code).toBe('INVALID_TOKEN');
  });
});

describe('sessions', () => {
  test('a session gives back its principal, with the staff member’s centre', async () => {
    const principal = { role: 'staff', staffId: 's-1', centreId: 'c-1' } as const;
    const session = await identity.issueSession(principal);
    expect(session).toMatchObject({ kind: 'bearer', expiresAt: '2026-01-12T08:00:00.000Z' });
    expect(await identity.verifySession(session.token)).toEqual(principal);
  });

  test('another process on the same keys verifies the sessions this one issued', async () => {
    const token = (await identity.issueSession({ role: 'patient', patientId: 'p-2' })).token;
    const other = new DevIdentity(loadOrCreateDevKeys(db), clock);
    expect(await other.verifySession(token)).toEqual({ role: 'patient', patientId: 'p-2' });
  });

  test('a tampered role, an unsigned token and a foreign signature are refused as INVALID_TOKEN', async () => {
    const token = (await identity.issueSession({ role: 'patient', patientId: 'p-3' })).token;
    const [header, , signature] = partsOf(token);
    const asAdmin = `${header}.${b64({ ...payloadOf(token), role: 'admin' })}.${signature}`;
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...payloadOf(token), role: 'admin' })}.`;
    const otherDb = new DatabaseSync(':memory:');
    prepareDatabase(otherDb);
    const elsewhere = new DevIdentity(loadOrCreateDevKeys(otherDb), clock);
    const foreign = (await elsewhere.issueSession({ role: 'admin', adminId: 'a-1' })).token;
    otherDb.close();
    for (const forged of [asAdmin, unsigned, foreign]) {
      const error = await refusal(identity.verifySession(forged));
      expect([error.kind, error.code]).toEqual(['unauthenticated', 'INVALID_TOKEN']);
    }
  });

  test('a session verified and cached is still refused once it has expired', async () => {
    const token = (await identity.issueSession({ role: 'patient', patientId: 'p-4' })).token;
    expect(await identity.verifySession(token)).toEqual({ role: 'patient', patientId: 'p-4' });
    clock.advanceMinutes(59);
    expect(await identity.verifySession(token)).toEqual({ role: 'patient', patientId: 'p-4' });
    clock.advanceMinutes(1);
    const error = await refusal(identity.verifySession(token));
    expect([error.kind, error.code]).toEqual(['unauthenticated', 'TOKEN_EXPIRED']);
    // Still refused after the cache has dropped it.
    expect((await refusal(identity.verifySession(token))).code).toBe('TOKEN_EXPIRED');
  });
});
