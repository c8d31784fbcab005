import { useLocation } from '../../../shared/src/router.tsx';
import { useI18n } from '../i18n/index.ts';
import { LoginButton } from './login-button.tsx';

/** What a page that needs a logged-in patient shows to someone who is not: why, and the way in. */
export function LoginRequired() {
  const { t } = useI18n();
  const { pathname, search } = useLocation();
  const query = search.toString();
  return (
    <section className="banner banner-info" aria-labelledby="login-title">
      <h2 id="login-title">{t('login.required.title')}</h2>
      <p>{t('login.required.text')}</p>
      <LoginButton returnTo={`${pathname}${query ? `?${query}` : ''}`} />
    </section>
  );
}
