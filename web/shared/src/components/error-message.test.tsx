import { render, screen } from '@testing-library/react';
import { ApiError } from '../api-client.ts';
import { I18nContext } from '../i18n.ts';
import { testI18n } from '../test-i18n.ts';
import { ErrorMessage, type ErrorWording } from './error-message.tsx';

const inEnglish = (error: unknown, wording?: ErrorWording<string>) =>
  render(
    <I18nContext.Provider value={testI18n('en')}>
      <ErrorMessage error={error} {...(wording ? { wording } : {})} />
    </I18nContext.Provider>,
  );

describe('an error message', () => {
  it('is announced, headed by its kind and worded by the site’s common codes unless the app words it', () => {
    inEnglish(new ApiError(401, 'TOKEN_EXPIRED', 'server words'));
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toBe('error.title.login (en)error.TOKEN_EXPIRED (en)');
  });

  it('takes the app’s wording: its headings and its sentences', () => {
    const wording: ErrorWording<string> = {
      titleKey: () => 'error.title.input',
      describe: (error, t) => `${t('app.name')}: ${error instanceof ApiError ? error.code : '?'}`,
    };
    inEnglish(new ApiError(409, 'SLOT_FULL', 'x'), wording);
    expect(screen.getByRole('alert').textContent).toBe('error.title.input (en)app.name (en): SLOT_FULL');
  });
});
