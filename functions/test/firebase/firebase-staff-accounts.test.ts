import { generateKeyPairSync } from 'node:crypto';
import {
  addStaffMember,
  type Clock,
  type DomainError,
  LiveStaffAccounts,
  LiveSubjectIdentity,
  removeStaffMember,
  type StaffMember,
} from '@ereg/shared';
import { createMemorySystem } from '@ereg/shared/testing';
import { type App, cert, deleteApp, initializeApp } from 'firebase-admin/app';
import { type Auth, getAuth } from 'firebase-admin/auth';
import { FirebaseIdentity } from '../../src/adapters/firebase/firebase-identity.ts';
import { FirebaseStaffAccounts } from '../../src/adapters/firebase/firebase-staff-accounts.ts';
import { type AuthEmulator, EmulatorSignIn, startAuthEmulator } from '../support/auth-emulator.ts';

/*
 * Against the real Firebase Authentication emulator (firebase-tools): accounts made by the adapter,
 * signed in to over the emulator's REST API (e-mail link, password), ID tokens verified by
 * FirebaseIdentity through firebase-admin in emulator mode. The emulator signs no token (`alg: none`),
 * so the signature check against Google's keys is not what these tests prove (firebase-identity.test.ts
 * says what is); claims, revocation and disabled accounts are the emulator's own behaviour.
 */

const PROJECT = 'demo-ereg';

class FakeClock implements Clock {
  offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
}

async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('Expected the promise to be rejected.');
}

const aMember = (overrides: Partial<StaffMember> = {}): StaffMember => ({
  id: 'stf-ewa',
  name: 'Ewa Kowal',
  email: 'ewa.kowal@example.test',
  centreId: 'ctr-0042',
  role: 'staff',
  ...overrides,
});

let emulator: AuthEmulator;
let app: App;
let auth: Auth;
let accounts: FirebaseStaffAccounts;
let identity: FirebaseIdentity;
let signIn: EmulatorSignIn;
const clock = new FakeClock();

beforeAll(async () => {
  emulator = await startAuthEmulator(PROJECT);
  process.env.FIREBASE_AUTH_EMULATOR_HOST = emulator.host;
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  app = initializeApp(
    {
      credential: cert({
        projectId: PROJECT,
        clientEmail: `ereg-functions@${PROJECT}.iam.gserviceaccount.com`,
        privateKey: key.export({ type: 'pkcs8', format: 'pem' }) as string,
      }),
      projectId: PROJECT,
    },
    'staff-accounts-emulator',
  );
  // firebase-admin reads FIREBASE_AUTH_EMULATOR_HOST when the Auth service is first made.
  auth = getAuth(app);
  delete process.env.FIREBASE_AUTH_EMULATOR_HOST;
  accounts = new FirebaseStaffAccounts(auth);
  const idp = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
  identity = new FirebaseIdentity({
    auth,
    assertion: {
      publicKeyPem: idp.export({ type: 'spki', format: 'pem' }) as string,
      issuer: 'https://idp.example.gov.pl',
      audience: 'ereg-login',
    },
    clock,
  });
  signIn = new EmulatorSignIn(emulator);
}, 90_000);

afterAll(async () => {
  if (app) await deleteApp(app);
  await emulator?.stop();
});

beforeEach(async () => {
  clock.offsetMs = 0;
  await signIn.clear();
});

test('the emulator is firebase-tools’ own, for the demo project, and fetched nothing to start', () => {
  expect(emulator.output()).toContain('Detected demo project ID "demo-ereg"');
  expect(emulator.output()).toContain('All emulators ready');
  expect(emulator.output()).not.toMatch(/update available|download/i);
});

test('a manager adds a member through the use case; signed in by e-mail link they are staff of the centre; removed, they are refused', async () => {
  const system = createMemorySystem();
  const centre = await system.addCentre({ id: 'ctr-0042' });
  const manager = await system.addStaff(centre, 'mgr-1', 'centre-manager');
  const live = new LiveSubjectIdentity(identity, system.store, clock);
  const deps = { ...system.deps, identity: live, staffAccounts: new LiveStaffAccounts(live, accounts) };

  const member = await addStaffMember(deps, manager, centre.id, {
    name: 'Jan Nowak',
    email: 'jan@example.test',
    role: 'staff',
  });
  expect((await auth.getUser(member.id)).customClaims).toEqual({ role: 'staff', centreId: 'ctr-0042' });
  const token = await signIn.withEmailLink('jan@example.test');
  const principal = { role: 'staff', staffId: member.id, centreId: centre.id };
  await expect(deps.identity.verifySession(token)).resolves.toEqual(principal);

  await removeStaffMember(deps, manager, centre.id, member.id);
  // In this process at once, by the store; everywhere, by Firebase, once the token's minute has passed.
  expect((await rejection(deps.identity.verifySession(token))).code).toBe('SUBJECT_UNKNOWN');
  clock.offsetMs = 61_000;
  expect((await rejection(identity.verifySession(token))).kind).toBe('unauthenticated');
  expect((await auth.getUser(member.id)).disabled).toBe(true);
});

test('provisioning makes the account with the staff id, e-mail, name and the role and centre claims', async () => {
  await accounts.provision(aMember());

  const user = await auth.getUser('stf-ewa');
  expect(user).toMatchObject({ uid: 'stf-ewa', email: 'ewa.kowal@example.test', displayName: 'Ewa Kowal' });
  expect(user.disabled).toBe(false);
  expect(user.customClaims).toEqual({ role: 'staff', centreId: 'ctr-0042' });
});

test('provisioning again updates the same account, and an e-mail held by another account is EMAIL_TAKEN', async () => {
  await accounts.provision(aMember());
  await accounts.provision(aMember({ name: 'Ewa Kowal-Nowak', role: 'centre-manager' }));

  const { users } = await auth.listUsers();
  expect(users.map((u) => [u.uid, u.displayName, u.customClaims])).toEqual([
    ['stf-ewa', 'Ewa Kowal-Nowak', { role: 'centre-manager', centreId: 'ctr-0042' }],
  ]);
  const error = await rejection(accounts.provision(aMember({ id: 'stf-other' })));
  expect([error.kind, error.code]).toEqual(['conflict', 'EMAIL_TAKEN']);
});

test('signed in by e-mail link, the member is a centre-manager of their centre; removed, the same token is refused', async () => {
  await accounts.provision(aMember({ role: 'centre-manager' }));
  const token = await signIn.withEmailLink('ewa.kowal@example.test');

  await expect(identity.verifySession(token)).resolves.toEqual({
    role: 'centre-manager',
    staffId: 'stf-ewa',
    centreId: 'ctr-0042',
  });

  await accounts.revoke('stf-ewa');
  // Trusted for a minute from the last check: still accepted within it, refused after.
  clock.offsetMs = 30_000;
  await expect(identity.verifySession(token)).resolves.toMatchObject({ staffId: 'stf-ewa' });
  clock.offsetMs = 61_000;
  const error = await rejection(identity.verifySession(token));
  expect(error.kind).toBe('unauthenticated');
  expect(['TOKEN_REVOKED', 'INVALID_TOKEN']).toContain(error.code);
  expect((await auth.getUser('stf-ewa')).disabled).toBe(true);
  await expect(signIn.withEmailLink('ewa.kowal@example.test')).rejects.toThrow(/USER_DISABLED/);
});

test('signed in with a password, the member is staff of their centre; their role changed, they sign in again as manager', async () => {
  await accounts.provision(aMember());
  await auth.updateUser('stf-ewa', { password: 'correct horse battery staple' });
  const before = await signIn.withPassword('ewa.kowal@example.test', 'correct horse battery staple');
  await expect(identity.verifySession(before)).resolves.toEqual({
    role: 'staff',
    staffId: 'stf-ewa',
    centreId: 'ctr-0042',
  });

  // Revocation counts in whole seconds: a token signed in during the second it happens still holds.
  await new Promise((resolve) => setTimeout(resolve, 1100));
  // What changeStaffRole does: revoke, then provision with the new role (which enables the account).
  await accounts.revoke('stf-ewa');
  await accounts.provision(aMember({ role: 'centre-manager' }));
  const after = await signIn.withPassword('ewa.kowal@example.test', 'correct horse battery staple');

  clock.offsetMs = 61_000;
  expect((await rejection(identity.verifySession(before))).code).toBe('TOKEN_REVOKED');
  await expect(identity.verifySession(after)).resolves.toEqual({
    role: 'centre-manager',
    staffId: 'stf-ewa',
    centreId: 'ctr-0042',
  });
});

test('revoking an account that does not exist is no error', async () => {
  await expect(accounts.revoke('stf-nobody')).resolves.toBeUndefined();
});
