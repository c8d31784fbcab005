import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
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
 * Booking for callers in the hotline console, by keyboard only: an agent books a course for an eligible
 * demo patient with no visit and reads it back (what the screen says is what the API then holds), and
 * books a household of three callers sharing one phone together at one centre. The people are put in
 * the call as the console keeps it: looked up through the API as that agent, the call written to the
 * tab's storage (`ereg.agent.call`, the shape `Call` of app-context.ts), the agent's session beside it.
 * Every state passes axe; screenshots at 360 px and on a desktop, in Polish, English and Ukrainian.
 */

let app: AppUnderTest;
appForThisFile((started) => {
  app = started;
});

const DOCS = join(__dirname, '../../../docs/screenshots/agent');
const JANINA = '46031464864';
const AGENT = 'agent-1';

interface Card {
  patientId: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  phone: string | null;
}

interface Visit {
  reference: string;
  dose: number;
  start: string;
  status: string;
  centre: { id: string; name: string; address: { street: string; postalCode: string; city: string }; timeZone: string };
}

async function call<T>(method: string, path: string, token: string | null, body?: unknown): Promise<T> {
  const reply = await fetch(`${app.url}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!reply.ok) throw new Error(`${method} ${path}: ${reply.status} ${await reply.text()}`);
  return (await reply.json()) as T;
}

/** The agent's session token, as the development provider's hotline page hands it to the console. */
async function agentToken(): Promise<{ token: string; expiresAt: string }> {
  const reply = await fetch(`${app.url}/dev-idp/login/hotline`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ role: 'agent', id: AGENT, return: '/agent/login/callback' }),
    redirect: 'manual',
  });
  const fragment = new URLSearchParams((reply.headers.get('location') ?? '').split('#')[1] ?? '');
  const token = fragment.get('token');
  if (!token) throw new Error(`No hotline token: ${reply.status}`);
  return { token, expiresAt: fragment.get('expiresAt') ?? '' };
}

/** The console opened with the agent signed in and these people in the call. */
async function openCall(
  page: Page,
  session: { token: string; expiresAt: string },
  reason: string,
  people: readonly Card[],
  language: string,
): Promise<void> {
  await page.goto(`${app.url}/agent/`);
  await page.evaluate(
    ({ session, reason, people, language }) => {
      sessionStorage.setItem(
        'ereg.agent.session',
        JSON.stringify({
          kind: 'bearer',
          token: session.token,
          expiresAt: Date.parse(session.expiresAt),
          patientId: null,
        }),
      );
      sessionStorage.setItem('ereg.agent.call', JSON.stringify({ reason: { code: reason }, people }));
      localStorage.setItem('ereg.language', language);
    },
    { session, reason, people, language },
  );
}

async function expectAccessible(page: Page, state: string): Promise<void> {
  expect({ state, violations: await seriousViolations(page) }).toEqual({ state, violations: [] });
}

/** Kept as a test artifact and in the docs. */
async function screenshot(page: Page, name: string): Promise<void> {
  await keepScreenshot(page, `agent-${name}`);
  mkdirSync(DOCS, { recursive: true });
  await page.screenshot({ path: join(DOCS, `${name}.png`), fullPage: true });
}

const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent ?? '');

/** "poniedziałek, 19 stycznia" and "08:10", as the read-back says a visit's time. */
function spoken(instant: string, zone: string, locale: string): { day: string; time: string } {
  const at = new Date(instant);
  return {
    day: new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', timeZone: zone }).format(at),
    time: new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone: zone }).format(at),
  };
}

describe('booking for callers in the console', () => {
  let session: { token: string; expiresAt: string };

  beforeAll(async () => {
    session = await agentToken();
  });

  it('books a course for a caller by keyboard and reads back what the API then holds', async () => {
    // Janina logs in once (so her record exists), then the agent looks her up by PESEL.
    const { assertion } = await call<{ assertion: string }>('POST', '/dev-idp/assertion', null, { pesel: JANINA });
    await call('POST', '/api/login', null, { assertion });
    const found = await call<{ callers: Card[] }>('POST', '/api/booking/hotline/lookups', session.token, {
      by: 'pesel',
      value: JANINA,
      reason: 'caller-booking',
    });
    const janina = found.callers[0] as Card;
    const before = await call<{ appointments: Visit[] }>(
      'GET',
      `/api/booking/patients/${janina.patientId}/appointments?reason=caller-booking`,
      session.token,
    );
    expect(before.appointments).toEqual([]);

    const { context, page } = await openContext(app, DESKTOP);
    try {
      await openCall(page, session, 'caller-booking', [janina], 'pl');
      await page.goto(`${app.url}/agent/book/${janina.patientId}`);
      await page.getByRole('heading', { level: 1, name: 'Rezerwacja: Janina Kowalska' }).waitFor();
      await page.getByTestId('book-standing').waitFor();
      expect(await page.getByTestId('book-standing').textContent()).toBe(
        '✓ Może się zapisać: urodzeni w 1961 roku lub wcześniej (wiek 64+).',
      );
      await expectAccessible(page, 'eligible');
      await screenshot(page, 'book-eligible-pl-desktop');

      await page.keyboard.press('Alt+P');
      await page.keyboard.type('00-950');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Najbliższe terminy: 00-950' }).waitFor();
      // Focus is on the first slot; the arrow key moves to the second, Enter chooses it.
      expect(await focusedText(page)).toMatch(/\d\d:\d\d/);
      await expectAccessible(page, 'slots');
      await screenshot(page, 'book-slots-pl-desktop');
      await page.keyboard.press('ArrowDown');
      const chosen = await focusedText(page);
      await page.keyboard.press('Enter');
      await page.getByText('Dawka 2 (proponowany termin)').waitFor();
      expect(await focusedText(page)).toBe('Podsumowanie');
      expect(chosen).toContain((await page.locator('.book-summary dd').first().textContent())?.split(' ').pop() ?? '?');
      await expectAccessible(page, 'summary');
      await screenshot(page, 'book-summary-pl-desktop');

      await page.keyboard.press('Alt+K');
      const panel = page.getByTestId('book-read-back');
      await panel.waitFor();
      expect(await focusedText(page)).toBe('Przeczytaj to dzwoniącemu');
      await expectAccessible(page, 'read-back');
      await screenshot(page, 'book-read-back-pl-desktop');

      // What the screen says is what the API holds now.
      const after = await call<{ appointments: Visit[] }>(
        'GET',
        `/api/booking/patients/${janina.patientId}/appointments?reason=caller-booking`,
        session.token,
      );
      const visits = after.appointments
        .filter((v) => v.status === 'booked')
        .sort((a, b) => a.start.localeCompare(b.start));
      expect(visits.map((v) => v.dose)).toEqual([1, 2]);
      const text = (await panel.textContent()) ?? '';
      for (const visit of visits) {
        const { day, time } = spoken(visit.start, visit.centre.timeZone, 'pl-PL');
        expect(text).toContain(`Dawka ${visit.dose}${day}, godz. ${time}`);
        expect(text).toContain(visit.centre.name);
        const { street, postalCode, city } = visit.centre.address;
        expect(text).toContain(`${street}, ${postalCode} ${city}`);
      }
      const reference = visits[0]?.reference ?? '';
      expect(await panel.getByTestId('book-reference').textContent()).toBe(
        `${reference.slice(0, 4)}-${reference.slice(4)}`,
      );
      expect(text).toContain('Potwierdzenie SMS wysłane na numer +48 *** *** 300.');

      await page.setViewportSize(PHONE);
      await expectAccessible(page, 'read-back at 360 px');
      await screenshot(page, 'book-read-back-pl-360');

      await page.keyboard.press('Alt+D');
      await page.waitForURL(`**/agent/caller/${janina.patientId}`);
    } finally {
      await context.close();
    }
  });

  it('books a household of three callers sharing one phone together, at one centre, close in time', async () => {
    // Three people who never logged in, registered by the agent with the one mobile they share.
    const phone = '+48 605 111 222';
    for (const [i, birthDate] of ['1944-02-10', '1947-06-21', '1952-11-03'].entries()) {
      await call('POST', '/api/booking/hotline/callers', session.token, {
        pesel: makePesel(birthDate, i === 1 ? 'male' : 'female', 400 + i),
        givenName: ['Halina', 'Stefan', 'Maria'][i],
        familyName: 'Wiśniewska',
        phone,
        reason: 'relative-booking',
        checked: true,
      });
    }
    const found = await call<{ callers: Card[] }>('POST', '/api/booking/hotline/lookups', session.token, {
      by: 'phone',
      value: phone,
      reason: 'relative-booking',
    });
    expect(found.callers).toHaveLength(3);
    const people = found.callers;

    const { context, page } = await openContext(app, PHONE);
    try {
      await openCall(page, session, 'relative-booking', people, 'en');
      await page.goto(`${app.url}/agent/household`);
      await page.getByRole('heading', { level: 1, name: 'Booking for several people' }).waitFor();
      await page
        .getByText(/Eligible: born 1961 or earlier/)
        .nth(2)
        .waitFor();
      await expectAccessible(page, 'household');
      await screenshot(page, 'household-en-360');

      await page.keyboard.press('Alt+P');
      await page.keyboard.type('Kraków');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Soonest slots near Kraków' }).waitFor();
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Summary' }).waitFor();
      expect(await focusedText(page)).toBe('Summary');
      await expectAccessible(page, 'household summary');
      await screenshot(page, 'household-summary-en-360');

      await page.keyboard.press('Alt+K');
      const panel = page.getByTestId('book-read-back');
      await panel.waitFor();
      expect(await focusedText(page)).toBe('Read this to the caller');
      await expectAccessible(page, 'household read-back');
      await screenshot(page, 'household-read-back-en-360');

      const lines = panel.getByTestId('household-line');
      expect(await lines.count()).toBe(3);
      const firsts: Visit[] = [];
      for (const [i, person] of people.entries()) {
        const { appointments } = await call<{ appointments: Visit[] }>(
          'GET',
          `/api/booking/patients/${person.patientId}/appointments?reason=relative-booking`,
          session.token,
        );
        const first = appointments.filter((v) => v.dose === 1)[0] as Visit;
        firsts.push(first);
        const line = (await lines.nth(i).textContent()) ?? '';
        const { day, time } = spoken(first.start, first.centre.timeZone, 'en-GB');
        expect(line).toContain(`${person.givenName} ${person.familyName}: dose 1 ${day}, at ${time}`);
        expect(await lines.nth(i).getByTestId('book-reference').textContent()).toBe(
          `${first.reference.slice(0, 4)}-${first.reference.slice(4)}`,
        );
        expect(line).toContain('SMS confirmation sent to +48 *** *** 222.');
      }
      expect(new Set(firsts.map((v) => v.centre.id)).size).toBe(1);
      const starts = firsts.map((v) => Date.parse(v.start));
      expect(Math.max(...starts) - Math.min(...starts)).toBeLessThanOrEqual(60 * 60_000);

      await page.setViewportSize(DESKTOP);
      await screenshot(page, 'household-read-back-en-desktop');
    } finally {
      await context.close();
    }
  });

  it('speaks Ukrainian, and says when a caller may not book yet', async () => {
    const { assertion } = await call<{ assertion: string }>('POST', '/dev-idp/assertion', null, {
      pesel: '81051739246',
    });
    await call('POST', '/api/login', null, { assertion });
    const found = await call<{ callers: Card[] }>('POST', '/api/booking/hotline/lookups', session.token, {
      by: 'pesel',
      value: '81051739246',
      reason: 'caller-asking',
    });
    const olena = found.callers[0] as Card;
    const { context, page } = await openContext(app, DESKTOP);
    try {
      await openCall(page, session, 'caller-asking', [olena], 'uk');
      await page.goto(`${app.url}/agent/book/${olena.patientId}`);
      await page.getByRole('heading', { level: 1, name: 'Запис: Olena Kowalenko' }).waitFor();
      await page.getByTestId('book-standing').waitFor();
      expect(await page.getByTestId('book-standing').textContent()).toMatch(
        /^! Ще ні: запис для її віку відкриється 22 січня 2026/,
      );
      expect(await page.getByLabel('Поштовий індекс або населений пункт').count()).toBe(0);
      await expectAccessible(page, 'not yet');
      await screenshot(page, 'book-not-yet-uk-desktop');
      await page.setViewportSize(PHONE);
      await screenshot(page, 'book-not-yet-uk-360');
    } finally {
      await context.close();
    }
  });
});
