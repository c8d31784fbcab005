import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';

/**
 * A digest of every file under `dir` (paths and contents, in a fixed order). It names the uploaded
 * archive, so new code is a new object and every function is rebuilt from it; the same code keeps
 * the same name and nothing is rebuilt.
 */
export function hashDirectory(dir: string): string {
  if (!existsSync(join(dir, 'package.json'))) {
    throw new Error(`No packaged functions in ${dir}: run \`npm run package:functions\` at the repository root first.`);
  }
  const hash = createHash('sha256');
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/'))
    .sort();
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(join(dir, file)));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

export interface FunctionSource {
  bucket: gcp.storage.Bucket;
  object: gcp.storage.BucketObject;
}

/** Uploads the packaged functions directory as a zip archive to a private bucket. */
export function deployFunctionSource(
  args: { project: string; region: string; dir: string },
  opts: pulumi.CustomResourceOptions,
): FunctionSource {
  const bucket = new gcp.storage.Bucket(
    'functions-source',
    {
      project: args.project,
      location: args.region,
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      forceDestroy: true,
    },
    opts,
  );
  const object = new gcp.storage.BucketObject(
    'functions-source',
    {
      bucket: bucket.name,
      name: `functions-${hashDirectory(args.dir)}.zip`,
      source: new pulumi.asset.FileArchive(args.dir),
    },
    opts,
  );
  return { bucket, object };
}
