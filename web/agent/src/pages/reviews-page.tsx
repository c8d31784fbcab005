import { Page } from '../../../shared/src/components/page.tsx';
import { useI18n } from '../i18n/index.ts';

/** The supervisor's daily sample of look-ups, each given a verdict. */
export function ReviewsPage() {
  const { t } = useI18n();
  return <Page title={t('nav.reviews')}>{null}</Page>;
}
