import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { createRouter, Link, matchPath, RouterContext, useLocation } from './router.tsx';

function Where() {
  const { pathname, search } = useLocation();
  return <p data-testid="where">{`${pathname}?${search.toString()}`}</p>;
}

describe('the router', () => {
  beforeEach(() => window.history.replaceState(null, '', '/'));

  it('matches paths against patterns and decodes their parameters', () => {
    expect(matchPath('/book/:slotId', '/book/c-1_x%20y')).toEqual({ slotId: 'c-1_x y' });
    expect(matchPath('/visits/:id/reschedule', '/visits/apt-1/reschedule')).toEqual({ id: 'apt-1' });
    expect(matchPath('/visits/:id/reschedule', '/visits/apt-1')).toBeNull();
    expect(matchPath('/book/:slotId', '/book/%E0%A4%A')).toBeNull();
    expect(matchPath('/search', '/search/')).toEqual({});
  });

  it('follows a plain click on a link inside the app, and Back returns', async () => {
    const router = createRouter(window);
    render(
      <RouterContext.Provider value={router}>
        <Link href="/search?postalCode=00-950">search</Link>
        <Where />
      </RouterContext.Provider>,
    );
    fireEvent.click(screen.getByRole('link', { name: 'search' }));
    expect(screen.getByTestId('where').textContent).toBe('/search?postalCode=00-950');
    expect(router.navigations()).toBe(1);
    window.history.back();
    await waitFor(() => expect(screen.getByTestId('where').textContent).toBe('/?'));
    expect(router.navigations()).toBe(2);
  });

  it('numbers the entries of the tab’s history, so that a page can tell how far back another one is', async () => {
    const router = createRouter(window);
    const first = router.position() as number;
    expect(first).toBe(window.history.length - 1);
    router.navigate('/search?postalCode=00-950');
    router.navigate('/book/s-1');
    expect(router.position()).toBe(first + 2);
    router.navigate('/book/s-2', { replace: true });
    expect(router.position()).toBe(first + 2);
    router.go(-2);
    await waitFor(() => expect(window.location.pathname).toBe('/'));
    expect(router.position()).toBe(first);
    // A page loaded anew on an entry (a reload, Back from another site) knows its place from the entry.
    expect(createRouter(window).position()).toBe(first);
  });

  it('leaves a click with a modifier key to the browser (a new tab)', () => {
    const router = createRouter(window);
    render(
      <RouterContext.Provider value={router}>
        <Link href="/visits">visits</Link>
        <Where />
      </RouterContext.Provider>,
    );
    const event = new MouseEvent('click', { bubbles: true, cancelable: true, ctrlKey: true });
    screen.getByRole('link', { name: 'visits' }).dispatchEvent(event);
    expect(window.location.pathname).toBe('/');
    expect(router.navigations()).toBe(0);
  });
});
