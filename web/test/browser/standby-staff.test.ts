import { makePesel, runStandbyMatcher } from '@ereg/shared';
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
  signInToConsole,
} from './harness.ts';

/*
 * The standby list as the staff see it, by keyboard. A centre's manager says from today's page that
 * doses are left ("Doses left today") and is told how many places went to the standby list; a person
 * on it near the centre is offered one. An agent looks a caller up (with a reason), opens the standby
 * panel with Alt+L, reads the choices back and puts him on the list; when a place frees up near him
 * the agent sees the offer and takes it for him, and it is his visit. Every state passes axe and is
 * photographed in Polish, English and Ukrainian at 360 px and on a desktop.
 */

let app: AppUnderTest;
appForThisFile((started) => {
  app = started;
});

/** Monday 12 January 2026, the fixed day of the tests, in Warsaw. */
const TODAY = '2026-01-12';
const LANGUAGES = { pl: 'Polski', en: 'English', uk: 'Українська' } as const;
const SCREENS = [
  ['360', PHONE],
  ['desktop', DESKTOP],
] as const;

/** Passes axe and is photographed as `standby-<app>-<state>-<language>-<screen>`. */
async function checked(page: Page, name: string): Promise<void> {
  expect({ name, violations: await seriousViolations(page) }).toEqual({ name, violations: [] });
  await keepScreenshot(page, `standby-${name}`);
}

/**
 * The state shown now, on both screens in every language (chosen with the header's buttons, the page
 * kept), each waited for by its words and nothing wider than the screen; back in Polish at 360 px.
 */
async function everywhere(page: Page, name: string, ready: Record<keyof typeof LANGUAGES, string | RegExp>) {
  for (const [screen, size] of SCREENS) {
    await page.setViewportSize(size);
    for (const [language, button] of Object.entries(LANGUAGES) as Array<[keyof typeof LANGUAGES, string]>) {
      await page.getByRole('button', { name: button, exact: true }).click();
      await page.getByText(ready[language]).first().waitFor();
      expect({ name, screen, width: await page.evaluate(() => document.documentElement.scrollWidth) }).toEqual({
        name,
        screen,
        width: size.width,
      });
      await checked(page, `${name}-${language}-${screen}`);
    }
  }
  await page.setViewportSize(PHONE);
  await page.getByRole('button', { name: LANGUAGES.pl, exact: true }).click();
  await page.getByText(ready.pl).first().waitFor();
}

/** Tab forward until the focused element says `text`; no mouse. */
async function tabTo(page: Page, text: RegExp): Promise<void> {
  for (let i = 0; i < 80; i += 1) {
    await page.keyboard.press('Tab');
    const label = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      if (!element || element === document.body) return '';
      return `${element.getAttribute('aria-label') ?? ''} ${element.textContent ?? ''}`;
    });
    if (text.test(label.trim())) return;
  }
  throw new Error(`Nothing focusable says ${text}`);
}

/** Tab forward (past a date's parts) until the field `id` has the focus. */
async function tabToField(page: Page, id: string): Promise<void> {
  for (let i = 0; i < 20; i += 1) {
    await page.keyboard.press('Tab');
    if ((await page.evaluate(() => document.activeElement?.id)) === id) return;
  }
  throw new Error(`Tab never reaches #${id}`);
}

/** A person who logs in once with a mobile number (one phone holds one open offer, so each their own); answers their session token and record's id. */
async function personLoggedIn(pesel: string, givenName: string, familyName: string, phone: string) {
  const { assertion } = await apiCall<{ assertion: string }>(app, 'POST', '/dev-idp/assertion', null, {
    pesel,
    givenName,
    familyName,
    phone,
  });
  const { token } = await apiCall<{ token: string }>(app, 'POST', '/api/login', null, { assertion });
  const patient = await app.system.store.runInTransaction((tx) => tx.getPatientByPesel(pesel));
  if (!patient) throw new Error(`${pesel} has no record`);
  return { token, patientId: patient.id };
}

interface Centre {
  id: string;
  name: string;
  address: { city: string };
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

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('the standby list at the centre and on the hotline', () => {
  test('a manager says doses are left today, by keyboard, and sees how many places went to the standby list', async () => {
    // The centre nearest 00-950 with Comirnaty slots later today, and a person near it on the list.
    const search = await apiCall<{ results: Array<{ centre: Centre }> }>(
      app,
      'GET',
      '/api/search?postalCode=00-950&vaccineId=comirnaty',
      null,
    );
    let centre: Centre | null = null;
    for (const { centre: candidate } of search.results) {
      const free = await apiCall<{ slots: unknown[] }>(
        app,
        'GET',
        `/api/centres/${candidate.id}/slots?vaccineId=comirnaty&from=${TODAY}&to=${TODAY}`,
        null,
      );
      if (free.slots.length > 0) {
        centre = candidate;
        break;
      }
    }
    if (!centre) throw new Error('No centre near 00-950 has Comirnaty slots today.');
    const waiting = await personLoggedIn(makePesel('1961-04-09', 'female', 301), 'Halina', 'Wójcik', '+48 600 333 444');
    await apiCall(app, 'PUT', `/api/booking/standby/${waiting.patientId}`, waiting.token, {
      from: TODAY,
      to: '2026-02-06',
      postalCode: '00-950',
      maxKm: 50,
    });
    const { staff } = await apiCall<{ staff: Array<{ name: string; role: string }> }>(
      app,
      'GET',
      `/dev-idp/staff?centreId=${centre.id}`,
      null,
    );
    const manager = staff.find((s) => s.role === 'centre-manager');
    if (!manager) throw new Error(`${centre.name} has no manager`);

    const { context, page } = await openContext(app, PHONE);
    try {
      await page.goto(`${app.url}/centre/`);
      await page.getByRole('button', { name: 'Zaloguj się' }).click();
      await page.waitForURL(/\/dev-idp\/login\/staff/);
      await page.getByLabel('Punkt szczepień').fill(centre.address.city);
      await page.getByRole('button', { name: 'Szukaj' }).click();
      await page
        .getByRole('link', { name: new RegExp(escaped(centre.name)) })
        .first()
        .click();
      await page.getByRole('button', { name: manager.name }).click();
      await page.getByRole('heading', { level: 1, name: 'Wizyty dzisiaj' }).waitFor();

      // By keyboard: the action, then the product (Comirnaty chosen by its letters), the doses, Enter.
      await tabTo(page, /^\s*Dawki zostały na dziś\s*$/);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Dawki, które się zmarnują' }).waitFor();
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Dawki, które się zmarnują');
      await page.keyboard.press('Tab');
      await page.keyboard.type('Comirnaty');
      expect(await page.getByLabel('Preparat').inputValue()).toBe('comirnaty');
      await page.keyboard.press('Tab');
      await page.keyboard.type('3');
      await everywhere(page, 'centre-wasted-form', {
        pl: 'Dawki, które się zmarnują',
        en: 'Doses that would be wasted',
        uk: 'Дози, які пропадуть',
      });
      await page.getByLabel('Liczba dawek').focus();
      await page.keyboard.press('Enter');

      const done = page.getByTestId('wasted-done');
      await done.getByRole('heading', { name: /^Zaproponowano \d+ termin/ }).waitFor();
      // The heading counts the places its list shows, time by time; at least the three doses.
      const said = Number((await done.getByRole('heading').textContent())?.match(/\d+/)?.[0]);
      const listed = (await done.locator('.wasted-slots li').allTextContents()).map((line) =>
        Number(line.match(/—\s*(\d+)/)?.[1]),
      );
      expect(said).toBe(listed.reduce((n, k) => n + k, 0));
      expect(said).toBeGreaterThanOrEqual(3);
      expect(await page.evaluate(() => document.activeElement?.closest('[data-testid="wasted-done"]') !== null)).toBe(
        true,
      );
      await everywhere(page, 'centre-wasted-done', {
        pl: /^Zaproponowano \d+ termin/,
        en: /^\d+ places? offered to the standby list/,
        uk: /^Запропоновано \d+ місц/,
      });

      // The person near the centre is offered one of its places (by this run or the system's own).
      await runStandbyMatcher(app.system.deps);
      const view = await apiCall<{ offer: { centre: { id: string } } | null }>(
        app,
        'GET',
        `/api/booking/standby/${waiting.patientId}`,
        waiting.token,
      );
      expect(view.offer?.centre.id).toBe(centre.id);
    } finally {
      await context.close();
    }
  });

  test('an agent puts a caller on the list with Alt+L, read back, and takes the place offered for him', async () => {
    const pesel = makePesel('1958-10-03', 'male', 302);
    const caller = await personLoggedIn(pesel, 'Zbigniew', 'Kaczmarek', '+48 600 555 666');

    const { context, page } = await openContext(app, PHONE);
    try {
      await signInToConsole(app, page, /Magdalena Sikora/);
      await page.keyboard.press('Alt+R');
      await page.keyboard.press('ArrowDown'); // caller-booking → caller-changing
      await page.keyboard.press('Enter');
      await page.getByLabel('Szukany PESEL').waitFor();
      await page.keyboard.press('Alt+F');
      await page.keyboard.type(pesel);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: 'Zbigniew Kaczmarek' }).waitFor();
      expect(decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '')).toBe(caller.patientId);
      const panel = page.getByTestId('caller-standby');
      await panel.getByText('Ta osoba nie jest na liście rezerwowej.').waitFor();

      // Alt+L opens the form, its first date focused; the postal code typed, 50 km chosen by arrow keys.
      await page.keyboard.press('Alt+L');
      await panel.getByRole('heading', { name: 'Jakie terminy pasują dzwoniącemu' }).waitFor();
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('standby-from');
      await tabToField(page, 'standby-postalCode');
      await page.keyboard.type('00950');
      await page.keyboard.press('Tab');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      expect(await page.locator('#standby-maxKm').inputValue()).toBe('50');
      await everywhere(page, 'agent-join', {
        pl: 'Jakie terminy pasują dzwoniącemu',
        en: 'Which places suit the caller',
        uk: 'Який час підходить абонентові',
      });
      await page.locator('#standby-maxKm').focus();
      await tabTo(page, /Dalej: przeczytaj dzwoniącemu/);
      await page.keyboard.press('Enter');

      // The choices read back, the confirmation focused.
      const readBack = panel.getByTestId('standby-readback');
      await readBack.waitFor();
      expect(await readBack.textContent()).toBe(
        'od 12 stycznia 2026 do 8 lutego 2026, do 50 km od kodu 00-950; szczepionki: każda, którą może przyjąć',
      );
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Zgadza się — zapisz');
      await everywhere(page, 'agent-readback', {
        pl: 'Przeczytaj dzwoniącemu i zapytaj, czy się zgadza',
        en: 'Read this to the caller and ask if it is right',
        uk: 'Прочитайте абонентові й запитайте, чи все правильно',
      });
      await panel.getByRole('button', { name: 'Zgadza się — zapisz' }).focus();
      await page.keyboard.press('Enter');
      await panel.getByText('Zapisano na listę rezerwową.').waitFor();
      await panel.getByText('czeka na wcześniejszy termin').waitFor();
      const entry = await app.system.store.runInTransaction((tx) => tx.getStandbyEntry(caller.patientId));
      expect(entry).toMatchObject({ status: 'waiting', wishes: { postalCode: '00-950', maxKm: 50 } });
      await everywhere(page, 'agent-waiting', {
        pl: 'czeka na wcześniejszy termin',
        en: 'waiting for an earlier place',
        uk: 'чекає на раніший час',
      });

      // A centre near 00-950 says Comirnaty doses are left today; the matcher offers him a place.
      const { results } = await apiCall<{ results: Array<{ centre: { id: string } }> }>(
        app,
        'GET',
        '/api/search?postalCode=00-950&vaccineId=comirnaty&radiusKm=50',
        null,
      );
      let offered = false;
      for (const result of results) {
        try {
          await apiCall(
            app,
            'POST',
            `/api/centres/${result.centre.id}/standby/would-be-wasted`,
            await staffToken(result.centre.id),
            { vaccineId: 'comirnaty', doses: 2, until: '19:00' },
          );
        } catch {
          continue;
        }
        await runStandbyMatcher(app.system.deps);
        const open = await app.system.store.runInTransaction((tx) => tx.getStandbyEntry(caller.patientId));
        offered = open?.status === 'offered';
        if (offered) break;
      }
      expect(offered).toBe(true);

      // Alt+L comes back to the panel; its refresh shows the offer.
      await page.keyboard.press('Alt+L');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('caller-standby-title');
      await tabTo(page, /^Odśwież$/);
      await page.keyboard.press('Enter');
      const offer = panel.getByTestId('caller-standby-offer');
      await offer.getByRole('heading', { name: 'Zaproponowany termin' }).waitFor();
      await offer.getByText(/^Czeka na odpowiedź do \d\d:\d\d\.$/).waitFor();
      await everywhere(page, 'agent-offer', {
        pl: 'Zaproponowany termin',
        en: 'Place offered',
        uk: 'Запропонований час',
      });

      await page.keyboard.press('Alt+L');
      await tabTo(page, /^Przyjmij w jej imieniu$/);
      await page.keyboard.press('Enter');
      await panel.getByText('Przyjęto termin: to teraz jej wizyta.').waitFor();
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(
        'Przyjęto termin: to teraz jej wizyta.',
      );
      const visits = await app.system.store.runInTransaction((tx) => tx.listAppointmentsOfPatient(caller.patientId));
      expect(visits.filter((v) => v.status === 'booked' && v.localDate === TODAY)).toHaveLength(1);
      await everywhere(page, 'agent-placed', {
        pl: 'Przyjęto termin: to teraz jej wizyta.',
        en: 'Place taken: it is now their visit.',
        uk: 'Час прийнято: тепер це її візит.',
      });
    } finally {
      await context.close();
    }
  });
});
