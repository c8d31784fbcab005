import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The repository root: the program deploys files that the functions' code and tests also read. */
export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

/** A composite index as firestore.indexes.json (the Firebase CLI format) declares it. */
export interface CompositeIndexSpec {
  collectionGroup: string;
  queryScope: 'COLLECTION' | 'COLLECTION_GROUP';
  fields: Array<{ fieldPath: string; order?: 'ASCENDING' | 'DESCENDING'; arrayConfig?: 'CONTAINS' }>;
}

/** A single-field index override; `indexes: []` exempts the field from indexing. */
export interface FieldOverrideSpec {
  collectionGroup: string;
  fieldPath: string;
  ttl?: boolean;
  indexes: Array<{
    order?: 'ASCENDING' | 'DESCENDING';
    arrayConfig?: 'CONTAINS';
    queryScope?: 'COLLECTION' | 'COLLECTION_GROUP';
  }>;
}

export interface FirestoreIndexFile {
  indexes: CompositeIndexSpec[];
  fieldOverrides?: FieldOverrideSpec[];
}

/** One column of a BigQuery table schema (the JSON form `bq` and the API use). */
export interface BigQueryColumn {
  name: string;
  type: string;
  mode?: 'NULLABLE' | 'REQUIRED' | 'REPEATED';
  description?: string;
}

const read = (path: string) => readFileSync(resolve(REPO_ROOT, path), 'utf8');

/** firestore.indexes.json at the repository root. */
export function readFirestoreIndexes(): FirestoreIndexFile {
  return JSON.parse(read('firestore.indexes.json')) as FirestoreIndexFile;
}

/** firestore.rules at the repository root. */
export function readFirestoreRules(): string {
  return read('firestore.rules');
}

/** The events table's schema, shared with the BigQuery sink that streams into it. */
export function readEventsSchema(): BigQueryColumn[] {
  return JSON.parse(read('functions/src/adapters/bigquery/events-schema.json')) as BigQueryColumn[];
}
