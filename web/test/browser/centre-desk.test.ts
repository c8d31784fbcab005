import type { Page } from 'playwright-core';
import {
  type AppUnderTest,
  appForThisFile,
  DESKTOP,
  keepScreenshot,
  openContext,
  PHONE,
  seriousViolations,
} from './harness.ts';

/*
 * The centres' app at the desk, on a 360 px phone: a staff member signs in through the development
 * provider's staff page (a centre found by its town, then one of its staff), sees today's visits with
 * the counters, checks a patient in by the booking reference typed as read out, records the
 * vaccination and sees the counters change. Every state of the page passes axe; screenshots at 360 px
 * and on a desktop.
 */

let app: AppUnderTest;
appForThisFile((started) => {
  app = started;
});

const JANINA = '46031464864';
const ANDRZEJ = '71123113135';
/** Monday 12 January 2026, the fixed day of the tests, in Warsaw. */
const TODAY = '2026-01-12';

/** Posts JSON to the local system as a client of its API would. */
async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<unknown> {
  const reply = await fetch(`${app.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  if (!reply.ok) throw new Error(`${path}: ${reply.status} ${await reply.text()}`);
  return reply.json();
}

async function get<T>(path: string): Promise<T> {
  const reply = await fetch(`${app.url}${path}`);
  if (!reply.ok) throw new Error(`${path}: ${reply.status} ${await reply.text()}`);
  return (await reply.json()) as T;
}

interface Centre {
  id: string;
  name: string;
  address: { city: string };
}

/** The centre nearest Warsaw's 00-950 that has Comirnaty slots later today. */
async function centreOpenToday(): Promise<Centre> {
  const search = await get<{ results: Array<{ centre: Centre }> }>('/api/search?postalCode=00-950&vaccineId=comirnaty');
  for (const { centre } of search.results) {
    const free = await get<{ slots: unknown[] }>(
      `/api/centres/${centre.id}/slots?vaccineId=comirnaty&from=${TODAY}&to=${TODAY}`,
    );
    if (free.slots.length >= 2) return centre;
  }
  throw new Error('No centre near 00-950 has two free Comirnaty slots today.');
}

/** A demo citizen logs in and books a Comirnaty slot of the centre today; answers the booking reference. */
async function bookToday(pesel: string, centreId: string): Promise<string> {
  const { assertion } = (await post('/dev-idp/assertion', { pesel })) as { assertion: string };
  const { token } = (await post('/api/login', { assertion })) as { token: string };
  const free = await get<{ slots: Array<{ slotId: string }> }>(
    `/api/centres/${centreId}/slots?vaccineId=comirnaty&from=${TODAY}&to=${TODAY}`,
  );
  const slotId = free.slots[0]?.slotId;
  if (!slotId) throw new Error('no free slot today');
  const booked = (await post(
    '/api/booking/appointments',
    { slotId },
    { authorization: `Bearer ${token}`, 'idempotency-key': `centre-desk-${pesel}` },
  )) as { appointments: Array<{ reference: string; localDate: string }> };
  const today = booked.appointments.find((a) => a.localDate === TODAY);
  if (!today) throw new Error('the booking has no visit today');
  return today.reference;
}

async function expectAccessible(page: Page, state: string): Promise<void> {
  expect({ state, violations: await seriousViolations(page) }).toEqual({ state, violations: [] });
}

/** The counters at the top of the day, by name. */
async function counters(page: Page): Promise<Record<string, number>> {
  const values: Record<string, number> = {};
  for (const name of ['expected', 'checkedIn', 'vaccinated', 'left']) {
    const text = await page.locator(`[data-counter="${name}"] .counter-value`).textContent();
    values[name] = Number(text);
  }
  return values;
}

describe('the centre’s desk on a phone', () => {
  let centre: Centre;
  let staffName: string;
  let janinaReference: string;

  beforeAll(async () => {
    centre = await centreOpenToday();
    janinaReference = await bookToday(JANINA, centre.id);
    await bookToday(ANDRZEJ, centre.id);
    const { staff } = await get<{ staff: Array<{ name: string }> }>(`/dev-idp/staff?centreId=${centre.id}`);
    staffName = staff[0]?.name ?? '';
    expect(staffName).not.toBe('');
  });

  it('signs in, checks a patient in by the reference, records the vaccination and counts it', async () => {
    const { context, page } = await openContext(app, PHONE);
    try {
      await page.goto(`${app.url}/centre/`);
      await page.getByRole('heading', { level: 1, name: 'Logowanie personelu' }).waitFor();
      await expectAccessible(page, 'sign-in');
      await keepScreenshot(page, 'centre-sign-in-360');

      await page.getByRole('button', { name: 'Zaloguj się' }).click();
      await page.waitForURL(/\/dev-idp\/login\/staff/);
      await page.getByLabel('Punkt szczepień').fill(centre.address.city);
      await page.getByRole('button', { name: 'Szukaj' }).click();
      await page
        .getByRole('link', { name: new RegExp(centre.name) })
        .first()
        .click();
      await expectAccessible(page, 'provider: staff of the centre');
      await keepScreenshot(page, 'centre-provider-staff-360');
      await page.getByRole('button', { name: staffName }).click();

      await page.waitForURL(`${app.url}/centre/`);
      await page.getByRole('heading', { level: 1, name: 'Wizyty dzisiaj' }).waitFor();
      await page.getByText(`Zalogowano: ${staffName}`).waitFor();
      await page.getByRole('banner').getByText(centre.name).waitFor();
      await page.getByRole('button', { name: /Kowalska Janina/ }).waitFor();
      expect(await counters(page)).toEqual({ expected: 2, checkedIn: 0, vaccinated: 0, left: 2 });
      await expectAccessible(page, 'today’s list');
      await keepScreenshot(page, 'centre-day-360');

      // The reference as a patient reads it out: lower case, in two groups.
      const typed = `${janinaReference.slice(0, 4)} ${janinaReference.slice(4)}`.toLowerCase();
      await page.getByLabel('Numer rezerwacji').fill(typed);
      await page.getByRole('button', { name: 'Znajdź' }).click();
      const result = page.locator('.reference-result');
      // The course's two doses share the reference: today's first, the next one later.
      await result.getByRole('heading', { name: /Znaleziono 2 wizyty/ }).waitFor();
      await result.getByText(JANINA).waitFor();
      await result.getByText('Janina Kowalska').waitFor();
      await expectAccessible(page, 'visit found by reference');
      await keepScreenshot(page, 'centre-reference-found-360');

      await result.getByRole('button', { name: 'Zarejestruj przybycie' }).click();
      await result.getByRole('heading', { name: 'Zapisz szczepienie' }).waitFor();
      await page.locator('[data-counter="checkedIn"] .counter-value', { hasText: '1' }).waitFor();
      // The batch that expires first is offered, and the left arm; the next recording starts with the same.
      const batchChoice = result.getByLabel('Seria');
      await batchChoice.waitFor();
      const batchId = await batchChoice.inputValue();
      const batch = await app.system.store.runInTransaction((tx) => tx.getBatch(batchId));
      expect(batch).toMatchObject({ vaccineId: 'comirnaty', status: 'active' });
      await expectAccessible(page, 'recording the vaccination');
      await keepScreenshot(page, 'centre-record-360');
      await result.getByRole('button', { name: 'Zapisz szczepienie' }).click();
      await result.getByText('Zapisano szczepienie: Janina Kowalska.').waitFor();
      await page.locator('[data-counter="vaccinated"] .counter-value', { hasText: '1' }).waitFor();
      expect(await counters(page)).toEqual({ expected: 2, checkedIn: 1, vaccinated: 1, left: 1 });
      await page.locator('.visits .visit-vaccinated').getByText('Kowalska Janina').waitFor();
      await expectAccessible(page, 'vaccination recorded');
      await keepScreenshot(page, 'centre-recorded-360');

      const stored = await app.system.store.runInTransaction(async (tx) => {
        const patient = await tx.getPatientByPesel(JANINA);
        return patient ? tx.listAppointmentsOfPatient(patient.id) : [];
      });
      const given = stored.find((a) => a.reference === janinaReference && a.localDate === TODAY);
      expect(given?.status).toBe('completed');
      expect(given?.completion).toEqual(
        expect.objectContaining({
          vaccineId: 'comirnaty',
          lot: batch?.number,
          batchId,
          site: 'left_deltoid',
          at: app.now,
        }),
      );

      // The next patient from the list: the batch is offered as last time, so checking in and recording take two taps.
      await page.getByRole('button', { name: /Nowak Andrzej/ }).click();
      await page.getByRole('button', { name: 'Zarejestruj przybycie' }).click();
      const sameBatch = page.locator('.visits').getByLabel('Seria');
      await sameBatch.waitFor();
      await expect(sameBatch.inputValue()).resolves.toBe(batchId);
      await page.locator('.visits').getByText('Ta sama co przy ostatnim szczepieniu na tym urządzeniu.').waitFor();
      await keepScreenshot(page, 'centre-list-record-360');
      await page.locator('.visits').getByRole('button', { name: 'Zapisz szczepienie' }).click();
      await page.locator('[data-counter="vaccinated"] .counter-value', { hasText: '2' }).waitFor();
      expect(await counters(page)).toEqual({ expected: 2, checkedIn: 2, vaccinated: 2, left: 0 });
      await expectAccessible(page, 'day done');

      // The longest of the three languages still fits a 360 px screen.
      await page.getByRole('button', { name: 'Українська' }).click();
      await page.getByRole('heading', { level: 1, name: 'Візити сьогодні' }).waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
      await expectAccessible(page, 'day in Ukrainian');
      await keepScreenshot(page, 'centre-day-uk-360');
    } finally {
      await context.close();
    }
  });

  it('shows the day on a desktop, with the check-in beside the list', async () => {
    const { context, page } = await openContext(app, DESKTOP);
    try {
      await page.goto(`${app.url}/centre/`);
      await page.getByRole('button', { name: 'Zaloguj się' }).click();
      await page.getByLabel('Punkt szczepień').fill(centre.name);
      await page.getByRole('button', { name: 'Szukaj' }).click();
      await page
        .getByRole('link', { name: new RegExp(centre.name) })
        .first()
        .click();
      await page.getByRole('button', { name: staffName }).click();
      await page.getByRole('heading', { level: 1, name: 'Wizyty dzisiaj' }).waitFor();
      await page.getByRole('button', { name: /Kowalska Janina/ }).click();
      await page.getByText('Szczepienie zapisane.').waitFor();
      await expectAccessible(page, 'desktop day');
      await keepScreenshot(page, 'centre-day-desktop');

      await page.getByRole('link', { name: 'Następny dzień' }).click();
      await page.waitForURL(/\/centre\/day\?date=2026-01-13$/);
      await page.getByRole('heading', { level: 1, name: /Wizyty 13 stycznia 2026/ }).waitFor();
      await expectAccessible(page, 'another day');
      await keepScreenshot(page, 'centre-next-day-desktop');
    } finally {
      await context.close();
    }
  });
});
