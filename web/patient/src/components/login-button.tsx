import { useEffect, useState } from 'react';
import { Status } from '../../../shared/src/components/live.tsx';
import { beginLogin } from '../api/session.ts';
import { useApp } from '../app-context.ts';
import { useI18n } from '../i18n/index.ts';
import { ErrorMessage } from './error-message.tsx';

/**
 * Starting a login: sends the person to the identity provider, and back to `returnTo` once logged in.
 * Busy until the browser leaves; a page the browser brings back as it was (Back from the provider) is
 * ready again.
 */
export function useLogin() {
  const { api, tabStorage, origin, leave, router } = useApp();
  const { language } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const shown = (event: PageTransitionEvent) => {
      if (event.persisted) setBusy(false);
    };
    window.addEventListener('pageshow', shown);
    return () => window.removeEventListener('pageshow', shown);
  }, []);

  const logIn = (returnTo: string | null) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    beginLogin(api, tabStorage, { origin, returnTo, leave, router, language }).catch((failure: unknown) => {
      setBusy(false);
      setError(failure);
    });
  };

  return { logIn, busy, error };
}

/** Sends the person to the identity provider, and back to `returnTo` once logged in. */
export function LoginButton({ returnTo }: { returnTo: string | null }) {
  const { t } = useI18n();
  const { logIn, busy, error } = useLogin();

  return (
    <div className="login">
      <button type="button" className="button button-primary" aria-disabled={busy} onClick={() => logIn(returnTo)}>
        {t('login.button')}
      </button>
      <Status>{busy ? t('login.redirecting') : null}</Status>
      {error ? <ErrorMessage error={error} /> : null}
    </div>
  );
}
