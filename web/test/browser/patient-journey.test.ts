import { makePesel } from '@ereg/shared';
import type { Page } from 'playwright-core';
import { type AppUnderTest, appForThisFile, keepScreenshot, openContext, seriousViolations } from './harness.ts';

/*
 * The patients' app in a real browser (Debian's Chromium through playwright-core) against the whole
 * local system: log in as a demo citizen through the development identity provider, search by postal
 * code, book the course, see both doses, reschedule, cancel, switch language — on a desktop and on a
 * 360 px phone — with axe-core's WCAG 2.1 A/AA check on every page and a screenshot of each.
 */

let app: AppUnderTest;
const checked: Array<{ screen: string; page: string; violations: string[] }> = [];
appForThisFile((started) => {
  app = started;
});

/** The accessibility check and a screenshot of the page as it is now. */
async function inspect(page: Page, screen: string, name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  checked.push({ screen, page: name, violations: await seriousViolations(page) });
  await keepScreenshot(page, `${screen}-${name}`);
}

/** Presses Tab until the focused element's accessible text matches, as a keyboard user would. */
async function tabTo(page: Page, name: string | RegExp, limit = 80): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el) return '';
      const label = el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null;
      return [label, el.getAttribute('aria-label'), el.textContent].filter(Boolean).join(' ').trim();
    });
    if (typeof name === 'string' ? focused.includes(name) : name.test(focused)) return;
  }
  throw new Error(`Tab never reached ${String(name)}`);
}

const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });

async function waitForHeading(page: Page, name: string | RegExp): Promise<void> {
  await heading(page, name).waitFor({ timeout: 15_000 });
}

/** Polish is the default; the journey runs in it, then switches to English and Ukrainian. */
async function journey(screen: string, viewport: { width: number; height: number }, person: RegExp) {
  const { context, page } = await openContext(app, viewport);
  try {
    await page.goto(app.url);
    await waitForHeading(page, 'Zapisz się na szczepienie');
    expect(await page.locator('html').getAttribute('lang')).toBe('pl');
    await inspect(page, screen, '1-start');

    // Log in through the development identity provider's page.
    await page.getByRole('main').getByRole('button', { name: 'Zaloguj się' }).click();
    await page.waitForURL(/\/dev-idp\/login/);
    await inspect(page, screen, '2-identity-provider');
    await page.getByRole('button', { name: person }).click();
    await waitForHeading(page, 'Znajdź termin szczepienia');
    await page.getByTestId('eligibility').waitFor();
    expect((await page.getByTestId('eligibility').textContent()) ?? '').toContain('Możesz się zapisać');

    // Search by postal code, for a two-dose vaccine.
    await page.getByLabel('Kod pocztowy').fill('00-950');
    await page.getByLabel('Szczepionka').selectOption({ label: 'Comirnaty (2 dawki)' });
    await page.getByRole('button', { name: 'Szukaj', exact: true }).click();
    await page.getByRole('heading', { name: 'Najbliższe wolne terminy' }).waitFor();
    const centres = page.getByRole('heading', { level: 3 });
    expect(await centres.count()).toBeGreaterThan(0);
    const results = (await page.getByRole('main').textContent()) ?? '';
    expect(results).toMatch(/km/);
    expect(results).toContain('Comirnaty');
    await inspect(page, screen, '3-search-results');

    // Pick the soonest slot, confirm: both doses are booked.
    const slots = page.getByRole('main').getByRole('link', { name: /Comirnaty/ });
    await slots.first().click();
    await waitForHeading(page, 'Potwierdź rezerwację');
    await inspect(page, screen, '4-confirm');
    await page.getByRole('button', { name: 'Potwierdzam rezerwację' }).click();
    await waitForHeading(page, 'Wizyty zarezerwowane');
    await page.getByRole('heading', { name: 'Dawka 1' }).waitFor();
    await page.getByRole('heading', { name: 'Dawka 2' }).waitFor();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Pobierz plik do kalendarza (.ics)' }).first().click();
    const calendar = await download;
    expect(calendar.suggestedFilename()).toBe('szczepienia.ics');
    await inspect(page, screen, '5-booked');

    // My visits: both doses; move the first to another time.
    await page.getByRole('link', { name: 'Przejdź do moich wizyt' }).click();
    await waitForHeading(page, 'Moje wizyty');
    const upcoming = page.getByRole('region', { name: 'Zaplanowane wizyty' });
    await upcoming.getByRole('article', { name: 'Dawka 2' }).waitFor();
    const first = upcoming.getByRole('article', { name: 'Dawka 1' });
    const before = (await first.textContent()) ?? '';
    await inspect(page, screen, '6-visits');
    await first.getByRole('link', { name: 'Zmień termin' }).click();
    await waitForHeading(page, 'Zmień termin wizyty');
    const choices = page.getByRole('button', { name: /^Wybierz: / });
    await choices.first().waitFor();
    await choices.nth(1).click();
    await page.getByRole('button', { name: 'Potwierdzam zmianę terminu' }).click();
    await waitForHeading(page, 'Termin zmieniony');
    await inspect(page, screen, '7-rescheduled');
    await page.getByRole('navigation').getByRole('link', { name: 'Moje wizyty' }).click();
    await waitForHeading(page, 'Moje wizyty');
    const moved = page.getByRole('region', { name: 'Zaplanowane wizyty' }).getByRole('article', { name: 'Dawka 1' });
    await moved.waitFor();
    expect((await moved.textContent()) ?? '').not.toBe(before);

    // Cancel: asked to confirm first, then both doses go.
    await moved.getByRole('button', { name: 'Odwołaj wizytę' }).click();
    await page.getByRole('button', { name: 'Tak, odwołaj' }).click();
    await page.getByText('Odwołano 2 wizyty.').waitFor();
    // The list reloads after the cancellation: nothing is left upcoming.
    const left = page.getByRole('region', { name: 'Zaplanowane wizyty' }).getByRole('article');
    await left.first().waitFor({ state: 'detached' });
    expect(await left.count()).toBe(0);
    await inspect(page, screen, '8-cancelled');

    // Switch language: the page and <html lang> follow.
    await page.getByRole('button', { name: 'English' }).click();
    await waitForHeading(page, 'My visits');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByRole('button', { name: 'Українська' }).click();
    expect(await page.locator('html').getAttribute('lang')).toBe('uk');
    await page.getByRole('navigation').getByRole('link').first().waitFor();
    await inspect(page, screen, '9-ukrainian');

    // What the server holds agrees with the screen.
    const patient = await app.system.store.runInTransaction((tx) => tx.getPatientByPesel(peselOf(person)));
    const visits = await app.system.store.listAppointmentsOfPatient(patient?.id ?? '');
    expect(visits.map((v) => [v.dose, v.status])).toEqual([
      [1, 'cancelled'],
      [2, 'cancelled'],
    ]);
    expect(visits[0]?.version).toBe(3); // booked, moved, cancelled
  } finally {
    await context.close();
  }
}

const PEOPLE: Record<string, string> = { Andrzej: '71123113135', Janina: '46031464864' };
const peselOf = (person: RegExp) => PEOPLE[person.source.replace(/\W/g, '')] ?? '';

describe('a patient in the browser', () => {
  test('logs in, finds a slot by postal code, books both doses, moves and cancels them, and switches language on a desktop', async () => {
    await journey('desktop', { width: 1280, height: 900 }, /Andrzej/);
  });

  test('does the same on a 360 px wide phone', async () => {
    await journey('phone', { width: 360, height: 740 }, /Janina/);
    const { context, page } = await openContext(app, { width: 360, height: 740 });
    try {
      await page.goto(`${app.url}/search`);
      await waitForHeading(page, 'Znajdź termin szczepienia');
      // Nothing wider than the screen: no sideways scrolling on a phone.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    } finally {
      await context.close();
    }
  });

  test('finds slots near where the phone is, and says so plainly when there are none', async () => {
    const { context, page } = await openContext(app, {
      width: 360,
      height: 740,
      locale: 'en-GB',
      geolocation: { latitude: 52.2297, longitude: 21.0122 },
    });
    try {
      await page.goto(`${app.url}/search`);
      await page.getByRole('button', { name: 'English' }).click();
      await waitForHeading(page, 'Find a vaccination slot');
      await page.getByRole('button', { name: 'Use my location' }).click();
      await page.getByRole('heading', { name: 'Soonest free slots' }).waitFor();
      expect(await page.getByRole('heading', { level: 3 }).count()).toBeGreaterThan(0);
      await inspect(page, 'phone', '10-my-location');

      // Beyond the weeks for which slots are published: nothing anywhere.
      await page.getByRole('button', { name: 'Change search' }).click();
      await page.getByLabel('Postal code').fill('00-950');
      await page.getByLabel('Earliest date').fill('2026-06-01');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.getByRole('heading', { name: 'No free slots found' }).waitFor();
      expect((await page.getByRole('main').textContent()) ?? '').toContain('989');
      await inspect(page, 'phone', '11-nothing-found');

      await page.goto(`${app.url}/nowhere`);
      await waitForHeading(page, 'Page not found');
      await inspect(page, 'phone', '12-not-found');
    } finally {
      await context.close();
    }
  });

  test('is offered other slots when the chosen one was taken meanwhile', async () => {
    const { context, page } = await openContext(app, { width: 1280, height: 900, locale: 'en-GB' });
    try {
      await page.goto(app.url);
      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('main').getByRole('button', { name: 'Log in' }).click();
      await page.getByLabel('PESEL (11 digits)').fill('96042788372');
      await page.getByRole('button', { name: 'Log in' }).click();
      await waitForHeading(page, 'Find a vaccination slot');
      await page.getByLabel('Postal code').fill('00-950');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.getByRole('heading', { name: 'Soonest free slots' }).waitFor();
      await page.getByRole('main').getByRole('link', { name: /free/ }).first().click();
      await waitForHeading(page, 'Confirm your booking');
      // Meanwhile, other people take every place of that slot.
      const slotId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
      const slot = await app.system.store.getSlot(slotId);
      if (!slot) throw new Error(`no slot ${slotId}`);
      await app.system.store.runInTransaction(async (tx) => {
        tx.putSlot({ ...slot, booked: slot.capacity });
      });
      await page.getByRole('button', { name: 'Confirm booking' }).click();
      await page.getByRole('heading', { name: 'Free slots at the same centre' }).waitFor();
      const alternatives = page.getByRole('button', { name: /^Book: / });
      expect(await alternatives.count()).toBeGreaterThan(0);
      await inspect(page, 'desktop', '13-slot-taken');
      // The one chosen is checked again, its next dose proposed, before it is booked.
      await alternatives.first().click();
      await waitForHeading(page, 'Confirm your booking');
      await page.getByRole('region', { name: 'Dose 2' }).waitFor();
      await page.getByRole('button', { name: 'Confirm booking' }).click();
      await waitForHeading(page, /Your visits? (are|is) booked/);
      // The others' bookings were make-believe: the slot is given back, so the next test finds it as it was.
      await app.system.store.runInTransaction(async (tx) => {
        tx.putSlot(slot);
      });
    } finally {
      await context.close();
    }
  });

  test('a keyboard alone gets from the start page to a booked visit', async () => {
    const { context, page } = await openContext(app, { width: 1280, height: 900, locale: 'en-GB' });
    try {
      await page.goto(app.url);
      await page.getByRole('button', { name: 'English' }).focus();
      await page.keyboard.press('Enter');
      await waitForHeading(page, 'Book your vaccination');
      // The language is remembered; from a fresh load, the first Tab reaches the skip link, which takes
      // focus past the header to the main content.
      await page.reload();
      await waitForHeading(page, 'Book your vaccination');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to main content');
      await page.keyboard.press('Enter');
      await tabTo(page, 'Log in');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/dev-idp\/login/);
      // Someone not among the demo citizens: typed in, as any PESEL may be.
      await tabTo(page, 'PESEL (11 digits)');
      await page.keyboard.type(makePesel('1952-05-05', 'male', 123));
      await page.keyboard.press('Enter');
      await waitForHeading(page, 'Find a vaccination slot');
      await tabTo(page, 'Postal code');
      await page.keyboard.type('00-950');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Soonest free slots' }).waitFor();
      await tabTo(page, /places? free/);
      await page.keyboard.press('Enter');
      await waitForHeading(page, 'Confirm your booking');
      // The page loads what it shows from the API before its button books: wait until it has.
      await page.waitForLoadState('networkidle');
      await tabTo(page, 'Confirm booking');
      await page.keyboard.press('Enter');
      await waitForHeading(page, /Your visits? (are|is) booked/);
    } finally {
      await context.close();
    }
  });

  test('a person whose group has not opened yet is told from when, and can still look at slots', async () => {
    const { context, page } = await openContext(app, { width: 360, height: 740, locale: 'en-GB' });
    try {
      await page.goto(app.url);
      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('main').getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('button', { name: /Olena Kowalenko/ }).click();
      await waitForHeading(page, 'Find a vaccination slot');
      const eligibility = page.getByTestId('eligibility');
      await eligibility.waitFor();
      const told = (await eligibility.textContent()) ?? '';
      expect(told).toContain('You cannot book yet');
      expect(told).toMatch(/22 January/);
      await inspect(page, 'phone', '14-not-yet-eligible');
    } finally {
      await context.close();
    }
  });

  test('no page has a serious or critical accessibility violation', () => {
    expect(checked.length).toBeGreaterThanOrEqual(23);
    expect(checked.filter((c) => c.violations.length > 0)).toEqual([]);
  });
});
