import { makePesel, sampleLookupsForReview } from '@ereg/shared';
import {
  type AppUnderTest,
  apiCall,
  appForThisFile,
  DESKTOP,
  hotlineToken,
  lookAt,
  openContext,
  PHONE,
  signInToConsole,
} from './harness.ts';

/*
 * A supervisor's day in the console, by keyboard only, on look-ups agents made through the API: the
 * access log filtered by agent and by reason (the filters in the address), the day's review sample
 * with verdicts (a note required for "unjustified"), the alert of an agent past the hourly budget
 * acknowledged, a PESEL added to the watch list and removed. What the screen says is checked against
 * what the API then holds. axe on every state; screenshots at 360 px and on a desktop, in Polish,
 * English and Ukrainian, in docs/screenshots/agent.
 */

const BUDGET = 3;

let app: AppUnderTest;
appForThisFile(
  (started) => {
    app = started;
  },
  { settings: { lookupBudgetPerHour: BUDGET } },
);

/** A person who has logged in once, so that agents find them. */
async function person(pesel: string, givenName: string): Promise<void> {
  const { assertion } = await apiCall<{ assertion: string }>(app, 'POST', '/dev-idp/assertion', null, {
    pesel,
    givenName,
    familyName: 'Testowa',
    phone: '+48 600 222 333',
  });
  await apiCall(app, 'POST', '/api/login', null, { assertion });
}

interface Review {
  id: string;
  agentId: string;
  verdict: { outcome: string; note: string | null } | null;
}

const PEOPLE = [
  makePesel('1941-02-03', 'female', 31),
  makePesel('1942-03-04', 'male', 42),
  makePesel('1943-04-05', 'female', 53),
];

beforeAll(async () => {
  for (const [i, pesel] of PEOPLE.entries()) await person(pesel, ['Anna', 'Bogdan', 'Celina'][i] ?? 'X');
  const magda = await hotlineToken(app, 'agent', 'agent-1');
  const found = await apiCall<{ callers: Array<{ patientId: string }> }>(
    app,
    'POST',
    '/api/booking/hotline/lookups',
    magda,
    {
      by: 'pesel',
      value: PEOPLE[0],
      reason: 'caller-booking',
    },
  );
  await apiCall(app, 'POST', `/api/booking/hotline/patients/${found.callers[0]?.patientId}/reveal`, magda, {
    field: 'phone',
  });
  await apiCall(app, 'POST', '/api/booking/hotline/lookups', magda, {
    by: 'pesel',
    value: PEOPLE[1],
    reason: 'other',
    note: 'dzwoni sąsiadka',
  });
  // Paweł spends the hour's budget; the next look-up is refused and the supervisors alerted.
  const pawel = await hotlineToken(app, 'agent', 'agent-2');
  for (let i = 0; i <= BUDGET; i += 1) {
    const reply = await fetch(`${app.url}/api/booking/hotline/lookups`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${pawel}` },
      body: JSON.stringify({ by: 'pesel', value: PEOPLE[2], reason: 'caller-asking' }),
    });
    expect(reply.status).toBe(i < BUDGET ? 200 : 429);
  }
  // The night's sampling, run now for today.
  const sampled = await sampleLookupsForReview(app.system.deps, app.now.slice(0, 10));
  expect(sampled.queued).toBeGreaterThanOrEqual(2);
});

test('the access log, filtered by agent and by reason by keyboard, the filters in the address', async () => {
  const { context, page } = await openContext(app, DESKTOP);
  try {
    await signInToConsole(app, page, /Ewa Zielińska/);
    await page.getByRole('heading', { level: 1, name: 'Dziennik dostępu' }).waitFor();
    await page.keyboard.press('Alt+A');
    await page.keyboard.type('agent-1');
    await page.keyboard.press('Enter');
    await page.waitForURL(/agentId=agent-1/);
    // The filtered list replaces the whole one: rows, and none of another agent's.
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('table tbody tr')];
      return rows.length > 0 && !rows.some((row) => row.textContent?.includes('agent-2'));
    });
    await lookAt(page, 'agent', 'supervisor-audit-agent-pl-desktop');
    const rows = await page.locator('table tbody tr').allTextContents();
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows.some((r) => /Pokazał|pokazał|telefon|Komórk/i.test(r))).toBe(true);

    await page.goto(`${app.url}/agent/audit?reason=other`);
    await page.getByText('dzwoni sąsiadka').first().waitFor();
    expect(await page.locator('table tbody tr').count()).toBe(1);
  } finally {
    await context.close();
  }
});

test('the review sample: verdicts by keyboard, "unjustified" only with a note, as the API then holds', async () => {
  const supervisor = await hotlineToken(app, 'supervisor', 'supervisor-1');
  const before = await apiCall<{ reviews: Review[] }>(
    app,
    'GET',
    '/api/admin/hotline/reviews?pending=true',
    supervisor,
  );
  expect(before.reviews.length).toBeGreaterThanOrEqual(2);

  const { context, page } = await openContext(app, DESKTOP);
  try {
    await signInToConsole(app, page, /Ewa Zielińska/);
    await page.keyboard.press('Alt+2');
    await page.getByRole('heading', { level: 1, name: 'Przegląd' }).waitFor();
    await page.locator('[data-review-id]').first().waitFor();
    await lookAt(page, 'agent', 'supervisor-reviews-pl-desktop');

    await page.keyboard.press('Alt+J');
    await page.getByText('Zapisano ocenę: Uzasadnione.').waitFor();
    await page.keyboard.press('Alt+U');
    // No note: refused at the note, which takes the focus.
    await page.waitForFunction(() => document.activeElement?.tagName === 'TEXTAREA');
    await lookAt(page, 'agent', 'supervisor-review-note-pl-desktop');
    await page.keyboard.type('Brak związku z rozmową.');
    await page.keyboard.press('Alt+U');
    await page.getByText('Zapisano ocenę: Nieuzasadnione.').waitFor();
  } finally {
    await context.close();
  }

  const decided = await apiCall<{ reviews: Review[] }>(
    app,
    'GET',
    '/api/admin/hotline/reviews?pending=false',
    supervisor,
  );
  const outcomes = decided.reviews.map((r) => [r.verdict?.outcome, r.verdict?.note || null]);
  expect(outcomes).toEqual(
    expect.arrayContaining([
      ['justified', null],
      ['unjustified', 'Brak związku z rozmową.'],
    ]),
  );
});

test('the budget alert acknowledged, a PESEL watched and unwatched, on a phone in English and Ukrainian', async () => {
  const supervisor = await hotlineToken(app, 'supervisor', 'supervisor-1');
  const watched = makePesel('1960-07-08', 'male', 99);
  for (const [language, viewport, size] of [
    ['en', PHONE, '360'],
    ['uk', DESKTOP, 'desktop'],
  ] as const) {
    const { context, page } = await openContext(app, viewport);
    try {
      await signInToConsole(app, page, /Ewa Zielińska/);
      await page.getByRole('button', { name: language === 'en' ? 'English' : 'Українська' }).click();
      await page.keyboard.press('Alt+3');
      await page.waitForURL(/\/agent\/alerts$/);
      if (language === 'en') {
        await page.locator('[data-alert-id]').first().waitFor();
        await lookAt(page, 'agent', `supervisor-alerts-${language}-${size}`);
        await page.keyboard.press('Alt+E');
        await page.getByText('Alert acknowledged.').waitFor();
        await page.keyboard.press('Alt+W');
        await page.keyboard.type(watched);
        await page.keyboard.press('Tab');
        await page.keyboard.type('Public figure');
        await page.keyboard.press('Enter');
        await page.locator('.alerts-watch-pesel', { hasText: watched.slice(-4) }).waitFor();
        await lookAt(page, 'agent', `supervisor-watch-${language}-${size}`);
      } else {
        const entry = page.locator('.alerts-watch-pesel', { hasText: watched.slice(-4) });
        await entry.waitFor();
        await lookAt(page, 'agent', `supervisor-alerts-${language}-${size}`);
        // The only entry is the one at hand: Alt+X asks, its confirmation takes the focus, Enter removes.
        await page.keyboard.press('Alt+X');
        await page.waitForFunction(() => document.activeElement?.textContent === 'Так, видалити');
        await lookAt(page, 'agent', `supervisor-watch-remove-${language}-${size}`);
        await page.keyboard.press('Enter');
        await entry.waitFor({ state: 'detached' });
      }
    } finally {
      await context.close();
    }
  }

  const alerts = await apiCall<{ alerts: Array<{ kind: string; acknowledgement?: unknown; acknowledged?: unknown }> }>(
    app,
    'GET',
    '/api/admin/hotline/alerts?open=false',
    supervisor,
  );
  expect(alerts.alerts.some((a) => a.kind === 'lookup_budget')).toBe(true);
  const list = await apiCall<{ entries: Array<{ pesel: string }> }>(
    app,
    'GET',
    '/api/admin/hotline/watch-list',
    supervisor,
  );
  expect(list.entries.map((e) => e.pesel)).not.toContain(watched);
});
