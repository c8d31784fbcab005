import { useState } from 'react';
import { Status } from '../../../shared/src/components/live.tsx';
import { useLocation } from '../../../shared/src/router.tsx';
import { useApp } from '../app-context.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { Page } from '../components/page.tsx';
import { useI18n } from '../i18n/index.ts';
import { beginSignIn } from '../lib/sign-in.ts';

/**
 * Shown on any page of the app to someone not signed in: why (signed out, the session ended, not staff),
 * and the button to the sign-in, which brings them back to this very page.
 */
export function SignInPage({ notice }: { notice: 'signedOut' | 'again' | 'notStaff' | null }) {
  const { api, tabStorage, origin, leave } = useApp();
  const { t, language } = useI18n();
  const { href } = useLocation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const signIn = () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    beginSignIn(api, tabStorage, { origin, returnTo: href.split('#')[0] ?? null, language, leave }).catch(
      (failure: unknown) => {
        setBusy(false);
        setError(failure);
      },
    );
  };

  return (
    <Page title={t('signIn.title')}>
      {notice ? <p className="notice">{t(`signIn.${notice}`)}</p> : null}
      <p>{t('signIn.intro')}</p>
      <button
        type="button"
        className="button button-primary button-wide"
        aria-disabled={busy || undefined}
        onClick={signIn}
      >
        {t('signIn.button')}
      </button>
      <Status>{busy ? t('signIn.redirecting') : null}</Status>
      {error ? <ErrorMessage error={error} /> : null}
    </Page>
  );
}
