import { isBookingReference } from '@ereg/shared';
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
 * Booking as a real person meets it, in the browser against the whole local system, standing on Friday
 * 4 December 2026: told before choosing when they cannot book yet; shown the second dose's proposed
 * date (not Christmas Day: centres are closed on public holidays) and free to pick another time inside
 * its interval; a confirmation with an address of its own that survives a reload, a booking reference
 * and its QR code; a far-away postal code placed at its locality. In Polish, English and Ukrainian, at
 * 360 px and on a desktop, with axe on every state.
 */

/** Friday 4 December 2026, 09:00 in Warsaw: three weeks later is Christmas Day. */
const FRIDAY = '2026-12-04T08:00:00.000Z';
const LANGUAGES = [
  ['pl', 'Polski'],
  ['en', 'English'],
  ['uk', 'Українська'],
] as const;

let app: AppUnderTest;
const checked: Array<{ state: string; violations: string[] }> = [];
appForThisFile(
  (started) => {
    app = started;
  },
  { now: FRIDAY },
);

async function inspect(page: Page, state: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  checked.push({ state, violations: await seriousViolations(page) });
  await keepScreenshot(page, `booking-${state}`);
}

const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name }).waitFor();

async function switchTo(page: Page, label: string): Promise<void> {
  await page.getByRole('button', { name: label, exact: true }).click();
}

describe('booking in the browser', () => {
  test('a person not yet eligible is told on the slot page from when, with no button that cannot work', async () => {
    const { context, page } = await openContext(app, PHONE);
    try {
      await logInAs(app, page, /Olena/);
      await openSoonestSlot(app, page);
      const expected = {
        pl: ['Zapisy jeszcze nie dla Ciebie', 'Zapisy dla Ciebie ruszą 14 grudnia 2026', 'Potwierdzam rezerwację'],
        en: ['Booking has not opened for you yet', 'Booking opens for you on 14 December 2026', 'Confirm booking'],
        uk: ['Запис для вас ще не відкрито', '14 грудня 2026', 'Підтверджую бронювання'],
      } as const;
      for (const [language, label] of LANGUAGES) {
        await switchTo(page, label);
        const [title, text, button] = expected[language];
        const alert = page.getByRole('alert');
        await alert.getByText(title).waitFor();
        expect((await alert.textContent()) ?? '').toContain(text);
        expect((await alert.textContent()) ?? '').not.toMatch(
          /Coś poszło nie tak|Something went wrong|Щось пішло не так/,
        );
        expect(await page.getByRole('button', { name: button }).count()).toBe(0);
        await inspect(page, `not-eligible-phone-${language}`);
      }
    } finally {
      await context.close();
    }
  });

  test('dose 2 is proposed after Christmas, another time in its interval can be chosen, and the confirmation lasts', async () => {
    const { context, page } = await openContext(app, DESKTOP);
    try {
      await logInAs(app, page, /Andrzej/);
      const slotId = await openSoonestSlot(app, page);
      await heading(page, 'Potwierdź rezerwację');
      const second = page.getByRole('region', { name: 'Dawka 2' });
      await second.waitFor();
      // Christmas Day and St Stephen's Day are holidays and the 27th a Sunday: Monday 28 December is proposed.
      expect((await second.textContent()) ?? '').toContain('poniedziałek, 28 grudnia 2026');
      await inspect(page, 'proposed-desktop-pl');

      await second.getByRole('button', { name: 'Wybierz inny termin dawki 2' }).click();
      const day = second.getByLabel('Dzień');
      await day.selectOption('2026-12-25');
      await second.getByText('Tego dnia nie ma wolnych godzin. Wybierz inny dzień.').waitFor();
      await inspect(page, 'christmas-closed-desktop-pl');
      await day.selectOption('2026-12-29');
      const times = second.getByRole('radio');
      await times.nth(1).waitFor();
      const chosenTime = ((await times.nth(1).locator('..').textContent()) ?? '').trim();
      await times.nth(1).check();
      expect((await second.textContent()) ?? '').toContain(`wtorek, 29 grudnia 2026 ${chosenTime}`);
      await inspect(page, 'chosen-desktop-pl');
      const bookTitles = { pl: 'Potwierdź rezerwację', en: 'Confirm your booking', uk: 'Підтвердьте бронювання' };
      for (const [language, label] of LANGUAGES) {
        await switchTo(page, label);
        await heading(page, bookTitles[language]);
        await page.setViewportSize(PHONE);
        await inspect(page, `chosen-phone-${language}`);
        expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(
          0,
        );
        await page.setViewportSize(DESKTOP);
      }
      await switchTo(page, 'Polski');

      const phone = page.getByLabel('Numer telefonu komórkowego');
      if ((await phone.count()) > 0) await phone.fill('600 700 800');
      await page.getByRole('button', { name: 'Potwierdzam rezerwację' }).click();
      await heading(page, 'Wizyty zarezerwowane');
      const reference = decodeURIComponent(new URL(page.url()).pathname.replace('/bookings/', ''));
      expect(isBookingReference(reference)).toBe(true);
      await page.getByRole('img', { name: `Kod QR numeru rezerwacji ${reference}` }).waitFor();
      expect(await page.getByText(reference, { exact: true }).count()).toBe(1);
      await inspect(page, 'confirmation-desktop-pl');

      const patient = await app.system.store.runInTransaction((tx) => tx.getPatientByPesel('71123113135'));
      const visits = await app.system.store.listAppointmentsOfPatient(patient?.id ?? '');
      expect(visits.map((v) => [v.dose, v.localDate, v.reference])).toEqual([
        [1, '2026-12-04', reference],
        [2, '2026-12-29', reference],
      ]);
      expect(visits[0]?.slotId).toBe(slotId);

      // A reload, or the address opened again, shows the same confirmation and books nothing.
      await page.reload();
      await heading(page, 'Wizyty zarezerwowane');
      await page.getByText(reference, { exact: true }).waitFor();
      expect(await app.system.store.listAppointmentsOfPatient(patient?.id ?? '')).toHaveLength(2);

      // The calendar file carries the reference and the confirmation's address.
      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Pobierz plik do kalendarza (.ics)' }).click();
      const file = await (await download).path();
      const { readFileSync } = await import('node:fs');
      const calendar = readFileSync(file, 'utf8').replace(/\r\n /g, '');
      expect(calendar).toContain(`Numer rezerwacji: ${reference}.`);
      expect(calendar).toContain(`/bookings/${reference}`);

      const titles = { pl: 'Wizyty zarezerwowane', en: 'Your visits are booked', uk: 'Візити заброньовано' };
      for (const [language, label] of LANGUAGES) {
        await switchTo(page, label);
        await heading(page, titles[language]);
        for (const [size, viewport] of [
          ['desktop', DESKTOP],
          ['phone', PHONE],
        ] as const) {
          await page.setViewportSize(viewport);
          await inspect(page, `confirmation-${size}-${language}`);
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          expect(overflow).toBeLessThanOrEqual(0);
        }
        await page.setViewportSize(DESKTOP);
      }
    } finally {
      await context.close();
    }
  });

  test('a far-away postal code is placed at its locality: Krosno is some 60 km from Ustrzyki Dolne, not next door', async () => {
    const admin = await fetch(`${app.url}/dev-idp/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'admin', id: 'admin-1' }),
    }).then((r) => r.json() as Promise<{ token: string }>);
    const onboard = (name: string, address: object, location: object) =>
      fetch(`${app.url}/api/admin/centres`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` },
        body: JSON.stringify({
          name,
          address,
          location,
          schedule: {
            weekly: {
              days: { mon: [{ from: '08:00', to: '16:00' }], fri: [{ from: '08:00', to: '16:00' }] },
              slotMinutes: 15,
              capacity: { comirnaty: 2 },
            },
          },
          staff: [{ name: 'Anna Nowak', email: `${name.length}@example.pl`, role: 'centre-manager' }],
        }),
      }).then((r) => expect(r.status).toBe(201));
    await onboard(
      'Szpital Miejski w Krośnie',
      { street: 'ul. Grunwaldzka 1', postalCode: '38-400', city: 'Krosno', voivodeship: 'podkarpackie' },
      { lat: 49.6887, lon: 21.7706 },
    );
    await onboard(
      'Ośrodek Zdrowia Ustrzyki Dolne',
      { street: 'ul. 29 Listopada 1', postalCode: '38-700', city: 'Ustrzyki Dolne', voivodeship: 'podkarpackie' },
      { lat: 49.4306, lon: 22.5944 },
    );
    const { context, page } = await openContext(app, PHONE);
    try {
      await page.goto(`${app.url}/search?postalCode=38-700&radiusKm=100`);
      const krosno = page
        .getByRole('main')
        .locator('li', { has: page.getByRole('heading', { name: 'Szpital Miejski w Krośnie' }) });
      await krosno.first().waitFor();
      const distance = Number(
        ((await krosno.first().textContent()) ?? '').match(/(\d+(?:,\d)?) km/)?.[1]?.replace(',', '.'),
      );
      expect(distance).toBeGreaterThan(55);
      expect(distance).toBeLessThan(75);
      const ustrzyki = page
        .getByRole('main')
        .locator('li', { has: page.getByRole('heading', { name: 'Ośrodek Zdrowia Ustrzyki Dolne' }) });
      expect((await ustrzyki.first().textContent()) ?? '').toContain('Mniej niż 1 km');
      await inspect(page, 'far-postal-code-phone-pl');

      await page.goto(`${app.url}/search?postalCode=79-100`);
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect((await alert.textContent()) ?? '').toContain('Nie znamy tego kodu pocztowego');
    } finally {
      await context.close();
    }
  });

  test('no state has a serious or critical accessibility violation', () => {
    expect(checked.length).toBeGreaterThanOrEqual(16);
    expect(checked.filter((c) => c.violations.length > 0)).toEqual([]);
  });
});
