import type { Announcement } from '@ereg/shared';
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import axe from 'axe-core';
import { apiError, aSearchResult, fakeApi, renderApp, resetBrowser, VACCINES } from '../test-support.tsx';

beforeEach(resetBrowser);

function anAnnouncement(id: string, words: string): Announcement {
  return {
    id,
    text: { pl: `${words} (pl)`, en: `${words} (en)`, uk: `${words} (uk)` },
    from: '2026-01-12T06:00:00.000Z',
    until: '2026-01-19T06:00:00.000Z',
    createdBy: 'admin-1',
    createdAt: '2026-01-11T10:00:00.000Z',
    updatedAt: '2026-01-11T10:00:00.000Z',
  };
}

const TEACHERS = anAnnouncement('ann-1', 'Teachers may book from Monday');
const HOTLINE = anAnnouncement('ann-2', 'The hotline closes at 18:00 today');

const api = (announcements: unknown) =>
  fakeApi({
    'GET /api/search/vaccines': { body: { vaccines: VACCINES } },
    'GET /api/search': { body: aSearchResult([]) },
    'GET /api/search/announcements': announcements as { body: unknown },
  });

const region = () => screen.queryByRole('region', { name: /Announcements|Komunikaty|Оголошення/ });

describe('announcements on the start and search pages', () => {
  it('shows the current announcements at the top of the start page in the chosen language', async () => {
    const { fetch } = api({ body: { announcements: [TEACHERS, HOTLINE] } });
    await renderApp({ url: '/', fetch, language: 'uk' });

    const notices = await screen.findByRole('region', { name: 'Оголошення' });
    expect(notices.textContent).toContain('Teachers may book from Monday (uk)');
    expect(notices.textContent).toContain('The hotline closes at 18:00 today (uk)');
    expect(notices.textContent).not.toContain('(pl)');
    // First in the page, right under its title, inside a polite live region.
    expect(notices.closest('[role="status"]')?.getAttribute('aria-live')).toBe('polite');
    const heading = screen.getByRole('heading', { level: 1 });
    expect(heading.compareDocumentPosition(notices) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('shows them on the search page too, in Polish by default', async () => {
    const { fetch } = api({ body: { announcements: [TEACHERS] } });
    await renderApp({ url: '/search', fetch });
    expect((await screen.findByRole('region', { name: 'Komunikaty' })).textContent).toContain(
      'Teachers may book from Monday (pl)',
    );
  });

  it('hides a dismissed one for the rest of the visit, moving focus to the next one', async () => {
    const { fetch } = api({ body: { announcements: [TEACHERS, HOTLINE] } });
    const { unmount } = await renderApp({ url: '/', fetch, language: 'en' });
    const hide = await screen.findAllByRole('button', { name: 'Hide this announcement' });
    await act(async () => {
      fireEvent.click(hide[0] as HTMLElement);
      await new Promise((resolve) => requestAnimationFrame(resolve));
    });

    expect(screen.queryByText('Teachers may book from Monday (en)')).toBeNull();
    expect(screen.getByText('The hotline closes at 18:00 today (en)')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Hide this announcement' }));

    // Another page of the same visit: still hidden.
    unmount();
    await renderApp({ url: '/search', fetch, language: 'en' });
    await screen.findByText('The hotline closes at 18:00 today (en)');
    expect(screen.queryByText('Teachers may book from Monday (en)')).toBeNull();
  });

  it('shows nothing when there is no announcement, and nothing — no error — when they cannot be loaded', async () => {
    const none = api({ body: { announcements: [] } });
    const { unmount } = await renderApp({ url: '/', fetch: none.fetch, language: 'en' });
    await waitFor(() => expect(none.requests.some((r) => r.path === '/api/search/announcements')).toBe(true));
    expect(region()).toBeNull();
    unmount();

    const failing = api(apiError(503, 'UNAVAILABLE'));
    await renderApp({ url: '/', fetch: failing.fetch, language: 'en' });
    await waitFor(() => expect(failing.requests.some((r) => r.path === '/api/search/announcements')).toBe(true));
    expect(region()).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('passes axe’s WCAG 2.1 A and AA checks with announcements shown', async () => {
    const { fetch } = api({ body: { announcements: [TEACHERS, HOTLINE] } });
    const { container } = await renderApp({ url: '/', fetch, language: 'en' });
    await screen.findByRole('region', { name: 'Announcements' });
    const results = await axe.run(container, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      // jsdom lays nothing out: contrast is checked in the browser tests.
      rules: { 'color-contrast': { enabled: false } },
    });
    expect(results.violations.map((v) => v.id)).toEqual([]);
  });
});
