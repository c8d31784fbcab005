import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { QueryShape } from '../../src/adapters/firestore/firestore-store.ts';

export interface IndexDefinition {
  collectionGroup: string;
  queryScope: string;
  fields: Array<{ fieldPath: string; order?: string; arrayConfig?: string }>;
}

export function loadIndexes(): IndexDefinition[] {
  const file = join(__dirname, '..', '..', '..', 'firestore.indexes.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { indexes: IndexDefinition[] }).indexes;
}

const RANGE = new Set(['<', '<=', '>', '>=', '!=', 'not-in']);

/**
 * The composite index a query needs, or null when Firestore serves it from single-field indexes
 * (equality filters only, merged; or filters and ordering on one field).
 */
export function requiredIndex(q: QueryShape): { equality: string[]; ordered: string[] } | null {
  const equality = [...new Set(q.filters.filter((f) => f.op === '==' || f.op === 'in').map((f) => f.field))];
  const ranged = [...new Set(q.filters.filter((f) => RANGE.has(f.op)).map((f) => f.field))];
  const ordered = [...new Set([...ranged, ...q.orderBy])];
  if (ordered.length === 0) return null;
  if (equality.length === 0 && ordered.length === 1) return null;
  return { equality: equality.filter((f) => !ordered.includes(f)), ordered };
}

/** Whether a declared index serves the query: its equality fields first (any order), then the ordered ones. */
export function findIndex(q: QueryShape, indexes: readonly IndexDefinition[]): IndexDefinition | null | 'none' {
  const need = requiredIndex(q);
  if (!need) return 'none';
  return (
    indexes.find((index) => {
      if (index.collectionGroup !== q.collection || index.queryScope !== 'COLLECTION') return false;
      const fields = index.fields.map((f) => f.fieldPath).filter((f) => f !== '__name__');
      if (fields.length !== need.equality.length + need.ordered.length) return false;
      const head = new Set(fields.slice(0, need.equality.length));
      return (
        need.equality.every((f) => head.has(f)) && need.ordered.every((f, i) => fields[need.equality.length + i] === f)
      );
    }) ?? null
  );
}

export const describeShape = (q: QueryShape) =>
  `${q.collection} where ${q.filters.map((f) => `${f.field} ${f.op}`).join(', ')}` +
  (q.orderBy.length ? ` order by ${q.orderBy.join(', ')}` : '');
