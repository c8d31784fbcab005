import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';

/*
 * The patients' app as built for serving: every text file of 1 KiB or more has Brotli and gzip copies
 * that decompress to it, and what the first page load fetches stays within its budget.
 */

jest.setTimeout(120_000);

const root = resolve(__dirname, '../../..');
const dist = join(root, 'web/patient/dist');
const KIB = 1024;

function* filesIn(folder: string): Generator<string> {
  for (const entry of readdirSync(folder)) {
    const path = join(folder, entry);
    if (statSync(path).isDirectory()) yield* filesIn(path);
    else yield path;
  }
}

beforeAll(() => {
  // Builds only when the sources changed since the last build (as npm test's pretest does).
  execFileSync(process.execPath, [join(root, 'scripts/build-web.mjs')], { cwd: root, stdio: 'inherit' });
});

test('every text file of the build worth it has a Brotli and a gzip copy that decompress to it', () => {
  const texts = [...filesIn(dist)].filter((f) => /\.(html|js|css|json|webmanifest|svg|map|txt)$/.test(f));
  const large = texts.filter((f) => statSync(f).size >= KIB);
  expect(large.some((f) => f.endsWith('.js'))).toBe(true);
  for (const file of large) {
    const original = readFileSync(file);
    const name = file.slice(dist.length);
    expect({ name, br: brotliDecompressSync(readFileSync(`${file}.br`)).equals(original) }).toEqual({ name, br: true });
    expect({ name, gz: gunzipSync(readFileSync(`${file}.gz`)).equals(original) }).toEqual({ name, gz: true });
  }
});

test('the JavaScript and CSS the start page loads weigh at most 150 kB gzipped', () => {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const loaded = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1] as string);
  expect(loaded.length).toBeGreaterThan(0);
  const gzipped = loaded.reduce((sum, asset) => sum + statSync(join(dist, `${asset}.gz`)).size, 0);
  expect(gzipped).toBeLessThanOrEqual(150 * 1000);
});
