import { VACCINES, type WouldBeWastedResult } from '@ereg/shared';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import axe from 'axe-core';
import { apiError, fakeApi, type RecordedRequest } from '../../../shared/src/fake-api.ts';
import { App } from '../app.tsx';
import { createServices } from '../services.ts';

/*
 * "Doses left today" on the day's page: the product, the doses, until when → the places offered to
 * the standby list, counted; every mistake said at its field.
 */

/** Monday 12 January 2026, 09:00 in Warsaw. */
const NOW = new Date('2026-01-12T08:00:00.000Z');
const CENTRE = {
  id: 'ctr-1',
  name: 'Przychodnia Nr 2, Warszawa',
  address: { street: 'Marszałkowska 1', postalCode: '00-950', city: 'Warszawa', voivodeship: 'mazowieckie' },
  location: { lat: 52.23, lon: 21.01 },
  timeZone: 'Europe/Warsaw',
  phone: null,
  schedule: {},
  createdAt: '2025-01-01T00:00:00Z',
};
const aSlot = (hour: number, vaccineId = 'comirnaty') => ({
  id: `slot-${hour}`,
  centreId: 'ctr-1',
  vaccineId,
  start: `2026-01-12T${String(hour - 1).padStart(2, '0')}:00:00.000Z`,
  end: `2026-01-12T${String(hour).padStart(2, '0')}:00:00.000Z`,
  localDate: '2026-01-12',
  localStart: `2026-01-12T${String(hour).padStart(2, '0')}:00`,
  capacity: 6,
  booked: 6,
});

function api(wasted: (request: RecordedRequest) => { status?: number; body: unknown }) {
  return fakeApi({
    'GET /api/centres/ctr-1/batches': { body: { batches: [] } },
    'GET /api/search/vaccines': { body: { vaccines: VACCINES } },
    'GET /api/login/me': {
      body: { principal: { role: 'staff', staffId: 'stf-1', centreId: CENTRE.id }, patient: null },
    },
    'GET /api/centres/ctr-1': { body: CENTRE },
    'GET /api/centres/ctr-1/day': {
      body: {
        centreId: CENTRE.id,
        date: '2026-01-12',
        slots: [aSlot(9), aSlot(16), aSlot(18, 'vaxzevria')],
        appointments: [],
      },
    },
    'POST /api/centres/ctr-1/standby/would-be-wasted': wasted,
  });
}

async function open(fetch: typeof globalThis.fetch, language = 'pl') {
  window.sessionStorage.setItem(
    'ereg.centre.session',
    JSON.stringify({ kind: 'bearer', token: 'staff-token', expiresAt: NOW.getTime() + 3_600_000, patientId: null }),
  );
  window.localStorage.setItem('ereg.language', language);
  window.history.replaceState(null, '', '/centre/');
  const rendered = render(<App services={{ ...createServices(window, { fetch, now: () => NOW }), leave: () => {} }} />);
  await settle();
  return rendered;
}

async function settle(): Promise<void> {
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
}

beforeEach(() => {
  window.sessionStorage.clear();
  window.localStorage.clear();
});

const RESULT: WouldBeWastedResult = {
  centreId: 'ctr-1',
  vaccineId: 'comirnaty',
  localDate: '2026-01-12',
  doses: 5,
  placesAdded: 3,
  slots: [
    { slotId: 'slot-16', start: '2026-01-12T15:00:00.000Z', localStart: '2026-01-12T16:00', free: 3 },
    { slotId: 'slot-17', start: '2026-01-12T16:00:00.000Z', localStart: '2026-01-12T17:00', free: 2 },
  ],
};

test('offers the doses left to the standby list and says how many places went out', async () => {
  const { fetch, requests } = api(() => ({ body: RESULT }));
  const { container } = await open(fetch, 'en');
  fireEvent.click(screen.getByRole('button', { name: 'Doses left today' }));
  expect(document.activeElement?.textContent).toBe('Doses that would be wasted');
  // Until the end of the product's last slot today, on the centre's clock.
  expect((screen.getByLabelText('Until') as HTMLInputElement).value).toBe('17:00');
  fireEvent.change(screen.getByLabelText('Number of doses'), { target: { value: '5' } });
  // The time as people write it, with a dot: sent as the clock's HH:MM.
  fireEvent.change(screen.getByLabelText('Until'), { target: { value: '17.00' } });
  const audit = await axe.run(container, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    rules: { 'color-contrast': { enabled: false } },
  });
  expect(audit.violations.map((v) => v.id)).toEqual([]);
  fireEvent.click(screen.getByRole('button', { name: 'Offer the places' }));
  await settle();

  expect(requests.find((r) => r.method === 'POST')?.body).toEqual({ vaccineId: 'comirnaty', doses: 5, until: '17:00' });
  const done = screen.getByTestId('wasted-done');
  expect(within(done).getByRole('heading').textContent).toBe('5 places offered to the standby list');
  expect(done.textContent).toContain('Comirnaty: 5 doses to give today.');
  expect(done.textContent).toContain('3 places added to the day’s slots.');
  expect(
    within(done)
      .getAllByRole('listitem')
      .map((li) => li.textContent),
  ).toEqual(['16:00 — 3 places', '17:00 — 2 places']);
});

test('says each mistake at its field, the API’s too', async () => {
  const { fetch, requests } = api(() => ({
    status: 400,
    body: { error: { code: 'UNTIL_PASSED', message: 'x', field: 'until' } },
  }));
  await open(fetch, 'pl');
  fireEvent.click(screen.getByRole('button', { name: 'Dawki zostały na dziś' }));
  fireEvent.change(screen.getByLabelText('Liczba dawek'), { target: { value: '0' } });
  fireEvent.click(screen.getByRole('button', { name: 'Zaproponuj terminy' }));
  expect(screen.getByText('Podaj liczbę dawek od 1 do 200.')).toBeTruthy();
  expect(document.activeElement).toBe(screen.getByLabelText('Liczba dawek'));
  expect(requests.filter((r) => r.method === 'POST')).toHaveLength(0);

  fireEvent.change(screen.getByLabelText('Liczba dawek'), { target: { value: '4' } });
  fireEvent.change(screen.getByLabelText('Do godziny'), { target: { value: '08:30' } });
  fireEvent.click(screen.getByRole('button', { name: 'Zaproponuj terminy' }));
  await settle();
  expect(screen.getByText('Ta godzina już minęła. Podaj późniejszą.')).toBeTruthy();
  expect(screen.getByLabelText('Do godziny').getAttribute('aria-invalid')).toBe('true');
});

test('a day with no slot of the product left says so in words', async () => {
  const { fetch } = api(() => apiError(409, 'NO_SLOTS_LEFT_TODAY'));
  await open(fetch, 'uk');
  fireEvent.click(screen.getByRole('button', { name: 'Дози залишилися на сьогодні' }));
  fireEvent.change(screen.getByLabelText('Кількість доз'), { target: { value: '3' } });
  fireEvent.click(screen.getByRole('button', { name: 'Запропонувати місця' }));
  await settle();
  expect(screen.getByText('Сьогодні до цієї години не починається жоден термін цього препарату.')).toBeTruthy();
});
