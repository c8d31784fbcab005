import { join } from 'node:path';
import type { Page } from 'playwright-core';
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

/*
 * What a patient trips over around the search, in a real browser against the whole local system: the
 * results after a search on a 360 px phone (focus and view on them, the form folded, paged), the date
 * field in the chosen language, Back after logging in from a slot, and the header's log-in link — with
 * axe-core's WCAG 2.1 A/AA check of each new state and screenshots at 360 px and on a desktop.
 */

let app: AppUnderTest;
appForThisFile((started) => {
  app = started;
});

type Language = 'pl' | 'en' | 'uk';

/** What each language calls the things on the search page, and how it writes 20 January 2026. */
const TEXT: Record<
  Language,
  {
    name: string;
    title: string;
    postalCode: string;
    distance: string;
    date: string;
    search: string;
    results: string;
    change: string;
    more: string;
    typed: string;
    hint: string;
    malformed: string;
    summary: string;
  }
> = {
  pl: {
    name: 'Polski',
    title: 'Znajdź termin szczepienia',
    postalCode: 'Kod pocztowy',
    distance: 'Odległość',
    date: 'Najwcześniej od dnia',
    search: 'Szukaj',
    results: 'Najbliższe wolne terminy',
    change: 'Zmień wyszukiwanie',
    more: 'Pokaż kolejne punkty szczepień',
    typed: '20.01.2026',
    hint: 'W formacie DD.MM.RRRR, na przykład 19.01.2026.',
    malformed: 'Najwcześniej od dnia: wpisz datę w formacie DD.MM.RRRR, na przykład 19.01.2026.',
    summary: 'Szukasz: kod 00-950 · od 20 stycznia 2026 · dowolna szczepionka · do 200 km',
  },
  en: {
    name: 'English',
    title: 'Find a vaccination slot',
    postalCode: 'Postal code',
    distance: 'Distance',
    date: 'Earliest date',
    search: 'Search',
    results: 'Soonest free slots',
    change: 'Change search',
    more: 'Show more vaccination centres',
    typed: '20/01/2026',
    hint: 'As DD/MM/YYYY, for example 19/01/2026.',
    malformed: 'Earliest date: enter the date as DD/MM/YYYY, for example 19/01/2026.',
    summary: 'Your search: postal code 00-950 · from 20 January 2026 · any vaccine · up to 200 km',
  },
  uk: {
    name: 'Українська',
    title: 'Знайдіть термін щеплення',
    postalCode: 'Поштовий індекс',
    distance: 'Відстань',
    date: 'Найраніше з дати',
    search: 'Шукати',
    results: 'Найближчі вільні терміни',
    change: 'Змінити пошук',
    more: 'Показати ще пункти щеплення',
    typed: '20.01.2026',
    hint: 'У форматі ДД.ММ.РРРР, наприклад 19.01.2026.',
    malformed: 'Найраніше з дати: введіть дату у форматі ДД.ММ.РРРР, наприклад 19.01.2026.',
    summary: 'Ваш пошук: індекс 00-950 · з 20 січня 2026 р. · будь-яка вакцина · до 200 км',
  },
};

/** What `read` answers once `done` holds (the page settles after a click), or after 5 s what it answers then. */
async function settled<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const until = Date.now() + 5_000;
  let value = await read();
  while (!done(value) && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}

/** The focused element's text and whether it lies wholly within the viewport. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const element = document.activeElement as HTMLElement;
    const box = element.getBoundingClientRect();
    return {
      tag: element.tagName.toLowerCase(),
      text: element.textContent?.trim() ?? '',
      // Within a pixel: a scroll position may fall between two.
      inView: box.top >= -1 && box.bottom <= window.innerHeight + 1 && box.height > 0,
    };
  });

/** The accessibility check (nothing serious or critical) and a screenshot of the page as it is now. */
async function inspect(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  expect({ name, violations: await seriousViolations(page) }).toEqual({ name, violations: [] });
  await keepScreenshot(page, `search-${name}`);
}

/** What the screen shows now (not the whole page): where the view is after a search, say. */
async function keepView(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `search-${name}-view.png`) });
}

const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });

describe('the search in each language, on a 360 px phone and on a desktop', () => {
  test.each([
    ['phone', 'pl', PHONE],
    ['phone', 'en', PHONE],
    ['phone', 'uk', PHONE],
    ['desktop', 'pl', DESKTOP],
    ['desktop', 'en', DESKTOP],
    ['desktop', 'uk', DESKTOP],
  ] as const)(
    'on a %s in %s: results in view and focused, the form folded, the date in the language, paged',
    async (screen, language, viewport) => {
      const text = TEXT[language];
      // The browser speaks American English, whose own date field would read 01/20/2026: the app's language wins.
      const { context, page } = await openContext(app, { ...viewport, locale: 'en-US' });
      const shot = (state: string) => inspect(page, `${screen}-${language}-${state}`);
      try {
        await page.goto(`${app.url}/search`);
        await page.getByRole('button', { name: text.name }).click();
        await heading(page, text.title).waitFor();
        expect(await page.locator('html').getAttribute('lang')).toBe(language);

        const date = page.getByLabel(text.date);
        expect(await date.getAttribute('type')).toBe('text');
        expect(await page.locator('#from-hint').textContent()).toContain(text.hint);
        await page.getByLabel(text.postalCode).fill('00-950');
        await page.getByLabel(text.distance).selectOption('200');
        await date.fill(text.typed);
        await page.getByRole('button', { name: text.search, exact: true }).click();

        // The results' heading takes focus and comes into view; the form has folded into what was asked.
        const results = page.getByRole('heading', { level: 2, name: text.results });
        await results.waitFor();
        expect(
          await settled(
            () => focused(page),
            (f) => f.tag === 'h2' && f.inView,
          ),
        ).toEqual({
          tag: 'h2',
          text: text.results,
          inView: true,
        });
        expect(new URL(page.url()).searchParams.get('from')).toBe('2026-01-20');
        expect(await page.getByRole('search').count()).toBe(0);
        expect(await page.getByTestId('search-summary').textContent()).toBe(text.summary);
        const centres = page.getByRole('main').getByRole('heading', { level: 3 });
        expect(await centres.count()).toBe(5);
        await keepView(page, `${screen}-${language}-1-results`);
        await shot('1-results');

        // "Change search" unfolds the form, which shows the date as the language writes it.
        const change = page.getByRole('button', { name: text.change });
        await change.click();
        expect(await change.getAttribute('aria-expanded')).toBe('true');
        await page.getByRole('search').waitFor();
        expect(await date.inputValue()).toBe(text.typed);
        await shot('2-change-search');

        // A malformed date is refused by the field, naming it; nothing is searched.
        await date.fill('20.01');
        await page.getByRole('button', { name: text.search, exact: true }).click();
        await page.getByText(text.malformed).waitFor();
        expect(await date.getAttribute('aria-invalid')).toBe('true');
        expect(
          await settled(
            () => focused(page),
            (f) => f.inView,
          ),
        ).toMatchObject({ tag: 'input', inView: true });
        await shot('3-date-error');
        await change.click();
        expect(await page.getByRole('search').count()).toBe(0);

        // The next centres: focus on the first one added, the page in the address, the same entry of the history.
        const entries = await page.evaluate(() => history.length);
        const sixth = (await centres.nth(5).count()) === 0;
        expect(sixth).toBe(true);
        await page.getByRole('button', { name: text.more }).click();
        expect(
          await settled(
            () => centres.count(),
            (n) => n > 5,
          ),
        ).toBeGreaterThan(5);
        const added = (await centres.nth(5).textContent()) ?? '';
        expect(
          await settled(
            () => focused(page),
            (f) => f.tag === 'h3' && f.inView,
          ),
        ).toEqual({
          tag: 'h3',
          text: added,
          inView: true,
        });
        expect(new URL(page.url()).searchParams.get('page')).toBe('2');
        expect(await page.evaluate(() => history.length)).toBe(entries);
        await keepView(page, `${screen}-${language}-4-more-centres`);
        await shot('4-more-centres');

        // Nothing wider than the screen.
        expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(
          0,
        );

        // Reloaded, the address shows the same: the summary and both pages of centres.
        await page.reload();
        await results.waitFor();
        expect(await page.getByTestId('search-summary').textContent()).toBe(text.summary);
        expect(await centres.count()).toBeGreaterThan(5);
      } finally {
        await context.close();
      }
    },
  );
});

describe('logging in from the search', () => {
  test('after logging in to book a slot, Back from the booking page leads to the search, not to the login', async () => {
    const { context, page } = await openContext(app, PHONE);
    try {
      await page.goto(`${app.url}/search?postalCode=00-950`);
      await page.getByRole('heading', { name: 'Najbliższe wolne terminy' }).waitFor();
      await page
        .getByRole('main')
        .getByRole('link', { name: /wolne? miejsc/ })
        .first()
        .click();
      await heading(page, 'Potwierdź rezerwację').waitFor();
      const booking = page.url();
      await page.getByRole('main').getByRole('button', { name: 'Zaloguj się' }).click();
      await page.waitForURL(/\/dev-idp\/login/);
      await page.getByRole('button', { name: /Andrzej/ }).click();
      await page.getByRole('button', { name: 'Potwierdzam rezerwację' }).waitFor();
      expect(page.url()).toBe(booking);

      await page.goBack();
      await heading(page, 'Znajdź termin szczepienia').waitFor();
      expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/search?postalCode=00-950');
      await page.getByRole('heading', { name: 'Najbliższe wolne terminy' }).waitFor();
      // Still logged in, and Forward returns to the booking.
      await page.getByRole('navigation').getByRole('link', { name: 'Moje wizyty' }).waitFor();
      await page.goForward();
      await page.getByRole('button', { name: 'Potwierdzam rezerwację' }).waitFor();
    } finally {
      await context.close();
    }
  });

  test('the header’s log-in link leads to the identity provider and back to the page the person was on', async () => {
    const { context, page } = await openContext(app, { width: 1280, height: 900 });
    try {
      await page.goto(`${app.url}/`);
      await page.getByRole('navigation').getByRole('link', { name: 'Szukaj terminu' }).click();
      await heading(page, 'Znajdź termin szczepienia').waitFor();
      await page.getByRole('navigation').getByRole('link', { name: 'Zaloguj się' }).click();
      await page.waitForURL(/\/dev-idp\/login/);
      await page.getByRole('button', { name: /Janina/ }).click();
      await heading(page, 'Znajdź termin szczepienia').waitFor();
      await page.getByTestId('eligibility').waitFor();
      expect(new URL(page.url()).pathname).toBe('/search');
      await page.getByRole('navigation').getByRole('link', { name: 'Moje wizyty' }).waitFor();
      expect(await page.getByRole('navigation').getByRole('link', { name: 'Zaloguj się' }).count()).toBe(0);

      await page.goBack();
      await heading(page, 'Zapisz się na szczepienie').waitFor();
      expect(new URL(page.url()).pathname).toBe('/');
    } finally {
      await context.close();
    }
  });
});
