import { Page } from '../../../shared/src/components/page.tsx';
import { Link } from '../../../shared/src/router.tsx';
import { useI18n } from '../i18n/index.ts';
import { PATHS } from '../lib/paths.ts';

/** A page of a person who is not in the current call: the agent looks them up first. */
export function NotInCall() {
  const { t } = useI18n();
  return (
    <Page title={t('book.notInCall.title')}>
      <p>{t('book.notInCall.text')}</p>
      <p>
        <Link href={PATHS.call}>{t('book.backToCall')}</Link>
      </p>
    </Page>
  );
}
