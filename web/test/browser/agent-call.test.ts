import { makePesel } from '@ereg/shared';
import type { Page } from 'playwright-core';
import {
  type AppUnderTest,
  apiCall,
  appForThisFile,
  DESKTOP,
  hotlineToken,
  lookAt,
  openContext,
  PHONE,
  seriousViolations,
  signInToConsole,
} from './harness.ts';

/*
 * An agent's call in the console, by keyboard only: the reason first, a caller found by PESEL, their
 * phone shown (and the access log holding the reveal), a visit moved to another time at the same
 * centre and then cancelled, the confirmation resent, a landline given in place of the mobile; a
 * caller who never logged in registered with a landline (a mobile typed as one refused at the field);
 * an agent past the hourly look-up budget told so, the supervisors alerted; a phone shared by a
 * household listing everyone on it, all added to the call, and a booking reference opening its
 * caller's card. What the screen says is checked against what the API then holds. axe on every
 * state; screenshots at 360 px and on a desktop in Polish, English and Ukrainian, in
 * docs/screenshots/agent.
 */

/** A small hourly budget, so that one agent spends it in a test (below the 6 look-ups a minute any agent may make). */
const BUDGET = 4;

let app: AppUnderTest;
appForThisFile(
  (started) => {
    app = started;
  },
  { settings: { lookupBudgetPerHour: BUDGET } },
);

interface Visit {
  id: string;
  reference: string;
  status: string;
  start: string;
  slotId: string;
  centreId: string;
  dose: number;
}

/** A person who logs in once with a mobile number; answers their session token. */
async function personLoggedIn(pesel: string, givenName: string, familyName: string, phone: string): Promise<string> {
  const { assertion } = await apiCall<{ assertion: string }>(app, 'POST', '/dev-idp/assertion', null, {
    pesel,
    givenName,
    familyName,
    phone,
  });
  const { token } = await apiCall<{ token: string }>(app, 'POST', '/api/login', null, { assertion });
  return token;
}

/** A person who logs in once and books a Comirnaty course near 00-950; answers their visits. */
async function personWithCourse(
  pesel: string,
  givenName: string,
  familyName: string,
  phone = '+48 600 111 222',
): Promise<Visit[]> {
  const token = await personLoggedIn(pesel, givenName, familyName, phone);
  const search = await apiCall<{ results: Array<{ centre: { id: string } }> }>(
    app,
    'GET',
    '/api/search?postalCode=00-950&vaccineId=comirnaty',
    null,
  );
  for (const { centre } of search.results) {
    const free = await apiCall<{ slots: Array<{ slotId: string }> }>(
      app,
      'GET',
      `/api/centres/${centre.id}/slots?vaccineId=comirnaty&from=2026-01-14&to=2026-01-20`,
      null,
    );
    // Two free slots at least: one to book, one to move to.
    if (free.slots.length < 3 || !free.slots[0]) continue;
    const booked = await apiCall<{ appointments: Visit[] }>(
      app,
      'POST',
      '/api/booking/appointments',
      token,
      { slotId: free.slots[0].slotId },
      { 'idempotency-key': `agent-call-${pesel}` },
    );
    return booked.appointments;
  }
  throw new Error('No centre near 00-950 has free Comirnaty slots next week.');
}

const focused = (page: Page) => page.evaluate(() => document.activeElement?.textContent ?? '');

/** A state of the page passes axe with no serious violation (its screenshot not kept). */
async function expectAccessible(page: Page, state: string): Promise<void> {
  expect({ state, violations: await seriousViolations(page) }).toEqual({ state, violations: [] });
}

/** Tab forward until the focused element says `text`; no mouse. */
async function tabTo(page: Page, text: RegExp): Promise<void> {
  for (let i = 0; i < 60; i += 1) {
    await page.keyboard.press('Tab');
    const label = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      if (!element || element === document.body) return '';
      return `${element?.getAttribute('aria-label') ?? ''} ${element?.textContent ?? ''} ${element?.closest('label')?.textContent ?? ''}`;
    });
    if (text.test(label)) return;
  }
  throw new Error(`Nothing focusable says ${text}`);
}

async function switchTo(page: Page, language: 'en' | 'uk'): Promise<void> {
  await page.getByRole('button', { name: language === 'en' ? 'English' : 'Українська' }).click();
}

test('a caller found by PESEL: phone shown and logged, a visit moved and cancelled, the confirmation resent — by keyboard', async () => {
  const pesel = makePesel('1944-06-02', 'female', 211);
  const visits = await personWithCourse(pesel, 'Stefania', 'Lis');
  const first = visits.find((v) => v.dose === 1) as Visit;

  const { context, page } = await openContext(app, DESKTOP);
  try {
    await signInToConsole(app, page, /Magdalena Sikora/);
    await page.getByRole('heading', { level: 1, name: 'Rozmowa' }).waitFor();
    // Nothing to look up before a reason: the reason's choices come first.
    expect(await page.getByLabel('Szukany PESEL').count()).toBe(0);
    await lookAt(page, 'agent', 'call-reason-pl-desktop');

    await page.keyboard.press('Alt+R');
    await page.keyboard.press('ArrowDown'); // caller-booking → caller-changing
    await page.keyboard.press('Enter');
    await page.getByLabel('Szukany PESEL').waitFor();
    await expectAccessible(page, 'look-up form');
    await page.keyboard.press('Alt+F');
    await page.keyboard.type(pesel);
    await page.keyboard.press('Enter');

    await page.getByRole('heading', { level: 1, name: 'Stefania Lis' }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/agent\/caller\//);
    const patientId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    await page.getByText(`*******${pesel.slice(-4)}`).waitFor();
    await lookAt(page, 'agent', 'caller-pl-desktop');

    await tabTo(page, /Pokaż: Komórka/);
    await page.keyboard.press('Enter');
    await page.getByText('+48600111222').waitFor();
    // The number shown takes the focus, so that a screen reader reads it out.
    expect(await focused(page)).toBe('+48600111222');
    await expectAccessible(page, 'phone shown');
    const supervisor = await hotlineToken(app, 'supervisor', 'supervisor-1');
    const log = await apiCall<{
      records: Array<{ action: string; field?: string | null; reasonCode?: string | null }>;
    }>(app, 'GET', `/api/admin/hotline/audit?patientId=${encodeURIComponent(patientId)}`, supervisor);
    expect(log.records.map((r) => r.action)).toEqual(expect.arrayContaining(['lookup', 'reveal']));
    expect(log.records.find((r) => r.action === 'reveal')?.field).toBe('phone');

    // Move the first visit (Alt+M): the same centre's free times, the first focused; Enter takes it.
    await page.keyboard.press('Alt+M');
    await page.getByText('Późniejsze dawki przesuną się razem z tą wizytą.').waitFor();
    await page.waitForFunction(() => document.activeElement?.closest('.caller-slots') !== null);
    await lookAt(page, 'agent', 'caller-move-pl-desktop');
    await page.keyboard.press('Enter');
    await page.getByText(/^Przeniesiono na /).waitFor();
    await expectAccessible(page, 'visit moved');
    const agent = await hotlineToken(app, 'agent', 'agent-2');
    await apiCall(app, 'POST', '/api/booking/hotline/lookups', agent, {
      by: 'pesel',
      value: pesel,
      reason: 'caller-asking',
    });
    const afterMove = await apiCall<{ appointments: Visit[] }>(
      app,
      'GET',
      `/api/booking/patients/${encodeURIComponent(patientId)}/appointments?reason=caller-asking`,
      agent,
    );
    const movedFirst = afterMove.appointments.find((v) => v.dose === 1 && v.status === 'booked');
    expect(movedFirst?.slotId).not.toBe(first.slotId);
    expect(movedFirst?.centreId).toBe(first.centreId);

    // Resend the confirmation (Alt+T), then cancel (Alt+C, confirmed): both doses go.
    await page.keyboard.press('Alt+T');
    await page.getByText(/Wysłaliśmy potwierdzenie SMS na/).waitFor();
    expect(await focused(page)).toMatch(/Wysłaliśmy potwierdzenie SMS na \+48 \*\*\* \*\*\* 222/);
    await expectAccessible(page, 'confirmation resent');
    await page.keyboard.press('Alt+C');
    expect(await focused(page)).toBe('Tak, odwołaj');
    await lookAt(page, 'agent', 'caller-cancel-pl-desktop');
    await page.keyboard.press('Enter');
    await page.getByText('Odwołano wizyty: 2.').waitFor();
    await expectAccessible(page, 'visits cancelled');
    const afterCancel = await apiCall<{ appointments: Visit[] }>(
      app,
      'GET',
      `/api/booking/patients/${encodeURIComponent(patientId)}/appointments?reason=caller-asking`,
      agent,
    );
    expect(afterCancel.appointments.every((v) => v.status === 'cancelled')).toBe(true);
    // With no visit booked, booking is offered again: the next stop after the outcome.
    expect(await focused(page)).toBe('Odwołano wizyty: 2.');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatch(/^Zapisz na szczepienie/);

    // The caller has no mobile any more: a landline in its place (Alt+N, the kind chosen by arrow key).
    await page.keyboard.press('Alt+N');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    await page.keyboard.type('22 628 11 00');
    await page.keyboard.press('Enter');
    await page.getByText(/Zapisano telefon stacjonarny/).waitFor();
    expect(await focused(page)).toMatch(/Zapisano telefon stacjonarny/);
    await page.getByText('+48 *** *** 100').waitFor();
    expect(await page.locator('.caller-detail').nth(1).textContent()).toMatch(/brak$/);
    await lookAt(page, 'agent', 'caller-contact-pl-desktop');
    const landline = await apiCall<{ value: string | null }>(
      app,
      'POST',
      `/api/booking/hotline/patients/${encodeURIComponent(patientId)}/reveal`,
      agent,
      { field: 'landline' },
    );
    expect(landline.value).toBe('+48226281100');
    const phone = await apiCall<{ value: string | null }>(
      app,
      'POST',
      `/api/booking/hotline/patients/${encodeURIComponent(patientId)}/reveal`,
      agent,
      { field: 'phone' },
    );
    expect(phone.value).toBeNull();

    // The call ends (Alt+E): nobody's details stay on the screen.
    await page.keyboard.press('Alt+E');
    await page.getByRole('heading', { level: 1, name: 'Rozmowa' }).waitFor();
    expect(await page.getByText('Stefania Lis').count()).toBe(0);
    await expectAccessible(page, 'call ended');
  } finally {
    await context.close();
  }
});

test('a caller who never logged in is registered with a landline, marked for the centre to check', async () => {
  const pesel = makePesel('1939-11-20', 'male', 77);
  for (const [language, viewport, size, agent] of [
    ['pl', PHONE, '360', /Paweł Baran/],
    ['en', DESKTOP, 'desktop', /Magdalena Sikora/],
    ['uk', PHONE, '360', /Iryna Melnyk/],
  ] as const) {
    const { context, page } = await openContext(app, viewport);
    try {
      await signInToConsole(app, page, agent);
      if (language !== 'pl') await switchTo(page, language);
      await page.keyboard.press('Alt+R');
      await page.keyboard.press('Space');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Alt+F');
      const value = language === 'pl' ? pesel : makePesel('1939-11-20', 'male', language === 'en' ? 78 : 79);
      await page.keyboard.type(value);
      await page.keyboard.press('Enter');
      await page.locator('.call-register').waitFor();
      await lookAt(page, 'agent', `call-register-${language}-${size}`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);

      await page.locator('#register-givenName').focus();
      await page.keyboard.type('Bolesław');
      await page.keyboard.press('Tab');
      await page.keyboard.type('Mazur');
      await page.keyboard.press('Tab'); // the kind of number: a mobile until the caller says otherwise
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Tab');
      // In Polish the agent first types the caller's mobile as the landline: refused at the number.
      await page.keyboard.type(language === 'pl' ? '601 234 567' : '22 628 00 00');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Space');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      if (language === 'pl') {
        await page.getByText(/To numer komórkowy: wybierz „Komórka”/).waitFor();
        expect(await page.evaluate(() => document.activeElement?.id)).toBe('register-phone');
        await lookAt(page, 'agent', 'call-register-refused-pl-360');
        await page.keyboard.press('Control+A');
        await page.keyboard.type('22 628 00 00');
        await page.keyboard.press('Enter');
      }
      await page.getByRole('heading', { level: 1, name: 'Bolesław Mazur' }).waitFor();
      // As the API registered him: by phone (the centre checks his identity), a landline and no mobile.
      await page.locator('.caller-born + .notice').waitFor();
      await page.getByText('+48 *** *** 000').waitFor();
      expect(await page.locator('.caller-detail').nth(1).textContent()).toMatch(/(brak|none|немає)$/);
      await lookAt(page, 'agent', `caller-registered-${language}-${size}`);
      // Nothing wider than the screen: the masked numbers stay whole under their names on a phone.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
    } finally {
      await context.close();
    }
  }
});

test('past the hourly budget the look-up is refused in words and the supervisors are alerted', async () => {
  const agent = await hotlineToken(app, 'agent', 'agent-3');
  // Look-ups that find someone or no one count alike, registrations too: spend what is left of the hour.
  for (let i = 0; i < BUDGET; i += 1) {
    const reply = await fetch(`${app.url}/api/booking/hotline/lookups`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${agent}` },
      body: JSON.stringify({ by: 'pesel', value: '46031464864', reason: 'caller-asking' }),
    });
    if (reply.status === 429) break;
    expect([200, 404]).toContain(reply.status);
  }
  const { context, page } = await openContext(app, PHONE);
  try {
    await signInToConsole(app, page, /Iryna Melnyk/);
    await page.keyboard.press('Alt+R');
    await page.keyboard.press('Space');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Alt+F');
    await page.keyboard.type('46031464864');
    await page.keyboard.press('Enter');
    await page.getByText(/Wykorzystano limit wyszukań na tę godzinę; inspektor został powiadomiony/).waitFor();
    await lookAt(page, 'agent', 'call-budget-pl-360');
  } finally {
    await context.close();
  }
  const supervisor = await hotlineToken(app, 'supervisor', 'supervisor-1');
  const alerts = await apiCall<{ alerts: Array<{ kind: string; agentId?: string }> }>(
    app,
    'GET',
    '/api/admin/hotline/alerts?open=true',
    supervisor,
  );
  expect(alerts.alerts.some((a) => a.kind === 'lookup_budget' && JSON.stringify(a).includes('agent-3'))).toBe(true);
});

test('a phone shared by a household lists everyone on it, all added to the call (en, 360 px); a booking reference opens its caller’s card (uk, desktop)', async () => {
  // An hour later: the look-ups spent above (the budget's alert among them) belong to the hour before.
  app.clock.advanceMinutes(60);
  const shared = '+48 600 444 555';
  const visits = await personWithCourse(makePesel('1948-04-09', 'female', 301), 'Teresa', 'Zając', shared);
  await personLoggedIn(makePesel('1946-12-01', 'male', 302), 'Marian', 'Zając', shared);
  const reference = visits[0]?.reference ?? '';

  {
    const { context, page } = await openContext(app, PHONE);
    try {
      await page.clock.setFixedTime(app.clock.now());
      await signInToConsole(app, page, /Magdalena Sikora/);
      await switchTo(page, 'en');
      await page.keyboard.press('Alt+R');
      await page.keyboard.press('Space');
      await page.keyboard.press('Enter');
      // The kind of look-up is chosen by arrow key in the group before the field.
      await page.keyboard.press('Alt+F');
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      await page.getByLabel('Phone number to find').waitFor();
      await page.keyboard.press('Tab');
      await page.keyboard.type('600 444 555');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'People found: 2' }).waitFor();
      expect(await page.getByRole('main').textContent()).toMatch(
        /Teresa Zając, born .*Marian Zając, born|Marian Zając, born .*Teresa Zając, born/,
      );
      await lookAt(page, 'agent', 'call-found-en-360');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);

      await tabTo(page, /Add them all to the call/);
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.activeElement?.id === 'call-people-title');
      const call = await page.evaluate(() => JSON.parse(sessionStorage.getItem('ereg.agent.call') ?? 'null'));
      expect(call.people.map((p: { givenName: string }) => p.givenName).sort()).toEqual(['Marian', 'Teresa']);
      expect(
        await page.getByRole('link', { name: 'Book these people together (household)' }).getAttribute('href'),
      ).toBe('/agent/household');
      await lookAt(page, 'agent', 'call-people-en-360');

      // Teresa's card from the people of the call, by keyboard: her visits with their reference.
      await tabTo(page, /^ *Teresa Zając, born/);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: 'Teresa Zając' }).waitFor();
      await page.getByText(`Booking reference ${reference}`).first().waitFor();
      await lookAt(page, 'agent', 'caller-en-360');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    } finally {
      await context.close();
    }
  }

  const { context, page } = await openContext(app, DESKTOP);
  try {
    await page.clock.setFixedTime(app.clock.now());
    await signInToConsole(app, page, /Paweł Baran/);
    await switchTo(page, 'uk');
    await page.keyboard.press('Alt+R');
    await page.keyboard.press('ArrowDown'); // caller-booking → caller-changing
    await page.keyboard.press('Enter');
    await page.keyboard.press('Alt+F');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('ArrowDown');
    await page.getByLabel('Номер бронювання для пошуку').waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.type(reference.toLowerCase());
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Teresa Zając' }).waitFor();
    await page.getByText(`Номер бронювання ${reference}`).first().waitFor();
    await lookAt(page, 'agent', 'caller-uk-desktop');
  } finally {
    await context.close();
  }
});
