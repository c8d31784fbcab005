import { makePesel } from '@ereg/shared';
import type { Page } from 'playwright-core';
import {
  type AppUnderTest,
  apiCall,
  appForThisFile,
  DESKTOP,
  keepScreenshot,
  openContext,
  PHONE,
  seriousViolations,
  signInToAdmin,
  signInToConsole,
} from './harness.ts';

/*
 * The ministry uploads a list of medical staff with mistakes in it: the row report names each bad row's
 * line and field, the good rows count, and sending the same file again changes nothing. It then writes
 * an announcement in three languages, which the patients' start page shows in each language and the
 * hotline console shows for the agent to read out. Every state passes axe, at 360 px and on a desktop.
 */

let app: AppUnderTest;
appForThisFile((started) => {
  app = started;
});

const signIn = (page: Page, path = '/admin/') => signInToAdmin(app, page, /Ministry administrator/, path);

async function checked(page: Page, name: string): Promise<void> {
  expect({ name, violations: await seriousViolations(page) }).toEqual({ name, violations: [] });
  await keepScreenshot(page, `admin-groups-${name}`);
}

const GOOD = [makePesel('1990-04-02', 'female', 11), makePesel('1988-11-20', 'male', 12)];
const BAD_CHECKSUM = `${makePesel('1985-01-01', 'female', 13).slice(0, 10)}${(Number(makePesel('1985-01-01', 'female', 13)[10]) + 1) % 10}`;
/** Line 1 is the header; lines 4, 5 and 6 are wrong. */
const LIST = [
  'pesel;group',
  `${GOOD[0]};medical`,
  `${GOOD[1]};medical`,
  `${BAD_CHECKSUM};medical`,
  `${GOOD[0]};Lekarze`,
  `${GOOD[1]};medical`,
].join('\r\n');

const adminToken = async () =>
  (await apiCall<{ token: string }>(app, 'POST', '/dev-idp/token', null, { role: 'admin', id: 'admin-1' })).token;

describe('priority groups and announcements', () => {
  test('a list with bad rows: each named by line and field; the good ones taken; the same file again changes nothing', async () => {
    const { context, page } = await openContext(app, DESKTOP);
    await signIn(page);
    await page.getByRole('navigation', { name: 'Strony administracji' }).getByRole('link', { name: 'Grupy' }).click();
    await page.getByRole('heading', { level: 1, name: 'Skierowania grup priorytetowych' }).waitFor();
    await checked(page, 'empty');
    await page.getByRole('button', { name: 'Wyślij' }).click();
    await page.getByText('Wybierz plik.').waitFor();

    const file = { name: 'szpital-lista.csv', mimeType: 'text/csv', buffer: Buffer.from(LIST, 'utf8') };
    await page.getByLabel('Plik CSV ze skierowaniami').setInputFiles(file);
    await page.getByRole('button', { name: 'Wyślij' }).click();
    await page.getByText('szpital-lista.csv: wierszy 5, przyjętych 2, odrzuconych 3.').waitFor();
    const report = page.getByRole('table', { name: 'Raport wierszy' });
    const rows = await report.getByRole('row').allTextContents();
    // Bad rows first, each with its line.
    expect(rows.slice(1, 4).map((row) => row.match(/^\d+/)?.[0])).toEqual(['4', '5', '6']);
    expect(rows.slice(1, 4).every((row) => row.includes('odrzucony'))).toBe(true);
    expect(rows[1]).toContain('Cyfra kontrolna');
    expect(rows[2]).toContain('group');
    expect(rows[3]).toContain('Ten sam PESEL i grupa co w wierszu 3.');
    await checked(page, 'report');

    await page.getByLabel('Plik CSV ze skierowaniami').setInputFiles(file);
    await page.getByRole('button', { name: 'Wyślij' }).click();
    await page.getByText('szpital-lista.csv: wierszy 5, przyjętych 2, odrzuconych 3.').waitFor();
    const { uploads } = await apiCall<{ uploads: unknown[] }>(
      app,
      'GET',
      '/api/admin/group-referrals',
      await adminToken(),
    );
    expect(uploads).toHaveLength(1);
    await context.close();
  });

  test('an announcement in three languages reaches the patients’ start page and the hotline', async () => {
    const { context, page } = await openContext(app, PHONE);
    await signIn(page, '/admin/announcements');
    await page.getByRole('heading', { level: 1, name: 'Komunikaty' }).waitFor();
    await checked(page, 'announcements-empty');
    await page.getByRole('button', { name: 'Nowy komunikat' }).click();
    await page.getByLabel('Treść po polsku').fill('Zapisy dla rocznika 1951 ruszą dziś o 20:00.');
    await page.getByLabel('Treść po angielsku').fill('Booking for people born in 1951 opens today at 20:00.');
    await page.getByLabel('Treść po ukraińsku').fill('Запис для народжених у 1951 році відкриється сьогодні о 20:00.');
    await page.getByLabel('Od dnia').fill('12.01.2026');
    await page.getByLabel('Od godziny').fill('08:00');
    await page.getByLabel('Do dnia').fill('12.01.2026');
    await page.getByLabel('Do godziny').fill('21:00');
    await page.getByRole('button', { name: 'Zapisz komunikat' }).click();
    await page.getByText('Komunikat zapisany.').waitFor();
    await checked(page, 'announcement-saved');
    await context.close();

    for (const [language, text] of [
      ['Polski', 'Zapisy dla rocznika 1951 ruszą dziś o 20:00.'],
      ['English', 'Booking for people born in 1951 opens today at 20:00.'],
      ['Українська', 'Запис для народжених у 1951 році відкриється сьогодні о 20:00.'],
    ] as const) {
      const patient = await openContext(app, PHONE);
      await patient.page.goto(app.url);
      await patient.page.getByRole('button', { name: language }).first().click();
      await patient.page.getByText(text).waitFor();
      expect({ language, violations: await seriousViolations(patient.page) }).toEqual({ language, violations: [] });
      await keepScreenshot(patient.page, `admin-groups-patient-announcement-${language}`);
      await patient.context.close();
    }

    const agent = await openContext(app, DESKTOP);
    await signInToConsole(app, agent.page, /Magdalena Sikora/);
    await agent.page.getByText('Zapisy dla rocznika 1951 ruszą dziś o 20:00.').waitFor();
    await keepScreenshot(agent.page, 'admin-groups-agent-announcement');
    await agent.context.close();
  });

  test('the pages read in English at 360 px and on a desktop', async () => {
    for (const size of [PHONE, DESKTOP]) {
      const { context, page } = await openContext(app, { ...size, locale: 'en-GB' });
      await signIn(page);
      await page
        .getByRole('button', { name: /English/ })
        .first()
        .click();
      for (const [shown, path] of Object.entries({ groups: '/admin/groups', announcements: '/admin/announcements' })) {
        await page.goto(`${app.url}${path}`);
        await page.getByRole('heading', { level: 1 }).waitFor();
        await page.waitForLoadState('networkidle');
        const name = `en-${size.width}-${shown}`;
        expect({ name, violations: await seriousViolations(page) }).toEqual({ name, violations: [] });
        await keepScreenshot(page, `admin-groups-${name}`);
      }
      await context.close();
    }
  });
});
