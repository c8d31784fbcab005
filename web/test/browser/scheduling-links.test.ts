import { SCHEDULING_EXTENSIONS } from '@ereg/shared';
import type { Page } from 'playwright-core';
import {
  type AppUnderTest,
  apiCall,
  appForThisFile,
  DESKTOP,
  keepScreenshot,
  openContext,
  PHONE,
  seriousViolations,
} from './harness.ts';

/*
 * A person coming from a vaccine finder: the finder read the published Slots (one per centre, product
 * and day) and sends the person to a day's deep link with its `source` and `booking-referral`. Logged
 * out, the booking page asks for a login, comes back to the same slot with both parameters, shows the
 * booking's confirmation (axe: nothing serious), and books it — at 360 px and on a desktop.
 */

/** Friday 4 December 2026, 09:00 in Warsaw. */
const FRIDAY = '2026-12-04T08:00:00.000Z';

let app: AppUnderTest;
appForThisFile(
  (started) => {
    app = started;
  },
  { now: FRIDAY },
);

interface Fhir {
  id: string;
  status?: string;
  schedule?: { reference: string };
  extension?: Array<{ url: string; valueUrl?: string; valueInteger?: number }>;
}

/** The free Comirnaty day Slots of mazowieckie (TERYT 14), as a finder reads them, soonest first. */
async function freeComirnatyDays(): Promise<Fhir[]> {
  const manifest = await apiCall<{ output: Array<{ type: string; url: string; extension: { state: string[] } }> }>(
    app,
    'GET',
    '/api/search/$bulk-publish',
    null,
  );
  const file = manifest.output.find((o) => o.type === 'Slot' && o.extension.state[0] === '14');
  if (!file) throw new Error('the manifest should list the Slots of mazowieckie');
  const text = await (await fetch(file.url)).text();
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Fhir & { start: string })
    .filter((slot) => slot.status === 'free' && slot.schedule?.reference.includes('comirnaty'))
    .sort((a, b) => (a.start < b.start ? -1 : 1));
}

const deepLinkOf = (slot: Fhir) =>
  slot.extension?.find((e) => e.url === SCHEDULING_EXTENSIONS.bookingDeepLink)?.valueUrl ?? '';

async function followDeepLink(page: Page, link: string, person: RegExp, state: string): Promise<string> {
  const slotId = decodeURIComponent(new URL(link).pathname.replace(/^\/book\//, ''));
  await page.goto(`${link}?source=finder.example&booking-referral=ref-${state}`);
  const banner = page.getByRole('region', { name: /Zaloguj się/ });
  await banner.getByRole('button', { name: 'Zaloguj się' }).click();
  await page.waitForURL(/\/dev-idp\/login/);
  await page.getByRole('button', { name: person }).click();
  await page.getByRole('heading', { level: 1, name: 'Potwierdź rezerwację' }).waitFor();
  const url = new URL(page.url());
  expect([
    decodeURIComponent(url.pathname),
    url.searchParams.get('source'),
    url.searchParams.get('booking-referral'),
  ]).toEqual([`/book/${slotId}`, 'finder.example', `ref-${state}`]);
  await page.getByRole('button', { name: 'Potwierdzam rezerwację' }).waitFor();
  await page.waitForLoadState('networkidle');
  expect({ state, violations: await seriousViolations(page) }).toEqual({ state, violations: [] });
  await keepScreenshot(page, `scheduling-link-${state}`);
  return slotId;
}

async function book(page: Page): Promise<void> {
  const phone = page.getByLabel('Numer telefonu komórkowego');
  if ((await phone.count()) > 0) await phone.fill('600 700 800');
  await page.getByRole('button', { name: 'Potwierdzam rezerwację' }).click();
  await page.getByRole('heading', { level: 1, name: 'Wizyty zarezerwowane' }).waitFor();
}

test.each([
  ['phone', PHONE, /Andrzej/],
  ['desktop', DESKTOP, /Janina/],
] as const)(
  "a day Slot's deep link opened logged out books that slot after the login (%s)",
  async (state, size, person) => {
    const days = await freeComirnatyDays();
    expect(days.length).toBeGreaterThan(1);
    const day = days[state === 'phone' ? 0 : 1] as Fhir;
    const { context, page } = await openContext(app, size);
    try {
      const slotId = await followDeepLink(page, deepLinkOf(day), person, state);
      await book(page);
      const reference = decodeURIComponent(new URL(page.url()).pathname.replace('/bookings/', ''));
      const booked = await app.system.store.runInTransaction((tx) => tx.listActiveAppointmentsOfSlot(slotId));
      expect(booked.map((visit) => visit.reference)).toContain(reference);
    } finally {
      await context.close();
    }
  },
);
