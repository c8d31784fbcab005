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
} from './harness.ts';

/*
 * The ministry onboards a vaccination centre in Sopot with its manager, who then signs in to the
 * centres' app; it looks the centre up, suspends it (search no longer shows it) and resumes it; and it
 * changes a product of the catalogue after reading which booked visits the change concerns. Every state
 * passes axe; the pages are photographed at 360 px and on a desktop, in Polish and English.
 */

let app: AppUnderTest;
appForThisFile((started) => {
  app = started;
});

const CENTRE_NAME = 'Punkt Szczepień Sopot Centrum';
const MANAGER = { name: 'Ewa Malinowska', email: 'ewa.malinowska@sopot.example' };

const signIn = (page: Page, path = '/admin/') => signInToAdmin(app, page, /Ministry administrator/, path);

async function checked(page: Page, name: string): Promise<void> {
  expect({ name, violations: await seriousViolations(page) }).toEqual({ name, violations: [] });
  await keepScreenshot(page, `admin-centres-${name}`);
}

/** A person logs in through the provider and books the soonest Comirnaty course near a postal code; its visits. */
async function bookCourse(serial: number): Promise<Array<{ id: string; dose: number; start: string }>> {
  const { assertion } = await apiCall<{ assertion: string }>(app, 'POST', '/dev-idp/assertion', null, {
    pesel: makePesel('1950-03-10', 'female', serial),
    givenName: 'Osoba',
    familyName: `Testowa${serial}`,
  });
  const { token, patient } = await apiCall<{ token: string; patient: { id: string } }>(
    app,
    'POST',
    '/api/login',
    null,
    {
      assertion,
    },
  );
  const search = await apiCall<{ results: Array<{ slots: Array<{ slotId: string }> }> }>(
    app,
    'GET',
    '/api/search?postalCode=00-950&vaccineId=comirnaty',
    token,
  );
  const slotId = search.results[0]?.slots[0]?.slotId;
  if (!slotId) throw new Error('No free Comirnaty slot near 00-950.');
  await apiCall(
    app,
    'POST',
    '/api/booking/appointments',
    token,
    { patientId: patient.id, slotId },
    {
      'Idempotency-Key': `admin-centres-${serial}`,
    },
  );
  const { appointments } = await apiCall<{ appointments: Array<{ id: string; dose: number; start: string }> }>(
    app,
    'GET',
    `/api/booking/patients/${patient.id}/appointments`,
    token,
  );
  return appointments;
}

describe('the ministry’s centres and catalogue', () => {
  test('onboards a centre in Sopot with its manager, who signs in to the centres’ app', async () => {
    const { context, page } = await openContext(app, DESKTOP);
    await signIn(page);
    await page.getByRole('navigation', { name: 'Strony administracji' }).getByRole('link', { name: 'Punkty' }).click();
    await page.getByRole('heading', { level: 1 }).waitFor();
    await checked(page, 'search');
    await page.goto(`${app.url}/admin/centres/new`);
    await page.getByRole('heading', { level: 1, name: 'Nowy punkt szczepień' }).waitFor();
    await page.getByRole('button', { name: 'Dodaj punkt' }).click();
    await page.getByText('Popraw zaznaczone pola.').first().waitFor();
    await checked(page, 'onboard-errors');

    await page.getByLabel('Nazwa punktu').fill(CENTRE_NAME);
    await page.getByLabel('Ulica i numer').fill('ul. Bohaterów Monte Cassino 10');
    await page.getByLabel('Kod pocztowy').fill('81-701');
    await page.getByLabel('Miejscowość').fill('Sopot');
    await page.getByLabel('Województwo').selectOption({ label: 'pomorskie' });
    await page.getByLabel('Kod gminy TERYT (7 cyfr)').fill('2264011');
    await page.getByLabel('Szerokość geograficzna').fill('54.4418');
    await page.getByLabel('Długość geograficzna').fill('18.5601');
    await page.getByRole('img', { name: /Punkt na mapie Polski/ }).waitFor();
    await page.getByLabel('Telefon').fill('+48 58 555 01 00');
    await page.getByRole('group', { name: 'Kontakt' }).getByLabel('E-mail').fill('punkt@sopot.example');
    await page.getByRole('checkbox', { name: 'Comirnaty' }).check();
    const manager = page.getByRole('group', { name: 'Kierownik punktu' });
    await manager.getByLabel('Imię i nazwisko').fill(MANAGER.name);
    await manager.getByLabel('E-mail').fill(MANAGER.email);
    expect(await page.getByText('To pole jest wymagane.').count()).toBe(0);
    await checked(page, 'onboard-filled');
    await page.getByRole('button', { name: 'Dodaj punkt' }).click();
    await page.getByRole('heading', { level: 1, name: CENTRE_NAME }).waitFor();
    await page.getByText(MANAGER.name).first().waitFor();
    await checked(page, 'centre');

    const centre = (await app.system.store.listCentres()).find((c) => c.name === CENTRE_NAME);
    expect(centre).toMatchObject({ address: { city: 'Sopot', teryt: '2264011', voivodeship: 'pomorskie' } });
    await context.close();

    const staffPage = await openContext(app, PHONE);
    await staffPage.page.goto(`${app.url}/centre/`);
    await staffPage.page.getByRole('button', { name: 'Zaloguj się' }).click();
    await staffPage.page.waitForURL(/\/dev-idp\/login\/staff/);
    await staffPage.page.getByLabel('Punkt szczepień').fill('Sopot');
    await staffPage.page.getByRole('button', { name: 'Szukaj' }).click();
    await staffPage.page
      .getByRole('link', { name: new RegExp(CENTRE_NAME) })
      .first()
      .click();
    await staffPage.page.getByRole('button', { name: MANAGER.name }).click();
    await staffPage.page.getByRole('heading', { level: 1, name: 'Wizyty dzisiaj' }).waitFor();
    await keepScreenshot(staffPage.page, 'admin-centres-manager-signed-in');
    await staffPage.context.close();
  });

  test('suspends the centre, which search no longer shows, and resumes it', async () => {
    const centre = (await app.system.store.listCentres()).find((c) => c.name === CENTRE_NAME);
    if (!centre) throw new Error('The centre was not onboarded.');
    const shown = async () => {
      const found = await apiCall<{ results: Array<{ centre: { id: string } }> }>(
        app,
        'GET',
        '/api/search?postalCode=81-701&vaccineId=comirnaty&limit=50',
        null,
      );
      return found.results.some((r) => r.centre.id === centre.id);
    };
    await app.system.dispatcher.drain();
    expect(await shown()).toBe(true);

    const { context, page } = await openContext(app, PHONE);
    await signIn(page, '/admin/centres');
    await page
      .getByLabel(/Nazwa|Szukaj/)
      .first()
      .fill('sopot');
    await page.getByRole('button', { name: 'Szukaj' }).click();
    await page.getByRole('link', { name: CENTRE_NAME }).click();
    await page.getByRole('heading', { level: 1, name: CENTRE_NAME }).waitFor();
    await page.getByRole('button', { name: 'Zawieś' }).click();
    await page.getByLabel('Powód').fill('Awaria chłodziarki');
    await page.getByRole('button', { name: 'Tak, wykonaj' }).click();
    await page.getByText('Punkt zawieszony.').waitFor();
    await checked(page, 'suspended');
    expect(await shown()).toBe(false);

    await page.getByRole('button', { name: 'Wznów' }).click();
    await page.getByRole('button', { name: 'Tak, wykonaj' }).click();
    await page.getByText('Punkt wznowiony.').waitFor();
    expect(await shown()).toBe(true);
    await context.close();
  });

  test('a change of the catalogue names the booked visits it concerns before it is saved', async () => {
    const visits = await bookCourse(901);
    const second = visits.find((v) => v.dose === 2);
    const first = visits.find((v) => v.dose === 1);
    if (!first || !second) throw new Error('The course was not booked with its second dose.');
    const gapDays = Math.round((Date.parse(second.start) - Date.parse(first.start)) / 86_400_000);
    expect(gapDays).toBeLessThan(40);

    const { context, page } = await openContext(app, DESKTOP);
    await signIn(page, '/admin/vaccines');
    await page.getByRole('heading', { level: 1, name: 'Katalog szczepionek' }).waitFor();
    await checked(page, 'vaccines');
    await page.getByRole('button', { name: 'Zmień: Comirnaty' }).click();
    // The interval no longer allows the second dose as booked: at least 40 days from now on.
    await page.getByLabel('Najkrótszy odstęp (dni)').fill('40');
    await page.getByLabel('Zalecany odstęp (dni)').fill('40');
    await page.getByRole('button', { name: 'Sprawdź skutki' }).click();
    await page.getByText(/Zmiana dotyczy zapisanych wizyt: \d+\./).waitFor();
    const rows = page.locator('section[aria-labelledby="vaccine-impact"] table').getByRole('row');
    expect(await rows.count()).toBeGreaterThan(1);
    const impact = await apiCall<{ affected: Array<{ appointmentId: string }>; total: number }>(
      app,
      'POST',
      '/api/admin/vaccines/impact',
      (await apiCall<{ token: string }>(app, 'POST', '/dev-idp/token', null, { role: 'admin', id: 'admin-1' })).token,
      { vaccine: { ...(await comirnaty()), minIntervalDays: 40, recommendedIntervalDays: 40 } },
    );
    expect(impact.affected.map((a) => a.appointmentId)).toContain(second.id);
    await checked(page, 'vaccine-impact');

    await page.getByRole('checkbox', { name: /Rozumiem, że zmiana dotyczy/ }).check();
    await page.getByRole('button', { name: 'Zapisz' }).click();
    await page.getByText('Zapisano: Comirnaty.').waitFor();
    const kept = await app.system.store.getAppointment(second.id);
    expect(kept).toMatchObject({ status: 'booked', start: second.start });
    await context.close();
  });

  test('the pages read in English at 360 px and on a desktop', async () => {
    const centre = (await app.system.store.listCentres()).find((c) => c.name === CENTRE_NAME);
    for (const size of [PHONE, DESKTOP]) {
      const { context, page } = await openContext(app, { ...size, locale: 'en-GB' });
      await signIn(page);
      await page
        .getByRole('button', { name: /English/ })
        .first()
        .click();
      const pages = {
        centres: '/admin/centres',
        onboard: '/admin/centres/new',
        centre: `/admin/centres/${centre?.id ?? ''}`,
        vaccines: '/admin/vaccines',
      };
      for (const [shown, path] of Object.entries(pages)) {
        await page.goto(`${app.url}${path}`);
        await page.getByRole('heading', { level: 1 }).waitFor();
        await page.waitForLoadState('networkidle');
        const name = `en-${size.width}-${shown}`;
        expect({ name, violations: await seriousViolations(page) }).toEqual({ name, violations: [] });
        await keepScreenshot(page, `admin-centres-${name}`);
      }
      await context.close();
    }
  });
});

async function comirnaty(): Promise<Record<string, unknown>> {
  const { vaccines } = await apiCall<{ vaccines: Array<Record<string, unknown>> }>(
    app,
    'GET',
    '/api/search/vaccines',
    null,
  );
  const found = vaccines.find((v) => v.id === 'comirnaty');
  if (!found) throw new Error('No Comirnaty in the catalogue.');
  return found;
}
