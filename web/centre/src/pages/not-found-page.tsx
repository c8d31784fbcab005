import { Link } from '../../../shared/src/router.tsx';
import { Page } from '../components/page.tsx';
import { useI18n } from '../i18n/index.ts';
import { BASE } from '../lib/sign-in.ts';

export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <Page title={t('notFound.title')}>
      <p>
        <Link href={`${BASE}/`}>{t('notFound.back')}</Link>
      </p>
    </Page>
  );
}
