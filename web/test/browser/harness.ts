import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Settings, SmsSettings } from '@ereg/shared';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { LocalSystem } from '../../../functions/src/runtime/local/local-system.ts';
import { FakeClock } from '../../../functions/test/support/builders.ts';
import { serve } from '../../../functions/test/support/test-system.ts';

/*
 * What the browser tests stand on: the whole local system with demo data on a fixed clock, serving
 * the built patients' app, and Debian's Chromium driven by playwright-core (its own browser download
 * is not reachable here). A missing Chromium fails with how to install it; nothing is skipped.
 */

const ROOT = join(__dirname, '../../..');
export const ARTIFACTS = join(ROOT, 'test-artifacts', 'screenshots');

/** Monday 12 January 2026, 09:00 in Warsaw: the same moment for the server and the browser. */
export const NOW = '2026-01-12T08:00:00.000Z';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

function chromiumPath(): string {
  const found = spawnSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' });
  const path = found.stdout.trim().split('\n')[0];
  if (!path) {
    throw new Error(
      "Chromium is not installed: the browser tests drive Debian's chromium. Install it with " +
        '`sudo apt-get install -y chromium` (CI does this in .ci/run).',
    );
  }
  return path;
}

export interface AppUnderTest {
  system: LocalSystem;
  clock: FakeClock;
  /** The moment the server and every browser context stand at. */
  now: string;
  url: string;
  browser: Browser;
  close(): Promise<void>;
}

/**
 * `now`: the moment (NOW unless given); `chromiumArgs`: more flags for the browser (a fake camera);
 * `smsSettings`: how the text messages are written (e.g. the web address their links point to).
 */
export interface AppOptions {
  now?: string;
  chromiumArgs?: string[];
  smsSettings?: Partial<SmsSettings>;
  /** The system's settings that differ for the test (a small hourly look-up budget). */
  settings?: Partial<Settings>;
}

/**
 * Builds the app if its sources changed, starts the system on it, and launches Chromium; the system
 * and the browsers stand at `now` (NOW unless given).
 */
export async function startApp(options: AppOptions = {}): Promise<AppUnderTest> {
  execFileSync(process.execPath, [join(ROOT, 'scripts/build-web.mjs')], { cwd: ROOT, stdio: 'inherit' });
  const now = options.now ?? NOW;
  const clock = new FakeClock(now);
  const system = await LocalSystem.start({
    dbPath: ':memory:',
    clock,
    demo: { seed: 2021, centres: 24, citizens: 40 },
    log: () => {},
    searchCacheMs: 0,
    pollMs: { outbox: 50, tasks: 100 },
    ...(options.smsSettings ? { smsSettings: options.smsSettings } : {}),
    ...(options.settings ? { settings: options.settings } : {}),
  });
  const http = await serve(system, { webRoot: join(ROOT, 'web/patient/dist') });
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: [...FLAGS, ...(options.chromiumArgs ?? [])],
  });
  return {
    system,
    clock,
    now,
    url: http.url,
    browser,
    async close() {
      await browser.close();
      await http.close();
      await system.stop();
    },
  };
}

/** The screens every page is looked at on: a 360 px phone and a desktop. */
export const PHONE = { width: 360, height: 740 };
export const DESKTOP = { width: 1280, height: 900 };

/**
 * One system and browser for the whole test file (each file has its own): started before its first
 * test and handed to `use`, stopped after its last.
 */
export function appForThisFile(use: (app: AppUnderTest) => void, options: AppOptions = {}): void {
  jest.setTimeout(180_000);
  let app: AppUnderTest | null = null;
  beforeAll(async () => {
    app = await startApp(options);
    use(app);
  }, 180_000);
  afterAll(async () => {
    await app?.close();
  });
}

/** Logs in from the start page (in Polish) as one of the development identity provider's people. */
export async function logInAs(app: AppUnderTest, page: Page, person: RegExp): Promise<void> {
  await page.goto(app.url);
  await page.getByRole('main').getByRole('button', { name: 'Zaloguj się' }).click();
  await page.waitForURL(/\/dev-idp\/login/);
  await page.getByRole('button', { name: person }).click();
  await page.getByRole('heading', { level: 1, name: 'Znajdź termin szczepienia' }).waitFor();
}

/**
 * Signs in to the hotline console (in Polish) as one of the development identity provider's agents or
 * supervisors, by the name its hotline page shows, and waits for the console's pages.
 */
export async function signInToConsole(app: AppUnderTest, page: Page, person: RegExp): Promise<void> {
  await page.goto(`${app.url}/agent/`);
  await page.getByRole('main').getByRole('button', { name: 'Zaloguj się' }).click();
  await page.waitForURL(/\/dev-idp\/login\/hotline/);
  await page.getByRole('button', { name: person }).click();
  await page.getByRole('navigation', { name: 'Strony infolinii' }).waitFor();
}

/**
 * Signs in to the ministry's administration (in Polish) as one of the development identity provider's
 * administrators, by name, at a page of it, and waits for its pages.
 */
export async function signInToAdmin(app: AppUnderTest, page: Page, person: RegExp, path = '/admin/'): Promise<void> {
  await page.goto(`${app.url}${path}`);
  await page.getByRole('main').getByRole('button', { name: 'Zaloguj się' }).click();
  await page.waitForURL(/\/dev-idp\/login\/reports\?/);
  await page.getByRole('button', { name: person }).click();
  await page.getByRole('navigation', { name: 'Strony administracji' }).waitFor();
}

/** Opens the soonest Comirnaty slot near Warsaw's 00-950 from the results, as a person would; its id. */
export async function openSoonestSlot(app: AppUnderTest, page: Page): Promise<string> {
  await page.goto(`${app.url}/search?postalCode=00-950&vaccineId=comirnaty`);
  const slot = page
    .getByRole('main')
    .getByRole('link', { name: /Comirnaty/ })
    .first();
  await slot.waitFor();
  await slot.click();
  await page.waitForURL(/\/book\//);
  return decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
}

/** A browser context at a screen size, standing at the same moment as the server, in a language. */
export async function openContext(
  app: AppUnderTest,
  options: { width: number; height: number; locale?: string; geolocation?: { latitude: number; longitude: number } },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await app.browser.newContext({
    viewport: { width: options.width, height: options.height },
    locale: options.locale ?? 'pl-PL',
    timezoneId: 'Europe/Warsaw',
    ...(options.geolocation ? { geolocation: options.geolocation, permissions: ['geolocation'] } : {}),
  });
  const page = await context.newPage();
  await page.clock.setFixedTime(new Date(app.now));
  return { context, page };
}

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/** Runs axe-core on the page against WCAG 2.1 A and AA; answers the serious and critical violations. */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated through the debugging protocol, which the page's Content-Security-Policy does not govern
  // (an injected <script> would be refused, as it should be).
  await page.evaluate(AXE);
  const violations = (await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (context: Document, options: unknown) => Promise<{ violations: unknown[] }> } }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations;
  })) as AxeViolation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Keeps a screenshot as a test artifact (test-artifacts/screenshots/<name>.png). */
export async function keepScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** A request to the system's API as a script would make it; a refusal throws with its status and body. */
export async function apiCall<T>(
  app: AppUnderTest,
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const reply = await fetch(`${app.url}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!reply.ok) throw new Error(`${method} ${path}: ${reply.status} ${await reply.text()}`);
  return (await reply.json()) as T;
}

/** The session token an agent or supervisor gets from the development provider's hotline page. */
export async function hotlineToken(app: AppUnderTest, role: 'agent' | 'supervisor', id: string): Promise<string> {
  const reply = await fetch(`${app.url}/dev-idp/login/hotline`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ role, id, return: '/agent/login/callback' }),
    redirect: 'manual',
  });
  const token = new URLSearchParams((reply.headers.get('location') ?? '').split('#')[1] ?? '').get('token');
  if (!token) throw new Error(`No hotline token: ${reply.status}`);
  return token;
}

/**
 * Checks a state of a page with axe (no serious violation) and keeps its screenshot, as a test artifact
 * (`<app>-<name>.png`) and in the docs (`docs/screenshots/<app>/<name>.png`).
 */
export async function lookAt(page: Page, app: 'agent' | 'patient' | 'centre' | 'reports', name: string): Promise<void> {
  expect({ name, violations: await seriousViolations(page) }).toEqual({ name, violations: [] });
  await keepScreenshot(page, `${app}-${name}`);
  const docs = join(ROOT, 'docs', 'screenshots', app);
  mkdirSync(docs, { recursive: true });
  await page.screenshot({ path: join(docs, `${name}.png`), fullPage: true });
}
