/** @jest-environment node */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');
const SIZE_SCRIPT = join(ROOT, 'web/scripts/web-size.mjs');
const DIST = join(ROOT, 'web/centre/dist');
/** The budget of the JavaScript a first visit loads, gzipped (1 kB = 1000 bytes). */
const BUDGET_BYTES = 150_000;

interface Measured {
  files: Array<{ file: string; bytes: number; gzip: number }>;
  gzip: number;
}

const measure = (dist: string): Measured =>
  JSON.parse(
    execFileSync(process.execPath, [SIZE_SCRIPT, dist, '--json', '--base', '/centre/'], { encoding: 'utf8' }),
  ) as Measured;

describe('the centres’ app bundle', () => {
  beforeAll(() => {
    // Builds both apps unless their builds are of the current sources (the build script checks).
    execFileSync(process.execPath, [join(ROOT, 'scripts/build-web.mjs')], { cwd: ROOT, stdio: 'pipe' });
  }, 180_000);

  it('loads at most 150 kB of JavaScript (gzipped) on a first visit', () => {
    const result = measure(DIST);
    expect(result.files.length).toBeGreaterThan(0);
    expect(result.files.every((f) => f.file.endsWith('.js'))).toBe(true);
    expect(result.gzip).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it('is served from /centre/ and sits in the site beside the patients’ app, as built', () => {
    const html = readFileSync(join(DIST, 'index.html'), 'utf8');
    expect(html).toMatch(/src="\/centre\/assets\/index-[\w-]+\.js"/);
    const site = join(ROOT, 'web/patient/dist/centre');
    expect(readFileSync(join(site, 'index.html'), 'utf8')).toBe(html);
    for (const file of measure(DIST).files) expect(existsSync(join(site, file.file))).toBe(true);
  });
});
