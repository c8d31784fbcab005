import * as gcp from '@pulumi/gcp';
import type * as pulumi from '@pulumi/pulumi';

/** The identities the deployment runs as; none is the project's default compute account. */
export interface ServiceAccounts {
  /** What every function runs as: the only account that touches data. */
  runtime: gcp.serviceaccount.Account;
  /** What Eventarc pushes events to the event functions as. */
  trigger: gcp.serviceaccount.Account;
  /** Whose OIDC token Cloud Tasks attaches when it calls smsTasks, the only function it may invoke. */
  tasks: gcp.serviceaccount.Account;
  /** What Cloud Build builds the functions' images as. */
  builder: gcp.serviceaccount.Account;
}

/** Creates the service accounts; what each may do is granted in iam.ts. */
export function createServiceAccounts(project: string, opts: pulumi.CustomResourceOptions): ServiceAccounts {
  const account = (accountId: string, displayName: string, description: string) =>
    new gcp.serviceaccount.Account(accountId, { project, accountId, displayName, description }, opts);
  return {
    runtime: account(
      'ereg-functions',
      'e-Registration functions',
      'Runtime identity of every e-Registration Cloud Function',
    ),
    trigger: account(
      'ereg-triggers',
      'e-Registration event triggers',
      'Eventarc delivers Firestore and Pub/Sub events to the event functions as this account',
    ),
    tasks: account(
      'ereg-tasks',
      'e-Registration Cloud Tasks',
      'Cloud Tasks calls the smsTasks function with an OIDC token of this account',
    ),
    builder: account('ereg-builder', 'e-Registration builds', 'Cloud Build builds the functions as this account'),
  };
}
