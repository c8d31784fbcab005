import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { QueryOrder, QueryShape } from '../../src/adapters/firestore/firestore-store.ts';

export interface IndexDefinition {
  collectionGroup: string;
  queryScope: string;
  fields: Array<{ fieldPath: string; order?: string; arrayConfig?: string }>;
}

interface FieldOverride {
  collectionGroup: string;
  fieldPath: string;
  indexes: unknown[];
  ttl?: boolean;
}

const readIndexFile = (): { indexes: IndexDefinition[]; fieldOverrides?: FieldOverride[] } =>
  JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'firestore.indexes.json'), 'utf8'));

export function loadIndexes(): IndexDefinition[] {
  return readIndexFile().indexes;
}

/** Fields exempted from single-field indexing (`indexes: []`), as `collection.field`. */
export function loadExemptions(): Set<string> {
  return new Set(
    (readIndexFile().fieldOverrides ?? [])
      .filter((o) => o.indexes.length === 0)
      .map((o) => `${o.collectionGroup}.${o.fieldPath}`),
  );
}

const RANGE = new Set(['<', '<=', '>', '>=', '!=', 'not-in']);

const ORDER = { asc: 'ASCENDING', desc: 'DESCENDING' } as const;

/**
 * The composite index a query needs, or null when Firestore serves it from single-field indexes
 * (equality filters only, merged; or filters and ordering on one field, either way). A range-filtered
 * field that the query does not order by is ordered ascending, first.
 */
export function requiredIndex(q: QueryShape): { equality: string[]; ordered: QueryOrder[] } | null {
  const equality = [...new Set(q.filters.filter((f) => f.op === '==' || f.op === 'in').map((f) => f.field))];
  const ranged = [...new Set(q.filters.filter((f) => RANGE.has(f.op)).map((f) => f.field))];
  const ordered: QueryOrder[] = [];
  for (const order of [
    ...ranged.map((field) => q.orderBy.find((o) => o.field === field) ?? { field, direction: 'asc' as const }),
    ...q.orderBy,
  ]) {
    if (!ordered.some((o) => o.field === order.field)) ordered.push(order);
  }
  if (ordered.length === 0) return null;
  if (equality.length === 0 && ordered.length === 1) return null;
  return { equality: equality.filter((f) => !ordered.some((o) => o.field === f)), ordered };
}

/**
 * Whether a declared index serves the query: its equality fields first (any order), then the ordered
 * ones in their directions. A query that single-field indexes serve ('none') needs those indexes: one
 * on a field exempted from indexing is served by nothing (null).
 */
export function findIndex(
  q: QueryShape,
  indexes: readonly IndexDefinition[],
  exemptions: ReadonlySet<string> = new Set(),
): IndexDefinition | null | 'none' {
  const need = requiredIndex(q);
  if (!need) {
    const fields = [...q.filters.map((f) => f.field), ...q.orderBy.map((o) => o.field)];
    return fields.some((field) => exemptions.has(`${q.collection}.${field}`)) ? null : 'none';
  }
  return (
    indexes.find((index) => {
      if (index.collectionGroup !== q.collection || index.queryScope !== 'COLLECTION') return false;
      const fields = index.fields.filter((f) => f.fieldPath !== '__name__');
      if (fields.length !== need.equality.length + need.ordered.length) return false;
      const head = new Set(fields.slice(0, need.equality.length).map((f) => f.fieldPath));
      return (
        need.equality.every((f) => head.has(f)) &&
        need.ordered.every((o, i) => {
          const field = fields[need.equality.length + i];
          return field?.fieldPath === o.field && (field.order ?? 'ASCENDING') === ORDER[o.direction];
        })
      );
    }) ?? null
  );
}

export const describeShape = (q: QueryShape) =>
  `${q.collection} where ${q.filters.map((f) => `${f.field} ${f.op}`).join(', ')}` +
  (q.orderBy.length ? ` order by ${q.orderBy.map((o) => `${o.field} ${o.direction}`).join(', ')}` : '');
