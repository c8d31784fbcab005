/*
 * Renders one of the supervisor's pages as the console does (router, services, language, shortcuts and a
 * signed-in supervisor) over a stand-in API. Only test files import this.
 */
import { act, fireEvent, render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { RouterContext } from '../../../shared/src/router.tsx';
import { AppContext, DeskContext } from '../app-context.ts';
import { I18nContext, i18nFor } from '../i18n/index.ts';
import { createServices } from '../services.ts';
import { createShortcuts, ShortcutsContext } from './shortcuts.ts';

/** Monday 12 January 2026, 09:00 in Warsaw. */
export const TEST_NOW = new Date('2026-01-12T08:00:00.000Z');

export async function settle(): Promise<void> {
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
}

/** Renders `page` at `url`, signed in as supervisor-1, in Polish unless told. */
export async function renderSupervisorPage(
  page: ReactNode,
  { url, fetch, language = 'pl' }: { url: string; fetch: typeof globalThis.fetch; language?: 'pl' | 'en' | 'uk' },
) {
  window.sessionStorage.setItem(
    'ereg.agent.session',
    JSON.stringify({ kind: 'bearer', token: 'token', expiresAt: TEST_NOW.getTime() + 3_600_000, patientId: null }),
  );
  window.history.replaceState(null, '', url);
  const services = { ...createServices(window, { fetch, now: () => TEST_NOW }), leave: () => {} };
  const shortcuts = createShortcuts();
  window.addEventListener('keydown', shortcuts.handle);
  const view = render(
    <RouterContext.Provider value={services.router}>
      <AppContext.Provider value={services}>
        <I18nContext.Provider value={i18nFor(language)}>
          <ShortcutsContext.Provider value={shortcuts}>
            <DeskContext.Provider value={{ role: 'supervisor', id: 'supervisor-1', name: 'Ewa Zielińska' }}>
              {page}
            </DeskContext.Provider>
          </ShortcutsContext.Provider>
        </I18nContext.Provider>
      </AppContext.Provider>
    </RouterContext.Provider>,
  );
  await settle();
  return {
    ...view,
    services,
    shortcuts,
    cleanup: () => window.removeEventListener('keydown', shortcuts.handle),
  };
}

/** Presses Alt + a letter, as the supervisor does for a shortcut. */
export async function pressAlt(letter: string): Promise<void> {
  fireEvent.keyDown(window, { key: letter, code: `Key${letter.toUpperCase()}`, altKey: true });
  await settle();
}
