import * as gcp from '@pulumi/gcp';
import type * as pulumi from '@pulumi/pulumi';
import type { Analytics } from './analytics.ts';
import type { Messaging } from './messaging.ts';
import { type DeployedSecret, secretIdOf } from './secrets.ts';
import type { ServiceAccounts } from './service-accounts.ts';

export interface AccessArgs {
  project: string;
  accounts: ServiceAccounts;
  messaging: Messaging;
  analytics: Analytics;
  secrets: DeployedSecret[];
}

/**
 * The custom role behind `grantRole` (firebase-admin `setCustomUserClaims`): updating a user's claims
 * is all the functions do to Firebase Authentication users, where Firebase Authentication Admin would
 * also let them create, delete, import and export every account. Verifying ID tokens needs no role,
 * and minting custom tokens needs only signBlob as the runtime account itself.
 */
export const SESSION_CLAIMS_PERMISSIONS = ['firebaseauth.users.update'];

/**
 * What each account may do, granted on the narrowest resource that serves: the runtime account
 * reads and writes Firestore, publishes to the events topic, streams into the events dataset,
 * creates and deletes reminder tasks (as the tasks account), reads its secrets and signs its own
 * custom tokens; the trigger account receives events (it invokes the event functions, functions.ts);
 * the builder account writes build logs and images. Returns the grants, which functions wait for.
 */
export function grantAccess(args: AccessArgs, opts: pulumi.CustomResourceOptions): pulumi.Resource[] {
  const { project, accounts, messaging, analytics } = args;
  const runtime = accounts.runtime.member;
  const onProject = (name: string, member: pulumi.Input<string>, role: pulumi.Input<string>) =>
    new gcp.projects.IAMMember(name, { project, member, role }, opts);

  const sessionClaims = new gcp.projects.IAMCustomRole(
    'session-claims',
    {
      project,
      roleId: 'eregSessionClaims',
      title: 'e-Registration session claims',
      description: 'Sets the role claims of Firebase Authentication users',
      permissions: SESSION_CLAIMS_PERMISSIONS,
    },
    opts,
  );

  return [
    // Firestore's IAM stops at the project: a condition on the database name is the only narrowing,
    // and the project holds no other database.
    onProject('functions-datastore-user', runtime, 'roles/datastore.user'),
    onProject('functions-session-claims', runtime, sessionClaims.name),
    new gcp.serviceaccount.IAMMember(
      'functions-sign-own-tokens',
      { serviceAccountId: accounts.runtime.name, role: 'roles/iam.serviceAccountTokenCreator', member: runtime },
      opts,
    ),
    new gcp.pubsub.TopicIAMMember(
      'functions-publish-events',
      { project, topic: messaging.topics.events.topic.name, role: 'roles/pubsub.publisher', member: runtime },
      opts,
    ),
    new gcp.bigquery.DatasetIamMember(
      'functions-stream-events',
      { project, datasetId: analytics.dataset.datasetId, role: 'roles/bigquery.dataEditor', member: runtime },
      opts,
    ),
    ...['roles/cloudtasks.enqueuer', 'roles/cloudtasks.taskDeleter'].map(
      (role) =>
        new gcp.cloudtasks.QueueIamMember(
          `functions-${role.split('.')[1]}-reminders`,
          {
            project,
            location: messaging.reminders.location,
            name: messaging.reminders.name,
            role,
            member: runtime,
          },
          opts,
        ),
    ),
    // A task carrying the tasks account's OIDC token may be created only by who may act as it.
    new gcp.serviceaccount.IAMMember(
      'functions-act-as-tasks',
      { serviceAccountId: accounts.tasks.name, role: 'roles/iam.serviceAccountUser', member: runtime },
      opts,
    ),
    ...args.secrets.map(
      ({ variable, secret }) =>
        new gcp.secretmanager.SecretIamMember(
          `functions-read-${secretIdOf(variable)}`,
          { project, secretId: secret.secretId, role: 'roles/secretmanager.secretAccessor', member: runtime },
          opts,
        ),
    ),
    onProject('triggers-event-receiver', accounts.trigger.member, 'roles/eventarc.eventReceiver'),
    // The roles the Cloud Functions documentation lists for a build account: logs, images, and the
    // uploaded source in the buckets Cloud Functions creates itself (whose names this program cannot know).
    ...['roles/logging.logWriter', 'roles/artifactregistry.writer', 'roles/storage.objectAdmin'].map((role) =>
      onProject(`builder-${role.split('/')[1]?.replace('.', '-')}`, accounts.builder.member, role),
    ),
  ];
}
