import { readViewFiles } from '@ereg/functions/deployment';
import * as pulumi from '@pulumi/pulumi';
import { deployAnalytics, WAREHOUSE_TABLE_NAMES } from './analytics.ts';
import { deployBackups } from './backups.ts';
import { loadStackConfig } from './config.ts';
import { deployEdge } from './edge.ts';
import { deployFirestore } from './firestore.ts';
import { DEPLOYED_FUNCTION_NAMES, FUNCTION_SPECS, functionUrl } from './function-specs.ts';
import { deployFunctions } from './functions.ts';
import { grantAccess } from './iam.ts';
import { deployMessaging } from './messaging.ts';
import { deployMonitoring, loadMonitoringSettings } from './monitoring.ts';
import { REPO_ROOT, readFirestoreIndexes, readFirestoreRules, readTableSchemas } from './repo-files.ts';
import { deploySecrets } from './secrets.ts';
import { createServiceAccounts } from './service-accounts.ts';
import { enableApis } from './services.ts';
import { deployFunctionSource } from './source.ts';

const config = loadStackConfig(REPO_ROOT);
const apis = enableApis(config.project);
const afterApis: pulumi.CustomResourceOptions = { dependsOn: apis };

const accounts = createServiceAccounts(config.project, afterApis);
const firestore = deployFirestore(
  {
    project: config.project,
    database: config.firestore.database,
    location: config.firestore.location,
    protectData: config.protectData,
    indexes: readFirestoreIndexes(),
    rules: readFirestoreRules(),
  },
  afterApis,
);
const messaging = deployMessaging(
  {
    project: config.project,
    region: config.region,
    publishSlots: config.publishSlots,
    closeDays: config.closeDays,
    sampleLookups: config.sampleLookups,
    admitQueue: { timeZone: config.closeDays.timeZone },
    matchStandby: { timeZone: config.closeDays.timeZone },
    reminders: {
      maxDispatchesPerSecond: config.tasks.maxDispatchesPerSecond,
      maxConcurrentDispatches: config.tasks.maxConcurrentDispatches,
    },
  },
  afterApis,
);
const analytics = deployAnalytics(
  {
    project: config.project,
    location: config.bigqueryLocation,
    protectData: config.protectData,
    schemas: readTableSchemas(WAREHOUSE_TABLE_NAMES),
    views: readViewFiles(),
  },
  afterApis,
);
const secrets = deploySecrets(
  { project: config.project, values: config.secrets, protectData: config.protectData },
  afterApis,
);
const source = deployFunctionSource(
  { project: config.project, region: config.region, dir: config.functionsSource },
  afterApis,
);
const grants = grantAccess(
  { project: config.project, accounts, messaging, analytics, secrets, sourceBucket: source.bucket },
  afterApis,
);
// A revision that cannot read its secrets, or a build without its roles, fails the deployment: grant first.
const functions = deployFunctions(
  { config, accounts, source, firestore, messaging, analytics, secrets },
  { dependsOn: [...apis, ...grants] },
);

// The limits per network, at a load balancer in front of the API's functions (when the stack names a domain).
const edge = config.edge
  ? deployEdge(
      {
        project: config.project,
        region: config.region,
        settings: config.edge,
        limits: config.rateLimits.policy,
        functions,
      },
      afterApis,
    )
  : null;

// Operating it: backups of the database, and the objectives and alerts (docs/operations.md).
const backups = deployBackups({ project: config.project, database: firestore.database }, afterApis);
const monitoring = deployMonitoring({ project: config.project, settings: loadMonitoringSettings() }, afterApis);

// The environment names sms and smsTasks by the URL derived from the region and project; should Google
// report another one, Twilio's signatures and the tasks' audience would not match it.
for (const name of ['sms', 'smsTasks'] as const) {
  const expected = functionUrl(config.project, config.region, name);
  functions[name].fn.url.apply((url) => {
    if (url && url !== expected) {
      void pulumi.log.warn(`${name} answers on ${url}, but the functions are told ${expected}`, functions[name].fn);
    }
  });
}

/** The public HTTP functions: the web apps call the API's (`/api/<name>/…` maps onto them), Twilio calls sms. */
export const httpFunctionUrls = Object.fromEntries(
  DEPLOYED_FUNCTION_NAMES.filter((name) => {
    const trigger = FUNCTION_SPECS[name].trigger;
    return trigger.kind === 'http' && trigger.callers === 'anyone';
  }).map((name) => [name, functions[name].fn.url]),
);
/** Where the Twilio Messaging Service must send the texts people send us (docs/deployment.md). */
export const twilioInboundWebhookUrl = `${functionUrl(config.project, config.region, 'sms')}/inbound`;
/** The account each function runs as. */
export const functionServiceAccounts = Object.fromEntries(
  DEPLOYED_FUNCTION_NAMES.map((name) => [name, accounts.functions[name].email]),
);
export const tasksServiceAccount = accounts.tasks.email;
export const remindersQueue = messaging.remindersPath;
export const eventsTopic = messaging.topics.events.path;
export const functionsSourceObject = source.object.name;
/** The balancer's address: the site's domain must point at it (null without an edge). */
export const edgeAddress = edge ? edge.address.address : null;
/** The subscription that holds the events the consumers gave up on (docs/operations.md, "Dead letters"). */
export const deadLetterSubscription = monitoring.deadLetter.subscription.name;
export const firestoreBackupSchedules = [backups.daily.name, backups.weekly.name];
