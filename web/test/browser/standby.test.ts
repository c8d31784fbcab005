import { runStandbyMatcher } from '@ereg/shared';
import type { Page } from 'playwright-core';
import {
  type AppUnderTest,
  apiCall,
  appForThisFile,
  DESKTOP,
  keepScreenshot,
  logInAs,
  openContext,
  PHONE,
  seriousViolations,
} from './harness.ts';

/*
 * The standby list in the browser: Janina joins from the page on a 360 px phone; a centre near her says
 * doses are left today (through the API), the matcher offers her a place, and she takes it from the
 * page. Every state passes axe and is photographed in Polish, English and Ukrainian at 360 px and on a
 * desktop.
 */

let app: AppUnderTest;
appForThisFile((started) => {
  app = started;
});

const LANGUAGES = ['pl', 'en', 'uk'] as const;

async function checked(page: Page, name: string): Promise<void> {
  expect({ name, violations: await seriousViolations(page) }).toEqual({ name, violations: [] });
  await keepScreenshot(page, `standby-${name}`);
}

/** The state shown now, in every language, on this screen. */
async function inEveryLanguage(page: Page, name: string, screen: string, ready: Record<string, RegExp>) {
  for (const language of LANGUAGES) {
    await page.evaluate((chosen) => window.localStorage.setItem('ereg.language', chosen), language);
    await page.reload();
    await page.getByRole('heading', { name: ready[language] }).first().waitFor();
    await checked(page, `${name}-${language}-${screen}`);
  }
  await page.evaluate(() => window.localStorage.setItem('ereg.language', 'pl'));
  await page.reload();
  await page.getByRole('heading', { name: ready.pl }).first().waitFor();
}

/** The state shown now, in every language, at 360 px and then on a desktop (the same page, resized). */
async function onBothScreens(page: Page, name: string, ready: Record<string, RegExp>) {
  await inEveryLanguage(page, name, '360', ready);
  await page.setViewportSize(DESKTOP);
  await inEveryLanguage(page, name, 'desktop', ready);
  await page.setViewportSize(PHONE);
}

/** A token of one of a centre's staff, from the development provider. */
async function staffToken(centreId: string): Promise<string> {
  const { staff } = await apiCall<{ staff: Array<{ id: string }> }>(
    app,
    'GET',
    `/dev-idp/staff?centreId=${centreId}`,
    null,
  );
  const member = staff[0];
  if (!member) throw new Error(`No staff at ${centreId}`);
  return (await apiCall<{ token: string }>(app, 'POST', '/dev-idp/token', null, { role: 'staff', id: member.id }))
    .token;
}

describe('the standby list', () => {
  test('Janina joins from the page, is offered a place left over today near her, and takes it', async () => {
    const { context, page } = await openContext(app, PHONE);
    await logInAs(app, page, /Janina Kowalska/);
    await page.goto(`${app.url}/standby`);
    await page.getByRole('heading', { name: 'Zapisz się na listę' }).waitFor();
    await onBothScreens(page, 'join', {
      pl: /Zapisz się na listę/,
      en: /Join the list/,
      uk: /Записатися до списку/,
    });

    // A mistake is named at its field before anything is sent.
    await page.getByLabel('Kod pocztowy, skąd dojedziesz').fill('12');
    await page.getByRole('button', { name: 'Zapisz mnie na listę' }).click();
    await page.locator('#standby-postalCode[aria-invalid="true"]').waitFor();
    await checked(page, 'join-error-pl-360');

    await page.getByLabel('Kod pocztowy, skąd dojedziesz').fill('00-950');
    await page.getByLabel('Jak daleko możesz dojechać').selectOption('50');
    await page.getByRole('button', { name: 'Zapisz mnie na listę' }).click();
    const joined = page.getByText('Zapisano Cię na listę rezerwową.');
    await joined.or(page.getByRole('alert')).or(page.locator('.field-error')).first().waitFor();
    expect(await page.getByRole('main').textContent()).toContain('Zapisano Cię na listę rezerwową.');
    await onBothScreens(page, 'waiting', {
      pl: /Czekasz na wcześniejszy termin/,
      en: /You are waiting for an earlier place/,
      uk: /Ви чекаєте на раніший час/,
    });

    // A centre near 00-950 says three Comirnaty doses are left today, until 19:00; the matcher runs.
    const { results } = await apiCall<{ results: Array<{ centre: { id: string } }> }>(
      app,
      'GET',
      '/api/search?postalCode=00-950&vaccineId=comirnaty&radiusKm=50',
      null,
    );
    let offered = false;
    for (const result of results) {
      const token = await staffToken(result.centre.id);
      try {
        await apiCall(app, 'POST', `/api/centres/${result.centre.id}/standby/would-be-wasted`, token, {
          vaccineId: 'comirnaty',
          doses: 3,
          until: '19:00',
        });
      } catch {
        continue;
      }
      if ((await runStandbyMatcher(app.system.deps)).offered > 0) {
        offered = true;
        break;
      }
    }
    expect(offered).toBe(true);

    await page.reload();
    await page.getByRole('heading', { name: 'Mamy dla Ciebie wcześniejszy termin' }).waitFor();
    await page.getByRole('timer').waitFor();
    await inEveryLanguage(page, 'offer', '360', {
      pl: /Mamy dla Ciebie wcześniejszy termin/,
      en: /We have an earlier place for you/,
      uk: /Маємо для вас раніший час/,
    });

    // On a desktop too, the same offer.
    const desk = await openContext(app, DESKTOP);
    await logInAs(app, desk.page, /Janina Kowalska/);
    await desk.page.goto(`${app.url}/standby`);
    await inEveryLanguage(desk.page, 'offer', 'desktop', {
      pl: /Mamy dla Ciebie wcześniejszy termin/,
      en: /We have an earlier place for you/,
      uk: /Маємо для вас раніший час/,
    });
    await desk.context.close();

    // Taken by keyboard.
    await page.getByRole('button', { name: 'Przyjmuję termin' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('Termin jest Twój — to teraz Twoja wizyta.').waitFor();
    await onBothScreens(page, 'placed', {
      pl: /Masz wcześniejszy termin/,
      en: /You have an earlier place/,
      uk: /У вас раніший час/,
    });
    await page.goto(`${app.url}/visits`);
    await page.getByRole('link', { name: 'Chcesz przyjść wcześniej? Zapisz się na listę rezerwową' }).waitFor();
    await context.close();
  });
});
