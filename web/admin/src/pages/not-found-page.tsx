import { Page } from '../../../shared/src/components/page.tsx';
import { Link } from '../../../shared/src/router.tsx';
import { useI18n } from '../i18n/index.ts';
import { PATHS } from '../lib/paths.ts';

export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <Page title={t('notFound.title')}>
      <p>{t('notFound.body')}</p>
      <p>
        <Link href={PATHS.overview}>{t('notFound.back')}</Link>
      </p>
    </Page>
  );
}
