import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createHash, createHmac, generateKeyPairSync, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { EVENT_FUNCTION_NAMES, FUNCTION_NAMES, SMS_FUNCTION_NAMES } from '@ereg/shared';
import type { Firestore } from '@google-cloud/firestore';
import { type Message, PubSub } from '@google-cloud/pubsub';
import { COLLECTIONS } from '../../src/adapters/firestore/firestore-store.ts';
import { PROCESSED_EVENTS } from '../../src/adapters/firestore/processed-events.ts';
import { signJwt } from '../../src/adapters/jwt/jwt.ts';
import { twilioSignature } from '../../src/adapters/twilio/twilio-signature.ts';
import { polishPopulation } from '../../src/reports/population.ts';
import { aCitizen, aSchedule, TEST_PESEL_SECRET } from '../support/builders.ts';
import {
  documentCreatedEvent,
  firestoreFields,
  messagePublishedEvent,
  postCloudEvent,
} from '../support/cloud-events.ts';
import { firestoreForEmulator } from '../support/emulator-clients.ts';
import { type Emulator, startFirestoreEmulator, startPubsubEmulator } from '../support/emulators.ts';
import { FakeCloudTasks } from '../support/fake-cloud-tasks.ts';
import { FakeTwilio } from '../support/fake-twilio.ts';
import { FakeAuthEmulator, FakeBigQuery, FakeMetadataServer } from '../support/google-fakes.ts';

/*
 * The deployed entry module (functions/src/index.ts) with the cloud composition root, configured only
 * by the environment as a deployment would be, in its own Node process: Firestore and Pub/Sub are
 * Google's emulators; Firebase Auth, BigQuery and the metadata server (the function's credentials) are
 * small local servers speaking their REST calls. What the platform does between functions is done
 * here: Eventarc's Firestore trigger (a document-created CloudEvent per outbox document) and its
 * Pub/Sub triggers (a message-published CloudEvent per pulled message, acknowledged on a 2xx).
 */

jest.setTimeout(120_000);

const PROJECT = 'demo-ereg-cloud';
const TOPIC = 'events';
const ADMIT_TOPIC = 'admit-queue';
const IDP = { issuer: 'https://login.example.gov.pl', audience: 'ereg-login' };
const idpKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const IDP_KEY = { alg: 'ES256', key: idpKey.privateKey } as const;

/** The trusted provider's assertion for a person, valid for five minutes, as it would sign one. */
function idpAssertion(pesel: string, person: { givenName: string; familyName: string; phone: string }) {
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: IDP.issuer, aud: IDP.audience, iat: now, exp: now + 300, jti: randomUUID() };
  return signJwt({ ...claims, sub: pesel, pesel, ...person }, IDP_KEY);
}

const TWILIO_ACCOUNT = `AC${'0'.repeat(32)}`;
const TWILIO_TOKEN = 'twilio-auth-token';
const QUEUE = `projects/${PROJECT}/locations/europe-central2/queues/reminders`;
const SMS_WEBHOOK_URL = `https://europe-central2-${PROJECT}.cloudfunctions.net/sms`;
const metadata = new FakeMetadataServer(PROJECT);
const tasks = new FakeCloudTasks(QUEUE);
const twilio = new FakeTwilio(TWILIO_ACCOUNT);
const auth = new FakeAuthEmulator(PROJECT);
const bigquery = new FakeBigQuery(PROJECT);
let firestoreEmulator: Emulator | undefined;
let pubsubEmulator: Emulator | undefined;
let firestore: Firestore;
let pubsub: PubSub;
let host: FunctionsHost | undefined;
let urls: Record<string, string>;
const savedEnv = { ...process.env };

/** The environment a deployment gives the functions (plus the emulator and stand-in addresses). */
function cloudEnvironment(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    EREG_RUNTIME: 'cloud',
    GOOGLE_CLOUD_PROJECT: PROJECT,
    PESEL_HMAC_SECRET: TEST_PESEL_SECRET,
    EVENTS_TOPIC: TOPIC,
    FIRESTORE_EMULATOR_HOST: firestoreEmulator?.host ?? '',
    PUBSUB_EMULATOR_HOST: pubsubEmulator?.host ?? '',
    FIREBASE_AUTH_EMULATOR_HOST: auth.host,
    BIGQUERY_EMULATOR_HOST: bigquery.url,
    GCE_METADATA_HOST: metadata.host,
    METADATA_SERVER_DETECTION: 'assume-present',
    TASKS_QUEUE_PATH: QUEUE,
    TASKS_TARGET_URL: `https://europe-central2-${PROJECT}.cloudfunctions.net/smsTasks`,
    CLOUD_TASKS_API_ENDPOINT: `http://127.0.0.1:${tasks.port}`,
    TASKS_SERVICE_ACCOUNT: `tasks@${PROJECT}.iam.gserviceaccount.com`,
    TWILIO_ACCOUNT_SID: TWILIO_ACCOUNT,
    TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
    TWILIO_API_BASE_URL: twilio.url,
    TWILIO_MESSAGING_SERVICE_SID: `MG${'1'.repeat(32)}`,
    SMS_WEBHOOK_URL: SMS_WEBHOOK_URL,
    IDP_ISSUER: IDP.issuer,
    IDP_AUDIENCE: IDP.audience,
    IDP_LOGIN_URL: 'https://login.example.gov.pl/ereg',
    FIREBASE_WEB_API_KEY: 'AIzaSyLocalTestKey',
    IDP_PUBLIC_KEY_PEM: idpKey.publicKey.export({ type: 'spki', format: 'pem' }) as string,
  };
}

/** functions-host.ts in a child process: its function URLs, its log lines, and how it ended. */
class FunctionsHost {
  readonly logs: string[] = [];
  stderr = '';
  readonly ready: Promise<Record<string, string>>;
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcessWithoutNullStreams;

  constructor(env: Record<string, string>) {
    this.child = spawn(process.execPath, ['--conditions=source', join(__dirname, 'functions-host.ts')], { env });
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    this.exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.ready = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`functions host did not start: ${this.stderr}`)), 60_000);
      createInterface({ input: this.child.stdout }).on('line', (line) => {
        if (line.startsWith('READY ')) {
          clearTimeout(timer);
          resolve(JSON.parse(line.slice('READY '.length)));
        } else this.logs.push(line);
      });
      void this.exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`functions host exited ${code}: ${this.stderr}`));
      });
    });
    this.ready.catch(() => {});
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    await this.exited;
  }
}

beforeAll(async () => {
  await Promise.all([metadata.start(), auth.start(), bigquery.start(), tasks.start(), twilio.start()]);
  [firestoreEmulator, pubsubEmulator] = await Promise.all([startFirestoreEmulator(), startPubsubEmulator()]);
  firestore = firestoreForEmulator(firestoreEmulator.host, PROJECT);
  process.env.METADATA_SERVER_DETECTION = 'none';
  process.env.PUBSUB_EMULATOR_HOST = pubsubEmulator.host;
  pubsub = new PubSub({ projectId: PROJECT });
  // What the infrastructure creates: the events topic and one subscription per consumer function.
  const [topic] = await pubsub.createTopic(TOPIC);
  await topic.createSubscription('projectAvailability');
  await topic.createSubscription('recordAnalytics');
  await topic.createSubscription('planMessages');
  // Cloud Scheduler's topic for the waiting rooms' admission, and admitQueue's trigger on it.
  const [admitTopic] = await pubsub.createTopic(ADMIT_TOPIC);
  await admitTopic.createSubscription('admitQueue');
  host = new FunctionsHost(cloudEnvironment());
  urls = await host.ready;
}, 120_000);

afterAll(async () => {
  process.env = savedEnv;
  await host?.stop();
  await pubsub?.close();
  await firestore?.terminate();
  await Promise.all([firestoreEmulator?.stop(), pubsubEmulator?.stop()]);
  await Promise.all([metadata.stop(), auth.stop(), bigquery.stop(), tasks.stop(), twilio.stop()]);
}, 60_000);

// ---- what the platform does between functions -------------------------------------------------------

const relayed = new Set<string>();

/** Eventarc's Firestore trigger: a document-created CloudEvent to relayOutbox for each new outbox document. */
async function fireOutboxTriggers(only?: (id: string) => boolean): Promise<string[]> {
  const snap = await firestore.collection(COLLECTIONS.outbox).get();
  const fired: string[] = [];
  for (const doc of snap.docs) {
    if (only ? !only(doc.id) : relayed.has(doc.id)) continue;
    const event = documentCreatedEvent({
      project: PROJECT,
      document: `${COLLECTIONS.outbox}/${doc.id}`,
      fields: firestoreFields(doc.data()),
      form: 'protobuf',
    });
    const reply = await postCloudEvent(urls.relayOutbox as string, event);
    if (reply.status >= 300) throw new Error(`relayOutbox answered ${reply.status}: ${reply.body} ${host?.stderr}`);
    relayed.add(doc.id);
    fired.push(doc.id);
  }
  return fired;
}

/**
 * Eventarc's Pub/Sub trigger: pulls `count` messages from the function's subscription and posts each
 * as a message-published CloudEvent; a 2xx acknowledges it. Answers the event ids delivered.
 */
async function deliver(name: Consumer | 'admitQueue', count: number, topic = TOPIC): Promise<string[]> {
  const subscription = pubsub.subscription(name);
  const delivered: string[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${name}: ${delivered.length} of ${count} messages arrived. ${host?.stderr ?? ''}`)),
        30_000,
      );
      subscription.on('error', reject);
      subscription.on('message', (message: Message) => {
        void postCloudEvent(urls[name] as string, messagePublishedEvent(PROJECT, topic, name, message)).then(
          (reply) => {
            if (reply.status >= 300) {
              message.nack();
              reject(new Error(`${name} answered ${reply.status}: ${reply.body} ${host?.stderr ?? ''}`));
              return;
            }
            message.ack();
            delivered.push(message.attributes.eventId ?? message.id);
            if (delivered.length >= count) {
              clearTimeout(timer);
              resolve();
            }
          },
          reject,
        );
      });
    });
  } finally {
    subscription.removeAllListeners();
    await subscription.close();
  }
  return delivered;
}

const CONSUMERS = ['projectAvailability', 'recordAnalytics', 'planMessages'] as const;
type Consumer = (typeof CONSUMERS)[number];

async function relayAndDeliver(): Promise<string[]> {
  const fired = await fireOutboxTriggers();
  await Promise.all(CONSUMERS.map((name) => deliver(name, fired.length)));
  return fired;
}

// ---- callers ----------------------------------------------------------------------------------------

/** An ID token as Firebase issues it after sign-in (the Auth emulator's unsigned form), for a known user. */
function idTokenFor(uid: string, claims: Record<string, unknown>): string {
  auth.users.add(uid);
  return auth.idToken({ sub: uid, user_id: uid, ...claims });
}

async function call(
  fn: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers, asserted field by field
): Promise<{ status: number; body: any }> {
  const reply = await fetch(`${urls[fn]}${path}`, {
    method,
    headers: {
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await reply.text();
  return { status: reply.status, body: text ? JSON.parse(text) : null };
}

const decodeJwt = (token: string) => JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));

// ---- the deployment ---------------------------------------------------------------------------------

describe('the functions on the cloud composition root, configured by the environment alone', () => {
  const admin = () => idTokenFor('admin-1', { role: 'admin' });
  let centreId: string;
  let patient: { id: string; token: string };
  let slotId: string;

  test('the entry module registers every HTTP and event function', () => {
    expect(Object.keys(urls).sort()).toEqual(
      [...FUNCTION_NAMES, ...SMS_FUNCTION_NAMES, ...EVENT_FUNCTION_NAMES].sort(),
    );
  });

  test('an instance missing a variable does not start, and names the variable', async () => {
    const { TWILIO_AUTH_TOKEN: _, ...incomplete } = cloudEnvironment();
    const broken = new FunctionsHost({ ...incomplete, TASKS_QUEUE_PATH: 'reminders' });
    const failure = await broken.ready.then(
      () => 'started',
      (error: Error) => error.message,
    );
    expect(failure).toContain('TWILIO_AUTH_TOKEN: TWILIO_AUTH_TOKEN is required');
    expect(failure).toContain('TASKS_QUEUE_PATH: TASKS_QUEUE_PATH must look like');
    expect(await broken.exited).not.toBe(0);
  });

  test('the administrator onboards a centre, and two administrators open eligibility through the admin function', async () => {
    const onboarded = await call('admin', 'POST', '/centres', {
      token: admin(),
      body: {
        name: 'Punkt Szczepień Śródmieście',
        address: { street: 'ul. Marszałkowska 1', postalCode: '00-950', city: 'Warszawa', voivodeship: 'mazowieckie' },
        location: { lat: 52.2297, lon: 21.0122 },
        schedule: aSchedule(),
        staff: [{ name: 'Anna Lekarz', email: 'anna@example.pl', role: 'centre-manager' }],
      },
    });
    expect(onboarded.status).toBe(201);
    centreId = onboarded.body.centre.id;
    // Its manager's sign-in account was made in Firebase Authentication, under the staff id.
    expect(auth.users.has(onboarded.body.staff[0].id)).toBe(true);
    const proposed = await call('admin', 'POST', '/policy-changes', {
      token: admin(),
      body: { action: 'open', rules: [{ kind: 'birthYear', bornInOrBefore: 1970, opensAt: '2026-01-01T00:00:00Z' }] },
    });
    expect(proposed.status).toBe(201);
    const approved = await call('admin', 'POST', `/policy-changes/${proposed.body.change.id}/approve`, {
      token: idTokenFor('admin-2', { role: 'admin' }),
      body: {},
    });
    expect([approved.status, approved.body.version]).toEqual([200, 1]);
    expect((await firestore.collection(COLLECTIONS.policyVersions).get()).size).toBe(2);
    expect((await firestore.collection(COLLECTIONS.centres).doc(centreId).get()).get('name')).toBe(
      'Punkt Szczepień Śródmieście',
    );
    const patientToken = idTokenFor('p-outsider', { role: 'patient' });
    const refused = await call('admin', 'POST', '/policy-changes', {
      token: patientToken,
      body: { action: 'open', rules: [{ kind: 'birthYear', bornInOrBefore: 1990, opensAt: '2026-01-01T00:00:00Z' }] },
    });
    expect(refused.status).toBe(403);
  });

  test('onboarding publishes the centre’s slots, and the nightly trigger publishes the days still missing', async () => {
    const slotsOfCentre = () => firestore.collection(COLLECTIONS.slots).where('centreId', '==', centreId).get();
    const onboarded = await slotsOfCentre();
    expect(onboarded.size).toBeGreaterThan(500);
    // As if the last three days had not been published yet: the nightly run must add exactly those.
    const days = [...new Set(onboarded.docs.map((d) => d.get('localDate') as string))].sort();
    const missing = days.slice(-3);
    // The horizon's end, which may be a day the centre is closed (no slots on it).
    const through = (await firestore.collection(COLLECTIONS.centres).doc(centreId).get()).get('publishedThrough');
    expect(through >= (days.at(-1) as string)).toBe(true);
    const batch = firestore.batch();
    for (const doc of onboarded.docs) if (missing.includes(doc.get('localDate'))) batch.delete(doc.ref);
    batch.update(firestore.collection(COLLECTIONS.centres).doc(centreId), { publishedThrough: days.at(-4) });
    await batch.commit();
    const removed = onboarded.docs.filter((d) => missing.includes(d.get('localDate'))).length;
    expect(removed).toBeGreaterThan(0);

    const tick = messagePublishedEvent(PROJECT, 'publish-slots', 'publishDueSlots', {
      id: 'scheduler-1',
      data: Buffer.from('{}'),
      attributes: {},
      publishTime: new Date() as Message['publishTime'],
      orderingKey: '',
    });
    const reply = await postCloudEvent(urls.publishDueSlots as string, tick);
    expect(reply.status).toBeLessThan(300);
    expect((await slotsOfCentre()).size).toBe(onboarded.size);
    expect((await firestore.collection(COLLECTIONS.centres).doc(centreId).get()).get('publishedThrough')).toBe(through);
    const logged = host?.logs.map((line) => JSON.parse(line)).find((l) => l.message?.startsWith('Published'));
    expect(logged).toMatchObject({ severity: 'INFO', centres: 1, created: removed });
    // Then the warehouse: the centre in the dimension with its voivodeship, and the day's snapshot of it.
    expect(bigquery.warehouse.rows('centres')).toEqual([
      expect.objectContaining({ centre_id: centreId, voivodeship: '14' }),
    ]);
    const snapshots = bigquery.warehouse.rows<{ centre_id: string; places_free: number }>('availability_snapshots');
    expect(snapshots.length).toBeGreaterThan(0);
    expect(snapshots.every((r) => r.centre_id === centreId && r.places_free > 0)).toBe(true);
    const wrote = host?.logs.map((line) => JSON.parse(line)).find((l) => l.message?.startsWith('Wrote'));
    expect(wrote).toMatchObject({ severity: 'INFO', warehouse: { centres: 1, snapshots: snapshots.length } });
  });

  test('outbox events go through the relay and Pub/Sub to the search read model and to BigQuery', async () => {
    const fired = await relayAndDeliver();
    // Onboarding, the rule and one slots.published per day with slots: ten weeks of Mondays to Saturdays,
    // less the public holidays among them (up to six around Christmas or Easter).
    expect(fired.length).toBeGreaterThan(50);
    const availability = await firestore.collection(COLLECTIONS.availability).where('centreId', '==', centreId).get();
    expect(availability.docs.some((d) => d.get('hasFree') === true)).toBe(true);
    expect(new Set(bigquery.rows.keys())).toEqual(new Set(fired));
    const inserts = bigquery.requests.filter((r) => r.path.includes('/insertAll'));
    // The function's credentials come from the metadata server, as on Cloud Functions.
    expect(inserts.length).toBeGreaterThan(0);
    expect(inserts.every((r) => r.authorization === `Bearer ${metadata.token}`)).toBe(true);
    expect(metadata.requests.some((r) => r.path.includes('/service-accounts/default/token'))).toBe(true);
  });

  test('a citizen logs in with the trusted provider’s assertion and is given a Firebase custom token', async () => {
    const citizen = aCitizen({ born: 1950 });
    const assertion = await idpAssertion(citizen.pesel, {
      givenName: 'Janina',
      familyName: 'Kowalska',
      phone: '+48600100200',
    });
    const login = await call('login', 'POST', '/', { body: { assertion } });
    expect(login.status).toBe(200);
    expect(login.body.eligibility.eligible).toBe(true);
    const custom = decodeJwt(login.body.token);
    expect(custom).toMatchObject({ uid: login.body.patient.id, claims: { role: 'patient' } });
    // The web app signs in with the custom token and calls the API with the ID token Firebase gives it.
    patient = { id: login.body.patient.id, token: idTokenFor(custom.uid, custom.claims) };
    const me = await call('login', 'GET', '/me', { token: patient.token });
    expect(me.status).toBe(200);
    expect(me.body.patient.pesel).toBe(citizen.pesel);
    const forged = await call('login', 'POST', '/', {
      body: { assertion: await signJwt({ ...decodeJwt(assertion), aud: 'someone-else', jti: randomUUID() }, IDP_KEY) },
    });
    expect(forged.status).toBe(401);
    // The provider's assertion is exchanged once: its id is kept in Firestore until it expires.
    const replayed = await call('login', 'POST', '/', { body: { assertion } });
    expect(replayed.status).toBe(401);
    expect(replayed.body.error.code).toBe('ASSERTION_USED');
  });

  test('search finds the centre’s slots, and booking books both doses once per idempotency key', async () => {
    const found = await call('search', 'GET', '/?postalCode=00-950&vaccineId=comirnaty');
    expect(found.status).toBe(200);
    expect(found.body.results[0].centre.id).toBe(centreId);
    slotId = found.body.results[0].slots[0].slotId;
    const book = () =>
      call('booking', 'POST', '/appointments', {
        token: patient.token,
        body: { slotId },
        headers: { 'idempotency-key': 'cloud-booking-1' },
      });
    const booked = await book();
    expect(booked.status).toBe(201);
    expect(booked.body.appointments.map((a: { dose: number }) => a.dose)).toEqual([1, 2]);
    const again = await book();
    expect(again).toEqual(booked);
    expect((await firestore.collection(COLLECTIONS.slots).doc(slotId).get()).get('booked')).toBe(1);
    const listed = await call('booking', 'GET', `/patients/${patient.id}/appointments`, { token: patient.token });
    expect(listed.body.appointments).toHaveLength(2);
  });

  test('the booking reaches BigQuery once though the trigger fires twice, and search sees the place taken', async () => {
    const fired = await relayAndDeliver();
    const bookedIds = (
      await firestore.collection(COLLECTIONS.outbox).where('type', '==', 'appointment.booked').get()
    ).docs.map((d) => d.id);
    expect(bookedIds).toHaveLength(2);
    expect(fired).toEqual(expect.arrayContaining(bookedIds));
    // At-least-once: Eventarc fires the trigger for the first booking event a second time.
    const duplicate = await fireOutboxTriggers((id) => id === bookedIds[0]);
    expect(duplicate).toEqual([bookedIds[0]]);
    await Promise.all(CONSUMERS.map((name) => deliver(name, 1)));
    const inserted = bigquery.requests
      .filter((r) => r.path.includes('/insertAll'))
      .flatMap((r) => r.body.rows.map((row: { insertId: string }) => row.insertId));
    expect(inserted.filter((id: string) => id === bookedIds[0])).toHaveLength(1);
    expect((await firestore.collection(PROCESSED_EVENTS).doc(`analytics_${bookedIds[0]}`).get()).exists).toBe(true);
    const found = await call('search', 'GET', '/?postalCode=00-950&vaccineId=comirnaty&slotsPerCentre=5');
    const offer = found.body.results[0].slots.find((s: { slotId: string }) => s.slotId === slotId);
    const capacity = (await firestore.collection(COLLECTIONS.slots).doc(slotId).get()).get('capacity');
    expect(offer?.free ?? 0).toBe(capacity - 1);
  });

  // ---- text messages ----------------------------------------------------------------------------------

  const ledger = async (key: string) =>
    (await firestore.collection('smsMessages').doc(createHash('sha256').update(key).digest('hex')).get()).data();

  const taskNamed = (prefix: string) =>
    [...tasks.tasks.values()].find((t) => String(t.name).startsWith(`${QUEUE}/tasks/${prefix}`)) as
      | {
          name: string;
          scheduleTime: string;
          httpRequest: { url: string; body: string; oidcToken: Record<string, string> };
        }
      | undefined;

  /** What Cloud Tasks does when a task is due: posts its body to its URL (the smsTasks function here). */
  async function dispatch(prefix: string) {
    const task = taskNamed(prefix);
    if (!task) throw new Error(`no task ${prefix}; tasks: ${[...tasks.tasks.keys()].join(', ')}`);
    return call('smsTasks', 'POST', '/', { body: JSON.parse(Buffer.from(task.httpRequest.body, 'base64').toString()) });
  }

  function signedForm(path: string, form: Record<string, string>) {
    return fetch(`${urls.sms}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSignature(TWILIO_TOKEN, `${SMS_WEBHOOK_URL}${path}`, form),
      },
      body: new URLSearchParams(form).toString(),
    });
  }

  test('the reports function answers the dashboard from the warehouse the functions fill', async () => {
    const analyst = idTokenFor('analyst-1', { role: 'analyst' });
    const summary = await call('reports', 'GET', '/summary', { token: analyst });
    expect(summary.status).toBe(200);
    expect(summary.body.voivodeships).toHaveLength(16);
    // The population and the snapshot the nightly run loaded; the events the sink streamed.
    expect(summary.body.voivodeships.find((v: { voivodeship: string }) => v.voivodeship === '14').population).toBe(
      polishPopulation()
        .filter((p) => p.voivodeship === '14')
        .reduce((n, p) => n + p.people, 0),
    );
    expect(summary.body.tiles.medianDaysToFirstFree).toEqual(expect.any(Number));
    const received = [...bigquery.rows.values()].map((row) => String(row.received_at)).sort();
    expect(summary.body.asOf).toBe(received.at(-1));
    const jobs = bigquery.queryRequests;
    expect(jobs.length).toBeGreaterThan(0);
    expect(jobs.every((r) => r.authorization === `Bearer ${metadata.token}`)).toBe(true);
    // The public summary is the same reader's, answered from the answers kept.
    const open = await call('reports', 'GET', '/public');
    expect(open.status).toBe(200);
    expect(open.body.suppressedBelow).toBe(10);
    expect(bigquery.queryRequests).toHaveLength(jobs.length);
    const patientRefused = await call('reports', 'GET', '/summary', { token: patient.token });
    expect(patientRefused.status).toBe(403);
  });

  test('the booking’s messages are planned as named Cloud Tasks for their time, calling smsTasks as the tasks account', async () => {
    const bookedKey = (
      await firestore.collection(COLLECTIONS.appointments).where('patientId', '==', patient.id).get()
    ).docs.map((d) => d.get('bookingId') as string)[0];
    const confirmation = await ledger(`booked:${bookedKey}`);
    expect(confirmation).toMatchObject({ purpose: 'booked', to: '+48600100200', status: 'pending' });
    const task = taskNamed(`sms-booked-${bookedKey}`);
    expect(task?.httpRequest.url).toBe(`https://europe-central2-${PROJECT}.cloudfunctions.net/smsTasks`);
    expect(task?.httpRequest.oidcToken).toEqual({
      serviceAccountEmail: `tasks@${PROJECT}.iam.gserviceaccount.com`,
      audience: `https://europe-central2-${PROJECT}.cloudfunctions.net/smsTasks`,
    });
    expect(JSON.parse(Buffer.from(task?.httpRequest.body ?? '', 'base64').toString())).toEqual({
      key: `booked:${bookedKey}`,
      hop: 0,
    });
    // Now, or the next 08:00 in Warsaw when the booking fell in quiet hours.
    expect(Date.parse(task?.scheduleTime ?? '')).toBe(Date.parse(confirmation?.sendAt));
    expect(taskNamed('sms-reminder-')).toBeDefined();
    const creates = tasks.requests.filter((r) => r.method === 'POST');
    expect(creates.every((r) => r.authorization === `Bearer ${metadata.token}`)).toBe(true);
  });

  test('a text message starts a booking conversation; replies go out through Cloud Tasks and Twilio, and are reported delivered', async () => {
    const citizen = aCitizen({ born: 1949 });
    const phone = '+48601234567';
    const unsigned = await fetch(`${urls.sms}/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ MessageSid: 'SMforged', From: phone, Body: 'TAK' }).toString(),
    });
    expect(unsigned.status).toBe(403);

    const inbound = await signedForm('/inbound', {
      MessageSid: 'SMcloud1',
      From: phone,
      To: '+48800100200',
      Body: `SZCZEPIENIE ${citizen.pesel} 00-950`,
    });
    expect(inbound.status).toBe(200);
    expect(await inbound.text()).toContain('<Response>');
    twilio.requests.length = 0;
    expect((await dispatch('sms-reply-SMcloud1')).body).toEqual({ outcome: 'sent' });
    const [message] = twilio.accepted;
    expect(message?.authorization).toBe(`Basic ${Buffer.from(`${TWILIO_ACCOUNT}:${TWILIO_TOKEN}`).toString('base64')}`);
    expect(message?.form).toMatchObject({ To: phone, MessagingServiceSid: `MG${'1'.repeat(32)}` });
    expect(message?.form.Body).toContain('TAK lub NIE');
    expect(message?.form.StatusCallback).toBe(
      `${SMS_WEBHOOK_URL}/status?messageKey=${encodeURIComponent('reply:SMcloud1')}`,
    );
    // The same task again (Cloud Tasks delivers at least once): nothing more is sent.
    expect((await dispatch('sms-reply-SMcloud1')).body).toEqual({ outcome: 'already_handled' });
    expect(twilio.accepted).toHaveLength(1);

    const status = await signedForm(`/status?messageKey=${encodeURIComponent('reply:SMcloud1')}`, {
      MessageSid: 'SM00000000000000000000000000000001',
      MessageStatus: 'delivered',
    });
    expect(status.status).toBe(200);
    expect(await ledger('reply:SMcloud1')).toMatchObject({ status: 'delivered', attempts: 1 });

    await signedForm('/inbound', { MessageSid: 'SMcloud2', From: phone, To: '+48800100200', Body: 'TAK' });
    expect((await dispatch('sms-reply-SMcloud2')).body).toEqual({ outcome: 'sent' });
    expect(twilio.accepted.at(-1)?.form.Body).toContain('Zarezerwowano');
    // The patient is found as the functions find them: by the PESEL's keyed index (no document holds it in clear).
    const index = createHmac('sha256', TEST_PESEL_SECRET).update(citizen.pesel).digest('hex');
    const patientId = (await firestore.collection(COLLECTIONS.pesels).doc(index).get()).get('patientId');
    expect((await firestore.collection(COLLECTIONS.patients).where('pesel', '==', citizen.pesel).get()).empty).toBe(
      true,
    );
    const visits = await firestore.collection(COLLECTIONS.appointments).where('patientId', '==', patientId).get();
    expect(visits.docs.map((d) => d.get('dose')).sort()).toEqual([1, 2]);
  });
  // ---- the waiting room -------------------------------------------------------------------------------

  /** What Cloud Scheduler does every minute: publishes to admit-queue; Eventarc then runs admitQueue. */
  async function admitFor(seconds: number): Promise<void> {
    await pubsub.topic(ADMIT_TOPIC).publishMessage({ data: Buffer.from(JSON.stringify({ seconds })) });
    await deliver('admitQueue', 1, ADMIT_TOPIC);
  }

  test('an opening’s waiting room: joined through booking, refused until admitQueue admits, then booked', async () => {
    // An age group opened at the last whole minute but one, its room's doors open (the cloud runs on
    // the system clock; openings fall on whole minutes).
    const opensAt = new Date((Math.floor(Date.now() / 60_000) - 1) * 60_000).toISOString();
    const proposed = await call('admin', 'POST', '/policy-changes', {
      token: admin(),
      body: { action: 'open', rules: [{ kind: 'birthYear', bornInOrBefore: 1975, opensAt }] },
    });
    expect(proposed.status).toBe(201);
    const approved = await call('admin', 'POST', `/policy-changes/${proposed.body.change.id}/approve`, {
      token: idTokenFor('admin-2', { role: 'admin' }),
      body: {},
    });
    expect(approved.status).toBe(200);
    // The scheduler has been ticking since the opening: the (still empty) room is shuffled.
    await admitFor(1);
    const shuffledAt = Date.now();

    const citizen = aCitizen({ born: 1974 });
    const assertion = await idpAssertion(citizen.pesel, {
      givenName: 'Tomasz',
      familyName: 'Nowak',
      phone: '+48600100300',
    });
    const login = await call('login', 'POST', '/', { body: { assertion } });
    expect(login.status).toBe(200);
    const custom = decodeJwt(login.body.token);
    const person = { id: login.body.patient.id as string, token: idTokenFor(custom.uid, custom.claims) };

    const found = await call('search', 'GET', '/?postalCode=00-950&vaccineId=comirnaty&slotsPerCentre=5');
    const free = found.body.results[0].slots.find((s: { free: number }) => s.free > 0);
    const book = () =>
      call('booking', 'POST', '/appointments', {
        token: person.token,
        body: { slotId: free.slotId },
        headers: { 'idempotency-key': 'cloud-queued-booking-1' },
      });
    const notJoined = await book();
    expect([notJoined.status, notJoined.body.error.code]).toEqual([409, 'QUEUE_REQUIRED']);
    expect(notJoined.body.error.details.queue).toBeNull();

    const joined = await call('booking', 'POST', '/queue', { token: person.token, body: { patientId: person.id } });
    expect(joined.status).toBe(201);
    expect(joined.body.queue).toMatchObject({ status: 'waiting', position: expect.any(Number) });
    expect(joined.body.queue.position).toBeGreaterThan(0);
    expect(joined.body.queue.ticket).toMatch(/^q1\./);
    const waiting = await book();
    expect([waiting.status, waiting.body.error.code]).toEqual([409, 'QUEUE_REQUIRED']);
    expect(waiting.body.error.details.queue).toMatchObject({ status: 'waiting', position: joined.body.queue.position });
    // A logged-in search is gated too.
    const search = await call('search', 'GET', '/?postalCode=00-950', { token: person.token });
    expect([search.status, search.body.error.code]).toEqual([409, 'QUEUE_REQUIRED']);

    // Five seconds on, the controller owes the most it pays back at once (7 a second, for 5 s): more
    // than the first arrival number any of the 32 shards hands out, so the first tick admits them.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, shuffledAt + 5_100 - Date.now())));
    await admitFor(2);
    const state = await call('booking', 'GET', `/queue/${person.id}`, { token: person.token });
    expect(state.body.queue).toMatchObject({ status: 'admitted', admittedUntil: expect.any(String) });
    const booked = await call('booking', 'POST', '/appointments', {
      token: person.token,
      body: { slotId: free.slotId },
      headers: { 'idempotency-key': 'cloud-queued-booking-2', 'queue-ticket': state.body.queue.ticket },
    });
    expect(booked.status).toBe(201);
    const used = await call('booking', 'GET', `/queue/${person.id}`, { token: person.token });
    expect(used.body.queue.status).toBe('booked');

    // One line for the tick that admitted them, with counts and rooms, nobody's id or PESEL.
    const lines = host?.logs.map((line) => JSON.parse(line)) ?? [];
    const admitted = lines.filter((l) => l.message?.startsWith('Admitted'));
    expect(admitted).toEqual([
      expect.objectContaining({ severity: 'INFO', tick: 0, rooms: [expect.objectContaining({ admitted: 1 })] }),
    ]);
    // (Request lines name the path asked for, which may hold a patient's id; no line holds a PESEL.)
    expect(JSON.stringify(admitted)).not.toContain(person.id);
    expect(JSON.stringify(lines)).not.toContain(citizen.pesel);
    // The booking instance shared what it measured; the lease was given back.
    const meters = await firestore.collection('bookingMeters').get();
    expect(meters.size).toBe(1);
    expect(meters.docs[0]?.get('count')).toBeGreaterThan(0);
    expect((await firestore.doc('queueAdmitter/lease').get()).exists).toBe(false);
  });
});
