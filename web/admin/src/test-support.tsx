import { act, render } from '@testing-library/react';
import { fakeApi } from '../../shared/src/fake-api.ts';
import type { PolicyChange, PolicyPreview } from './api.ts';
import { App } from './app.tsx';
import { createServices, type Services } from './services.ts';

/*
 * The administration rendered whole on a stand-in API answering the shapes of `/api/admin/…`; only its
 * tests import this.
 */

/** Monday 12 January 2026, 09:00 in Warsaw. */
export const NOW = new Date('2026-01-12T08:00:00.000Z');

export const LOGIN_CONFIG = {
  idpLoginUrl: '/dev-idp/login',
  session: { kind: 'bearer' },
  staff: { kind: 'dev-idp', url: '/dev-idp/login/staff' },
  hotline: { kind: 'dev-idp', url: '/dev-idp/login/hotline' },
  reports: { kind: 'dev-idp', url: '/dev-idp/login/reports' },
};

export const VACCINES = [
  {
    id: 'comirnaty',
    name: 'Comirnaty (Pfizer-BioNTech)',
    manufacturer: 'Pfizer',
    platform: 'mRNA',
    doses: 2,
    minIntervalDays: 21,
    maxIntervalDays: 42,
    minAgeYears: 12,
    usableAsBooster: true,
  },
  {
    id: 'spikevax',
    name: 'Spikevax (Moderna)',
    manufacturer: 'Moderna',
    platform: 'mRNA',
    doses: 2,
    minIntervalDays: 28,
    maxIntervalDays: 42,
    minAgeYears: 18,
    usableAsBooster: true,
  },
];

export const me = (principal: Record<string, unknown>) => ({
  body: { principal, staff: null, patient: null, eligibility: null, referral: null, hotlineSession: null },
});

export const ADMIN_1 = { role: 'admin', adminId: 'admin-1' };

export async function settle(): Promise<void> {
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
}

/** Waits past the preview's debounce and its answer. */
export async function afterDebounce(): Promise<void> {
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 450));
  });
  await settle();
}

export function signedIn(name = 'Anna Administratorka'): void {
  window.sessionStorage.setItem(
    'ereg.admin.session',
    JSON.stringify({ kind: 'bearer', token: 'token', expiresAt: NOW.getTime() + 3_600_000, patientId: null }),
  );
  window.sessionStorage.setItem('ereg.admin.person', name);
}

export const aChange = (overrides: Partial<PolicyChange> = {}): PolicyChange => ({
  id: 'change-1',
  action: 'open',
  rules: [
    {
      id: 'rule-9',
      kind: 'birthYear',
      bornInOrBefore: 1950,
      from: '2026-01-20',
      opensAt: '2026-01-20T07:00:00.000Z',
      description: '',
    },
  ],
  note: 'Roczniki 1950 i starsze',
  status: 'pending',
  proposedBy: 'admin-1',
  proposedAt: '2026-01-12T07:30:00.000Z',
  ...overrides,
});

export const aPreview = (): PolicyPreview => ({
  asOf: { registrations: '2026-01-12T07:55:00.000Z', places: '2026-01-12' },
  registered: { matching: 5120, newlyEligible: 1234 },
  population: { estimate: 250_000, byVoivodeship: [{ voivodeship: '14', name: 'mazowieckie', people: 40_000 }] },
  places: [
    { voivodeship: '12', name: 'małopolskie', free7: 30, free14: 80, free28: 200, daysToFirstFree: 2 },
    { voivodeship: '14', name: 'mazowieckie', free7: 0, free14: 15, free28: 90, daysToFirstFree: null },
  ],
  totals: { free7: 30, free14: 95, free28: 290, daysToFirstFree: 2 },
});

export interface Opened {
  services: Services;
  requests: ReturnType<typeof fakeApi>['requests'];
  left: string[];
}

/** Opens the administration at `url` on a stand-in API (login config, vaccines and who-am-I of admin-1 unless `routes` says otherwise). */
export async function openAdmin(url: string, routes: Parameters<typeof fakeApi>[0]): Promise<Opened> {
  const api = fakeApi({
    'GET /api/login/config': { body: LOGIN_CONFIG },
    'GET /api/search/vaccines': { body: { vaccines: VACCINES } },
    'GET /api/login/me': me(ADMIN_1),
    ...routes,
  });
  const left: string[] = [];
  window.history.replaceState(null, '', url);
  const services: Services = {
    ...createServices(window, { fetch: api.fetch, now: () => NOW }),
    leave: (to) => left.push(to),
  };
  render(<App services={services} />);
  await settle();
  await settle();
  return { services, requests: api.requests, left };
}
