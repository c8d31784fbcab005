// Builds the web apps when their sources changed since their last build, so `npm start` and `npm test`
// always serve the current apps without rebuilding needlessly: the patients' app (web/patient →
// web/patient/dist, served from `/`), the centres' app (web/centre → web/centre/dist, served from
// `/centre/`), the hotline console (web/agent → web/agent/dist, served from `/agent/`) and the reports'
// dashboard (web/reports → web/reports/dist, served from `/reports/`) and the ministry's administration
// (web/admin → web/admin/dist, served from `/admin/`). The site is one folder, web/patient/dist, as
// Firebase Hosting wants it: the other apps' builds are copied into it as `centre/`, `agent/`,
// `reports/` and `admin/`. Every text file of 1 KiB or more gets a Brotli (.br) and a gzip
// (.gz) copy beside it, compressed once here at the highest levels, which the local server sends to
// browsers that accept them.
// Usage: node scripts/build-web.mjs [--force]
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const common = ['web/shared', 'web/package.json', 'shared/src', 'shared/package.json', 'scripts/build-web.mjs'];
const APPS = [
  { name: "patients' app", dir: 'web/patient', sources: ['web/patient', ...common] },
  { name: "centres' app", dir: 'web/centre', sources: ['web/centre', ...common], site: 'centre' },
  { name: 'hotline console', dir: 'web/agent', sources: ['web/agent', ...common], site: 'agent' },
  { name: "reports' dashboard", dir: 'web/reports', sources: ['web/reports', ...common], site: 'reports' },
  { name: 'administration', dir: 'web/admin', sources: ['web/admin', ...common], site: 'admin' },
];
/** Where an app's build sits inside the site (the patients' app is the site). */
const siteFolderOf = (app) => join(root, 'web/patient/dist', app.site);
const skipped = new Set(['dist', 'node_modules']);
const force = process.argv.includes('--force');

function* files(path) {
  if (!existsSync(path)) return;
  if (statSync(path).isFile()) {
    yield path;
    return;
  }
  for (const entry of readdirSync(path).sort()) {
    if (skipped.has(entry) || entry.endsWith('.test.ts') || entry.endsWith('.test.tsx')) continue;
    yield* files(join(path, entry));
  }
}

function digestOf(sources) {
  const hash = createHash('sha256');
  for (const source of sources) {
    for (const file of files(join(root, source))) hash.update(relative(root, file)).update(readFileSync(file));
  }
  return hash.digest('hex');
}

const stampOf = (app) => join(root, app.dir, 'dist/.source-hash');
const fresh = (app, digest) => existsSync(stampOf(app)) && readFileSync(stampOf(app), 'utf8') === digest;
/** The site holds an app's build as it is now (its stamp copied with it). */
const placed = (app, digest) => {
  const stamp = join(siteFolderOf(app), '.source-hash');
  return existsSync(stamp) && readFileSync(stamp, 'utf8') === digest;
};
const allPlaced = () => APPS.every((app, i) => !app.site || placed(app, digests[i]));

const digests = APPS.map((app) => digestOf(app.sources));
const upToDate = () => !force && APPS.every((app, i) => fresh(app, digests[i])) && allPlaced();
if (upToDate()) process.exit(0);

// One build at a time (test files that need the apps may ask for them at once): a lock directory.
const lock = join(root, 'web/.build-lock');
const waitUntil = Date.now() + 180_000;
for (;;) {
  try {
    mkdirSync(lock);
    break;
  } catch {
    if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 300_000)
      rmSync(lock, { recursive: true, force: true });
    if (Date.now() > waitUntil) {
      console.error(`Another build holds ${lock}; remove it if no build is running.`);
      process.exit(1);
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
  }
}
process.on('exit', () => rmSync(lock, { recursive: true, force: true }));
if (upToDate()) process.exit(0);

const COMPRESSIBLE = /\.(html|js|css|json|webmanifest|svg|map|txt)$/;
const vite = join(root, 'node_modules/vite/bin/vite.js');

function build(app, digest) {
  console.log(`Building the ${app.name}…`);
  const started = Date.now();
  const run = spawnSync(
    process.execPath,
    [vite, 'build', '--config', `${app.dir}/vite.config.ts`, '--logLevel', 'warn'],
    { cwd: root, stdio: 'inherit' },
  );
  if (run.status !== 0) {
    console.error(`The ${app.name} did not build (see above).`);
    process.exit(run.status ?? 1);
  }
  const dist = join(root, app.dir, 'dist');
  for (const file of files(dist)) {
    if (!COMPRESSIBLE.test(file)) continue;
    const body = readFileSync(file);
    if (body.length < 1024) continue;
    writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
    writeFileSync(
      `${file}.br`,
      brotliCompressSync(body, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
      }),
    );
  }
  writeFileSync(stampOf(app), digest);
  console.log(`Built ${app.dir}/dist in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

APPS.forEach((app, i) => {
  if (force || !fresh(app, digests[i])) build(app, digests[i]);
});
// The patients' build empties its folder: the other apps go (back) into it.
APPS.forEach((app, i) => {
  if (!app.site || (!force && placed(app, digests[i]))) return;
  rmSync(siteFolderOf(app), { recursive: true, force: true });
  cpSync(join(root, app.dir, 'dist'), siteFolderOf(app), { recursive: true });
});
