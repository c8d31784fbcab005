import type { MouseEvent, ReactNode } from 'react';
import { useSiteI18n } from '../i18n.ts';
import { LanguageSwitch } from './language-switch.tsx';

/**
 * The site's header: a skip link to the main content, the bar with the app's `brand` and the language
 * switch, then what the app puts under the bar (`children`: its menu, who is signed in).
 */
export function SiteHeader({ brand, children }: { brand: ReactNode; children?: ReactNode }) {
  const { t, language, setLanguage } = useSiteI18n();
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
        {brand}
        <LanguageSwitch language={language} setLanguage={setLanguage} />
      </div>
      {children}
    </header>
  );
}

/** The band under the header's bar in the staff's apps: who is signed in, and signing out. */
export function SignedInBand({
  who,
  signOutLabel,
  onSignOut,
}: {
  who: string;
  signOutLabel: string;
  onSignOut: () => void;
}) {
  return (
    <div className="site-header-person">
      <span>{who}</span>
      <button type="button" className="link-button" onClick={onSignOut}>
        {signOutLabel}
      </button>
    </div>
  );
}
