// Assembles the directory Cloud Functions builds from (the Pulumi program uploads it as the source):
//
//   dist/                 the compiled functions (functions/dist without tests or declarations)
//   vendor/shared/        @ereg/shared as compiled JavaScript, with a package.json of its own
//   package.json          main dist/index.js; the functions' dependencies + "@ereg/shared": "file:vendor/shared"
//   package-lock.json     the versions this repository installs and tests, cut from the root lockfile
//
// The Cloud Functions build runs `npm ci` on it, so production gets the dependency tree the tests ran on.
// Usage: node scripts/package-functions.mjs [--out DIR]   (default .build/functions)
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const repoRoot = resolve(import.meta.dirname, '..');
const { values: options } = parseArgs({ options: { out: { type: 'string' } } });
const out = resolve(options.out ?? join(repoRoot, '.build', 'functions'));
const SHARED_DIR = 'vendor/shared';

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
const writeJson = (path, value) => writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);

function build() {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-b', join(repoRoot, 'functions', 'tsconfig.json')], {
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    console.error('package-functions: tsc -b failed; nothing was packaged.');
    process.exit(result.status ?? 1);
  }
}

/**
 * Copies the compiled JavaScript (and its source maps) of every non-test source file. Output whose
 * source is gone (tsc -b leaves it behind) is not copied, so nothing stale is deployed.
 */
function copyCompiled(workspace, target) {
  const src = join(repoRoot, workspace, 'src');
  const dist = join(repoRoot, workspace, 'dist');
  let copied = 0;
  for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.json')) {
      // Data files the modules import (JSON imports), as they are in the sources.
      const path = relative(src, join(entry.parentPath, entry.name));
      mkdirSync(dirname(join(target, path)), { recursive: true });
      copyFileSync(join(src, path), join(target, path));
      continue;
    }
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.d.ts')) continue;
    if (/\.test\.ts$/.test(entry.name)) continue;
    const path = relative(src, join(entry.parentPath, entry.name)).replace(/\.ts$/, '.js');
    for (const file of [path, `${path}.map`]) {
      if (!existsSync(join(dist, file))) {
        if (file === path) throw new Error(`${workspace}/dist/${file} is missing: did tsc -b emit it?`);
        continue;
      }
      mkdirSync(dirname(join(target, file)), { recursive: true });
      copyFileSync(join(dist, file), join(target, file));
    }
    copied++;
  }
  return copied;
}

/** The location npm resolves `name` to from the package at `from`, as in the lockfile's tree. */
function resolveIn(packages, from, name) {
  let base = from;
  for (;;) {
    const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!base) return undefined;
    const i = base.lastIndexOf('node_modules/');
    base = i <= 0 ? '' : base.slice(0, i - 1);
  }
}

/**
 * The part of the root lockfile that `roots` (dependency names, each resolved from a workspace)
 * reach, at the same locations: the deployment installs the versions the repository tested.
 */
function cutLockfile(rootLock, roots) {
  const packages = rootLock.packages;
  const picked = {};
  const visit = (from, name, optional) => {
    const location = resolveIn(packages, from, name);
    if (!location) {
      if (optional) return;
      throw new Error(`package-lock.json resolves no ${name} for ${from || 'the root'}; run npm install.`);
    }
    if (!location.startsWith('node_modules/')) {
      throw new Error(`${name} is installed under ${location}, which the deployment cannot reproduce; run npm dedupe.`);
    }
    if (picked[location]) return;
    const entry = packages[location];
    if (entry.link) throw new Error(`${name} is a link (${entry.resolved}) in package-lock.json; vendor it instead.`);
    const { dev: _dev, devOptional, ...kept } = entry;
    picked[location] = devOptional ? { ...kept, optional: true } : kept;
    for (const dep of Object.keys(entry.dependencies ?? {})) visit(location, dep, false);
    for (const dep of Object.keys(entry.optionalDependencies ?? {})) visit(location, dep, true);
    for (const dep of Object.keys(entry.peerDependencies ?? {})) {
      visit(location, dep, entry.peerDependenciesMeta?.[dep]?.optional === true);
    }
  };
  for (const { from, name } of roots) visit(from, name, false);
  return picked;
}

const sortKeys = (object) => Object.fromEntries(Object.entries(object).sort(([a], [b]) => a.localeCompare(b)));

build();
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const functionsPackage = readJson(join(repoRoot, 'functions', 'package.json'));
const sharedPackage = readJson(join(repoRoot, 'shared', 'package.json'));
const functionFiles = copyCompiled('functions', join(out, 'dist'));
const sharedFiles = copyCompiled('shared', join(out, SHARED_DIR, 'dist'));

const sharedManifest = {
  name: sharedPackage.name,
  version: sharedPackage.version,
  private: true,
  description: sharedPackage.description,
  type: 'module',
  exports: { '.': { default: './dist/index.js' } },
  dependencies: sharedPackage.dependencies ?? {},
};
writeJson(join(out, SHARED_DIR, 'package.json'), sharedManifest);

const dependencies = sortKeys({ ...functionsPackage.dependencies, [sharedPackage.name]: `file:${SHARED_DIR}` });
const manifest = {
  name: functionsPackage.name,
  version: functionsPackage.version,
  private: true,
  description: `${functionsPackage.description} (the deployable build)`,
  type: 'module',
  main: 'dist/index.js',
  dependencies,
};
writeJson(join(out, 'package.json'), manifest);

const rootLock = readJson(join(repoRoot, 'package-lock.json'));
const installed = cutLockfile(rootLock, [
  ...Object.keys(functionsPackage.dependencies).map((name) => ({ from: 'functions', name })),
  ...Object.keys(sharedManifest.dependencies).map((name) => ({ from: 'shared', name })),
]);
writeJson(join(out, 'package-lock.json'), {
  name: manifest.name,
  version: manifest.version,
  lockfileVersion: 3,
  requires: true,
  packages: {
    '': { name: manifest.name, version: manifest.version, dependencies },
    ...sortKeys({
      ...installed,
      [`node_modules/${sharedPackage.name}`]: { resolved: SHARED_DIR, link: true },
      [SHARED_DIR]: {
        name: sharedManifest.name,
        version: sharedManifest.version,
        dependencies: sharedManifest.dependencies,
      },
    }),
  },
});

console.log(
  `package-functions: ${relative(process.cwd(), out) || '.'} — ${functionFiles} function modules, ` +
    `${sharedFiles} shared modules, ${Object.keys(installed).length} locked packages.`,
);
