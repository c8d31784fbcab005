import { generateKeyPairSync, type KeyObject, randomUUID, sign, verify } from 'node:crypto';
import type { Clock, DomainError } from '@ereg/shared';
import { type App, cert, deleteApp, initializeApp } from 'firebase-admin/app';
import { getAuth } from 'firebase-admin/auth';
import { FirebaseIdentity } from '../../src/adapters/firebase/firebase-identity.ts';
import { type JwtKey, signJwt } from '../../src/adapters/jwt/jwt.ts';
import { FakeAuthEmulator } from '../support/google-fakes.ts';

/*
 * What these tests prove and what they do not.
 *
 * - Custom tokens: minted by firebase-admin with a locally generated service-account key; the test
 *   checks the RS256 signature with the public half and every claim. Proven.
 * - ID tokens: firebase-admin checks an ID token's signature against Google's public certificates,
 *   fetched from www.googleapis.com — not reachable here, and those keys sign only tokens Google issues.
 *   So ID tokens are verified in firebase-admin's own emulator mode (FIREBASE_AUTH_EMULATOR_HOST, read
 *   when `getAuth(app)` is first called): the SDK then skips the signature (it accepts only unsigned
 *   `alg: none` tokens, as the Auth emulator issues) but still checks audience (project id), issuer
 *   (https://securetoken.google.com/<project>), subject and expiry, and always looks the user up
 *   (`accounts:lookup`, answered here by a small HTTP server) to refuse disabled or revoked users.
 *   Unproven locally: the signature check against Google's keys, key rotation and caching of those
 *   keys, and the exchange of a custom token for an ID token (`signInWithCustomToken`, done by Google).
 */

const PROJECT = 'demo-ereg';
const IDP = { issuer: 'https://idp.example.gov.pl', audience: 'ereg-login' };
const CUSTOM_TOKEN_AUDIENCE =
  'https://identitytoolkit.googleapis.com/google.identity.identitytoolkit.v1.IdentityToolkit';
const PERSON = { pesel: '46031464864', givenName: 'Janina', familyName: 'Kowalska', phone: '+48600100200' };

const serviceAccount = generateKeyPairSync('rsa', { modulusLength: 2048 });
const CLIENT_EMAIL = `ereg-functions@${PROJECT}.iam.gserviceaccount.com`;
const credential = () =>
  cert({
    projectId: PROJECT,
    clientEmail: CLIENT_EMAIL,
    privateKey: serviceAccount.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  });

const ecIdp = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const rsaIdp = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = (key: KeyObject) => key.export({ type: 'spki', format: 'pem' }) as string;

const nowSeconds = () => Math.floor(Date.now() / 1000);

class FakeClock implements Clock {
  offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

/** An ID token as the Auth emulator issues it: unsigned (`alg: none`), Firebase's claims. */
const emulatorIdToken = (claims: Record<string, unknown>) => emulator.idToken(claims, nowSeconds());

function rs256(claims: Record<string, unknown>, key: KeyObject): string {
  const data = `${b64({ alg: 'RS256', typ: 'JWT', kid: 'idp-2024' })}.${b64(claims)}`;
  return `${data}.${sign('sha256', Buffer.from(data), key).toString('base64url')}`;
}

function assertionClaims(overrides: Record<string, unknown> = {}) {
  const now = nowSeconds();
  return {
    iss: IDP.issuer,
    aud: IDP.audience,
    iat: now,
    exp: now + 300,
    jti: randomUUID(),
    sub: PERSON.pesel,
    ...PERSON,
    ...overrides,
  };
}

const es256 = (key: KeyObject): JwtKey => ({ alg: 'ES256', key });

async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('Expected the promise to be rejected.');
}

const emulator = new FakeAuthEmulator(PROJECT);
let productionApp: App;
let emulatorApp: App;
let clock: FakeClock;
let production: FirebaseIdentity;
let emulated: FirebaseIdentity;

beforeAll(async () => {
  await emulator.start();
  delete process.env.FIREBASE_AUTH_EMULATOR_HOST;
  productionApp = initializeApp({ credential: credential(), projectId: PROJECT }, 'firebase-identity-production');
  const productionAuth = getAuth(productionApp);
  process.env.FIREBASE_AUTH_EMULATOR_HOST = emulator.host;
  emulatorApp = initializeApp({ credential: credential(), projectId: PROJECT }, 'firebase-identity-emulator');
  const emulatorAuth = getAuth(emulatorApp);
  delete process.env.FIREBASE_AUTH_EMULATOR_HOST;
  clock = new FakeClock();
  const assertion = { publicKeyPem: pem(ecIdp.publicKey), ...IDP };
  production = new FirebaseIdentity({ auth: productionAuth, assertion, clock });
  emulated = new FirebaseIdentity({ auth: emulatorAuth, assertion, clock });
});

afterAll(async () => {
  await deleteApp(productionApp);
  await deleteApp(emulatorApp);
  await emulator.stop();
});

beforeEach(() => {
  clock.offsetMs = 0;
  emulator.requests.length = 0;
  emulator.users.clear();
  emulator.validSince.clear();
});

describe('issuing a session', () => {
  test('the session token is a custom token signed with the service account key, carrying the staff role and centre', async () => {
    const session = await production.issueSession({ role: 'staff', staffId: 's-17', centreId: 'c-0001' });
    const [header, payload, signature] = session.token.split('.') as [string, string, string];
    expect(decode(header)).toEqual({ alg: 'RS256', typ: 'JWT' });
    const valid = verify(
      'sha256',
      Buffer.from(`${header}.${payload}`),
      serviceAccount.publicKey,
      Buffer.from(signature, 'base64url'),
    );
    expect(valid).toBe(true);
    const claims = decode(payload);
    expect(claims).toMatchObject({
      iss: CLIENT_EMAIL,
      sub: CLIENT_EMAIL,
      aud: CUSTOM_TOKEN_AUDIENCE,
      uid: 's-17',
      claims: { role: 'staff', centreId: 'c-0001' },
    });
    expect(claims.exp - claims.iat).toBe(3600);
  });

  test('a patient session carries only the patient role and expires when the custom token does', async () => {
    clock.offsetMs = 0;
    const before = nowSeconds();
    const session = await production.issueSession({ role: 'patient', patientId: 'p-42' });
    const claims = decode(session.token.split('.')[1] as string);
    expect(claims.uid).toBe('p-42');
    expect(claims.claims).toEqual({ role: 'patient' });
    const expiresAt = Date.parse(session.expiresAt) / 1000;
    expect(expiresAt).toBeGreaterThanOrEqual(before + 3600);
    expect(expiresAt).toBeLessThanOrEqual(nowSeconds() + 3600);
  });

  test('a signature made by another key does not verify against the service account key', async () => {
    const session = await production.issueSession({ role: 'agent', agentId: 'a-1' });
    const [header, payload, signature] = session.token.split('.') as [string, string, string];
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const valid = verify(
      'sha256',
      Buffer.from(`${header}.${payload}`),
      other.publicKey,
      Buffer.from(signature, 'base64url'),
    );
    expect(valid).toBe(false);
  });
});

describe('verifying a session (firebase-admin in emulator mode: claims checked, signature not)', () => {
  test.each([
    [{ role: 'patient' }, { role: 'patient', patientId: 'u-1' }],
    [
      { role: 'agent', auth_time: 1_780_000_000, firebase: { sign_in_second_factor: 'phone' } },
      { role: 'agent', agentId: 'u-1', session: { id: 'u-1:1780000000', startedAt: '2026-05-28T20:26:40.000Z' } },
    ],
    [
      { role: 'supervisor', auth_time: 1_780_000_000, firebase: { sign_in_second_factor: 'totp' } },
      {
        role: 'supervisor',
        supervisorId: 'u-1',
        session: { id: 'u-1:1780000000', startedAt: '2026-05-28T20:26:40.000Z' },
      },
    ],
    [
      { role: 'staff', centreId: 'c-0042' },
      { role: 'staff', staffId: 'u-1', centreId: 'c-0042' },
    ],
    [{ role: 'admin' }, { role: 'admin', adminId: 'u-1' }],
    [{ role: 'analyst' }, { role: 'analyst', analystId: 'u-1' }],
    [{ role: 'registry' }, { role: 'registry', registryId: 'u-1' }],
  ])('an ID token with claims %j is the principal %j', async (claims, principal) => {
    emulator.users.add('u-1');
    await expect(emulated.verifySession(emulatorIdToken({ sub: 'u-1', ...claims }))).resolves.toEqual(principal);
    const lookup = emulator.requests.find((r) => r.path.endsWith('/accounts:lookup'));
    expect(lookup?.body).toEqual({ localId: ['u-1'] });
    expect(lookup?.authorization).toBe('Bearer owner');
  });

  test.each([
    ['no role', {}],
    ['an unknown role', { role: 'superuser' }],
    ['the staff role without a centre', { role: 'staff' }],
  ])('an ID token with %s is refused as INVALID_TOKEN', async (_, claims) => {
    emulator.users.add('u-2');
    const error = await rejection(emulated.verifySession(emulatorIdToken({ sub: 'u-2', ...claims })));
    expect(error.kind).toBe('unauthenticated');
    expect(error.code).toBe('INVALID_TOKEN');
  });

  test.each([
    ['an agent', { role: 'agent' }],
    ['a supervisor', { role: 'supervisor' }],
    ['an agent signed in with one factor', { role: 'agent', firebase: { sign_in_provider: 'password' } }],
  ])('%s without a second factor is refused as MFA_REQUIRED', async (_, claims) => {
    emulator.users.add('u-mfa');
    const error = await rejection(emulated.verifySession(emulatorIdToken({ sub: 'u-mfa', ...claims })));
    expect([error.kind, error.code]).toEqual(['unauthenticated', 'MFA_REQUIRED']);
  });

  test('a staff member or patient needs no second factor', async () => {
    emulator.users.add('u-one');
    await expect(emulated.verifySession(emulatorIdToken({ sub: 'u-one', role: 'patient' }))).resolves.toEqual({
      role: 'patient',
      patientId: 'u-one',
    });
  });

  test('an expired ID token is refused as TOKEN_EXPIRED', async () => {
    emulator.users.add('u-3');
    const past = nowSeconds() - 7200;
    const token = emulatorIdToken({ sub: 'u-3', role: 'patient', iat: past, auth_time: past, exp: past + 3600 });
    const error = await rejection(emulated.verifySession(token));
    expect(error.code).toBe('TOKEN_EXPIRED');
  });

  test('an ID token for another Firebase project is refused as INVALID_TOKEN', async () => {
    emulator.users.add('u-4');
    const token = emulatorIdToken({
      sub: 'u-4',
      role: 'patient',
      aud: 'other-project',
      iss: 'https://securetoken.google.com/other-project',
    });
    expect((await rejection(emulated.verifySession(token))).code).toBe('INVALID_TOKEN');
  });

  test('an ID token of a user Firebase does not know is refused as INVALID_TOKEN', async () => {
    const error = await rejection(emulated.verifySession(emulatorIdToken({ sub: 'u-gone', role: 'patient' })));
    expect(error.code).toBe('INVALID_TOKEN');
  });

  test('something that is not a JWT is refused as INVALID_TOKEN', async () => {
    expect((await rejection(emulated.verifySession('not-a-token'))).code).toBe('INVALID_TOKEN');
  });

  test('a verified token is answered from the cache, and refused without a look-up once it has expired', async () => {
    emulator.users.add('u-5');
    const token = emulatorIdToken({ sub: 'u-5', role: 'agent', firebase: { sign_in_second_factor: 'phone' } });
    await emulated.verifySession(token);
    await emulated.verifySession(token);
    expect(emulator.requests.filter((r) => r.path.endsWith('/accounts:lookup'))).toHaveLength(1);
    clock.offsetMs = 30_000;
    await emulated.verifySession(token);
    expect(emulator.requests.filter((r) => r.path.endsWith('/accounts:lookup'))).toHaveLength(1);
    clock.offsetMs = 3601 * 1000;
    expect((await rejection(emulated.verifySession(token))).code).toBe('TOKEN_EXPIRED');
    expect(emulator.requests).toHaveLength(1);
  });

  test('a revoked user’s token is refused once the minute it was trusted for has passed', async () => {
    emulator.users.add('u-7');
    // Signed in ten seconds ago: revocation refuses tokens whose sign-in came before it.
    const signedIn = nowSeconds() - 10;
    const token = emulator.idToken(
      { sub: 'u-7', role: 'agent', firebase: { sign_in_second_factor: 'phone' } },
      signedIn,
    );
    const agent = {
      role: 'agent',
      agentId: 'u-7',
      session: { id: `u-7:${signedIn}`, startedAt: new Date(signedIn * 1000).toISOString() },
    };
    await expect(emulated.verifySession(token)).resolves.toEqual(agent);
    await getAuth(emulatorApp).revokeRefreshTokens('u-7');
    const lookups = () => emulator.requests.filter((r) => r.path.endsWith('/accounts:lookup')).length;
    expect(lookups()).toBe(1);
    clock.offsetMs = 59_000;
    await expect(emulated.verifySession(token)).resolves.toEqual(agent);
    expect(lookups()).toBe(1);
    clock.offsetMs = 61_000;
    const error = await rejection(emulated.verifySession(token));
    expect(error.code).toBe('TOKEN_REVOKED');
    expect(error.kind).toBe('unauthenticated');
    expect(lookups()).toBe(2);
  });

  test('a token whose user was not revoked is looked up again after its minute and still holds', async () => {
    emulator.users.add('u-8');
    const token = emulator.idToken({ sub: 'u-8', role: 'admin' }, nowSeconds() - 10);
    await emulated.verifySession(token);
    clock.offsetMs = 61_000;
    await expect(emulated.verifySession(token)).resolves.toEqual({ role: 'admin', adminId: 'u-8' });
    expect(emulator.requests.filter((r) => r.path.endsWith('/accounts:lookup'))).toHaveLength(2);
  });

  test('outside emulator mode an unsigned token is refused before any key is fetched', async () => {
    const error = await rejection(production.verifySession(emulatorIdToken({ sub: 'u-6', role: 'admin' })));
    expect(error.code).toBe('INVALID_TOKEN');
  });

  test('granting a role sets the custom claims of the Firebase user', async () => {
    await emulated.grantRole({ role: 'staff', staffId: 's-9', centreId: 'c-0007' });
    const update = emulator.requests.find((r) => r.path.endsWith('/accounts:update'));
    expect(update?.body).toEqual({
      localId: 's-9',
      customAttributes: JSON.stringify({ role: 'staff', centreId: 'c-0007' }),
    });
  });

  test('an analyst’s account is given the analyst role alone, and signs in with one factor as centre staff do', async () => {
    await emulated.grantRole({ role: 'analyst', analystId: 'analyst-7' });
    const update = emulator.requests.find((r) => r.path.endsWith('/accounts:update'));
    expect(update?.body).toEqual({ localId: 'analyst-7', customAttributes: JSON.stringify({ role: 'analyst' }) });
    emulator.users.add('analyst-7');
    const token = emulatorIdToken({ sub: 'analyst-7', role: 'analyst', firebase: { sign_in_provider: 'password' } });
    await expect(emulated.verifySession(token)).resolves.toEqual({ role: 'analyst', analystId: 'analyst-7' });
  });
});

describe('verifying the identity provider’s assertion', () => {
  test('an ES256 assertion signed by the configured key gives the person, its id and its expiry', async () => {
    const claims = assertionClaims();
    const assertion = await signJwt(claims, es256(ecIdp.privateKey));
    await expect(production.verifyAssertion(assertion)).resolves.toEqual({
      person: PERSON,
      id: claims.jti,
      expiresAt: new Date(claims.exp * 1000).toISOString(),
    });
  });

  test('an RS256 assertion signed by a configured RSA key gives the person', async () => {
    const identity = new FirebaseIdentity({
      auth: getAuth(productionApp),
      assertion: { publicKeyPem: pem(rsaIdp.publicKey), ...IDP },
      clock,
    });
    const assertion = rs256(assertionClaims({ phone: undefined, jti: 'rsa-1' }), rsaIdp.privateKey);
    await expect(identity.verifyAssertion(assertion)).resolves.toMatchObject({
      person: { ...PERSON, phone: null },
      id: 'rsa-1',
    });
  });

  test.each([
    [
      'signed by another key',
      () => signJwt(assertionClaims(), es256(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey)),
    ],
    ['from another issuer', () => signJwt(assertionClaims({ iss: 'https://evil.example' }), es256(ecIdp.privateKey))],
    ['for another audience', () => signJwt(assertionClaims({ aud: 'someone-else' }), es256(ecIdp.privateKey))],
    ['expired', () => signJwt(assertionClaims({ exp: nowSeconds() - 1 }), es256(ecIdp.privateKey))],
    ['not valid yet', () => signJwt(assertionClaims({ nbf: nowSeconds() + 60 }), es256(ecIdp.privateKey))],
    ['without a unique id (jti)', () => signJwt(assertionClaims({ jti: undefined }), es256(ecIdp.privateKey))],
    ['signed RS256 when the provider signs ES256', async () => rs256(assertionClaims(), rsaIdp.privateKey)],
  ])('an assertion %s is refused as INVALID_ASSERTION', async (_, make) => {
    const error = await rejection(production.verifyAssertion(await make()));
    expect(error.kind).toBe('unauthenticated');
    expect(error.code).toBe('INVALID_ASSERTION');
  });

  test('an RS256 assertion whose payload was altered after signing is refused', async () => {
    const identity = new FirebaseIdentity({
      auth: getAuth(productionApp),
      assertion: { publicKeyPem: pem(rsaIdp.publicKey), ...IDP },
      clock,
    });
    const [header, , signature] = rs256(assertionClaims(), rsaIdp.privateKey).split('.');
    const forged = `${header}.${b64(assertionClaims({ pesel: '71123113135' }))}.${signature}`;
    expect((await rejection(identity.verifyAssertion(forged))).code).toBe('INVALID_ASSERTION');
  });

  test('a provider key that is neither P-256 nor RSA is refused at start', () => {
    const ed = generateKeyPairSync('ed25519').publicKey;
    expect(
      () => new FirebaseIdentity({ auth: getAuth(productionApp), assertion: { publicKeyPem: pem(ed), ...IDP }, clock }),
    ).toThrow(/P-256 EC key \(ES256\) or an RSA key \(RS256\)/);
  });
});
