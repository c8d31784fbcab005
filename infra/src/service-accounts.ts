import * as gcp from '@pulumi/gcp';
import type * as pulumi from '@pulumi/pulumi';
import { DEPLOYED_FUNCTION_NAMES, type DeployedFunctionName, FUNCTION_SPECS } from './function-specs.ts';

/** The identities the deployment runs as; none is the project's default compute account. */
export interface ServiceAccounts {
  /**
   * What each function runs as, one account per function: each holds only what its own code reaches
   * (FUNCTION_SPECS `access`), so a flaw in the public `search` cannot write Firestore or read a secret.
   */
  functions: Record<DeployedFunctionName, gcp.serviceaccount.Account>;
  /** What Eventarc pushes events to the event functions as. */
  trigger: gcp.serviceaccount.Account;
  /** Whose OIDC token Cloud Tasks attaches when it calls smsTasks, the only function it may invoke. */
  tasks: gcp.serviceaccount.Account;
  /** What Cloud Build builds the functions' images as. */
  builder: gcp.serviceaccount.Account;
}

/** A function's account id: `ereg-fn-` and its name in kebab case (`smsTasks` → `ereg-fn-sms-tasks`), at most 30 characters. */
export function functionAccountId(name: DeployedFunctionName): string {
  const id = `ereg-fn-${name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
  if (id.length > 30) throw new Error(`The account id ${id} of ${name} is longer than the 30 characters IAM allows.`);
  return id;
}

/** Creates the service accounts; what each may do is granted in iam.ts. */
export function createServiceAccounts(project: string, opts: pulumi.CustomResourceOptions): ServiceAccounts {
  const account = (accountId: string, displayName: string, description: string) =>
    new gcp.serviceaccount.Account(accountId, { project, accountId, displayName, description }, opts);
  const functions = Object.fromEntries(
    DEPLOYED_FUNCTION_NAMES.map((name) => [
      name,
      account(
        functionAccountId(name),
        `e-Registration ${name}`,
        `Runtime identity of the ${name} function: ${FUNCTION_SPECS[name].description}`.slice(0, 256),
      ),
    ]),
  ) as Record<DeployedFunctionName, gcp.serviceaccount.Account>;
  return {
    functions,
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
