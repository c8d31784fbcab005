import { makePesel } from '@ereg/shared';
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
 * The developer pages a person meets on the local system, in a real browser: the development identity
 * provider's login page in the app's three languages, and the SMS outbox on a 360 px phone — each with
 * axe-core's WCAG 2.1 A/AA check and screenshots at phone and desktop size.
 */

let app: AppUnderTest;
appForThisFile((started) => {
  app = started;
});

/** How far the page reaches past the window's right edge (0 or less: no sideways scrolling). */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

const LOGIN = `/dev-idp/login?return=${encodeURIComponent('/login/callback')}`;

const PAGES = {
  pl: {
    heading: 'Zaloguj się przez testowego dostawcę tożsamości',
    label: 'PESEL (11 cyfr)',
    button: 'Zaloguj się',
    janina: /^Janina Kowalska, \d+ lat$/,
  },
  en: {
    heading: 'Log in with the development identity provider',
    label: 'PESEL (11 digits)',
    button: 'Log in',
    janina: /^Janina Kowalska, age \d+$/,
  },
  uk: {
    heading: 'Увійдіть через тестовий сервіс ідентифікації',
    label: 'PESEL (11 цифр)',
    button: 'Увійти',
    janina: /^Janina Kowalska, \d+ років$/,
  },
} as const;

/** The login page reads wholly in `language`: its heading, field, buttons and `<html lang>`. */
async function expectLoginPageIn(page: Page, language: keyof typeof PAGES): Promise<void> {
  const texts = PAGES[language];
  await page.getByRole('heading', { level: 1, name: texts.heading, exact: true }).waitFor();
  expect(await page.locator('html').getAttribute('lang')).toBe(language);
  expect(await page.getByLabel(texts.label, { exact: true }).count()).toBe(1);
  expect(await page.getByRole('button', { name: texts.button, exact: true }).count()).toBe(1);
  expect(await page.getByRole('button', { name: texts.janina }).count()).toBe(1);
  // The switch marks the language the page is in.
  const current = page.getByRole('navigation').locator('[aria-current="true"]');
  expect(await current.getAttribute('lang')).toBe(language);
}

describe('the development login page', () => {
  test.each(['pl', 'en', 'uk'] as const)(
    'is in the language the app asks for (%s), whatever the browser’s, at phone and desktop size',
    async (language) => {
      for (const [screen, viewport] of [
        ['phone', PHONE],
        ['desktop', DESKTOP],
      ] as const) {
        // The browser prefers another language: the app's choice wins.
        const { context, page } = await openContext(app, {
          ...viewport,
          locale: language === 'en' ? 'uk-UA' : 'en-GB',
        });
        try {
          await page.goto(`${app.url}${LOGIN}&ui_locales=${language}`);
          await expectLoginPageIn(page, language);
          expect(await overflow(page)).toBeLessThanOrEqual(0);
          expect(await seriousViolations(page)).toEqual([]);
          await keepScreenshot(page, `dev-${screen}-login-${language}`);
        } finally {
          await context.close();
        }
      }
    },
  );

  test('follows the browser’s language when the app asks for none, and Polish when it speaks none of them', async () => {
    for (const [locale, language] of [
      ['uk-UA', 'uk'],
      ['en-GB', 'en'],
      ['de-DE', 'pl'],
    ] as const) {
      const { context, page } = await openContext(app, { ...PHONE, locale });
      try {
        await page.goto(`${app.url}${LOGIN}`);
        await expectLoginPageIn(page, language);
      } finally {
        await context.close();
      }
    }
  });

  test('switches language on the page, stays in it when a PESEL is mistyped, and still logs the person in', async () => {
    const { context, page } = await openContext(app, { ...PHONE, locale: 'pl-PL' });
    try {
      await page.goto(`${app.url}${LOGIN}`);
      await expectLoginPageIn(page, 'pl');
      await page.getByRole('link', { name: 'Українська' }).click();
      await expectLoginPageIn(page, 'uk');

      await page.getByLabel(PAGES.uk.label).fill('4603146486');
      await page.getByRole('button', { name: PAGES.uk.button, exact: true }).click();
      await expectLoginPageIn(page, 'uk');
      expect(await page.getByRole('alert').textContent()).toBe('PESEL має складатися рівно з 11 цифр.');
      expect(await seriousViolations(page)).toEqual([]);
      await keepScreenshot(page, 'dev-phone-login-uk-mistyped');

      // The browser still goes back to the app, which completes the login.
      await page.getByRole('button', { name: PAGES.uk.janina }).click();
      await page.waitForURL(/\/search$/);
    } finally {
      await context.close();
    }
  });
});

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

/** A demo citizen logs in and books the soonest Comirnaty slot near Warsaw: a confirmation SMS follows. */
async function bookThroughTheApi(pesel: string): Promise<void> {
  const { assertion } = (await post('/dev-idp/assertion', { pesel })) as { assertion: string };
  const { token } = (await post('/api/login', { assertion })) as { token: string };
  const search = await fetch(`${app.url}/api/search?postalCode=00-950&vaccineId=comirnaty`);
  const { results } = (await search.json()) as { results: Array<{ slots: Array<{ slotId: string }> }> };
  const slotId = results[0]?.slots[0]?.slotId;
  if (!slotId) throw new Error('no free slot near 00-950');
  await post(
    '/api/booking/appointments',
    { slotId },
    { authorization: `Bearer ${token}`, 'idempotency-key': `dev-pages-${pesel}` },
  );
}

interface Message {
  to: string;
  body: string;
}

async function outbox(): Promise<Message[]> {
  const reply = await fetch(`${app.url}/dev-sms/messages`);
  return ((await reply.json()) as { messages: Message[] }).messages;
}

describe('the SMS outbox page', () => {
  let messages: Message[] = [];

  beforeAll(async () => {
    // Two people book through the API; a relative texts the system to book for a third.
    await bookThroughTheApi('46031464864');
    await bookThroughTheApi('71123113135');
    await post('/dev-sms/send', {
      from: '+48600700800',
      body: `SZCZEPIENIE ${makePesel('1950-06-15', 'female', 42)} 00-950`,
    });
    await post('/dev-sms/send', { from: '+48600700800', body: 'TAK' });
    // Every event handled and every due message sent (the background runners would, a moment later).
    await app.system.dispatcher.drain();
    await app.system.sms.runner.runDue();
    await app.system.dispatcher.drain();
    messages = await outbox();
    expect(new Set(messages.map((m) => m.to))).toEqual(new Set(['+48601200300', '+48602300400', '+48600700800']));
  }, 60_000);

  test('reads on a 360 px phone without sideways scrolling, every message and its text in view', async () => {
    const { context, page } = await openContext(app, PHONE);
    try {
      await page.goto(`${app.url}/sms`);
      const rows = page.locator('#messages tr');
      await rows.nth(messages.length - 1).waitFor();
      expect(await rows.count()).toBe(messages.length);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      // Each message's text is shown whole and fits the screen.
      const longest = messages.reduce((a, b) => (b.body.length > a.body.length ? b : a));
      const body = page.locator('#messages td.body', { hasText: longest.body.slice(0, 40) }).first();
      expect(await body.textContent()).toBe(longest.body);
      const box = await body.boundingBox();
      expect((box?.x ?? 0) + (box?.width ?? Number.POSITIVE_INFINITY)).toBeLessThanOrEqual(360);
      // A message's number and status are labelled once the table's header row is out of sight.
      // (The header row stays for screen readers only.)
      expect((await page.locator('thead').boundingBox())?.height).toBeLessThanOrEqual(1);
      const first = rows.first();
      expect(await first.getByRole('cell', { name: /^to: \+48\d{9}$/ }).count()).toBe(1);
      expect(await first.getByRole('cell', { name: /^status: \w+/ }).count()).toBe(1);
      expect(await seriousViolations(page)).toEqual([]);
      await keepScreenshot(page, 'dev-phone-sms');
    } finally {
      await context.close();
    }
  });

  test('is a table on a desktop, with nothing to report to axe', async () => {
    const { context, page } = await openContext(app, DESKTOP);
    try {
      await page.goto(`${app.url}/sms`);
      await page
        .locator('#messages tr')
        .nth(messages.length - 1)
        .waitFor();
      expect(await page.getByRole('columnheader', { name: 'text' }).isVisible()).toBe(true);
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      expect(await seriousViolations(page)).toEqual([]);
      await keepScreenshot(page, 'dev-desktop-sms');
    } finally {
      await context.close();
    }
  });
});
