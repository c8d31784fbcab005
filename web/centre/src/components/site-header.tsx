import { SignedInBand, SiteHeader as SiteHeaderShell } from '../../../shared/src/components/site-header.tsx';
import { useApp } from '../app-context.ts';
import { useI18n } from '../i18n/index.ts';
import { signOut } from '../lib/sign-in.ts';

/** Skip link, the centre's name, who is signed in, the language switch and signing out. */
export function SiteHeader({ centreName, person }: { centreName: string | null; person: string | null }) {
  const { session, tabStorage } = useApp();
  const { t } = useI18n();
  const brand = (
    <p className="brand">
      <span className="brand-app">{t('app.short')}</span>
      {centreName ? <span className="brand-centre">{centreName}</span> : null}
    </p>
  );
  return (
    <SiteHeaderShell brand={brand}>
      {person ? (
        <SignedInBand
          who={t('header.signedInAs', { name: person })}
          signOutLabel={t('header.signOut')}
          onSignOut={() => signOut(session, tabStorage)}
        />
      ) : null}
    </SiteHeaderShell>
  );
}
