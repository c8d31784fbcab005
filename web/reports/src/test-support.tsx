import type { DailyTotal, DosesOfDay, ReportSummary, VoivodeshipUptake } from '@ereg/shared';
import { act, render } from '@testing-library/react';
import { fakeApi } from '../../shared/src/fake-api.ts';
import { App } from './app.tsx';
import type { ChartSpec } from './lib/chart-spec.ts';
import { createServices, type Services } from './services.ts';

/*
 * The dashboard rendered whole on a stand-in API, a canvas that records what it is asked to draw and a
 * download that keeps the files; and the reports it shows. Only the dashboard's tests import this.
 */

/** Monday 12 January 2026, 09:00 in Warsaw. */
export const NOW = new Date('2026-01-12T08:00:00.000Z');

const CODES = ['02', '04', '06', '08', '10', '12', '14', '16', '18', '20', '22', '24', '26', '28', '30', '32'];

/** A voivodeship's row: a tenth of a percent of its inhabitants fully vaccinated per code step. */
export const aVoivodeship = (code: string, overrides: Partial<VoivodeshipUptake> = {}): VoivodeshipUptake => ({
  voivodeship: code,
  population: 1_000_000 + Number(code) * 10_000,
  peopleVaccinated: 2_000 + Number(code) * 100,
  peopleFullyVaccinated: 1_000 + Number(code) * 50,
  vaccinatedPer100: Number((0.2 + Number(code) / 100).toFixed(1)),
  fullyVaccinatedPer100: Number((Number(code) / 10).toFixed(1)),
  dosesInPeriod: 500 + Number(code),
  ...overrides,
});

const day = (n: number) => `2026-01-${String(n).padStart(2, '0')}`;

/** A report of 5–12 January: Comirnaty doses 1 and 2 and Spikevax dose 1 on some days; every figure given. */
export function aReport(overrides: Partial<ReportSummary> = {}): ReportSummary {
  const dosesPerDay: DosesOfDay[] = [
    { day: day(5), vaccineId: 'comirnaty', dose: 1, doses: 120 },
    { day: day(5), vaccineId: 'spikevax', dose: 1, doses: 30 },
    { day: day(6), vaccineId: 'comirnaty', dose: 1, doses: 200 },
    { day: day(6), vaccineId: 'comirnaty', dose: 2, doses: 40 },
    { day: day(9), vaccineId: 'comirnaty', dose: 2, doses: 15 },
    { day: day(12), vaccineId: 'comirnaty', dose: 1, doses: 80 },
  ];
  const totals = new Map<string, number>();
  for (const d of dosesPerDay) totals.set(d.day, (totals.get(d.day) ?? 0) + (d.doses ?? 0));
  const dailyTotals: DailyTotal[] = [5, 6, 7, 8, 9, 10, 11, 12].map((n) => ({
    day: day(n),
    doses: totals.get(day(n)) ?? 0,
    average7: n === 12 ? 47.9 : 21.4,
  }));
  return {
    asOf: '2026-01-12T07:59:40.000Z',
    filter: { from: day(5), to: day(12), voivodeship: null, ageBand: null, vaccineId: null },
    suppressedBelow: null,
    tiles: {
      dosesToday: 80,
      dosesTotal: 48_215,
      peopleVaccinated: 30_100,
      peopleFullyVaccinated: 18_115,
      fullyVaccinatedPer100: 0.5,
      noShowRateThisWeek: 0.083,
      medianDaysToFirstFree: 2.5,
    },
    voivodeships: CODES.map((code) => aVoivodeship(code)),
    dosesPerDay,
    dailyTotals,
    ...overrides,
  };
}

export const VACCINES = [
  { id: 'comirnaty', name: 'Comirnaty (Pfizer-BioNTech)' },
  { id: 'spikevax', name: 'Spikevax (Moderna)' },
];

export const LOGIN_CONFIG = {
  idpLoginUrl: '/dev-idp/login',
  session: { kind: 'bearer' },
  staff: { kind: 'dev-idp', url: '/dev-idp/login/staff' },
  hotline: { kind: 'dev-idp', url: '/dev-idp/login/hotline' },
  reports: { kind: 'dev-idp', url: '/dev-idp/login/reports' },
};

/** Who-am-I's answer for a principal. */
export const me = (principal: Record<string, unknown>) => ({
  body: { principal, staff: null, patient: null, eligibility: null, referral: null, hotlineSession: null },
});

export const ANALYST = { role: 'analyst', analystId: 'analyst-1' };

export async function settle(): Promise<void> {
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
}

/** Signs the tab in (a bearer session) as the sign-in would, with the person's name. */
export function signedIn(name = 'Joanna Kamińska'): void {
  window.sessionStorage.setItem(
    'ereg.reports.session',
    JSON.stringify({ kind: 'bearer', token: 'token', expiresAt: NOW.getTime() + 3_600_000, patientId: null }),
  );
  window.sessionStorage.setItem('ereg.reports.person', name);
}

export interface Opened {
  services: Services;
  requests: ReturnType<typeof fakeApi>['requests'];
  /** What the chart was asked to draw, in order (the canvas is not there in a test). */
  charts: ChartSpec[];
  /** The files handed to the browser to save. */
  files: Array<{ fileName: string; type: string; text: string }>;
  left: string[];
}

/**
 * Opens the dashboard at `url` on a stand-in API (the login config, the vaccines and who-am-I of an
 * analyst answered unless `routes` says otherwise).
 */
export async function openDashboard(url: string, routes: Parameters<typeof fakeApi>[0]): Promise<Opened> {
  const api = fakeApi({
    'GET /api/login/config': { body: LOGIN_CONFIG },
    'GET /api/search/vaccines': { body: { vaccines: VACCINES } },
    'GET /api/login/me': me(ANALYST),
    ...routes,
  });
  const charts: ChartSpec[] = [];
  const files: Opened['files'] = [];
  const left: string[] = [];
  window.history.replaceState(null, '', url);
  const services: Services = {
    ...createServices(window, { fetch: api.fetch, now: () => NOW }),
    leave: (to) => left.push(to),
    drawChart: async (_into, spec) => {
      charts.push(spec);
      return { resize: () => {}, destroy: () => {} };
    },
    download: (fileName, type, text) => files.push({ fileName, type, text }),
  };
  render(<App services={services} />);
  await settle();
  await settle();
  return { services, requests: api.requests, charts, files, left };
}
