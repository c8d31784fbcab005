import { readFileSync } from 'node:fs';
import { makePesel, type ReportSummary, TERYT_VOIVODESHIPS } from '@ereg/shared';
import type { Page } from 'playwright-core';
import { type AppUnderTest, apiCall, appForThisFile, DESKTOP, lookAt, openContext, PHONE } from './harness.ts';

/*
 * The ministry's dashboard on the real local server, its figures made by people booked and vaccinated
 * through the API today: twelve at a centre near Warsaw, three at one near Kraków. An analyst signs in on
 * the development provider's reports page and reads the tiles, the cartogram and the daily chart as the
 * API gives them; narrows the view by voivodeship and age group (the address keeps it); opens a chart's
 * table and downloads its CSV; sees a new vaccination after "refresh now". The public summary needs no
 * sign-in and withholds the three. Every state passes axe; screenshots in Polish and English at 360 px and
 * on a desktop, in docs/screenshots/reports.
 */

let app: AppUnderTest;
appForThisFile((started) => {
  app = started;
});

/** Monday 12 January 2026 in Warsaw. */
const TODAY = '2026-01-12';

interface Centre {
  id: string;
  name: string;
  address: { voivodeship: string };
}

/** The TERYT code of a centre's voivodeship (its address keeps the slug). */
const terytOf = (centre: Centre) => TERYT_VOIVODESHIPS.find((v) => v.slug === centre.address.voivodeship)?.teryt;

/** The Comirnaty centre nearest a postal code that still has room today. */
async function centreNear(postalCode: string): Promise<Centre> {
  const search = await apiCall<{ results: Array<{ centre: Centre }> }>(
    app,
    'GET',
    `/api/search?postalCode=${postalCode}&vaccineId=comirnaty`,
    null,
  );
  for (const { centre } of search.results) {
    const { slots } = await freeSlots(centre.id);
    if (slots.length > 0) return centre;
  }
  throw new Error(`No centre near ${postalCode} has room today.`);
}

const freeSlots = (centreId: string) =>
  apiCall<{ slots: Array<{ slotId: string; free: number }> }>(
    app,
    'GET',
    `/api/centres/${centreId}/slots?vaccineId=comirnaty&from=${TODAY}&to=${TODAY}`,
    null,
  );

/** A token of one of the centre's staff, from the development provider. */
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

let serial = 0;

/** Someone born in 1941 logs in, books today's first free Comirnaty place at the centre, comes and is vaccinated. */
async function vaccinateSomeone(centre: Centre, desk: string, batchId: string): Promise<void> {
  serial += 1;
  const pesel = makePesel(
    `1941-03-${String(1 + (serial % 28)).padStart(2, '0')}`,
    serial % 2 ? 'female' : 'male',
    serial,
  );
  const { assertion } = await apiCall<{ assertion: string }>(app, 'POST', '/dev-idp/assertion', null, {
    pesel,
    givenName: 'Osoba',
    familyName: `Testowa${serial}`,
  });
  const { token } = await apiCall<{ token: string }>(app, 'POST', '/api/login', null, { assertion });
  const slot = (await freeSlots(centre.id)).slots.find((s) => s.free > 0);
  if (!slot) throw new Error(`No room left today at ${centre.name}`);
  const booked = await apiCall<{ appointments: Array<{ id: string; localDate: string }> }>(
    app,
    'POST',
    '/api/booking/appointments',
    token,
    { slotId: slot.slotId },
    { 'idempotency-key': `reports-${serial}` },
  );
  const visit = booked.appointments.find((a) => a.localDate === TODAY);
  if (!visit) throw new Error('The booking has no visit today.');
  const at = `/api/centres/${centre.id}/appointments/${visit.id}`;
  await apiCall(app, 'POST', `${at}/check-in`, desk, {});
  await apiCall(app, 'POST', `${at}/complete`, desk, { vaccineId: 'comirnaty', batchId, site: 'left_deltoid' });
}

/** Vaccinates `count` people at a centre, as its desk records them. */
async function vaccinateAt(centre: Centre, count: number): Promise<void> {
  const desk = await staffToken(centre.id);
  const { batches } = await apiCall<{
    batches: Array<{ id: string; vaccineId: string; status: string; expired: boolean }>;
  }>(app, 'GET', `/api/centres/${centre.id}/batches`, desk);
  const batch = batches.find((b) => b.vaccineId === 'comirnaty' && b.status === 'active' && !b.expired);
  if (!batch) throw new Error(`No Comirnaty batch at ${centre.name}`);
  for (let i = 0; i < count; i++) await vaccinateSomeone(centre, desk, batch.id);
}

/** The warehouse takes in what happened (as its background refresh does every 20 s). */
async function warehouseCatchesUp(): Promise<void> {
  await app.system.dispatcher.drain();
  await app.system.reports.refresh();
}

let warsaw: Centre;
let krakow: Centre;
let analyst: string;

beforeAll(async () => {
  warsaw = await centreNear('00-950');
  krakow = await centreNear('31-019');
  expect(terytOf(warsaw)).toBe('14');
  expect(terytOf(krakow)).not.toBe('14');
  await vaccinateAt(warsaw, 12);
  await vaccinateAt(krakow, 3);
  await warehouseCatchesUp();
  analyst = (
    await apiCall<{ token: string }>(app, 'POST', '/dev-idp/token', null, { role: 'analyst', id: 'analyst-1' })
  ).token;
}, 120_000);

const summary = (query = '') => apiCall<ReportSummary>(app, 'GET', `/api/reports/summary${query}`, analyst);

/** A headline tile's figure as the page shows it, spaces made plain. */
async function tile(page: Page, name: string): Promise<string> {
  const text = await page
    .locator('.tile', { has: page.getByText(name, { exact: true }) })
    .locator('.tile-value')
    .textContent();
  return (text ?? '').replace(/[\u00a0\u202f]/g, ' ');
}

const polish = (n: number) => new Intl.NumberFormat('pl-PL').format(n).replace(/[\u00a0\u202f]/g, ' ');

/** Whether anything on the page is wider than the screen. */
const overflows = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);

/** Signs in on the dashboard (in Polish) as the demo analyst, through the provider's reports page. */
async function signIn(page: Page, path = '/reports/'): Promise<void> {
  await page.goto(`${app.url}${path}`);
  await page.getByRole('main').getByRole('button', { name: 'Zaloguj się' }).click();
  await page.waitForURL(/\/dev-idp\/login\/reports\?/);
  await page.getByRole('button', { name: 'Joanna Kamińska' }).click();
  await page.getByText('Zalogowano: Joanna Kamińska (analityk)').waitFor();
  await page.locator('.tile-value').first().waitFor();
}

test('an analyst signs in and reads the day’s figures as the API gives them: tiles, cartogram, chart', async () => {
  const { context, page } = await openContext(app, DESKTOP);
  try {
    await page.goto(`${app.url}/reports/`);
    await page.getByRole('heading', { level: 1, name: 'Logowanie do raportów' }).waitFor();
    await lookAt(page, 'reports', 'sign-in-pl-desktop');
    await page.getByRole('main').getByRole('button', { name: 'Zaloguj się' }).click();
    await page.waitForURL(/\/dev-idp\/login\/reports\?/);
    expect(new URL(page.url()).searchParams.get('ui_locales')).toBe('pl');
    await page.getByRole('button', { name: 'Joanna Kamińska' }).click();
    await page.waitForURL(`${app.url}/reports/`);
    await page.getByText('Zalogowano: Joanna Kamińska (analityk)').waitFor();
    await page.locator('.tile-value').first().waitFor();

    const api = await summary();
    expect(api.tiles.dosesToday).toBeGreaterThanOrEqual(15);
    expect(await tile(page, 'Dawki podane dziś')).toBe(polish(api.tiles.dosesToday ?? -1));
    expect(await tile(page, 'Dawki od początku szczepień')).toBe(polish(api.tiles.dosesTotal ?? -1));
    expect(await tile(page, 'Osoby w pełni zaszczepione')).toBe(polish(api.tiles.peopleFullyVaccinated ?? -1));
    await page.getByText(/^Dane z 12 stycznia 2026 \d\d:\d\d\.$/).waitFor();

    // The cartogram names each voivodeship's figure; Masovia's is the API's.
    const map = page.getByRole('list', { name: 'Osoby w pełni zaszczepione na 100 mieszkańców' });
    expect(await map.getByRole('listitem').count()).toBe(16);
    const masovia = api.voivodeships.find((v) => v.voivodeship === '14');
    // One decimal from 1 up, two below (the first weeks of a campaign).
    const perHundred = (value: number) =>
      new Intl.NumberFormat('pl-PL', { minimumFractionDigits: 1, maximumFractionDigits: value < 1 ? 2 : 1 }).format(
        value,
      );
    await map
      .getByRole('listitem')
      .filter({ hasText: 'mazowieckie' })
      .getByText(`${perHundred(masovia?.fullyVaccinatedPer100 ?? -1)} na 100`)
      .waitFor();

    // The chart is drawn (uPlot, loaded with the first chart under the page's policy) and said in words.
    await page.locator('.chart canvas').first().waitFor();
    const busiest = api.dailyTotals.reduce((top, d) => ((d.doses ?? 0) > (top.doses ?? 0) ? d : top));
    const day = new Intl.DateTimeFormat('pl-PL', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    await page
      .getByText(
        `Najwięcej dnia ${day.format(new Date(`${busiest.day}T12:00:00Z`))}: ${polish(busiest.doses ?? -1)}.`,
        {
          exact: false,
        },
      )
      .waitFor();
    await page.getByRole('list').filter({ hasText: 'Comirnaty' }).filter({ hasText: 'dawka 1' }).first().waitFor();
    expect(await overflows(page)).toBe(false);
    await lookAt(page, 'reports', 'dashboard-pl-desktop');
  } finally {
    await context.close();
  }
});

test('the filter narrows the view and stays in the address; a chart’s table opens and its CSV downloads', async () => {
  const { context, page } = await openContext(app, DESKTOP);
  try {
    await signIn(page);
    await page.getByLabel('Województwo').selectOption('14');
    await page.getByLabel('Grupa wieku').selectOption('80+');
    await page.getByLabel('Od dnia').fill('2026-01-05');
    await page.getByRole('button', { name: 'Pokaż', exact: true }).click();
    await page.waitForURL(/voivodeship=14/);
    expect(new URL(page.url()).search).toBe('?from=2026-01-05&to=2026-01-12&voivodeship=14&ageBand=80%2B');
    await page
      .getByText(
        'Pokazujemy: mazowieckie, 80 lat i więcej, wszystkie szczepionki, od 5 stycznia 2026 do 12 stycznia 2026.',
      )
      .waitFor();
    const narrowed = await summary('?from=2026-01-05&to=2026-01-12&voivodeship=14&ageBand=80%2B');
    expect(narrowed.tiles.dosesToday).toBeGreaterThanOrEqual(12);
    await page.waitForFunction(
      (wanted) => document.querySelector('.tile-value')?.textContent?.replace(/\s/g, '') === wanted,
      String(narrowed.tiles.dosesToday),
    );
    await page
      .getByRole('list', { name: 'Osoby w pełni zaszczepione na 100 mieszkańców' })
      .getByText('(wybrane)')
      .waitFor({ state: 'attached' });

    // The link opened in another tab asks that tab to sign in, then shows the same view.
    const shared = await context.newPage();
    await shared.clock.setFixedTime(new Date(app.now));
    await shared.goto(page.url());
    await shared.getByRole('main').getByRole('button', { name: 'Zaloguj się' }).click();
    await shared.getByRole('button', { name: 'Joanna Kamińska' }).click();
    await shared.getByText('Pokazujemy: mazowieckie, 80 lat i więcej', { exact: false }).waitFor();
    expect(new URL(shared.url()).search).toBe('?from=2026-01-05&to=2026-01-12&voivodeship=14&ageBand=80%2B');
    expect(await shared.getByLabel('Grupa wieku').inputValue()).toBe('80+');
    await shared.close();

    await page.getByRole('button', { name: 'Pokaż tabelę: Dawki dziennie' }).click();
    const table = page.getByRole('table', { name: 'Dawki dziennie' });
    await table.waitFor();
    expect(await table.getByRole('row').count()).toBe(1 + 8);
    await table
      .getByRole('row')
      .filter({ hasText: '12 stycznia 2026' })
      .getByText(String(narrowed.tiles.dosesToday))
      .first()
      .waitFor();
    await lookAt(page, 'reports', 'dashboard-filtered-table-pl-desktop');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Pobierz CSV: Szczepienia według województw' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('szczepienia-wojewodztwa-2026-01-05-2026-01-12.csv');
    const csv = readFileSync((await download.path()) ?? '', 'utf8').replace(/^\ufeff/, '');
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'Województwo,Kod TERYT,Mieszkańcy,Zaszczepieni co najmniej jedną dawką,W pełni zaszczepieni,Zaszczepieni na 100 mieszkańców,W pełni zaszczepieni na 100 mieszkańców,Dawki w wybranych dniach',
    );
    expect(lines).toHaveLength(17);
    const row = narrowed.voivodeships.find((v) => v.voivodeship === '14');
    expect(lines.find((l) => l.startsWith('mazowieckie,14,'))).toBe(
      `mazowieckie,14,${row?.population},${row?.peopleVaccinated},${row?.peopleFullyVaccinated},${row?.vaccinatedPer100},${row?.fullyVaccinatedPer100},${row?.dosesInPeriod}`,
    );
  } finally {
    await context.close();
  }
});

test('a vaccination recorded meanwhile shows after a refresh, with the time the figures are from', async () => {
  const { context, page } = await openContext(app, DESKTOP);
  try {
    await signIn(page);
    const before = (await summary()).tiles.dosesToday ?? 0;
    expect(await tile(page, 'Dawki podane dziś')).toBe(polish(before));
    await vaccinateAt(krakow, 1);
    app.clock.advanceMinutes(1);
    try {
      await warehouseCatchesUp();
      await page.getByRole('button', { name: 'Odśwież teraz' }).click();
      await page.waitForFunction(
        (wanted) => document.querySelector('.tile-value')?.textContent?.replace(/\s/g, '') === wanted,
        String(before + 1),
      );
      await page.getByText('Dane z 12 stycznia 2026 09:01.').waitFor();
    } finally {
      app.clock.set(app.now);
    }
  } finally {
    await context.close();
  }
});

test('on a phone and in English: the dashboard fits the screen, the filter above the figures', async () => {
  const { context, page } = await openContext(app, PHONE);
  try {
    await signIn(page);
    await lookAt(page, 'reports', 'dashboard-pl-360');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Vaccinations in Poland' }).waitFor();
    await page.getByText('Signed in: Joanna Kamińska (analyst)').waitFor();
    await page
      .getByRole('list', { name: 'People fully vaccinated per 100 inhabitants' })
      .getByText('Masovian')
      .waitFor();
    expect(await overflows(page)).toBe(false);
    await lookAt(page, 'reports', 'dashboard-en-360');
    await page.getByRole('button', { name: 'Show the table: Vaccinations by voivodeship' }).click();
    await page.getByRole('table', { name: 'Vaccinations by voivodeship' }).waitFor();
    expect(await overflows(page)).toBe(false);
    await lookAt(page, 'reports', 'dashboard-table-en-360');

    await page.setViewportSize(DESKTOP);
    await lookAt(page, 'reports', 'dashboard-en-desktop');
  } finally {
    await context.close();
  }
});

test('the public summary needs no sign-in and withholds every count under 10, saying so', async () => {
  const { context, page } = await openContext(app, PHONE);
  try {
    await page.goto(`${app.url}/reports/public`);
    await page.getByRole('heading', { level: 1, name: 'Szczepienia w Polsce – podsumowanie publiczne' }).waitFor();
    await page.getByText(/Liczby mniejsze niż 10 nie są podawane/).waitFor();
    await page.locator('.tile-value').first().waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('ereg.reports.session'))).toBeNull();
    const open = await apiCall<ReportSummary>(app, 'GET', '/api/reports/public', null);
    expect(open.suppressedBelow).toBe(10);
    expect(open.tiles.dosesTotal).toBeGreaterThanOrEqual(15);
    expect(await tile(page, 'Dawki od początku szczepień')).toBe(polish(open.tiles.dosesTotal ?? -1));
    expect(await overflows(page)).toBe(false);
    await lookAt(page, 'reports', 'public-pl-360');

    // Nobody aged 18–24 was vaccinated: every count of that group is under 10, and withheld.
    await page.getByLabel('Grupa wieku').selectOption('18-24');
    await page.getByRole('button', { name: 'Pokaż', exact: true }).click();
    await page.waitForURL(/ageBand=18-24/);
    const young = await apiCall<ReportSummary>(app, 'GET', '/api/reports/public?ageBand=18-24', null);
    expect(young.tiles.dosesTotal).toBeNull();
    expect(young.voivodeships.every((v) => v.peopleVaccinated === null)).toBe(true);
    await page
      .locator('.tile', { has: page.getByText('Dawki od początku szczepień', { exact: true }) })
      .getByText('wstrzymane: mniej niż 10')
      .waitFor();
    const map = page.getByRole('list', { name: 'Osoby w pełni zaszczepione na 100 mieszkańców' });
    expect(await map.getByText('wstrzymane (mniej niż 10) albo brak danych').count()).toBe(16);
    await page.getByRole('button', { name: 'Pokaż tabelę: Szczepienia według województw' }).click();
    const row = page
      .getByRole('table', { name: 'Szczepienia według województw' })
      .getByRole('row')
      .filter({ hasText: 'mazowieckie' });
    expect(await row.getByText('—').count()).toBe(5);
    expect(await overflows(page)).toBe(false);
    await lookAt(page, 'reports', 'public-withheld-table-pl-360');

    await page.setViewportSize(DESKTOP);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Vaccinations in Poland – public summary' }).waitFor();
    await page.getByText(/Numbers under 10 are not given/).waitFor();
    await page
      .locator('.tile', { has: page.getByText('Doses since the start', { exact: true }) })
      .getByText('withheld: fewer than 10')
      .waitFor();
    await lookAt(page, 'reports', 'public-withheld-en-desktop');
  } finally {
    await context.close();
  }
});

test('only analysts and administrators get the whole figures: every other role is refused', async () => {
  const tokenOf = (role: string, id: string) =>
    apiCall<{ token: string }>(app, 'POST', '/dev-idp/token', null, { role, id }).then((r) => r.token);
  const { staff } = await apiCall<{ staff: Array<{ id: string }> }>(
    app,
    'GET',
    `/dev-idp/staff?centreId=${warsaw.id}`,
    null,
  );
  const { assertion } = await apiCall<{ assertion: string }>(app, 'POST', '/dev-idp/assertion', null, {
    pesel: makePesel('1950-01-01', 'female', 901),
  });
  const patient = (await apiCall<{ token: string }>(app, 'POST', '/api/login', null, { assertion })).token;
  const statusFor = async (token: string | null) =>
    (await fetch(`${app.url}/api/reports/summary`, { headers: token ? { authorization: `Bearer ${token}` } : {} }))
      .status;
  expect(await statusFor(null)).toBe(401);
  expect(await statusFor(patient)).toBe(403);
  expect(await statusFor(await tokenOf('agent', 'agent-1'))).toBe(403);
  expect(await statusFor(await tokenOf('staff', staff[0]?.id ?? ''))).toBe(403);
  expect(await statusFor(await tokenOf('supervisor', 'supervisor-1'))).toBe(403);
  expect(await statusFor(await tokenOf('analyst', 'analyst-1'))).toBe(200);
  expect(await statusFor(await tokenOf('admin', 'admin-1'))).toBe(200);
});
