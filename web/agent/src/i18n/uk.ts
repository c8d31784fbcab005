import type { MessageKey } from './pl.ts';

export const uk: Record<MessageKey, string> = {
  'app.name': 'e-Реєстрація – гаряча лінія',
  'app.short': 'Гаряча лінія',
  'nav.skip': 'Перейти до вмісту',
  'nav.call': 'Розмова',
  'nav.audit': 'Журнал доступу',
  'nav.reviews': 'Перевірка',
  'nav.alerts': 'Сповіщення',
  'notFound.title': 'Такої сторінки немає',
  'notFound.body': 'Перевірте адресу або поверніться до розмови.',

  'error.title': 'Щось пішло не так',
  'error.title.input': 'Перевірте введені дані',
  'error.title.login': 'Увійдіть знову',
  'error.title.notFound': 'Не знайдено',
  'error.title.tooMany': 'Забагато спроб',
  'error.unexpected': 'Сталася неочікувана помилка ({code}). Спробуйте ще раз.',
  'error.INTERNAL': 'Сталася помилка на нашому боці. Спробуйте ще раз трохи згодом. Номер звернення: {reference}.',
  'error.TOO_MANY_REQUESTS': 'Забагато спроб за короткий час. Спробуйте ще раз трохи згодом.',
  'error.TOO_MANY_REQUESTS.wait': 'Забагато спроб за короткий час. Спробуйте ще раз {wait}.',
  'error.NETWORK': 'Не вдається з’єднатися із сервером. Перевірте інтернет-з’єднання і спробуйте ще раз.',
  'error.TOKEN_EXPIRED': 'Сесія закінчилася. Увійдіть знову.',
  'error.INVALID_TOKEN': 'Не вдалося підтвердити сесію. Увійдіть знову.',
  'error.UNAUTHENTICATED': 'Увійдіть, щоб продовжити.',
  'error.SIGN_IN_FAILED': 'Не вдалося увійти. Спробуйте ще раз.',

  'error.title.forbidden': 'Немає доступу',
  'error.title.conflict': 'Цього не можна зробити',
  'field.named': '{field}: {message}',

  // shell

  // call

  // book

  // supervisor
};
