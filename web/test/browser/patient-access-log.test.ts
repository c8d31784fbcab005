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
 * each of those uses in words — who (pseudonymised as the supervisor's log names them, never by their
 * id), what, why, when — and Andrzej, whom nobody looked up, is told so. axe on every state; screenshots at 360 px and on a
 * desktop in Polish, English and Ukrainian, in docs/screenshots/patient.
 */

let app: AppUnderTest;
appForThisFile((started) => {
  app = started;
});

const JANINA = '46031464864';

/** Presses Tab until the element with focus has these words, then Enter. */
async function tabAndPress(page: Page, words: string): Promise<void> {
  for (let i = 0; i < 40; i += 1) {
    await page.keyboard.press('Tab');
    if ((await page.evaluate(() => document.activeElement?.textContent ?? '')) === words) {
      await page.keyboard.press('Enter');
      return;
    }
  }
  throw new Error(`Tab never reached "${words}"`);
}

/** The pseudonyms the supervisor's access log gives the agent and the supervisor: what Janina sees. */
let seen: { agent: string; supervisor: string };

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
  const about = `/api/admin/hotline/audit?patientId=${encodeURIComponent(patientId)}`;
  const read = await apiCall<{ records: Array<{ actor: { id: string }; pseudonym: string }> }>(
    app,
    'GET',
    about,
    supervisor,
  );
  expect(read.records.map((r) => r.actor.id)).toEqual(['agent-1', 'agent-1']);
  // The supervisor's reading is in the log once read again, with the supervisor's pseudonym.
  const again = await apiCall<{ records: Array<{ actor: { id: string }; pseudonym: string; action: string }> }>(
    app,
    'GET',
    about,
    supervisor,
  );
  const reading = again.records.find((r) => r.action === 'audit-read');
  seen = { agent: read.records[0]?.pseudonym ?? '', supervisor: reading?.pseudonym ?? '' };
  expect(seen.agent).toMatch(/^A-/);
  expect(seen.supervisor).toMatch(/^S-/);
});

const ENTRIES = 'main article';

test('Janina finds, from the menu by keyboard, who looked at her data, in words, in three languages', async () => {
  for (const [language, viewport, size, link, words] of [
    [
      'pl',
      DESKTOP,
      'desktop',
      'Kto przeglądał moje dane',
      [
        '4 wpisy.',
        'poniedziałek, 12 stycznia 2026',
        `Konsultant infolinii (oznaczenie: ${seen.agent})`,
        'Odsłonięcie Twojego numeru komórki',
        'Wyszukanie Twoich danych',
        'Twoja rozmowa z infolinią: zapis na szczepienie',
        'Kontrola: inspektor ochrony danych przejrzał wpisy',
      ],
    ],
    [
      'en',
      PHONE,
      '360',
      'Who looked at my data',
      [
        '4 entries.',
        'Monday, 12 January 2026 at 09:00',
        `Hotline agent (identifier: ${seen.agent})`,
        'Revealed your mobile number',
        'Looked up your data',
        'You phoned to book',
        `Hotline privacy officer (identifier: ${seen.supervisor})`,
        'the data protection officer reviewed the record of who looked at your data',
      ],
    ],
    [
      'uk',
      PHONE,
      '360',
      'Хто переглядав мої дані',
      ['понеділок, 12 січня 2026', `Оператор гарячої лінії`, seen.agent, 'інспектор із захисту даних'],
    ],
  ] as const) {
    const { context, page } = await openContext(app, viewport);
    try {
      await logInAs(app, page, /Janina Kowalska/);
      if (language !== 'pl') {
        await page.locator('body').focus();
        await tabAndPress(page, language === 'en' ? 'English' : 'Українська');
        await page.getByRole('button', { name: language === 'en' ? 'English' : 'Українська', pressed: true }).waitFor();
      }
      // From the top of the page, through the menu.
      await page.locator('body').focus();
      await tabAndPress(page, link);
      await page.waitForURL(/\/access-log$/);
      await page.locator(ENTRIES).first().waitFor();
      // The look-up, the mobile shown, the supervisor's two checks: newest first.
      const entries = await page.locator(ENTRIES).allTextContents();
      expect(entries).toHaveLength(4);
      expect(entries[0]).toContain(seen.supervisor);
      expect(entries[3]).toContain(seen.agent);
      const text = (await page.locator('main').textContent()) ?? '';
      for (const word of words) expect(text).toContain(word);
      expect(text).not.toContain('agent-1');
      expect(text).not.toContain('supervisor-1');
      expect(text).not.toMatch(/caller-booking|audit-read|\blookup\b/);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
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
    await page.locator('body').focus();
    await tabAndPress(page, 'Kto przeglądał moje dane');
    await page.getByText('Nikt nie przeglądał Twoich danych.').waitFor();
    expect(await page.locator(ENTRIES).count()).toBe(0);
    await lookAt(page, 'patient', 'access-log-empty-pl-360');
  } finally {
    await context.close();
  }
});
