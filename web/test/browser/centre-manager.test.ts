import { closeDueDays, makePesel } from '@ereg/shared';
import type { Page } from 'playwright-core';
import {
  type AppUnderTest,
  appForThisFile,
  DESKTOP,
  keepScreenshot,
  logInAs,
  openContext,
  PHONE,
  seriousViolations,
} from './harness.ts';

/*
 * The centre's manager on a 360 px phone: signs in through the development provider's staff page,
 * records a delivery (each mistake named at its field) and sees the stock warning go, logs wasted doses
 * and closes a batch; closes Tuesdays in the weekly template and sees the preview name the visits it
 * would cancel, which only go once confirmed; closes a whole day, after which the patients have a text
 * with a rebooking link, one of which a patient follows to book again; keeps the staff (the last
 * manager cannot step down). A staff member sees no manager pages. After the day's end, the day close
 * makes the visits nobody came to no-shows on the day list. Every state passes axe; each page is
 * photographed in Polish, English and Ukrainian at 360 px and on a desktop.
 */

/** The address the text messages' links point to; the test opens the same path on the local server. */
const WEB = 'https://e-rejestracja.test';

let app: AppUnderTest;
appForThisFile(
  (started) => {
    app = started;
  },
  { smsSettings: { contact: { hotline: '989', web: WEB } } },
);

/** Monday 12 January 2026 in Warsaw, and the two days after. */
const TODAY = '2026-01-12';
const TUESDAY = '2026-01-13';
const WEDNESDAY = '2026-01-14';
const JANINA = '46031464864';
const ANDRZEJ = '71123113135';

interface Person {
  pesel: string;
  givenName: string;
  familyName: string;
  phone: string;
}

const person = (serial: number, givenName: string, familyName: string, phone: string): Person => ({
  pesel: makePesel('1950-03-10', givenName.endsWith('a') ? 'female' : 'male', serial),
  givenName,
  familyName,
  phone,
});

/** Booked on Tuesday, whose visits the change of the weekly template cancels. */
const TUESDAY_PEOPLE = [
  person(11, 'Halina', 'Wiśniewska', '+48601000011'),
  person(12, 'Tadeusz', 'Zieliński', '+48601000012'),
];
/** Booked today, who never come: the day close makes them no-shows. */
const TODAY_PEOPLE = [
  person(21, 'Irena', 'Lewandowska', '+48601000021'),
  person(22, 'Marek', 'Kamiński', '+48601000022'),
];

async function call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const reply = await fetch(`${app.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!reply.ok) throw new Error(`${method} ${path}: ${reply.status} ${await reply.text()}`);
  return (await reply.json()) as T;
}

interface Centre {
  id: string;
  name: string;
  address: { city: string };
}

const freeSlots = (centreId: string, date: string) =>
  call<{ slots: Array<{ slotId: string }> }>(
    'GET',
    `/api/centres/${centreId}/slots?vaccineId=comirnaty&from=${date}&to=${date}`,
  ).then((answer) => answer.slots);

/** The centre nearest Warsaw's 00-950 with two free Comirnaty slots today, on Tuesday and on Wednesday. */
async function busyCentre(): Promise<Centre> {
  const search = await call<{ results: Array<{ centre: Centre }> }>(
    'GET',
    '/api/search?postalCode=00-950&vaccineId=comirnaty',
  );
  for (const { centre } of search.results) {
    const counts = await Promise.all([TODAY, TUESDAY, WEDNESDAY].map((d) => freeSlots(centre.id, d)));
    if (counts.every((slots) => slots.length >= 2)) return centre;
  }
  throw new Error('No centre near 00-950 has two free Comirnaty slots today, on Tuesday and on Wednesday.');
}

/** A person logs in (as the identity provider vouches for them) and books the centre's first free slot on a date. */
async function book(who: Pick<Person, 'pesel'> & Partial<Person>, centreId: string, date: string): Promise<string> {
  const { assertion } = await call<{ assertion: string }>('POST', '/dev-idp/assertion', who);
  const { token } = await call<{ token: string }>('POST', '/api/login', { assertion });
  const slotId = (await freeSlots(centreId, date))[0]?.slotId;
  if (!slotId) throw new Error(`no free slot on ${date}`);
  const booked = await call<{ appointments: Array<{ reference: string; localDate: string }> }>(
    'POST',
    '/api/booking/appointments',
    { slotId },
    { authorization: `Bearer ${token}`, 'idempotency-key': `centre-manager-${who.pesel}-${date}` },
  );
  const visit = booked.appointments.find((a) => a.localDate === date);
  if (!visit) throw new Error(`the booking has no visit on ${date}`);
  return visit.reference;
}

async function visitsOf(pesel: string) {
  const patient = await app.system.store.runInTransaction((tx) => tx.getPatientByPesel(pesel));
  return patient ? app.system.store.listAppointmentsOfPatient(patient.id) : [];
}

async function expectAccessible(page: Page, state: string): Promise<void> {
  expect({ state, violations: await seriousViolations(page) }).toEqual({ state, violations: [] });
}

/** No sideways scrolling: the page fits the screen's width. */
async function expectFits(page: Page, width: number, state: string): Promise<void> {
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  expect({ state, scroll: scroll <= width }).toEqual({ state, scroll: true });
}

/** The wall-clock `HH:MM` of an instant in Warsaw, as the centre's pages show a visit's time. */
const warsawClock = (instant: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Warsaw', hour: '2-digit', minute: '2-digit' }).format(
    new Date(instant),
  );

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Signs in through the provider's staff page (the centre found by its town) as one of its people. */
async function signIn(page: Page, centre: Centre, name: string): Promise<void> {
  await page.goto(`${app.url}/centre/`);
  await page.getByRole('button', { name: 'Zaloguj się' }).click();
  await page.waitForURL(/\/dev-idp\/login\/staff/);
  await page.getByLabel('Punkt szczepień').fill(centre.address.city);
  await page.getByRole('button', { name: 'Szukaj' }).click();
  await page
    .getByRole('link', { name: new RegExp(escaped(centre.name)) })
    .first()
    .click();
  await page.getByRole('button', { name }).click();
  await page.getByRole('heading', { level: 1, name: 'Wizyty dzisiaj' }).waitFor();
}

const nav = (page: Page) => page.getByRole('navigation', { name: 'Strony punktu' });

/** Keeps a screenshot of the manager's pages in the test artifacts. */
const keepShot = (page: Page, name: string) => keepScreenshot(page, `centre-manager-${name}`);

/** The newest text message of a purpose to a phone, waited for (the outbox and the SMS run in the background). */
async function textTo(phone: string, purpose: string): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const messages = await app.system.store.listSmsMessages({ limit: 20, to: phone });
    const found = messages.find((m) => m.purpose === purpose);
    if (found) return found.body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`No ${purpose} text to ${phone}.`);
}

describe('the centre’s manager', () => {
  let centre: Centre;
  let manager: { id: string; name: string };
  let staffMember: { id: string; name: string };
  let managerToken: string;

  beforeAll(async () => {
    centre = await busyCentre();
    for (const who of TUESDAY_PEOPLE) await book(who, centre.id, TUESDAY);
    for (const who of TODAY_PEOPLE) await book(who, centre.id, TODAY);
    await book({ pesel: JANINA }, centre.id, WEDNESDAY);
    await book({ pesel: ANDRZEJ }, centre.id, WEDNESDAY);
    const { staff } = await call<{ staff: Array<{ id: string; name: string; role: string }> }>(
      'GET',
      `/dev-idp/staff?centreId=${centre.id}`,
    );
    const found = staff.find((s) => s.role === 'centre-manager');
    const other = staff.find((s) => s.role === 'staff');
    if (!found || !other) throw new Error('The demo centre has no manager or no staff member.');
    expect(found.id).toMatch(/-1$/);
    manager = found;
    staffMember = other;
    ({ token: managerToken } = await call<{ token: string }>('POST', '/dev-idp/token', {
      role: 'staff',
      id: manager.id,
    }));
  });

  /** The centre runs out of Comirnaty: every batch of it is closed, through the API. */
  async function runOutOfComirnaty(): Promise<void> {
    const auth = { authorization: `Bearer ${managerToken}` };
    const { batches } = await call<{ batches: Array<{ id: string; vaccineId: string; status: string }> }>(
      'GET',
      `/api/centres/${centre.id}/batches`,
      undefined,
      auth,
    );
    for (const batch of batches.filter((b) => b.vaccineId === 'comirnaty' && b.status === 'active')) {
      await call('POST', `/api/centres/${centre.id}/batches/${batch.id}/close`, {}, auth);
    }
  }

  it('records a delivery, sees the stock warning go, logs wasted doses and closes a batch', async () => {
    await runOutOfComirnaty();
    const { context, page } = await openContext(app, PHONE);
    try {
      await signIn(page, centre, manager.name);
      const links = nav(page).getByRole('link');
      expect(await links.allTextContents()).toEqual(['Dziś', 'Serie', 'Grafik', 'Personel']);
      await expectAccessible(page, 'day with the manager’s navigation');

      await nav(page).getByRole('link', { name: 'Serie' }).click();
      await page.getByRole('heading', { level: 1, name: 'Serie szczepionek' }).waitFor();
      const warning = page.getByRole('region', { name: 'Może zabraknąć dawek' });
      await warning.getByText(/^Comirnaty — umówione wizyty na 7 dni: \d+, dawki w punkcie: 0\. Zabraknie:/).waitFor();
      await warning.getByText(/^pon\., 12 stycznia: wizyty \d+, dawki 0, brakuje \d+$/).waitFor();
      await expectAccessible(page, 'batches with the stock warning');
      await keepShot(page, 'batches-warning-pl-360');

      await page.getByRole('button', { name: 'Dodaj dostawę' }).click();
      const form = page.getByRole('form', { name: 'Nowa dostawa' });
      await form.getByRole('button', { name: 'Zapisz dostawę' }).click();
      await form.getByText('Wybierz preparat.').waitFor();
      await form.getByText('Numer serii ma 2–30 liter, cyfr lub myślników, tak jak na fiolce.').waitFor();
      await form.getByText('Podaj datę ważności.').waitFor();
      await expect(page.evaluate(() => document.activeElement?.tagName)).resolves.toBe('SELECT');
      await expectAccessible(page, 'delivery with every field missing');

      // A lot number the centre already has (a batch closed above): the API's refusal, at the lot number.
      const closed = (await app.system.store.listBatchesOfCentre(centre.id)).find((b) => b.vaccineId === 'comirnaty');
      await form.getByLabel('Preparat').selectOption({ label: 'Comirnaty' });
      await form.getByLabel('Numer serii').fill(closed?.number.toLowerCase() ?? '');
      await form.getByLabel('Ważna do').fill('2026-06-30');
      await form.getByLabel('Liczba dawek').fill('200');
      await form.getByRole('button', { name: 'Zapisz dostawę' }).click();
      const lotError = form.locator('.field-invalid').filter({ has: page.getByLabel('Numer serii') });
      await lotError.getByText('Seria tego preparatu o tym numerze jest już zapisana w punkcie.').waitFor();
      await expectAccessible(page, 'delivery refused by the API');
      await keepShot(page, 'batches-add-error-pl-360');

      await form.getByLabel('Numer serii').fill('ts-2026a');
      await form.getByRole('button', { name: 'Zapisz dostawę' }).click();
      await page.getByText('Dodano serię TS-2026A.').waitFor();
      await page.getByText(/^Dawek wystarczy na wizyty umówione do /).waitFor();
      const added = page.locator('.batch').filter({ hasText: 'seria TS-2026A' });
      await expect(added.locator('.batch-left').textContent()).resolves.toBe('200');

      await added.getByRole('button', { name: /Zapisz zmarnowane dawki/ }).click();
      await added.getByLabel('Liczba dawek').fill('2');
      await added.getByRole('button', { name: 'Zapisz jako zmarnowane' }).click();
      await added.getByText('Wybierz powód.').waitFor();
      await added.getByLabel('Powód').selectOption({ label: 'Stłuczona lub uszkodzona fiolka' });
      await expectAccessible(page, 'logging wasted doses');
      await added.getByRole('button', { name: 'Zapisz jako zmarnowane' }).click();
      await page.getByText('Zapisano 2 zmarnowane dawki serii TS-2026A.').waitFor();
      await expect(added.locator('.batch-left').textContent()).resolves.toBe('198');
      const stored = (await app.system.store.listBatchesOfCentre(centre.id)).find((b) => b.number === 'TS-2026A');
      expect(stored).toMatchObject({ remaining: 198, wasted: 2, status: 'active', expiry: '2026-06-30' });
      await keepShot(page, 'batches-pl-360');

      await added.getByRole('button', { name: /Zamknij serię/ }).click();
      await added.getByText('Pozostałe w niej dawki (198) zostaną zapisane jako zmarnowane.').waitFor();
      await added.getByRole('button', { name: 'Nie zamykaj' }).click();
      await expect(added.getByRole('button', { name: /Zamknij serię/ }).count()).resolves.toBe(1);
      const kept = (await app.system.store.listBatchesOfCentre(centre.id)).find((b) => b.number === 'TS-2026A');
      expect(kept?.status).toBe('active');

      // A small delivery closed at once: what was left in it is logged as wasted, and it moves to the used-up ones.
      await page.getByRole('button', { name: 'Dodaj dostawę' }).click();
      await form.getByLabel('Preparat').selectOption({ label: 'Comirnaty' });
      await form.getByLabel('Numer serii').fill('TS-2026B');
      await form.getByLabel('Ważna do').fill('2026-03-31');
      await form.getByLabel('Liczba dawek').fill('5');
      await form.getByRole('button', { name: 'Zapisz dostawę' }).click();
      await page.getByText('Dodano serię TS-2026B.').waitFor();
      const small = page.locator('.batch').filter({ hasText: 'seria TS-2026B' });
      await small.getByRole('button', { name: /Zamknij serię/ }).click();
      await small.getByText('Pozostałe w niej dawki (5) zostaną zapisane jako zmarnowane.').waitFor();
      await expectAccessible(page, 'closing a batch');
      await small.getByRole('button', { name: 'Tak, zamknij serię' }).click();
      await page.getByText('Zamknięto serię TS-2026B.').waitFor();
      await page.locator('.batches-used').getByText('Zużyte lub zamknięte').click();
      await page.locator('.batches-used .batch').filter({ hasText: 'seria TS-2026B' }).getByText('Zużyta').waitFor();
      const emptied = (await app.system.store.listBatchesOfCentre(centre.id)).find((b) => b.number === 'TS-2026B');
      expect(emptied).toMatchObject({ status: 'depleted', remaining: 0, wasted: 5 });
    } finally {
      await context.close();
    }
  });

  it('closes Tuesdays: the preview names the visits it cancels, and nothing goes until confirmed', async () => {
    const { context, page } = await openContext(app, PHONE);
    try {
      await signIn(page, centre, manager.name);
      await nav(page).getByRole('link', { name: 'Grafik' }).click();
      await page.getByRole('heading', { level: 1, name: 'Grafik punktu' }).waitFor();
      await expectAccessible(page, 'schedule');
      await keepShot(page, 'schedule-pl-360');

      const tuesday = page.getByRole('group', { name: 'wtorek' });
      const removers = tuesday.getByRole('button', { name: /^Usuń godziny/ });
      expect(await removers.count()).toBeGreaterThan(0);
      while ((await removers.count()) > 0) await removers.first().click();
      await tuesday.getByText('Zamknięte').waitFor();
      await page.getByRole('button', { name: 'Pokaż skutki zmian' }).click();

      const preview = page.getByRole('region', { name: 'Co zmieni się w grafiku' });
      await preview.waitFor();
      await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Co zmieni się w grafiku');
      const cancelled = preview.locator('.cancelled-visit');
      for (const who of TUESDAY_PEOPLE) {
        const visit = (await visitsOf(who.pesel)).find((a) => a.localDate === TUESDAY);
        const row = cancelled.filter({ hasText: `${who.givenName} ${who.familyName}` }).first();
        await row.getByText(`Rezerwacja ${visit?.reference.slice(0, 4)} ${visit?.reference.slice(4)}`).waitFor();
        await row.getByText('13 stycznia 2026').waitFor();
        await row.getByText(warsawClock(visit?.start ?? '')).waitFor();
      }
      await expectAccessible(page, 'schedule preview with cancellations');
      await keepShot(page, 'schedule-preview-pl-360');

      // Saving without ticking the confirmation cancels nothing.
      const save = preview.getByRole('button', { name: /^Zapisz i odwołaj \d+ wizyt/ });
      await save.click();
      await preview.getByText('Zaznacz potwierdzenie, aby odwołać te wizyty.').waitFor();
      await expect(page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type)).resolves.toBe(
        'checkbox',
      );
      for (const who of TUESDAY_PEOPLE) {
        expect((await visitsOf(who.pesel)).find((a) => a.localDate === TUESDAY)?.status).toBe('booked');
      }
      await expectAccessible(page, 'confirmation missing');

      await preview.getByRole('checkbox', { name: /^Potwierdzam odwołanie/ }).check();
      await save.click();
      await page.getByText(/^Zapisano grafik\. Nowe terminy: \d+, usunięte: \d+, odwołane wizyty: \d+\.$/).waitFor();
      for (const who of TUESDAY_PEOPLE) {
        const visits = await visitsOf(who.pesel);
        expect(visits.find((a) => a.localDate === TUESDAY)?.status).toBe('cancelled');
      }
      const schedule = await app.system.store.getCentre(centre.id);
      expect(schedule?.schedule.weekly.days.tue ?? []).toEqual([]);
      await page.getByRole('group', { name: 'wtorek' }).getByText('Zamknięte').waitFor();
      await expectAccessible(page, 'schedule saved');
    } finally {
      await context.close();
    }
  });

  it('closes Wednesday: the patients get a text with a rebooking link, and one books again from it', async () => {
    const { context, page } = await openContext(app, PHONE);
    try {
      await signIn(page, centre, manager.name);
      await nav(page).getByRole('link', { name: 'Grafik' }).click();
      const closing = page.getByRole('region', { name: 'Zamknij dzień' });
      await closing.getByRole('radio', { name: 'Cały dzień' }).check();
      await closing.getByRole('button', { name: 'Sprawdź, których wizyt to dotyczy' }).click();
      await closing.getByText('Podaj powód (co najmniej 3 znaki) — pacjenci go przeczytają.').waitFor();
      await closing.getByLabel('Dzień', { exact: true }).fill(WEDNESDAY);
      await closing.getByLabel('Powód', { exact: true }).fill('Awaria zasilania');
      await closing.getByRole('button', { name: 'Sprawdź, których wizyt to dotyczy' }).click();
      // Their first doses on Wednesday and the second doses booked with them.
      await closing.getByRole('heading', { name: '14 stycznia 2026: zostaną odwołane 4 wizyty' }).waitFor();
      await closing.locator('.cancelled-visit').filter({ hasText: 'Janina Kowalska' }).first().waitFor();
      await closing.locator('.cancelled-visit').filter({ hasText: 'Andrzej Nowak' }).first().waitFor();
      await expectAccessible(page, 'day to close checked');
      await keepShot(page, 'schedule-close-day-pl-360');

      await closing.getByRole('checkbox', { name: /^Potwierdzam odwołanie/ }).check();
      await closing.getByRole('button', { name: 'Zamknij: 14 stycznia 2026' }).click();
      await closing.getByText(/^Zamknięto: 14 stycznia 2026\. Odwołano 4 wizyty; pacjenci dostaną SMS/).waitFor();
      await expectAccessible(page, 'day closed');
      await keepShot(page, 'day-closed-pl-360');
      const centreNow = await app.system.store.getCentre(centre.id);
      expect(centreNow?.schedule.closedDates).toContain(WEDNESDAY);
    } finally {
      await context.close();
    }

    // Each patient is told, with the reason and a link to the soonest free time.
    let link = '';
    for (const pesel of [JANINA, ANDRZEJ]) {
      const patient = await app.system.store.runInTransaction((tx) => tx.getPatientByPesel(pesel));
      expect(patient?.phone).toBeTruthy();
      const text = await textTo(patient?.phone ?? '', 'cancelled');
      expect(text).toContain('Awaria zasilania');
      const found = text.match(/https:\/\/e-rejestracja\.test\/book\/[A-Za-z0-9_%.-]+/)?.[0];
      expect(found).toBeTruthy();
      if (pesel === JANINA) link = found ?? '';
    }

    const { context: patientContext, page: patientPage } = await openContext(app, PHONE);
    try {
      await logInAs(app, patientPage, /Janina Kowalska/);
      await patientPage.goto(`${app.url}${new URL(link).pathname}`);
      await patientPage.getByRole('heading', { level: 1, name: 'Potwierdź rezerwację' }).waitFor();
      await patientPage.getByRole('button', { name: 'Potwierdzam rezerwację' }).click();
      await patientPage.getByRole('heading', { level: 1, name: 'Wizyty zarezerwowane' }).waitFor();
      const slotId = decodeURIComponent(new URL(link).pathname.split('/').pop() ?? '');
      const rebooked = (await visitsOf(JANINA)).find((a) => a.slotId === slotId);
      expect(rebooked?.status).toBe('booked');
    } finally {
      await patientContext.close();
    }
  });

  it('keeps the staff: adds a person, changes roles, removes them, and the last manager cannot step down', async () => {
    const { context, page } = await openContext(app, PHONE);
    try {
      await signIn(page, centre, manager.name);
      await nav(page).getByRole('link', { name: 'Personel' }).click();
      await page.getByRole('heading', { level: 1, name: 'Personel punktu' }).waitFor();
      const list = page.locator('.staff-list');
      await list
        .locator('.staff-member')
        .filter({ hasText: `${manager.name} (Ty)` })
        .waitFor();
      await expectAccessible(page, 'staff');

      await page.getByRole('button', { name: 'Dodaj osobę' }).click();
      const form = page.getByRole('form', { name: 'Nowa osoba w punkcie' });
      await form.getByLabel('Imię i nazwisko').fill('Ewa Testowa');
      await form.getByLabel('Adres e-mail').fill('ewa@');
      await form.getByRole('button', { name: 'Dodaj', exact: true }).click();
      await form.getByText('Podaj adres e-mail, np. anna.nowak@przychodnia.pl.').waitFor();
      await expectAccessible(page, 'new person with a bad e-mail');
      await form.getByLabel('Adres e-mail').fill('ewa.testowa@example.pl');
      await form.getByRole('button', { name: 'Dodaj', exact: true }).click();
      await page.getByText('Dodano: Ewa Testowa.').waitFor();
      const ewa = list.locator('.staff-member').filter({ hasText: 'Ewa Testowa' });
      await ewa.getByText('ewa.testowa@example.pl').waitFor();
      await keepShot(page, 'staff-pl-360');

      // The centre's only manager cannot make themselves staff: the API's refusal is shown at the row.
      const me = list.locator('.staff-member').filter({ hasText: `${manager.name} (Ty)` });
      await me.getByRole('button', { name: /^Zmień na personel/ }).click();
      await me.getByRole('button', { name: 'Tak, zmień rolę' }).click();
      await me.getByText('To jedyny kierownik punktu: najpierw nadaj rolę kierownika komuś innemu.').waitFor();
      await expectAccessible(page, 'the last manager refused');

      await ewa.getByRole('button', { name: /^Nadaj rolę kierownika/ }).click();
      await ewa.getByRole('button', { name: 'Tak, zmień rolę' }).click();
      await page.getByText('Ewa Testowa: nowa rola — Kierownik.').waitFor();
      await ewa.getByRole('button', { name: /^Usuń z punktu/ }).click();
      await ewa.getByText('Usunąć z punktu: Ewa Testowa?').waitFor();
      await ewa.getByRole('button', { name: 'Tak, usuń' }).click();
      await page.getByText('Usunięto: Ewa Testowa.').waitFor();
      const members = await app.system.store.listStaffOfCentre(centre.id);
      expect(members.some((m) => m.name === 'Ewa Testowa')).toBe(false);
      expect(members.find((m) => m.id === manager.id)?.role).toBe('centre-manager');
    } finally {
      await context.close();
    }
  });

  it('shows a staff member no manager pages: batches to read and log waste, the rest refused', async () => {
    const { context, page } = await openContext(app, PHONE);
    try {
      await signIn(page, centre, staffMember.name);
      expect(await nav(page).getByRole('link').allTextContents()).toEqual(['Dziś', 'Serie']);
      await nav(page).getByRole('link', { name: 'Serie' }).click();
      await page.getByRole('heading', { level: 1, name: 'Serie szczepionek' }).waitFor();
      await page.locator('.batch').filter({ hasText: 'seria TS-2026A' }).waitFor();
      expect(await page.getByRole('button', { name: 'Dodaj dostawę' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: /Zamknij serię/ }).count()).toBe(0);
      expect(await page.getByRole('button', { name: /Zapisz zmarnowane dawki/ }).count()).toBeGreaterThan(0);
      await expectAccessible(page, 'batches for staff');
      await page.goto(`${app.url}/centre/schedule`);
      await page
        .getByText('Tę stronę widzi tylko kierownik punktu. Jeśli coś trzeba zmienić, poproś kierownika.')
        .waitFor();
      expect(await page.getByRole('button', { name: 'Pokaż skutki zmian' }).count()).toBe(0);
      await expectAccessible(page, 'schedule refused to staff');
    } finally {
      await context.close();
    }
  });

  it.each([
    ['pl', 'Polski', PHONE, '360'],
    ['en', 'English', PHONE, '360'],
    ['uk', 'Українська', PHONE, '360'],
    ['pl', 'Polski', DESKTOP, 'desktop'],
    ['en', 'English', DESKTOP, 'desktop'],
    ['uk', 'Українська', DESKTOP, 'desktop'],
  ] as const)('looks right in %s on a %s screen', async (language, button, screen, size) => {
    const { context, page } = await openContext(app, screen);
    try {
      await signIn(page, centre, manager.name);
      await page.getByRole('button', { name: button }).click();
      for (const path of ['', 'batches', 'schedule', 'staff']) {
        await page.goto(`${app.url}/centre/${path}`);
        await page.locator('h1').waitFor();
        await page.waitForLoadState('networkidle');
        await expectAccessible(page, `${path || 'day'} in ${language} at ${size}`);
        if (screen === PHONE) await expectFits(page, PHONE.width, `${path || 'day'} in ${language}`);
        await keepShot(page, `${path || 'day'}-${language}-${size}`);
      }
      // The preview of a change that would cancel today's visits (Monday closed), not saved.
      await page.goto(`${app.url}/centre/schedule`);
      const monday = page.locator('.schedule-day').first();
      const removers = monday.locator('.hours-remove');
      await removers.first().waitFor();
      while ((await removers.count()) > 0) await removers.first().click();
      await page.locator('.schedule-form button[type="submit"]').click();
      await page.locator('.schedule-preview .cancelled-visit').first().waitFor();
      await expectAccessible(page, `preview in ${language} at ${size}`);
      if (screen === PHONE) await expectFits(page, PHONE.width, `preview in ${language}`);
      await keepShot(page, `schedule-preview-monday-${language}-${size}`);
      for (const who of TODAY_PEOPLE) {
        expect((await visitsOf(who.pesel)).find((a) => a.localDate === TODAY)?.status).toBe('booked');
      }
    } finally {
      await context.close();
    }
  });

  it('after the day’s end, the day close makes the visits nobody came to no-shows on the day list', async () => {
    // 22:30 in Warsaw: the last slot ended more than the grace period ago.
    app.clock.set('2026-01-12T21:30:00.000Z');
    const closed = await closeDueDays(app.system.deps);
    expect(closed.noShows).toBeGreaterThanOrEqual(TODAY_PEOPLE.length);
    const { context, page } = await openContext(app, PHONE);
    try {
      await signIn(page, centre, manager.name);
      for (const who of TODAY_PEOPLE) {
        const row = page.getByRole('button', { name: new RegExp(`${who.familyName} ${who.givenName}`) });
        await row.getByText('Nieobecność').waitFor();
      }
      await expectAccessible(page, 'day closed with no-shows');
      await keepShot(page, 'no-shows-pl-360');
    } finally {
      await context.close();
    }
  });
});
