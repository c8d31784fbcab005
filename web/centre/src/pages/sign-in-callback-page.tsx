import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../../../shared/src/api-client.ts';
import { Status } from '../../../shared/src/components/live.tsx';
import { Link, useRouter } from '../../../shared/src/router.tsx';
import { useApp } from '../app-context.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { Page } from '../components/page.tsx';
import { useI18n } from '../i18n/index.ts';
import { BASE, CALLBACK_PATH, completeSignIn, signInFrom } from '../lib/sign-in.ts';

/**
 * Where the sign-in sends the browser back (`#token=…`): the token becomes this tab's session, and the
 * person goes on to the page they were on (the day's list by default), this entry giving way to it.
 */
export function SignInCallbackPage() {
  const { api, session, tabStorage } = useApp();
  const router = useRouter();
  const { t } = useI18n();
  // Read once, before the fragment is taken out of the address bar (and the history).
  const [handed] = useState(() => signInFrom(window.location.hash));
  const [error, setError] = useState<unknown>(null);
  const attempt = useRef<Promise<string> | null>(null);

  useEffect(() => {
    if (window.location.hash) router.navigate(CALLBACK_PATH, { replace: true });
    if (!handed) {
      if (session.current()) router.navigate(`${BASE}/`, { replace: true });
      else setError(new ApiError(401, 'SIGN_IN_FAILED', 'No session in the callback.'));
      return;
    }
    // One exchange per token, even when React runs this effect twice.
    attempt.current ??= completeSignIn(api, session, tabStorage, handed);
    let current = true;
    attempt.current.then(
      (next) => {
        if (current) router.navigate(next, { replace: true });
      },
      (failure: unknown) => {
        if (current) setError(failure);
      },
    );
    return () => {
      current = false;
    };
  }, [api, session, tabStorage, handed, router]);

  return (
    <Page title={t('signIn.title')}>
      {error ? (
        <>
          <ErrorMessage error={error} />
          <p>
            <Link href={`${BASE}/`}>{t('notFound.back')}</Link>
          </p>
        </>
      ) : (
        <Status>{t('signIn.busy')}</Status>
      )}
    </Page>
  );
}
