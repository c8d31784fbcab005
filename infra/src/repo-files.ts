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

/** Where a warehouse table's schema is kept: beside the BigQuery sink, `<table in kebab case>-schema.json`. */
export function tableSchemaPath(table: string): string {
  return `functions/src/adapters/bigquery/${table.replaceAll('_', '-')}-schema.json`;
}

/** A warehouse table's schema; the events table's is shared with the BigQuery sink that streams into it. */
export function readTableSchema(table: string): BigQueryColumn[] {
  return JSON.parse(read(tableSchemaPath(table))) as BigQueryColumn[];
}

/** The schemas of `tables`, by table. */
export function readTableSchemas<T extends string>(tables: readonly T[]): Record<T, BigQueryColumn[]> {
  return Object.fromEntries(tables.map((table) => [table, readTableSchema(table)])) as Record<T, BigQueryColumn[]>;
}
