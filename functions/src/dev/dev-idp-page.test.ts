import type { Language } from '@ereg/shared';
import { DEMO_CITIZENS_FEATURED } from '../demo/demo-data.ts';
import {
  devIdpLoginPage,
  devIdpReportsPage,
  devIdpStaffPage,
  matchingCentres,
  peselErrorText,
} from './dev-idp-page.ts';

const render = (language: Language, error?: { pesel: string; code: string | undefined }) =>
  devIdpLoginPage({ returnTo: '/login/callback?x=1&y=2', language, people: DEMO_CITIZENS_FEATURED, error });

/** The page's visible words, without markup. */
const words = (html: string) => html.replace(/<style>[\s\S]*?<\/style>/, '').replace(/<[^>]+>/g, ' ');

describe('the development login page in each language', () => {
  test.each([
    ['pl', 'Zaloguj się przez testowego dostawcę tożsamości', 'PESEL (11 cyfr)', 'Janina Kowalska, '],
    ['en', 'Log in with the development identity provider', 'PESEL (11 digits)', 'Janina Kowalska, age '],
    ['uk', 'Увійдіть через тестовий сервіс ідентифікації', 'PESEL (11 цифр)', 'Janina Kowalska, '],
  ] as const)('is written in %s and says so in <html lang>', (language, heading, label, person) => {
    const html = render(language);
    expect(html).toContain(`<html lang="${language}">`);
    expect(html).toContain(`<h1>${heading}</h1>`);
    expect(html).toContain(`<label for="pesel">${label}</label>`);
    expect(html).toContain(person);
  });

  test('names ages with the plural each language needs', () => {
    const year = new Date().getFullYear();
    const aged = (age: number) => [{ ...DEMO_CITIZENS_FEATURED[0]!, birthDate: `${year - age}-01-01` }];
    const page = (language: Language, age: number) =>
      words(devIdpLoginPage({ returnTo: '/', language, people: aged(age) }));
    expect(page('pl', 22)).toContain('Kowalska, 22 lata');
    expect(page('pl', 25)).toContain('Kowalska, 25 lat');
    expect(page('uk', 21)).toContain('Kowalska, 21 рік');
    expect(page('uk', 23)).toContain('Kowalska, 23 роки');
    expect(page('uk', 80)).toContain('Kowalska, 80 років');
  });

  test('shares no sentence between the languages (nothing left untranslated)', () => {
    const sentences = (language: Language) =>
      new Set(
        words(render(language))
          .split(/\s{2,}|\n/)
          .map((s) => s.trim())
          .filter((s) => /\p{L}{3,}.*\s\p{L}{3,}/u.test(s) && !/Kowalsk|Nowak|Wójcik|Kamińsk|Kowalenko/.test(s)),
      );
    const [pl, en, uk] = (['pl', 'en', 'uk'] as const).map(sentences);
    expect([...en!].filter((s) => pl!.has(s) || uk!.has(s))).toEqual([]);
    expect([...pl!].filter((s) => uk!.has(s))).toEqual([]);
  });

  test('offers the other languages, each named in itself, keeping where the browser goes back to', () => {
    const html = render('uk');
    expect(html).toContain(
      '<a href="/dev-idp/login?return=%2Flogin%2Fcallback%3Fx%3D1%26y%3D2&amp;ui_locales=pl" lang="pl" hreflang="pl">Polski</a>',
    );
    expect(html).toContain('hreflang="en">English</a>');
    expect(html).toContain('hreflang="uk" aria-current="true">Українська</a>');
  });

  test('every form sends the language with it, so a page shown again stays in it', () => {
    const html = render('en');
    const forms = html.match(/<form /g) ?? [];
    expect(forms.length).toBe(DEMO_CITIZENS_FEATURED.length + 1);
    expect(html.match(/name="ui_locales" value="en"/g)?.length).toBe(forms.length);
  });

  test('tells why a PESEL was refused in the page’s language, tied to the field', () => {
    const html = render('pl', { pesel: '123', code: 'INVALID_PESEL_FORMAT' });
    expect(html).toContain('aria-describedby="pesel-error"');
    expect(html).toContain('<p id="pesel-error" class="error" role="alert">PESEL musi mieć dokładnie 11 cyfr.</p>');
    expect(peselErrorText('uk', 'INVALID_PESEL_CHECKSUM')).toMatch(/^Контрольна/);
    expect(peselErrorText('en', 'INVALID_PESEL_DATE')).toMatch(/date of birth/);
    expect(peselErrorText('pl', 'SOMETHING_ELSE')).toBe('To nie jest numer PESEL.');
  });

  test('shows what was typed escaped, never as markup', () => {
    const html = render('en', { pesel: '"><script>x</script>', code: undefined });
    expect(html).not.toContain('<script>x');
    expect(html).toContain('value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"');
  });
});

describe('the staff login page', () => {
  const centres = [
    { id: 'c1', name: 'Punkt Szczepień Wawel', city: 'Kraków' },
    { id: 'c2', name: 'Centrum Medyczne Łódź Bałuty', city: 'Łódź' },
    { id: 'c3', name: 'Przychodnia Rynek', city: 'Kraków' },
  ];

  test('finds centres by name or town, whatever the case and the diacritics', () => {
    expect(matchingCentres(centres, 'krakow').map((c) => c.id)).toEqual(['c3', 'c1']);
    expect(matchingCentres(centres, 'lodz baluty').map((c) => c.id)).toEqual(['c2']);
    expect(matchingCentres(centres, 'rynek KRAKÓW').map((c) => c.id)).toEqual(['c3']);
    expect(matchingCentres(centres, 'Gdańsk')).toEqual([]);
    expect(matchingCentres(centres, '', 2)).toHaveLength(2);
  });

  test('lists the centres found as links that keep the search, the language and the way back', () => {
    const html = devIdpStaffPage({ returnTo: '/centre/login/callback', language: 'en', query: 'krak', centres });
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<label for="q">Vaccination centre</label>');
    expect(html).toContain(
      `href="/dev-idp/login/staff?return=%2Fcentre%2Flogin%2Fcallback&amp;ui_locales=en&amp;q=krak&amp;centreId=c1"`,
    );
  });

  test('offers the chosen centre’s staff, each a form that signs in as them', () => {
    const html = devIdpStaffPage({
      returnTo: '/centre/login/callback',
      language: 'pl',
      query: '',
      centres,
      chosen: { centre: centres[0]!, staff: [{ id: 'stf_1', name: 'Anna <Nowak>' }] },
    });
    expect(html).toContain('<h2>Personel: Punkt Szczepień Wawel</h2>');
    expect(html).toContain('<input type="hidden" name="staffId" value="stf_1">');
    expect(html).toContain('<button type="submit">Anna &lt;Nowak&gt;</button>');
    expect(html).toContain('action="/dev-idp/login/staff"');
  });
});

describe('the reports’ login page', () => {
  const page = (language: Language) =>
    devIdpReportsPage({
      returnTo: '/reports/login/callback',
      language,
      analysts: [{ id: 'analyst-1', name: 'Joanna <Kamińska>' }],
      admins: [{ id: 'admin-1', name: 'Ministry administrator' }],
    });

  test('offers each analyst and the administrator, each a form that signs in as them and goes back to the dashboard', () => {
    const html = page('pl');
    expect(html).toContain('<h1>Zaloguj się jako analityk lub administrator ministerstwa</h1>');
    expect(html).toContain('<h2>Analitycy</h2>');
    expect(html).toContain(
      '<input type="hidden" name="role" value="analyst"><input type="hidden" name="id" value="analyst-1"><button type="submit">Joanna &lt;Kamińska&gt;</button>',
    );
    expect(html).toContain(
      '<input type="hidden" name="role" value="admin"><input type="hidden" name="id" value="admin-1">',
    );
    expect(html.match(/action="\/dev-idp\/login\/reports"/g)).toHaveLength(2);
    expect(html.match(/name="return" value="\/reports\/login\/callback"/g)).toHaveLength(2);
  });

  test('is written in each language, with a switch to the others that keeps the way back', () => {
    expect(words(page('en'))).toContain('Log in as a ministry analyst or administrator');
    expect(words(page('uk'))).toContain('Аналітики');
    expect(page('en')).toContain(
      '<a href="/dev-idp/login/reports?return=%2Freports%2Flogin%2Fcallback&amp;ui_locales=pl" lang="pl" hreflang="pl">Polski</a>',
    );
    expect(page('en')).toContain('hreflang="en" aria-current="true">English</a>');
  });
});
