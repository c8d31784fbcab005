import {
  type AppointmentView,
  VACCINES as CATALOGUE,
  type CentreOffer,
  type Language,
  type SearchResult,
  type SlotOffer,
  type Vaccine,
} from '@ereg/shared';
import { act, render } from '@testing-library/react';
import { createServices, type Services } from './api/client.ts';

export { apiError, fakeApi, type RecordedRequest } from '../../shared/src/fake-api.ts';

import { App } from './app.tsx';

/*
 * What the component tests stand on: the real app and API client in jsdom, with `fetch` answered by a
 * stand-in of the API that records every request. Only the test files import this.
 */

/** Monday 12 January 2026, 09:00 in Warsaw. */
export const NOW = new Date('2026-01-12T08:00:00.000Z');

/** The catalogue the API serves (shared's), so the tests see the vaccines the system has. */
export const VACCINES: Vaccine[] = [...CATALOGUE];

export function aCentre(overrides: Partial<CentreOffer['centre']> = {}): CentreOffer['centre'] {
  return {
    id: 'c-0001',
    name: 'Punkt Szczepień Mokotów',
    address: { street: 'ul. Puławska 10', postalCode: '02-512', city: 'Warszawa', voivodeship: 'mazowieckie' },
    location: { lat: 52.2, lon: 21.02 },
    timeZone: 'Europe/Warsaw',
    phone: '+48 22 100 20 30',
    ...overrides,
  };
}

export function aSlot(overrides: Partial<SlotOffer> = {}): SlotOffer {
  return {
    slotId: 'c-0001_comirnaty_20260113T0700Z',
    start: '2026-01-13T07:00:00.000Z',
    localStart: '2026-01-13T08:00',
    vaccineId: 'comirnaty',
    free: 3,
    ...overrides,
  };
}

export function aSearchResult(results: CentreOffer[], overrides: Partial<SearchResult> = {}): SearchResult {
  return {
    origin: { lat: 52.23, lon: 21.0, postalCode: '00-950' },
    from: '2026-01-12',
    to: '2026-02-23',
    results,
    ...overrides,
  };
}

export function aVisit(overrides: Partial<AppointmentView> = {}): AppointmentView {
  const centre = aCentre();
  return {
    id: 'apt-1',
    patientId: 'pat-1',
    centreId: centre.id,
    slotId: 'c-0001_comirnaty_20260113T0700Z',
    vaccineId: 'comirnaty',
    dose: 1,
    bookingId: 'bkg-1',
    reference: 'K7M2QX9P',
    status: 'booked',
    start: '2026-01-13T07:00:00.000Z',
    localDate: '2026-01-13',
    version: 1,
    bookedBy: { role: 'patient', id: 'pat-1' },
    createdAt: '2026-01-12T07:00:00.000Z',
    updatedAt: '2026-01-12T07:00:00.000Z',
    checkedInAt: null,
    cancellation: null,
    completion: null,
    centre: { id: centre.id, name: centre.name, address: centre.address, timeZone: centre.timeZone },
    localStart: '2026-01-13T08:00',
    cancellationCause: null,
    ...overrides,
  };
}

export const ELIGIBLE_ME = {
  principal: { role: 'patient', patientId: 'pat-1' },
  patient: {
    id: 'pat-1',
    pesel: '46031464864',
    givenName: 'Janina',
    familyName: 'Kowalska',
    birthDate: '1946-03-14',
    sex: 'female',
    phone: '+48600100200',
    language: 'pl',
    groups: [],
    createdAt: '2026-01-01T00:00:00.000Z',
  },
  eligibility: {
    eligible: true,
    rule: {
      id: 'r1',
      kind: 'birthYear',
      bornInOrBefore: 1961,
      from: '2026-01-01',
      description: 'born 1961 or earlier',
    },
  },
  referral: null,
};

/** A logged-in tab: a bearer session for patient pat-1, valid for an hour after NOW. */
export function logIn(patientId = 'pat-1'): void {
  window.sessionStorage.setItem(
    'ereg.patient.session',
    JSON.stringify({ kind: 'bearer', token: 'test-token', expiresAt: NOW.getTime() + 3_600_000, patientId }),
  );
}

/** Lets pending answers of the stand-in API arrive (inside act, as React wants for state updates). */
export async function settle(): Promise<void> {
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
}

/**
 * Renders the whole app at a URL over a stand-in API (the language may be chosen beforehand), and lets
 * the first answers (the vaccine catalogue, the page's own) arrive.
 */
export async function renderApp(options: {
  url: string;
  fetch: typeof globalThis.fetch;
  language?: Language;
  geolocation?: Geolocation;
  download?: Services['download'];
  leave?: (url: string) => void;
  /** The app's clock (NOW unless given: a test of a countdown gives the fake timers' clock). */
  now?: () => Date;
}) {
  window.history.replaceState(null, '', options.url);
  if (options.language) window.localStorage.setItem('ereg.language', options.language);
  const services: Services = {
    ...createServices(window, {
      fetch: options.fetch,
      download: options.download ?? (() => {}),
      now: options.now ?? (() => NOW),
    }),
    geolocation: options.geolocation ?? null,
    leave: options.leave ?? (() => {}),
  };
  const rendered = render(<App services={services} />);
  await settle();
  return { services, ...rendered };
}

/** Forgets the previous test's tab: storage, URL and document language. */
export function resetBrowser(): void {
  window.sessionStorage.clear();
  window.localStorage.clear();
  window.history.replaceState(null, '', '/');
  document.documentElement.lang = 'pl';
}
