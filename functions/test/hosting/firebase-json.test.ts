import { readFileSync } from 'node:fs';
import { join, matchesGlob } from 'node:path';
import { apiPath, FUNCTION_NAMES, ROUTE_PATHS } from '@ereg/shared';
import { APP_CSP, PAGE_HEADERS } from '../../src/http/security-headers.ts';

interface Rewrite {
  source: string;
  function?: { functionId: string; region: string };
  destination?: string;
}

const root = join(__dirname, '../../..');
const firebase = JSON.parse(readFileSync(join(root, 'firebase.json'), 'utf8'));
const rewrites = firebase.hosting.rewrites as Rewrite[];

describe('firebase.json', () => {
  test('hosting serves the patients’ app from the folder its build writes', () => {
    // The app's config builds in its own folder through the web apps' one configuration, which writes `dist`.
    const viteConfig = readFileSync(join(root, 'web/patient/vite.config.ts'), 'utf8');
    const sharedConfig = readFileSync(join(root, 'web/shared/vite-app.ts'), 'utf8');
    expect(firebase.hosting.public).toBe('web/patient/dist');
    expect(viteConfig).toMatch(/webAppConfig\(\{\s*configUrl:\s*import\.meta\.url/);
    expect(sharedConfig).toMatch(/outDir:\s*['"]dist['"]/);
  });

  test('the build’s compressed copies are not uploaded: Hosting compresses what it serves itself', () => {
    expect(firebase.hosting.ignore).toEqual(expect.arrayContaining(['**/*.br', '**/*.gz']));
  });

  test('every API function has a rewrite of /api/<name> and everything under it, to that function', () => {
    for (const name of FUNCTION_NAMES) {
      const rewrite = rewrites.find((r) => r.function?.functionId === name);
      expect(rewrite?.source).toBe(`/api/${name}{,/**}`);
      expect(rewrite?.function?.region).toMatch(/^[a-z]+-[a-z]+\d$/);
    }
    expect(
      rewrites
        .filter((r) => r.function)
        .map((r) => r.function?.functionId)
        .sort(),
    ).toEqual([...FUNCTION_NAMES].sort());
  });

  test('any other path loads the app, and only after every API rewrite', () => {
    const last = rewrites.at(-1);
    expect(last).toEqual({ source: '**', destination: '/index.html' });
    expect(rewrites.filter((r) => r.source === '**')).toHaveLength(1);
  });

  test.each([
    ['centres’ app', 'centre'],
    ['hotline console', 'agent'],
    ['reports’ dashboard', 'reports'],
    ['administration', 'admin'],
  ])('the %s is served from its folder of the site, which its build places there, under /%s/', (_name, folder) => {
    const viteConfig = readFileSync(join(root, `web/${folder}/vite.config.ts`), 'utf8');
    const build = readFileSync(join(root, 'scripts/build-web.mjs'), 'utf8');
    expect(viteConfig).toMatch(new RegExp(`base:\\s*['"]/${folder}/['"]`));
    // The build names each app's site folder, which it places under web/patient/dist.
    expect(build).toMatch(new RegExp(`dir: 'web/${folder}',[^\\n]*site: '${folder}'`));
    expect(build).toContain("join(root, 'web/patient/dist', app.site)");
    const at = rewrites.findIndex((r) => r.source === `/${folder}{,/**}`);
    expect(rewrites[at]).toEqual({ source: `/${folder}{,/**}`, destination: `/${folder}/index.html` });
    // Before the patients' app takes every other path.
    expect(at).toBeGreaterThan(rewrites.findLastIndex((r) => r.function));
    expect(at).toBeLessThan(rewrites.length - 1);
  });

  test('every app’s hashed assets are cached for good', () => {
    const cached = (
      firebase.hosting.headers as Array<{ source: string; headers: Array<{ key: string; value: string }> }>
    )
      .filter((h) => h.headers.some((x) => x.key === 'Cache-Control' && x.value.includes('immutable')))
      .map((h) => h.source);
    expect(cached).toEqual(
      expect.arrayContaining([
        '/assets/**',
        '/centre/assets/**',
        '/agent/assets/**',
        '/reports/assets/**',
        '/admin/assets/**',
      ]),
    );
  });

  test('the rewrites name the region the functions are deployed in', () => {
    const config = readFileSync(join(root, 'infra/src/config.ts'), 'utf8');
    const region = /region[^\n]*\?\?\s*'([a-z]+-[a-z]+\d)'/.exec(config)?.[1];
    expect(region).toBeDefined();
    for (const rewrite of rewrites.filter((r) => r.function)) expect(rewrite.function?.region).toBe(region);
  });

  test('the auth emulator runs without its UI, and the Firestore files are the ones in the repository', () => {
    expect(firebase.emulators.ui.enabled).toBe(false);
    expect(firebase.firestore).toEqual({ rules: 'firestore.rules', indexes: 'firestore.indexes.json' });
  });

  test('every hosted page carries the local host’s page headers: its policy, no framing, no referrer abroad', () => {
    const headers = (
      firebase.hosting.headers as Array<{ source: string; headers: Array<{ key: string; value: string }> }>
    )
      .find((h) => h.source === '**')
      ?.headers.map((h) => [h.key.toLowerCase(), h.value]);
    expect(Object.fromEntries(headers ?? [])).toEqual(PAGE_HEADERS);
    expect(APP_CSP).toContain("frame-ancestors 'none'");
    expect(APP_CSP).not.toContain('unsafe-inline');
  });

  // Scheduling links
  test('the scheduling-links manifest and files reach the search function, with its own Cache-Control', () => {
    const paths = [
      apiPath(ROUTE_PATHS.schedulingManifest),
      apiPath(ROUTE_PATHS.schedulingFile, { voivodeship: '14', file: 'slots.ndjson' }),
    ];
    const headers = firebase.hosting.headers as Array<{ source: string; headers: Array<{ key: string }> }>;
    for (const path of paths) {
      expect([path, rewrites.find((r) => matchesGlob(path, r.source))?.function?.functionId]).toEqual([path, 'search']);
      // Hosting adds no Cache-Control of its own: the function's five minutes are what the CDN keeps.
      const overriding = headers.filter(
        (h) => matchesGlob(path, h.source) && h.headers.some((x) => x.key.toLowerCase() === 'cache-control'),
      );
      expect([path, overriding]).toEqual([path, []]);
    }
  });
});
