import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Locator, Page } from 'playwright-core';
import type { Appointment, Patient, Sex } from '../../../shared/src/model.ts';
import { makePesel } from '../../../shared/src/pesel.ts';
import {
  type AppUnderTest,
  ARTIFACTS,
  appForThisFile,
  DESKTOP,
  keepScreenshot,
  openContext,
  PHONE,
  seriousViolations,
} from './harness.ts';
import { fakeCameraFlags, qrCameraVideo } from './qr-video.ts';

/*
 * A morning at the desk of a centre, on a 360 px phone: a staff member signs in, checks people in by
 * the reference typed and by the booking's QR code held up to the camera (Chromium's fake camera),
 * records five people "same as last" in three taps each, records one not given, books a walk-in,
 * corrects a recording, then loses the network: two people are checked in and recorded on the device,
 * shown waiting, and sent once each when the network returns; a visit cancelled meanwhile is shown as
 * refused until dismissed. A day of 1,000 visits is opened and timed. axe on every state.
 */

// The camera shows a code until the test knows the reference to show: its file is replaced then.
const camera = qrCameraVideo('placeholder');

let app: AppUnderTest;
appForThisFile(
  (started) => {
    app = started;
  },
  { chromiumArgs: fakeCameraFlags(camera) },
);

/** Monday 12 January 2026 in Warsaw, the tests' day; the system starts at 09:00 there. */
const TODAY = '2026-01-12';
const TOMORROW = '2026-01-13';
const NOW_MS = Date.parse('2026-01-12T08:00:00.000Z');

const MINUTE = 60_000;

interface Person {
  key: string;
  givenName: string;
  familyName: string;
  pesel: string;
}

interface Booked extends Person {
  reference: string;
  appointmentId: string;
  token: string;
}

const person = (key: string, givenName: string, familyName: string, birthDate: string, sex: Sex, serial: number) => ({
  key,
  givenName,
  familyName,
  pesel: makePesel(birthDate, sex, serial),
});

/** The people of the morning, all old enough to book (born before 1961). */
const PEOPLE: Person[] = [
  person('typed', 'Maria', 'Wiśniewska', '1951-02-11', 'female', 11),
  person('qr', 'Tomasz', 'Wójcik', '1952-03-12', 'male', 12),
  person('list1', 'Ewa', 'Kamińska', '1953-04-13', 'female', 13),
  person('list2', 'Piotr', 'Lewandowski', '1954-05-14', 'male', 14),
  person('list3', 'Katarzyna', 'Zielińska', '1955-06-15', 'female', 15),
  person('list4', 'Marek', 'Szymański', '1956-07-16', 'male', 16),
  person('list5', 'Agnieszka', 'Woźniak', '1957-08-17', 'female', 17),
  person('notGiven', 'Jerzy', 'Dąbrowski', '1958-09-18', 'male', 18),
  person('offline1', 'Barbara', 'Kozłowska', '1949-10-19', 'female', 19),
  person('offline2', 'Stanisław', 'Jankowski', '1948-11-20', 'male', 20),
  person('cancelled', 'Halina', 'Mazur', '1947-12-21', 'female', 21),
  person('screens', 'Krystyna', 'Kwiatkowska', '1946-01-22', 'female', 22),
];
const WALK_IN = person('walkIn', 'Zofia', 'Krawczyk', '1952-05-20', 'female', 7);

async function call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const reply = await fetch(`${app.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!reply.ok) throw new Error(`${method} ${path}: ${reply.status} ${await reply.text()}`);
  return (await reply.json()) as T;
}

const rowOf = (page: Page, p: Person) =>
  page.getByRole('button', { name: new RegExp(`${p.familyName} ${p.givenName}`) });

/** What the store holds of a visit, and how many times each desk event was written for it. */
async function stored(appointmentId: string): Promise<{ visit: Appointment | null; events: Record<string, number> }> {
  const visit = await app.system.store.runInTransaction((tx) => tx.getAppointment(appointmentId));
  const rows = app.system.db.prepare('SELECT type, data FROM outbox').all() as Array<{ type: string; data: string }>;
  const events: Record<string, number> = {};
  for (const row of rows) {
    if ((JSON.parse(row.data) as { subjectId?: string }).subjectId !== appointmentId) continue;
    events[row.type] = (events[row.type] ?? 0) + 1;
  }
  return { visit, events };
}

async function expectAccessible(page: Page, state: string): Promise<void> {
  expect({ state, violations: await seriousViolations(page) }).toEqual({ state, violations: [] });
}

/** Every tap of the person at the desk, counted. */
function tapCounter() {
  let taps = 0;
  return {
    tap: async (target: Locator) => {
      taps += 1;
      await target.click();
    },
    take: () => {
      const counted = taps;
      taps = 0;
      return counted;
    },
  };
}

describe('a morning at the centre’s desk', () => {
  let centreId: string;
  let centreName: string;
  let city: string;
  let staffName: string;
  /** The moment the morning stands at (set once the centre is chosen). */
  let morning: string;
  const booked = new Map<string, Booked>();
  const the = (key: string) => booked.get(key) as Booked;

  /**
   * A centre near Warsaw with a Comirnaty slot soon, with room, and enough free later today. The
   * morning's clock (server and browsers) stands two minutes into that slot, for the walk-in to join it;
   * slots are published from the system's start on, so none runs at its very first moment.
   */
  async function centreForTheMorning(): Promise<void> {
    const search = await call<{ results: Array<{ centre: { id: string; name: string; address: { city: string } } }> }>(
      'GET',
      '/api/search?postalCode=00-950&vaccineId=comirnaty',
    );
    for (const { centre } of search.results) {
      const slots = await app.system.store.listSlotsOfCentreDay(centre.id, TODAY);
      const comirnaty = slots.filter((s) => s.vaccineId === 'comirnaty');
      const running = comirnaty.find(
        (s) => Date.parse(s.start) > NOW_MS && Date.parse(s.start) <= NOW_MS + 30 * MINUTE,
      );
      const later = comirnaty.filter((s) => Date.parse(s.start) >= NOW_MS + 45 * MINUTE);
      const room = later.reduce((sum, s) => sum + s.capacity - s.booked, 0);
      if (running && running.booked < running.capacity && room >= PEOPLE.length) {
        morning = new Date(Date.parse(running.start) + 2 * MINUTE).toISOString();
        centreId = centre.id;
        centreName = centre.name;
        city = centre.address.city;
        return;
      }
    }
    throw new Error('No centre near 00-950 has a Comirnaty slot running now and room later today.');
  }

  /** A person logs in and books the first free Comirnaty slot of the centre after the running one. */
  async function book(p: Person): Promise<Booked> {
    const { assertion } = await call<{ assertion: string }>('POST', '/dev-idp/assertion', {
      pesel: p.pesel,
      givenName: p.givenName,
      familyName: p.familyName,
    });
    const { token } = await call<{ token: string }>('POST', '/api/login', { assertion });
    const free = await call<{ slots: Array<{ slotId: string; start: string }> }>(
      'GET',
      `/api/centres/${centreId}/slots?vaccineId=comirnaty&from=${TODAY}&to=${TODAY}`,
    );
    const slot = free.slots.find((s) => Date.parse(s.start) >= NOW_MS + 45 * MINUTE);
    if (!slot) throw new Error('no free slot later today');
    const answer = await call<{ appointments: Array<{ id: string; reference: string; localDate: string }> }>(
      'POST',
      '/api/booking/appointments',
      { slotId: slot.slotId },
      { authorization: `Bearer ${token}`, 'idempotency-key': `morning-${p.key}-booking` },
    );
    const today = answer.appointments.find((a) => a.localDate === TODAY);
    if (!today) throw new Error(`${p.key}: no visit today`);
    return { ...p, reference: today.reference, appointmentId: today.id, token };
  }

  /** A day of 1,000 visits at the centre tomorrow, written straight into the store. */
  async function aThousandVisitsTomorrow(): Promise<void> {
    const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
    const at = '2026-01-12T07:00:00.000Z';
    await app.system.store.runInTransaction(async (tx) => {
      for (let i = 0; i < 1000; i++) {
        const patient: Patient = {
          id: `pat-load-${i}`,
          pesel: `6${String(i).padStart(10, '0')}`,
          givenName: ['Anna', 'Jan', 'Ewa', 'Piotr', 'Olena'][i % 5] as string,
          familyName: `Obciążeniowa-${i}`,
          birthDate: '1960-01-01',
          sex: i % 2 ? 'male' : 'female',
          phone: null,
          language: 'pl',
          groups: [],
          createdAt: at,
        };
        const reference = `LD${[...String(i).padStart(4, '0')].map((d) => alphabet[Number(d) + 10]).join('')}ZZ`;
        const start = new Date(Date.parse('2026-01-13T07:00:00.000Z') + (i % 40) * 15 * MINUTE).toISOString();
        tx.putPatient(patient);
        tx.putAppointment({
          id: `apt-load-${i}`,
          patientId: patient.id,
          centreId,
          slotId: `slot-load-${i % 40}`,
          vaccineId: 'comirnaty',
          dose: 1,
          bookingId: `bkg-load-${i}`,
          reference,
          status: 'booked',
          start,
          localDate: TOMORROW,
          version: 1,
          bookedBy: { role: 'patient', id: patient.id },
          createdAt: at,
          updatedAt: at,
          checkedInAt: null,
          cancellation: null,
          completion: null,
        });
      }
    });
  }

  /** Signs in through the development provider's staff page as a staff member (not the manager) of the centre. */
  async function signIn(page: Page): Promise<void> {
    await page.goto(`${app.url}/centre/`);
    await page.getByRole('button', { name: 'Zaloguj się' }).click();
    await page.waitForURL(/\/dev-idp\/login\/staff/);
    await page.getByLabel('Punkt szczepień').fill(city);
    await page.getByRole('button', { name: 'Szukaj' }).click();
    await page
      .getByRole('link', { name: new RegExp(centreName) })
      .first()
      .click();
    await page.getByRole('button', { name: staffName }).click();
    await page.getByRole('heading', { level: 1, name: 'Wizyty dzisiaj' }).waitFor();
  }

  beforeAll(async () => {
    await centreForTheMorning();
    for (const p of PEOPLE) booked.set(p.key, await book(p));
    await aThousandVisitsTomorrow();
    const { staff } = await call<{ staff: Array<{ name: string; role: string }> }>(
      'GET',
      `/dev-idp/staff?centreId=${centreId}`,
    );
    staffName = staff.find((s) => s.role === 'staff')?.name ?? '';
    expect(staffName).not.toBe('');
    app.clock.set(morning);
  });

  /** A phone or desktop standing at the morning's moment, as the server does. */
  async function atTheDesk(viewport: { width: number; height: number }) {
    const opened = await openContext(app, viewport);
    await opened.page.clock.setFixedTime(new Date(morning));
    return opened;
  }

  /** The morning's wall-clock time at the centre (HH:MM). */
  const morningClock = () =>
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Warsaw',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(new Date(morning));

  it('checks people in by reference and QR code, records in three taps, not given, a walk-in, a correction, and works offline', async () => {
    const { context, page } = await atTheDesk(PHONE);
    const { tap, take } = tapCounter();
    try {
      await signIn(page);
      await page.getByText(`Zalogowano: ${staffName} · personel`).waitFor();
      await rowOf(page, the('typed')).waitFor();
      await expectAccessible(page, 'the day');
      await keepScreenshot(page, 'desk-day-pl-360');

      // Typed as read out: lower case, two groups. The first recording sets "same as last": the right arm.
      const typed = the('typed');
      await page
        .getByLabel('Numer rezerwacji')
        .fill(`${typed.reference.slice(0, 4)} ${typed.reference.slice(4)}`.toLowerCase());
      await page.getByRole('button', { name: 'Znajdź' }).click();
      const result = page.locator('.reference-result');
      await result.getByText(typed.pesel).waitFor();
      await result.getByRole('button', { name: 'Zarejestruj przybycie' }).click();
      await result.getByRole('heading', { name: 'Zapisz szczepienie' }).waitFor();
      const batchId = await result.getByLabel('Seria').inputValue();
      await result.getByLabel('Prawe ramię').check();
      await result.getByRole('button', { name: 'Zapisz szczepienie' }).click();
      await result.getByText(`Zapisano szczepienie: ${typed.givenName} ${typed.familyName}.`).waitFor();
      await result.getByRole('button', { name: 'Zamknij wynik' }).click();

      // The booking's QR code held up to the camera: the same look-up as a typed reference.
      const qr = the('qr');
      copyFileSync(qrCameraVideo(qr.reference), camera);
      await page.getByRole('button', { name: 'Skanuj kod QR' }).click();
      await result.getByText(qr.pesel).waitFor({ timeout: 20_000 });
      await expect(page.getByLabel('Numer rezerwacji').inputValue()).resolves.toBe(qr.reference);
      await expectAccessible(page, 'visit found by its QR code');
      await keepScreenshot(page, 'desk-qr-found-pl-360');
      await tap(result.getByRole('button', { name: 'Zarejestruj przybycie' }));
      await tap(result.getByRole('button', { name: 'Zapisz szczepienie' }));
      await result.getByText(`Zapisano szczepienie: ${qr.givenName} ${qr.familyName}.`).waitFor();
      expect(take()).toBe(2);
      await result.getByRole('button', { name: 'Zamknij wynik' }).click();

      // Five people from the list, "same as last": open, check in, record — three taps each.
      const five = ['list1', 'list2', 'list3', 'list4', 'list5'].map(the);
      for (const p of five) {
        await tap(rowOf(page, p));
        await tap(page.locator('.visits').getByRole('button', { name: 'Zarejestruj przybycie' }));
        await tap(page.locator('.visits').getByRole('button', { name: 'Zapisz szczepienie' }));
        await page.locator('.visits').getByText(`Zapisano szczepienie: ${p.givenName} ${p.familyName}.`).waitFor();
        expect({ who: p.key, taps: take() }).toEqual({ who: p.key, taps: 3 });
      }
      await expectAccessible(page, 'five recorded');
      for (const p of [qr, ...five]) {
        const { visit } = await stored(p.appointmentId);
        expect({
          who: p.key,
          status: visit?.status,
          batchId: visit?.completion?.batchId,
          site: visit?.completion?.site,
        }).toEqual({
          who: p.key,
          status: 'completed',
          batchId,
          site: 'right_deltoid',
        });
      }

      // Not given: the person came, declined.
      const declined = the('notGiven');
      await rowOf(page, declined).click();
      await page.locator('.visits').getByRole('button', { name: 'Zarejestruj przybycie' }).click();
      await page.locator('.visits').getByRole('button', { name: 'Nie podano szczepienia…' }).click();
      await page.getByLabel('Pacjent odmówił').check();
      await expectAccessible(page, 'not given');
      await keepScreenshot(page, 'desk-not-given-pl-360');
      await page.getByRole('button', { name: 'Zapisz: nie podano' }).click();
      await page
        .getByText(`Zapisano, że nie podano szczepienia: ${declined.givenName} ${declined.familyName}.`)
        .waitFor();
      await expect(rowOf(page, declined).textContent()).resolves.toContain('Nie podano');
      expect((await stored(declined.appointmentId)).visit?.notGiven?.reason).toBe('declined');

      // A walk-in: a PESEL mistyped is explained at its field, then booked into the running slot and checked in.
      await page.getByRole('button', { name: 'Pacjent bez rezerwacji' }).click();
      await page.getByLabel('PESEL').fill(`${WALK_IN.pesel.slice(0, 10)}${(Number(WALK_IN.pesel[10]) + 1) % 10}`);
      await page.getByLabel('Imię').fill(WALK_IN.givenName);
      await page.getByLabel('Nazwisko').fill(WALK_IN.familyName);
      await page.getByLabel('Telefon komórkowy (nieobowiązkowo)').fill('600 700 800');
      await page.getByRole('button', { name: 'Zarezerwuj i zarejestruj przybycie' }).click();
      await page.getByText('Ostatnia cyfra PESEL się nie zgadza. Sprawdź numer z dokumentem.').waitFor();
      await expectAccessible(page, 'walk-in with a mistyped PESEL');
      await keepScreenshot(page, 'desk-walk-in-error-pl-360');
      await page.getByLabel('PESEL').fill(WALK_IN.pesel);
      await page.getByRole('button', { name: 'Zarezerwuj i zarejestruj przybycie' }).click();
      const walkIn = page.locator('.walk-in');
      await walkIn
        .getByRole('heading', { name: `Zarezerwowano i zarejestrowano: ${WALK_IN.givenName} ${WALK_IN.familyName}` })
        .waitFor();
      await walkIn.getByRole('button', { name: 'Zapisz szczepienie' }).click();
      await walkIn.getByText(`Zapisano szczepienie: ${WALK_IN.givenName} ${WALK_IN.familyName}.`).waitFor();
      await expectAccessible(page, 'walk-in recorded');
      await keepScreenshot(page, 'desk-walk-in-pl-360');
      await walkIn.getByRole('button', { name: 'Gotowe — wróć do rejestracji' }).click();
      await rowOf(page, WALK_IN).waitFor();
      const walkInPatient = await app.system.store.runInTransaction((tx) => tx.getPatientByPesel(WALK_IN.pesel));
      expect(walkInPatient?.phone).toBe('+48600700800');

      // A correction: another dose number than the course's is kept, with its warning shown; the record says it was corrected.
      await rowOf(page, typed).click();
      await page.locator('.visits').getByRole('button', { name: 'Popraw wpis' }).click();
      await page.getByLabel('Numer dawki').fill('2');
      await page.getByLabel('Powód poprawki').fill('pomyłka w numerze dawki');
      await page.getByRole('button', { name: 'Zapisz poprawkę' }).click();
      await page.getByText(`Poprawiono wpis szczepienia: ${typed.givenName} ${typed.familyName}.`).waitFor();
      await page.locator('.visits').getByText('numer dawki inny niż w schemacie').waitFor();
      await expect(rowOf(page, typed).textContent()).resolves.toContain('Wpis poprawiony');
      await page.locator('.visits').getByText('Wpis poprawiono 1 raz — pokaż wcześniejszy').click();
      await expectAccessible(page, 'corrected');
      await keepScreenshot(page, 'desk-corrected-pl-360');
      const corrected = (await stored(typed.appointmentId)).visit;
      expect(corrected?.completion).toMatchObject({ dose: 2, warnings: ['DOSE_DIFFERS_FROM_COURSE'] });
      expect(corrected?.corrections?.map((c) => [c.before.dose, c.reason])).toEqual([[1, 'pomyłka w numerze dawki']]);
      await rowOf(page, typed).click();

      // The network goes. A visit is cancelled meanwhile (the person, from home); the desk goes on.
      await context.setOffline(true);
      await page
        .getByText(`Brak połączenia z siecią. Pokazujemy listę z ${morningClock()}`, { exact: false })
        .waitFor();
      const cancelled = the('cancelled');
      await call(
        'POST',
        `/api/booking/appointments/${cancelled.appointmentId}/cancel`,
        {},
        {
          authorization: `Bearer ${cancelled.token}`,
        },
      );
      const offline = [the('offline1'), the('offline2'), cancelled];
      for (const p of offline) {
        await rowOf(page, p).click();
        await page.locator('.visits').getByRole('button', { name: 'Zarejestruj przybycie' }).click();
        await page.locator('.visits').getByRole('button', { name: 'Zapisz szczepienie' }).click();
        await page.locator('.visits').getByText(`Zapisano szczepienie: ${p.givenName} ${p.familyName}.`).waitFor();
        await expect(rowOf(page, p).textContent()).resolves.toContain('Czeka na wysłanie');
      }
      await page.getByRole('heading', { name: 'Czeka na wysłanie: 6 zmian' }).waitFor();
      await expectAccessible(page, 'offline, six changes waiting');
      await keepScreenshot(page, 'desk-offline-waiting-pl-360');
      for (const p of offline)
        expect((await stored(p.appointmentId)).events).not.toHaveProperty('appointment.checked_in');

      // The network returns: sent in order, once each; the cancelled visit's changes are refused and shown.
      await context.setOffline(false);
      await page.getByRole('heading', { name: 'Nie zapisano 2 zmian' }).waitFor();
      await page.getByRole('heading', { name: /na wysłanie/ }).waitFor({ state: 'detached' });
      for (const p of offline.slice(0, 2)) {
        const { visit, events } = await stored(p.appointmentId);
        expect({ who: p.key, status: visit?.status, checkedInAt: visit?.checkedInAt, events }).toEqual({
          who: p.key,
          status: 'completed',
          checkedInAt: morning,
          events: expect.objectContaining({ 'appointment.checked_in': 1, 'appointment.completed': 1 }),
        });
      }
      const refused = await stored(cancelled.appointmentId);
      expect(refused.visit?.status).toBe('cancelled');
      expect(refused.events).not.toHaveProperty('appointment.checked_in');
      const conflicts = page.locator('.outbox-conflicts');
      await conflicts.getByText(`Rejestracja przybycia — ${cancelled.givenName} ${cancelled.familyName}`).waitFor();
      await conflicts.getByText(`Zapis szczepienia — ${cancelled.givenName} ${cancelled.familyName}`).waitFor();
      await expect(
        conflicts.getByText('Ta wizyta jest już zakończona albo odwołana. Odśwież listę.').count(),
      ).resolves.toBe(2);
      await expectAccessible(page, 'two changes refused');
      await keepScreenshot(page, 'desk-conflict-pl-360');
      await conflicts.getByRole('button', { name: /^Rozumiem, usuń: Rejestracja przybycia/ }).click();
      await conflicts.getByRole('button', { name: /^Rozumiem, usuń: Zapis szczepienia/ }).click();
      await conflicts.waitFor({ state: 'detached' });
      // The list has heard of the cancellation: the visit left it.
      await rowOf(page, cancelled).waitFor({ state: 'detached' });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    } finally {
      await context.close();
    }
  });

  it('opens a day of 1,000 visits on the phone, timed', async () => {
    const { context, page } = await atTheDesk(PHONE);
    try {
      await signIn(page);
      const started = performance.now();
      await page.goto(`${app.url}/centre/day?date=${TOMORROW}`);
      await page.locator('.visits > li').nth(999).waitFor();
      const ms = Math.round(performance.now() - started);
      console.log(`A day of 1,000 visits on a 360 px phone: ${ms} ms from navigation to the list shown.`);
      await expect(page.locator('.visits > li').count()).resolves.toBe(1000);
      await expectAccessible(page, '1,000 visits');
      // The screen as seen, not the whole 1,000-row page.
      await page.screenshot({ path: join(ARTIFACTS, 'desk-1000-visits-pl-360.png') });
    } finally {
      await context.close();
    }
  });

  it('shows the new states in Polish, English and Ukrainian, at 360 px and 1280 px', async () => {
    const { context, page } = await atTheDesk(DESKTOP);
    try {
      await signIn(page);
      const screens = the('screens');
      await context.setOffline(true);
      await rowOf(page, screens).click();
      await page.locator('.visits').getByRole('button', { name: 'Zarejestruj przybycie' }).click();
      await page.getByRole('heading', { name: 'Czeka na wysłanie: 1 zmiana' }).waitFor();
      await page.getByRole('button', { name: 'Pacjent bez rezerwacji' }).click();
      for (const [language, button] of [
        ['pl', 'Polski'],
        ['en', 'English'],
        ['uk', 'Українська'],
      ] as const) {
        await page.getByRole('button', { name: button }).click();
        await page.waitForFunction((lang) => document.documentElement.lang === lang, language);
        for (const [size, viewport] of [
          ['1280', DESKTOP],
          ['360', PHONE],
        ] as const) {
          await page.setViewportSize(viewport);
          await keepScreenshot(page, `desk-states-${language}-${size}`);
          const wide = await page.evaluate(() => document.documentElement.scrollWidth);
          expect({ language, size, wide: wide <= viewport.width }).toEqual({ language, size, wide: true });
        }
        await expectAccessible(page, `states in ${language}`);
      }
      await context.setOffline(false);
      await page.locator('.outbox').waitFor({ state: 'detached' });
      expect((await stored(screens.appointmentId)).events['appointment.checked_in']).toBe(1);
    } finally {
      await context.close();
    }
  });
});
