import { generateKeyPairSync } from 'node:crypto';
import { webLoginOf } from './cloud-system.ts';
import { loadCloudConfig } from './config.ts';

function aCloudEnvironment(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  const publicKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({
    type: 'spki',
    format: 'pem',
  });
  return {
    GOOGLE_CLOUD_PROJECT: 'ereg-prod',
    PESEL_HMAC_SECRET: 'a-secret-of-at-least-thirty-two-characters',
    TASKS_QUEUE_PATH: 'projects/ereg-prod/locations/europe-central2/queues/reminders',
    TASKS_TARGET_URL: 'https://europe-central2-ereg-prod.cloudfunctions.net/smsTasks',
    TASKS_SERVICE_ACCOUNT: 'tasks@ereg-prod.iam.gserviceaccount.com',
    TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
    TWILIO_AUTH_TOKEN: 'secret',
    TWILIO_MESSAGING_SERVICE_SID: `MG${'1'.repeat(32)}`,
    SMS_WEBHOOK_URL: 'https://europe-central2-ereg-prod.cloudfunctions.net/sms/',
    IDP_ISSUER: 'https://login.gov.pl',
    IDP_AUDIENCE: 'ereg',
    IDP_LOGIN_URL: 'https://login.gov.pl/ereg',
    FIREBASE_WEB_API_KEY: 'AIzaSyLocalTestKey',
    IDP_PUBLIC_KEY_PEM: publicKey as string,
    ...overrides,
  };
}

describe('the cloud configuration loader', () => {
  test('reads a complete environment and fills the defaults', () => {
    const config = loadCloudConfig(aCloudEnvironment());
    expect(config).toMatchObject({
      GOOGLE_CLOUD_PROJECT: 'ereg-prod',
      EVENTS_TOPIC: 'events',
      BIGQUERY_DATASET: 'ereg',
      SMS_WEBHOOK_URL: 'https://europe-central2-ereg-prod.cloudfunctions.net/sms',
      SMS_HOTLINE: '989',
      SMS_PEOPLE_PER_PHONE_PER_DAY: 5,
    });
  });

  test('takes the people one phone may book for by text in a day, from 1 to 50, and refuses others by name', () => {
    expect(loadCloudConfig(aCloudEnvironment({ SMS_PEOPLE_PER_PHONE_PER_DAY: '3' })).SMS_PEOPLE_PER_PHONE_PER_DAY).toBe(
      3,
    );
    for (const bad of ['0', '51', '2.5', 'many']) {
      expect(() => loadCloudConfig(aCloudEnvironment({ SMS_PEOPLE_PER_PHONE_PER_DAY: bad }))).toThrow(
        /SMS_PEOPLE_PER_PHONE_PER_DAY/,
      );
    }
  });

  test('tells the web apps that staff, the hotline and the reports’ readers sign in with Firebase, in the Auth emulator only when the functions use one', () => {
    expect(webLoginOf(loadCloudConfig(aCloudEnvironment()))).toEqual({
      idpLoginUrl: 'https://login.gov.pl/ereg',
      session: { kind: 'firebase', apiKey: 'AIzaSyLocalTestKey' },
      staff: { kind: 'firebase', apiKey: 'AIzaSyLocalTestKey' },
      hotline: { kind: 'firebase', apiKey: 'AIzaSyLocalTestKey' },
      reports: { kind: 'firebase', apiKey: 'AIzaSyLocalTestKey' },
    });
    const emulated = loadCloudConfig(aCloudEnvironment({ FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:9099' }));
    expect(webLoginOf(emulated).staff).toEqual({
      kind: 'firebase',
      apiKey: 'AIzaSyLocalTestKey',
      authEmulatorUrl: 'http://127.0.0.1:9099',
    });
    expect(webLoginOf(emulated).reports).toEqual(webLoginOf(emulated).staff);
    expect(() => loadCloudConfig(aCloudEnvironment({ FIREBASE_AUTH_EMULATOR_HOST: 'http://x' }))).toThrow(
      /FIREBASE_AUTH_EMULATOR_HOST must be host:port/,
    );
  });

  test('names every missing variable at once', () => {
    const env = aCloudEnvironment({ GOOGLE_CLOUD_PROJECT: undefined, TWILIO_AUTH_TOKEN: undefined });
    expect(() => loadCloudConfig(env)).toThrow(
      /GOOGLE_CLOUD_PROJECT: GOOGLE_CLOUD_PROJECT is required[\s\S]*TWILIO_AUTH_TOKEN/,
    );
  });

  test('names a malformed variable and says what it should look like', () => {
    const env = aCloudEnvironment({ TASKS_QUEUE_PATH: 'reminders' });
    expect(() => loadCloudConfig(env)).toThrow(/TASKS_QUEUE_PATH: TASKS_QUEUE_PATH must look like projects/);
  });

  test('requires of a function only the secrets its code reads', () => {
    const withoutSecrets = { PESEL_HMAC_SECRET: undefined, TWILIO_AUTH_TOKEN: undefined };
    expect(loadCloudConfig(aCloudEnvironment({ ...withoutSecrets, FUNCTION_TARGET: 'search' }))).toMatchObject({
      PESEL_HMAC_SECRET: undefined,
      TWILIO_AUTH_TOKEN: undefined,
    });
    expect(() => loadCloudConfig(aCloudEnvironment({ ...withoutSecrets, FUNCTION_TARGET: 'booking' }))).toThrow(
      /PESEL_HMAC_SECRET is required/,
    );
    const smsTasks = aCloudEnvironment({ ...withoutSecrets, FUNCTION_TARGET: 'smsTasks' });
    expect(() => loadCloudConfig(smsTasks)).toThrow(/TWILIO_AUTH_TOKEN is required/);
    expect(() => loadCloudConfig(smsTasks)).not.toThrow(/PESEL_HMAC_SECRET/);
  });

  test('requires every secret of an instance that serves every function', () => {
    expect(() => loadCloudConfig(aCloudEnvironment({ PESEL_HMAC_SECRET: undefined }))).toThrow(
      /PESEL_HMAC_SECRET: PESEL_HMAC_SECRET is required/,
    );
  });

  test('still checks a secret it is given', () => {
    const env = aCloudEnvironment({ PESEL_HMAC_SECRET: 'short', FUNCTION_TARGET: 'search' });
    expect(() => loadCloudConfig(env)).toThrow(/PESEL_HMAC_SECRET must be at least 32 characters/);
  });

  test('leaves RATE_LIMITS unset for the defaults, and reads limits by name when set', () => {
    expect(loadCloudConfig(aCloudEnvironment()).RATE_LIMITS).toBeUndefined();
    const config = loadCloudConfig(aCloudEnvironment({ RATE_LIMITS: 'bookingPerCaller=40/10m,textsPerPhone=off' }));
    expect(config.RATE_LIMITS?.bookingPerCaller).toMatchObject({ limit: 40, windowSeconds: 600 });
    expect(config.RATE_LIMITS).not.toHaveProperty('textsPerPhone');
    expect(() => loadCloudConfig(aCloudEnvironment({ RATE_LIMITS: 'bookingPerCalle=4/1m' }))).toThrow(
      /RATE_LIMITS: unknown limit "bookingPerCalle"/,
    );
  });
});
