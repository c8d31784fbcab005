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
 * Opening a birth year as the ministry does it: the first administrator drafts "born in 1981 or
 * earlier" from 12:00 today, reads the preview (its figures checked against the warehouse's own
 * events and snapshot), proposes it and cannot approve it; the second administrator approves it. Olena,
 * born in 1981, waits in the opening's waiting room at 11:59 (a booking then is refused) and books at
 * 12:00 once it lets her in. Every state passes axe; the pages are
 * photographed in Polish and English at 360 px and on a desktop.
 */

let app: AppUnderTest;
appForThisFile((started) => {
  app = started;
});

/** The opening: noon in Warsaw on the harness's Monday, 12 January 2026 (11:00 UTC). */
const OPENS_AT = '2026-01-12T11:00:00.000Z';
const MINUTE_BEFORE = '2026-01-12T10:59:00.000Z';
/** Olena Kowalenko of the demo, born in 1981. */
const OLENA_PESEL = '81051739246';

/** Signs in to the administration (in Polish) through the development provider's ministry page. */
const signIn = (page: Page, person: RegExp, path = '/admin/') => signInToAdmin(app, page, person, path);

async function checked(page: Page, name: string): Promise<void> {
  expect({ name, violations: await seriousViolations(page) }).toEqual({ name, violations: [] });
  await keepScreenshot(page, `admin-policy-${name}`);
}

/** People registered in the warehouse born in these years, counted from the raw events. */
function registeredBornIn(first: number, last: number): number {
  const row = app.system.db
    .prepare(
      `SELECT COUNT(DISTINCT subject_id) AS n FROM report_events
       WHERE type IN ('patient.registered', 'patient.registered.v2')
         AND CAST(json_extract(data, '$.birthYear') AS INTEGER) BETWEEN ? AND ?`,
    )
    .get(first, last) as { n: number };
  return row.n;
}

/** Free places within 28 days in the latest availability snapshot, all products (adults may take any). */
function freeIn28Days(): number {
  const row = app.system.db
    .prepare(
      `SELECT SUM(places_free) AS n FROM report_availability_snapshots
       WHERE snapshot_date = (SELECT MAX(snapshot_date) FROM report_availability_snapshots)`,
    )
    .get() as { n: number };
  return row.n;
}

const plain = (text: string | null) => Number((text ?? '').replace(/\D/g, ''));

/** What `read` gives once it gives `wanted` (the preview refreshes as the draft is typed), or its last answer. */
async function settled<T>(read: () => Promise<T>, wanted: T): Promise<T> {
  let last = await read();
  for (let attempt = 0; attempt < 50 && last !== wanted; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await read();
  }
  return last;
}

describe('opening a birth year with two administrators', () => {
  let changePath = '';

  beforeAll(async () => {
    await app.system.dispatcher.drain();
    await app.system.reports.refresh();
  });

  test('the first administrator drafts the opening and reads what it will do', async () => {
    const { context, page } = await openContext(app, DESKTOP);
    await signIn(page, /Ministry administrator/);
    await checked(page, 'overview');
    await page
      .getByRole('navigation', { name: 'Strony administracji' })
      .getByRole('link', { name: 'Zasady zapisów' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Zasady zapisów' }).waitFor();
    await checked(page, 'policy');
    await page.getByRole('link', { name: 'Zaproponuj zmianę' }).click();
    await page.getByRole('heading', { level: 1, name: 'Nowa zmiana zasad' }).waitFor();
    await page.getByLabel('Urodzeni w roku lub wcześniej').fill('1981');
    await page.getByLabel('Data otwarcia').fill('12.01.2026');
    await page.getByLabel('Godzina otwarcia').fill('12:00');

    const preview = page.getByRole('region', { name: 'Skutki zmiany' });
    const newlyEligible = preview.locator('dt', { hasText: 'Zarejestrowani, którzy zyskają prawo do zapisu' });
    await newlyEligible.waitFor();
    // Born 1972–1981: the rules in force already admit 1971 and earlier.
    const expected = registeredBornIn(1972, 1981);
    expect(expected).toBeGreaterThan(0);
    const figure = newlyEligible.locator('xpath=following-sibling::dd[1]');
    expect(await settled(async () => plain(await figure.textContent()), expected)).toBe(expected);
    const total = preview.getByRole('row', { name: /Razem/ });
    const cells = await total.getByRole('cell').allTextContents();
    expect(plain(cells[2] ?? null)).toBe(freeIn28Days());
    await checked(page, 'draft-preview');

    await page.getByLabel('Uwaga dla drugiego administratora').fill('Rocznik 1981 od południa.');
    await page.getByRole('button', { name: 'Zaproponuj', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Zmiana zasad' }).waitFor();
    changePath = new URL(page.url()).pathname;
    const approve = page.getByRole('button', { name: 'Zatwierdź' });
    await expect(approve.isDisabled()).resolves.toBe(true);
    await page.getByText('Zatwierdzić musi drugi administrator').first().waitFor();
    await checked(page, 'change-own');
    await context.close();
  });

  test('the proposer cannot approve through the API either', async () => {
    const token = (
      await apiCall<{ token: string }>(app, 'POST', '/dev-idp/token', null, { role: 'admin', id: 'admin-1' })
    ).token;
    const changeId = decodeURIComponent(changePath.split('/').pop() ?? '');
    const reply = await fetch(`${app.url}/api/admin/policy-changes/${encodeURIComponent(changeId)}/approve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: '{}',
    });
    expect(reply.status).toBe(403);
    expect(((await reply.json()) as { error: { code: string } }).error.code).toBe('SAME_ADMIN');
  });

  test('the second administrator approves it, on a phone', async () => {
    const { context, page } = await openContext(app, PHONE);
    await signIn(page, /Katarzyna Wójcik/, changePath);
    await page.getByRole('heading', { level: 1, name: 'Zmiana zasad' }).waitFor();
    await page.getByRole('region', { name: 'Skutki zmiany' }).getByRole('table').waitFor();
    await checked(page, 'change-second-admin');
    await page.getByRole('button', { name: 'Zatwierdź' }).click();
    await page.getByText('Zatwierdzić tę zmianę? Zacznie obowiązywać od razu.').waitFor();
    await page.getByRole('button', { name: 'Tak, wykonaj' }).click();
    await page.getByText(/Zmiana zatwierdzona\. Zasady mają teraz wersję \d+\./).waitFor();
    await checked(page, 'change-approved');
    await page.goto(`${app.url}/admin/policy`);
    await page.getByRole('cell', { name: /1981/ }).first().waitFor();
    await checked(page, 'policy-after');
    await context.close();
  });

  test('Olena, born in 1981, waits at 11:59 and books at 12:00 when the waiting room lets her in', async () => {
    app.clock.set(MINUTE_BEFORE);
    const { context, page } = await openContext(app, PHONE);
    await page.clock.setFixedTime(new Date(MINUTE_BEFORE));
    await page.goto(`${app.url}/queue`);
    await page.getByRole('main').getByRole('button', { name: 'Zaloguj się' }).click();
    await page.waitForURL(/\/dev-idp\/login/);
    await page.getByRole('button', { name: /Olena/ }).click();
    await page.waitForURL(/\/queue$/);
    await page.getByRole('heading', { name: 'Kolejność losujemy o 12:00' }).waitFor();
    await keepScreenshot(page, 'admin-policy-patient-before');
    // Not a minute before: a booking straight through the API is refused too.
    const { assertion } = await apiCall<{ assertion: string }>(app, 'POST', '/dev-idp/assertion', null, {
      pesel: OLENA_PESEL,
    });
    const session = await apiCall<{ token: string; patient: { id: string } }>(app, 'POST', '/api/login', null, {
      assertion,
    });
    const search = await apiCall<{ results: Array<{ slots: Array<{ slotId: string }> }> }>(
      app,
      'GET',
      '/api/search?postalCode=00-950&vaccineId=comirnaty',
      null,
    );
    const early = await fetch(`${app.url}/api/booking/appointments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${session.token}` },
      body: JSON.stringify({ patientId: session.patient.id, slotId: search.results[0]?.slots[0]?.slotId }),
    });
    // The waiting room answers first: she is to wait in line, not book.
    expect(early.status).toBe(409);
    expect(((await early.json()) as { error: { code: string } }).error.code).toBe('QUEUE_REQUIRED');

    app.clock.set(OPENS_AT);
    await page.clock.setFixedTime(new Date(OPENS_AT));
    await app.system.queue.tick();
    app.clock.set('2026-01-12T11:00:05.000Z');
    await page.clock.setFixedTime(new Date('2026-01-12T11:00:05.000Z'));
    await app.system.queue.tick();
    await page
      .getByRole('heading', { name: /^Twoja kolej — na rezerwację masz czas do 12:10$/ })
      .waitFor({ timeout: 15_000 });
    await page.goto(`${app.url}/search?postalCode=00-950&vaccineId=comirnaty`);
    const slot = page
      .getByRole('main')
      .getByRole('link', { name: /Comirnaty/ })
      .first();
    await slot.click();
    await page.waitForURL(/\/book\//);
    const confirm = page.getByRole('button', { name: 'Potwierdzam rezerwację' });
    await confirm.waitFor();
    await confirm.click();
    await page.getByRole('heading', { level: 1, name: 'Wizyty zarezerwowane' }).waitFor();
    await keepScreenshot(page, 'admin-policy-patient-booked');
    await context.close();
  });

  test('every page of the policy reads in English at 360 px and on a desktop', async () => {
    for (const size of [PHONE, DESKTOP]) {
      const { context, page } = await openContext(app, { ...size, locale: 'en-GB' });
      await signIn(page, /Ministry administrator/);
      await page
        .getByRole('button', { name: /English/ })
        .first()
        .click();
      const pages = { overview: '/admin/', policy: '/admin/policy', draft: '/admin/policy/new', change: changePath };
      for (const [shown, path] of Object.entries(pages)) {
        await page.goto(`${app.url}${path}`);
        await page.getByRole('heading', { level: 1 }).waitFor();
        await page.waitForLoadState('networkidle');
        const name = `en-${size.width}-${shown}`;
        expect({ name, violations: await seriousViolations(page) }).toEqual({ name, violations: [] });
        await keepScreenshot(page, `admin-policy-${name}`);
      }
      await context.close();
    }
  });
});
