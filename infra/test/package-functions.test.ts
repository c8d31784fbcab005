import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { REGISTERED_FUNCTION_NAMES } from '@ereg/shared';

// Runs scripts/package-functions.mjs (tsc -b, then the assembly) into a temporary directory, as
// `npm run package:functions` does into .build/functions, and checks what Cloud Functions would build.

const repoRoot = resolve(__dirname, '..', '..');
const out = mkdtempSync(join(tmpdir(), 'ereg-package-functions-'));
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

interface LockEntry {
  version?: string;
  link?: boolean;
  resolved?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  dev?: boolean;
}

/** Where npm finds `name` from the package at `from`: its own node_modules, then each parent's. */
function resolveIn(packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!base) return undefined;
    const i = base.lastIndexOf('node_modules/');
    base = i <= 0 ? '' : base.slice(0, i - 1);
  }
}

beforeAll(() => {
  const run = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'package-functions.mjs'), '--out', out], {
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`package-functions failed:\n${run.stdout}\n${run.stderr}`);
}, 60_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

test('the package holds the compiled entry module its package.json names, and no tests or declarations', () => {
  const manifest = readJson(join(out, 'package.json'));
  expect(manifest).toMatchObject({ type: 'module', main: 'dist/index.js' });
  expect(existsSync(join(out, manifest.main))).toBe(true);
  const files = readdirSync(out, { recursive: true }).map(String);
  expect(files.filter((f) => /\.test\.|\.d\.ts$|tsbuildinfo/.test(f))).toEqual([]);
});

test("its dependencies are the functions' dependencies plus @ereg/shared, vendored as compiled JavaScript", () => {
  const functionsPackage = readJson(join(repoRoot, 'functions', 'package.json'));
  const sharedPackage = readJson(join(repoRoot, 'shared', 'package.json'));
  const manifest = readJson(join(out, 'package.json'));
  expect(manifest.dependencies).toEqual({ ...functionsPackage.dependencies, '@ereg/shared': 'file:vendor/shared' });
  const vendored = readJson(join(out, 'vendor', 'shared', 'package.json'));
  expect(vendored).toMatchObject({ name: '@ereg/shared', type: 'module', dependencies: sharedPackage.dependencies });
  expect(existsSync(join(out, 'vendor', 'shared', vendored.exports['.'].default))).toBe(true);
  expect(existsSync(join(out, 'vendor', 'shared', 'src'))).toBe(false);
});

test('its lockfile pins every package the functions reach at the version the repository installed', () => {
  const manifest = readJson(join(out, 'package.json'));
  const lock = readJson(join(out, 'package-lock.json'));
  const rootLock = readJson(join(repoRoot, 'package-lock.json'));
  const packages: Record<string, LockEntry> = lock.packages;
  expect(packages['']?.dependencies).toEqual(manifest.dependencies);
  expect(packages['node_modules/@ereg/shared']).toEqual({ resolved: 'vendor/shared', link: true });
  const unresolved: string[] = [];
  for (const [location, entry] of Object.entries(packages)) {
    if (location === '' || entry.link) continue;
    if (location.startsWith('node_modules/')) {
      expect({ location, version: entry.version }).toEqual({ location, version: rootLock.packages[location].version });
      expect(entry.dev).toBeUndefined();
    }
    const optional = (dep: string) =>
      dep in (entry.optionalDependencies ?? {}) || entry.peerDependenciesMeta?.[dep]?.optional === true;
    const deps = { ...entry.dependencies, ...entry.optionalDependencies, ...entry.peerDependencies };
    for (const dep of Object.keys(deps)) {
      if (!resolveIn(packages, location, dep) && !optional(dep)) unresolved.push(`${location} → ${dep}`);
    }
  }
  expect(unresolved).toEqual([]);
  expect(Object.keys(packages).length).toBeGreaterThan(Object.keys(manifest.dependencies).length);
});

test('with its dependencies installed, the entry module registers every function with the functions-framework', () => {
  // Stand-in for the build's `npm ci`: the repository's installed packages, and the vendored shared.
  const modules = join(out, 'node_modules');
  mkdirSync(join(modules, '@ereg'), { recursive: true });
  for (const name of readdirSync(join(repoRoot, 'node_modules'))) {
    if (name !== '@ereg' && !name.startsWith('.'))
      symlinkSync(join(repoRoot, 'node_modules', name), join(modules, name));
  }
  symlinkSync(join(out, 'vendor', 'shared'), join(modules, '@ereg', 'shared'));
  const publicKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({
    type: 'spki',
    format: 'pem',
  });
  const names = REGISTERED_FUNCTION_NAMES;
  const probe = `
    import { getFunction } from '@google-cloud/functions-framework/testing';
    import { createRequire } from 'node:module';
    await import('./dist/index.js');
    await import('./dist/runtime/cloud/cloud-system.js'); // what the cloud runtime loads on an instance's start
    const shared = createRequire(import.meta.url).resolve('@ereg/shared');
    const names = ${JSON.stringify(names)};
    console.log(JSON.stringify({ unregistered: names.filter((n) => typeof getFunction(n) !== 'function'), shared }));
    process.exit(0);
  `;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', probe], {
    cwd: out,
    encoding: 'utf8',
    timeout: 20_000,
    env: {
      PATH: process.env.PATH,
      GOOGLE_CLOUD_PROJECT: 'demo-ereg-package',
      PESEL_HMAC_SECRET: 'a-pesel-index-key-of-thirty-two-characters',
      TASKS_QUEUE_PATH: 'projects/demo-ereg-package/locations/europe-west1/queues/reminders',
      TASKS_TARGET_URL: 'https://europe-west1-demo-ereg-package.cloudfunctions.net/smsTasks',
      TASKS_SERVICE_ACCOUNT: 'ereg-tasks@demo-ereg-package.iam.gserviceaccount.com',
      TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
      TWILIO_AUTH_TOKEN: 'token',
      TWILIO_MESSAGING_SERVICE_SID: `MG${'0'.repeat(32)}`,
      SMS_WEBHOOK_URL: 'https://europe-west1-demo-ereg-package.cloudfunctions.net/sms',
      IDP_ISSUER: 'https://idp.example.gov.pl',
      IDP_AUDIENCE: 'ereg',
      IDP_LOGIN_URL: 'https://idp.example.gov.pl/login',
      FIREBASE_WEB_API_KEY: 'AIzaSyLocalTestKey',
      IDP_PUBLIC_KEY_PEM: publicKey as string,
    },
  });
  expect(run.stderr).not.toMatch(/Error/);
  const report = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}');
  expect(report).toEqual({ unregistered: [], shared: join(out, 'vendor', 'shared', 'dist', 'index.js') });
}, 30_000);
