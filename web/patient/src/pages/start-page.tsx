import { useEffect, useState } from 'react';
import { ApiError } from '../../../shared/src/api-client.ts';
import { Alert, Status } from '../../../shared/src/components/live.tsx';
import { Page } from '../../../shared/src/components/page.tsx';
import { Link, useLocation } from '../../../shared/src/router.tsx';
import { clearNotice, readNotice, rememberedReturn } from '../api/session.ts';
import { useApp, useSession } from '../app-context.ts';
import { Announcements } from '../components/announcements.tsx';
import { LoginButton } from '../components/login-button.tsx';
import { useI18n } from '../i18n/index.ts';
import { describeError } from '../lib/error-messages.ts';

/** The first page: what the service does, the language, and logging in. */
export function StartPage() {
  const { tabStorage } = useApp();
  const loggedIn = useSession() !== null;
  const { search } = useLocation();
  const { t, fmt } = useI18n();
  // Why the person was sent back here (their session ended), shown once.
  const [notice] = useState(() => readNotice(tabStorage));
  // Logging in again after that goes back to the page the session ended on.
  const [returnTo] = useState(() => (notice ? rememberedReturn(tabStorage) : null));
  useEffect(() => {
    if (notice) clearNotice(tabStorage);
  }, [notice, tabStorage]);

  return (
    <Page title={t('start.title')}>
      <Announcements />
      {notice && !loggedIn ? (
        <Alert title={t('start.notice.title')}>
          <p>{describeError(new ApiError(401, notice, notice), t, fmt)}</p>
        </Alert>
      ) : null}
      <Status>{search.get('loggedOut') && !loggedIn ? t('start.loggedOut') : null}</Status>
      <p className="lead">{t('start.intro')}</p>
      {loggedIn ? (
        <>
          <p>{t('start.loggedIn')}</p>
          <ul className="actions">
            <li>
              <Link href="/search" className="button button-primary">
                {t('start.toSearch')}
              </Link>
            </li>
            <li>
              <Link href="/visits" className="button">
                {t('start.toVisits')}
              </Link>
            </li>
            <li>
              <Link href="/access-log" className="button">
                {t('start.toAccess')}
              </Link>
            </li>
          </ul>
        </>
      ) : (
        <>
          <h2>{t('start.login.title')}</h2>
          <p>{t('start.login.text')}</p>
          <LoginButton returnTo={returnTo} />
          <h2>{t('start.browse.title')}</h2>
          <p>
            <Link href="/search">{t('start.browse.link')}</Link>
          </p>
        </>
      )}
      <h2>{t('start.help.title')}</h2>
      <p>
        {t('start.help.text')} <a href="tel:989">989</a>
      </p>
    </Page>
  );
}
