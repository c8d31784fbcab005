/** The hotline console's messages in Polish, the reference catalogue: every other language has the same keys. */
export const pl = {
  'app.name': 'e-Rejestracja – infolinia',
  'app.short': 'Infolinia',
  'nav.skip': 'Przejdź do treści',
  'nav.call': 'Rozmowa',
  'nav.audit': 'Dziennik dostępu',
  'nav.reviews': 'Przegląd',
  'nav.alerts': 'Alerty',
  'notFound.title': 'Nie ma takiej strony',
  'notFound.body': 'Sprawdź adres albo wróć do rozmowy.',

  'error.title': 'Coś poszło nie tak',
  'error.title.input': 'Sprawdź wpisane dane',
  'error.title.login': 'Zaloguj się ponownie',
  'error.title.notFound': 'Nie znaleziono',
  'error.title.tooMany': 'Zbyt wiele prób',
  'error.unexpected': 'Wystąpił nieoczekiwany błąd ({code}). Spróbuj ponownie.',
  'error.INTERNAL': 'Wystąpił błąd po naszej stronie. Spróbuj ponownie za chwilę. Numer zgłoszenia: {reference}.',
  'error.TOO_MANY_REQUESTS': 'Zbyt wiele prób w krótkim czasie. Spróbuj ponownie za chwilę.',
  'error.TOO_MANY_REQUESTS.wait': 'Zbyt wiele prób w krótkim czasie. Spróbuj ponownie {wait}.',
  'error.NETWORK': 'Nie możemy połączyć się z serwerem. Sprawdź połączenie z internetem i spróbuj ponownie.',
  'error.TOKEN_EXPIRED': 'Sesja wygasła. Zaloguj się ponownie.',
  'error.INVALID_TOKEN': 'Nie udało się potwierdzić sesji. Zaloguj się ponownie.',
  'error.UNAUTHENTICATED': 'Zaloguj się, aby kontynuować.',
  'error.SIGN_IN_FAILED': 'Logowanie się nie powiodło. Spróbuj jeszcze raz.',

  'error.title.forbidden': 'Brak dostępu',
  'error.title.conflict': 'Nie można tego zrobić',
  'field.named': '{field}: {message}',

  // shell

  // call

  // book

  // supervisor
} as const;

export type MessageKey = keyof typeof pl;
