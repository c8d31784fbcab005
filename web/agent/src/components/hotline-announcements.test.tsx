import type { Announcement } from '@ereg/shared';
import { act, render, screen, waitFor } from '@testing-library/react';
import axe from 'axe-core';
import { apiError, fakeApi } from '../../../shared/src/fake-api.ts';
import { App } from '../app.tsx';
import { createServices } from '../services.ts';

/** Monday 12 January 2026, 09:00 in Warsaw. */
const START = Date.parse('2026-01-12T08:00:00.000Z');

const CONFIG = {
  idpLoginUrl: '/dev-idp/login',
  session: { kind: 'bearer' },
  staff: { kind: 'dev-idp', url: '/dev-idp/login/staff' },
  hotline: { kind: 'dev-idp', url: '/dev-idp/login/hotline' },
};
const ME = {
  body: {
    principal: { role: 'agent', agentId: 'agent-1', session: { id: 'sgn-1', startedAt: '2026-01-12T08:00:00.000Z' } },
    staff: null,
    patient: null,
    eligibility: null,
    referral: null,
    hotlineSession: { idleMinutes: 15, endsAt: '2026-01-12T18:00:00.000Z' },
  },
};

const CLOSING: Announcement = {
  id: 'ann-1',
  text: {
    pl: 'Punkty w Gdańsku są dziś zamknięte do 12:00.',
    en: 'Centres in Gdańsk are closed until 12:00 today.',
    uk: 'Пункти в Гданську сьогодні зачинені до 12:00.',
  },
  from: '2026-01-12T06:00:00.000Z',
  until: '2026-01-12T18:00:00.000Z',
  createdBy: 'admin-1',
  createdAt: '2026-01-11T10:00:00.000Z',
  updatedAt: '2026-01-11T10:00:00.000Z',
};

async function openSignedIn(announcements: { status?: number; body: unknown }, language = 'pl') {
  window.sessionStorage.setItem(
    'ereg.agent.session',
    JSON.stringify({ kind: 'bearer', token: 'token', expiresAt: START + 3_600_000, patientId: null }),
  );
  window.sessionStorage.setItem('ereg.agent.person', 'Anna Agentka');
  window.localStorage.setItem('ereg.language', language);
  const api = fakeApi({
    'GET /api/login/config': { body: CONFIG },
    'GET /api/login/me': ME,
    'GET /api/search/announcements': announcements,
  });
  window.history.replaceState(null, '', '/agent/');
  const services = { ...createServices(window, { fetch: api.fetch, now: () => new Date(START) }), leave: () => {} };
  const rendered = render(<App services={services} />);
  for (let i = 0; i < 3; i++) {
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
  }
  return { api, ...rendered };
}

beforeEach(() => {
  window.sessionStorage.clear();
  window.localStorage.clear();
});

describe('announcements in the console’s header', () => {
  test('an agent sees the current announcement in the header, in the console’s language, to read it out', async () => {
    const { container } = await openSignedIn({ body: { announcements: [CLOSING] } }, 'en');

    const notices = await screen.findByRole('region', { name: 'The ministry’s announcements, to read out to callers' });
    expect(notices.textContent).toContain('Centres in Gdańsk are closed until 12:00 today.');
    expect(notices.closest('header')).not.toBeNull();
    const results = await axe.run(container, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      rules: { 'color-contrast': { enabled: false } },
    });
    expect(results.violations.map((v) => v.id)).toEqual([]);
  });

  test('nothing shows, and no error, when the announcements cannot be loaded', async () => {
    const { api } = await openSignedIn({ ...apiError(503, 'UNAVAILABLE') });
    await waitFor(() => expect(api.requests.some((r) => r.path === '/api/search/announcements')).toBe(true));
    expect(screen.queryByRole('region', { name: /Komunikaty/ })).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
