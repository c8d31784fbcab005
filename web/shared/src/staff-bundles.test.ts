/** @jest-environment node */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/*
 * The staff's apps as built: each loads at most its budget of JavaScript (gzipped) on a first visit —
 * 150 kB, and 200 kB for the reports' dashboard, whose charts' library is loaded only with the first
 * chart — and is served from its own folder of the site beside the patients' app. The patients' app has
 * its own test (web/patient/src/bundle-size.test.ts).
 */

const ROOT = join(__dirname, '../../..');
const SIZE_SCRIPT = join(ROOT, 'web/scripts/web-size.mjs');

interface Measured {
  files: Array<{ file: string; bytes: number; gzip: number }>;
  gzip: number;
}

const measure = (dist: string, base: string): Measured =>
  JSON.parse(
    execFileSync(process.execPath, [SIZE_SCRIPT, dist, '--json', '--base', base], { encoding: 'utf8' }),
  ) as Measured;

beforeAll(() => {
  // Builds the apps unless their builds are of the current sources (the build script checks).
  execFileSync(process.execPath, [join(ROOT, 'scripts/build-web.mjs')], { cwd: ROOT, stdio: 'pipe' });
}, 180_000);

/** Each app and the budget of the JavaScript a first visit loads, gzipped (1 kB = 1000 bytes). */
describe.each([
  { app: 'the centres’ app', folder: 'centre', budget: 150_000 },
  { app: 'the hotline console', folder: 'agent', budget: 150_000 },
  { app: 'the reports’ dashboard', folder: 'reports', budget: 200_000 },
  { app: 'the administration', folder: 'admin', budget: 150_000 },
])('$app', ({ folder, budget }) => {
  const dist = join(ROOT, 'web', folder, 'dist');
  const base = `/${folder}/`;

  it(`loads at most ${budget / 1000} kB of JavaScript (gzipped) on a first visit`, () => {
    const result = measure(dist, base);
    expect(result.files.length).toBeGreaterThan(0);
    expect(result.files.every((f) => f.file.endsWith('.js'))).toBe(true);
    expect(result.gzip).toBeLessThanOrEqual(budget);
  });

  it('is served from its own folder and sits in the site beside the patients’ app, as built', () => {
    const html = readFileSync(join(dist, 'index.html'), 'utf8');
    expect(html).toMatch(new RegExp(`src="/${folder}/assets/index-[\\w-]+\\.js"`));
    const site = join(ROOT, 'web/patient/dist', folder);
    expect(readFileSync(join(site, 'index.html'), 'utf8')).toBe(html);
    for (const file of measure(dist, base).files) expect(existsSync(join(site, file.file))).toBe(true);
  });
});
