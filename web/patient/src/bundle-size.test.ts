/** @jest-environment node */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');
const SIZE_SCRIPT = join(ROOT, 'web/scripts/web-size.mjs');
const DIST = join(ROOT, 'web/patient/dist');
/** The budget of the JavaScript a first visit loads, gzipped (1 kB = 1000 bytes). */
const BUDGET_BYTES = 150_000;

interface Measured {
  files: Array<{ file: string; bytes: number; gzip: number }>;
  gzip: number;
}

const measure = (dist: string): Measured =>
  JSON.parse(execFileSync(process.execPath, [SIZE_SCRIPT, dist, '--json'], { encoding: 'utf8' })) as Measured;

/** Builds the app unless the build in dist is of the current sources (the build script checks). */
function build(): void {
  const script = join(ROOT, 'scripts/build-web.mjs');
  if (existsSync(script)) execFileSync(process.execPath, [script], { cwd: ROOT, stdio: 'pipe' });
  else {
    execFileSync(
      process.execPath,
      [
        join(ROOT, 'node_modules/vite/bin/vite.js'),
        'build',
        '--config',
        'web/patient/vite.config.ts',
        '--logLevel',
        'warn',
      ],
      { cwd: ROOT, stdio: 'pipe' },
    );
  }
}

describe('the patients’ app bundle', () => {
  it('loads at most 150 kB of JavaScript (gzipped) on a first visit', () => {
    build();
    const result = measure(DIST);
    expect(result.files.length).toBeGreaterThan(0);
    expect(result.files.every((f) => f.file.endsWith('.js'))).toBe(true);
    expect(result.gzip).toBeLessThanOrEqual(BUDGET_BYTES);
  }, 120_000);
});

describe('measuring the initial JavaScript', () => {
  let dist: string;
  beforeEach(() => {
    dist = mkdtempSync(join(tmpdir(), 'web-size-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(
      join(dist, 'index.html'),
      '<!doctype html><html><head><script type="module" crossorigin src="/assets/entry.js"></script>' +
        '<link rel="modulepreload" crossorigin href="/assets/preloaded.js"><link rel="stylesheet" href="/assets/x.css"></head></html>',
    );
    writeFileSync(
      join(dist, 'assets/entry.js'),
      `import{a}from"./shared.js";import"./side.js";const l=()=>import("./lazy.js");${'e'.repeat(500)}`,
    );
    writeFileSync(join(dist, 'assets/shared.js'), `export{b as a}from"./deep.js";${'s'.repeat(300)}`);
    writeFileSync(join(dist, 'assets/deep.js'), `export const b=1;${'d'.repeat(200)}`);
    writeFileSync(join(dist, 'assets/side.js'), 'console.log(1)');
    writeFileSync(join(dist, 'assets/preloaded.js'), 'export const p=2');
    writeFileSync(join(dist, 'assets/lazy.js'), `export default 3;${'z'.repeat(5000)}`);
    writeFileSync(join(dist, 'assets/x.css'), 'body{}');
  });
  afterEach(() => rmSync(dist, { recursive: true, force: true }));

  it('counts the entry, its static imports and modulepreloads, not lazily imported chunks or CSS', () => {
    const result = measure(dist);
    expect(result.files.map((f) => f.file).sort()).toEqual([
      'assets/deep.js',
      'assets/entry.js',
      'assets/preloaded.js',
      'assets/shared.js',
      'assets/side.js',
    ]);
    expect(result.gzip).toBe(result.files.reduce((sum, f) => sum + f.gzip, 0));
    expect(result.gzip).toBeGreaterThan(0);
  });

  it('follows Vite’s manifest when there is one', () => {
    mkdirSync(join(dist, '.vite'));
    writeFileSync(
      join(dist, '.vite/manifest.json'),
      JSON.stringify({
        'index.html': { file: 'assets/entry.js', isEntry: true, imports: ['_shared.js'], dynamicImports: ['lazy.ts'] },
        '_shared.js': { file: 'assets/shared.js' },
        'lazy.ts': { file: 'assets/lazy.js', isDynamicEntry: true },
      }),
    );
    expect(
      measure(dist)
        .files.map((f) => f.file)
        .sort(),
    ).toEqual(['assets/entry.js', 'assets/preloaded.js', 'assets/shared.js']);
  });

  it('fails with the budget exceeded, and says so', () => {
    let failure: { status?: number; stderr?: string } = {};
    try {
      execFileSync(process.execPath, [SIZE_SCRIPT, dist, '--max-kb', '0.1'], { encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      failure = error as typeof failure;
    }
    expect(failure.status).toBe(1);
    expect(failure.stderr).toContain('exceeds the budget of 0.1 kB');
  });
});
