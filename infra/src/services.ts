import * as gcp from '@pulumi/gcp';

/** The Google APIs the deployment and the running functions call. */
export const REQUIRED_APIS = [
  'artifactregistry.googleapis.com', // images built from the functions' source
  'bigquery.googleapis.com',
  'cloudbuild.googleapis.com',
  'cloudfunctions.googleapis.com',
  'cloudscheduler.googleapis.com',
  'cloudtasks.googleapis.com',
  'compute.googleapis.com', // the edge: load balancer and Cloud Armor policy (edge.ts)
  'eventarc.googleapis.com',
  'firebaserules.googleapis.com',
  'firestore.googleapis.com',
  'iam.googleapis.com',
  'iamcredentials.googleapis.com', // signBlob, which signs the custom tokens of a session
  'identitytoolkit.googleapis.com', // Firebase Authentication
  'pubsub.googleapis.com',
  'run.googleapis.com', // 2nd-gen functions run as Cloud Run services
  'secretmanager.googleapis.com',
  'storage.googleapis.com',
  'monitoring.googleapis.com', // the objectives and alert policies (monitoring.ts)
] as const;

/**
 * Enables every required API in the project. Destroying the stack leaves them on: other workloads
 * of the project may use them, and turning an API off can delete data behind it.
 */
export function enableApis(project: string): gcp.projects.Service[] {
  return REQUIRED_APIS.map(
    (service) =>
      new gcp.projects.Service(service.split('.')[0] ?? service, { project, service, disableOnDestroy: false }),
  );
}
