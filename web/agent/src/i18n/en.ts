import type { MessageKey } from './pl.ts';

export const en: Record<MessageKey, string> = {
  'app.name': 'e-Registration – hotline',
  'app.short': 'Hotline',
  'nav.skip': 'Skip to content',
  'nav.call': 'Call',
  'nav.audit': 'Access log',
  'nav.reviews': 'Review',
  'nav.alerts': 'Alerts',
  'notFound.title': 'No such page',
  'notFound.body': 'Check the address or go back to the call.',

  'error.title': 'Something went wrong',
  'error.title.input': 'Check what you entered',
  'error.title.login': 'Sign in again',
  'error.title.notFound': 'Not found',
  'error.title.tooMany': 'Too many attempts',
  'error.unexpected': 'An unexpected error occurred ({code}). Please try again.',
  'error.INTERNAL': 'Something went wrong on our side. Please try again shortly. Reference: {reference}.',
  'error.TOO_MANY_REQUESTS': 'Too many attempts in a short time. Please try again shortly.',
  'error.TOO_MANY_REQUESTS.wait': 'Too many attempts in a short time. Please try again {wait}.',
  'error.NETWORK': 'We cannot reach the server. Check your internet connection and try again.',
  'error.TOKEN_EXPIRED': 'Your session has expired. Sign in again.',
  'error.INVALID_TOKEN': 'Your session could not be confirmed. Sign in again.',
  'error.UNAUTHENTICATED': 'Sign in to continue.',
  'error.SIGN_IN_FAILED': 'Signing in failed. Please try again.',

  'error.title.forbidden': 'Not allowed',
  'error.title.conflict': 'This cannot be done',
  'field.named': '{field}: {message}',

  // shell

  // call

  // book

  // supervisor
};
