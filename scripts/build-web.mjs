// Builds the patients' web app (web/patient → web/patient/dist) when its sources changed since the
// last build, so `npm start` and `npm test` always serve the current app without rebuilding needlessly.
// Every text file of the build of 1 KiB or more gets a Brotli (.br) and a gzip (.gz) copy beside it,
// compressed once here at the highest levels, which the local server sends to browsers that accept them.
// Usage: node scripts/build-web.mjs [--force]
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'web/patient/dist');
const stamp = join(dist, '.source-hash');
const sources = [
  'web/patient',
  'web/shared',
  'web/package.json',
  'shared/src',
  'shared/package.json',
  'scripts/build-web.mjs',
];
const skipped = new Set(['dist', 'node_modules']);

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

const hash = createHash('sha256');
for (const source of sources) {
  for (const file of files(join(root, source))) hash.update(relative(root, file)).update(readFileSync(file));
}
const digest = hash.digest('hex');

const fresh = () => existsSync(stamp) && readFileSync(stamp, 'utf8') === digest;
if (!process.argv.includes('--force') && fresh()) process.exit(0);

// One build at a time (test files that need the app may ask for it at once): a lock directory.
const lock = join(root, 'web/patient/.build-lock');
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
if (!process.argv.includes('--force') && fresh()) process.exit(0);
console.log("Building the patients' web app…");
const started = Date.now();
const vite = join(root, 'node_modules/vite/bin/vite.js');
const build = spawnSync(
  process.execPath,
  [vite, 'build', '--config', 'web/patient/vite.config.ts', '--logLevel', 'warn'],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
if (build.status !== 0) {
  console.error("The patients' web app did not build (see above).");
  process.exit(build.status ?? 1);
}
const COMPRESSIBLE = /\.(html|js|css|json|webmanifest|svg|map|txt)$/;
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
writeFileSync(stamp, digest);
console.log(`Built web/patient/dist in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
