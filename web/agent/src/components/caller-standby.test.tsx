import type { StandbyView } from '@ereg/shared';
import { VACCINES } from '@ereg/shared';
import { fireEvent, screen, within } from '@testing-library/react';
import axe from 'axe-core';
import { apiError, fakeApi, type RecordedRequest } from '../../../shared/src/fake-api.ts';
import { aCaller, CENTRE, openConsole, pressAlt, settle } from '../book-test-support.tsx';

/*
 * The standby panel of a caller's card: the agent puts the caller on the list (the choices read back
 * first), takes or passes a place offered on their behalf, and takes them off; every request carries
 * the call's reason.
 */

const CALL = { reason: { code: 'caller-changing' as const }, people: [aCaller()] };
const NEVER: StandbyView = { entry: null, ahead: null, offer: null, offers: [], holdMinutes: 15 };
const ENTRY: NonNullable<StandbyView['entry']> = {
  status: 'waiting',
  joinedAt: '2026-01-12T08:00:00.000Z',
  channel: 'phone',
  wishes: { from: '2026-01-12', to: '2026-02-08', postalCode: '00-950', maxKm: 30, vaccineIds: ['comirnaty'] },
  dose: 1,
  appointmentId: null,
  texted: true,
  silentOffers: 0,
};
const OFFER = {
  id: 'off-1',
  slotId: 's-1',
  centre: { id: CENTRE.id, name: CENTRE.name, street: 'ul. Puławska 10', city: 'Warszawa', timeZone: 'Europe/Warsaw' },
  vaccineId: 'comirnaty',
  dose: 1,
  start: '2026-01-13T07:00:00.000Z',
  localStart: '2026-01-13T08:00',
  reason: 'freed' as const,
  offeredAt: '2026-01-12T08:00:00.000Z',
  expiresAt: '2026-01-12T08:15:00.000Z',
  status: 'open' as const,
  appointmentId: null,
};

beforeEach(() => {
  window.sessionStorage.clear();
  window.localStorage.clear();
});

const routes = (more: Parameters<typeof fakeApi>[0]) =>
  fakeApi({
    'GET /api/booking/patients/pat-1/appointments': { body: { appointments: [] } },
    'GET /api/search/vaccines': { body: { vaccines: VACCINES } },
    ...more,
  });

const panel = () => screen.getByTestId('caller-standby');

async function audit() {
  const results = await axe.run(panel(), {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    rules: { 'color-contrast': { enabled: false } },
  });
  return results.violations.map((v) => v.id);
}

test('Alt+L opens the form; the choices are read back before saving, and the join carries the call’s reason', async () => {
  let view = NEVER;
  const stand = routes({
    'GET /api/booking/standby/pat-1': () => ({ body: view }),
    'PUT /api/booking/standby/pat-1': (r: RecordedRequest) => {
      view = { ...NEVER, entry: { ...ENTRY, wishes: r.body as never }, ahead: 41 };
      return { body: { standby: view } };
    },
  });
  await openConsole('/agent/caller/pat-1', stand.fetch, CALL, 'en');
  expect(within(panel()).getByText('This person is not on the standby list.')).toBeTruthy();
  expect(stand.requests.find((r) => r.path === '/api/booking/standby/pat-1')?.query.get('reason')).toBe(
    'caller-changing',
  );

  pressAlt('l');
  await settle();
  expect(document.activeElement).toBe(screen.getByLabelText('From'));
  fireEvent.change(screen.getByLabelText('Postal code'), { target: { value: '12' } });
  fireEvent.click(screen.getByRole('button', { name: 'Next: read it to the caller' }));
  expect(screen.getByLabelText('Postal code').getAttribute('aria-invalid')).toBe('true');
  expect(document.activeElement).toBe(screen.getByLabelText('Postal code'));

  fireEvent.change(screen.getByLabelText('Postal code'), { target: { value: '00950' } });
  fireEvent.change(screen.getByLabelText('How far they can travel'), { target: { value: '30' } });
  fireEvent.click(screen.getByRole('checkbox', { name: 'Comirnaty' }));
  fireEvent.click(screen.getByRole('button', { name: 'Next: read it to the caller' }));
  expect(screen.getByTestId('standby-readback').textContent).toBe(
    '12 January 2026 to 8 February 2026, up to 30 km from 00-950; vaccines: Comirnaty',
  );
  expect(document.activeElement).toBe(screen.getByRole('button', { name: 'That is right — save' }));
  expect(await audit()).toEqual([]);
  expect(stand.requests.filter((r) => r.method === 'PUT')).toHaveLength(0);

  fireEvent.click(screen.getByRole('button', { name: 'That is right — save' }));
  await settle();
  expect(stand.requests.find((r) => r.method === 'PUT')?.body).toEqual({
    from: '2026-01-12',
    to: '2026-02-08',
    postalCode: '00-950',
    maxKm: 30,
    vaccineIds: ['comirnaty'],
    reason: 'caller-changing',
  });
  expect(within(panel()).getByText('Put on the standby list.')).toBeTruthy();
  expect(within(panel()).getByText('waiting for an earlier place')).toBeTruthy();
  expect(within(panel()).getByText('41')).toBeTruthy();
});

test('a choice the API refuses is said at its field, back in the form', async () => {
  const stand = routes({
    'GET /api/booking/standby/pat-1': { body: NEVER },
    'PUT /api/booking/standby/pat-1': {
      status: 400,
      body: { error: { code: 'UNKNOWN_POSTAL_CODE', message: 'x', field: 'postalCode' } },
    },
  });
  await openConsole('/agent/caller/pat-1', stand.fetch, CALL, 'pl');
  fireEvent.click(within(panel()).getByRole('button', { name: 'Zapisz na listę rezerwową' }));
  fireEvent.change(screen.getByLabelText('Kod pocztowy'), { target: { value: '99-999' } });
  fireEvent.click(screen.getByRole('button', { name: 'Dalej: przeczytaj dzwoniącemu' }));
  fireEvent.click(screen.getByRole('button', { name: 'Zgadza się — zapisz' }));
  await settle();
  expect(screen.getByLabelText('Kod pocztowy').getAttribute('aria-invalid')).toBe('true');
  expect(document.activeElement).toBe(screen.getByLabelText('Kod pocztowy'));
});

test('a place offered shows where, when and until when; the agent takes it for the caller', async () => {
  let view: StandbyView = { ...NEVER, entry: { ...ENTRY, status: 'offered' }, ahead: 0, offer: OFFER, offers: [OFFER] };
  const stand = routes({
    'GET /api/booking/standby/pat-1': () => ({ body: view }),
    'POST /api/booking/standby/pat-1/offers/off-1/take': () => {
      view = { ...NEVER, entry: { ...ENTRY, status: 'placed' }, offers: [{ ...OFFER, status: 'taken' }] };
      return { body: { standby: view, appointments: [] } };
    },
  });
  await openConsole('/agent/caller/pat-1', stand.fetch, CALL, 'uk');
  const offer = screen.getByTestId('caller-standby-offer');
  expect(offer.textContent).toContain('Чекає на відповідь до 09:15.');
  expect(offer.textContent).toContain(CENTRE.name);
  expect(await audit()).toEqual([]);
  fireEvent.click(within(offer).getByRole('button', { name: 'Прийняти від її імені' }));
  await settle();
  expect(stand.requests.find((r) => r.path.endsWith('/take'))?.body).toEqual({ reason: 'caller-changing' });
  expect(within(panel()).getByText('Час прийнято: тепер це її візит.')).toBeTruthy();
});

test('a place gone meanwhile is said, and the panel asks again; leaving is confirmed first', async () => {
  const stand = routes({
    'GET /api/booking/standby/pat-1': {
      body: { ...NEVER, entry: { ...ENTRY, status: 'offered' }, ahead: 0, offer: OFFER, offers: [OFFER] },
    },
    'POST /api/booking/standby/pat-1/offers/off-1/pass': apiError(409, 'OFFER_CLOSED'),
    'DELETE /api/booking/standby/pat-1': { body: { standby: { ...NEVER, entry: { ...ENTRY, status: 'left' } } } },
  });
  await openConsole('/agent/caller/pat-1', stand.fetch, CALL, 'en');
  fireEvent.click(screen.getByRole('button', { name: 'Pass for them' }));
  await settle();
  expect(within(panel()).getByText(/no longer held/)).toBeTruthy();
  expect(stand.requests.filter((r) => r.path === '/api/booking/standby/pat-1' && r.method === 'GET')).toHaveLength(2);

  fireEvent.click(screen.getByRole('button', { name: 'Take off the list' }));
  expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Yes, take off' }));
  expect(screen.getByText(/the place offered goes to the next person/)).toBeTruthy();
  fireEvent.click(screen.getByRole('button', { name: 'Yes, take off' }));
  await settle();
  const left = stand.requests.find((r) => r.method === 'DELETE');
  expect(left?.query.get('reason')).toBe('caller-changing');
  expect(within(panel()).getByText('Taken off the standby list.')).toBeTruthy();
});
