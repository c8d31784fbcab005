import type { StandbyOfferView, StandbyView } from '@ereg/shared';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import {
  aCentre,
  apiError,
  ELIGIBLE_ME,
  fakeApi,
  logIn,
  NOW,
  renderApp,
  resetBrowser,
  VACCINES,
} from '../test-support.tsx';

beforeEach(resetBrowser);
afterEach(() => jest.useRealTimers());

const WISHES = {
  from: '2026-01-12',
  to: '2026-02-08',
  postalCode: '00-950',
  maxKm: 20,
  vaccineIds: ['comirnaty'],
};

function aView(overrides: Partial<StandbyView> = {}): StandbyView {
  return {
    entry: {
      status: 'waiting',
      joinedAt: '2026-01-10T09:00:00.000Z',
      channel: 'web',
      wishes: WISHES,
      dose: 1,
      appointmentId: null,
      texted: true,
      silentOffers: 0,
    },
    ahead: 3,
    offer: null,
    offers: [],
    holdMinutes: 15,
    ...overrides,
  };
}

const NEVER: StandbyView = { entry: null, ahead: null, offer: null, offers: [], holdMinutes: 15 };

function anOffer(overrides: Partial<StandbyOfferView> = {}): StandbyOfferView {
  const centre = aCentre();
  return {
    id: 'off-1',
    slotId: 'c-0001_comirnaty_20260113T0700Z',
    centre: {
      id: centre.id,
      name: centre.name,
      street: centre.address.street,
      city: centre.address.city,
      timeZone: centre.timeZone,
    },
    vaccineId: 'comirnaty',
    dose: 1,
    start: '2026-01-13T07:00:00.000Z',
    localStart: '2026-01-13T08:00',
    reason: 'freed',
    offeredAt: '2026-01-12T07:55:00.000Z',
    // 10 minutes after NOW.
    expiresAt: '2026-01-12T08:10:00.000Z',
    status: 'open',
    appointmentId: null,
    ...overrides,
  };
}

const OFFERED = (() => {
  const offer = anOffer();
  const view = aView({ offer, offers: [offer], ahead: 2 });
  return { ...view, entry: view.entry ? { ...view.entry, status: 'offered' as const } : null };
})();

const routes = (extra: Parameters<typeof fakeApi>[0] = {}) => ({
  'GET /api/search/vaccines': { body: { vaccines: VACCINES } },
  'GET /api/login/me': { body: ELIGIBLE_ME },
  ...extra,
});

async function audit(container: HTMLElement) {
  const results = await axe.run(container, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    rules: { 'color-contrast': { enabled: false } },
  });
  return results.violations.map((v) => v.id);
}

describe('the standby page', () => {
  it('asks a person who is not logged in to log in', async () => {
    const { fetch } = fakeApi(routes());
    await renderApp({ url: '/standby', fetch, language: 'en' });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Standby list');
    expect(screen.queryByRole('form', { name: 'Which places suit you' })).toBeNull();
  });

  it('joins with the dates as the language writes them, the last search’s postal code, a distance and the products ticked', async () => {
    logIn();
    window.sessionStorage.setItem('ereg.patient.lastSearch', '?postalCode=31-042&radiusKm=10');
    let view = NEVER;
    const { fetch, requests } = fakeApi(
      routes({
        'GET /api/booking/standby/pat-1': () => ({ body: view }),
        'PUT /api/booking/standby/pat-1': (request) => {
          view = aView({
            entry: { ...(aView().entry as NonNullable<StandbyView['entry']>), wishes: request.body as never },
          });
          return { body: { standby: view } };
        },
      }),
    );
    const { container } = await renderApp({ url: '/standby', fetch, language: 'en' });

    expect(screen.getByText('You are not on the standby list.')).toBeTruthy();
    expect((screen.getByLabelText('Postal code you travel from') as HTMLInputElement).value).toBe('31-042');
    expect((screen.getByLabelText('From') as HTMLInputElement).value).toBe('12/01/2026');
    expect(await audit(container)).toEqual([]);

    fireEvent.change(screen.getByLabelText('To'), { target: { value: '20/2/2026' } });
    fireEvent.change(screen.getByLabelText('How far you can travel'), { target: { value: '50' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Comirnaty' }));
    fireEvent.click(screen.getByRole('button', { name: 'Put me on the list' }));

    await screen.findByText('You are on the standby list.');
    expect(requests.find((r) => r.method === 'PUT')?.body).toEqual({
      from: '2026-01-12',
      to: '2026-02-20',
      postalCode: '31-042',
      maxKm: 50,
      vaccineIds: ['comirnaty'],
    });
    expect(screen.getByTestId('standby-ahead').textContent).toBe('There are 3 people ahead of you on the list.');
    expect(document.activeElement?.className).toBe('standby-outcome');
    expect(await audit(container)).toEqual([]);
  });

  it('names every field refused before asking, and a field the API refuses, each at its field', async () => {
    logIn();
    const { fetch, requests } = fakeApi(
      routes({
        'GET /api/booking/standby/pat-1': { body: NEVER },
        'PUT /api/booking/standby/pat-1': {
          ...apiError(400, 'UNKNOWN_POSTAL_CODE'),
          body: { error: { code: 'UNKNOWN_POSTAL_CODE', message: 'x', field: 'postalCode' } },
        },
      }),
    );
    await renderApp({ url: '/standby', fetch, language: 'pl' });

    fireEvent.change(screen.getByLabelText('Od dnia'), { target: { value: '' } });
    fireEvent.change(screen.getByLabelText('Do dnia'), { target: { value: '31.02.2026' } });
    fireEvent.change(screen.getByLabelText('Kod pocztowy, skąd dojedziesz'), { target: { value: '123' } });
    fireEvent.click(screen.getByRole('button', { name: 'Zapisz mnie na listę' }));

    expect(screen.getByText('Podaj pierwszy dzień, w którym możesz przyjść.')).toBeTruthy();
    expect(screen.getByLabelText('Do dnia').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByLabelText('Kod pocztowy, skąd dojedziesz').getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(screen.getByLabelText('Od dnia'));
    expect(requests.filter((r) => r.method === 'PUT')).toHaveLength(0);

    fireEvent.change(screen.getByLabelText('Od dnia'), { target: { value: '20.01.2026' } });
    fireEvent.change(screen.getByLabelText('Do dnia'), { target: { value: '15.01.2026' } });
    fireEvent.change(screen.getByLabelText('Kod pocztowy, skąd dojedziesz'), { target: { value: '99999' } });
    fireEvent.click(screen.getByRole('button', { name: 'Zapisz mnie na listę' }));
    expect(screen.getByText('Ostatni dzień jest przed pierwszym.')).toBeTruthy();

    fireEvent.change(screen.getByLabelText('Do dnia'), { target: { value: '25.01.2026' } });
    fireEvent.click(screen.getByRole('button', { name: 'Zapisz mnie na listę' }));
    await waitFor(() =>
      expect(screen.getByLabelText('Kod pocztowy, skąd dojedziesz').getAttribute('aria-invalid')).toBe('true'),
    );
    expect(requests.filter((r) => r.method === 'PUT')).toHaveLength(1);
    expect(document.activeElement).toBe(screen.getByLabelText('Kod pocztowy, skąd dojedziesz'));
  });

  it('shows a place offered with its centre, local time and the time left, and takes it', async () => {
    jest.useFakeTimers({ advanceTimers: true, now: NOW });
    logIn();
    let view: StandbyView = OFFERED;
    const { fetch, requests } = fakeApi(
      routes({
        'GET /api/booking/standby/pat-1': () => ({ body: view }),
        'POST /api/booking/standby/pat-1/offers/off-1/take': () => {
          const taken = anOffer({ status: 'taken', appointmentId: 'apt-9' });
          view = aView({ offer: null, offers: [taken], ahead: null });
          view = { ...view, entry: view.entry ? { ...view.entry, status: 'placed' } : null };
          return { body: { standby: view, appointments: [] } };
        },
      }),
    );
    const { container } = await renderApp({ url: '/standby', fetch, language: 'en', now: () => new Date() });

    const offer = screen.getByTestId('standby-offer');
    expect(within(offer).getByRole('heading', { name: 'We have an earlier place for you' })).toBeTruthy();
    expect(offer.textContent).toContain('Tuesday, 13 January 2026 at 08:00');
    expect(offer.textContent).toContain('Punkt Szczepień Mokotów');
    expect(offer.textContent).toContain('ul. Puławska 10, Warszawa');
    expect(offer.textContent).toContain('We hold it for you until 09:10.');
    expect(screen.getByRole('timer').textContent).toBe('10:00');
    expect(await audit(container)).toEqual([]);

    await act(async () => {
      await jest.advanceTimersByTimeAsync(61_000);
    });
    expect(screen.getByRole('timer').textContent).toBe('8:59');

    fireEvent.click(within(offer).getByRole('button', { name: 'Take this place' }));
    await screen.findByText('The place is yours — it is now your visit.');
    expect(requests.some((r) => r.path === '/api/booking/standby/pat-1/offers/off-1/take')).toBe(true);
    expect(screen.getByRole('heading', { name: 'You have an earlier place' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'See My visits' })).toBeTruthy();
  });

  it('passes on a place and stays on the list; a place gone meanwhile is said and the page asks again', async () => {
    logIn();
    let view: StandbyView = OFFERED;
    const { fetch, requests } = fakeApi(
      routes({
        'GET /api/booking/standby/pat-1': () => ({ body: view }),
        'POST /api/booking/standby/pat-1/offers/off-1/pass': () => {
          view = aView();
          return { body: { standby: view } };
        },
        'POST /api/booking/standby/pat-1/offers/off-1/take': apiError(409, 'OFFER_CLOSED'),
      }),
    );
    await renderApp({ url: '/standby', fetch, language: 'uk' });

    fireEvent.click(screen.getByRole('button', { name: 'Приймаю цей час' }));
    await screen.findByText('Цей час більше не чекає на вас — час минув або відповідь уже надійшла.');
    await waitFor(() => expect(requests.filter((r) => r.path === '/api/booking/standby/pat-1')).toHaveLength(2));

    fireEvent.click(screen.getByRole('button', { name: 'Мені не підходить' }));
    await screen.findByText('Ви відмовилися від часу. Ви залишаєтеся у списку й чекаєте на наступний.');
    expect(screen.queryByTestId('standby-offer')).toBeNull();
    expect(screen.getByTestId('standby-ahead').textContent).toBe('Перед вами у списку 3 особи.');
  });

  it('says why a paused entry was paused and joins again from the wishes it had', async () => {
    logIn();
    const paused = aView({ ahead: null });
    const view = {
      ...paused,
      entry: paused.entry ? { ...paused.entry, status: 'paused' as const, silentOffers: 2 } : null,
    };
    const { fetch, requests } = fakeApi(
      routes({
        'GET /api/booking/standby/pat-1': { body: view },
        'PUT /api/booking/standby/pat-1': { body: { standby: aView() } },
      }),
    );
    await renderApp({ url: '/standby', fetch, language: 'pl' });
    expect(screen.getByRole('heading', { name: 'Twój zapis jest wstrzymany' })).toBeTruthy();
    expect(screen.getByText('2 propozycje minęły bez odpowiedzi, więc wstrzymaliśmy Twój zapis.')).toBeTruthy();
    expect((screen.getByRole('checkbox', { name: 'Comirnaty' }) as HTMLInputElement).checked).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Zapisz mnie na listę' }));
    await screen.findByText('Zapisano Cię na listę rezerwową.');
    expect(requests.find((r) => r.method === 'PUT')?.body).toMatchObject({ postalCode: '00-950' });
  });

  it('changes the wishes keeping the place, and leaves after confirming', async () => {
    logIn();
    const { fetch, requests } = fakeApi(
      routes({
        'GET /api/booking/standby/pat-1': { body: aView() },
        'PUT /api/booking/standby/pat-1': { body: { standby: aView() } },
        'DELETE /api/booking/standby/pat-1': () => {
          const left = aView({ ahead: null });
          return { body: { standby: { ...left, entry: left.entry ? { ...left.entry, status: 'left' } : null } } };
        },
      }),
    );
    const { container } = await renderApp({ url: '/standby', fetch, language: 'en' });
    expect(screen.getByText('up to 20 km from 00-950')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Change' }));
    expect(screen.getByText('Your place on the list stays the same.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await screen.findByText('Changes saved. Your place on the list stays the same.');

    fireEvent.click(screen.getByRole('button', { name: 'Leave the list' }));
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Yes, take me off' }));
    expect(await audit(container)).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Yes, take me off' }));
    await screen.findByText('You are no longer on the standby list.');
    expect(requests.filter((r) => r.method === 'DELETE')).toHaveLength(1);
    expect(screen.getByRole('button', { name: 'Put me on the list' })).toBeTruthy();
  });

  it('says a failure to load in words and loads again on request', async () => {
    logIn();
    let fail = true;
    const { fetch } = fakeApi(
      routes({
        'GET /api/booking/standby/pat-1': () => (fail ? apiError(503, 'UNAVAILABLE') : { body: NEVER }),
      }),
    );
    await renderApp({ url: '/standby', fetch, language: 'en' });
    expect(screen.getByRole('alert')).toBeTruthy();
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await screen.findByText('You are not on the standby list.');
  });
});
