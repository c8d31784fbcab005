import { Page } from '../../../shared/src/components/page.tsx';
import { useI18n } from '../i18n/index.ts';

/** Booking a course for a person of the call, ending in the read-back. */
export function BookPage() {
  const { t } = useI18n();
  return <Page title={t('nav.call')}>{null}</Page>;
}
