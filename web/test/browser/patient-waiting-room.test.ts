import type { EligibilityRule } from '@ereg/shared';
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
 * An evening opening with a waiting room: "born in 1981 or earlier" opens at 20:00 in Warsaw. Olena,
 * born in 1981, opens the app at 19:40 (the doors open at 19:30): she is taken to the waiting page,
 * which says the order is drawn at 20:00. At 20:00 the admission runs; her page, asking again every few
 * seconds, says it is her turn and until when she may book; she searches and books. The waiting page
 * passes axe and is photographed in Polish, English and Ukrainian at 360 px and on a desktop.
 */

/** 19:40 in Warsaw on Monday 12 January 2026. */
const BEFORE_OPENING = '2026-01-12T18:40:00.000Z';
/** 20:00 in Warsaw. */
const OPENS_AT = '2026-01-12T19:00:00.000Z';

const EVENING: EligibilityRule = {
  id: 'born-1981-evening',
  kind: 'birthYear',
  bornInOrBefore: 1981,
  from: '2026-01-12',
  opensAt: OPENS_AT,
  description: 'people born in 1981 or earlier, from 20:00',
};

let app: AppUnderTest;
appForThisFile(
  (started) => {
    app = started;
  },
  { settings: { queueHours: 6 }, now: BEFORE_OPENING },
);

async function checked(page: Page, name: string): Promise<void> {
  expect({ name, violations: await seriousViolations(page) }).toEqual({ name, violations: [] });
  await keepScreenshot(page, `patient-waiting-${name}`);
}

async function inLanguage(page: Page, language: 'pl' | 'en' | 'uk'): Promise<void> {
  await page.evaluate((chosen) => window.localStorage.setItem('ereg.language', chosen), language);
  await page.reload();
}

const DRAWN_AT = {
  pl: 'Kolejność losujemy o 20:00',
  en: 'The order is drawn at 20:00',
  uk: 'Порядок визначимо жеребкуванням о 20:00',
};

/** Olena logs in from the waiting page's address and is brought back to it. */
async function logInToQueue(page: Page): Promise<void> {
  await page.goto(`${app.url}/queue`);
  await page.getByRole('main').getByRole('button', { name: 'Zaloguj się' }).click();
  await page.waitForURL(/\/dev-idp\/login/);
  await page.getByRole('button', { name: /Olena/ }).click();
  await page.waitForURL(/\/queue$/);
}

describe('the waiting room of an evening opening', () => {
  beforeAll(async () => {
    await app.system.store.runInTransaction(async (tx) => {
      tx.putEligibilityRule(EVENING);
    });
  });

  test('before the opening, the app takes Olena to the waiting page, which says when the order is drawn', async () => {
    const { context, page } = await openContext(app, PHONE);
    // From the start page, as a person would: logged in, the search sends her on to the waiting room.
    await page.goto(app.url);
    await page.getByRole('main').getByRole('button', { name: 'Zaloguj się' }).click();
    await page.waitForURL(/\/dev-idp\/login/);
    await page.getByRole('button', { name: /Olena/ }).click();
    await page.waitForURL(/\/queue$/);
    await page.getByRole('heading', { name: DRAWN_AT.pl }).waitFor();
    await page.getByRole('button', { name: 'Wyślij mi SMS, gdy przyjdzie moja kolej' }).waitFor();
    await checked(page, 'early-pl-360');
    // Keyboard: the text-message offer is reached with Tab and turned on with Enter.
    await page.getByRole('button', { name: 'Wyślij mi SMS, gdy przyjdzie moja kolej' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('Wyślemy Ci SMS, gdy przyjdzie Twoja kolej. Możesz zamknąć tę stronę.').waitFor();
    await checked(page, 'early-sms-pl-360');
    for (const language of ['en', 'uk'] as const) {
      await inLanguage(page, language);
      await page.getByRole('heading', { name: DRAWN_AT[language] }).waitFor();
      await checked(page, `early-${language}-360`);
    }
    await context.close();

    // A second tab on a desktop: the same place, not a new one.
    const desk = await openContext(app, DESKTOP);
    await logInToQueue(desk.page);
    for (const language of ['pl', 'en', 'uk'] as const) {
      if (language !== 'pl') await inLanguage(desk.page, language);
      await desk.page.getByRole('heading', { name: DRAWN_AT[language] }).waitFor();
      await checked(desk.page, `early-${language}-desktop`);
    }
    await desk.context.close();
    const tickets = app.system.db
      .prepare('SELECT COUNT(*) AS n FROM queue_tickets WHERE room_id = ?')
      .get(EVENING.id) as { n: number };
    expect(tickets.n).toBe(1);
  });

  test('at 20:00 the order is drawn and Olena is let in: her page says until when she may book, and she books', async () => {
    const { context, page } = await openContext(app, PHONE);
    await logInToQueue(page);
    await page.getByRole('heading', { name: DRAWN_AT.pl }).waitFor();

    // The opening: the server's clock and the page's move to 20:00, and the admission runs.
    app.clock.set(OPENS_AT);
    await page.clock.setFixedTime(new Date(OPENS_AT));
    await app.system.queue.tick();
    app.clock.set('2026-01-12T19:00:05.000Z');
    await page.clock.setFixedTime(new Date('2026-01-12T19:00:05.000Z'));
    await app.system.queue.tick();

    // The page asks again by itself (every 5 s) and says it is her turn.
    const turn = page.getByRole('heading', { name: /^Twoja kolej — na rezerwację masz czas do 20:10$/ });
    await turn.waitFor({ timeout: 15_000 });
    await checked(page, 'admitted-pl-360');
    for (const language of ['en', 'uk'] as const) {
      await inLanguage(page, language);
      await page.getByRole('link', { name: language === 'en' ? 'Choose a slot' : 'Обрати термін' }).waitFor();
      await checked(page, `admitted-${language}-360`);
    }
    await inLanguage(page, 'pl');
    await page.getByRole('link', { name: 'Wybierz termin' }).click();
    await page.waitForURL(/\/search/);

    // Search and book: the booking carries her signed place in line.
    await page.goto(`${app.url}/search?postalCode=00-950&vaccineId=comirnaty`);
    const slot = page
      .getByRole('main')
      .getByRole('link', { name: /Comirnaty/ })
      .first();
    await slot.click();
    await page.waitForURL(/\/book\//);
    const confirm = page.getByRole('button', { name: 'Potwierdzam rezerwację' });
    await confirm.waitFor();
    const booking = page.waitForRequest(
      (request) => request.method() === 'POST' && new URL(request.url()).pathname === '/api/booking/appointments',
    );
    await confirm.click();
    expect((await booking).headers()['queue-ticket']).toMatch(/^q1\.born-1981-evening\./);
    await page.waitForURL(/\/bookings\//);
    const ticket = app.system.db.prepare('SELECT data FROM queue_tickets WHERE room_id = ?').get(EVENING.id) as {
      data: string;
    };
    expect(JSON.parse(ticket.data)).toMatchObject({ status: 'booked', smsWhenTurn: true });
    await context.close();
  });
});
