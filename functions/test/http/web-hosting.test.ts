import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type IncomingHttpHeaders, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { aBirthYearRule, aCitizen } from '../support/builders.ts';
import { createTestSystem, serve, type TestSystem } from '../support/test-system.ts';

/*
 * What the local server does for the web app: serves its build with the app's routes falling back to
 * index.html, tells it how to log in, and plays the identity provider's login page.
 */

let system: TestSystem;
let http: Awaited<ReturnType<typeof serve>>;
const webRoot = mkdtempSync(join(tmpdir(), 'ereg-web-'));
const BIG_ASSET = `export const words = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => `word-${i}`))};\n`;

/** A GET with exactly the headers given (fetch would ask for compression and undo it unseen). */
function rawGet(path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const req = request(`${http.url}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  mkdirSync(join(webRoot, 'assets'));
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>app</title><div id="root"></div>');
  writeFileSync(join(webRoot, 'assets', 'index-abc123.js'), 'console.log("app")');
  // A larger asset with the compressed copies the build writes beside it.
  writeFileSync(join(webRoot, 'assets', 'big-def456.js'), BIG_ASSET);
  writeFileSync(join(webRoot, 'assets', 'big-def456.js.gz'), gzipSync(BIG_ASSET));
  writeFileSync(join(webRoot, 'assets', 'big-def456.js.br'), brotliCompressSync(BIG_ASSET));
  // The centres' app, in its folder of the site.
  mkdirSync(join(webRoot, 'centre', 'assets'), { recursive: true });
  writeFileSync(
    join(webRoot, 'centre', 'index.html'),
    '<!doctype html><title>centre</title><div id="centre-root"></div>',
  );
  writeFileSync(join(webRoot, 'centre', 'assets', 'index-c3n7re.js'), 'console.log("centre")');
  system = await createTestSystem();
  await system.addRule(aBirthYearRule(1970));
  http = await serve(system, { webRoot });
});

afterAll(async () => {
  await http.close();
  await system.close();
  rmSync(webRoot, { recursive: true, force: true });
});

const get = (path: string, init: RequestInit = {}) => fetch(`${http.url}${path}`, { redirect: 'manual', ...init });

describe('the web app’s files', () => {
  test('the app loads at / and at its own routes; hashed assets are cached for good', async () => {
    for (const path of ['/', '/search', '/visits/apt_1/reschedule', '/login/callback']) {
      const page = await get(path);
      expect([path, page.status, page.headers.get('content-type')]).toEqual([path, 200, 'text/html; charset=utf-8']);
      expect(await page.text()).toContain('<div id="root">');
      expect(page.headers.get('cache-control')).toBe('no-cache');
    }
    const asset = await get('/assets/index-abc123.js');
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toContain('immutable');
  });

  test('the centres’ app loads at /centre/ and at its own routes, with its assets cached for good', async () => {
    for (const path of ['/centre', '/centre/', '/centre/day', '/centre/login/callback']) {
      const page = await get(path);
      expect([path, page.status]).toEqual([path, 200]);
      expect(await page.text()).toContain('<div id="centre-root">');
    }
    const asset = await get('/centre/assets/index-c3n7re.js');
    expect(await asset.text()).toBe('console.log("centre")');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(await (await get('/centres-nearby')).text()).toContain('<div id="root">');
  });

  test('a missing asset is a 404, nothing outside the folder is served, and the API is untouched', async () => {
    expect((await get('/assets/missing.js')).status).toBe(404);
    const outside = await get('/%2e%2e/package.json');
    expect(outside.status).toBe(404);
    expect((await get('/api/search?postalCode=00-950')).status).toBe(200);
    expect((await get('/healthz')).status).toBe(200);
    expect(await (await get('/dev')).text()).toContain('developer links');
  });
});

describe('compression', () => {
  test('a file the build compressed goes as Brotli or gzip, whichever the browser takes, else as it is', async () => {
    const br = await rawGet('/assets/big-def456.js', { 'accept-encoding': 'gzip, deflate, br' });
    expect([br.headers['content-encoding'], br.headers.vary]).toEqual(['br', 'Accept-Encoding']);
    expect(brotliDecompressSync(br.body).toString()).toBe(BIG_ASSET);
    expect(br.body.length).toBeLessThan(BIG_ASSET.length / 2);

    const gzip = await rawGet('/assets/big-def456.js', { 'accept-encoding': 'gzip, br;q=0' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).toString()).toBe(BIG_ASSET);

    const plain = await rawGet('/assets/big-def456.js', {});
    expect([plain.headers['content-encoding'], plain.body.toString()]).toEqual([undefined, BIG_ASSET]);
    const small = await rawGet('/assets/index-abc123.js', { 'accept-encoding': 'br, gzip' });
    expect([small.headers['content-encoding'], small.body.toString()]).toEqual([undefined, 'console.log("app")']);
  });

  test('a large JSON answer is gzipped for a client that accepts it; a small one and other clients get it plain', async () => {
    const plain = await rawGet('/api/openapi.json', {});
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(1024);

    const gzip = await rawGet('/api/openapi.json', { 'accept-encoding': 'br, gzip' });
    expect([gzip.status, gzip.headers['content-encoding'], gzip.headers.vary]).toEqual([
      200,
      'gzip',
      'Accept-Encoding',
    ]);
    expect(Number(gzip.headers['content-length'])).toBe(gzip.body.length);
    expect(JSON.parse(gunzipSync(gzip.body).toString())).toEqual(JSON.parse(plain.body.toString()));
    expect(gzip.body.length).toBeLessThan(plain.body.length / 3);

    const refused = await rawGet('/api/openapi.json', { 'accept-encoding': 'gzip;q=0, identity' });
    expect(refused.headers['content-encoding']).toBeUndefined();
    const health = await rawGet('/healthz', { 'accept-encoding': 'gzip' });
    expect(health.headers['content-encoding']).toBeUndefined();
  });
});

describe('logging in from the web app', () => {
  test('the app learns where the identity provider is and that sessions are bearer tokens', async () => {
    const config = await get('/api/login/config');
    expect(await config.json()).toEqual({
      idpLoginUrl: '/dev-idp/login',
      session: { kind: 'bearer' },
      staff: { kind: 'dev-idp', url: '/dev-idp/login/staff' },
      hotline: { kind: 'dev-idp', url: '/dev-idp/login/hotline' },
      reports: { kind: 'dev-idp', url: '/dev-idp/login/reports' },
    });
  });

  test('the provider’s page lists the demo citizens and is in plain HTML with labels', async () => {
    const page = await get('/dev-idp/login?return=%2Flogin%2Fcallback');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<html lang="pl">'); // Polish unless the app or the browser asks for another
    expect(html).toContain('Janina Kowalska');
    expect(html).toContain('<label for="pesel">');
    expect(html).toContain('value="/login/callback"');
  });

  test('the provider’s page is in the language the app asks for, else the browser’s, and says it varies so', async () => {
    const asked = await get('/dev-idp/login?return=%2Flogin%2Fcallback&ui_locales=uk', {
      headers: { 'accept-language': 'en-GB,en;q=0.9' },
    });
    expect(await asked.text()).toContain('<html lang="uk">');
    expect(asked.headers.get('content-language')).toBe('uk');
    const browser = await get('/dev-idp/login', { headers: { 'accept-language': 'en-GB,en;q=0.9' } });
    expect(await browser.text()).toContain('<label for="pesel">PESEL (11 digits)</label>');
    expect(browser.headers.get('content-language')).toBe('en');
    expect(browser.headers.get('vary')).toMatch(/Accept-Language/i);
  });

  test('choosing a person sends the browser back with an assertion the login function accepts', async () => {
    const citizen = aCitizen({ born: 1950 });
    const chosen = await get('/dev-idp/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ pesel: citizen.pesel, return: '/login/callback' }).toString(),
    });
    expect(chosen.status).toBe(303);
    const location = chosen.headers.get('location') ?? '';
    expect(location).toMatch(/^\/login\/callback#assertion=/);
    const assertion = decodeURIComponent(location.split('#assertion=')[1] ?? '');
    const login = await get('/api/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ assertion, language: 'en' }),
    });
    const session = await login.json();
    expect(login.status).toBe(200);
    expect(session).toMatchObject({ tokenKind: 'bearer', patient: { pesel: citizen.pesel, language: 'en' } });
  });

  test('centre staff find their centre by town, choose themselves, and return to the centres’ app signed in', async () => {
    const centre = await system.addCentre({ name: 'Punkt Szczepień Rynek Główny' });
    await system.store.runInTransaction(async (tx) => {
      tx.putStaff({
        id: 'stf-desk-1',
        name: 'Anna Zielińska',
        email: 'anna@example.test',
        centreId: centre.id,
        role: 'staff',
      });
    });
    const found = await (await get(`/dev-idp/login/staff?q=${encodeURIComponent('rynek glowny')}`)).text();
    expect(found).toContain(`centreId=${centre.id}`);
    const staffPage = await (await get(`/dev-idp/login/staff?centreId=${centre.id}&ui_locales=en`)).text();
    expect(staffPage).toContain('<html lang="en">');
    expect(staffPage).toContain('<button type="submit">Anna Zielińska</button>');
    expect(staffPage).toContain('value="/centre/login/callback"');

    const chosen = await get('/dev-idp/login/staff', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ staffId: 'stf-desk-1', return: '/centre/login/callback' }).toString(),
    });
    expect(chosen.status).toBe(303);
    const location = chosen.headers.get('location') ?? '';
    expect(location).toMatch(/^\/centre\/login\/callback#token=/);
    const handed = new URLSearchParams(location.split('#')[1]);
    expect(handed.get('name')).toBe('Anna Zielińska');
    const me = await get('/api/login/me', { headers: { authorization: `Bearer ${handed.get('token')}` } });
    expect(((await me.json()) as { principal: unknown }).principal).toEqual({
      role: 'staff',
      staffId: 'stf-desk-1',
      centreId: centre.id,
    });

    const unknown = await get('/dev-idp/login/staff', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ staffId: 'stf-nobody', return: '/centre/login/callback' }).toString(),
    });
    expect(unknown.status).toBe(404);
    const elsewhere = await get('/dev-idp/login/staff', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ staffId: 'stf-desk-1', return: 'https://evil.example/centre' }).toString(),
    });
    expect(elsewhere.status).toBe(400);
  });

  test('the hotline login lists agents and a supervisor and hands the console a session of the one chosen', async () => {
    const page = await (await get('/dev-idp/login/hotline?ui_locales=uk')).text();
    expect(page).toContain('<html lang="uk">');
    expect(page).toContain('Magdalena Sikora');
    expect(page).toContain('name="role" value="supervisor"');
    expect(page).toContain('value="/agent/login/callback"');
    const chosen = await get('/dev-idp/login/hotline', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ role: 'supervisor', id: 'supervisor-1' }).toString(),
    });
    expect(chosen.status).toBe(303);
    const location = chosen.headers.get('location') ?? '';
    expect(location).toMatch(/^\/agent\/login\/callback#token=/);
    const handed = new URLSearchParams(location.split('#')[1]);
    expect(handed.get('role')).toBe('supervisor');
    const me = await get('/api/login/me', { headers: { authorization: `Bearer ${handed.get('token')}` } });
    expect(((await me.json()) as { principal: unknown }).principal).toMatchObject({
      role: 'supervisor',
      supervisorId: 'supervisor-1',
    });
    const unknown = await get('/dev-idp/login/hotline', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ role: 'agent', id: 'agent-99' }).toString(),
    });
    expect(unknown.status).toBe(404);
  });

  test('the reports’ login lists the analysts and the administrator and hands the dashboard a session of the one chosen', async () => {
    const page = await (await get('/dev-idp/login/reports?ui_locales=en')).text();
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('Joanna Kamińska');
    expect(page).toContain('name="role" value="admin"');
    expect(page).toContain('value="/reports/login/callback"');
    for (const [role, id, name, principal] of [
      ['analyst', 'analyst-1', 'Joanna Kamińska', { role: 'analyst', analystId: 'analyst-1' }],
      ['admin', 'admin-1', 'Ministry administrator', { role: 'admin', adminId: 'admin-1' }],
    ] as const) {
      const chosen = await get('/dev-idp/login/reports', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ role, id }).toString(),
      });
      expect(chosen.status).toBe(303);
      const location = chosen.headers.get('location') ?? '';
      expect(location).toMatch(/^\/reports\/login\/callback#token=/);
      const handed = new URLSearchParams(location.split('#')[1]);
      expect([handed.get('role'), handed.get('name')]).toEqual([role, name]);
      const me = await get('/api/login/me', { headers: { authorization: `Bearer ${handed.get('token')}` } });
      expect(me.status).toBe(200);
      expect(((await me.json()) as { principal: unknown }).principal).toEqual(principal);
    }
    for (const [role, id] of [
      ['analyst', 'analyst-99'],
      ['admin', 'analyst-1'],
    ]) {
      const unknown = await get('/dev-idp/login/reports', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ role: role ?? '', id: id ?? '' }).toString(),
      });
      expect([role, id, unknown.status]).toEqual([role, id, 404]);
    }
    const agent = await get('/dev-idp/login/reports', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ role: 'agent', id: 'agent-1' }).toString(),
    });
    expect(agent.status).toBe(400);
  });

  test('a bad PESEL shows the page again with the error tied to the field', async () => {
    const page = await get('/dev-idp/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ pesel: '123', return: '/login/callback', ui_locales: 'en' }).toString(),
    });
    expect(page.status).toBe(400);
    const html = await page.text();
    expect(html).toContain('aria-invalid="true"');
    expect(html).toContain('id="pesel-error"');
    expect(html).toContain('exactly 11 digits');
    const polish = await get('/dev-idp/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ pesel: '46031464865', return: '/login/callback' }).toString(),
    });
    expect(polish.status).toBe(400);
    expect(await polish.text()).toContain('Cyfra kontrolna (ostatnia) nie zgadza się');
  });

  test('the provider never sends an assertion to another site', async () => {
    for (const target of ['https://evil.example/steal', '//evil.example/steal', 'javascript:alert(1)']) {
      const refused = await get(`/dev-idp/login?return=${encodeURIComponent(target)}`);
      expect([target, refused.status]).toEqual([target, 400]);
      expect(((await refused.json()) as { error: unknown }).error).toMatchObject({
        code: 'INVALID_RETURN',
        field: 'return',
      });
    }
    const sameHost = await get(`/dev-idp/login?return=${encodeURIComponent(`${http.url}/login/callback`)}`);
    expect(sameHost.status).toBe(200);
  });
});
