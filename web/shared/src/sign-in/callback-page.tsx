import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../api-client.ts';
import { Status } from '../components/live.tsx';
import { Page } from '../components/page.tsx';
import { Link, useRouter } from '../router.tsx';
import { signInFrom } from './flow.ts';
import type { SignInHost } from './host.ts';

/**
 * Where the sign-in sends the browser back (`#token=…`): the token becomes this tab's session, and the
 * person goes on to the page they were on (the app's first page by default), this entry giving way to it.
 */
export function SignInCallbackPage({ host }: { host: SignInHost }) {
  const { api, session, tabStorage, flow, t } = host;
  const router = useRouter();
  // Read once, before the fragment is taken out of the address bar (and the history).
  const [handed] = useState(() => signInFrom(window.location.hash));
  const [error, setError] = useState<unknown>(null);
  const attempt = useRef<Promise<string> | null>(null);

  useEffect(() => {
    if (window.location.hash) router.navigate(flow.callbackPath, { replace: true });
    if (!handed) {
      if (session.current()) router.navigate(`${flow.base}/`, { replace: true });
      else setError(new ApiError(401, 'SIGN_IN_FAILED', 'No session in the callback.'));
      return;
    }
    // One exchange per token, even when React runs this effect twice.
    attempt.current ??= flow.complete(api, session, tabStorage, handed);
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
  }, [api, session, tabStorage, handed, router, flow]);

  return (
    <Page title={t('signIn.title')}>
      {error ? (
        <>
          {host.renderError(error)}
          <p>
            <Link href={`${flow.base}/`}>{t('notFound.back')}</Link>
          </p>
        </>
      ) : (
        <Status>{t('signIn.busy')}</Status>
      )}
    </Page>
  );
}
