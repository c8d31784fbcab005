import { join } from 'node:path';

// What the infrastructure program's tests check the deployment against: the functions' configuration
// loader, the task queue's request shape, the collections with a TTL and the events table's schema.
export { CloudTasksQueue, type TasksApi } from './adapters/cloud-tasks/cloud-tasks-queue.ts';
export { BOOKING_METERS_COLLECTION } from './adapters/firestore/firestore-booking-meter.ts';
export { RATE_LIMITS_COLLECTION } from './adapters/firestore/firestore-rate-limiter.ts';
export { COLLECTIONS, TTL_FIELDS } from './adapters/firestore/firestore-store.ts';
export { PROCESSED_EVENTS } from './adapters/firestore/processed-events.ts';
// The warehouse's views: their files, read and checked as the deployment makes them into BigQuery views.
export {
  codeOf,
  DATASET_ID,
  orderViews,
  parseViewFile,
  qualifyQuery,
  readViewFiles,
  VIEWS_DIR,
  type ViewFile,
} from './reports/view-files.ts';
export { type CloudConfig, CloudConfigSchema, loadCloudConfig } from './runtime/cloud/config.ts';

/** The BigQuery events table's schema file, which the BigQuery sink writes rows for. */
export const EVENTS_SCHEMA_PATH = join(import.meta.dirname, 'adapters', 'bigquery', 'events-schema.json');
