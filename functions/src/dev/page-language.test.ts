import { pageLanguage } from './page-language.ts';

describe('the language of the development login page', () => {
  test.each([
    ['en', 'en'],
    ['uk', 'uk'],
    ['pl', 'pl'],
    ['uk-UA', 'uk'],
    ['EN-gb', 'en'],
    ['de uk en', 'uk'],
  ])('follows the language the app asks for (ui_locales=%s)', (uiLocales, expected) => {
    expect(pageLanguage({ uiLocales, acceptLanguage: 'pl-PL,pl;q=0.9' })).toBe(expected);
  });

  test.each([
    ['en-GB,en;q=0.9', 'en'],
    ['uk-UA,uk;q=0.9,ru;q=0.8,en;q=0.7', 'uk'],
    ['de-DE,de;q=0.9,en;q=0.5', 'en'],
    ['en;q=0.4,uk;q=0.8', 'uk'],
    ['en;q=0,uk;q=0.1', 'uk'],
    ['fr, pl;q=0.5, en;q=0.5', 'pl'],
  ])('takes the browser’s most preferred language it speaks when the app asks for none (%s)', (header, expected) => {
    expect(pageLanguage({ acceptLanguage: header })).toBe(expected);
  });

  test('passes over a language the app asks for that the page is not written in', () => {
    expect(pageLanguage({ uiLocales: 'de', acceptLanguage: 'en-GB' })).toBe('en');
  });

  test.each([
    [{}],
    [{ acceptLanguage: '*' }],
    [{ acceptLanguage: 'de-DE,fr;q=0.8' }],
    [{ acceptLanguage: 'en;q=0' }],
    [{ uiLocales: '', acceptLanguage: '' }],
    [{ uiLocales: 'xx', acceptLanguage: 'q=1;;,,' }],
  ])('is Polish when nothing it speaks is asked for: %j', (request) => {
    expect(pageLanguage(request)).toBe('pl');
  });
});
