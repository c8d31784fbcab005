import * as gcp from '@pulumi/gcp';
import type * as pulumi from '@pulumi/pulumi';
import type { Analytics } from './analytics.ts';
import { DEPLOYED_FUNCTION_NAMES, type DeployedFunctionName, FUNCTION_SPECS } from './function-specs.ts';
import type { Messaging } from './messaging.ts';
import { type DeployedSecret, secretIdOf } from './secrets.ts';
import type { ServiceAccounts } from './service-accounts.ts';

export interface AccessArgs {
  project: string;
  accounts: ServiceAccounts;
  messaging: Messaging;
  analytics: Analytics;
  secrets: DeployedSecret[];
  /** The bucket the packaged functions are uploaded to (source.ts): the builder reads it. */
  sourceBucket: gcp.storage.Bucket;
}

/**
 * The custom role of the functions that keep centre staff's sign-in accounts (FirebaseStaffAccounts:
 * create a member's account, update its e-mail, name and role claims, revoke its refresh tokens and
 * disable it; `grantRole` sets claims too): create and update, where Firebase Authentication Admin
 * would also let them delete, import and export every account. Verifying ID tokens needs no role,
 * and minting custom tokens needs only signBlob as the runtime account itself.
 */
export const SESSION_CLAIMS_PERMISSIONS = ['firebaseauth.users.create', 'firebaseauth.users.update'];

/** The buckets Cloud Functions keeps its own copies of sources and build caches in (`gcf-v2-sources-…`, `gcf-v2-uploads-…`). */
export const CLOUD_FUNCTIONS_BUCKETS = 'projects/_/buckets/gcf-v2-';

/**
 * What each account may do, granted on the narrowest resource that serves: each function's account
 * only what its code reaches (FUNCTION_SPECS `access`): Firestore read or read-write, publishing to
 * the events topic, streaming into the events dataset, querying or writing the warehouse, creating
 * (and deleting) send tasks as the tasks account, reading the secrets it mounts, signing its own
 * custom tokens, keeping staff accounts; the
 * trigger account receives events (it invokes the event functions, functions.ts); the builder account
 * writes build logs and images and reads the uploaded source. Returns the grants, which functions wait for.
 */
export function grantAccess(args: AccessArgs, opts: pulumi.CustomResourceOptions): pulumi.Resource[] {
  const { project, accounts, messaging, analytics } = args;
  const onProject = (name: string, member: pulumi.Input<string>, role: pulumi.Input<string>) =>
    new gcp.projects.IAMMember(name, { project, member, role }, opts);

  const sessionClaims = new gcp.projects.IAMCustomRole(
    'session-claims',
    {
      project,
      roleId: 'eregSessionClaims',
      title: 'e-Registration staff accounts',
      description: 'Creates and updates Firebase Authentication users: role claims, disabling, revoking',
      permissions: SESSION_CLAIMS_PERMISSIONS,
    },
    opts,
  );

  const grantsOf = (name: DeployedFunctionName): pulumi.Resource[] => {
    const access = FUNCTION_SPECS[name].access;
    const account = accounts.functions[name];
    const member = account.member;
    // Every function writes its spans to Cloud Trace and its metrics to Cloud Monitoring (docs/logs-and-traces.md,
    // docs/metrics.md): write-only roles, which read nothing.
    const grants: pulumi.Resource[] = [
      onProject(`${name}-trace-agent`, member, 'roles/cloudtrace.agent'),
      onProject(`${name}-metric-writer`, member, 'roles/monitoring.metricWriter'),
    ];
    // Firestore's IAM stops at the project: a condition on the database name is the only narrowing,
    // and the project holds no other database.
    if (access.firestore !== 'none') {
      const role = access.firestore === 'read' ? 'roles/datastore.viewer' : 'roles/datastore.user';
      grants.push(onProject(`${name}-datastore-${access.firestore}`, member, role));
    }
    if (access.setClaims) grants.push(onProject(`${name}-session-claims`, member, sessionClaims.name));
    if (access.signTokens) {
      grants.push(
        new gcp.serviceaccount.IAMMember(
          `${name}-sign-own-tokens`,
          { serviceAccountId: account.name, role: 'roles/iam.serviceAccountTokenCreator', member },
          opts,
        ),
      );
    }
    if (access.publishEvents) {
      grants.push(
        new gcp.pubsub.TopicIAMMember(
          `${name}-publish-events`,
          { project, topic: messaging.topics.events.topic.name, role: 'roles/pubsub.publisher', member },
          opts,
        ),
      );
    }
    if (access.streamAnalytics) {
      grants.push(
        new gcp.bigquery.DatasetIamMember(
          `${name}-stream-events`,
          { project, datasetId: analytics.dataset.datasetId, role: 'roles/bigquery.dataEditor', member },
          opts,
        ),
      );
    }
    if (access.warehouse) {
      const datasetRole = access.warehouse === 'query' ? 'roles/bigquery.dataViewer' : 'roles/bigquery.dataEditor';
      grants.push(
        new gcp.bigquery.DatasetIamMember(
          `${name}-warehouse-${access.warehouse}`,
          { project, datasetId: analytics.dataset.datasetId, role: datasetRole, member },
          opts,
        ),
      );
      // A query and a load each run as a job, and jobs belong to the project, not to a dataset.
      grants.push(onProject(`${name}-bigquery-jobs`, member, 'roles/bigquery.jobUser'));
    }
    if (access.tasks) {
      const roles = [
        'roles/cloudtasks.enqueuer',
        ...(access.tasks === 'cancel' ? ['roles/cloudtasks.taskDeleter'] : []),
      ];
      for (const role of roles) {
        grants.push(
          new gcp.cloudtasks.QueueIamMember(
            `${name}-${role.split('.')[1]}-reminders`,
            { project, location: messaging.reminders.location, name: messaging.reminders.name, role, member },
            opts,
          ),
        );
      }
      // A task carrying the tasks account's OIDC token may be created only by who may act as it.
      grants.push(
        new gcp.serviceaccount.IAMMember(
          `${name}-act-as-tasks`,
          { serviceAccountId: accounts.tasks.name, role: 'roles/iam.serviceAccountUser', member },
          opts,
        ),
      );
    }
    for (const { variable, secret } of args.secrets.filter((s) => access.secrets.includes(s.variable))) {
      grants.push(
        new gcp.secretmanager.SecretIamMember(
          `${name}-read-${secretIdOf(variable)}`,
          { project, secretId: secret.secretId, role: 'roles/secretmanager.secretAccessor', member },
          opts,
        ),
      );
    }
    return grants;
  };

  const builder = accounts.builder.member;
  return [
    ...DEPLOYED_FUNCTION_NAMES.flatMap(grantsOf),
    onProject('triggers-event-receiver', accounts.trigger.member, 'roles/eventarc.eventReceiver'),
    // The roles the Cloud Functions documentation lists for a build account: logs and images project-wide
    // (Cloud Functions names its image repositories itself); objects only in the uploaded source's bucket
    // and in the buckets Cloud Functions creates itself, whose names this program cannot know but whose
    // prefix it does: never the project's other buckets, and never the buckets themselves.
    ...['roles/logging.logWriter', 'roles/artifactregistry.writer'].map((role) =>
      onProject(`builder-${role.split('/')[1]?.replace('.', '-')}`, builder, role),
    ),
    new gcp.storage.BucketIAMMember(
      'builder-read-source',
      { bucket: args.sourceBucket.name, role: 'roles/storage.objectViewer', member: builder },
      opts,
    ),
    new gcp.projects.IAMMember(
      'builder-cloud-functions-buckets',
      {
        project,
        member: builder,
        role: 'roles/storage.objectAdmin',
        condition: {
          title: 'Cloud Functions buckets only',
          description: 'Objects of the gcf-v2-* buckets Cloud Functions keeps sources and build caches in',
          expression: `resource.name.startsWith("${CLOUD_FUNCTIONS_BUCKETS}")`,
        },
      },
      opts,
    ),
  ];
}
