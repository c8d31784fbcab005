import type { Page } from 'playwright-core';
import {
  type AppUnderTest,
  appForThisFile,
  DESKTOP,
  keepScreenshot,
  logInAs,
  openContext,
  openSoonestSlot,
  PHONE,
  seriousViolations,
} from './harness.ts';

/*
 * What a person is told by text message, read where the local system shows every message it would
 * send (/sms): booking a course, moving dose 1 to another centre in the patients' app (dose 2 stays
 * where it was, and the message says so, each visit with its own address), and cancelling in the app
 * with the text messages set to Polish, English and Ukrainian in turn (the reason in words of each).
 */

let app: AppUnderTest;
appForThisFile((started) => {
  app = started;
});

const JANINA = '46031464864';

const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name }).waitFor();

/**
 * The newest message of a purpose, as the /sms page shows it (reloaded until the message has been
 * planned: the outbox is delivered in the background).
 */
async function shownMessage(page: Page, purpose: string, newerThan = 0): Promise<string> {
  const rows = page
    .locator('#messages tr')
    .filter({ has: page.locator('td[data-label="purpose"]', { hasText: new RegExp(`^${purpose}$`) }) });
  for (let attempt = 0; attempt < 50; attempt++) {
    await page.goto(`${app.url}/sms`);
    await page.locator('#loading').waitFor({ state: 'hidden' });
    if ((await rows.count()) > newerThan) return (await rows.first().locator('td.body').textContent()) ?? '';
    await page.waitForTimeout(200);
  }
  throw new Error(`No new ${purpose} message on /sms`);
}

async function countOf(page: Page, purpose: string): Promise<number> {
  await page.goto(`${app.url}/sms`);
  await page.locator('#loading').waitFor({ state: 'hidden' });
  return page
    .locator('#messages tr')
    .filter({ has: page.locator('td[data-label="purpose"]', { hasText: new RegExp(`^${purpose}$`) }) })
    .count();
}

async function patient() {
  const found = await app.system.store.runInTransaction((tx) => tx.getPatientByPesel(JANINA));
  if (!found) throw new Error('Janina has not logged in');
  return found;
}

/** Cancels the first upcoming visit in My visits, as the person would (the app in Polish). */
async function cancelFirstVisit(page: Page): Promise<void> {
  await page.goto(`${app.url}/visits`);
  await heading(page, 'Moje wizyty');
  const upcoming = page.getByRole('region', { name: 'Zaplanowane wizyty' }).getByRole('article').first();
  await upcoming.getByRole('button', { name: 'Odwołaj wizytę' }).click();
  await page.getByRole('button', { name: 'Tak, odwołaj' }).click();
  await page.getByText(/^Odwołano/).waitFor();
}

/** Whether My visits lists a visit still to come. */
async function hasUpcoming(page: Page): Promise<boolean> {
  await page.goto(`${app.url}/visits`);
  await heading(page, 'Moje wizyty');
  await page.waitForLoadState('networkidle');
  return (await page.getByRole('region', { name: 'Zaplanowane wizyty' }).getByRole('article').count()) > 0;
}

/** Books the soonest Comirnaty slot near 00-950 through the app. */
async function bookSoonest(page: Page): Promise<void> {
  await openSoonestSlot(app, page);
  await page.getByRole('button', { name: 'Potwierdzam rezerwację' }).click();
  await page.waitForURL(/\/bookings\//);
}

test('moving dose 1 to another centre: the text puts each dose with its own centre and address', async () => {
  const { context, page } = await openContext(app, PHONE);
  try {
    await logInAs(app, page, /Janina/);
    await bookSoonest(page);
    const reference = decodeURIComponent(new URL(page.url()).pathname.replace('/bookings/', ''));
    const [first, second] = await app.system.store.listAppointmentsOfPatient((await patient()).id);
    const home = await app.system.store.getCentre(first?.centreId ?? '');
    if (!first || !second || !home) throw new Error('the course was not booked');

    // My visits → move dose 1 to a slot of another centre.
    await page.goto(`${app.url}/visits`);
    await page.getByRole('article', { name: 'Dawka 1' }).getByRole('link', { name: 'Zmień termin' }).click();
    await heading(page, 'Zmień termin wizyty');
    const choices = page.getByRole('button', { name: /^Wybierz: / });
    await choices.first().waitFor();
    const elsewhere = choices.filter({ hasNotText: home.name });
    await elsewhere.first().click();
    await page.getByRole('button', { name: 'Potwierdzam zmianę terminu' }).click();
    await heading(page, 'Termin zmieniony');

    const moved = await app.system.store.getAppointment(first.id);
    const kept = await app.system.store.getAppointment(second.id);
    const away = await app.system.store.getCentre(moved?.centreId ?? '');
    if (!moved || !kept || !away) throw new Error('the move was not stored');
    expect(away.id).not.toBe(home.id);
    expect(kept.centreId).toBe(home.id);

    const text = await shownMessage(page, 'moved');
    await keepScreenshot(page, 'messages-moved-phone');
    expect(await seriousViolations(page)).toEqual([]);
    const lines = text.split('\n');
    const ascii = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').replace(/ł/g, 'l').replace(/Ł/g, 'L');
    const after = (prefix: string) => lines[lines.findIndex((line) => line.startsWith(prefix)) + 1];
    // Each place: the centre's name (shortened to fit, if long), its street and its town.
    const place = (centre: typeof home) => ({
      name: ascii(centre.name).slice(0, 12),
      rest: ascii(`, ${centre.address.street}, ${centre.address.city}`),
    });
    for (const [prefix, centre] of [
      ['dawka 1:', away],
      ['dawka 2:', home],
    ] as const) {
      const line = after(prefix) ?? '';
      expect(line.startsWith(place(centre).name)).toBe(true);
      expect(line.endsWith(place(centre).rest)).toBe(true);
    }
    expect(lines).toContain(`Nr rezerwacji: ${reference}`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  } finally {
    await context.close();
  }
});

test('a cancellation says why in the language of the person’s text messages, never a code', async () => {
  const { context, page } = await openContext(app, DESKTOP);
  try {
    await logInAs(app, page, /Janina/);
    const expected = {
      pl: 'Powod: na Twoja prosbe',
      en: 'Reason: at your request',
      uk: 'Причина: на ваше прохання',
    } as const;
    for (const language of ['pl', 'en', 'uk'] as const) {
      // The text messages' language, set where the person sets it: under My visits.
      await page.goto(`${app.url}/visits`);
      await page.getByLabel('Język wiadomości SMS').selectOption(language);
      await page.getByRole('button', { name: 'Zapisz ustawienia SMS' }).click();
      await page.getByText('Zapisano ustawienia SMS.').waitFor();
      // Whatever is booked is cancelled first, then a course booked and cancelled.
      while (await hasUpcoming(page)) await cancelFirstVisit(page);
      const before = await countOf(page, 'cancelled');
      await bookSoonest(page);
      await cancelFirstVisit(page);
      const text = await shownMessage(page, 'cancelled', before);
      expect(text).toContain(expected[language]);
      expect(text).not.toMatch(/cancelled by|requested|patient\b/);
      await keepScreenshot(page, `messages-cancelled-desktop-${language}`);
    }
  } finally {
    await context.close();
  }
});
