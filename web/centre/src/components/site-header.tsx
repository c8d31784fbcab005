import type { MouseEvent } from 'react';
import { LanguageSwitch } from '../../../shared/src/components/language-switch.tsx';
import { useApp } from '../app-context.ts';
import { useI18n } from '../i18n/index.ts';
import { signOut } from '../lib/sign-in.ts';

/** Skip link, the centre's name, who is signed in, the language switch and signing out. */
export function SiteHeader({ centreName, person }: { centreName: string | null; person: string | null }) {
  const { session, tabStorage } = useApp();
  const { t, language, setLanguage } = useI18n();

  const skip = (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    document.getElementById('main')?.focus();
  };

  return (
    <header className="site-header">
      {/* biome-ignore lint/a11y/useValidAnchor: a skip link is a link to #main; the handler moves focus there without putting #main in the address */}
      <a className="skip-link" href="#main" onClick={skip}>
        {t('nav.skip')}
      </a>
      <div className="site-header-bar">
        <p className="brand">
          <span className="brand-app">{t('app.short')}</span>
          {centreName ? <span className="brand-centre">{centreName}</span> : null}
        </p>
        <LanguageSwitch language={language} setLanguage={setLanguage} />
      </div>
      {person ? (
        <div className="site-header-person">
          <span>{t('header.signedInAs', { name: person })}</span>
          <button type="button" className="link-button" onClick={() => signOut(session, tabStorage)}>
            {t('header.signOut')}
          </button>
        </div>
      ) : null}
    </header>
  );
}
