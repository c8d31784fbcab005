import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  BOOKING_METERS_COLLECTION,
  CloudConfigSchema,
  CloudTasksQueue,
  COLLECTIONS,
  EVENTS_SCHEMA_PATH,
  loadCloudConfig,
  PROCESSED_EVENTS,
  RATE_LIMITS_COLLECTION,
  type TasksApi,
  TTL_FIELDS,
} from '@ereg/functions/deployment';
import {
  apiPath,
  DEFAULT_RATE_LIMITS,
  EVENT_FUNCTION_NAMES,
  FUNCTION_NAMES,
  RETENTION_DAYS,
  ROUTES,
  type RouteSpec,
  SMS_FUNCTION_NAMES,
} from '@ereg/shared';
import * as pulumi from '@pulumi/pulumi';
import { resolveInstances } from './config.ts';
import { FUNCTION_SPECS } from './function-specs.ts';

// The program runs against Pulumi's mocks: every resource it declares is recorded with the inputs
// it would send to Google Cloud, and the policies below are checked against those records.

const repoRoot = resolve(__dirname, '..', '..');
const PROJECT = 'ereg-test';
const REGION = 'europe-west1';
const SMS_PER_SECOND = 80;
const EDGE = { domain: 'szczepienia.example.gov.pl', siteHost: 'ereg-test.web.app' };
const RATE_LIMITS = 'searchPerNetwork=200/1m,bookingPerCaller=30/10m';
const ALERT_EMAILS = ['dyzur@example.gov.pl', 'ops@example.gov.pl'];
const ALERT_SMS = ['+48500100200'];
const ALERT_WEBHOOK = 'https://oncall.example.gov.pl/hooks/ereg?token=s3cret';
const RUNBOOK = 'https://docs.example.gov.pl/ereg/operations';
const SECRETS = {
  TWILIO_AUTH_TOKEN: 'twilio-token-that-must-stay-secret',
  PESEL_HMAC_SECRET: 'pesel-index-key-of-at-least-thirty-two-characters',
};
/**
 * Who reads each secret, from the code: Twilio's token checks the webhooks' signatures (sms) and
 * sends (smsTasks); the PESEL key keys the PESEL index (login enrols, booking's agents and admin's
 * referrals look up) and the SMS conversations (sms), unseals patients' PESELs (and centres, for
 * the day's list), and keys the pseudonyms of the analytics rows (recordAnalytics).
 */
const SECRET_READERS: Record<string, string[]> = {
  TWILIO_AUTH_TOKEN: ['sms', 'smsTasks'],
  PESEL_HMAC_SECRET: ['login', 'booking', 'centres', 'admin', 'sms', 'recordAnalytics'],
};

// biome-ignore lint/suspicious/noExplicitAny: recorded inputs are whatever the program sent
type Inputs = Record<string, any>;
interface Declared {
  type: string;
  name: string;
  inputs: Inputs;
}
const declared: Declared[] = [];

const T = {
  account: 'gcp:serviceaccount/account:Account',
  accountIam: 'gcp:serviceaccount/iAMMember:IAMMember',
  bucket: 'gcp:storage/bucket:Bucket',
  bucketIam: 'gcp:storage/bucketIAMMember:BucketIAMMember',
  bucketObject: 'gcp:storage/bucketObject:BucketObject',
  customRole: 'gcp:projects/iAMCustomRole:IAMCustomRole',
  datasetIam: 'gcp:bigquery/datasetIamMember:DatasetIamMember',
  field: 'gcp:firestore/field:Field',
  firestore: 'gcp:firestore/database:Database',
  function: 'gcp:cloudfunctionsv2/function:Function',
  index: 'gcp:firestore/index:Index',
  job: 'gcp:cloudscheduler/job:Job',
  projectIam: 'gcp:projects/iAMMember:IAMMember',
  queue: 'gcp:cloudtasks/queue:Queue',
  queueIam: 'gcp:cloudtasks/queueIamMember:QueueIamMember',
  release: 'gcp:firebaserules/release:Release',
  ruleset: 'gcp:firebaserules/ruleset:Ruleset',
  runInvoker: 'gcp:cloudrunv2/serviceIamMember:ServiceIamMember',
  secret: 'gcp:secretmanager/secret:Secret',
  secretIam: 'gcp:secretmanager/secretIamMember:SecretIamMember',
  secretVersion: 'gcp:secretmanager/secretVersion:SecretVersion',
  table: 'gcp:bigquery/table:Table',
  topic: 'gcp:pubsub/topic:Topic',
  topicIam: 'gcp:pubsub/topicIAMMember:TopicIAMMember',
  securityPolicy: 'gcp:compute/securityPolicy:SecurityPolicy',
  backendService: 'gcp:compute/backendService:BackendService',
  serverlessNeg: 'gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup',
  internetNeg: 'gcp:compute/globalNetworkEndpointGroup:GlobalNetworkEndpointGroup',
  internetEndpoint: 'gcp:compute/globalNetworkEndpoint:GlobalNetworkEndpoint',
  urlMap: 'gcp:compute/uRLMap:URLMap',
  certificate: 'gcp:compute/managedSslCertificate:ManagedSslCertificate',
  httpsProxy: 'gcp:compute/targetHttpsProxy:TargetHttpsProxy',
  address: 'gcp:compute/globalAddress:GlobalAddress',
  forwardingRule: 'gcp:compute/globalForwardingRule:GlobalForwardingRule',
  // Operating it: monitoring.ts, backups.ts
  alertPolicy: 'gcp:monitoring/alertPolicy:AlertPolicy',
  channel: 'gcp:monitoring/notificationChannel:NotificationChannel',
  customService: 'gcp:monitoring/customService:CustomService',
  slo: 'gcp:monitoring/slo:Slo',
  backupSchedule: 'gcp:firestore/backupSchedule:BackupSchedule',
  subscription: 'gcp:pubsub/subscription:Subscription',
};

/** The outputs Google computes on creation, as the provider would report them. */
function computedOutputs(type: string, name: string, inputs: Inputs): { id?: string; state: Inputs } {
  switch (type) {
    case T.account: {
      const email = `${inputs.accountId}@${inputs.project}.iam.gserviceaccount.com`;
      return {
        state: {
          email,
          member: `serviceAccount:${email}`,
          name: `projects/${inputs.project}/serviceAccounts/${email}`,
        },
      };
    }
    case T.function: {
      const service = `projects/${inputs.project}/locations/${inputs.location}/services/${inputs.name.toLowerCase()}`;
      const url = `https://${inputs.location}-${inputs.project}.cloudfunctions.net/${inputs.name}`;
      return { state: { url, serviceConfig: { ...inputs.serviceConfig, service, uri: url } } };
    }
    case T.secret:
      return { id: `projects/${inputs.project}/secrets/${inputs.secretId}`, state: {} };
    case T.secretVersion:
      return { state: { version: '1' } };
    case T.bucket:
      return { state: { name: `${name}-7f3a9c` } };
    case T.customRole:
      return { state: { name: `projects/${inputs.project}/roles/${inputs.roleId}` } };
    case T.ruleset:
      return { state: { name: '4b1e2d0c-rules' } };
    case T.address:
      return { state: { address: '203.0.113.10' } };
    case T.channel:
      return { state: { name: `projects/${inputs.project}/notificationChannels/${name}` } };
    default:
      return { state: {} };
  }
}

const mocked = pulumi.runtime.setMocks(
  {
    newResource({ type, name, inputs }) {
      declared.push({ type, name, inputs });
      const computed = computedOutputs(type, name, inputs);
      return { id: computed.id ?? `${name}-id`, state: { ...inputs, ...computed.state } };
    },
    call: ({ inputs }) => inputs,
  },
  'ereg',
  'test',
  false,
);

const source = mkdtempSync(join(tmpdir(), 'ereg-functions-source-'));
writeFileSync(join(source, 'package.json'), '{"main":"dist/index.js","type":"module"}');
const idpPublicKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({
  type: 'spki',
  format: 'pem',
}) as string;

pulumi.runtime.setAllConfig(
  {
    'gcp:project': PROJECT,
    'gcp:region': REGION,
    'ereg:functionsSource': source,
    'ereg:twilioAccountSid': `AC${'a1'.repeat(16)}`,
    'ereg:twilioMessagingServiceSid': `MG${'b2'.repeat(16)}`,
    'ereg:twilioAuthToken': SECRETS.TWILIO_AUTH_TOKEN,
    'ereg:peselHmacSecret': SECRETS.PESEL_HMAC_SECRET,
    'ereg:idpIssuer': 'https://idp.example.gov.pl',
    'ereg:idpAudience': 'ereg',
    'ereg:idpPublicKeyPem': idpPublicKey,
    'ereg:idpLoginUrl': 'https://idp.example.gov.pl/login',
    'ereg:firebaseWebApiKey': 'AIzaSyInfraTestKey',
    'ereg:smsPerSecond': String(SMS_PER_SECOND),
    'ereg:edge': JSON.stringify(EDGE),
    'ereg:rateLimits': RATE_LIMITS,
    'ereg:alertEmails': JSON.stringify(ALERT_EMAILS),
    'ereg:alertSmsNumbers': JSON.stringify(ALERT_SMS),
    'ereg:alertWebhookUrl': ALERT_WEBHOOK,
    'ereg:runbookUrl': RUNBOOK,
    'ereg:alertOutboxLagSeconds': '90',
  },
  ['ereg:twilioAuthToken', 'ereg:peselHmacSecret', 'ereg:alertWebhookUrl'],
);

const all = (type: string) => declared.filter((d) => d.type === type);
const one = (type: string, predicate: (inputs: Inputs) => boolean = () => true): Inputs => {
  const found = all(type).filter((d) => predicate(d.inputs));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return (found[0] as Declared).inputs;
};
const deployedFunctions = () => all(T.function).map((d) => d.inputs);
const deployedFunction = (name: string) => one(T.function, (f) => f.name === name);
const account = (accountId: string) => one(T.account, (a) => a.accountId === accountId);
const emailOf = (accountId: string) => `${accountId}@${PROJECT}.iam.gserviceaccount.com`;
const memberOf = (accountId: string) => `serviceAccount:${emailOf(accountId)}`;
/** The account a function runs as: `ereg-fn-` and its name in kebab case. */
const functionAccount = (name: string) => `ereg-fn-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
const topicPath = (name: string) => `projects/${PROJECT}/topics/${name}`;
/** The Cloud Run invoker grants on a function's service. */
const invokersOf = (fn: Inputs) =>
  all(T.runInvoker)
    .map((d) => d.inputs)
    .filter((g) => g.name === `projects/${PROJECT}/locations/${fn.location}/services/${fn.name.toLowerCase()}`);

/** What a function's process.env holds: its plain variables and the secret versions it mounts. */
function environmentOf(fn: Inputs): Record<string, string> {
  const secrets = (fn.serviceConfig.secretEnvironmentVariables ?? []).map((s: Inputs) => {
    const version = one(T.secretVersion, (v) => v.secret === `projects/${s.projectId}/secrets/${s.secret}`);
    return [s.key, version.secretData.value];
  });
  return { ...fn.serviceConfig.environmentVariables, ...Object.fromEntries(secrets) };
}

/** The optional variables a deployment sets when the stack has the setting; the others are test stand-ins. */
const OPTIONAL_SETTINGS = ['SMS_WEB_URL', 'RATE_LIMITS'];

/** The config schema's keys by what a deployment must do with them. */
function schemaKeys() {
  const required: string[] = [];
  const defaulted: string[] = [];
  const optional: string[] = [];
  for (const [key, schema] of Object.entries(CloudConfigSchema.shape)) {
    // Secrets are required per function (FUNCTION_SECRETS), checked on their own.
    if (key in SECRETS) continue;
    const absent = schema.safeParse(undefined);
    if (!absent.success) required.push(key);
    else if (absent.data === undefined) optional.push(key);
    else defaulted.push(key);
  }
  const testOnly = optional.filter((key) => !OPTIONAL_SETTINGS.includes(key));
  return { required, defaulted, optional, testOnly };
}

const apiNames: readonly string[] = FUNCTION_NAMES;
const smsNames: readonly string[] = SMS_FUNCTION_NAMES;
const eventNames: readonly string[] = EVENT_FUNCTION_NAMES;
/** How a 2nd-gen function's URL is spelled: what Twilio and Cloud Tasks are configured to call. */
const urlOf = (fn: Inputs) => `https://${fn.location}-${fn.project}.cloudfunctions.net/${fn.name}`;

beforeAll(async () => {
  await mocked;
  await import('./index.ts');
  // Resources register asynchronously, once their inputs resolve; this waits for all of them.
  await pulumi.runtime.disconnect();
});

afterAll(() => rmSync(source, { recursive: true, force: true }));

describe('the functions', () => {
  test('every registered function is deployed under its own name, with its name as entry point, on nodejs24', () => {
    const registered = [...apiNames, ...smsNames, ...eventNames];
    expect(smsNames).toEqual(expect.arrayContaining(['sms', 'smsTasks']));
    expect(eventNames).toContain('planMessages');
    expect(deployedFunctions().map((f) => f.name)).toEqual(expect.arrayContaining(registered));
    expect(deployedFunctions()).toHaveLength(registered.length);
    for (const name of registered) {
      expect(deployedFunction(name).buildConfig).toMatchObject({ runtime: 'nodejs24', entryPoint: name });
    }
  });

  test('every function gets every variable the cloud config schema requires, the secrets it reads and no other, and EREG_RUNTIME=cloud', () => {
    const { required, defaulted } = schemaKeys();
    expect(required).toEqual(expect.arrayContaining(['GOOGLE_CLOUD_PROJECT', 'TASKS_QUEUE_PATH']));
    for (const fn of deployedFunctions()) {
      const env = environmentOf(fn);
      const read = Object.keys(SECRETS).filter((variable) => SECRET_READERS[variable]?.includes(fn.name));
      expect({ fn: fn.name, missing: [...required, ...defaulted].filter((key) => !(key in env)) }).toEqual({
        fn: fn.name,
        missing: [],
      });
      expect({
        fn: fn.name,
        secrets: Object.keys(SECRETS)
          .filter((key) => key in env)
          .sort(),
      }).toEqual({
        fn: fn.name,
        secrets: read.sort(),
      });
      expect(env.EREG_RUNTIME).toBe('cloud');
      // Cloud Functions sets FUNCTION_TARGET to the entry point: the loader then asks for that function's secrets.
      expect(() => loadCloudConfig({ ...env, FUNCTION_TARGET: fn.name })).not.toThrow();
      for (const secret of read) {
        expect(() => loadCloudConfig({ ...env, FUNCTION_TARGET: fn.name, [secret]: undefined })).toThrow(secret);
      }
    }
  });

  test('no function gets a test-only variable', () => {
    const { optional, testOnly } = schemaKeys();
    expect(optional).toEqual(expect.arrayContaining(OPTIONAL_SETTINGS));
    expect(testOnly).toEqual(expect.arrayContaining(['CLOUD_TASKS_API_ENDPOINT', 'TWILIO_API_BASE_URL']));
    for (const fn of deployedFunctions()) {
      expect(testOnly.filter((key) => key in environmentOf(fn))).toEqual([]);
    }
  });

  test("SMS_WEBHOOK_URL is the sms function's URL and TASKS_TARGET_URL smsTasks', in the stack's region and project", () => {
    const sms = deployedFunction('sms');
    const smsTasks = deployedFunction('smsTasks');
    expect(urlOf(sms)).toBe(`https://${REGION}-${PROJECT}.cloudfunctions.net/sms`);
    expect(urlOf(smsTasks)).toBe(`https://${REGION}-${PROJECT}.cloudfunctions.net/smsTasks`);
    for (const fn of deployedFunctions()) {
      expect({ fn: fn.name, ...environmentOf(fn) }).toMatchObject({
        fn: fn.name,
        SMS_WEBHOOK_URL: urlOf(sms),
        TASKS_TARGET_URL: urlOf(smsTasks),
      });
    }
  });

  test('every function gets the stack’s rate limits as RATE_LIMITS', () => {
    for (const fn of deployedFunctions()) {
      expect({ fn: fn.name, limits: environmentOf(fn).RATE_LIMITS }).toEqual({ fn: fn.name, limits: RATE_LIMITS });
    }
    const config = loadCloudConfig({ ...SECRETS, ...environmentOf(deployedFunction('booking')) });
    expect(config.RATE_LIMITS?.bookingPerCaller?.limit).toBe(30);
  });

  test('no function gets TWILIO_STATUS_CALLBACK_URL; SMS_HOTLINE defaults to 989 and SMS_WEB_URL is left out when unset', () => {
    for (const fn of deployedFunctions()) {
      const env = environmentOf(fn);
      const unwanted = ['TWILIO_STATUS_CALLBACK_URL', 'SMS_WEB_URL'].filter((key) => key in env);
      expect({ fn: fn.name, hotline: env.SMS_HOTLINE, unwanted }).toEqual({
        fn: fn.name,
        hotline: '989',
        unwanted: [],
      });
    }
  });

  test.each(Object.entries(SECRETS))('%s reaches the functions only as a Secret Manager secret', (variable, value) => {
    const secretId = variable.toLowerCase().replaceAll('_', '-');
    const secret = one(T.secret, (s) => s.secretId === secretId);
    const version = one(T.secretVersion, (v) => v.secret === `projects/${PROJECT}/secrets/${secret.secretId}`);
    // Marked secret, so Pulumi keeps it encrypted in the stack's state and never prints it.
    expect(version.secretData).toEqual({ [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value });
    const mounting: string[] = [];
    for (const fn of deployedFunctions()) {
      expect(fn.serviceConfig.environmentVariables).not.toHaveProperty(variable);
      const mounted = (fn.serviceConfig.secretEnvironmentVariables ?? []).filter((s: Inputs) => s.key === variable);
      if (mounted.length > 0) {
        expect(mounted).toEqual([{ key: variable, projectId: PROJECT, secret: secretId, version: '1' }]);
        mounting.push(fn.name);
      }
    }
    expect(mounting.sort()).toEqual([...(SECRET_READERS[variable] ?? [])].sort());
    const elsewhere = declared.filter((d) => d.type !== T.secretVersion && JSON.stringify(d.inputs).includes(value));
    expect(elsewhere.map((d) => `${d.type} ${d.name}`)).toEqual([]);
  });

  test('every function serves 80 concurrent requests on 1 vCPU', () => {
    for (const fn of deployedFunctions()) {
      expect({ fn: fn.name, ...fn.serviceConfig }).toMatchObject({
        fn: fn.name,
        maxInstanceRequestConcurrency: 80,
        availableCpu: '1',
      });
    }
  });

  test('the maximum instances follow the plan of docs/capacity.md §6', () => {
    const max = (name: string) => deployedFunction(name).serviceConfig.maxInstanceCount;
    expect({
      login: max('login'),
      search: max('search'),
      booking: max('booking'),
      relay: max('relayOutbox'),
      smsSender: max('smsTasks'),
    }).toEqual({ login: 150, search: 100, booking: 60, relay: 100, smsSender: 10 });
    for (const fn of deployedFunctions()) {
      expect(fn.serviceConfig.minInstanceCount).toBeLessThanOrEqual(fn.serviceConfig.maxInstanceCount);
    }
  });

  test('every function runs as its own account, shared with no other function, and is built by the builder account', () => {
    const runAs = deployedFunctions().map((fn) => fn.serviceConfig.serviceAccountEmail);
    expect(new Set(runAs).size).toBe(deployedFunctions().length);
    for (const fn of deployedFunctions()) {
      expect(fn.serviceConfig.serviceAccountEmail).toBe(emailOf(functionAccount(fn.name)));
      expect(account(functionAccount(fn.name)).project).toBe(PROJECT);
      expect(fn.buildConfig.serviceAccount).toBe(`projects/${PROJECT}/serviceAccounts/${emailOf('ereg-builder')}`);
      if (fn.eventTrigger) expect(fn.eventTrigger.serviceAccountEmail).toBe(emailOf('ereg-triggers'));
    }
  });

  test('every function is built from the packaged directory, uploaded under a name that changes with its content', async () => {
    const object = one(T.bucketObject);
    expect(object.source).toBeInstanceOf(pulumi.asset.FileArchive);
    expect(await object.source.path).toBe(source);
    expect(object.name).toMatch(/^functions-[0-9a-f]{16}\.zip$/);
    const bucket = one(T.bucket);
    expect(bucket).toMatchObject({ uniformBucketLevelAccess: true, publicAccessPrevention: 'enforced' });
    for (const fn of deployedFunctions()) {
      expect(fn.buildConfig.source.storageSource).toEqual({ bucket: object.bucket, object: object.name });
    }
  });
});

describe('the triggers', () => {
  test("the relay is triggered by documents created under outbox/ in the functions' database, with retries", () => {
    const database = one(T.firestore);
    const trigger = deployedFunction('relayOutbox').eventTrigger;
    expect(trigger).toMatchObject({
      eventType: 'google.cloud.firestore.document.v1.created',
      triggerRegion: database.locationId,
      retryPolicy: 'RETRY_POLICY_RETRY',
    });
    expect(trigger.eventFilters).toEqual(
      expect.arrayContaining([
        { attribute: 'database', value: database.name },
        {
          attribute: 'document',
          value: expect.stringMatching(/^outbox\/\{[A-Za-z]+\}$/),
          operator: 'match-path-pattern',
        },
      ]),
    );
    expect(deployedFunction('relayOutbox').serviceConfig.environmentVariables.FIRESTORE_DATABASE).toBe(database.name);
  });

  test('the consumers, planMessages among them, are triggered, each through its own trigger, by the topic the relay publishes to, with retries', () => {
    const eventsTopic = one(T.topic, (t) => t.name === 'events');
    for (const name of ['projectAvailability', 'recordAnalytics', 'planMessages']) {
      const fn = deployedFunction(name);
      expect(fn.eventTrigger).toMatchObject({
        eventType: 'google.cloud.pubsub.topic.v1.messagePublished',
        pubsubTopic: topicPath(eventsTopic.name),
        retryPolicy: 'RETRY_POLICY_RETRY',
      });
    }
    expect(deployedFunction('relayOutbox').serviceConfig.environmentVariables.EVENTS_TOPIC).toBe(eventsTopic.name);
    expect(one(T.topicIam, (g) => g.topic === eventsTopic.name)).toMatchObject({
      role: 'roles/pubsub.publisher',
      member: memberOf(functionAccount('relayOutbox')),
    });
  });

  test('publishDueSlots is fed once a night by a Cloud Scheduler job through its own topic', () => {
    const job = one(T.job, (inputs) => inputs.name === 'publish-due-slots');
    const trigger = deployedFunction('publishDueSlots').eventTrigger;
    expect(trigger.eventType).toBe('google.cloud.pubsub.topic.v1.messagePublished');
    expect(job.pubsubTarget.topicName).toBe(trigger.pubsubTopic);
    expect(trigger.pubsubTopic).not.toBe(topicPath('events'));
    expect(job.schedule).toMatch(/^\d+ \d+ \* \* \*$/);
    expect(job.timeZone).toBe('Europe/Warsaw');
  });

  test('closeCentreDays is fed every quarter of an hour by its own job and topic', () => {
    const job = one(T.job, (inputs) => inputs.name === 'close-centre-days');
    const trigger = deployedFunction('closeCentreDays').eventTrigger;
    expect(trigger.eventType).toBe('google.cloud.pubsub.topic.v1.messagePublished');
    expect(job.pubsubTarget.topicName).toBe(trigger.pubsubTopic);
    expect(trigger.pubsubTopic).not.toBe(topicPath('events'));
    expect(trigger.pubsubTopic).not.toBe(deployedFunction('publishDueSlots').eventTrigger.pubsubTopic);
    expect(job.schedule).toBe('*/15 * * * *');
    expect(all(T.job)).toHaveLength(5);
  });

  test('sampleLookups is fed once a night by its own job and topic', () => {
    const job = one(T.job, (inputs) => inputs.name === 'sample-lookups');
    const trigger = deployedFunction('sampleLookups').eventTrigger;
    expect(trigger.eventType).toBe('google.cloud.pubsub.topic.v1.messagePublished');
    expect(job.pubsubTarget.topicName).toBe(trigger.pubsubTopic);
    expect(trigger.pubsubTopic).not.toBe(topicPath('events'));
    expect(trigger.pubsubTopic).not.toBe(deployedFunction('closeCentreDays').eventTrigger.pubsubTopic);
    expect(job.schedule).toMatch(/^\d+ \d+ \* \* \*$/);
    expect(job.timeZone).toBe('Europe/Warsaw');
  });

  test('admitQueue is fed every minute through the admit-queue topic, each run asked to tick 55 seconds', () => {
    const job = one(T.job, (inputs) => inputs.name === 'admit-queue');
    const topic = one(T.topic, (t) => t.name === 'admit-queue');
    const trigger = deployedFunction('admitQueue').eventTrigger;
    expect(trigger).toMatchObject({
      eventType: 'google.cloud.pubsub.topic.v1.messagePublished',
      pubsubTopic: topicPath(topic.name),
    });
    expect(job).toMatchObject({ schedule: '* * * * *', timeZone: 'Europe/Warsaw', region: REGION });
    expect(job.pubsubTarget.topicName).toBe(trigger.pubsubTopic);
    expect(JSON.parse(Buffer.from(job.pubsubTarget.data, 'base64').toString('utf8'))).toEqual({ seconds: 55 });
    for (const other of ['publishDueSlots', 'closeCentreDays', 'sampleLookups'])
      expect(deployedFunction(other).eventTrigger.pubsubTopic).not.toBe(trigger.pubsubTopic);
  });

  test('admitQueue outlives its 55 seconds of ticks, runs on one instance at most, and is kept warm during an opening', () => {
    const fn = deployedFunction('admitQueue');
    expect(fn.serviceConfig).toMatchObject({ timeoutSeconds: 70, minInstanceCount: 0, maxInstanceCount: 1 });
    expect(FUNCTION_SPECS.admitQueue.scale).toEqual({ minInstances: 0, openingMinInstances: 1, maxInstances: 1 });
    expect(resolveInstances({}, true).admitQueue).toEqual({ min: 1, max: 1 });
    expect(fn.serviceConfig.secretEnvironmentVariables ?? []).toEqual([]);
  });

  test('matchStandby is fed every minute through its own topic, each run asked to run 55 seconds, on one instance', () => {
    const job = one(T.job, (inputs) => inputs.name === 'match-standby');
    const topic = one(T.topic, (t) => t.name === 'match-standby');
    const fn = deployedFunction('matchStandby');
    expect(fn.eventTrigger).toMatchObject({
      eventType: 'google.cloud.pubsub.topic.v1.messagePublished',
      pubsubTopic: topicPath(topic.name),
    });
    expect(job).toMatchObject({ schedule: '* * * * *', timeZone: 'Europe/Warsaw', region: REGION });
    expect(job.pubsubTarget.topicName).toBe(fn.eventTrigger.pubsubTopic);
    expect(JSON.parse(Buffer.from(job.pubsubTarget.data, 'base64').toString('utf8'))).toEqual({ seconds: 55 });
    for (const other of ['publishDueSlots', 'closeCentreDays', 'sampleLookups', 'admitQueue'])
      expect(deployedFunction(other).eventTrigger.pubsubTopic).not.toBe(fn.eventTrigger.pubsubTopic);
    // A run outlives its 55 seconds; the lease keeps two runs apart, one instance keeps it cheap.
    expect(fn.serviceConfig).toMatchObject({ timeoutSeconds: 120, maxInstanceCount: 1 });
    expect(fn.serviceConfig.secretEnvironmentVariables ?? []).toEqual([]);
  });

  test('noteStandby hears every event on the events topic and reads no secret', () => {
    const fn = deployedFunction('noteStandby');
    expect(fn.eventTrigger).toMatchObject({
      eventType: 'google.cloud.pubsub.topic.v1.messagePublished',
      pubsubTopic: topicPath('events'),
    });
    expect(fn.serviceConfig.secretEnvironmentVariables ?? []).toEqual([]);
  });
});

describe('who may call what', () => {
  test("only the public HTTP functions (the API's and sms) are public; smsTasks and the event functions are not", () => {
    const publicNames = [...apiNames, 'sms'];
    const publicGrants = all(T.runInvoker).filter((d) =>
      ['allUsers', 'allAuthenticatedUsers'].includes(d.inputs.member),
    );
    expect(publicGrants).toHaveLength(publicNames.length);
    for (const fn of deployedFunctions()) {
      const isHttp = [...apiNames, ...smsNames].includes(fn.name);
      const expected = publicNames.includes(fn.name)
        ? 'allUsers'
        : fn.name === 'smsTasks'
          ? memberOf('ereg-tasks')
          : memberOf('ereg-triggers');
      expect({ fn: fn.name, members: invokersOf(fn).map((g) => g.member) }).toEqual({
        fn: fn.name,
        members: [expected],
      });
      expect(invokersOf(fn)[0]?.role).toBe('roles/run.invoker');
      // The API's functions are reached only through the edge; sms and smsTasks are called on their own URLs.
      const ingress = !isHttp
        ? 'ALLOW_INTERNAL_ONLY'
        : apiNames.includes(fn.name)
          ? 'ALLOW_INTERNAL_AND_GCLB'
          : 'ALLOW_ALL';
      expect({ fn: fn.name, ingress: fn.serviceConfig.ingressSettings }).toEqual({ fn: fn.name, ingress });
      expect(fn.eventTrigger === undefined).toBe(isHttp);
    }
  });

  test('only the tasks account may invoke smsTasks, and it may do nothing else', () => {
    expect(invokersOf(deployedFunction('smsTasks'))).toEqual([
      expect.objectContaining({ role: 'roles/run.invoker', member: memberOf('ereg-tasks') }),
    ]);
    const grantsToTasks = declared.filter((d) => JSON.stringify(d.inputs).includes(memberOf('ereg-tasks')));
    expect(grantsToTasks.map((d) => d.inputs.name)).toEqual([invokersOf(deployedFunction('smsTasks'))[0]?.name]);
  });

  test('the trigger account may receive events', () => {
    expect(one(T.projectIam, (g) => g.member === memberOf('ereg-triggers')).role).toBe('roles/eventarc.eventReceiver');
  });
});

describe('runtime accounts', () => {
  /** Every grant to an account, as `<where> <role>`: the project, a secret, a topic, a dataset, a queue, an account. */
  function grantsTo(accountId: string): string[] {
    const member = memberOf(accountId);
    const where: Array<[string, (g: Inputs) => string]> = [
      [T.projectIam, () => 'project'],
      [T.secretIam, (g) => `secret ${g.secretId}`],
      [T.topicIam, (g) => `topic ${g.topic}`],
      [T.datasetIam, (g) => `dataset ${g.datasetId}`],
      [T.queueIam, (g) => `queue ${g.name}`],
      [T.accountIam, (g) => `account ${String(g.serviceAccountId).split('/').pop()?.split('@')[0]}`],
      [T.bucketIam, (g) => `bucket ${g.bucket}`],
      [T.runInvoker, (g) => `service ${g.name}`],
    ];
    return where
      .flatMap(([type, place]) =>
        all(type)
          .map((d) => d.inputs)
          .filter((g) => g.member === member)
          .map((g) => `${place(g)} ${g.role}`),
      )
      .sort();
  }
  const claims = `projects/${PROJECT}/roles/eregSessionClaims`;
  /** Roles that write Firestore documents (or administer the database). */
  const FIRESTORE_WRITERS = [
    'roles/datastore.user',
    'roles/datastore.owner',
    'roles/firebase.admin',
    'roles/editor',
    'roles/owner',
  ];
  /** Roles that manage Firebase Authentication users or their claims. */
  const AUTH_MANAGERS = ['roles/firebaseauth.admin', 'roles/firebase.admin', 'roles/editor', 'roles/owner', claims];

  test('each function account holds exactly the roles its code uses', () => {
    const pesel = 'secret pesel-hmac-secret roles/secretmanager.secretAccessor';
    const twilio = 'secret twilio-auth-token roles/secretmanager.secretAccessor';
    const writes = 'project roles/datastore.user';
    const enqueues = ['queue reminders roles/cloudtasks.enqueuer', 'account ereg-tasks roles/iam.serviceAccountUser'];
    const expected: Record<string, string[]> = {
      login: [writes, pesel, 'account ereg-fn-login roles/iam.serviceAccountTokenCreator'],
      search: ['project roles/datastore.viewer'],
      booking: [writes, pesel],
      centres: [writes, pesel, `project ${claims}`],
      admin: [writes, pesel, `project ${claims}`],
      reports: [
        'project roles/datastore.viewer',
        'dataset ereg roles/bigquery.dataViewer',
        'project roles/bigquery.jobUser',
      ],
      sms: [writes, pesel, twilio, ...enqueues],
      smsTasks: [writes, twilio, ...enqueues],
      relayOutbox: ['topic events roles/pubsub.publisher'],
      projectAvailability: [writes],
      recordAnalytics: [writes, pesel, 'dataset ereg roles/bigquery.dataEditor'],
      planMessages: [writes, ...enqueues, 'queue reminders roles/cloudtasks.taskDeleter'],
      publishDueSlots: [writes, 'dataset ereg roles/bigquery.dataEditor', 'project roles/bigquery.jobUser'],
      closeCentreDays: [writes],
      sampleLookups: [writes],
      admitQueue: [writes],
      matchStandby: [writes],
      noteStandby: [writes],
    };
    expect(Object.keys(expected).sort()).toEqual(
      deployedFunctions()
        .map((f) => f.name)
        .sort(),
    );
    // Every function writes spans and metrics, and nothing more through those roles.
    const telemetry = ['project roles/cloudtrace.agent', 'project roles/monitoring.metricWriter'];
    for (const [name, roles] of Object.entries(expected)) {
      expect({ fn: name, grants: grantsTo(functionAccount(name)) }).toEqual({
        fn: name,
        grants: [...roles, ...telemetry].sort(),
      });
    }
  });

  test("the search function's account holds no role that writes Firestore, and reads no secret", () => {
    const grants = grantsTo(functionAccount('search'));
    expect(grants.filter((g) => FIRESTORE_WRITERS.some((role) => g.endsWith(` ${role}`)))).toEqual([]);
    expect(grants.filter((g) => g.startsWith('secret '))).toEqual([]);
    expect(deployedFunction('search').serviceConfig.secretEnvironmentVariables).toEqual([]);
  });

  test("only the admin and centres functions' accounts may manage Firebase Authentication users, and only create and update them", () => {
    const managers = all(T.projectIam)
      .map((d) => d.inputs)
      .filter((g) => AUTH_MANAGERS.includes(g.role))
      .map((g) => [g.member, g.role])
      .sort();
    expect(managers).toEqual(
      [
        [memberOf(functionAccount('admin')), claims],
        [memberOf(functionAccount('centres')), claims],
      ].sort(),
    );
    expect(one(T.customRole).permissions).toEqual(['firebaseauth.users.create', 'firebaseauth.users.update']);
  });

  test('no function account reads a secret its function does not mount, and each reads every secret it mounts', () => {
    for (const fn of deployedFunctions()) {
      const mounted = (fn.serviceConfig.secretEnvironmentVariables ?? []).map((s: Inputs) => s.secret).sort();
      const readable = all(T.secretIam)
        .map((d) => d.inputs)
        .filter((g) => g.member === memberOf(functionAccount(fn.name)))
        .map((g) => g.secretId)
        .sort();
      expect({ fn: fn.name, readable }).toEqual({ fn: fn.name, readable: mounted });
    }
    const readers = all(T.secretIam).map((d) => d.inputs.member);
    const functionMembers = deployedFunctions().map((fn) => memberOf(functionAccount(fn.name)));
    expect(readers.filter((member) => !functionMembers.includes(member))).toEqual([]);
  });

  test('only login may sign tokens, and only as itself', () => {
    const signers = all(T.accountIam)
      .map((d) => d.inputs)
      .filter((g) =>
        ['roles/iam.serviceAccountTokenCreator', 'roles/iam.serviceAccountOpenIdTokenCreator'].includes(g.role),
      );
    expect(signers.map((g) => [g.serviceAccountId, g.member])).toEqual([
      [`projects/${PROJECT}/serviceAccounts/${emailOf(functionAccount('login'))}`, memberOf(functionAccount('login'))],
    ]);
  });

  test("no account holds storage admin on the project, and object access only on the source bucket and Cloud Functions' own buckets", () => {
    const projectStorage = all(T.projectIam)
      .map((d) => d.inputs)
      .filter((g) => String(g.role).startsWith('roles/storage.'));
    expect(projectStorage.filter((g) => g.role === 'roles/storage.admin')).toEqual([]);
    for (const grant of projectStorage) {
      expect(grant.condition?.expression).toBe('resource.name.startsWith("projects/_/buckets/gcf-v2-")');
    }
    expect(all(T.bucketIam).map((d) => [d.inputs.bucket, d.inputs.role, d.inputs.member])).toEqual([
      [one(T.bucketObject).bucket, 'roles/storage.objectViewer', memberOf('ereg-builder')],
    ]);
  });

  test('no account holds a basic role (owner, editor, viewer) on the project', () => {
    const basic = all(T.projectIam).filter((d) =>
      ['roles/owner', 'roles/editor', 'roles/viewer'].includes(d.inputs.role),
    );
    expect(basic).toEqual([]);
  });
});

describe('Cloud Tasks', () => {
  test('TASKS_QUEUE_PATH names the declared reminders queue', () => {
    const queue = one(T.queue);
    for (const fn of deployedFunctions()) {
      const path = fn.serviceConfig.environmentVariables.TASKS_QUEUE_PATH;
      expect(path).toBe(`projects/${PROJECT}/locations/${queue.location}/queues/${queue.name}`);
    }
    expect(queue.name).toBe('reminders');
  });

  test('the queue sends no more messages a second than smsPerSecond says, within the 500 a queue may dispatch', () => {
    const queue = one(T.queue);
    expect(queue.rateLimits.maxDispatchesPerSecond).toBe(SMS_PER_SECOND);
    expect(queue.rateLimits.maxDispatchesPerSecond).toBeLessThanOrEqual(500);
    expect(queue.rateLimits.maxConcurrentDispatches).toBeGreaterThan(0);
  });

  test('a failed send is retried with a growing backoff for about an hour, then given up', () => {
    const { maxAttempts, minBackoff, maxBackoff, maxDoublings } = one(T.queue).retryConfig;
    const seconds = (duration: string) => Number(duration.replace(/s$/, ''));
    // Cloud Tasks' rule: the interval doubles maxDoublings times, then grows by the last doubled one,
    // never beyond maxBackoff.
    const intervals = Array.from({ length: maxAttempts - 1 }, (_, retry) => {
      const grown =
        retry <= maxDoublings
          ? seconds(minBackoff) * 2 ** retry
          : seconds(minBackoff) * 2 ** maxDoublings * (retry - maxDoublings + 1);
      return Math.min(grown, seconds(maxBackoff));
    });
    const span = intervals.reduce((sum, interval) => sum + interval, 0);
    expect(intervals[0]).toBeLessThanOrEqual(10);
    expect(span).toBeGreaterThanOrEqual(45 * 60);
    expect(span).toBeLessThanOrEqual(3 * 3600);
  });

  test("a task from the deployed configuration calls smsTasks' URL with the tasks account's OIDC token for that URL", async () => {
    // planMessages reads neither secret: the loader's requirement of them is lifted here (docs/deployment.md).
    const config = loadCloudConfig({ ...SECRETS, ...environmentOf(deployedFunction('planMessages')) });
    const created: Inputs[] = [];
    const tasks = {
      createTask: async (request: Inputs) => {
        created.push(request);
        return [request.task];
      },
      deleteTask: async () => [{}],
    } as unknown as TasksApi;
    // As the cloud composition root builds it: no audience of its own, so the target URL is the audience.
    const queue = new CloudTasksQueue(tasks, {
      queuePath: config.TASKS_QUEUE_PATH,
      url: config.TASKS_TARGET_URL,
      serviceAccountEmail: config.TASKS_SERVICE_ACCOUNT,
    });
    await queue.schedule({ name: 'sms-k1', at: new Date('2030-01-01T10:00:00Z'), payload: { key: 'k1' } });
    const smsTasks = urlOf(deployedFunction('smsTasks'));
    expect(created[0]?.task.httpRequest).toMatchObject({
      url: smsTasks,
      oidcToken: { serviceAccountEmail: emailOf('ereg-tasks'), audience: smsTasks },
    });
    expect(invokersOf(deployedFunction('smsTasks')).map((g) => g.member)).toEqual([memberOf('ereg-tasks')]);
  });

  test('tasks carry the tasks account, which only the functions that schedule tasks may act as; only planMessages deletes them', () => {
    for (const fn of deployedFunctions()) {
      expect(fn.serviceConfig.environmentVariables.TASKS_SERVICE_ACCOUNT).toBe(emailOf('ereg-tasks'));
    }
    const actingAsTasks = all(T.accountIam)
      .map((d) => d.inputs)
      .filter((g) => g.serviceAccountId === `projects/${PROJECT}/serviceAccounts/${emailOf('ereg-tasks')}`);
    expect(actingAsTasks.map((g) => [g.role, g.member]).sort()).toEqual(
      ['planMessages', 'sms', 'smsTasks']
        .map((name) => ['roles/iam.serviceAccountUser', memberOf(functionAccount(name))])
        .sort(),
    );
    const queueRoles = all(T.queueIam).map((d) => [d.inputs.name, d.inputs.role, d.inputs.member]);
    expect(queueRoles.sort()).toEqual(
      [
        ['reminders', 'roles/cloudtasks.enqueuer', memberOf(functionAccount('planMessages'))],
        ['reminders', 'roles/cloudtasks.enqueuer', memberOf(functionAccount('sms'))],
        ['reminders', 'roles/cloudtasks.enqueuer', memberOf(functionAccount('smsTasks'))],
        ['reminders', 'roles/cloudtasks.taskDeleter', memberOf(functionAccount('planMessages'))],
      ].sort(),
    );
  });
});

describe('Firestore', () => {
  const indexFile = JSON.parse(readFileSync(join(repoRoot, 'firestore.indexes.json'), 'utf8'));

  test('every composite index of firestore.indexes.json is declared', () => {
    const declaredIndexes = all(T.index).map(({ inputs }) => ({
      collectionGroup: inputs.collection,
      queryScope: inputs.queryScope,
      fields: inputs.fields,
    }));
    expect(indexFile.indexes.length).toBeGreaterThan(0);
    expect(declaredIndexes).toEqual(expect.arrayContaining(indexFile.indexes));
    expect(declaredIndexes).toHaveLength(indexFile.indexes.length);
  });

  test('every field override of firestore.indexes.json is declared, an empty index list as an exemption', () => {
    const fields = all(T.field).map((d) => d.inputs);
    expect(indexFile.fieldOverrides.length).toBeGreaterThan(0);
    for (const override of indexFile.fieldOverrides) {
      const field = fields.find((f) => f.collection === override.collectionGroup && f.field === override.fieldPath);
      expect({
        override: `${override.collectionGroup}.${override.fieldPath}`,
        indexConfig: field?.indexConfig,
      }).toEqual({
        override: `${override.collectionGroup}.${override.fieldPath}`,
        indexConfig: override.indexes.length === 0 ? {} : { indexes: override.indexes },
      });
    }
  });

  test('once-per-event marks expire through a TTL policy on expireAt', () => {
    expect(one(T.field, (f) => f.collection === PROCESSED_EVENTS && f.field === 'expireAt').ttlConfig).toEqual({});
  });

  test('the counts of rate limits expire through a TTL policy on expireAt, and their count is not indexed', () => {
    const expiry = one(T.field, (f) => f.collection === RATE_LIMITS_COLLECTION && f.field === 'expireAt');
    expect(expiry).toMatchObject({ ttlConfig: {}, indexConfig: {} });
    expect(one(T.field, (f) => f.collection === RATE_LIMITS_COLLECTION && f.field === 'count').indexConfig).toEqual({});
  });

  test('every collection whose documents carry their end has a TTL policy on that field, not indexed', () => {
    const declared = Object.entries(TTL_FIELDS).map(([collection, field]) => ({
      collection,
      field,
      policy: one(T.field, (f) => f.collection === collection && f.field === field),
    }));
    expect(declared.map((d) => d.collection).sort()).toEqual(
      [
        'accessGrants',
        'hotlineSessions',
        'idempotency',
        'lookupTallies',
        'outbox',
        'smsMessages',
        'smsPhoneDays',
        'smsSessions',
      ].sort(),
    );
    for (const { collection, field, policy } of declared) {
      expect({ collection, field, ttl: policy.ttlConfig, index: policy.indexConfig }).toEqual({
        collection,
        field,
        ttl: {},
        // A timestamp every write sets would be a hot index range; nothing queries it.
        index: {},
      });
    }
  });

  test('no collection has two TTL policies, which Firestore refuses', () => {
    const withTtl = all(T.field)
      .filter((f) => f.inputs.ttlConfig !== undefined)
      .map((f) => f.inputs.collection);
    expect(withTtl.length).toBe(new Set(withTtl).size);
  });

  test("the booking instances' meter summaries expire through a TTL policy on expireAt, which is not indexed", () => {
    const field = one(T.field, (f) => f.collection === BOOKING_METERS_COLLECTION && f.field === 'expireAt');
    expect(field).toMatchObject({ ttlConfig: {}, indexConfig: {} });
  });

  test('used identity-provider assertions expire through a TTL policy on expireAt, which is not indexed', () => {
    const field = one(T.field, (f) => f.collection === COLLECTIONS.usedAssertions && f.field === 'expireAt');
    expect(field.ttlConfig).toEqual({});
    expect(field.indexConfig).toEqual({});
  });

  test('the rules released on the database are firestore.rules', () => {
    const rules = readFileSync(join(repoRoot, 'firestore.rules'), 'utf8');
    expect(one(T.ruleset).source.files).toEqual([{ name: 'firestore.rules', content: rules }]);
    expect(one(T.release)).toMatchObject({
      name: 'cloud.firestore',
      rulesetName: `projects/${PROJECT}/rulesets/4b1e2d0c-rules`,
    });
  });
});

describe('the warehouse (BigQuery)', () => {
  const WAREHOUSE_TABLES = ['events', 'centres', 'vaccines', 'population', 'availability_snapshots'];
  const table = (tableId: string) => one(T.table, (t) => t.tableId === tableId && t.view === undefined);
  const schemaFile = (tableId: string) =>
    tableId === 'events'
      ? EVENTS_SCHEMA_PATH
      : join(repoRoot, 'functions', 'src', 'adapters', 'bigquery', `${tableId.replaceAll('_', '-')}-schema.json`);
  const schemaOf = (tableId: string): Inputs[] => JSON.parse(readFileSync(schemaFile(tableId), 'utf8'));
  const columnsOf = (tableId: string) => schemaOf(tableId).map((c) => `${c.name} ${c.type} ${c.mode ?? 'NULLABLE'}`);
  const DAY_MS = 86_400_000;

  test('every table of the dataset ereg is deployed with the columns of its schema file, each described', () => {
    const tables = all(T.table).filter((d) => d.inputs.view === undefined);
    expect(tables.map((d) => d.inputs.tableId).sort()).toEqual([...WAREHOUSE_TABLES].sort());
    for (const tableId of WAREHOUSE_TABLES) {
      const deployed = table(tableId);
      expect({ tableId, datasetId: deployed.datasetId, project: deployed.project }).toEqual({
        tableId,
        datasetId: 'ereg',
        project: PROJECT,
      });
      expect(JSON.parse(deployed.schema)).toEqual(schemaOf(tableId));
      const undescribed = schemaOf(tableId).filter((c) => !c.description?.trim());
      expect({ tableId, undescribed }).toEqual({ tableId, undescribed: [] });
    }
  });

  test('the centres, vaccines, population and snapshots tables have the keys the reports join and count on', () => {
    expect(columnsOf('centres')).toEqual(
      expect.arrayContaining([
        'centre_id STRING REQUIRED',
        'voivodeship STRING REQUIRED',
        'powiat STRING NULLABLE',
        'gmina STRING NULLABLE',
        'updated_at TIMESTAMP REQUIRED',
      ]),
    );
    expect(columnsOf('vaccines')).toEqual(
      expect.arrayContaining(['vaccine_id STRING REQUIRED', 'name STRING REQUIRED', 'doses INT64 REQUIRED']),
    );
    expect(columnsOf('population')).toEqual([
      'voivodeship STRING REQUIRED',
      'age_band STRING REQUIRED',
      'people INT64 REQUIRED',
      'reference_date DATE REQUIRED',
    ]);
    expect(columnsOf('availability_snapshots')).toEqual([
      'snapshot_date DATE REQUIRED',
      'centre_id STRING REQUIRED',
      'vaccine_id STRING REQUIRED',
      'places_published INT64 REQUIRED',
      'places_booked INT64 REQUIRED',
      'places_free INT64 REQUIRED',
      'first_free_date DATE NULLABLE',
      'taken_at TIMESTAMP REQUIRED',
      'places_free_7d INT64 NULLABLE',
      'places_free_14d INT64 NULLABLE',
    ]);
  });

  test('the functions are told the events table the sink streams into', () => {
    const events = table('events');
    for (const fn of deployedFunctions()) {
      expect(fn.serviceConfig.environmentVariables).toMatchObject({
        BIGQUERY_DATASET: events.datasetId,
        BIGQUERY_TABLE: events.tableId,
      });
    }
  });

  test('events are partitioned by day on occurred_at, every query must name its days, and they are clustered by type, then centre', () => {
    const events = table('events');
    expect(events.timePartitioning).toMatchObject({ type: 'DAY', field: 'occurred_at' });
    expect(events.requirePartitionFilter).toBe(true);
    expect(events.clusterings).toEqual(['type', 'centre_id']);
  });

  test('the snapshots are partitioned by day on snapshot_date and clustered by centre', () => {
    const snapshots = table('availability_snapshots');
    expect(snapshots.timePartitioning).toMatchObject({ type: 'DAY', field: 'snapshot_date' });
    expect(snapshots.clusterings).toEqual(['centre_id']);
  });

  test.each(['events', 'availability_snapshots'])(
    'a day of %s is deleted as the local report table deletes it, three years on, and never sooner',
    (tableId) => {
      const deployed = table(tableId);
      const days = deployed.timePartitioning.expirationMs / DAY_MS;
      expect(days).toBe(RETENTION_DAYS.analytics);
      expect(days).toBeGreaterThanOrEqual(3 * 365);
      // Expiry of the whole table would drop every row at once; only the partitions expire.
      expect(deployed.expirationTime).toBeUndefined();
    },
  );

  test('the centres, vaccines and population tables are neither partitioned nor clustered, and never expire', () => {
    for (const tableId of ['centres', 'vaccines', 'population']) {
      const deployed = table(tableId);
      expect({ tableId, partitioned: deployed.timePartitioning, clustered: deployed.clusterings }).toEqual({
        tableId,
        partitioned: undefined,
        clustered: undefined,
      });
      expect(deployed.expirationTime).toBeUndefined();
    }
  });

  test('every report SQL file becomes a standard-SQL view of its name, described by its first line, reading this project', () => {
    const dir = join(repoRoot, 'functions', 'src', 'reports', 'sql');
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.sql')) : [];
    const views = all(T.table).filter((d) => d.inputs.view !== undefined);
    expect(views.map((d) => d.inputs.tableId).sort()).toEqual(files.map((f) => f.replace(/\.sql$/, '')).sort());
    for (const { inputs } of views) {
      const sql = readFileSync(join(dir, `${inputs.tableId}.sql`), 'utf8');
      expect({ view: inputs.tableId, description: inputs.description, legacy: inputs.view.useLegacySql }).toEqual({
        view: inputs.tableId,
        description: sql.split('\n')[0]?.replace(/^--\s*/, ''),
        legacy: false,
      });
      const named = [...String(inputs.view.query).matchAll(/`([^`]*)`/g)].map((m) => m[1]);
      const read = [...sql.matchAll(/`ereg\.(\w+)`/g)].map((m) => `${PROJECT}.ereg.${m[1]}`);
      expect({ view: inputs.tableId, named: [...new Set(named)].sort() }).toEqual({
        view: inputs.tableId,
        named: [...new Set(read)].sort(),
      });
    }
  });

  test('the warehouse is read by the reports’ account only, and written by the sink’s and the snapshots’ only', () => {
    const datasetGrants = all(T.datasetIam)
      .map((d) => d.inputs)
      .map((g) => [g.datasetId, g.role, g.member])
      .sort();
    expect(datasetGrants).toEqual(
      [
        ['ereg', 'roles/bigquery.dataViewer', memberOf(functionAccount('reports'))],
        ['ereg', 'roles/bigquery.dataEditor', memberOf(functionAccount('recordAnalytics'))],
        ['ereg', 'roles/bigquery.dataEditor', memberOf(functionAccount('publishDueSlots'))],
      ].sort(),
    );
    const projectBigQuery = all(T.projectIam)
      .map((d) => d.inputs)
      .filter((g) => String(g.role).startsWith('roles/bigquery.'))
      .map((g) => [g.role, g.member]);
    // Jobs belong to the project: the reports' queries and the snapshots' loads.
    expect(projectBigQuery.sort()).toEqual(
      [
        ['roles/bigquery.jobUser', memberOf(functionAccount('reports'))],
        ['roles/bigquery.jobUser', memberOf(functionAccount('publishDueSlots'))],
      ].sort(),
    );
  });
});

describe('the edge: limits per network in front of the API', () => {
  const policy = () => one(T.securityPolicy);
  const throttles = () => (policy().rules as Inputs[]).filter((rule) => rule.action === 'throttle');
  const backendOf = (name: string) => one(T.backendService, (b) => b.name === `ereg-edge-${name.toLowerCase()}`);

  /** Whether a Cloud Armor rule's expression, as this program writes them, matches a request. */
  function matches(expression: string, method: string, path: string): boolean {
    const methods = [...expression.matchAll(/request\.method == '([A-Z]+)'/g)].map((m) => m[1]);
    const pattern = /request\.path\.matches\('(.+)'\)/.exec(expression)?.[1];
    if (methods.length === 0 || !pattern) throw new Error(`unexpected expression ${expression}`);
    return methods.includes(method) && new RegExp(pattern).test(path);
  }

  test('a Cloud Armor policy throttles each limit per network of the policy per client address, answering 429', () => {
    const expected = Object.entries({
      ...DEFAULT_RATE_LIMITS,
      searchPerNetwork: { ...DEFAULT_RATE_LIMITS.searchPerNetwork, limit: 200 },
    })
      .filter(([, rule]) => rule.scope === 'network')
      // One rule per class: its shortest window (a longer one is counted where the address is known).
      .filter(
        ([, rule], _, all) =>
          !all.some(([, other]) => other.class === rule.class && other.windowSeconds < rule.windowSeconds),
      )
      .map(([name, rule]) => [name, rule.limit, rule.windowSeconds]);
    expect(expected.length).toBeGreaterThanOrEqual(4);
    expect(expected.map(([name]) => name)).not.toContain('bookingPerNetworkHourly');
    expect(policy().type).toBe('CLOUD_ARMOR');
    expect(
      throttles().map((rule) => [
        rule.description.split(':')[0],
        rule.rateLimitOptions.rateLimitThreshold.count,
        rule.rateLimitOptions.rateLimitThreshold.intervalSec,
      ]),
    ).toEqual(expected);
    for (const rule of throttles()) {
      expect(rule.rateLimitOptions).toMatchObject({
        conformAction: 'allow',
        exceedAction: 'deny(429)',
        enforceOnKey: 'IP',
      });
    }
    const last = (policy().rules as Inputs[]).at(-1);
    expect(last).toMatchObject({ priority: 2147483647, action: 'allow', match: { config: { srcIpRanges: ['*'] } } });
  });

  test('each throttle matches exactly the routes ROUTES puts in its class, and no other route', () => {
    const classOf = (rule: Inputs) =>
      DEFAULT_RATE_LIMITS[rule.description.split(':')[0] as keyof typeof DEFAULT_RATE_LIMITS].class;
    const specs = Object.values(ROUTES as Record<string, RouteSpec>);
    expect(specs.filter((spec) => spec.limit).length).toBeGreaterThanOrEqual(6);
    for (const spec of specs) {
      const path = apiPath(spec, {
        patientId: 'p-1',
        appointmentId: 'a-1',
        centreId: 'c-1',
        date: '2026-01-12',
        reference: 'K7M2QX9P',
        batchId: 'bat-1',
        staffId: 's-1',
        offerId: 'sbo-1',
        alertId: 'alr-1',
        reviewId: 'aud-1',
        file: 'ecdc-weekly.csv',
        changeId: 'chg-1',
        ruleId: 'born-1951',
        announcementId: 'ann-1',
        vaccineId: 'comirnaty',
        voivodeship: '14',
      });
      const met = throttles()
        .filter((rule) => matches(rule.match.expr.expression, spec.method, path))
        .map(classOf);
      expect({ route: `${spec.method} ${path}`, met }).toEqual({
        route: `${spec.method} ${path}`,
        met: spec.limit ? [spec.limit] : [],
      });
    }
    // The SMS webhook is not behind the edge: Twilio's addresses are not clients.
    for (const rule of throttles()) expect(matches(rule.match.expr.expression, 'POST', '/api/sms/inbound')).toBe(false);
  });

  test('every API function is behind the policy through a serverless NEG naming its Cloud Run service; sms is not', () => {
    for (const name of apiNames) {
      const backend = backendOf(name);
      expect(backend).toMatchObject({
        loadBalancingScheme: 'EXTERNAL_MANAGED',
        protocol: 'HTTPS',
        securityPolicy: 'ereg-edge-id',
      });
      const neg = one(T.serverlessNeg, (n) => n.cloudRun?.service === name.toLowerCase());
      expect(neg).toMatchObject({ networkEndpointType: 'SERVERLESS', region: REGION });
      expect(backend.backends).toEqual([{ group: `edge-${name}-id` }]);
    }
    expect(
      all(T.serverlessNeg)
        .map((d) => d.inputs.cloudRun.service)
        .sort(),
    ).toEqual(apiNames.map((n) => n.toLowerCase()).sort());
  });

  test('the URL map sends /api/<function> to each function and everything else to the Hosting site, under its own name', () => {
    const urlMap = one(T.urlMap);
    expect(urlMap.hostRules).toEqual([{ hosts: [EDGE.domain], pathMatcher: 'site' }]);
    const [matcher] = urlMap.pathMatchers;
    expect(matcher.defaultService).toBe('edge-site-id');
    expect(matcher.defaultRouteAction.urlRewrite.hostRewrite).toBe(EDGE.siteHost);
    expect(matcher.pathRules).toEqual(
      apiNames.map((name) => ({ paths: [`/api/${name}`, `/api/${name}/*`], service: `edge-${name}-id` })),
    );
    expect(one(T.internetNeg)).toMatchObject({ networkEndpointType: 'INTERNET_FQDN_PORT', defaultPort: 443 });
    expect(one(T.internetEndpoint)).toMatchObject({ fqdn: EDGE.siteHost, port: 443 });
    expect(one(T.backendService, (b) => b.name === 'ereg-edge-site').securityPolicy).toBeUndefined();
  });

  test('the balancer answers HTTPS on 443 only, with a Google-managed certificate for the domain', () => {
    expect(one(T.certificate).managed).toEqual({ domains: [EDGE.domain] });
    expect(one(T.httpsProxy)).toMatchObject({ urlMap: 'ereg-edge-id', sslCertificates: ['ereg-edge-id'] });
    expect(one(T.forwardingRule)).toMatchObject({
      loadBalancingScheme: 'EXTERNAL_MANAGED',
      portRange: '443',
      ipAddress: '203.0.113.10',
      target: 'ereg-edge-id',
    });
  });
});

describe('operating it: objectives, alerts and backups', () => {
  const policies = () => all(T.alertPolicy).map((d) => d.inputs);
  const policyNamed = (name: string) => {
    const found = all(T.alertPolicy).filter((d) => d.name === name);
    if (found.length !== 1) throw new Error(`expected one alert policy ${name}, found ${found.length}`);
    return (found[0] as Declared).inputs;
  };
  const conditionOf = (name: string) => policyNamed(name).conditions[0].conditionThreshold;
  /** A secret input reaches the mocks wrapped; its value is inside. */
  const plain = (value: unknown) =>
    typeof value === 'object' && value !== null && 'value' in value ? (value as { value: unknown }).value : value;
  const channelsOf = (type: string) => all(T.channel).filter((d) => d.inputs.type === type);
  /** A channel's full name, as Google would report it. */
  const idsOf = (declaredChannels: Declared[]) =>
    declaredChannels.map((d) => `projects/${PROJECT}/notificationChannels/${d.name}`);
  const emails = () => idsOf(channelsOf('email'));
  const everyChannel = () => idsOf(all(T.channel));

  test('the channels are the stack’s: an e-mail per address, a text per number, the webhook; none other', () => {
    expect(channelsOf('email').map((d) => d.inputs.labels.email_address)).toEqual(ALERT_EMAILS);
    expect(channelsOf('sms').map((d) => d.inputs.labels.number)).toEqual(ALERT_SMS);
    // The webhook's URL carries its token: it stays a secret of the stack's state.
    const webhooks = channelsOf('webhook_tokenauth').map((d) => d.inputs.labels);
    expect(webhooks.map((labels) => (plain(labels) as Inputs).url)).toEqual([ALERT_WEBHOOK]);
    expect(webhooks[0]).toHaveProperty(pulumi.runtime.specialSigKey, pulumi.runtime.specialSecretSig);
    expect(all(T.channel)).toHaveLength(ALERT_EMAILS.length + ALERT_SMS.length + 1);
    for (const channel of all(T.channel)) expect(channel.inputs.project).toBe(PROJECT);
  });

  test('login, search and booking each have a service with an availability and a latency objective over 28 days', () => {
    const services = all(T.customService).map((d) => d.inputs.serviceId);
    expect(services.sort()).toEqual(['ereg-booking', 'ereg-login', 'ereg-search']);
    const bounds: Record<string, number> = { login: 500, search: 300, booking: 1000 };
    for (const [fn, maxMs] of Object.entries(bounds)) {
      const availability = one(T.slo, (s) => s.sloId === `${fn}-availability`);
      expect(availability).toMatchObject({ service: `ereg-${fn}`, goal: 0.999, rollingPeriodDays: 28 });
      const ratio = availability.requestBasedSli.goodTotalRatio;
      const requests =
        'metric.type = "run.googleapis.com/request_count" AND resource.type = "cloud_run_revision" AND ' +
        `resource.label."service_name" = "${fn}"`;
      expect(ratio.totalServiceFilter).toBe(requests);
      expect(ratio.badServiceFilter).toBe(`${requests} AND metric.label."response_code_class" = "5xx"`);

      const latency = one(T.slo, (s) => s.sloId === `${fn}-latency`);
      expect(latency).toMatchObject({ service: `ereg-${fn}`, goal: 0.95, rollingPeriodDays: 28 });
      expect(latency.requestBasedSli.distributionCut.distributionFilter).toContain(
        'metric.type = "run.googleapis.com/request_latencies"',
      );
      expect(latency.requestBasedSli.distributionCut.distributionFilter).toContain(`"service_name" = "${fn}"`);
      expect(latency.requestBasedSli.distributionCut.range).toEqual({ max: maxMs });
    }
    expect(all(T.slo)).toHaveLength(6);
  });

  test.each([
    ['fast', '3600s', 14.4, 'CRITICAL'],
    ['slow', '21600s', 6, 'WARNING'],
  ])('every objective has a %s burn-rate alert over %s above %d, as %s', (speed, lookback, threshold, severity) => {
    for (const fn of ['login', 'search', 'booking']) {
      for (const kind of ['availability', 'latency']) {
        const name = `alert-${fn}-${kind}-burn-${speed}`;
        const condition = conditionOf(name);
        expect(condition.filter).toBe(
          `select_slo_burn_rate("projects/${PROJECT}/services/ereg-${fn}/serviceLevelObjectives/${fn}-${kind}", "${lookback}")`,
        );
        expect(condition).toMatchObject({ comparison: 'COMPARISON_GT', thresholdValue: threshold });
        expect(policyNamed(name).severity).toBe(severity);
      }
    }
  });

  test('the outbox lag alert fires when the oldest event not yet taken by a consumer is older than the stack says for five minutes', () => {
    const condition = conditionOf('alert-outbox-lag');
    expect(condition.filter).toContain('metric.type = "pubsub.googleapis.com/subscription/oldest_unacked_message_age"');
    expect(condition.filter).toContain('NOT resource.label."subscription_id" = "events-dead-letter-hold"');
    expect(condition).toMatchObject({ comparison: 'COMPARISON_GT', thresholdValue: 90, duration: '300s' });
    expect(condition.aggregations[0]).toMatchObject({
      perSeriesAligner: 'ALIGN_MAX',
      crossSeriesReducer: 'REDUCE_MAX',
    });
  });

  test('the SMS alert compares failed sends with all sends, above 5 % for a quarter of an hour', () => {
    const condition = conditionOf('alert-sms-failures');
    expect(condition.filter).toContain('metric.type = "workload.googleapis.com/ereg.sms.messages"');
    expect(condition.filter).toContain('metric.label."outcome" = "failed"');
    expect(condition.denominatorFilter).toContain('metric.type = "workload.googleapis.com/ereg.sms.messages"');
    expect(condition.denominatorFilter).toContain('metric.label."outcome" = one_of("sent", "failed")');
    expect(condition).toMatchObject({ comparison: 'COMPARISON_GT', thresholdValue: 0.05, duration: '900s' });
    expect(condition.aggregations[0].perSeriesAligner).toBe('ALIGN_RATE');
    expect(condition.denominatorAggregations[0].perSeriesAligner).toBe('ALIGN_RATE');
  });

  test('dead letters: a topic, a subscription that keeps them a week, and an alert as soon as it holds one', () => {
    const topic = one(T.topic, (t) => t.name === 'events-dead-letter');
    const subscription = one(T.subscription, (s) => s.name === 'events-dead-letter-hold');
    expect(subscription.topic).toBe(topic.name);
    expect(subscription.messageRetentionDuration).toBe('604800s');
    expect(subscription.expirationPolicy).toEqual({ ttl: '' });
    const condition = conditionOf('alert-dead-letters');
    expect(condition.filter).toContain('metric.type = "pubsub.googleapis.com/subscription/num_undelivered_messages"');
    expect(condition.filter).toContain('resource.label."subscription_id" = "events-dead-letter-hold"');
    expect(condition).toMatchObject({ comparison: 'COMPARISON_GT', thresholdValue: 0 });
  });

  test('Firestore contention: units that gave up above 1/s, and the p95 of attempts above 3', () => {
    const contended = conditionOf('alert-firestore-contention');
    expect(contended.filter).toContain('metric.type = "workload.googleapis.com/ereg.store.transaction.contended"');
    expect(contended.filter).toContain('metric.label."store" = "firestore"');
    expect(contended).toMatchObject({ comparison: 'COMPARISON_GT', thresholdValue: 1 });
    expect(contended.aggregations[0].perSeriesAligner).toBe('ALIGN_RATE');
    const attempts = conditionOf('alert-firestore-attempts');
    expect(attempts.filter).toContain('metric.type = "workload.googleapis.com/ereg.store.transaction.attempts"');
    expect(attempts).toMatchObject({ comparison: 'COMPARISON_GT', thresholdValue: 3 });
    expect(attempts.aggregations[0].crossSeriesReducer).toBe('REDUCE_PERCENTILE_95');
  });

  test('pages go to every channel, the rest to the e-mail addresses only', () => {
    expect(policies()).toHaveLength(12 + 5);
    for (const policy of policies()) {
      const expected = policy.severity === 'CRITICAL' ? everyChannel() : emails();
      expect({ policy: policy.displayName, channels: [...policy.notificationChannels].sort() }).toEqual({
        policy: policy.displayName,
        channels: [...expected].sort(),
      });
    }
    expect(policies().filter((p) => p.severity === 'CRITICAL').length).toBeGreaterThanOrEqual(5);
  });

  test('every alert says what it means and links to its section of the operations guide, which exists', () => {
    const guide = readFileSync(join(repoRoot, 'docs', 'operations.md'), 'utf8');
    const anchors = [...guide.matchAll(/^#+ (.+)$/gm)].map((m) => (m[1] as string).toLowerCase().replaceAll(' ', '-'));
    for (const policy of policies()) {
      expect(policy.documentation.mimeType).toBe('text/markdown');
      expect(policy.documentation.content).toMatch(/What to do: docs\/operations\.md/);
      const [link] = policy.documentation.links;
      expect(link.url.startsWith(`${RUNBOOK}#`)).toBe(true);
      expect({ policy: policy.displayName, anchor: anchors.includes(link.url.split('#')[1]) }).toEqual({
        policy: policy.displayName,
        anchor: true,
      });
    }
  });

  test('the database has point-in-time recovery, a daily backup kept two weeks and a weekly one kept 14 weeks', () => {
    const database = one(T.firestore);
    expect(database.pointInTimeRecoveryEnablement).toBe('POINT_IN_TIME_RECOVERY_ENABLED');
    const schedules = all(T.backupSchedule).map((d) => d.inputs);
    expect(schedules).toHaveLength(2);
    const daily = one(T.backupSchedule, (s) => s.dailyRecurrence !== undefined);
    expect(daily).toMatchObject({ project: PROJECT, database: database.name, retention: `${14 * 86_400}s` });
    const weekly = one(T.backupSchedule, (s) => s.weeklyRecurrence !== undefined);
    expect(weekly).toMatchObject({ project: PROJECT, database: database.name, retention: `${98 * 86_400}s` });
    expect(weekly.weeklyRecurrence).toEqual({ day: 'SUNDAY' });
  });
});
