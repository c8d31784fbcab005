import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  CloudConfigSchema,
  CloudTasksQueue,
  EVENTS_SCHEMA_PATH,
  loadCloudConfig,
  PROCESSED_EVENTS,
  type TasksApi,
} from '@ereg/functions/deployment';
import { EVENT_FUNCTION_NAMES, FUNCTION_NAMES, SMS_FUNCTION_NAMES } from '@ereg/shared';
import * as pulumi from '@pulumi/pulumi';

// The program runs against Pulumi's mocks: every resource it declares is recorded with the inputs
// it would send to Google Cloud, and the policies below are checked against those records.

const repoRoot = resolve(__dirname, '..', '..');
const PROJECT = 'ereg-test';
const REGION = 'europe-west1';
const SMS_PER_SECOND = 80;
const SECRETS = {
  TWILIO_AUTH_TOKEN: 'twilio-token-that-must-stay-secret',
  PESEL_HMAC_SECRET: 'pesel-index-key-of-at-least-thirty-two-characters',
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
  },
  ['ereg:twilioAuthToken', 'ereg:peselHmacSecret'],
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
const OPTIONAL_SETTINGS = ['SMS_WEB_URL'];

/** The config schema's keys by what a deployment must do with them. */
function schemaKeys() {
  const required: string[] = [];
  const defaulted: string[] = [];
  const optional: string[] = [];
  for (const [key, schema] of Object.entries(CloudConfigSchema.shape)) {
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

  test('every function gets every variable the cloud config schema requires, and EREG_RUNTIME=cloud', () => {
    const { required, defaulted } = schemaKeys();
    expect(required).toEqual(expect.arrayContaining(['GOOGLE_CLOUD_PROJECT', 'TASKS_QUEUE_PATH']));
    for (const fn of deployedFunctions()) {
      const env = environmentOf(fn);
      expect({ fn: fn.name, missing: [...required, ...defaulted].filter((key) => !(key in env)) }).toEqual({
        fn: fn.name,
        missing: [],
      });
      expect(env.EREG_RUNTIME).toBe('cloud');
      expect(() => loadCloudConfig(env)).not.toThrow();
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
    for (const fn of deployedFunctions()) {
      expect(fn.serviceConfig.environmentVariables).not.toHaveProperty(variable);
      expect(fn.serviceConfig.secretEnvironmentVariables).toContainEqual({
        key: variable,
        projectId: PROJECT,
        secret: secretId,
        version: '1',
      });
    }
    const elsewhere = declared.filter((d) => d.type !== T.secretVersion && JSON.stringify(d.inputs).includes(value));
    expect(elsewhere.map((d) => `${d.type} ${d.name}`)).toEqual([]);
    expect(one(T.secretIam, (g) => g.secretId === secretId)).toMatchObject({
      role: 'roles/secretmanager.secretAccessor',
      member: memberOf('ereg-functions'),
    });
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

  test('every function runs as the runtime account and is built by the builder account', () => {
    for (const fn of deployedFunctions()) {
      expect(fn.serviceConfig.serviceAccountEmail).toBe(emailOf('ereg-functions'));
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
      member: memberOf('ereg-functions'),
    });
  });

  test('publishDueSlots is fed once a night by a Cloud Scheduler job through its own topic', () => {
    const job = one(T.job);
    const trigger = deployedFunction('publishDueSlots').eventTrigger;
    expect(trigger.eventType).toBe('google.cloud.pubsub.topic.v1.messagePublished');
    expect(job.pubsubTarget.topicName).toBe(trigger.pubsubTopic);
    expect(trigger.pubsubTopic).not.toBe(topicPath('events'));
    expect(job.schedule).toMatch(/^\d+ \d+ \* \* \*$/);
    expect(job.timeZone).toBe('Europe/Warsaw');
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
      expect(fn.serviceConfig.ingressSettings).toBe(isHttp ? 'ALLOW_ALL' : 'ALLOW_INTERNAL_ONLY');
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

  test('the runtime account holds no project-wide role beyond Firestore access and setting session claims', () => {
    const projectRoles = all(T.projectIam)
      .map((d) => d.inputs)
      .filter((g) => g.member === memberOf('ereg-functions'))
      .map((g) => g.role);
    expect(projectRoles.sort()).toEqual(['projects/ereg-test/roles/eregSessionClaims', 'roles/datastore.user']);
    expect(one(T.customRole).permissions).toEqual(['firebaseauth.users.update']);
    expect(one(T.datasetIam)).toMatchObject({ datasetId: 'ereg', role: 'roles/bigquery.dataEditor' });
  });

  test('the runtime account may sign custom tokens as itself', () => {
    const runtime = account('ereg-functions');
    expect(one(T.accountIam, (g) => g.role === 'roles/iam.serviceAccountTokenCreator').serviceAccountId).toBe(
      `projects/${runtime.project}/serviceAccounts/${emailOf('ereg-functions')}`,
    );
    expect(one(T.accountIam, (g) => g.role === 'roles/iam.serviceAccountTokenCreator').member).toBe(
      memberOf('ereg-functions'),
    );
  });

  test('the trigger account may receive events', () => {
    expect(one(T.projectIam, (g) => g.member === memberOf('ereg-triggers')).role).toBe('roles/eventarc.eventReceiver');
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
    const config = loadCloudConfig(environmentOf(deployedFunction('planMessages')));
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

  test('tasks carry the tasks account, which the runtime account may act as, and may create and delete them', () => {
    for (const fn of deployedFunctions()) {
      expect(fn.serviceConfig.environmentVariables.TASKS_SERVICE_ACCOUNT).toBe(emailOf('ereg-tasks'));
    }
    expect(one(T.accountIam, (g) => g.role === 'roles/iam.serviceAccountUser')).toMatchObject({
      serviceAccountId: `projects/${PROJECT}/serviceAccounts/${emailOf('ereg-tasks')}`,
      member: memberOf('ereg-functions'),
    });
    const queueRoles = all(T.queueIam).map((d) => [d.inputs.name, d.inputs.role, d.inputs.member]);
    expect(queueRoles.sort()).toEqual([
      ['reminders', 'roles/cloudtasks.enqueuer', memberOf('ereg-functions')],
      ['reminders', 'roles/cloudtasks.taskDeleter', memberOf('ereg-functions')],
    ]);
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

  test('the rules released on the database are firestore.rules', () => {
    const rules = readFileSync(join(repoRoot, 'firestore.rules'), 'utf8');
    expect(one(T.ruleset).source.files).toEqual([{ name: 'firestore.rules', content: rules }]);
    expect(one(T.release)).toMatchObject({
      name: 'cloud.firestore',
      rulesetName: `projects/${PROJECT}/rulesets/4b1e2d0c-rules`,
    });
  });
});

describe('BigQuery', () => {
  test("the events table's schema is events-schema.json, partitioned by day on occurred_at", () => {
    const schema = JSON.parse(readFileSync(EVENTS_SCHEMA_PATH, 'utf8'));
    const table = one(T.table);
    expect(JSON.parse(table.schema)).toEqual(schema);
    expect(table.timePartitioning).toEqual({ type: 'DAY', field: 'occurred_at' });
    for (const fn of deployedFunctions()) {
      expect(fn.serviceConfig.environmentVariables).toMatchObject({
        BIGQUERY_DATASET: table.datasetId,
        BIGQUERY_TABLE: table.tableId,
      });
    }
  });
});
