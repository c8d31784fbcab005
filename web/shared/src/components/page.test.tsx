import { act, render, screen } from '@testing-library/react';
import { I18nContext } from '../i18n.ts';
import { createRouter, RouterContext } from '../router.tsx';
import { testI18n } from '../test-i18n.ts';
import { PAGE_TITLE_ID, Page, useFocusOnNavigation } from './page.tsx';

function Layout({ title }: { title: string }) {
  useFocusOnNavigation();
  return (
    <Page title={title}>
      <button type="button">inside</button>
    </Page>
  );
}

describe('a page', () => {
  beforeEach(() => window.history.replaceState(null, '', '/'));

  it('titles the document “page – app” and gives its one h1 the id focus moves to', () => {
    render(
      <I18nContext.Provider value={testI18n('uk')}>
        <Page title="Visits">
          <p>list</p>
        </Page>
      </I18nContext.Provider>,
    );
    expect(document.title).toBe('Visits – app.name (uk)');
    expect(screen.getByRole('heading', { level: 1 }).id).toBe(PAGE_TITLE_ID);
  });

  it('moves focus to the new page’s heading after navigation, not on the first page shown', () => {
    const router = createRouter(window);
    render(
      <RouterContext.Provider value={router}>
        <I18nContext.Provider value={testI18n('pl')}>
          <Layout title="Start" />
        </I18nContext.Provider>
      </RouterContext.Provider>,
    );
    screen.getByRole('button', { name: 'inside' }).focus();
    expect(document.activeElement?.id).not.toBe(PAGE_TITLE_ID);
    act(() => router.navigate('/visits'));
    expect(document.activeElement?.id).toBe(PAGE_TITLE_ID);
  });
});
