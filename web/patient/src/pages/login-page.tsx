import { useEffect, useRef } from 'react';
import { Status } from '../../../shared/src/components/live.tsx';
import { Page } from '../../../shared/src/components/page.tsx';
import { Link, useLocation } from '../../../shared/src/router.tsx';
import { ownPath } from '../api/session.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { LoginButton, useLogin } from '../components/login-button.tsx';
import { useI18n } from '../i18n/index.ts';

/**
 * `/login?return=/visits`: starts the login at once and comes back to the page named (the header's
 * link leads here when opened in a new tab). Once back, this entry of the history gives way to that page.
 */
export function LoginPage() {
  const { search } = useLocation();
  const { t } = useI18n();
  const returnTo = ownPath(search.get('return'));
  const { logIn, busy, error } = useLogin();
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    logIn(returnTo);
  }, [logIn, returnTo]);

  return (
    <Page title={t('callback.title')}>
      <Status>{busy ? t('login.redirecting') : null}</Status>
      {error ? (
        <>
          <ErrorMessage error={error} />
          <LoginButton returnTo={returnTo} />
          <p>
            <Link href="/">{t('callback.back')}</Link>
          </p>
        </>
      ) : null}
    </Page>
  );
}
