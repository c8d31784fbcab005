import { generateKeyPairSync } from 'node:crypto';
import type { Clock, StaffMember } from '@ereg/shared';
import { type App, cert, deleteApp, initializeApp } from 'firebase-admin/app';
import { type Auth, getAuth } from 'firebase-admin/auth';
import { FirebaseIdentity } from '../../../functions/src/adapters/firebase/firebase-identity.ts';
import { FirebaseStaffAccounts } from '../../../functions/src/adapters/firebase/firebase-staff-accounts.ts';
import { type AuthEmulator, EmulatorSignIn, startAuthEmulator } from '../../../functions/test/support/auth-emulator.ts';
import { createSession } from '../../shared/src/session.ts';
import {
  emailLinkCode,
  type FirebaseSignIn,
  firebaseSignIn,
  type SignInAnswer,
  StaffSignInError,
} from '../../shared/src/sign-in/firebase.ts';

/*
 * The centre app's staff sign-in (web/shared/src/sign-in/firebase.ts) against the real Firebase
 * Authentication emulator: accounts made by FirebaseStaffAccounts as onboarding and the manager's staff
 * page make them, signed in to over the Identity Toolkit REST API exactly as the app calls it, the ID
 * tokens verified by the server's FirebaseIdentity (firebase-admin in emulator mode) as that staff member.
 */

const PROJECT = 'demo-ereg';
const PASSWORD = 'correct horse battery staple';

const systemClock: Clock = { now: () => new Date() };

const aManager = (overrides: Partial<StaffMember> = {}): StaffMember => ({
  id: 'stf-anna',
  name: 'Anna Wiśniewska',
  email: 'anna.wisniewska@example.test',
  centreId: 'ctr-0042',
  role: 'centre-manager',
  ...overrides,
});

let emulator: AuthEmulator;
let app: App;
let auth: Auth;
let accounts: FirebaseStaffAccounts;
let identity: FirebaseIdentity;
let signIn: FirebaseSignIn;
let emulatorUrl: string;

beforeAll(async () => {
  emulator = await startAuthEmulator(PROJECT);
  emulatorUrl = `http://${emulator.host}`;
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
    'staff-sign-in-emulator',
  );
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
    clock: systemClock,
  });
  signIn = firebaseSignIn({ kind: 'firebase', apiKey: 'demo-web-api-key', authEmulatorUrl: emulatorUrl });
}, 90_000);

afterAll(async () => {
  if (app) await deleteApp(app);
  await emulator?.stop();
});

beforeEach(async () => {
  await new EmulatorSignIn(emulator).clear();
});

async function refusal(promise: Promise<unknown>): Promise<StaffSignInError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof StaffSignInError) return error;
    throw error;
  }
  throw new Error('Expected the sign-in to be refused.');
}

function signedIn(answer: SignInAnswer) {
  if (answer.kind !== 'signed-in') throw new Error(`Expected a finished sign-in, got ${answer.kind}.`);
  return answer.signedIn;
}

/** What the emulator lists at one of its own endpoints (`oobCodes`, `verificationCodes`). */
async function emulatorList<T>(what: 'oobCodes' | 'verificationCodes'): Promise<T[]> {
  const response = await fetch(`${emulatorUrl}/emulator/v1/projects/${PROJECT}/${what}`);
  const body = (await response.json()) as Record<string, T[]>;
  return body[what] ?? [];
}

test('a manager onboarded with a password signs in with it; the server takes the ID token as that manager of that centre', async () => {
  await accounts.provision(aManager());
  await auth.updateUser('stf-anna', { password: PASSWORD });

  const tokens = signedIn(await signIn.withPassword('anna.wisniewska@example.test', PASSWORD));

  expect(tokens).toMatchObject({ email: 'anna.wisniewska@example.test', displayName: 'Anna Wiśniewska' });
  expect(tokens.expiresInSeconds).toBe(3600);
  await expect(identity.verifySession(tokens.idToken)).resolves.toEqual({
    role: 'centre-manager',
    staffId: 'stf-anna',
    centreId: 'ctr-0042',
  });
});

test('a wrong password, an unknown e-mail and a malformed one are refused each with its own code', async () => {
  await accounts.provision(aManager());
  await auth.updateUser('stf-anna', { password: PASSWORD });

  const wrong = await refusal(signIn.withPassword('anna.wisniewska@example.test', 'not the password'));
  const unknown = await refusal(signIn.withPassword('nobody@example.test', PASSWORD));
  const malformed = await refusal(signIn.withPassword('anna.wisniewska', PASSWORD));

  expect([wrong.code, wrong.reason]).toEqual(['WRONG_PASSWORD', 'INVALID_PASSWORD']);
  expect(unknown.code).toBe('UNKNOWN_EMAIL');
  expect(malformed.code).toBe('INVALID_EMAIL');
});

test('a member removed (account disabled) is told so, not that the password is wrong', async () => {
  await accounts.provision(aManager({ role: 'staff' }));
  await auth.updateUser('stf-anna', { password: PASSWORD });
  await accounts.revoke('stf-anna');

  expect((await refusal(signIn.withPassword('anna.wisniewska@example.test', PASSWORD))).code).toBe('ACCOUNT_DISABLED');
});

test('with no password set, the link sent by e-mail signs the member in; a used link is refused', async () => {
  await accounts.provision(aManager({ role: 'staff' }));
  const continueUrl = 'https://ereg.example.gov.pl/centre/?signIn=link';

  await signIn.sendLink('anna.wisniewska@example.test', continueUrl);

  const sent = (await emulatorList<{ email: string; requestType: string; oobLink: string }>('oobCodes')).filter(
    (code) => code.email === 'anna.wisniewska@example.test' && code.requestType === 'EMAIL_SIGNIN',
  );
  expect(sent).toHaveLength(1);
  // The code is read from the link as the person opens it, as the app reads it from its address.
  const code = emailLinkCode(sent[0]?.oobLink ?? '');
  expect(code).not.toBeNull();
  expect(decodeURIComponent(sent[0]?.oobLink ?? '')).toContain(continueUrl);
  const tokens = signedIn(await signIn.withEmailLink('anna.wisniewska@example.test', code ?? ''));
  await expect(identity.verifySession(tokens.idToken)).resolves.toEqual({
    role: 'staff',
    staffId: 'stf-anna',
    centreId: 'ctr-0042',
  });

  expect((await refusal(signIn.withEmailLink('anna.wisniewska@example.test', code ?? ''))).code).toBe('LINK_INVALID');
});

test('where a second factor is enrolled, the password alone asks for it; the SMS code finishes the sign-in', async () => {
  await accounts.provision(aManager());
  await auth.updateUser('stf-anna', {
    password: PASSWORD,
    multiFactor: {
      enrolledFactors: [{ uid: 'mfa-phone', factorId: 'phone', phoneNumber: '+48600100200', displayName: 'Służbowy' }],
    },
  });

  const answer = await signIn.withPassword('anna.wisniewska@example.test', PASSWORD);

  if (answer.kind !== 'second-factor') throw new Error('Expected a second factor to be asked for.');
  expect(answer.need.factors).toEqual([{ enrollmentId: 'mfa-phone', kind: 'phone', label: 'Służbowy' }]);
  const factor = answer.need.factors[0] as (typeof answer.need.factors)[number];
  const session = await signIn.sendFactorCode(answer.need, factor);
  const codes = await emulatorList<{ phoneNumber: string; code: string; sessionInfo: string }>('verificationCodes');
  const sms = codes.find((c) => c.sessionInfo === session);
  expect(sms?.phoneNumber).toBe('+48600100200');

  const wrong = await refusal(
    signIn.withSecondFactor(answer.need, factor, '000000', session, 'anna.wisniewska@example.test'),
  );
  expect(wrong.code).toBe('WRONG_CODE');
  const again = await signIn.sendFactorCode(answer.need, factor);
  const code = (await emulatorList<{ code: string; sessionInfo: string }>('verificationCodes')).find(
    (c) => c.sessionInfo === again,
  )?.code;
  const tokens = await signIn.withSecondFactor(answer.need, factor, code ?? '', again, 'anna.wisniewska@example.test');
  await expect(identity.verifySession(tokens.idToken)).resolves.toEqual({
    role: 'centre-manager',
    staffId: 'stf-anna',
    centreId: 'ctr-0042',
  });
});

test('the session renews the ID token with its refresh token at the emulator, and the new token is still the member', async () => {
  await accounts.provision(aManager());
  await auth.updateUser('stf-anna', { password: PASSWORD });
  const tokens = signedIn(await signIn.withPassword('anna.wisniewska@example.test', PASSWORD));
  const storage = new Map<string, string>();
  let now = Date.now();
  const session = createSession({
    storage: {
      getItem: (k) => storage.get(k) ?? null,
      setItem: (k, v) => void storage.set(k, v),
      removeItem: (k) => void storage.delete(k),
    },
    key: 'ereg.centre.session',
    now: () => now,
  });
  session.adopt({ apiKey: 'demo-web-api-key', ...tokens, emulatorUrl });
  // Tokens are stamped in whole seconds: the renewed one must differ from the first.
  await new Promise((resolve) => setTimeout(resolve, 1100));

  now += 3600_000 - 30_000;
  const renewed = await session.getToken();

  expect(renewed).not.toBe(tokens.idToken);
  await expect(identity.verifySession(renewed ?? '')).resolves.toMatchObject({ staffId: 'stf-anna' });
});
