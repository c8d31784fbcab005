import { createTwilioClient, TwilioSms } from '../../src/adapters/twilio/twilio-sms.ts';
import { configureLogging } from '../../src/observability/logger.ts';
import { inSpan } from '../../src/observability/trace-context.ts';
import { FakeTwilio } from '../support/fake-twilio.ts';

/*
 * The real twilio client, its every request sent to a small HTTP server on 127.0.0.1 (by an httpClient
 * that swaps the origin), which speaks the Messages API as Twilio does: POST
 * /2010-04-01/Accounts/{AccountSid}/Messages.json, form-encoded, HTTP basic auth, JSON answers and
 * Twilio's error bodies. Unproven here: Twilio's real answers for each error code, TLS to api.twilio.com,
 * the delivery itself and the status callbacks (issue 5).
 */

const ACCOUNT = 'AC00000000000000000000000000000001';
const TOKEN = 'local-auth-token';
const SERVICE = 'MG00000000000000000000000000000002';
const CALLBACK = 'https://europe-central2-demo-ereg.cloudfunctions.net/smsStatus';
const MESSAGES = `/2010-04-01/Accounts/${ACCOUNT}/Messages.json`;

const fake = new FakeTwilio(ACCOUNT);
let sms: TwilioSms;

beforeAll(async () => {
  await fake.start();
  const client = createTwilioClient({ accountSid: ACCOUNT, authToken: TOKEN, baseUrl: fake.url, timeoutMs: 2000 });
  sms = new TwilioSms(client, { messagingServiceSid: SERVICE, statusCallback: CALLBACK });
});

afterAll(async () => {
  await fake.stop();
});

beforeEach(() => {
  fake.requests.length = 0;
  fake.script.length = 0;
});

/** What the port's isSmsRejected / isSmsUnavailable look at (shared/src/sms.ts): an Error's name and key. */
const isSmsRejected = (error: unknown) =>
  error instanceof Error && error.name === 'SmsRejected' && typeof (error as { key?: unknown }).key === 'string';
const isSmsUnavailable = (error: unknown) =>
  error instanceof Error && error.name === 'SmsUnavailable' && typeof (error as { key?: unknown }).key === 'string';

const message = {
  key: 'appt-123:reminder:v1',
  to: '+48600100200',
  body: 'Przypomnienie: jutro 10:30, Punkt Szczepień Warszawa-Mokotów, ul. Puławska 1. Odwołanie: ereg.gov.pl',
};

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected the promise to be rejected.');
}

describe('sending a text message through Twilio', () => {
  test('the message is posted form-encoded with basic auth, the Messaging Service and a status callback naming its key', async () => {
    await expect(sms.send(message)).resolves.toEqual({ providerId: `SM${'1'.padStart(32, '0')}` });
    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe(MESSAGES);
    expect(request?.authorization).toBe(`Basic ${Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64')}`);
    expect(request?.contentType).toBe('application/x-www-form-urlencoded');
    expect(request?.form).toEqual({
      To: '+48600100200',
      Body: message.body,
      MessagingServiceSid: SERVICE,
      StatusCallback: `${CALLBACK}?messageKey=appt-123%3Areminder%3Av1`,
    });
  });

  test('a 500 from Twilio is a retryable SmsUnavailable, and the adapter does not resend by itself', async () => {
    fake.script.push({ status: 500, body: { code: 20500, message: 'Internal Server Error', status: 500 } });
    const error = await rejection(sms.send(message));
    expect(isSmsUnavailable(error)).toBe(true);
    expect(isSmsRejected(error)).toBe(false);
    expect(error).toMatchObject({ key: message.key });
    expect(fake.requests).toHaveLength(1);
  });

  test('a 400 with code 21211 (invalid number) is a permanent SmsRejected carrying the code', async () => {
    fake.script.push({
      status: 400,
      body: {
        code: 21211,
        message: "The 'To' number +48000 is not a valid phone number.",
        more_info: 'https://www.twilio.com/docs/errors/21211',
        status: 400,
      },
    });
    const error = await rejection(sms.send({ ...message, to: '+48000' }));
    expect(isSmsRejected(error)).toBe(true);
    expect(isSmsUnavailable(error)).toBe(false);
    expect(error).toMatchObject({ key: message.key, providerCode: '21211' });
  });

  test('a 429 (too many requests) is retryable, not a rejection', async () => {
    fake.script.push({ status: 429, body: { code: 20429, message: 'Too Many Requests', status: 429 } });
    expect(isSmsUnavailable(await rejection(sms.send(message)))).toBe(true);
  });

  test('wrong credentials (401) are retryable: no message is given up for a configuration fault', async () => {
    fake.script.push({ status: 401, body: { code: 20003, message: 'Authenticate', status: 401 } });
    expect(isSmsUnavailable(await rejection(sms.send(message)))).toBe(true);
  });

  test('a Twilio that cannot be reached is retryable', async () => {
    const client = createTwilioClient({
      accountSid: ACCOUNT,
      authToken: TOKEN,
      baseUrl: 'http://127.0.0.1:1',
      timeoutMs: 2000,
    });
    const unreachable = new TwilioSms(client, { messagingServiceSid: SERVICE, statusCallback: CALLBACK });
    expect(isSmsUnavailable(await rejection(unreachable.send(message)))).toBe(true);
  });
});

describe('the Twilio call in its trace', () => {
  const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
  const lines: Array<Record<string, unknown>> = [];
  let restore: () => void;
  beforeEach(() => {
    lines.length = 0;
    restore = configureLogging({ write: (line) => lines.push(JSON.parse(line)) });
  });
  afterEach(() => restore());

  const inTask = <T>(work: () => Promise<T>) =>
    inSpan('task.run', { parent: `00-${CALLER_TRACE}-00f067aa0ba902b7-01` }, work);

  test('a message Twilio takes is one line of the task’s trace: its key and SID, never the number or the text', async () => {
    const { providerId } = await inTask(() => sms.send(message));
    expect(lines).toEqual([
      expect.objectContaining({
        severity: 'INFO',
        message: `Twilio took message ${message.key} as ${providerId}.`,
        messageKey: message.key,
        providerId,
        latencyMs: expect.any(Number),
        'logging.googleapis.com/trace': CALLER_TRACE,
      }),
    ]);
    expect(JSON.stringify(lines)).not.toContain('600100200');
    expect(JSON.stringify(lines)).not.toContain('Przypomnienie');
  });

  test('a refusal is a warning with the error, its phone number redacted', async () => {
    fake.script.push({
      status: 400,
      body: { code: 21211, message: "The 'To' number +48600100200 is not a valid phone number.", status: 400 },
    });
    await rejection(inTask(() => sms.send(message)));
    expect(lines).toEqual([
      expect.objectContaining({
        severity: 'WARNING',
        message: `Twilio did not take message ${message.key}.`,
        error: expect.objectContaining({ type: 'SmsRejected', message: expect.stringContaining('[redacted]') }),
        'logging.googleapis.com/trace': CALLER_TRACE,
      }),
    ]);
    expect(JSON.stringify(lines)).not.toContain('600100200');
  });
});
