import type { Language } from '@ereg/shared';
import { render, screen } from '@testing-library/react';
import type { ReactNode } from 'react';
import { I18nContext, i18nOver, useAppI18n, useSiteI18n } from './i18n.ts';
import { siteCatalogue } from './test-i18n.ts';

const CATALOGUES = {
  pl: siteCatalogue('pl', { greeting: 'hello {name} (pl)' }),
  en: siteCatalogue('en', { greeting: 'hello {name} (en)' }),
  uk: siteCatalogue('uk', { greeting: 'hello {name} (uk)' }),
};
const i18nFor = (language: Language, setLanguage?: (language: Language) => void) =>
  i18nOver(CATALOGUES, language, setLanguage);
const POLISH = i18nFor('pl');
const useI18n = () => useAppI18n(POLISH);

function AppText() {
  const { t, language } = useI18n();
  return <p>{`${language}: ${t('greeting', { name: 'Ala' })}`}</p>;
}

function SiteText() {
  const { t } = useSiteI18n();
  return <p>{t('app.name')}</p>;
}

const inLanguage = (language: 'pl' | 'en' | 'uk', children: ReactNode) => (
  <I18nContext.Provider value={i18nFor(language)}>{children}</I18nContext.Provider>
);

describe('an app’s i18n over the site’s context', () => {
  it('gives the app’s pages and the site’s components the language the app provides', () => {
    render(
      inLanguage(
        'uk',
        <>
          <AppText />
          <SiteText />
        </>,
      ),
    );
    expect(screen.getByText('uk: hello Ala (uk)')).toBeTruthy();
    expect(screen.getByText('app.name (uk)')).toBeTruthy();
  });

  it('answers Polish to an app component rendered without a provider', () => {
    render(<AppText />);
    expect(screen.getByText('pl: hello Ala (pl)')).toBeTruthy();
  });

  it('refuses a site component rendered outside an app, saying what it needs', () => {
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(() => render(<SiteText />)).toThrow(/I18nContext provider/);
    } finally {
      quiet.mockRestore();
    }
  });

  it('tells the switch of the provided language to the app', () => {
    const chosen: string[] = [];
    const i18n = i18nFor('en', (language) => chosen.push(language));
    i18n.setLanguage('uk');
    expect(chosen).toEqual(['uk']);
    expect(i18n.fmt.date('2026-03-29')).toBe('29 March 2026');
  });
});
