import type { Language } from '@ereg/shared';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { I18nContext } from '../i18n.ts';
import { testI18n } from '../test-i18n.ts';
import { SignedInBand, SiteHeader } from './site-header.tsx';

describe('the site’s header', () => {
  it('shows the app’s brand, the languages and what the app puts under the bar, in the chosen language', () => {
    const chosen: Language[] = [];
    render(
      <I18nContext.Provider value={testI18n('en', (language) => chosen.push(language))}>
        <SiteHeader brand={<p className="brand">Centre 7</p>}>
          <SignedInBand who="Signed in: Ala" signOutLabel="Sign out" onSignOut={() => chosen.push('pl')} />
        </SiteHeader>
        <main id="main" tabIndex={-1} />
      </I18nContext.Provider>,
    );
    const header = screen.getByRole('banner');
    expect(within(header).getByText('Centre 7')).toBeTruthy();
    expect(within(header).getByRole('link', { name: 'nav.skip (en)' })).toBeTruthy();
    expect(within(header).getByRole('button', { name: 'English' }).getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(within(header).getByRole('button', { name: 'Українська' }));
    expect(chosen).toEqual(['uk']);
    expect(within(header).getByText('Signed in: Ala')).toBeTruthy();
    fireEvent.click(within(header).getByRole('button', { name: 'Sign out' }));
    expect(chosen).toEqual(['uk', 'pl']);
  });

  it('skips to the main content by moving focus there, leaving the address as it was', () => {
    window.history.replaceState(null, '', '/centre/day');
    render(
      <I18nContext.Provider value={testI18n('pl')}>
        <SiteHeader brand={null} />
        <main id="main" tabIndex={-1} />
      </I18nContext.Provider>,
    );
    fireEvent.click(screen.getByRole('link', { name: 'nav.skip (pl)' }));
    expect(document.activeElement?.id).toBe('main');
    expect(window.location.pathname + window.location.hash).toBe('/centre/day');
  });
});
