import { Page } from '../../../shared/src/components/page.tsx';
import { Link } from '../../../shared/src/router.tsx';
import { useLoad } from '../../../shared/src/use-load.ts';
import { useApp } from '../app-context.ts';
import { Loaded } from '../components/loaded.tsx';
import { useI18n } from '../i18n/index.ts';
import { PATHS } from '../lib/paths.ts';
import { instantText } from '../lib/words.ts';

/** The overview: changes awaiting approval, the policy in force in brief, the announcements shown now. */
export function OverviewPage() {
  const { admin, now } = useApp();
  const { t, language } = useI18n();
  const pending = useLoad('pending', () => admin.policyChanges('pending'));
  const policy = useLoad('policy', () => admin.policyAt());
  const announcements = useLoad('announcements', () => admin.announcements());
  return (
    <Page title={t('overview.title')}>
      <section aria-labelledby="overview-pending">
        <h2 id="overview-pending">{t('overview.pending')}</h2>
        <Loaded load={pending}>
          {({ changes }) =>
            changes.length === 0 ? (
              <p>{t('overview.pendingNone')}</p>
            ) : (
              <ul className="plain-list">
                {changes.map((change) => (
                  <li key={change.id}>
                    <Link href={PATHS.change(change.id)}>
                      {t('overview.proposed', {
                        action: t(`action.${change.action}`),
                        when: instantText(change.proposedAt, language),
                        by: change.proposedBy,
                      })}
                    </Link>
                  </li>
                ))}
              </ul>
            )
          }
        </Loaded>
      </section>
      <section aria-labelledby="overview-policy">
        <h2 id="overview-policy">{t('overview.policy')}</h2>
        <Loaded load={policy}>
          {({ version, rules }) => (
            <p>
              {t('overview.policySummary', {
                version,
                open: rules.filter((r) => r.state === 'open').length,
                planned: rules.filter((r) => r.state === 'planned').length,
                paused: rules.filter((r) => r.state === 'paused').length,
              })}{' '}
              <Link href={PATHS.policy}>{t('nav.policy')}</Link>
            </p>
          )}
        </Loaded>
      </section>
      <section aria-labelledby="overview-announcements">
        <h2 id="overview-announcements">{t('overview.announcements')}</h2>
        <Loaded load={announcements}>
          {(data) => {
            const at = now().getTime();
            const shown = data.announcements.filter((a) => Date.parse(a.from) <= at && at < Date.parse(a.until));
            return shown.length === 0 ? (
              <p>{t('overview.announcementsNone')}</p>
            ) : (
              <ul className="plain-list">
                {shown.map((a) => (
                  <li key={a.id}>
                    {a.text[language]}{' '}
                    <span className="hint">
                      {t('ann.span', { from: instantText(a.from, language), until: instantText(a.until, language) })}
                    </span>
                  </li>
                ))}
              </ul>
            );
          }}
        </Loaded>
      </section>
    </Page>
  );
}
