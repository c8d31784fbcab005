import { useState } from 'react';
import { Status } from '../../../shared/src/components/live.tsx';
import { beginLogin } from '../api/session.ts';
import { useApp } from '../app-context.ts';
import { useI18n } from '../i18n/index.ts';
import { ErrorMessage } from './error-message.tsx';

/** Sends the person to the identity provider, and back to `returnTo` once logged in. */
export function LoginButton({ returnTo }: { returnTo: string | null }) {
  const { api, tabStorage, origin, leave } = useApp();
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const logIn = () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    beginLogin(api, tabStorage, { origin, returnTo, leave }).catch((failure: unknown) => {
      setBusy(false);
      setError(failure);
    });
  };

  return (
    <div className="login">
      <button type="button" className="button button-primary" aria-disabled={busy} onClick={logIn}>
        {t('login.button')}
      </button>
      <Status>{busy ? t('login.redirecting') : null}</Status>
      {error ? <ErrorMessage error={error} /> : null}
    </div>
  );
}
