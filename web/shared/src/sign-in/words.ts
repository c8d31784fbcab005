import type { Language } from '@ereg/shared';
import type { SignInMessageKey } from './host.ts';

/**
 * The sign-in pages' words every staff app says alike, in each language; each app's catalogue takes
 * them and words the rest itself (what the app is for, who it is not for, whom to ask).
 */
type SharedKey = Exclude<
  SignInMessageKey,
  | 'loading'
  | 'retry'
  | 'notFound.back'
  | 'signIn.title'
  | 'signIn.intro'
  | 'signIn.notStaff'
  | 'signIn.error.UNKNOWN_EMAIL'
  | 'signIn.error.ACCOUNT_DISABLED'
>;

export const SIGN_IN_WORDS = {
  pl: {
    'signIn.button': 'Zaloguj się',
    'signIn.redirecting': 'Przekierowujemy do logowania…',
    'signIn.signedOut': 'Wylogowano.',
    'signIn.again': 'Sesja się skończyła. Zaloguj się ponownie, a wrócisz do tej samej strony.',
    'signIn.busy': 'Logujemy…',
    'signIn.loadFailed': 'Nie udało się sprawdzić, jak się logować. Spróbuj ponownie.',
    'signIn.email': 'Adres e-mail',
    'signIn.password': 'Hasło',
    'signIn.emailRequired': 'Podaj adres e-mail.',
    'signIn.passwordRequired': 'Podaj hasło albo wyślij sobie link do logowania.',
    'signIn.linkTitle': 'Bez hasła',
    'signIn.linkIntro': 'Nie masz hasła albo go nie pamiętasz? Wyślemy link do logowania na Twój e-mail.',
    'signIn.sendLink': 'Wyślij mi link do logowania',
    'signIn.sendingLink': 'Wysyłamy link…',
    'signIn.linkSent': 'Wysłaliśmy link do logowania na {email}. Otwórz go na tym urządzeniu; działa tylko raz.',
    'signIn.linkFinishIntro': 'Logujesz się linkiem z e-maila. Podaj adres, na który przyszedł.',
    'signIn.linkFinish': 'Dokończ logowanie',
    'signIn.secondFactor.title': 'Potrzebny drugi składnik logowania',
    'signIn.secondFactor.intro': 'Hasło lub link się zgadza, ale to konto wymaga jeszcze drugiego składnika.',
    'signIn.secondFactor.sendSms': 'Wyślij kod SMS na {phone}',
    'signIn.secondFactor.smsSent': 'Wysłaliśmy kod SMS na {phone}.',
    'signIn.secondFactor.totp': 'Wpisz kod z aplikacji uwierzytelniającej ({name}).',
    'signIn.secondFactor.code': 'Kod',
    'signIn.secondFactor.codeRequired': 'Wpisz kod.',
    'signIn.secondFactor.confirm': 'Potwierdź',
    'signIn.secondFactor.cancel': 'Zacznij od nowa',
    'signIn.error.WRONG_PASSWORD': 'Nieprawidłowe hasło. Spróbuj ponownie albo wyślij sobie link do logowania.',
    'signIn.error.WRONG_EMAIL_OR_PASSWORD': 'Nieprawidłowy e-mail lub hasło.',
    'signIn.error.INVALID_EMAIL': 'To nie jest prawidłowy adres e-mail.',
    'signIn.error.TOO_MANY_ATTEMPTS':
      'Zbyt wiele nieudanych prób: logowanie na to konto jest na chwilę wstrzymane. Spróbuj za kilka minut albo wyślij sobie link do logowania.',
    'signIn.error.LINK_INVALID': 'Ten link do logowania wygasł albo został już użyty. Wyślij sobie nowy.',
    'signIn.error.WRONG_CODE': 'Nieprawidłowy albo nieaktualny kod. Spróbuj ponownie.',
    'signIn.error.FACTOR_UNSUPPORTED':
      'Tego rodzaju drugiego składnika nie da się użyć w tej aplikacji. Poproś administratora o kod SMS albo aplikację uwierzytelniającą.',
    'signIn.error.NETWORK': 'Brak połączenia z usługą logowania. Sprawdź internet i spróbuj ponownie.',
    'signIn.error.FAILED': 'Nie udało się zalogować. Spróbuj ponownie.',
  },
  en: {
    'signIn.button': 'Sign in',
    'signIn.redirecting': 'Taking you to the sign-in…',
    'signIn.signedOut': 'You have signed out.',
    'signIn.again': 'Your session has ended. Sign in again to come back to the same page.',
    'signIn.busy': 'Signing you in…',
    'signIn.loadFailed': 'Could not find out how to sign in. Please try again.',
    'signIn.email': 'E-mail address',
    'signIn.password': 'Password',
    'signIn.emailRequired': 'Enter your e-mail address.',
    'signIn.passwordRequired': 'Enter your password, or have a sign-in link e-mailed to you.',
    'signIn.linkTitle': 'Without a password',
    'signIn.linkIntro': 'No password, or forgot it? We will e-mail you a sign-in link.',
    'signIn.sendLink': 'E-mail me a sign-in link',
    'signIn.sendingLink': 'Sending the link…',
    'signIn.linkSent': 'We sent a sign-in link to {email}. Open it on this device; it works once.',
    'signIn.linkFinishIntro': 'You are signing in with a link from your e-mail. Enter the address it was sent to.',
    'signIn.linkFinish': 'Finish signing in',
    'signIn.secondFactor.title': 'Second sign-in step needed',
    'signIn.secondFactor.intro': 'Your password or link is right, but this account also needs a second factor.',
    'signIn.secondFactor.sendSms': 'Text a code to {phone}',
    'signIn.secondFactor.smsSent': 'We texted a code to {phone}.',
    'signIn.secondFactor.totp': 'Enter the code from your authenticator app ({name}).',
    'signIn.secondFactor.code': 'Code',
    'signIn.secondFactor.codeRequired': 'Enter the code.',
    'signIn.secondFactor.confirm': 'Confirm',
    'signIn.secondFactor.cancel': 'Start again',
    'signIn.error.WRONG_PASSWORD': 'Wrong password. Try again, or have a sign-in link e-mailed to you.',
    'signIn.error.WRONG_EMAIL_OR_PASSWORD': 'Wrong e-mail or password.',
    'signIn.error.INVALID_EMAIL': 'This is not a valid e-mail address.',
    'signIn.error.TOO_MANY_ATTEMPTS':
      'Too many failed attempts: signing in to this account is paused for a while. Try again in a few minutes, or have a sign-in link e-mailed to you.',
    'signIn.error.LINK_INVALID': 'This sign-in link has expired or was already used. Have a new one sent.',
    'signIn.error.WRONG_CODE': 'Wrong or expired code. Please try again.',
    'signIn.error.FACTOR_UNSUPPORTED':
      'This kind of second factor cannot be used in this app. Ask the administrator for an SMS code or an authenticator app.',
    'signIn.error.NETWORK': 'The sign-in service cannot be reached. Check your connection and try again.',
    'signIn.error.FAILED': 'Signing in failed. Please try again.',
  },
  uk: {
    'signIn.button': 'Увійти',
    'signIn.redirecting': 'Переходимо до входу…',
    'signIn.signedOut': 'Ви вийшли.',
    'signIn.again': 'Сесія закінчилася. Увійдіть знову, і ви повернетеся на ту саму сторінку.',
    'signIn.busy': 'Виконуємо вхід…',
    'signIn.loadFailed': 'Не вдалося з’ясувати, як увійти. Спробуйте ще раз.',
    'signIn.email': 'Електронна пошта',
    'signIn.password': 'Пароль',
    'signIn.emailRequired': 'Введіть адресу електронної пошти.',
    'signIn.passwordRequired': 'Введіть пароль або отримайте посилання для входу електронною поштою.',
    'signIn.linkTitle': 'Без пароля',
    'signIn.linkIntro': 'Немає пароля або забули його? Ми надішлемо посилання для входу на вашу пошту.',
    'signIn.sendLink': 'Надіслати мені посилання для входу',
    'signIn.sendingLink': 'Надсилаємо посилання…',
    'signIn.linkSent':
      'Ми надіслали посилання для входу на {email}. Відкрийте його на цьому пристрої; воно діє один раз.',
    'signIn.linkFinishIntro': 'Ви входите за посиланням з листа. Введіть адресу, на яку воно прийшло.',
    'signIn.linkFinish': 'Завершити вхід',
    'signIn.secondFactor.title': 'Потрібен другий етап входу',
    'signIn.secondFactor.intro': 'Пароль або посилання правильні, але цей обліковий запис вимагає ще другого фактора.',
    'signIn.secondFactor.sendSms': 'Надіслати SMS-код на {phone}',
    'signIn.secondFactor.smsSent': 'Ми надіслали SMS-код на {phone}.',
    'signIn.secondFactor.totp': 'Введіть код із застосунку автентифікації ({name}).',
    'signIn.secondFactor.code': 'Код',
    'signIn.secondFactor.codeRequired': 'Введіть код.',
    'signIn.secondFactor.confirm': 'Підтвердити',
    'signIn.secondFactor.cancel': 'Почати знову',
    'signIn.error.WRONG_PASSWORD':
      'Неправильний пароль. Спробуйте ще раз або отримайте посилання для входу електронною поштою.',
    'signIn.error.WRONG_EMAIL_OR_PASSWORD': 'Неправильна електронна пошта або пароль.',
    'signIn.error.INVALID_EMAIL': 'Це неправильна адреса електронної пошти.',
    'signIn.error.TOO_MANY_ATTEMPTS':
      'Забагато невдалих спроб: вхід до цього облікового запису тимчасово призупинено. Спробуйте за кілька хвилин або отримайте посилання для входу.',
    'signIn.error.LINK_INVALID': 'Це посилання для входу застаріло або вже використане. Отримайте нове.',
    'signIn.error.WRONG_CODE': 'Неправильний або застарілий код. Спробуйте ще раз.',
    'signIn.error.FACTOR_UNSUPPORTED':
      'Цей вид другого фактора не можна використати в цьому застосунку. Попросіть адміністратора про SMS-код або застосунок автентифікації.',
    'signIn.error.NETWORK': 'Немає зв’язку зі службою входу. Перевірте інтернет і спробуйте ще раз.',
    'signIn.error.FAILED': 'Не вдалося увійти. Спробуйте ще раз.',
  },
} as const satisfies Record<Language, Record<SharedKey, string>>;
