import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import type { CompositeIndexSpec, FieldOverrideSpec, FirestoreIndexFile } from './repo-files.ts';

export interface FirestoreArgs {
  project: string;
  database: string;
  location: string;
  protectData: boolean;
  indexes: FirestoreIndexFile;
  rules: string;
}

export interface FirestoreDeployment {
  database: gcp.firestore.Database;
  indexes: gcp.firestore.Index[];
  fields: gcp.firestore.Field[];
  release: gcp.firebaserules.Release;
}

/**
 * The Firestore database with the composite indexes and field overrides of firestore.indexes.json
 * (index exemptions and TTL policies, as `firebase deploy` reads them), and firestore.rules released on it.
 */
export function deployFirestore(args: FirestoreArgs, opts: pulumi.CustomResourceOptions): FirestoreDeployment {
  const database = new gcp.firestore.Database(
    'firestore',
    {
      project: args.project,
      name: args.database,
      locationId: args.location,
      type: 'FIRESTORE_NATIVE',
      // Bookings rely on transactions that lock what they read (docs/capacity.md), not on optimistic retries.
      concurrencyMode: 'PESSIMISTIC',
      pointInTimeRecoveryEnablement: 'POINT_IN_TIME_RECOVERY_ENABLED',
      deleteProtectionState: args.protectData ? 'DELETE_PROTECTION_ENABLED' : 'DELETE_PROTECTION_DISABLED',
      deletionPolicy: args.protectData ? 'ABANDON' : 'DELETE',
    },
    { ...opts, protect: args.protectData },
  );
  const inDatabase = { ...opts, dependsOn: [database] };
  const indexes = args.indexes.indexes.map(
    (index) =>
      new gcp.firestore.Index(
        indexResourceName(index),
        {
          project: args.project,
          database: database.name,
          collection: index.collectionGroup,
          queryScope: index.queryScope,
          fields: index.fields.map((field) => ({ ...field })),
        },
        inDatabase,
      ),
  );
  const overrides = (args.indexes.fieldOverrides ?? []).map(
    (override) =>
      new gcp.firestore.Field(
        `field-${override.collectionGroup}-${override.fieldPath}`,
        {
          project: args.project,
          database: database.name,
          collection: override.collectionGroup,
          field: override.fieldPath,
          indexConfig: indexConfigOf(override),
          ...(override.ttl ? { ttlConfig: {} } : {}),
        },
        inDatabase,
      ),
  );
  const ruleset = new gcp.firebaserules.Ruleset(
    'firestore-rules',
    { project: args.project, source: { files: [{ name: 'firestore.rules', content: args.rules }] } },
    inDatabase,
  );
  const release = new gcp.firebaserules.Release(
    'firestore-rules',
    {
      project: args.project,
      // The default database's release has the bare name; another database's carries its name.
      name: args.database === '(default)' ? 'cloud.firestore' : `cloud.firestore/${args.database}`,
      rulesetName: pulumi.interpolate`projects/${args.project}/rulesets/${ruleset.name}`,
    },
    inDatabase,
  );
  return { database, indexes, fields: overrides, release };
}

function indexResourceName(index: CompositeIndexSpec): string {
  const scope = index.queryScope === 'COLLECTION_GROUP' ? '-group' : '';
  const fields = index.fields.map(
    (f) => f.fieldPath + (f.order === 'DESCENDING' ? '.desc' : '') + (f.arrayConfig ? '.contains' : ''),
  );
  return `index-${index.collectionGroup}${scope}-${fields.join('-')}`;
}

/** An empty `indexes` list is an exemption: the empty config disables every single-field index. */
function indexConfigOf(override: FieldOverrideSpec): gcp.types.input.firestore.FieldIndexConfig {
  if (override.indexes.length === 0) return {};
  return {
    indexes: override.indexes.map((index) => ({
      ...index,
      queryScope: index.queryScope ?? 'COLLECTION',
    })),
  };
}
