import type { AppointmentView, CallerCard, Language } from '@ereg/shared';
import { act, render } from '@testing-library/react';
import { useMemo } from 'react';
import { RouterContext } from '../../shared/src/router.tsx';
import { Routes, useCallState } from './app.tsx';
import { AppContext, type Call, CallContext, DeskContext } from './app-context.ts';
import { I18nContext, i18nFor } from './i18n/index.ts';
import { createShortcuts, ShortcutsContext } from './lib/shortcuts.ts';
import { createServices, type Services } from './services.ts';

/*
 * The console's booking pages rendered as the console renders them (its routes, call state, shortcuts,
 * language), on a stand-in API, and the people and visits they show. Only the console's tests import this.
 */

/** Monday 12 January 2026, 09:00 in Warsaw. */
export const NOW = new Date('2026-01-12T08:00:00.000Z');

export const aCaller = (overrides: Partial<CallerCard> = {}): CallerCard => ({
  patientId: 'pat-1',
  givenName: 'Janina',
  familyName: 'Kowalska',
  birthDate: '1950-03-15',
  pesel: '*******1234',
  phone: '+48 *** *** 200',
  landline: null,
  language: 'pl',
  registeredByPhone: false,
  accessUntil: '2026-01-12T08:30:00.000Z',
  ...overrides,
});

export const CENTRE = {
  id: 'ctr-1',
  name: 'Przychodnia Nr 2',
  address: { street: 'ul. 29 Listopada 1', postalCode: '38-700', city: 'Ustrzyki Dolne', voivodeship: 'podkarpackie' },
  location: { lat: 49.43, lon: 22.59 },
  timeZone: 'Europe/Warsaw',
  phone: null,
};

/** A visit as the API answers it (times in UTC; 07:10Z is 08:10 in Warsaw in winter). */
export const aVisit = (overrides: Partial<AppointmentView> = {}): AppointmentView => ({
  id: 'apt-1',
  patientId: 'pat-1',
  centreId: CENTRE.id,
  slotId: 'slot-1',
  vaccineId: 'comirnaty',
  dose: 1,
  bookingId: 'bkg-1',
  reference: 'K7M2QX9A',
  status: 'booked',
  start: '2026-01-19T07:10:00.000Z',
  localDate: '2026-01-19',
  version: 1,
  bookedBy: { role: 'agent', id: 'agent-1' },
  createdAt: NOW.toISOString(),
  updatedAt: NOW.toISOString(),
  checkedInAt: null,
  cancellation: null,
  completion: null,
  centre: { id: CENTRE.id, name: CENTRE.name, address: CENTRE.address, timeZone: CENTRE.timeZone },
  localStart: '2026-01-19T08:10',
  cancellationCause: null,
  ...overrides,
});

export async function settle(): Promise<void> {
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
}

function Console({ services, language }: { services: Services; language: Language }) {
  const i18n = useMemo(() => i18nFor(language), [language]);
  const shortcuts = useMemo(() => {
    const registry = createShortcuts();
    services.window.addEventListener('keydown', registry.handle);
    return registry;
  }, [services.window]);
  const call = useCallState(services.tabStorage);
  return (
    <RouterContext.Provider value={services.router}>
      <AppContext.Provider value={services}>
        <I18nContext.Provider value={i18n}>
          <ShortcutsContext.Provider value={shortcuts}>
            <DeskContext.Provider value={{ role: 'agent', id: 'agent-1', name: 'Anna Agentka' }}>
              <CallContext.Provider value={call}>
                <Routes desk={{ role: 'agent', id: 'agent-1', name: 'Anna Agentka' }} />
              </CallContext.Provider>
            </DeskContext.Provider>
          </ShortcutsContext.Provider>
        </I18nContext.Provider>
      </AppContext.Provider>
    </RouterContext.Provider>
  );
}

/** Opens a page of the console signed in as an agent, with a call in progress. */
export async function openConsole(
  url: string,
  fetch: typeof globalThis.fetch,
  call: Call,
  language: Language = 'pl',
): Promise<Services> {
  window.sessionStorage.setItem(
    'ereg.agent.session',
    JSON.stringify({ kind: 'bearer', token: 'token', expiresAt: NOW.getTime() + 3_600_000, patientId: null }),
  );
  window.sessionStorage.setItem('ereg.agent.call', JSON.stringify(call));
  window.history.replaceState(null, '', url);
  const services = { ...createServices(window, { fetch, now: () => NOW }), leave: () => {} };
  render(<Console services={services} language={language} />);
  await settle();
  await settle();
  return services;
}

/** Presses Alt and a letter, as a keyboard does (the code names the key). */
export function pressAlt(letter: string): void {
  const code = /\d/.test(letter) ? `Digit${letter}` : `Key${letter.toUpperCase()}`;
  act(() => {
    window.dispatchEvent(new KeyboardEvent('keydown', { key: letter, code, altKey: true, bubbles: true }));
  });
}
