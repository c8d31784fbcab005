import { safeReturn } from './dev-idp.ts';

const HOST = 'localhost:8080';

describe('where the development identity provider sends the browser back', () => {
  test.each(['/', '/login/callback', '/login/callback?x=1#y', '/a/b/../c', 'http://localhost:8080/login/callback'])(
    'accepts a path or URL of this application: %s',
    (returnTo) => {
      expect(safeReturn(returnTo, HOST)).toBe(returnTo);
    },
  );

  test('sends the browser to the app’s callback when no address is given', () => {
    expect(safeReturn(undefined, HOST)).toBe('/login/callback');
  });

  test.each([
    '//evil.example/x',
    '/\\evil.example/x',
    '\\\\evil.example/x',
    '/\t/evil.example/x',
    '/\n/evil.example',
    '/\u0000x',
    '/x\u007f',
    '\t/login',
    'https://evil.example/x',
    'http://localhost:8080.evil.example/x',
    'http://user@localhost:8080/x',
    'http:/\\evil.example',
    'http://localhost:8080\\@evil.example/x',
    'javascript:alert(1)',
    'data:text/html,hi',
    'evil.example',
    ' /login',
  ])('refuses an address another site could receive: %j', (returnTo) => {
    expect(() => safeReturn(returnTo, HOST)).toThrow(expect.objectContaining({ code: 'INVALID_RETURN' }));
  });

  test('refuses a full URL when the host the page was opened on is unknown', () => {
    expect(() => safeReturn('http://localhost:8080/x', undefined)).toThrow(
      expect.objectContaining({ code: 'INVALID_RETURN' }),
    );
  });
});
