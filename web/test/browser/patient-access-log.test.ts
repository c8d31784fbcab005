import type { Page } from 'playwright-core';
import {
  type AppUnderTest,
  apiCall,
  appForThisFile,
  DESKTOP,
  hotlineToken,
  logInAs,
  lookAt,
  openContext,
  PHONE,
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

const JANINA = '46031464864';

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
  const { assertion } = await apiCall<{ assertion: string }>(app, 'POST', '/dev-idp/assertion', null, {
    pesel: JANINA,
  });
  await apiCall(app, 'POST', '/api/login', null, { assertion });
  const agent = await hotlineToken(app, 'agent', 'agent-1');
  const found = await apiCall<{ callers: Array<{ patientId: string }> }>(
    app,
    'POST',
    '/api/booking/hotline/lookups',
    agent,
    {
      by: 'pesel',
      value: JANINA,
      reason: 'caller-booking',
    },
  );
  const patientId = found.callers[0]?.patientId ?? '';
  await apiCall(app, 'POST', `/api/booking/hotline/patients/${patientId}/reveal`, agent, { field: 'phone' });
  const supervisor = await hotlineToken(app, 'supervisor', 'supervisor-1');
  await apiCall(app, 'GET', `/api/admin/hotline/audit?patientId=${encodeURIComponent(patientId)}`, supervisor);
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
      await lookAt(page, 'patient', `access-log-${language}-${size}`);
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
    await lookAt(page, 'patient', 'access-log-empty-pl-360');
  } finally {
    await context.close();
  }
});
