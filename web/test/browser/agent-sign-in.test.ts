import type { Page } from 'playwright-core';
import { type AppUnderTest, appForThisFile, DESKTOP, lookAt, openContext, PHONE, signInToConsole } from './harness.ts';

/*
 * Signing in to the hotline console on the development identity provider, by keyboard only: an agent
 * and a supervisor each land on their own pages, the shortcuts' help lists what the page offers, the
 * server's end of a session (idle for 15 minutes on the system's clock) brings the sign-in back saying
 * why, and signing out says so. Every state passes axe; screenshots at 360 px and on a desktop, in
 * Polish, English and Ukrainian, in docs/screenshots/agent.
 */

let app: AppUnderTest;
appForThisFile((started) => {
  app = started;
});

/** Presses Tab until the focused element has this accessible text, then Enter: no mouse. */
async function tabTo(page: Page, text: RegExp): Promise<void> {
  for (let i = 0; i < 40; i += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.textContent ?? '');
    if (text.test(focused)) {
      await page.keyboard.press('Enter');
      return;
    }
  }
  throw new Error(`Nothing focusable says ${text}`);
}

test('an agent signs in by keyboard, sees the call page and the agent’s shortcuts, and signs out', async () => {
  const { context, page } = await openContext(app, DESKTOP);
  try {
    await page.goto(`${app.url}/agent/`);
    await page.getByRole('heading', { level: 1, name: 'Logowanie do infolinii' }).waitFor();
    await lookAt(page, 'agent', 'sign-in-pl-desktop');

    await tabTo(page, /^Zaloguj się$/);
    await page.waitForURL(/\/dev-idp\/login\/hotline\?/);
    expect(new URL(page.url()).searchParams.get('ui_locales')).toBe('pl');
    await tabTo(page, /Magdalena Sikora/);

    await page.getByRole('navigation', { name: 'Strony infolinii' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/agent/');
    await page.getByText('Zalogowano: Magdalena Sikora (infolinia) · agent-1').waitFor();
    // 09:00 in Warsaw: idle sign-out 15 minutes less a minute's margin after the last request.
    await page.getByText(/Wylogowanie po bezczynności: 09:14/).waitFor();
    await lookAt(page, 'agent', 'call-signed-in-pl-desktop');

    await page.keyboard.press('Alt+Slash');
    const help = page.getByRole('dialog', { name: 'Skróty klawiszowe' });
    await help.waitFor();
    expect(await help.getByRole('term').allTextContents()).toEqual(expect.arrayContaining(['Alt+1', 'Alt+/']));
    await lookAt(page, 'agent', 'shortcuts-pl-desktop');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });

    await tabTo(page, /^Wyloguj się$/);
    await page.getByText('Wylogowano.').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('ereg.agent.session'))).toBeNull();
  } finally {
    await context.close();
  }
});

test('a supervisor signs in to the access log, with the review and the alerts beside it', async () => {
  const { context, page } = await openContext(app, PHONE);
  try {
    await signInToConsole(app, page, /Ewa Zielińska/);
    const nav = page.getByRole('navigation', { name: 'Strony infolinii' });
    expect(await nav.getByRole('link').evaluateAll((links) => links.map((l) => l.getAttribute('href')))).toEqual([
      '/agent/audit',
      '/agent/reviews',
      '/agent/alerts',
    ]);
    await page.getByRole('heading', { level: 1, name: 'Dziennik dostępu' }).waitFor();
    await lookAt(page, 'agent', 'supervisor-signed-in-pl-360');

    await page.keyboard.press('Alt+3');
    await page.waitForURL(/\/agent\/alerts$/);
    await page.getByRole('heading', { level: 1, name: 'Alerty' }).waitFor();
  } finally {
    await context.close();
  }
});

test('a session the server ends after 15 idle minutes brings the sign-in back, saying why, in each language', async () => {
  for (const [language, viewport, idle] of [
    ['pl', PHONE, /po 15 minutach bez pracy/],
    ['en', DESKTOP, /after 15 minutes without work/],
    ['uk', PHONE, /після 15 хвилин без роботи/],
  ] as const) {
    const { context, page } = await openContext(app, viewport);
    try {
      await signInToConsole(app, page, /Paweł Baran/);
      await page.getByRole('button', { name: { pl: 'Polski', en: 'English', uk: 'Українська' }[language] }).click();
      const size = viewport === PHONE ? '360' : 'desktop';
      await lookAt(page, 'agent', `call-signed-in-${language}-${size}`);

      // The server's clock moves on 16 minutes; the next request is refused and the console says why.
      app.clock.advanceMinutes(16);
      try {
        await page.keyboard.press('Alt+1');
        await page.reload();
        await page.getByText(idle).waitFor();
      } finally {
        app.clock.set(app.now);
      }
      await lookAt(page, 'agent', `signed-out-idle-${language}-${size}`);
    } finally {
      await context.close();
    }
  }
});
