import { FUNCTION_NAMES } from '@ereg/shared';
import * as gcp from '@pulumi/gcp';
import type * as pulumi from '@pulumi/pulumi';
import type { Analytics } from './analytics.ts';
import type { StackConfig } from './config.ts';
import type { FirestoreDeployment } from './firestore.ts';
import {
  DEPLOYED_FUNCTION_NAMES,
  type DeployedFunctionName,
  FUNCTION_SPECS,
  functionUrl,
  type Trigger,
} from './function-specs.ts';
import type { Messaging } from './messaging.ts';
import type { DeployedSecret } from './secrets.ts';
import type { ServiceAccounts } from './service-accounts.ts';
import type { FunctionSource } from './source.ts';

/** The Cloud Functions runtime the code is built for (Node.js 24). */
export const RUNTIME = 'nodejs24';

export interface FunctionsArgs {
  config: StackConfig;
  accounts: ServiceAccounts;
  source: FunctionSource;
  firestore: FirestoreDeployment;
  messaging: Messaging;
  analytics: Analytics;
  secrets: DeployedSecret[];
}

export interface DeployedFunction {
  fn: gcp.cloudfunctionsv2.Function;
  invoker: gcp.cloudrunv2.ServiceIamMember;
}

/**
 * The environment every function starts with: the cloud composition root reads all of it at an
 * instance's start (functions/src/runtime/cloud/config.ts), whichever function the instance serves.
 * Names and paths come from the resources themselves, so they cannot drift apart; the two function
 * URLs are derived from the region and project, because every function's environment names them.
 */
export function runtimeEnvironment(args: FunctionsArgs): Record<string, pulumi.Input<string>> {
  const { config, firestore, messaging, analytics, accounts } = args;
  return {
    EREG_RUNTIME: 'cloud',
    GOOGLE_CLOUD_PROJECT: config.project,
    FIRESTORE_DATABASE: firestore.database.name,
    EVENTS_TOPIC: messaging.topics.events.topic.name,
    BIGQUERY_DATASET: analytics.dataset.datasetId,
    BIGQUERY_TABLE: analytics.tables.events.tableId,
    TASKS_QUEUE_PATH: messaging.remindersPath,
    // The tasks call smsTasks; their OIDC token's audience is this URL too (the adapter's default).
    TASKS_TARGET_URL: functionUrl(config.project, config.region, 'smsTasks'),
    TASKS_SERVICE_ACCOUNT: accounts.tasks.email,
    TWILIO_ACCOUNT_SID: config.twilio.accountSid,
    TWILIO_MESSAGING_SERVICE_SID: config.twilio.messagingServiceSid,
    // Twilio's signature covers the URL it calls: the status callback of every message is <this>/status,
    // and the Messaging Service's inbound webhook must be <this>/inbound (docs/deployment.md).
    SMS_WEBHOOK_URL: functionUrl(config.project, config.region, 'sms'),
    SMS_HOTLINE: config.sms.hotline,
    SMS_PEOPLE_PER_PHONE_PER_DAY: String(config.sms.peoplePerPhonePerDay),
    // Optional in the code; an empty value would not be a URL, so an unset one is left out.
    ...(config.sms.webUrl === undefined ? {} : { SMS_WEB_URL: config.sms.webUrl }),
    IDP_ISSUER: config.idp.issuer,
    IDP_AUDIENCE: config.idp.audience,
    // A public key: it lets the functions check the identity provider's signature, and nothing more.
    IDP_PUBLIC_KEY_PEM: config.idp.publicKeyPem,
    IDP_LOGIN_URL: config.idp.loginUrl,
    FIREBASE_WEB_API_KEY: config.firebaseWebApiKey,
    // The limits per caller (the functions' defaults when unset); those per network are the edge's.
    ...(config.rateLimits.setting === undefined ? {} : { RATE_LIMITS: config.rateLimits.setting }),
  };
}

/**
 * Who may reach a function over the network: event functions only from inside Google; the API's only
 * through the edge when there is one (edge.ts), so that its limits per network cannot be gone round;
 * sms (Twilio calls its own URL) and smsTasks from anywhere, IAM deciding who may invoke them.
 */
export function ingressOf(name: DeployedFunctionName, trigger: Trigger, behindEdge: boolean): string {
  if (trigger.kind !== 'http') return 'ALLOW_INTERNAL_ONLY';
  return behindEdge && (FUNCTION_NAMES as readonly string[]).includes(name) ? 'ALLOW_INTERNAL_AND_GCLB' : 'ALLOW_ALL';
}

/**
 * Deploys every registered function under its own name from the uploaded source, each with its
 * trigger, scale, its own runtime account and the secrets it reads. The HTTP functions anyone may call are public (they
 * authenticate every request themselves: Firebase ID tokens, Twilio's signature); only the tasks
 * account may invoke smsTasks; event functions accept only internal traffic and only the trigger
 * account may invoke them.
 */
export function deployFunctions(
  args: FunctionsArgs,
  opts: pulumi.CustomResourceOptions,
): Record<DeployedFunctionName, DeployedFunction> {
  const { config, accounts, source } = args;
  const environmentVariables = runtimeEnvironment(args);
  const deployed = {} as Record<DeployedFunctionName, DeployedFunction>;
  for (const name of DEPLOYED_FUNCTION_NAMES) {
    const spec = FUNCTION_SPECS[name];
    const isHttp = spec.trigger.kind === 'http';
    const instances = config.functions.instances[name];
    // Only the secrets its code reads, which are the only ones its account may read (iam.ts).
    const secretEnvironmentVariables = args.secrets
      .filter(({ variable }) => spec.access.secrets.includes(variable))
      .map(({ variable, secret, version }) => ({
        key: variable,
        projectId: config.project,
        secret: secret.secretId,
        version: version.version,
      }));
    const fn = new gcp.cloudfunctionsv2.Function(
      name,
      {
        project: config.project,
        location: config.region,
        name,
        description: spec.description,
        labels: { app: 'ereg' },
        buildConfig: {
          runtime: RUNTIME,
          entryPoint: name,
          serviceAccount: accounts.builder.name,
          source: { storageSource: { bucket: source.bucket.name, object: source.object.name } },
        },
        serviceConfig: {
          serviceAccountEmail: accounts.functions[name].email,
          availableCpu: config.functions.cpu,
          availableMemory: config.functions.memory,
          maxInstanceRequestConcurrency: config.functions.concurrency,
          minInstanceCount: instances.min,
          maxInstanceCount: instances.max,
          timeoutSeconds: spec.timeoutSeconds,
          // smsTasks too accepts all traffic, and IAM refuses whoever is not the tasks account: whether
          // Cloud Tasks counts as internal on the cloudfunctions.net URL is not something tested here.
          ingressSettings: ingressOf(name, spec.trigger, config.edge !== null),
          allTrafficOnLatestRevision: true,
          environmentVariables,
          secretEnvironmentVariables,
        },
        ...(isHttp ? {} : { eventTrigger: eventTriggerOf(spec.trigger, args) }),
      },
      opts,
    );
    const invoker = invokerOf(spec.trigger, accounts);
    const grant = new gcp.cloudrunv2.ServiceIamMember(
      `${name}-${invoker.suffix}`,
      {
        project: config.project,
        location: config.region,
        name: fn.serviceConfig.apply((service) => service?.service ?? ''),
        role: 'roles/run.invoker',
        member: invoker.member,
      },
      // Do not make a Cloud Run service public before its function exists with the intended ingress.
      { ...opts, dependsOn: [fn] },
    );
    deployed[name] = { fn, invoker: grant };
  }
  return deployed;
}

/** Who may invoke a function's Cloud Run service, and the suffix of the grant's resource name. */
function invokerOf(trigger: Trigger, accounts: ServiceAccounts): { member: pulumi.Input<string>; suffix: string } {
  if (trigger.kind !== 'http') return { member: accounts.trigger.member, suffix: 'trigger-invoker' };
  switch (trigger.callers) {
    case 'anyone':
      return { member: 'allUsers', suffix: 'public' };
    case 'tasks':
      return { member: accounts.tasks.member, suffix: 'tasks-invoker' };
  }
}

/** Event triggers retry a failed delivery: every consumer is idempotent by event id. */
function eventTriggerOf(trigger: Trigger, args: FunctionsArgs): gcp.types.input.cloudfunctionsv2.FunctionEventTrigger {
  const common = { retryPolicy: 'RETRY_POLICY_RETRY', serviceAccountEmail: args.accounts.trigger.email };
  switch (trigger.kind) {
    case 'document-created':
      return {
        ...common,
        eventType: 'google.cloud.firestore.document.v1.created',
        // Firestore events are published in the database's location, so the trigger lives there.
        triggerRegion: args.config.firestore.location,
        eventFilters: [
          { attribute: 'database', value: args.firestore.database.name },
          { attribute: 'document', value: trigger.document, operator: 'match-path-pattern' },
        ],
      };
    case 'topic':
      return {
        ...common,
        eventType: 'google.cloud.pubsub.topic.v1.messagePublished',
        triggerRegion: args.config.region,
        pubsubTopic: args.messaging.topics[trigger.topic].path,
      };
    case 'http':
      throw new Error('An HTTP function has no event trigger.');
  }
}
