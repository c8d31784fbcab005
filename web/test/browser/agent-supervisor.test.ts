import { type HotlineAlert, type LookupReview, makePesel, sampleLookupsForReview } from '@ereg/shared';
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
 * A supervisor's day in the console, by keyboard only, on look-ups agents made through the API this
 * morning: the access log filtered by agent and by reason (the filters in the address) and paged on,
 * the day's review sample with verdicts (a note required for "unjustified", a look-up another
 * supervisor decided meanwhile said so), the alert of an agent past the hourly budget acknowledged with
 * a note beside the alert of a watched PESEL looked up, a PESEL added to the watch list and removed.
 * What the screen says is checked against what the API then holds. axe on every state; screenshots at
 * 360 px and on a desktop, in Polish, English and Ukrainian, in docs/screenshots/agent.
 */

const BUDGET = 4;

let app: AppUnderTest;
appForThisFile(
  (started) => {
    app = started;
  },
  { settings: { lookupBudgetPerHour: BUDGET, reviewSamplePerDay: 6 } },
);

/** The household's shared mobile, and the number of the person on the watch list. */
const HOUSEHOLD_PHONE = '+48 600 222 333';
const WATCHED_PHONE = '+48 600 444 555';

const HOUSEHOLD = [
  makePesel('1941-02-03', 'female', 31),
  makePesel('1942-03-04', 'male', 42),
  makePesel('1943-04-05', 'female', 53),
  makePesel('1944-05-06', 'male', 64),
];
const WATCHED = makePesel('1950-06-07', 'male', 75);

/** A person who has logged in once, so that agents find them. */
async function person(pesel: string, givenName: string, phone: string): Promise<void> {
  const { assertion } = await apiCall<{ assertion: string }>(app, 'POST', '/dev-idp/assertion', null, {
    pesel,
    givenName,
    familyName: 'Testowa',
    phone,
  });
  await apiCall(app, 'POST', '/api/login', null, { assertion });
}

interface Found {
  callers: Array<{ patientId: string }>;
}

/** An agent's look-up through the API, as the console makes it; the people found. */
async function lookUp(
  token: string,
  by: 'pesel' | 'phone',
  value: string,
  reason: string,
  note?: string,
): Promise<string[]> {
  const found = await apiCall<Found>(app, 'POST', '/api/booking/hotline/lookups', token, {
    by,
    value,
    reason,
    ...(note ? { note } : {}),
  });
  return found.callers.map((c) => c.patientId);
}

async function reveal(token: string, patientId: string, field: 'phone' | 'pesel'): Promise<void> {
  await apiCall(app, 'POST', `/api/booking/hotline/patients/${patientId}/reveal`, token, { field });
}

interface AuditPage {
  records: Array<{ id: string; actor: { id: string }; action: string; reason: string }>;
  next: string | null;
}

let supervisor: string;
let anna: string;

beforeAll(async () => {
  for (const [i, pesel] of HOUSEHOLD.entries()) {
    await person(pesel, ['Anna', 'Bogdan', 'Celina', 'Dariusz'][i] ?? 'X', HOUSEHOLD_PHONE);
  }
  await person(WATCHED, 'Edward', WATCHED_PHONE);
  supervisor = await hotlineToken(app, 'supervisor', 'supervisor-1');
  await apiCall(app, 'POST', '/api/admin/hotline/watch-list', supervisor, { pesel: WATCHED, note: 'Osoba publiczna' });

  // Magdalena: Anna books (her mobile shown), a neighbour phones for Bogdan, the watched PESEL, the
  // household by its number: the hour's budget, not past it.
  const magda = await hotlineToken(app, 'agent', 'agent-1');
  [anna = ''] = await lookUp(magda, 'pesel', HOUSEHOLD[0] ?? '', 'caller-booking');
  await reveal(magda, anna, 'phone');
  await lookUp(magda, 'pesel', HOUSEHOLD[1] ?? '', 'other', 'dzwoni sąsiadka');
  await lookUp(magda, 'pesel', WATCHED, 'caller-asking');
  await lookUp(magda, 'phone', HOUSEHOLD_PHONE, 'caller-asking');
  // Iryna: the household, each one's PESEL and mobile shown.
  const iryna = await hotlineToken(app, 'agent', 'agent-3');
  for (let i = 0; i < BUDGET; i += 1) {
    const ids = await lookUp(iryna, 'phone', HOUSEHOLD_PHONE, 'relative-booking');
    expect(ids).toHaveLength(HOUSEHOLD.length);
    if (i > 0) continue;
    for (const id of ids) {
      await reveal(iryna, id, 'pesel');
      await reveal(iryna, id, 'phone');
    }
  }
  // Paweł spends the hour's budget on the household; his next look-up is refused and the supervisors alerted.
  const pawel = await hotlineToken(app, 'agent', 'agent-2');
  for (let i = 0; i <= BUDGET; i += 1) {
    const reply = await fetch(`${app.url}/api/booking/hotline/lookups`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${pawel}` },
      body: JSON.stringify({ by: 'phone', value: HOUSEHOLD_PHONE, reason: 'caller-asking' }),
    });
    expect(reply.status).toBe(i < BUDGET ? 200 : 429);
  }
  // The night's sampling, run now for today.
  const sampled = await sampleLookupsForReview(app.system.deps, app.now.slice(0, 10));
  expect(sampled.queued).toBeGreaterThanOrEqual(4);
});

/** Presses Tab until the element with focus matches `selector` (and has `text`, when given). */
async function tabTo(page: Page, selector: string, text?: string): Promise<void> {
  for (let i = 0; i < 80; i += 1) {
    await page.keyboard.press('Tab');
    const there = await page.evaluate(
      ([s, words]) => {
        const at = document.activeElement;
        return Boolean(at?.matches(s) && (words === undefined || at.textContent?.includes(words)));
      },
      [selector, text] as const,
    );
    if (there) return;
  }
  throw new Error(`Tab never reached ${selector} ${text ?? ''}`);
}

/** In the select that has focus, moves down the options by arrow key to the one whose words begin so. */
async function chooseOption(page: Page, words: string): Promise<void> {
  for (let i = 0; i < 10; i += 1) {
    const chosen = await page.evaluate(() => {
      const select = document.activeElement as HTMLSelectElement | null;
      return select?.selectedOptions[0]?.textContent ?? '';
    });
    if (chosen.startsWith(words)) return;
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`No option "${words}"`);
}

/** Chooses the console's language by keyboard, from the top of the page. */
async function chooseLanguage(page: Page, name: 'English' | 'Українська'): Promise<void> {
  await page.locator('body').focus();
  await tabTo(page, 'button', name);
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name, pressed: true }).waitFor();
}

async function noSeriousViolations(page: Page, state: string): Promise<void> {
  expect({ state, violations: await seriousViolations(page) }).toEqual({ state, violations: [] });
}

const rowTexts = (page: Page) => page.locator('table tbody tr').allTextContents();

test('the access log filtered by agent, then by reason, by keyboard, the filters in the address; then paged on', async () => {
  const byAgent = await apiCall<AuditPage>(app, 'GET', '/api/admin/hotline/audit?agentId=agent-1', supervisor);
  const { context, page } = await openContext(app, DESKTOP);
  try {
    await signInToConsole(app, page, /Ewa Zielińska/);
    await page.getByRole('heading', { level: 1, name: 'Dziennik dostępu' }).waitFor();
    await page.keyboard.press('Alt+A');
    await page.keyboard.type('agent-1');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/agent\/audit\?agentId=agent-1$/);
    // The filtered list replaces the whole one: Magdalena's records, as many as the API holds.
    await page.getByText(`Pokazano ${byAgent.records.length} wpis`).waitFor();
    const rows = await rowTexts(page);
    expect(rows).toHaveLength(byAgent.records.length);
    expect(rows.every((r) => r.includes('agent-1') && !r.includes('agent-2') && !r.includes('agent-3'))).toBe(true);
    expect(rows.some((r) => r.includes('Odkrycie: telefon komórkowy'))).toBe(true);
    expect(rows.some((r) => r.includes('„dzwoni sąsiadka”'))).toBe(true);
    // Focus is on the results, for a screen reader to go on from.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('audit-results');
    await lookAt(page, 'agent', 'supervisor-audit-agent-pl-desktop');

    // The reason as well: Alt+A, on to the reason, its words typed, on to "Pokaż".
    await page.keyboard.press('Alt+A');
    await tabTo(page, 'select');
    await chooseOption(page, 'Dzwoniący rezerwuje');
    await tabTo(page, 'button[type=submit]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/agent\/audit\?agentId=agent-1&reason=caller-booking$/);
    await page.getByText('Pokazano 1 wpis.').waitFor();
    const booking = await rowTexts(page);
    expect(booking).toHaveLength(1);
    expect(booking[0]).toContain('Dzwoniący rezerwuje');
    expect(booking[0]).toContain(anna);
    await lookAt(page, 'agent', 'supervisor-audit-reason-pl-desktop');

    // Alt+Z clears them: the whole log, a page at a time; Alt+O loads the older records, focus on the first.
    const whole = await apiCall<AuditPage>(app, 'GET', '/api/admin/hotline/audit', supervisor);
    expect(whole.next).not.toBeNull();
    await page.keyboard.press('Alt+Z');
    await page.waitForURL(/\/agent\/audit$/);
    await page.getByText('Pokazano 50 wpisów.').waitFor();
    await page.getByRole('button', { name: /Wczytaj starsze wpisy/ }).waitFor();
    await page.keyboard.press('Alt+O');
    await page.waitForFunction(() => document.activeElement?.tagName === 'TR');
    const focused = await page.evaluate(() => document.activeElement?.textContent ?? '');
    const all = await rowTexts(page);
    expect(all.length).toBeGreaterThan(50);
    expect(all[50]).toBe(focused);
    // Nothing more: the end is said, and there is no button to load more.
    await page.getByText('To wszystkie wpisy dla tych filtrów.').waitFor();
    expect(await page.getByRole('button', { name: /Wczytaj starsze wpisy/ }).count()).toBe(0);
    await noSeriousViolations(page, 'audit paged on');
  } finally {
    await context.close();
  }
  // Each view the supervisor read is itself in the log, with its filters.
  const reads = await apiCall<AuditPage>(app, 'GET', '/api/admin/hotline/audit?agentId=supervisor-1', supervisor);
  const filters = reads.records.filter((r) => r.action === 'audit-read').map((r) => r.reason);
  expect(filters).toEqual(
    expect.arrayContaining(['agentId=agent-1', 'agentId=agent-1&reason=caller-booking', 'all', 'page=next']),
  );
});

test('on a phone in Ukrainian: the look-ups for "another reason", each record a card', async () => {
  const { context, page } = await openContext(app, PHONE);
  try {
    await signInToConsole(app, page, /Ewa Zielińska/);
    await chooseLanguage(page, 'Українська');
    await page.keyboard.press('Alt+A');
    await tabTo(page, 'select');
    await chooseOption(page, 'Інша причина');
    await tabTo(page, 'button[type=submit]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/agent\/audit\?reason=other$/);
    await page.getByText('«dzwoni sąsiadka»').waitFor();
    expect(await page.locator('table tbody tr').count()).toBe(1);
    // No sideways scrolling on a phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await lookAt(page, 'agent', 'supervisor-audit-reason-uk-360');
  } finally {
    await context.close();
  }
});

const reviews = async (pending: boolean) =>
  (await apiCall<{ reviews: LookupReview[] }>(app, 'GET', `/api/admin/hotline/reviews?pending=${pending}`, supervisor))
    .reviews;

test('the review sample: verdicts by keyboard, "unjustified" only with a note, as the API then holds', async () => {
  const before = await reviews(true);
  expect(before.length).toBeGreaterThanOrEqual(4);

  const { context, page } = await openContext(app, DESKTOP);
  try {
    await signInToConsole(app, page, /Ewa Zielińska/);
    await page.keyboard.press('Alt+2');
    await page.getByRole('heading', { level: 1, name: 'Przegląd' }).waitFor();
    await page.locator('[data-review-id]').first().waitFor();
    expect(await page.locator('[data-review-id]').count()).toBe(before.length);
    await lookAt(page, 'agent', 'supervisor-reviews-pl-desktop');

    const atHand = () =>
      page.evaluate(() => document.activeElement?.closest('[data-review-id]')?.getAttribute('data-review-id'));
    const first = await page.locator('[data-review-id]').first().getAttribute('data-review-id');
    await page.keyboard.press('Alt+J');
    await page.getByText('Zapisano ocenę: Uzasadnione.').waitFor();
    // The decided one is gone from the list, focus on the next.
    await page.locator(`[data-review-id="${first}"]`).waitFor({ state: 'detached' });
    const second = await atHand();
    expect(second).toBeTruthy();
    expect(second).not.toBe(first);

    await page.keyboard.press('Alt+U');
    // No note: refused at the note, which takes the focus and says why.
    await page.waitForFunction(() => document.activeElement?.tagName === 'TEXTAREA');
    expect(await atHand()).toBe(second);
    await lookAt(page, 'agent', 'supervisor-review-note-pl-desktop');
    await page.keyboard.type('Brak związku z rozmową.');
    await page.keyboard.press('Alt+U');
    await page.getByText('Zapisano ocenę: Nieuzasadnione.').waitFor();
    await page.locator(`[data-review-id="${second}"]`).waitFor({ state: 'detached' });

    const decided = await reviews(false);
    expect(decided.map((r) => [r.id, r.verdict?.outcome, r.verdict?.note || null, r.verdict?.by.id])).toEqual(
      expect.arrayContaining([
        [first, 'justified', null, 'supervisor-1'],
        [second, 'unjustified', 'Brak związku z rozmową.', 'supervisor-1'],
      ]),
    );
    expect(await reviews(true)).toHaveLength(before.length - 2);
  } finally {
    await context.close();
  }
});

test('on a phone in English: a look-up another supervisor decided meanwhile is said so, their verdict kept', async () => {
  const { context, page } = await openContext(app, PHONE);
  try {
    await signInToConsole(app, page, /Ewa Zielińska/);
    await chooseLanguage(page, 'English');
    await page.keyboard.press('Alt+2');
    await page.getByRole('heading', { level: 1, name: 'Review' }).waitFor();
    const first = await page.locator('[data-review-id]').first().getAttribute('data-review-id');
    // Another supervisor decides it while this page shows it.
    const other = await hotlineToken(app, 'supervisor', 'supervisor-2');
    await apiCall(app, 'POST', `/api/admin/hotline/reviews/${first}/verdict`, other, {
      outcome: 'unclear',
      note: 'Zapytać konsultantkę.',
    });
    await page.keyboard.press('Alt+J');
    await page.getByText('Another supervisor has given this look-up its verdict already').waitFor();
    await page.locator(`[data-review-id="${first}"]`).waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await lookAt(page, 'agent', 'supervisor-review-taken-en-360');

    // Their verdict stands; the decided list (Alt+Y) shows it with their note.
    const decided = (await reviews(false)).find((r) => r.id === first);
    expect(decided?.verdict).toMatchObject({
      outcome: 'unclear',
      note: 'Zapytać konsultantkę.',
      by: { id: 'supervisor-2' },
    });
    await page.keyboard.press('Alt+Y');
    await page.waitForURL(/list=decided/);
    await page.locator(`[data-review-id="${first}"]`, { hasText: '“Zapytać konsultantkę.”' }).waitFor();
    // What was said of the awaiting list is not repeated here.
    expect(await page.locator('main').textContent()).not.toContain('Another supervisor');
    await lookAt(page, 'agent', 'supervisor-reviews-decided-en-360');
  } finally {
    await context.close();
  }
});

const alerts = async (open: boolean) =>
  (await apiCall<{ alerts: HotlineAlert[] }>(app, 'GET', `/api/admin/hotline/alerts?open=${open}`, supervisor)).alerts;

test('the budget alert acknowledged with a note, the watched PESEL beside it; a PESEL watched, on a phone in English', async () => {
  const open = await alerts(true);
  expect(open.map((a) => [a.kind, a.agentId]).sort()).toEqual([
    ['lookup_budget', 'agent-2'],
    ['watch_list', 'agent-1'],
  ]);
  const budget = open.find((a) => a.kind === 'lookup_budget');
  const added = makePesel('1960-07-08', 'male', 99);

  const { context, page } = await openContext(app, PHONE);
  try {
    await signInToConsole(app, page, /Ewa Zielińska/);
    await chooseLanguage(page, 'English');
    await page.keyboard.press('Alt+3');
    await page.waitForURL(/\/agent\/alerts$/);
    const card = page.locator(`[data-alert-id="${budget?.id}"]`);
    await card.waitFor();
    expect(await card.textContent()).toContain(
      `Agent agent-2 went past the hour’s look-up budget: look-up ${BUDGET + 1}`,
    );
    expect(await page.locator('.alerts-watch_list').textContent()).toContain('agent-1');
    await lookAt(page, 'agent', 'supervisor-alerts-en-360');

    // To the budget alert's note, a note, Alt+E: it goes, focus on the next alert.
    await page.locator('h1').focus();
    await tabTo(page, `#alert-${budget?.id}-note`);
    await page.keyboard.type('Spoken to Paweł: a household of four.');
    await lookAt(page, 'agent', 'supervisor-alert-note-en-360');
    await page.keyboard.press('Alt+E');
    await page.getByText('Alert acknowledged.').waitFor();
    await card.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.closest('[data-alert-id]') !== null)).toBe(true);
    const acknowledged = (await alerts(false)).find((a) => a.id === budget?.id);
    expect(acknowledged?.acknowledged).toMatchObject({
      by: { id: 'supervisor-1' },
      note: 'Spoken to Paweł: a household of four.',
    });
    expect((await alerts(true)).map((a) => a.kind)).toEqual(['watch_list']);

    // A PESEL watched: Alt+W, the PESEL, Tab, why, Enter.
    await page.keyboard.press('Alt+W');
    await page.keyboard.type(added);
    await page.keyboard.press('Tab');
    await page.keyboard.type('Public figure');
    await page.keyboard.press('Enter');
    await page.getByText(`*******${added.slice(-4)} added to the watch list.`).waitFor();
    await page.locator('.alerts-watch-pesel', { hasText: added.slice(-4) }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await lookAt(page, 'agent', 'supervisor-watch-en-360');
  } finally {
    await context.close();
  }
  const list = await apiCall<{ entries: Array<{ pesel: string; note: string }> }>(
    app,
    'GET',
    '/api/admin/hotline/watch-list',
    supervisor,
  );
  const masked = (pesel: string) => `*******${pesel.slice(-4)}`;
  expect(list.entries.map((e) => [e.pesel, e.note]).sort()).toEqual(
    [
      [masked(WATCHED), 'Osoba publiczna'],
      [masked(added), 'Public figure'],
    ].sort(),
  );
});

test('a watched PESEL removed after a confirmation, on a desktop in Ukrainian', async () => {
  const before = await apiCall<{ entries: Array<{ id: string; pesel: string }> }>(
    app,
    'GET',
    '/api/admin/hotline/watch-list',
    supervisor,
  );
  const added = before.entries.find((e) => !WATCHED.endsWith(e.pesel.slice(-4)));
  expect(added).toBeDefined();
  const { context, page } = await openContext(app, DESKTOP);
  try {
    await signInToConsole(app, page, /Ewa Zielińska/);
    await chooseLanguage(page, 'Українська');
    await page.keyboard.press('Alt+3');
    await page.waitForURL(/\/agent\/alerts$/);
    const entry = page.locator(`[data-watch-id="${added?.id}"]`);
    await entry.waitFor();
    await lookAt(page, 'agent', 'supervisor-alerts-uk-desktop');
    // To the entry's own button; Alt+X asks about the entry at hand, the confirmation takes the focus.
    await page.locator('h1').focus();
    await tabTo(page, `[data-watch-id="${added?.id}"] button`);
    await page.keyboard.press('Alt+X');
    await page.waitForFunction(() => document.activeElement?.textContent === 'Так, видалити');
    expect(await entry.textContent()).toContain(`*******${added?.pesel.slice(-4)}`);
    await lookAt(page, 'agent', 'supervisor-watch-remove-uk-desktop');
    await page.keyboard.press('Enter');
    await entry.waitFor({ state: 'detached' });
    await page.locator(`[data-watch-id]`).first().waitFor();
  } finally {
    await context.close();
  }
  const after = await apiCall<{ entries: Array<{ pesel: string }> }>(
    app,
    'GET',
    '/api/admin/hotline/watch-list',
    supervisor,
  );
  expect(after.entries.map((e) => e.pesel)).toEqual([`*******${WATCHED.slice(-4)}`]);
});
