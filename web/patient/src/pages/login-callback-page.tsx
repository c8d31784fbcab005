import { useEffect, useRef, useState } from 'react';
import type { LoginResponse } from '../../../shared/src/api-client.ts';
import { ApiError } from '../../../shared/src/api-client.ts';
import { Status } from '../../../shared/src/components/live.tsx';
import { Page } from '../../../shared/src/components/page.tsx';
import { Link, useRouter } from '../../../shared/src/router.tsx';
import { assertionFrom, CALLBACK_PATH, completeLogin, returnAfterLogin, stayAfterLogin } from '../api/session.ts';
import { useApp } from '../app-context.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { LoginButton } from '../components/login-button.tsx';
import { useI18n } from '../i18n/index.ts';

/** How long the way back over the provider's pages may take before the callback goes on by itself. */
const RETURN_TIMEOUT_MS = 4000;

/**
 * Where the identity provider sends the browser back (`#assertion=…`): the assertion becomes this tab's
 * session, then the person goes on to where they were heading (the search by default), back over the
 * provider's pages in the tab's history so that Back does not lead to them again.
 */
export function LoginCallbackPage() {
  const { api, session, tabStorage } = useApp();
  const router = useRouter();
  const { t, language } = useI18n();
  // Read once, before the fragment is taken out of the address bar (and the history).
  const [assertion] = useState(() => assertionFrom(window.location.hash));
  const [error, setError] = useState<unknown>(null);
  const attempt = useRef<Promise<{ login: LoginResponse; next: string }> | null>(null);

  useEffect(() => {
    if (window.location.hash) router.navigate(CALLBACK_PATH, { replace: true });
    if (!assertion) {
      // Forward into a login that completed earlier: the person is logged in, nothing is missing.
      if (session.current()) router.navigate('/', { replace: true });
      else setError(new ApiError(401, 'ASSERTION_REQUIRED', 'No assertion in the callback.'));
      return;
    }
    // One exchange per assertion, even when React runs this effect twice.
    attempt.current ??= completeLogin(api, session, tabStorage, assertion, language);
    let current = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    attempt.current.then(
      ({ next }) => {
        if (!current) return;
        if (returnAfterLogin(tabStorage, router, next) === 'back') {
          timer = setTimeout(() => stayAfterLogin(tabStorage, router, next), RETURN_TIMEOUT_MS);
        }
      },
      (failure: unknown) => {
        if (current) setError(failure);
      },
    );
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, session, tabStorage, assertion, language, router]);

  return (
    <Page title={t('callback.title')}>
      {error ? (
        <>
          <ErrorMessage error={error} />
          <LoginButton returnTo={null} />
          <p>
            <Link href="/">{t('callback.back')}</Link>
          </p>
        </>
      ) : (
        <Status>{t('callback.busy')}</Status>
      )}
    </Page>
  );
}
