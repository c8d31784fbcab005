import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  type AppUnderTest,
  appForThisFile,
  DESKTOP,
  keepScreenshot,
  logInAs,
  openContext,
  PHONE,
  seriousViolations,
} from './harness.ts';

/*
 * "Who looked at my data" in the patients' app: an agent looks Janina up with a reason and shows her
 * mobile, a supervisor reads the access log about her; Janina then finds, from the menu by keyboard,
 * each of those uses in words — who (the agent pseudonymised, never their id), what, why, when — and
 * Andrzej, whom nobody looked up, is told so. axe on every state; screenshots at 360 px and on a
 * desktop in Polish, English and Ukrainian, in docs/screenshots/patient.
 */

let app: AppUnderTest;
appForThisFile((started) => {
  app = started;
});

const DOCS = join(__dirname, '../../../docs/screenshots/patient');
const JANINA = '46031464864';

async function call<T>(method: string, path: string, token: string | null, body?: unknown): Promise<T> {
  const reply = await fetch(`${app.url}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!reply.ok) throw new Error(`${method} ${path}: ${reply.status} ${await reply.text()}`);
  return (await reply.json()) as T;
}

async function hotlineToken(role: 'agent' | 'supervisor', id: string): Promise<string> {
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

async function look(page: Page, name: string): Promise<void> {
  expect({ name, violations: await seriousViolations(page) }).toEqual({ name, violations: [] });
  await keepScreenshot(page, `patient-${name}`);
  mkdirSync(DOCS, { recursive: true });
  await page.screenshot({ path: join(DOCS, `${name}.png`), fullPage: true });
}

/** From the app's menu to the page, by keyboard: Tab until the link has focus, then Enter. */
async function openFromMenu(page: Page, link: string): Promise<void> {
  for (let i = 0; i < 40; i += 1) {
    await page.keyboard.press('Tab');
    if ((await page.evaluate(() => document.activeElement?.textContent ?? '')) === link) {
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/access-log$/);
      return;
    }
  }
  throw new Error(`No link "${link}" in the menu`);
}

beforeAll(async () => {
  // Janina's record exists once she has logged in; then the hotline looks her up.
  const { assertion } = await call<{ assertion: string }>('POST', '/dev-idp/assertion', null, { pesel: JANINA });
  await call('POST', '/api/login', null, { assertion });
  const agent = await hotlineToken('agent', 'agent-1');
  const found = await call<{ callers: Array<{ patientId: string }> }>('POST', '/api/booking/hotline/lookups', agent, {
    by: 'pesel',
    value: JANINA,
    reason: 'caller-booking',
  });
  const patientId = found.callers[0]?.patientId ?? '';
  await call('POST', `/api/booking/hotline/patients/${patientId}/reveal`, agent, { field: 'phone' });
  const supervisor = await hotlineToken('supervisor', 'supervisor-1');
  await call('GET', `/api/admin/hotline/audit?patientId=${encodeURIComponent(patientId)}`, supervisor);
});

test('Janina sees who looked at her data, in words, the agent never named by id, in three languages', async () => {
  for (const [language, viewport, size, link, words] of [
    [
      'pl',
      DESKTOP,
      'desktop',
      'Kto przeglądał moje dane',
      ['Konsultant infolinii', 'Odsłonięcie Twojego numeru komórki', 'Twoja rozmowa z infolinią: zapis na szczepienie'],
    ],
    ['en', PHONE, '360', null, ['data protection officer']],
    ['uk', PHONE, '360', null, ['інспектор із захисту даних']],
  ] as const) {
    const { context, page } = await openContext(app, viewport);
    try {
      await logInAs(app, page, /Janina Kowalska/);
      if (link) await openFromMenu(page, link);
      else {
        await page.getByRole('button', { name: language === 'en' ? 'English' : 'Українська' }).click();
        await page.goto(`${app.url}/access-log`);
      }
      await page.locator('main li, main tr').first().waitFor();
      const text = (await page.locator('main').textContent()) ?? '';
      for (const word of words) expect(text).toContain(word);
      expect(text).not.toContain('agent-1');
      expect(text).not.toContain('supervisor-1');
      await look(page, `access-log-${language}-${size}`);
    } finally {
      await context.close();
    }
  }
});

test('Andrzej, whom nobody looked up, is told so', async () => {
  const { context, page } = await openContext(app, PHONE);
  try {
    await logInAs(app, page, /Andrzej Nowak/);
    await openFromMenu(page, 'Kto przeglądał moje dane');
    await page.getByText('Nikt nie przeglądał Twoich danych.').waitFor();
    await look(page, 'access-log-empty-pl-360');
  } finally {
    await context.close();
  }
});
